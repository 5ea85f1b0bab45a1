"""Running real Terraform offline for the plan fixtures (scripts/gen_plan_fixtures.py): the
environment, `init`/`workspace`/`plan`/`show -json` in a working folder, and the normalised JSON.

Offline means: providers from the local mirror (`-plugin-dir`), every AWS API call sent to the
stand-in `offline_aws`, registry modules from the stand-in `offline_registry`, mock keys and a
default Region, and nothing from the caller's TF_*/AWS_* settings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PLUGIN_DIR_TOOLS = ("tf-plugin-dir", "/work/shared/tools/tf-plugin-dir")
REGION = "us-east-1"  # the Region a provider gets when the fixture sets none
TIMEOUT = 600
INSTALLED_MODULES = Path(".terraform") / "modules" / "modules.json"


@dataclass(frozen=True)
class Outcome:
    target: Path  # the plan file written or checked
    ok: bool
    message: str


@dataclass(frozen=True)
class Offline:
    plugin_dir: Path  # the provider mirror
    aws: str  # base URL of offline_aws
    registry: str | None = None  # base URL of offline_registry, when it runs


class PlanError(Exception):
    pass


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


def terraform(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    run = subprocess.run(["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True,
                         text=True, errors="replace", check=False, timeout=TIMEOUT)
    if run.returncode != 0:
        raise PlanError(f"terraform {' '.join(args[:2])} failed:\n"
                        f"{(run.stderr or run.stdout).strip()}")
    return run.stdout


def plan_json(work: Path, tmp: Path, offline: Offline, plan_args: list[str],
              workspace: str | None = None) -> dict[str, object]:
    """`terraform init` (without downloading modules when the folder already holds installed
    ones, `.terraform/modules/modules.json`), `terraform workspace new` when a workspace is
    asked for, `terraform plan` with `plan_args`, and the plan as `terraform show -json` gives
    it. `tmp` holds the CLI configuration."""
    from offline_registry import cli_config_block  # a sibling module

    cli_config = tmp / "terraformrc"
    cli_config.write_text(cli_config_block(offline.registry) if offline.registry else "")
    env = terraform_env(cli_config, offline.aws)
    get = ["-get=false"] if (work / INSTALLED_MODULES).is_file() else []
    terraform(["init", f"-plugin-dir={offline.plugin_dir}", "-input=false", *get], work, env)
    if workspace:
        terraform(["workspace", "new", workspace], work, env)
    terraform(["plan", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin",
               *plan_args], work, env)
    data = json.loads(terraform(["show", "-json", "plan.bin"], work, env))
    if not isinstance(data, dict):
        raise PlanError("terraform show -json printed no object")
    return data


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


def write_or_check(target: Path, text: str, check: bool) -> Outcome:
    """Write `text` to `target` (or, with `check`, only compare)."""
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        return Outcome(target, current == text, "up to date" if current == text else "stale")
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return Outcome(target, True, "written")
    return Outcome(target, True, "unchanged")
