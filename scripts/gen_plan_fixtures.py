"""Regenerate the committed Terraform plan JSON of the fixtures (`plan.json` next to each root,
and the plans of the plan-only fixtures under tests/fixtures/plan).

Run it after adding or changing a fixture, from anywhere, then commit the plan files:

    python scripts/gen_plan_fixtures.py                  # every case of both fixture trees
    python scripts/gen_plan_fixtures.py count_for_each   # only these cases (names or paths)
    python scripts/gen_plan_fixtures.py --check          # fail if a committed plan is stale

For every case folder (discovered, never listed) it copies the case to a temporary directory, adds
nothing to its configuration (offline settings come from the environment: mock keys, a default
Region, and every AWS API call -- the provider's credential check and account lookup, and the few
calls data sources make -- sent to the local stand-in `offline_aws`; registry modules from the
local stand-in `offline_registry`), runs `terraform init -plugin-dir=<offline mirror>`
(`-get=false` where the root holds installed modules, `.terraform/modules/modules.json`),
`terraform plan -refresh=false -out=plan.bin` and `terraform show -json plan.bin`, and writes the
JSON (sorted keys, no timestamp, no temporary paths) to `<root>/plan.json`. Nothing else is
written into the repository. The analyzer never runs this: it is a test-data tool
(plan_terraform.py runs Terraform, plan_only_fixtures.py describes the plan-only cases).

Per case, in its `expected.yaml` (all optional):

    plan:
      skip: "why this case cannot or must not be planned"   # e.g. a deliberate syntax error
      roots: [app, backup]                                   # the root modules, when not detected
      variants:                                              # more assignments to plan, each
        - {backups_enabled: true, tier: gold}                #   in every root declaring them
      auto_variants: false                                   # none of the generated ones below

Variants: besides `plan.json`, every root gets one plan per assignment of root variables it
allows, written to `<root>/.plans/<name>=<value>[,<name>=<value>...].json` (planned with
`-var name=value` over `plan.tfvars`). Generated ones: each root variable of type bool, true and
false; each root variable whose `validation` is `contains([...], var.name)`, every listed value.
A generated assignment Terraform refuses to plan (a world nothing can be deployed in) is reported
and not written; a listed `variants:` entry that fails is a failure.
The `.plans` folder is hidden, so discovery never reads it as code or as a plan unit, and
tests/terraform/test_plan_agreement.py (which scans without the values) does not compare it;
tests/test_soundness.py scans each variant with the same `--var` values.

Roots are detected: every folder with `*.tf`/`*.tf.json` files that no other folder of the case
calls as a local module (`source = "./..."`). A fixture's provider "aws" blocks are planned as
written (region, default_tags, aliases), so the plan's `configuration` is exactly the fixture's;
only a fixture that declares a remote backend gets a `zz_plan_override.tf` selecting the local one.
Variables a fixture leaves unset get values from `<root>/plan.tfvars` (used only for planning;
the analyzer never reads it, so the fixture still exercises "no value").

Plan-only cases (tests/fixtures/plan/<case>/) keep their configuration in a hidden `.config/`
folder and list their plans in `expected.yaml` (`plan: {plans: [{file, workspace, vars}]}`, see
plan_only_fixtures.py): a plan per workspace (`terraform workspace new`), per `-var` value, of
registry modules that `terraform init` installs from tests/fixtures/plan/.registry.

Terraform and the provider mirror are found on PATH and through `tf-plugin-dir` (or TF_PLUGIN_DIR);
where either is missing the script says so and exits 0. Registry modules need git.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules below
import plan_only_fixtures
from plan_terraform import (  # normalise: tests use it through this module
    Offline,
    Outcome,
    PlanError,
    find_plugin_dir,
    normalise,
    plan_json,
    write_or_check,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "terraform"
PLAN_JSON = "plan.json"
PLAN_VARS = "plan.tfvars"
VARIANTS_DIR = ".plans"  # hidden: discovery and the plan.json tests skip it
OVERRIDE_FILE = "zz_plan_override.tf"  # a local backend where the fixture declares another
COPY_IGNORE = shutil.ignore_patterns(PLAN_JSON, VARIANTS_DIR, "plan.bin", ".terraform.lock.hcl",
                                     "*.tfstate*")
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)
_BACKEND = re.compile(r'^\s*backend\s+"', re.MULTILINE)
LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'
_VARIABLE = re.compile(r'^\s*variable\s+"([^"]+)"\s*\{', re.MULTILINE)
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.-]+$")  # values that name a file and need no quoting
AUTO_TFVARS = ("terraform.tfvars", "terraform.tfvars.json")  # and *.auto.tfvars[.json]


@dataclass(frozen=True)
class Case:
    path: Path
    skip: str | None  # the reason, when the case opts out of planning
    roots: tuple[Path, ...]


# ---- cases, roots and settings -------------------------------------------------------------


def case_dirs(base: Path = FIXTURES) -> list[Path]:
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def plan_setting(case: Path) -> object:
    """The `plan:` value of the case's expected.yaml (None when absent or unreadable)."""
    try:
        data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return data.get("plan") if isinstance(data, dict) else None


