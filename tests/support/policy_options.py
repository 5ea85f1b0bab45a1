"""The policy options as fixtures' expected.yaml write them (`options:`, by the command line's
long names) turned into the `Policy` the scan takes."""

from __future__ import annotations

from analyzer.model import Policy

# expected.yaml `options:` keys that are policy options, and the Policy field each sets
POLICY_OPTIONS = {"require": "require", "min-pitr-days": "min_pitr_days",
                  "min-retention-days": "min_retention_days",
                  "require-copy-to-another-region": "copy_to_another_region",
                  "assume-region": "assume_region"}
OTHER_OPTIONS = {"unknown"}  # options of the engine, not of the judge


def policy_of(options: dict[str, object]) -> Policy:
    return Policy(**{POLICY_OPTIONS[k]: v for k, v in options.items()
                     if k in POLICY_OPTIONS})
