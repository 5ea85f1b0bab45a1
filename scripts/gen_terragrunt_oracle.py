"""Plan a Terragrunt fixture's module as Terragrunt would run it, with real Terraform, for the
oracle plans of tests/fixtures/terragrunt/<case>/.oracle/plan.json.

Terragrunt is not available here, so this does by hand what its documentation says it does: copy
the module folder the unit's `terraform { source }` names into a working directory, copy the
unit's own files over it (not terragrunt.hcl), and run Terraform there with every input as a
`TF_VAR_` environment variable (a string as it is, anything else as JSON). The case's
expected.yaml lists these, written by hand, so the oracle does not depend on the analyzer:

    oracle:
      module: modules/flags       # the module folder, relative to the case
      unit: unit                  # the unit folder whose files are copied over it
      env: {TF_VAR_flag: "true"}  # what Terragrunt sets for the unit's inputs

    python scripts/gen_terragrunt_oracle.py [case ...] [--check]

A provider block (offline settings come from the environment, as for gen_plan_fixtures) is added
when the module declares none. tests/terragrunt/test_oracle.py compares the analyzer's verdicts
for the unit with those of the plan.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_terraform import (
    PlanError,
    find_plugin_dir,
    normalise,
    terraform,
    terraform_env,
    write_or_check,
)

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "fixtures" / "terragrunt"
ORACLE = Path(".oracle") / "plan.json"


def oracle_setting(case: Path) -> dict[str, object] | None:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    setting = data.get("oracle") if isinstance(data, dict) else None
    return setting if isinstance(setting, dict) else None


def plan_case(case: Path, endpoint: str, plugin_dir: Path, check: bool) -> bool:
    setting = oracle_setting(case)
    assert setting is not None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(case / str(setting["module"]), work)
        for path in sorted((case / str(setting["unit"])).iterdir()):
            if path.is_file() and path.name != "terragrunt.hcl":
                shutil.copy(path, work / path.name)
        if "provider" not in "".join(p.read_text() for p in work.glob("*.tf")):
            (work / "zz_oracle_provider.tf").write_text('provider "aws" {}\n')
        (Path(tmp) / "terraformrc").write_text("")
        env = terraform_env(Path(tmp) / "terraformrc", endpoint)
        env.update({str(k): str(v) for k, v in dict(setting.get("env") or {}).items()})
        try:
            terraform(["init", f"-plugin-dir={plugin_dir}", "-input=false"], work, env)
            terraform(["plan", "-input=false", "-refresh=false", "-lock=false",
                       "-out=plan.bin"], work, env)
            plan = json.loads(terraform(["show", "-json", "plan.bin"], work, env))
        except PlanError as error:
            print(f"FAIL {case.name}: {error}")
            return False
        outcome = write_or_check(case / ORACLE, normalise(plan, work), check)
    print(f"{'ok  ' if outcome.ok else 'FAIL'} {case.name}: {outcome.message}")
    return outcome.ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    plugin_dir = find_plugin_dir()
    if shutil.which("terraform") is None or plugin_dir is None:
        print("terraform or the offline provider mirror is missing: skipped")
        return 0
    cases = [CASES / c for c in args.cases] if args.cases else sorted(
        c for c in CASES.iterdir() if c.is_dir() and oracle_setting(c) is not None)
    import offline_aws

    with offline_aws.serving() as endpoint:
        results = [plan_case(case, endpoint, plugin_dir, args.check) for case in cases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