def skip_reason(case: Path) -> str | None:
    """Why the case is not planned: `plan: {skip: reason}` (a bare `plan: skip` also skips)."""
    setting = plan_setting(case)
    if setting == "skip":
        return "plan: skip (no reason given)"
    if isinstance(setting, dict) and setting.get("skip"):
        return str(setting["skip"])
    return None


def terraform_dirs(case: Path) -> list[Path]:
    """Every folder of the case holding Terraform files (hidden folders, .terraform, skipped)."""
    found = []
    for directory, subdirs, files in os.walk(case):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        if any(f.endswith((".tf", ".tf.json")) for f in files):
            found.append(Path(directory))
    return sorted(found)


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _json_blocks(path: Path, kind: str) -> list[tuple[str, dict[str, object]]]:
    """(label, body) of the top-level `kind` blocks of a `.tf.json` file."""
    try:
        data = json.loads(_read(path))
    except ValueError:
        return []
    section = data.get(kind) if isinstance(data, dict) else None
    items = section if isinstance(section, list) else [section]
    out = []
    for item in items:
        for label, body in (item or {}).items() if isinstance(item, dict) else ():
            for one in body if isinstance(body, list) else [body]:
                if isinstance(one, dict):
                    out.append((label, one))
    return out


def local_module_dirs(directory: Path) -> set[Path]:
    """The folders this folder calls as local modules."""
    sources: list[str] = []
    for path in sorted(directory.iterdir()):
        if path.name.endswith(".tf"):
            sources += _LOCAL_SOURCE.findall(_read(path))
        elif path.name.endswith(".tf.json"):
            sources += [str(body.get("source", "")) for _, body in _json_blocks(path, "module")]
    return {(directory / s).resolve() for s in sources if s.startswith(("./", "../"))}


def plan_roots(case: Path) -> tuple[Path, ...]:
    """The root modules of a case: `plan: {roots: [...]}` or the folders nobody calls."""
    setting = plan_setting(case)
    if isinstance(setting, dict) and setting.get("roots"):
        return tuple(case / str(r) for r in setting["roots"])
    dirs = terraform_dirs(case)
    called = set().union(*(local_module_dirs(d) for d in dirs)) if dirs else set()
    return tuple(d for d in dirs if d.resolve() not in called)


def load_case(case: Path) -> Case:
    return Case(case, skip_reason(case), plan_roots(case))


# ---- root variables and variants ------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # as written, spaces removed ("" when not given)
    has_default: bool
    allowed: tuple[str, ...]  # values a `contains([...], var.name)` validation lists


def _block_body(text: str, start: int) -> str:
    """The text of the `{ ... }` block whose opening brace ends at `start` (strings skipped)."""
    depth, i, quoted = 1, start, False
    while i < len(text) and depth:
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        i += 1
    return text[start:i - 1]


def _allowed(name: str, conditions: Iterable[str]) -> tuple[str, ...]:
    pattern = re.compile(r"contains\(\s*\[([^\]]*)\]\s*,\s*var\." + re.escape(name) + r"\s*\)")
    for condition in conditions:
        found = pattern.search(condition)
        if found:
            items = [i.strip() for i in found.group(1).split(",") if i.strip()]
            return tuple(i[1:-1] if i.startswith('"') and i.endswith('"') else i for i in items)
    return ()


