"""The exchange file's JSON reader: every value's position, and a hostile file refused at the
offending position (never a RecursionError, never a silently chosen duplicate)."""

from __future__ import annotations

import pytest

from analyzer.external.positioned_json import MAX_DEPTH, JsonError, parse


def test_every_value_has_its_line_and_column() -> None:
    doc = parse('{"a": [1, {"b": "x"}],\n  "c": null}')
    assert doc.value == {"a": [1, {"b": "x"}], "c": None}
    assert doc.at(("a", 1, "b")) == (1, 17)
    assert doc.at(("c",)) == (2, 8)
    assert doc.at(("c", "missing", 3)) == (2, 8)  # the nearest enclosing value


@pytest.mark.parametrize(("text", "line", "col", "says"), [
    ('{"a": 1, "a": 2}', 1, 10, 'key "a" is given twice'),
    ("[1,\n 2,, 3]", 2, 4, "Expecting value"),
    ('{"a": NaN}', 1, 7, "NaN is not a JSON value"),
    ('{"a": -Infinity}', 1, 7, "not a JSON value"),
    ("", 1, 1, "end of the file"),
    ('{"a" 1}', 1, 6, "expected ':'"),
    ('"x" y', 1, 5, "extra data"),
    ("[1 2]", 1, 4, "expected ',' or ']'"),
    ("{'a': 1}", 1, 2, "double quotes"),
    ('["\\u12"]', 1, 4, "escape"),
])
def test_invalid_json_names_its_position(text: str, line: int, col: int, says: str) -> None:
    with pytest.raises(JsonError) as caught:
        parse(text)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert says in caught.value.message


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(JsonError) as caught:
        parse("[" * 100_000)
    assert f"more than {MAX_DEPTH}" in caught.value.message
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH).value is not None


def test_a_large_flat_file_parses_in_linear_time() -> None:
    items = ",\n".join(f'{{"k{i}": "v"}}' for i in range(50_000))
    doc = parse(f"[{items}]")
    assert doc.at((49_999,)) == (50_000, 1)
