"""Our built-in functions against Terraform's: every case of data/function_cases.txt gives
what `terraform console` printed for it (data/function_oracle.json, made by
scripts/gen_function_oracle.py), or, where the case is marked `# unknown:`, an unknown value."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from analyzer.hcl import numbers
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.file_functions import FILE_ACCESS
from analyzer.hcl.numbers import Real
from analyzer.hcl.parse import parse_hcl
from analyzer.hcl.values import Undecided, concrete
from analyzer.model import Unknown
from analyzer.terraform.file_access import RepositoryFiles

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("gen_function_oracle",
                                                  ROOT / "scripts" / "gen_function_oracle.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


CASES = _script().read_cases()
ORACLE = {case["expr"]: case["terraform"]
          for case in json.loads((DATA / "function_oracle.json").read_text(encoding="utf-8"))}


def _scope() -> dict[str, object]:
    body = parse_hcl((DATA / "oracle_locals.hcl").read_text(encoding="utf-8"))
    locals_ = {name: evaluate(attribute.expr, {})
               for block in body.blocks if block.type == "locals"
               for name, attribute in block.body.attributes.items()}
    return {"local": locals_, FILE_ACCESS: RepositoryFiles(DATA / "oracle_files")}


def ours(expr: str) -> object:
    wrapped = f"try({{v = {expr}}}, {{e = true}})"
    value = evaluate(parse_hcl(f"x = {wrapped}\n").attributes["x"].expr, _scope())
    try:
        return _as_json(concrete(value))
    except Undecided as undecided:
        return undecided.unknown


def _as_json(value: object) -> object:
    """What the oracle's JSON holds: a 512-bit number as the float nearest to it (the digits
    themselves are compared by the cases that print them, `"${1/3}"`)."""
    if isinstance(value, Real):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 512:
        return int(numbers.text(value))  # rounded to 512 bits: JSON holds its shortest digits
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    return value


def test_every_decided_case_has_terraforms_answer() -> None:
    missing = [expr for expr, unknown in CASES if unknown is None and expr not in ORACLE]
    assert not missing, f"run scripts/gen_function_oracle.py: {missing}"


@pytest.mark.parametrize(("expr", "unknown"), CASES, ids=[expr for expr, _ in CASES])
def test_function_agrees_with_terraform(expr: str, unknown: str | None) -> None:
    got = ours(expr)
    if unknown is not None:
        assert isinstance(got, Unknown), f"{expr}: expected unknown ({unknown}), got {got!r}"
        return
    expected = ORACLE[expr]
    if expected == {"fails": True}:
        pytest.fail(f"{expr}: Terraform's answer could not be recorded")
    assert got == expected, f"{expr}: Terraform says {expected!r}, we say {got!r}"