def root_variables(root: Path) -> dict[str, Variable]:
    """The variables a root module declares (native and JSON syntax), read simply: the type,
    whether a default is given, and the values a `contains([...], var.x)` validation allows."""
    found: dict[str, Variable] = {}
    for path in sorted(root.iterdir()):
        if path.name.endswith(".tf"):
            text = _read(path)
            for match in _VARIABLE.finditer(text):
                body = _block_body(text, match.end())
                kind = re.search(r"^\s*type\s*=\s*(.+)$", body, re.MULTILINE)
                found[match.group(1)] = Variable(
                    match.group(1), re.sub(r"\s", "", kind.group(1)) if kind else "",
                    re.search(r"^\s*default\s*=", body, re.MULTILINE) is not None,
                    _allowed(match.group(1), re.findall(r"condition\s*=\s*(.+)", body)))
        elif path.name.endswith(".tf.json"):
            for name, body in _json_blocks(path, "variable"):
                rules = body.get("validation") or []
                rules = rules if isinstance(rules, list) else [rules]
                conditions = [str(r.get("condition", "")) for r in rules if isinstance(r, dict)]
                found[name] = Variable(name, re.sub(r"\s|\$\{|\}", "", str(body.get("type", ""))),
                                       "default" in body, _allowed(name, conditions))
    return found


def free_variables(root: Path) -> set[str]:
    """Root variables with no value when nothing is given: no default, and not set in a file
    Terraform (and the analyzer) reads by itself (terraform.tfvars[.json], *.auto.tfvars[.json])."""
    names = {v.name for v in root_variables(root).values() if not v.has_default}
    for path in root.iterdir():
        if path.name in AUTO_TFVARS or path.name.endswith((".auto.tfvars", ".auto.tfvars.json")):
            text = _read(path)
            names -= {n for n in names if re.search(rf'^\s*"?{re.escape(n)}"?\s*[=:]', text, re.M)}
    return names


Assignment = tuple[tuple[str, str], ...]  # (name, value as given to -var), sorted by name


