"""iac-ddb-lint as a cfn-lint plugin:

    cfn-lint template.yaml --append-rules analyzer.cfnlint_plugin


Two rules (cfn-lint rule ids must start with E, W or I; the 9xxx range is left to custom rules):

- E9901: a DynamoDB table (or replica) that neither PITR nor any AWS Backup selection in the
  template protects (iac-ddb-lint DDB001);
- W9902: a table whose protection the template does not decide statically (DDB002).

Each template is judged by iac-ddb-lint's own pipeline from the file on disk (so SAM templates
are read before cfn-lint's transform, conditions are enumerated, local nested stacks followed
and `iac-ddb-lint:ignore` suppressions honoured). Only cfn-lint imports this module; iac-ddb-lint
itself never does, so cfn-lint stays off its start-up path. cfn-lint and iac-ddb-lint must be
installed in the same Python environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from analyzer import PROJECT_URL

_SOURCE = f"{PROJECT_URL}#rules" if PROJECT_URL else ""  # no address published: no link


@lru_cache(maxsize=32)
def _findings(filename: str, mtime: float) -> tuple[tuple[str, str, str], ...]:
    """(rule id, logical id, message) for the unsuppressed findings located in this file."""
    from analyzer.catalog import load_rules
    from analyzer.engine import evaluate
    from analyzer.pipeline import scan

    path = Path(filename).resolve()
    result = scan([str(path)])
    own = path.relative_to(result.root).as_posix() if path.is_relative_to(result.root) else ""
    return tuple(
        (f.rule_id, f.resource, f.message)
        for f in evaluate(result, load_rules())
        if not f.suppressed and f.location.file == own and "/" not in f.resource
    )


class _Reports:
    """Shared match(): one iac-ddb-lint rule's findings under the cfn-lint rule's id. A mixin,
    not a CloudFormationLintRule subclass, so that cfn-lint does not load it as a rule."""

    ours = ""

    def match(self, cfn: object) -> list[RuleMatch]:
        filename = getattr(cfn, "filename", None)
        if not filename or not Path(filename).is_file():
            return []  # a template from stdin: iac-ddb-lint reads files
        found = _findings(str(filename), Path(filename).stat().st_mtime)
        return [
            RuleMatch(["Resources", resource], f"{resource}: {message}")
            for rule_id, resource, message in found
            if rule_id == self.ours
        ]


class DynamoDBTableNotProtected(_Reports, CloudFormationLintRule):
    """A DynamoDB table is protected neither by PITR nor by an AWS Backup selection."""

    id = "E9901"
    ours = "DDB001"
    tags = ["dynamodb", "backup", "iac-ddb-lint"]  # noqa: RUF012 - cfn-lint's attribute
    source_url = _SOURCE
    shortdesc = "DynamoDB table without backup (iac-ddb-lint DDB001)"
    description = (
        "Every DynamoDB table (and every replica of a global table) must have point-in-time "
        "recovery enabled or be selected by an AWS Backup plan in the template"
    )


class DynamoDBTableProtectionUnknown(_Reports, CloudFormationLintRule):
    """The template does not decide statically whether a table is protected."""

    id = "W9902"
    ours = "DDB002"
    tags = ["dynamodb", "backup", "iac-ddb-lint"]  # noqa: RUF012 - cfn-lint's attribute
    source_url = _SOURCE
    shortdesc = "DynamoDB table protection unknown (iac-ddb-lint DDB002)"
    description = (
        "Whether a DynamoDB table is protected by PITR or AWS Backup depends on values the "
        "template does not decide statically (the message says which)"
    )
