"""A tiny local Terraform module registry, so that `terraform init` installs registry modules
(`source = "terraform-aws-modules/dynamodb-table/aws"`) with no network.

It serves the folders `<modules>/<namespace>/<name>/<provider>/<version>/` (for the fixtures:
tests/fixtures/plan/.registry) through the two calls of the module registry protocol Terraform
makes: `GET .../<namespace>/<name>/<provider>/versions` and `.../<version>/download`. Each
version is committed to a git repository in a temporary folder, and the download answer's
`X-Terraform-Get` header is `git::file://` of it, so Terraform installs the module the way it
installs any remote package (it clones it into `.terraform/modules/`).

Terraform finds the registry through a `host "registry.terraform.io"` block in its CLI
configuration (`cli_config_block`); the server listens on 127.0.0.1 only. git must be on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

REGISTRY_HOST = "registry.terraform.io"  # the host a bare `namespace/name/provider` means
_PATH = re.compile(r"^/v1/modules/([\w.-]+)/([\w.-]+)/([\w.-]+)/(versions|([\w.+-]+)/download)$")
_GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "gen_plan_fixtures", "GIT_AUTHOR_EMAIL": "fixtures@invalid",
            "GIT_COMMITTER_NAME": "gen_plan_fixtures", "GIT_COMMITTER_EMAIL": "fixtures@invalid",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}


def available() -> bool:
    return shutil.which("git") is not None


def _git(args: list[str], cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **_GIT_ENV}, check=True,
                   capture_output=True, timeout=60)


def publish(modules: Path, work: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    """(namespace, name, provider) -> {version: package address}, one git repository per
    module version under `work`."""
    published: ClassVar[dict[tuple[str, str, str], dict[str, str]]] = {}
    for version_dir in sorted(modules.glob("*/*/*/*")):
        if not version_dir.is_dir():
            continue
        namespace, name, provider, version = version_dir.relative_to(modules).parts
        repo = work / f"{namespace}-{name}-{provider}-{version}"
        shutil.copytree(version_dir, repo)
        _git(["init", "-q"], repo)
        _git(["add", "-A"], repo)
        _git(["commit", "-q", "-m", f"{namespace}/{name}/{provider} {version}"], repo)
        _git(["tag", f"v{version}"], repo)
        published.setdefault((namespace, name, provider), {})[version] = (
            f"git::file://{repo.as_posix()}?ref=v{version}")
    return published


class _Handler(BaseHTTPRequestHandler):
    published: ClassVar[dict[tuple[str, str, str], dict[str, str]]] = {}

    def do_GET(self) -> None:
        match = _PATH.match(self.path.split("?", 1)[0])
        versions = self.published.get(match.group(1, 2, 3), {}) if match else {}
        if not match or not versions:
            return self._send(404, {"errors": ["offline_registry: no such module"]})
        if match.group(4) == "versions":
            listed = [{"version": v} for v in sorted(versions)]
            return self._send(200, {"modules": [{"versions": listed}]})
        address = versions.get(match.group(5))
        if address is None:
            return self._send(404, {"errors": ["offline_registry: no such version"]})
        self.send_response(204)
        self.send_header("X-Terraform-Get", address)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: terraform init names a module it could not install."""


def cli_config_block(url: str) -> str:
    """The CLI configuration that sends Terraform's module registry look-ups to `url`."""
    return (f'host "{REGISTRY_HOST}" {{\n  services = {{\n'
            f'    "modules.v1" = "{url}/v1/modules/"\n  }}\n}}\n')


@contextmanager
def serving(modules: Path, work: Path) -> Iterator[str]:
    """Serve the modules under `modules` (git repositories made under `work`) on a free local
    port for the duration; yields the base URL."""
    from offline_aws import serve  # a sibling script

    handler = type("Handler", (_Handler,), {"published": publish(modules, work)})
    with serve(handler) as url:
        yield url
