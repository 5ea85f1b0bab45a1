"""What the configuration a plan was made from says where the plan knows a value only after
apply: analyzer.hybrid evaluates the HCL with the plan's variable values and hands the plan
loader an `HclView`. Each lookup takes a planned instance's address and answers with the HCL
record, or why the configuration does not decide it; the records' references name resources the
plan plans and the references the plan lists (hybrid/join.py checks both). The plan loader
still checks what it can against the plan itself, and keeps its own reading when the two differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analyzer.model import BackupSelection, Unknown
from analyzer.provider.dynamodb_tags import TagTarget


@dataclass(frozen=True)
class HclView:
    # a backup selection's record (plan/backup.py: its fields known only after apply)
    selection: Callable[[str], BackupSelection | Unknown]
    # what an `aws_dynamodb_tag`'s `resource_arn` is (plan/tag_resources.py)
    tag_target: Callable[[str], TagTarget | Unknown]
