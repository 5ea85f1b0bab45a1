"""Regenerate the committed Terraform plan JSON of the fixtures (`plan.json` next to each root).

Run it after adding or changing a fixture, from anywhere, then commit the `plan.json` files:

    python scripts/gen_plan_fixtures.py                  # every case under tests/fixtures/terraform
    python scripts/gen_plan_fixtures.py count_for_each   # only these cases (names or paths)
    python scripts/gen_plan_fixtures.py --check          # fail if a committed plan.json is stale

For every case folder (discovered, never listed) it copies the case to a temporary directory, adds
nothing to its configuration (offline settings come from the environment: mock keys, a default
Region, and every AWS API call -- the provider's credential check and account lookup, and the few
calls data sources make -- sent to the local stand-in `offline_aws`), runs
`terraform init -plugin-dir=<offline mirror>`, `terraform plan -refresh=false -out=plan.bin` and
`terraform show -json plan.bin`, and writes the JSON (sorted keys, no timestamp, no temporary
paths) to `<root>/plan.json`. Nothing else is written into the repository. The analyzer never
runs this: it is a test-data tool.

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

Terraform and the provider mirror are found on PATH and through `tf-plugin-dir` (or TF_PLUGIN_DIR);
where either is missing the script says so and exits 0.
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

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "terraform"
PLAN_JSON = "plan.json"
PLAN_VARS = "plan.tfvars"
VARIANTS_DIR = ".plans"  # hidden: discovery and the plan.json tests skip it
OVERRIDE_FILE = "zz_plan_override.tf"  # a local backend where the fixture declares another
PLUGIN_DIR_TOOLS = ("tf-plugin-dir", "/work/shared/tools/tf-plugin-dir")
REGION = "us-east-1"  # the Region a provider gets when the fixture sets none
TIMEOUT = 600
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


@dataclass(frozen=True)
class Outcome:
    target: Path  # the plan file written or checked
    ok: bool
    message: str


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


# ---- running terraform -----------------------------------------------------------------------


def find_plugin_dir() -> Path | None:
    if os.environ.get("TF_PLUGIN_DIR") and Path(os.environ["TF_PLUGIN_DIR"]).is_dir():
        return Path(os.environ["TF_PLUGIN_DIR"])
    for tool in PLUGIN_DIR_TOOLS:
        exe = shutil.which(tool)
        if not exe:
            continue
        run = subprocess.run([exe], capture_output=True, text=True, check=False, timeout=300)
        if run.returncode == 0 and run.stdout.strip() and Path(run.stdout.strip()).is_dir():
            return Path(run.stdout.strip())
    return None


def terraform_env(cli_config: Path, endpoint: str) -> dict[str, str]:
    """The caller's environment without any TF_*/AWS_* setting, plus offline ones: mock keys, a
    default Region, and every AWS API (credential check and account lookup included) sent to
    the local stand-in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update({
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
        "AWS_ACCESS_KEY_ID": "mock-access-key",
        "AWS_SECRET_ACCESS_KEY": "mock-secret-key",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ENDPOINT_URL_STS": endpoint,
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
    })
    return env


class PlanError(Exception):
    pass


def terraform(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    run = subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True,
                         text=True, errors="replace", check=False, timeout=TIMEOUT)
    if run.returncode != 0:
        raise PlanError(f"terraform {args[0]} failed:\n{(run.stderr or run.stdout).strip()}")
    return run.stdout


ADDRESSED_LISTS = frozenset({"child_modules", "resources", "resource_changes"})


