"""The rule catalog: one YAML file per rule, read from data, never imported as code.

The YAML files in `rules/` are the source (an installed wheel also carries them as
`analyzer/_rules`, hatchling force-include). A run reads the same mappings from `rules.json`
beside this module, written from them by `scripts/gen_rules_data.py`: importing a YAML parser
costs a small run more than its evaluation (issue 13, start-up), and JSON's is loaded anyway.
`tests/test_rules_data.py` fails until the JSON is fresh. Both are checked by the same code.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

# The ids the code raises findings under (each has its file in rules/).
UNPROTECTED_RULE = "DDB001"
UNKNOWN_RULE = "DDB002"
NO_REASON_RULE = "DDB003"
SELECTION_RULE = "DDB004"
NOT_ANALYSED_RULE = "DDB005"  # a remote Terraform module not analysed
NESTED_RULE = "DDB006"  # a nested stack not analysed
PITR_DAYS_RULE = "DDB007"  # policy: min-pitr-days
RETENTION_RULE = "DDB008"  # policy: min-retention-days
COPY_RULE = "DDB009"  # policy: require-copy-to-another-region
POLICY_RULES = (PITR_DAYS_RULE, RETENTION_RULE, COPY_RULE)

SEVERITIES = ("error", "warning")
FIX_FORMATS = ("terraform", "cloudformation")
_FILE_NAME = re.compile(r"^(DDB\d{3})-([a-z0-9][a-z0-9-]*)\.yaml$")


class RuleFileError(ValueError):
    """A rule file that is missing, malformed or inconsistent: a packaging bug, not user input."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str  # "error" | "warning"
    summary: str
    short_fix: str  # one line, under each finding in every report
    why: str
    fix_terraform: str
    fix_cloudformation: str
    path: str  # the file it was read from, for error messages

    @property
    def docs_link(self) -> str:
        """Where the rule is documented: its anchor in the README's Rules section (relative
        while the project has no public URL)."""
        return f"README.md#{self.id.lower()}"


def rules_dir() -> Path:
    """Where the rule files are: the installed copy, else the checkout's `rules/`."""
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    if installed.is_dir():
        return installed
    return here.parent / "rules"


# The rules' mappings as JSON, keyed by their YAML file's name (rules_document writes it).
RULES_DATA = Path(__file__).with_name("rules.json")


def load_rules() -> list[Rule]:
    """Every rule, sorted by id. Raises RuleFileError naming the file and the problem."""
    return list(_load_data(str(RULES_DATA)))


def rules_document(directory: Path) -> str:
    """The text of `rules.json` for the YAML rule files of `directory` (checked as a run
    checks them, with the YAML file named in an error): each file's mapping under its name."""
    mappings = _yaml_mappings(directory)
    _checked([_load_file(name, data, str(directory / name)) for name, data in mappings.items()])
    return json.dumps({"format": 1, "rules": mappings}, indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"


def rules_by_id(rules: list[Rule]) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


@functools.lru_cache(maxsize=4)
def _load_dir(directory: str) -> tuple[Rule, ...]:
    root = Path(directory)
    return _checked([_load_file(name, data, str(root / name))
                     for name, data in _yaml_mappings(root).items()])


def _yaml_mappings(root: Path) -> dict[str, object]:
    """Each rule file's data under its name, in name order."""
    if not root.is_dir():
        raise RuleFileError(f"{root}: rule directory not found (is the package installed?)")
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise RuleFileError(f"{root}: no rule files (*.yaml)")
    return {path.name: _read_yaml(path) for path in files}


@functools.lru_cache(maxsize=4)
def _load_data(path: str) -> tuple[Rule, ...]:
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RuleFileError(f"{path}: cannot read (is the package installed?): {exc}") from exc
    if not isinstance(document, dict):
        document = {}
    mappings = document.get("rules")
    if document.get("format") != 1 or not isinstance(mappings, dict) or not mappings:
        raise RuleFileError(f"{path}: not a rule document (run scripts/gen_rules_data.py)")
    return _checked([_load_file(name, data, f"{path}: {name}")
                     for name, data in sorted(mappings.items())])


def _checked(rules: list[Rule]) -> tuple[Rule, ...]:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleFileError(f"{rule.path}: duplicate rule id {rule.id} (also {seen[rule.id]})")
        seen[rule.id] = rule.path
    return tuple(sorted(rules, key=lambda rule: rule.id))


def _load_file(file_name: str, data: object, where: str) -> Rule:
    match = _FILE_NAME.match(file_name)
    if match is None:
        raise RuleFileError(f"{where}: file name must look like DDB001-some-name.yaml")
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: expected a mapping at the top level")
    rule = _rule_from(data, where)
    if rule.id != match.group(1):
        raise RuleFileError(f"{where}: id {rule.id!r} does not match the file name")
    if rule.name != match.group(2):
        raise RuleFileError(f"{where}: name {rule.name!r} does not match the file name")
    return rule


def _read_yaml(path: Path) -> object:
    """A rule file's data. Rules are read from the package on every run, never from a writable
    cache (a cached copy edited to make DDB001 a warning would let unprotected tables pass)."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where present
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleFileError(f"{path}: cannot read: {exc}") from exc


def _rule_from(data: dict[str, object], where: str) -> Rule:
    docs = _mapping(data, "docs", where)
    fix = _mapping(docs, "fix", f"{where}: docs")
    severity = _text(data, "severity", where)
    if severity not in SEVERITIES:
        raise RuleFileError(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    summary = _text(data, "summary", where)
    if "\n" in summary.strip():
        raise RuleFileError(f"{where}: summary must be one line")
    short_fix = _text(data, "short_fix", where)
    if "\n" in short_fix.strip():
        raise RuleFileError(f"{where}: short_fix must be one line")
    return Rule(
        id=_text(data, "id", where),
        name=_text(data, "name", where),
        severity=severity,
        summary=summary.strip(),
        short_fix=short_fix.strip(),
        why=_text(docs, "why", f"{where}: docs").strip(),
        fix_terraform=_text(fix, "terraform", f"{where}: docs.fix"),
        fix_cloudformation=_text(fix, "cloudformation", f"{where}: docs.fix"),
        path=where,
    )


def _mapping(data: dict[str, object], key: str, where: str) -> dict[str, object]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise RuleFileError(f"{where}: missing mapping {key!r}")
    return value


def _text(data: dict[str, object], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{where}: missing or empty text {key!r}")
    return value
