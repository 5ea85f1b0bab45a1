"""A syntax error is reported where the offending token starts, not where the blanks and line
breaks before it begin (Lark's tokens carry them: `name =⏎}` is an error at the `}`)."""

from __future__ import annotations

import pytest

from analyzer.hcl.parse import HclSyntaxError, parse_hcl


@pytest.mark.parametrize(("text", "line", "col", "what"), [
    ('resource "a" "b" {\n  name =\n}\n', 3, 1, "'}'"),
    ("locals {\n  a = 1 +\n\n\n    }\n", 5, 5, "'}'"),
    ("locals {\n  a == 1\n}\n", 2, 5, "'=='"),
    ("locals {\n  a = [1,, 2]\n}\n", 2, 10, "unexpected ',"),
])
def test_the_error_is_at_the_token(text: str, line: int, col: int, what: str) -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_hcl(text)
    assert (caught.value.line, caught.value.col) == (line, col), caught.value.message
    assert what in caught.value.message
