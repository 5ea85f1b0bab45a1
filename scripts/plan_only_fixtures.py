"""Plan-only fixtures (tests/fixtures/plan/<case>/): what HCL mode cannot decide and only a real
plan shows (registry modules that `terraform init` installs, variables given with `-var`,
workspaces). scripts/gen_plan_fixtures.py makes their plans; this module says what to make.

A case folder holds its `expected.yaml`, the committed plan JSON files, and the Terraform
configuration that produced them in the hidden folder `.config/` (hidden, so discovery never
reads it as code: the case is judged from its plans alone). Its `expected.yaml` lists the plans:

    plan:
      plans:
        - file: tfplan.json                       # where the JSON goes, relative to the case
        - file: plans/dev.json
          workspace: dev                          # `terraform workspace new dev` first
        - file: plans/backups-on.json
          vars: {backups_enabled: true}           # `-var backups_enabled=true`

Registry modules come from tests/fixtures/plan/.registry, served by `offline_registry`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from plan_terraform import Offline, Outcome, PlanError, normalise, plan_json, write_or_check

REPO = Path(__file__).resolve().parent.parent
PLAN_FIXTURES = REPO / "tests" / "fixtures" / "plan"
REGISTRY = PLAN_FIXTURES / ".registry"  # <namespace>/<name>/<provider>/<version>/
CONFIG_DIR = ".config"


@dataclass(frozen=True)
class PlanSpec:
    case: Path
    file: str  # relative to the case folder
    workspace: str | None
    variables: tuple[tuple[str, str], ...]  # (name, value as given to -var)

    @property
    def target(self) -> Path:
        return self.case / self.file


def case_dirs(base: Path = PLAN_FIXTURES) -> list[Path]:
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))


def _text(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def plan_specs(case: Path) -> list[PlanSpec]:
    """The plans a case's expected.yaml asks for (`plan: {plans: [...]}`)."""
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    setting = data.get("plan") if isinstance(data, dict) else None
    items = setting.get("plans") if isinstance(setting, dict) else None
    specs = []
    for item in items or []:
        variables = item.get("vars") or {}
        specs.append(PlanSpec(case, str(item["file"]), item.get("workspace"),
                              tuple(sorted((str(k), _text(v)) for k, v in variables.items()))))
    return specs


def committed_plans(case: Path) -> list[Path]:
    """The plan JSON files a case holds (outside hidden folders)."""
    return sorted(p for p in case.rglob("*.json")
                  if not any(part.startswith(".") for part in p.relative_to(case).parts))


def plan_text(spec: PlanSpec, offline: Offline) -> str:
    """The normalised plan JSON of one spec, planned in a temporary copy of `.config/`."""
    config = spec.case / CONFIG_DIR
    if not config.is_dir():
        raise PlanError(f"{config} is missing: the configuration the plans are made from")
    with tempfile.TemporaryDirectory(prefix="gen-plan-") as tmp:
        work = Path(tmp) / spec.case.name
        shutil.copytree(config, work, symlinks=True)
        args = [f"-var={name}={value}" for name, value in spec.variables]
        return normalise(plan_json(work, Path(tmp), offline, args, spec.workspace), work)


def generate(spec: PlanSpec, offline: Offline, check: bool) -> Outcome:
    try:
        text = plan_text(spec, offline)
    except (PlanError, OSError, ValueError) as exc:
        return Outcome(spec.target, False, str(exc))
    return write_or_check(spec.target, text, check)


def stale_plans(case: Path) -> list[Path]:
    """Committed plan files of a case that its expected.yaml no longer asks for."""
    wanted = {spec.target for spec in plan_specs(case)}
    return [p for p in committed_plans(case) if p not in wanted]


@contextmanager
def registry() -> Iterator[str | None]:
    """The stand-in module registry for the duration (None where git is missing)."""
    import offline_registry  # a sibling module

    if not offline_registry.available() or not REGISTRY.is_dir():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="gen-plan-registry-") as work, \
            offline_registry.serving(REGISTRY, Path(work)) as url:
        yield url
