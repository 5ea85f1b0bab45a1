"""Unknown inputs to the functions added for issue 12 stay unknown (or partly known, where a
reference keeps its identity); they never become a guessed value."""

from __future__ import annotations

import pytest

from analyzer.hcl.expressions import evaluate
from analyzer.hcl.file_functions import FILE_ACCESS
from analyzer.hcl.parse import parse_hcl
from analyzer.model import Partial, PartialMap, Ref, Unknown

REGION = Unknown("var.region has no default")
TABLE = Ref("aws_dynamodb_table.x", "name")


class NoFiles:
    """A FileAccess that must not be asked: an unknown path never reaches it."""

    def read(self, path: str) -> bytes:
        raise AssertionError(path)

    exists = glob = read


SCOPE = {"var": {"region": REGION, "names": ["a", "b"], "partial": PartialMap({}, REGION)},
         "aws_dynamodb_table": {"x": {"name": TABLE}}, FILE_ACCESS: NoFiles()}


def ev(expr: str) -> object:
    return evaluate(parse_hcl(f"x = {expr}\n").attributes["x"].expr, SCOPE)


@pytest.mark.parametrize("expr", [
    "setproduct(var.region, [1])",
    'formatlist("%s", var.region)',
    'cidrsubnet(var.region, 4, 1)',
    'cidrhost("10.0.0.0/8", var.region)',
    "yamldecode(var.region)",
    "csvdecode(var.region)",
    "base64encode(var.region)",
    "sha256(var.region)",
    "transpose(var.region)",
    "indent(var.region, \"a\")",
    "log(var.region, 2)",
    "uuidv5(\"dns\", var.region)",
    "basename(var.region)",
    'file("${var.region}.json")',
    "fileexists(var.region)",
    'fileset(var.region, "*")',
    'templatefile(var.region, {})',
    'templatefile("t.tftpl", var.partial)',
    "textencodebase64(var.region, \"UTF-8\")",
    "yamlencode({a = var.region})",
])
def test_an_unknown_argument_gives_an_unknown_result(expr: str) -> None:
    assert isinstance(ev(expr), Unknown), expr


def test_references_keep_their_identity_through_formatlist_and_setproduct() -> None:
    names = '[aws_dynamodb_table.x.name, "b"]'
    [first, second] = ev(f'formatlist("arn:aws:dynamodb:*:*:table/%s", {names})')
    assert isinstance(first, Partial) and TABLE in first.parts
    assert second == "arn:aws:dynamodb:*:*:table/b"
    assert ev("setproduct([aws_dynamodb_table.x.name], var.names)") == [[TABLE, "a"], [TABLE, "b"]]
