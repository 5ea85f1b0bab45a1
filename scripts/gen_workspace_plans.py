"""Plan the workspace fixtures: for each case under tests/fixtures/terraform_inputs whose
expected.yaml lists `workspaces: [...]`, one real `terraform plan` per workspace (a new
workspace in a temporary copy, offline like scripts/gen_plan_fixtures.py, whose functions this
reuses), written to `<case>/.plans/<workspace>.json` (hidden: discovery never reads it).

    python scripts/gen_workspace_plans.py            # every such case
    python scripts/gen_workspace_plans.py --check    # fail if a committed plan is stale

Where Terraform or the provider mirror is missing it says so and exits 0. A test-data tool: the
analyzer never runs it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_plan_fixtures as gen  # a sibling script

CASES = gen.REPO / "tests" / "fixtures" / "terraform_inputs"


def workspaces(case: Path) -> list[str]:
    expected = case / "expected.yaml"
    data = yaml.safe_load(expected.read_text(encoding="utf-8")) if expected.is_file() else None
    return [str(w) for w in data.get("workspaces", [])] if isinstance(data, dict) else []


def plan_file(case: Path, workspace: str) -> Path:
    return case / gen.VARIANTS_DIR / f"{workspace}.json"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    if shutil.which("terraform") is None or (plugin_dir := gen.find_plugin_dir()) is None:
        print("terraform or the offline provider mirror is missing: plans not regenerated")
        return 0
    import offline_aws

    outcomes = []
    with offline_aws.serving() as endpoint:
        for case in gen.case_dirs(CASES):
            for workspace in workspaces(case):
                target = plan_file(case, workspace)
                text = gen.plan_root(case, case, gen.Offline(plugin_dir, endpoint),
                                      workspace=workspace)
                current = target.read_text(encoding="utf-8") if target.is_file() else None
                if not check and current != text:
                    target.parent.mkdir(exist_ok=True)
                    target.write_text(text, encoding="utf-8")
                ok = current == text or not check
                outcomes.append(gen.Outcome(target, ok, "up to date" if current == text
                                            else "stale" if check else "written"))
    return gen.report(outcomes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