def sort_addressed(node: object) -> None:
    """Sort, in place and everywhere, the lists Terraform writes in Go map order: module and
    resource entries (by address; each address occurs once per list)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ADDRESSED_LISTS and isinstance(value, list) and all(
                    isinstance(v, dict) and isinstance(v.get("address"), str) for v in value):
                value.sort(key=lambda v: str(v["address"]))
            sort_addressed(value)
    elif isinstance(node, list):
        for item in node:
            sort_addressed(item)


def normalise(plan: dict[str, object], workdir: Path) -> str:
    """Stable text: sorted keys, no timestamp, temporary paths replaced, and the lists Terraform
    emits in random order (`relevant_attributes`, module and resource entries) sorted."""
    plan.pop("timestamp", None)
    relevant = plan.get("relevant_attributes")
    if isinstance(relevant, list):
        relevant.sort(key=lambda item: json.dumps(item, sort_keys=True))
    sort_addressed(plan)
    text = json.dumps(plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    for prefix in {str(workdir), str(workdir.resolve())}:
        text = text.replace(prefix, "<plan-workdir>")
    return text


def plan_root(case: Path, root: Path, plugin_dir: Path, endpoint: str,
              assignment: Assignment = (), workspace: str = "") -> str:
    """The normalised plan JSON of one root of a case, planned in a temporary copy (with
    `-var name=value` for each pair of `assignment`, in a new `workspace` when one is named)."""
    with tempfile.TemporaryDirectory(prefix="gen-plan-") as tmp:
        copy = Path(tmp) / case.name
        shutil.copytree(case, copy, ignore=COPY_IGNORE, symlinks=True)
        work = copy / root.relative_to(case)
        add_local_backend(work)
        cli_config = Path(tmp) / "terraformrc"
        cli_config.write_text("")
        env = terraform_env(cli_config, endpoint)
        terraform(["init", f"-plugin-dir={plugin_dir}", "-input=false"],
                  work, env)
        if workspace:
            terraform(["workspace", "new", workspace], work, env)
        var_file = [f"-var-file={PLAN_VARS}"] if (work / PLAN_VARS).is_file() else []
        var_file += [f"-var={name}={value}" for name, value in assignment]
        terraform(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin",
                   *var_file], work, env)
        return normalise(json.loads(terraform(["show", "-json", "plan.bin"], work, env)), copy)


def generate(case: Path, root: Path, plugin_dir: Path, endpoint: str, check: bool,
             assignment: Assignment = ()) -> Outcome:
    target = variant_file(root, assignment) if assignment else root / PLAN_JSON
    try:
        text = plan_root(case, root, plugin_dir, endpoint, assignment)
    except PlanError as exc:
        if assignment and assignment not in explicit_variants(case):
            # a generated assignment Terraform refuses (e.g. an index into a resource it then
            # does not create) is a world nothing can be deployed in: nothing to compare
            first = str(exc).splitlines()[-1].strip() if str(exc).strip() else ""
            return Outcome(target, True, f"not written: Terraform rejects it ({first})")
        return Outcome(target, False, str(exc))
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return Outcome(target, False, str(exc))
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        return Outcome(target, current == text, "up to date" if current == text else "stale")
    if current != text:
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return Outcome(target, True, "written")
    return Outcome(target, True, "unchanged")


def stale_variants(case: Path, root: Path) -> list[Path]:
    """Variant plans of a root that its variables and settings no longer ask for."""
    wanted = {variant_file(root, a) for a in variants(case, root)}
    return sorted(p for p in (root / VARIANTS_DIR).glob("*.json") if p not in wanted)


# ---- command line ----------------------------------------------------------------------------


def selected_cases(names: Iterable[str]) -> list[Path]:
    chosen = []
    for name in names:
        path = Path(name) if Path(name).is_dir() else FIXTURES / name
        if not path.is_dir():
            raise SystemExit(f"no fixture case {name!r} (looked in {FIXTURES})")
        chosen.append(path.resolve())
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("terraform") is None:
        print("terraform is not on PATH: plan fixtures not regenerated (skipped)")
        return 0
    plugin_dir = find_plugin_dir()
    if plugin_dir is None:
        print("no offline AWS provider mirror (tf-plugin-dir / TF_PLUGIN_DIR): skipped")
        return 0
    cases = [load_case(c) for c in (selected_cases(args.cases) or case_dirs())]
    for case in cases:
        if case.skip:
            print(f"skip {case.path.relative_to(REPO)}: {case.skip}")
    jobs = [(c.path, r, a) for c in cases if not c.skip for r in c.roots
            for a in [(), *variants(c.path, r)]]
    stale = [p for c in cases if not c.skip for r in c.roots for p in stale_variants(c.path, r)]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import offline_aws  # a sibling module; imported here so tests can import this one cleanly

    with offline_aws.serving() as endpoint, ThreadPoolExecutor(max(1, args.jobs)) as pool:
        outcomes = list(pool.map(
            lambda job: generate(job[0], job[1], plugin_dir, endpoint, args.check, job[2]), jobs))
    for path in stale:
        if args.check:
            outcomes.append(Outcome(path, False, "stale variant (no longer asked for)"))
        else:
            path.unlink()
            outcomes.append(Outcome(path, True, "removed (no longer asked for)"))
    return report(outcomes)


if __name__ == "__main__":
    sys.exit(main())
