"""`located`: a path relative to the scan root, printed from the working directory."""

from __future__ import annotations

from analyzer.report import located


def test_a_file_outside_the_root_is_normalised() -> None:
    # an exchange file or the configuration next to the scanned directory
    assert located("infra", "../selections.json") == "selections.json"
    assert located("/repo/infra", "../pyproject.toml") == "/repo/pyproject.toml"
    assert located("", "../selections.json") == "../selections.json"
    assert located("infra", "tables/main.tf") == "infra/tables/main.tf"


def test_an_external_unit_is_no_path() -> None:
    unit = "//../selections.json//backup-repo"
    assert located("infra", unit) == unit
