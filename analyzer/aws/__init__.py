"""The coverage engine: which tables AWS Backup selections and PITR protect, three-valued."""

from analyzer.aws.coverage import judge
from analyzer.aws.warnings import selection_warnings

__all__ = ["judge", "selection_warnings"]