def _text(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def explicit_variants(case: Path) -> list[Assignment]:
    """The case's own `variants:` (a plan of one that fails is a failure)."""
    setting = plan_setting(case)
    items = setting.get("variants") if isinstance(setting, dict) else None
    return [tuple(sorted((str(k), _text(v)) for k, v in item.items()))
            for item in items or [] if isinstance(item, dict) and item]


def variants(case: Path, root: Path) -> list[Assignment]:
    """The assignments to plan for one root: generated from its variables (bools, validated
    value lists) unless `auto_variants: false`, and the case's `variants:` that it declares."""
    setting = plan_setting(case)
    setting = setting if isinstance(setting, dict) else {}
    declared = root_variables(root)
    out: list[Assignment] = []
    if setting.get("auto_variants", True):
        for var in declared.values():
            values = ("true", "false") if var.type == "bool" else var.allowed
            out += [((var.name, value),) for value in values]
    out += [a for a in explicit_variants(case) if all(k in declared for k, _ in a)]
    usable = [a for a in out if all(_SAFE_VALUE.match(v) for _, v in a)]
    return sorted(dict.fromkeys(usable))


def variant_file(root: Path, assignment: Assignment) -> Path:
    return root / VARIANTS_DIR / (",".join(f"{k}={v}" for k, v in assignment) + ".json")


def parse_variant_file(path: Path) -> Assignment:
    """The assignment a variant plan was made with, from its name."""
    pairs = [item.split("=", 1) for item in path.name.removesuffix(".json").split(",")]
    return tuple((k, v) for k, v in pairs)


# ---- offline settings -----------------------------------------------------------------------


def has_backend(directory: Path) -> bool:
    return any(_BACKEND.search(_read(p)) or (p.name.endswith(".json") and '"backend"' in _read(p))
               for p in directory.iterdir() if p.name.endswith((".tf", ".tf.json")))


def add_local_backend(root: Path) -> None:
    """Plan against empty local state, never a fixture's remote backend."""
    if has_backend(root):
        (root / OVERRIDE_FILE).write_text(
            "# Written by scripts/gen_plan_fixtures.py for offline planning only.\n"
            + LOCAL_BACKEND)


def plan_root(case: Path, root: Path, offline: Offline, assignment: Assignment = (),
              workspace: str | None = None) -> str:
    """The normalised plan JSON of one root of a case, planned in a temporary copy (with
    `-var name=value` for each pair of `assignment`, in a new `workspace` when one is named)."""
    with tempfile.TemporaryDirectory(prefix="gen-plan-") as tmp:
        copy = Path(tmp) / case.name
        shutil.copytree(case, copy, ignore=COPY_IGNORE, symlinks=True)
        work = copy / root.relative_to(case)
        add_local_backend(work)
        var_file = [f"-var-file={PLAN_VARS}"] if (work / PLAN_VARS).is_file() else []
        var_file += [f"-var={name}={value}" for name, value in assignment]
        return normalise(plan_json(work, Path(tmp), offline, var_file, workspace), copy)


def generate(case: Path, root: Path, offline: Offline, check: bool,
             assignment: Assignment = ()) -> Outcome:
    target = variant_file(root, assignment) if assignment else root / PLAN_JSON
    try:
        text = plan_root(case, root, offline, assignment)
    except PlanError as exc:
        if assignment and assignment not in explicit_variants(case):
            # a generated assignment Terraform refuses (e.g. an index into a resource it then
            # does not create) is a world nothing can be deployed in: nothing to compare
            first = str(exc).splitlines()[-1].strip() if str(exc).strip() else ""
            return Outcome(target, True, f"not written: Terraform rejects it ({first})")
        return Outcome(target, False, str(exc))
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return Outcome(target, False, str(exc))
    return write_or_check(target, text, check)


def stale_variants(case: Path, root: Path) -> list[Path]:
    """Variant plans of a root that its variables and settings no longer ask for."""
    wanted = {variant_file(root, a) for a in variants(case, root)}
    return sorted(p for p in (root / VARIANTS_DIR).glob("*.json") if p not in wanted)


# ---- command line ----------------------------------------------------------------------------


def selected_cases(names: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """(Terraform cases, plan-only cases) named by folder or by name in either fixture tree."""
    chosen: tuple[list[Path], list[Path]] = ([], [])
    for name in names:
        found = [p for p in (Path(name), FIXTURES / name, plan_only_fixtures.PLAN_FIXTURES / name)
                 if p.is_dir()]
        if not found:
            raise SystemExit(f"no fixture case {name!r} (looked in {FIXTURES} and "
                             f"{plan_only_fixtures.PLAN_FIXTURES})")
        path = found[0].resolve()
        chosen[path.parent == plan_only_fixtures.PLAN_FIXTURES.resolve()].append(path)
    return chosen


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("cases", nargs="*", help="case names or folders (default: every case)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a plan.json is missing or stale")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="plans run in parallel")
    return parser.parse_args(argv)


def report(outcomes: list[Outcome]) -> int:
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        mark = "ok  " if outcome.ok else "FAIL"
        first, *rest = outcome.message.splitlines() or [""]
        print(f"{mark} {outcome.target.relative_to(REPO)}: {first}")
        for line in rest:
            print(f"       {line}")
    print(f"{len(outcomes) - len(failed)} plan(s) ok, {len(failed)} failed")
    return 1 if failed else 0


def handle_stale(paths: list[Path], check: bool) -> list[Outcome]:
    """Plan files nothing asks for any more: a failure with --check, else removed."""
    outcomes = []
    for path in paths:
        if check:
            outcomes.append(Outcome(path, False, "stale plan (no longer asked for)"))
        else:
            path.unlink()
            outcomes.append(Outcome(path, True, "removed (no longer asked for)"))
    return outcomes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("terraform") is None:
        print("terraform is not on PATH: plan fixtures not regenerated (skipped)")
        return 0
    plugin_dir = find_plugin_dir()
    if plugin_dir is None:
        print("no offline AWS provider mirror (tf-plugin-dir / TF_PLUGIN_DIR): skipped")
        return 0
    named, named_plan_only = selected_cases(args.cases)
    cases = [load_case(c) for c in (named if args.cases else case_dirs())]
    plan_only = named_plan_only if args.cases else plan_only_fixtures.case_dirs()
    for case in cases:
        if case.skip:
            print(f"skip {case.path.relative_to(REPO)}: {case.skip}")
    roots = [(c.path, r) for c in cases if not c.skip for r in c.roots]
    specs = [s for case in plan_only for s in plan_only_fixtures.plan_specs(case)]
    stale = [p for case, r in roots for p in stale_variants(case, r)]
    stale += [p for case in plan_only for p in plan_only_fixtures.stale_plans(case)]
    import offline_aws  # a sibling module; imported here so tests can import this one cleanly

    with offline_aws.serving() as endpoint, plan_only_fixtures.registry() as registry:
        offline = Offline(plugin_dir, endpoint, registry)
        jobs = [lambda c=case, r=root, a=a: generate(c, r, offline, args.check, a)
                for case, root in roots for a in [(), *variants(case, root)]]
        jobs += [lambda s=spec: plan_only_fixtures.generate(s, offline, args.check)
                 for spec in specs]
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda job: job(), jobs))
    return report(outcomes + handle_stale(stale, args.check))


if __name__ == "__main__":
    sys.exit(main())
