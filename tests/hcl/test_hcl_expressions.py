"""Tests for the Terraform expression evaluator (analyzer.hcl.expressions)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import pytest

from analyzer.hcl.expressions import EvalScope, evaluate
from analyzer.hcl.numbers import Real
from analyzer.hcl.parse import parse_hcl
from analyzer.hcl.syntax_tree import Token, Tree
from analyzer.model import Partial, PartialMap, Ref, Unknown


class LazyMap(Mapping[str, object]):
    """A loader-style lazy mapping: values are computed on access, and accesses are recorded."""

    def __init__(self, factories: dict[str, Callable[[], object]]) -> None:
        self._factories = factories
        self.forced: list[str] = []

    def __getitem__(self, key: str) -> object:
        factory = self._factories[key]  # KeyError for absent keys, like the loader's
        self.forced.append(key)
        return factory()

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)


def _must_not_force() -> object:
    raise AssertionError("this value must not be computed")


TABLE_ARN = Ref("aws_dynamodb_table.x", "arn")
TABLE_NAME = Ref("aws_dynamodb_table.x", "name", "orders")
REGION = Unknown("var.region has no default")
ACCOUNT = Unknown("var.account has no default")


def make_scope() -> dict[str, object]:
    table = LazyMap({"arn": lambda: TABLE_ARN, "name": lambda: TABLE_NAME})
    return {
        "var": {
            "region": REGION,
            "account": ACCOUNT,
            "env": "prod",
            "names": ["b", "a", "b"],
            "tags": {"team": "core", "app": "shop"},
            "nested": {"list": [{"id": 1}, {"id": 2}]},
            "empty": None,
            "partial": PartialMap({"k": "v"}, Unknown("more keys from var.extra")),
        },
        "local": LazyMap({"ok": lambda: 1, "boom": _must_not_force}),
        "aws_dynamodb_table": LazyMap({"x": lambda: table}),
    }


def ev(expr: str, scope: Mapping[str, object] | None = None) -> object:
    body = parse_hcl(f"x = {expr}\n")
    return evaluate(body.attributes["x"].expr, make_scope() if scope is None else scope)


def reason(value: object) -> str:
    assert isinstance(value, Unknown), f"expected Unknown, got {value!r}"
    return value.reason


# Literals and collections ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("42", 42),
        ("1.5", 1.5),
        ("1.0", 1),
        ("1e3", 1000),
        ("-7", -7),
        ('"a\\tb\\"c\\u00e9"', 'a\tb"c\u00e9'),
        ('"$${not} %%{this}"', "${not} %{this}"),
        ("true", True),
        ("false", False),
        ("null", None),
        ('[1, "a", [true]]', [1, "a", [True]]),
        ("[]", []),
        ('{a = 1, "b" : 2, for = 3}', {"a": 1, "b": 2, "for": 3}),
        ('{(var.env) = 1, "${var.env}-x" = 2}', {"prod": 1, "prod-x": 2}),
        ("{\n  a = 1\n  b = [\n    2,\n  ]\n}", {"a": 1, "b": [2]}),
        ("{a = 1, a = 2}", {"a": 2}),
    ],
)
def test_literals_and_collections(expr: str, expected: object) -> None:
    assert ev(expr) == expected


def test_object_with_unknown_key_is_partial_map() -> None:
    value = ev("{a = 1, (var.region) = 2, b = 3}")
    assert isinstance(value, PartialMap)
    assert value.known["b"] == 3
    assert "may be overridden" in reason(value.known["a"])
    assert "var.region has no default" in value.more.reason


def test_heredocs() -> None:
    assert ev("<<EOT\nline one\n  line two\nEOT") == "line one\n  line two\n"
    assert ev("<<-EOT\n    a\n      b\n  EOT") == "a\n  b\n"
    assert ev("<<EOT\nEOT") == ""
    assert ev("<<EOT\n$${x} \\n\nEOT") == "${x} \\n\n"  # no escapes in heredocs
    assert ev("<<EOT\nenv=${var.env} n=${length(var.names)}\nEOT") == "env=prod n=3\n"
    text = "<<-EOT\n  %{ for k, v in var.tags ~}\n  ${k}=${v}\n  %{ endfor ~}\n  EOT"
    assert ev(text) == "app=shop\nteam=core\n"
    assert ev('<<EOT\n%{ if var.env == "prod" }P%{ else }D%{ endif }\nEOT') == "P\n"
    assert ev('<<EOT\n${ {a = "}"}["a"] }\nEOT') == "}\n"


def test_heredoc_with_reference_is_partial() -> None:
    value = ev("<<EOT\narn=${aws_dynamodb_table.x.arn}\nEOT")
    assert value == Partial(("arn=", TABLE_ARN, "\n"))


# Templates ---------------------------------------------------------------------------------


def test_template_converts_scalars_like_terraform() -> None:
    assert ev('"${true}-${1}-${1.5}-${2.0}-${var.env}"') == "true-1-1.5-2-prod"


def test_template_with_ref_and_unknown_is_partial() -> None:
    value = ev('"arn:aws:dynamodb:${var.region}:${var.account}:table/${aws_dynamodb_table.x.arn}"')
    assert value == Partial(("arn:aws:dynamodb:", REGION, ":", ACCOUNT, ":table/", TABLE_ARN))


def test_template_uses_known_ref_value_and_flattens_partials() -> None:
    assert ev('"t-${aws_dynamodb_table.x.name}"') == "t-orders"
    value = ev('"a-${"b-${var.region}"}-c"')
    assert value == Partial(("a-b-", REGION, "-c"))


def test_single_interpolation_is_the_value_itself() -> None:
    assert ev('"${var.names}"') == ["b", "a", "b"]
    assert ev('"${aws_dynamodb_table.x.arn}"') == TABLE_ARN


def test_template_errors_and_directives() -> None:
    assert "null" in reason(ev('"a${var.empty}"'))
    assert "list" in reason(ev('"a${var.names}b"'))
    assert ev('"%{ if var.env == "prod" }yes%{ else }no%{ endif }"') == "yes"
    assert ev('"%{ for n in var.names }${n},%{ endfor }"') == "b,a,b,"
    assert ev('"a %{~ if true ~} b %{~ endif ~} c"') == "abc"
    unknown_if = ev('"x-%{ if var.region == "a" }A%{ endif }"')
    assert unknown_if == Partial(("x-", REGION))


# Operators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3.5),
        ("6 / 3", 2),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ('"5" + 1', 6),
        ("-(2)", -2),
        ("!false", True),
        ("1 < 2 && 2 >= 2", True),
        ("3 <= 2 || 1 > 0", True),
        ("1 == 1.0", True),
        ('1 == "1"', False),
        ("true == 1", False),
        ("null == null", True),
        ('[1, {a = "x"}] == [1, {a = "x"}]', True),
        ("{a = 1} != {a = 1, b = 2}", True),
        ("1 +\n  2", 3),
        ("true\n  && false", False),
        ("true # why\n  && false", False),
    ],
)
def test_operators(expr: str, expected: object) -> None:
    value = ev(expr)
    kind = float if isinstance(value, Real) else type(value)  # a Real is an exact float
    assert value == expected and kind is type(expected)


def test_unknown_propagates_with_the_first_reason() -> None:
    assert ev("var.region + var.account") == REGION
    assert ev("var.account == var.region") == ACCOUNT
    assert ev("-var.region") == REGION
    assert reason(ev("undeclared.thing")) == "undeclared is not declared here"


def test_kleene_logic() -> None:
    assert ev("false && var.region") is False
    assert ev("var.region && false") is False
    assert ev("true || var.region") is True
    assert ev("true && var.region") == REGION


def test_equality_of_references_and_partials() -> None:
    assert ev("aws_dynamodb_table.x.arn == aws_dynamodb_table.x.arn") is True
    assert ev('aws_dynamodb_table.x.name == "orders"') is True
    assert "only known after apply" in reason(ev('aws_dynamodb_table.x.arn == "arn:x"'))
    assert ev('"arn:${var.region}" == "other"') is False  # the known prefix differs
    assert isinstance(ev('"arn:${var.region}" == "arn:eu"'), Unknown)
    assert ev("[1, var.region] == [2, var.region]") is False


def test_operator_type_errors_become_unknown() -> None:
    assert "required" in reason(ev('"a" + 1'))
    assert "division by zero" in reason(ev("1 / 0"))


def test_conditional() -> None:
    assert ev('var.env == "prod" ? "p" : "d"') == "p"
    assert ev('"false" ? 1 : 2') == 2
    assert ev('var.region == "x" ? "same" : "same"') == "same"
    assert ev('var.region == "x" ? "a" : "b"') == REGION
    assert ev("true ? 1 : local.boom") == 1  # the other branch is not evaluated


# Traversals and splats ---------------------------------------------------------------------


def test_traversals() -> None:
    assert ev('var.tags["team"]') == "core"
    assert ev("var.nested.list[1].id") == 2
    assert ev("var.nested.list.0.id") == 1
    assert ev('var.names["1"]') == "a"
    assert 'has no attribute "nope"' in reason(ev("var.tags.nope"))
    assert "var.tags.nope" in reason(ev("var.tags.nope"))
    assert "out of range" in reason(ev("var.names[5]"))
    assert "out of range" in reason(ev("var.names[-1]"))
    assert "null" in reason(ev("var.empty.x"))
    assert ev("var.region.anything[0]") == REGION
    assert ev('[var.tags["a-${var.region}"], 1]') == [Unknown('"a-${?}" is only partly known'), 1]
    assert "only known after apply" in reason(ev("aws_dynamodb_table.x.arn.foo"))


def test_partial_map_traversal() -> None:
    assert ev("var.partial.k") == "v"
    assert reason(ev("var.partial.other")) == "more keys from var.extra"


def test_splats() -> None:
    assert ev("var.nested.list[*].id") == [1, 2]
    assert ev("var.nested.list.*.id") == [1, 2]
    assert ev("var.nested.list.*.id[0]") == 1  # legacy splat: the index applies to the result
    assert ev("var.empty[*]") == []
    assert ev("var.tags[*].team") == ["core"]
    assert ev("var.region[*].id") == REGION


# For expressions ---------------------------------------------------------------------------


def test_for_expressions() -> None:
    assert ev("[for n in var.names : upper(n)]") == ["B", "A", "B"]
    assert ev('[for i, n in var.names : i if n == "b"]') == [0, 2]
    assert ev("[for k, v in var.tags : k]") == ["app", "team"]  # maps iterate in key order
    assert ev("{for k, v in var.tags : v => k}") == {"shop": "app", "core": "team"}
    assert ev("{for n in var.names : n => n...}") == {"b": ["b", "b"], "a": ["a"]}
    assert ev("[for n in toset(var.names) : n]") == ["a", "b"]


def test_for_expressions_with_unknowns() -> None:
    assert ev("[for n in var.region : n]") == REGION
    assert ev("[for n in var.names : n if n == var.region]") == REGION
    assert ev("{for n in var.names : var.region => n}") == REGION
    assert ev("[for n in var.names : var.region]") == [REGION, REGION, REGION]
    assert "duplicate key" in reason(ev("{for n in var.names : n => 1}"))


# Functions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('lower("AbC")', "abc"),
        ('upper("abc")', "ABC"),
        ('trimspace("  a \\n")', "a"),
        ('trim("xxaxx", "x")', "a"),
        ('trimprefix("arn:x", "arn:")', "x"),
        ('trimsuffix("a.tf", ".tf")', "a"),
        ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
        ('replace("a-b-c", "-", "_")', "a_b_c"),
        ('replace("hello-world", "/(\\\\w+)-(\\\\w+)/", "$2 $${1}")', "world hello"),
        ('replace("abc", "/(?P<x>b)/", "[$${x}]")', "a[b]c"),
        ('substr("hello", 1, 3)', "ell"),
        ('substr("hello", -3, -1)', "llo"),
        ('startswith("arn:aws", "arn:")', True),
        ('endswith("a.tf", ".json")', False),
        ('join("-", ["a", 1, true])', "a-1-true"),
        ('join(",", [], ["a"], ["b"])', "a,b"),
        (
            'format("%s-%d-%05.1f-%q-%v-%%-%t", "a", 7, 3.14159, "q", {a = [1]}, true)',
            'a-7-003.1-"q"-{"a":[1]}-%-true',
        ),
        ('format("%-4s|%4s|%x|%[1]s", "ab", "c", 255)', "ab  |   c|ff|ab"),
        ("tostring(12)", "12"),
        ('tonumber("1.50")', 1.5),
        ('tobool("true")', True),
        ("tostring(null)", None),
        ("abs(-3)", 3),
        ("ceil(1.2)", 2),
        ("floor(-1.2)", -2),
        ("max(1, 5, 3)", 5),
        ("min([4, 2]...)", 2),
        ("sum([1, 2.5])", 3.5),
        ("pow(2, 10)", 1024),
        ('parseint("ff", 16)', 255),
        ("signum(-5)", -1),
    ],
)
def test_string_number_and_type_functions(expr: str, expected: object) -> None:
    assert ev(expr) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("length(var.names)", 3),
        ('length("héllo")', 5),
        ("length(var.tags)", 2),
        ("concat([1], [], [2, 3])", [1, 2, 3]),
        ("flatten([[1, [2]], 3, []])", [1, 2, 3]),
        ("keys({b = 1, a = 2})", ["a", "b"]),
        ("values({b = 1, a = 2})", [2, 1]),
        ('lookup(var.tags, "team")', "core"),
        ('lookup(var.tags, "x", "dflt")', "dflt"),
        ("element([1, 2, 3], 4)", 2),
        ('contains(var.names, "a")', True),
        ('contains(var.names, "z")', False),
        ('index(var.names, "a")', 1),
        ("distinct(var.names)", ["b", "a"]),
        ('compact(["a", "", null, "b"])', ["a", "b"]),
        ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
        ("merge({a = 1, b = 1}, null, {b = 2})", {"a": 1, "b": 2}),
        ("tolist(var.names)", ["b", "a", "b"]),
        ('toset(["b", "a", "b", 10, 9])', ["10", "9", "a", "b"]),
        ("toset([3, 1, 2, 1])", [1, 2, 3]),
        ('tomap({a = 1, b = "x"})', {"a": "1", "b": "x"}),
        ('coalesce(null, "", "x")', "x"),
        ("coalescelist([], [1])", [1]),
        ('setunion(["b"], ["a", "b"])', ["a", "b"]),
        ('setintersection(["a", "b"], ["b", "c"])', ["b"]),
        ('setsubtract(["a", "b"], ["b"])', ["a"]),
        ("range(3)", [0, 1, 2]),
        ("range(1, 7, 2)", [1, 3, 5]),
        ("range(3, 0)", [3, 2, 1]),
        ("reverse([1, 2])", [2, 1]),
        ('sort(["b", "a", "10", "9"])', ["10", "9", "a", "b"]),
        ("slice([1, 2, 3, 4], 1, 3)", [2, 3]),
        ("one([])", None),
        ("one([5])", 5),
        ('alltrue([true, "true"])', True),
        ("anytrue([false, true])", True),
        ("chunklist([1, 2, 3], 2)", [[1, 2], [3]]),
        ('matchkeys(["i1", "i2"], ["a", "b"], ["b"])', ["i2"]),
        (
            'jsonencode({b = [1, 2.5, "<&>"], a = null, c = true})',
            '{"a":null,"b":[1,2.5,"\\u003c\\u0026\\u003e"],"c":true}',
        ),
        ('jsondecode("{\\"a\\": [1, 2.0, \\"x\\"]}")', {"a": [1, 2, "x"]}),
        ('sensitive("s")', "s"),
    ],
)
def test_collection_and_encoding_functions(expr: str, expected: object) -> None:
    assert ev(expr) == expected


def test_functions_propagate_unknowns_and_partials() -> None:
    assert ev("upper(var.region)") == REGION
    assert "only known after apply" in reason(ev("lower(aws_dynamodb_table.x.arn)"))
    assert ev("upper(aws_dynamodb_table.x.name)") == "ORDERS"
    assert "partly known" in reason(ev('upper("a-${var.region}")'))
    assert ev("length([var.region, 1])") == 2
    assert ev("concat([var.region], [1])") == [REGION, 1]
    assert ev("jsonencode([var.region])") == REGION
    assert ev("alltrue([var.region, false])") is False
    assert ev("alltrue([var.region, true])") == REGION
    assert ev('contains([var.region, "a"], "a")') is True
    assert ev('contains([var.region], "a")') == REGION
    assert ev("keys(var.partial)") == Unknown("more keys from var.extra")
    assert ev('lookup(var.partial, "k")') == "v"
    assert ev('compact([aws_dynamodb_table.x.arn, ""])') == [TABLE_ARN]


def test_format_builds_a_partial_arn() -> None:
    value = ev(
        'format("arn:aws:dynamodb:%s:%s:table/%s", var.region, var.account, '
        "aws_dynamodb_table.x.arn)"
    )
    assert value == Partial(("arn:aws:dynamodb:", REGION, ":", ACCOUNT, ":table/", TABLE_ARN))
    assert ev('format("%s/%s", "t", aws_dynamodb_table.x.name)') == "t/orders"
    assert ev('format("%d", var.region)') == Partial((REGION,))
    assert "not enough arguments" in reason(ev('format("%s %s", "a")'))
    assert "too many arguments" in reason(ev('format("%s", "a", "b")'))
    assert "not evaluated" in reason(ev('format("%g", 1.5)'))


def test_join_builds_a_partial() -> None:
    value = ev('join("", ["arn:aws:dynamodb:", var.region, ":table/", aws_dynamodb_table.x.arn])')
    assert value == Partial(("arn:aws:dynamodb:", REGION, ":table/", TABLE_ARN))
    assert ev('join(",", var.region)') == REGION


def test_merge_with_unknown_maps_is_a_partial_map() -> None:
    value = ev("merge({a = 1, b = 2}, var.region, {c = 3})")
    assert isinstance(value, PartialMap)
    assert value.more == REGION
    assert value.known["c"] == 3
    assert reason(value.known["a"]).startswith("may be overridden")
    partial = ev('merge({k = "old", j = 1}, var.partial)')
    assert isinstance(partial, PartialMap)
    assert partial.known["k"] == "v"  # known keys of the later map are certain
    assert isinstance(partial.known["j"], Unknown)
    assert partial.more.reason == "more keys from var.extra"


def test_try_and_can() -> None:
    assert ev('try(var.tags.nope, "fallback")') == "fallback"
    assert ev("try(var.tags.team, 1)") == "core"
    assert ev("try(var.region, 1)") == REGION
    assert ev("try(aws_dynamodb_table.x.arn, 1)") == TABLE_ARN
    assert "no argument" in reason(ev("try(var.tags.nope)"))
    assert ev("can(var.tags.nope)") is False
    assert ev("can(var.tags.team)") is True
    assert ev("can(var.region)") == REGION


def test_unevaluated_functions_and_arity() -> None:
    assert "reads files" in reason(ev('file("x.json")'))
    assert "reads files" in reason(ev('templatefile("t.tpl", {})'))
    assert reason(ev("timestamp()")) == "function timestamp() is not evaluated: the time of the run"
    assert ev("yamlencode({})") == "{}\n"
    assert "provider function" in reason(ev('provider::aws::arn_parse("x")'))
    assert "takes 1 argument" in reason(ev("upper()"))
    assert "element()" in reason(ev("element([], 0)"))
    assert "invalid JSON" in reason(ev('jsondecode("{")'))
    assert ev("max(var.region...)") == REGION


# Scope, laziness, robustness ---------------------------------------------------------------


def test_lazy_scope_values_are_forced_one_key_at_a_time() -> None:
    scope = make_scope()
    assert ev("local.ok + 1", scope) == 2
    local = scope["local"]
    assert isinstance(local, LazyMap) and local.forced == ["ok"]
    assert "must not be computed" in reason(ev("local.boom", scope))


def test_eval_scope_overlays_names() -> None:
    parent = make_scope()
    scope = EvalScope(parent, {"each": {"key": "k1", "value": 5}})
    assert ev('"${each.key}-${var.env}"', scope) == "k1-prod"
    assert "each" in scope and "var" in scope and "nope" not in scope
    assert next(iter(scope)) == "each" and len(scope) == len(parent) + 1
    shadow = EvalScope(parent, {"var": {"env": "dev"}})
    assert ev("var.env", shadow) == "dev"


@pytest.mark.parametrize(
    "expr",
    [
        "(" * 3000 + "1" + ")" * 3000,
        " + ".join(["1"] * 3000),
        "var" + ".x" * 3000,
    ],
)
def test_long_chains_evaluate_without_recursion(expr: str) -> None:
    value = ev(expr, {"var": {}})
    assert value == 1 or value == 3000 or 'has no attribute "x"' in reason(value)


def test_deep_nesting_is_unknown_not_a_crash() -> None:
    value = ev("[" * 3000 + "1" + "]" * 3000)
    assert reason(value) == "expression nested too deeply"


def test_never_raises_on_garbage() -> None:
    scope = make_scope()
    assert isinstance(evaluate(Tree("bogus", []), scope), Unknown)
    assert isinstance(evaluate(Token("NAME", "x"), scope), Unknown)  # type: ignore[arg-type]
    assert isinstance(evaluate(Tree("expr_term", []), scope), Unknown)
    assert isinstance(evaluate(Tree("binary_op", [Tree("x", [])]), scope), Unknown)

    class Exploding(Mapping[str, object]):
        def __getitem__(self, key: str) -> object:
            raise RuntimeError("loader bug")

        def __iter__(self) -> Iterator[str]:
            return iter(())

        def __len__(self) -> int:
            return 0

    assert "loader bug" in reason(ev("var.x", Exploding()))
