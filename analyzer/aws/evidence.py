"""Evidence for a verdict: the PITR setting, the selections, and their deterministic order."""

from __future__ import annotations

from analyzer.aws.arn_atoms import resource_type
from analyzer.aws.outcome import Res
from analyzer.model import Evidence, Table, Tri, Unknown

_PITR_BLOCK = {
    True: "no point_in_time_recovery block",
    False: "no PointInTimeRecoverySpecification",
}


def _is_terraform(address: str) -> bool:
    # Terraform addresses are dotted (`aws_dynamodb_table.x`); CloudFormation logical IDs are not.
    return "." in address.split("[", 1)[0]


def pitr_evidence(table: Table) -> Evidence:
    pitr = table.pitr
    location = pitr.location or table.location
    if isinstance(pitr.enabled, Unknown):
        applies, message = Tri.UNKNOWN, f"point-in-time recovery is unknown: {pitr.enabled.reason}"
    elif pitr.enabled:
        applies, message = Tri.YES, "point-in-time recovery is enabled"
    elif pitr.location is None:
        why = _unset_reason(table)
        applies, message = Tri.NO, f"point-in-time recovery is not enabled ({why})"
    else:
        applies, message = Tri.NO, "point-in-time recovery is disabled"
    return Evidence("pitr", applies, message, table.address, location)


def _unset_reason(table: Table) -> str:
    if table.replica_region is not None and _is_terraform(table.address):
        # The table's own point_in_time_recovery block does not reach its replicas.
        return "the replica block sets no point_in_time_recovery; it defaults to false"
    if resource_type(table.address) == "aws_dynamodb_table_replica":
        return "no point_in_time_recovery argument; it defaults to false"
    return _PITR_BLOCK[_is_terraform(table.address)]


def no_selection_evidence(table: Table, considered: int) -> Evidence:
    message = "no AWS Backup selection selects it"
    if considered:
        plural = "selection" if considered == 1 else "selections"
        message += f" ({considered} {plural} considered)"
    return Evidence("backup_selection", Tri.NO, message, table.address, None, summary=True)


def explain(head: str, res: Res) -> str:
    """`head`, then why it is unknown, then the assumptions it rests on."""
    text = head
    if res.tri is Tri.UNKNOWN and res.reasons:
        text += ": " + "; ".join(res.reasons)
    if res.notes:
        text += "; " + "; ".join(res.notes)
    return text


def order_key(evidence: Evidence) -> tuple[int, str, int, str, str]:
    """PITR first, then by file, line and source; evidence without a place last."""
    loc = evidence.location
    rank = 0 if evidence.kind == "pitr" else (1 if loc else 2)
    return (
        rank,
        loc.file if loc else "",
        loc.line if loc else 0,
        evidence.source,
        evidence.message,
    )
