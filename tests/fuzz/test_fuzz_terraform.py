"""Fuzzing the Terraform loader (issue 15 item 16): configurations built from the blocks that
matter (tables, backup selections with resources/selection_tag/condition, plans, module calls,
locals, variables) and from expressions (templates, for expressions, conditionals, function calls,
splats, indexes), then mutated (truncation, duplicated braces, odd unicode, NULs, huge numbers,
deep nesting). Properties: see fuzz_harness. Budget: CI's fixed examples, or
IAC_DDB_LINT_FUZZ_EXAMPLES (scripts/fuzz.sh)."""

from __future__ import annotations

import json

import pytest
from fuzz_harness import check_cli, check_scan, fuzz_settings, mutated
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz

FUNCTIONS = [
    # the evaluator's library, and Terraform functions it does not model
    "abs", "alltrue", "anytrue", "base64decode", "base64encode", "can", "ceil", "chomp",
    "chunklist", "cidrsubnet", "coalesce", "coalescelist", "compact", "concat", "contains",
    "distinct", "element", "endswith", "file", "fileexists", "flatten", "floor", "format",
    "formatlist", "index", "join", "jsondecode", "jsonencode", "keys", "length", "lookup",
    "lower", "matchkeys", "max", "md5", "merge", "min", "nonsensitive", "one", "parseint", "pow",
    "range", "regex", "regexall", "replace", "reverse", "sensitive", "setintersection",
    "setproduct", "setsubtract", "setunion", "sha256", "signum", "slice", "sort", "split",
    "startswith", "strcontains", "strrev", "substr", "sum", "templatefile", "timestamp", "title",
    "tobool", "tolist", "tomap", "tonumber", "toset", "tostring", "transpose", "trim",
    "trimprefix", "trimspace", "trimsuffix", "try", "upper", "uuid", "values", "yamlencode",
    "zipmap", "provider::aws::arn_parse", "not_a_function",
]
NAMES = ["orders", "carts", "t", "a", "b", "x", "each", "count", "var", "local", "self", "main",
         "for", "in", "if", "null", "true", "tags", "arn", "id", "name", "_", "a-b", "ünï"]
IDENT = st.one_of(st.sampled_from(NAMES), st.from_regex(r"[a-z_][a-z0-9_-]{0,6}", fullmatch=True))
TABLE_ATTRS = ["arn", "id", "name", "tags", "tags_all", "stream_arn", "replica", "hash_key"]

# --- expressions -----------------------------------------------------------------------------

STRING_PIECES = st.sampled_from([
    "a", "orders", "arn:aws:dynamodb:*:*:table/*", "*", "\\n", "\\\"", "\\\\", "\\u00e9",
    "\\U0001F600", "$${x}", "%%{x}", "é", " ", "prod", "BACKUP", "\\x", "\\u12",
])


def string_literal(pieces: list[str]) -> str:
    return '"' + "".join(pieces) + '"'


STRINGS = st.lists(STRING_PIECES, max_size=4).map(string_literal)
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["0", "1", "-1", "1.5", "1e3", "1e308", "1e400", "0.0000001", "9" * 60]),
)
LITERALS = st.one_of(
    NUMBERS,
    st.sampled_from(["true", "false", "null"]),
    STRINGS,
)
REFERENCES = st.one_of(
    IDENT.map(lambda n: f"var.{n}"),
    IDENT.map(lambda n: f"local.{n}"),
    st.tuples(IDENT, st.sampled_from(TABLE_ATTRS))
    .map(lambda p: f"aws_dynamodb_table.{p[0]}.{p[1]}"),
    st.sampled_from([
        "each.key", "each.value", "count.index", "path.module", "path.root", "terraform.workspace",
        "self.arn", "aws_dynamodb_table.orders[0].arn", 'aws_dynamodb_table.orders["k"].arn',
        "aws_dynamodb_table.orders[*].arn", "aws_dynamodb_table.orders.*.arn",
        "module.m.table_arn", "module.m[0].arn", "data.aws_dynamodb_table.t.arn",
        "aws_backup_plan.p.id", "data.aws_caller_identity.current.account_id",
        "data.aws_region.current.name", "data.aws_partition.current.partition",
    ]),
)


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.one_of(IDENT, STRINGS,
                                     inner.map(lambda e: f"({e})")), inner), max_size=4)
        .map(lambda kvs: "{" + ", ".join(f"{k} = {v}" for k, v in kvs) + "}"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=4), st.booleans())
        .map(lambda f: f"{f[0]}({', '.join(f[1])}{'...' if f[2] and f[1] else ''})"),
        st.tuples(inner, inner, inner).map(lambda c: f"{c[0]} ? {c[1]} : {c[2]}"),
        st.tuples(st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=",
                                   "&&", "||"]), inner, inner)
        .map(lambda o: f"{o[1]} {o[0]} {o[2]}"),
        st.tuples(st.sampled_from(["!", "-"]), inner).map(lambda u: f"{u[0]}{u[1]}"),
        inner.map(lambda e: f"({e})"),
        pair.map(lambda p: f"{p[0]}[{p[1]}]"),
        st.tuples(inner, IDENT).map(lambda p: f"({p[0]}).{p[1]}"),
        st.tuples(inner, st.sampled_from(["[*]", ".*", "[*].arn", ".*.name"]))
        .map(lambda p: f"({p[0]}){p[1]}"),
        st.tuples(IDENT, inner, inner, st.one_of(st.none(), inner))
        .map(lambda f: f"[for {f[0]} in {f[1]} : {f[2]}"
                       f"{'' if f[3] is None else ' if ' + f[3]}]"),
        st.tuples(IDENT, IDENT, inner, inner, inner, st.booleans())
        .map(lambda f: f"{{for {f[0]}, {f[1]} in {f[2]} : {f[3]} => {f[4]}"
                       f"{'...' if f[5] else ''}}}"),
        st.lists(st.one_of(STRING_PIECES, inner.map(lambda e: "${" + e + "}"),
                           st.tuples(inner, STRING_PIECES, STRING_PIECES)
                           .map(lambda t: f"%{{ if {t[0]} }}{t[1]}%{{ else }}{t[2]}%{{ endif }}"),
                           st.tuples(IDENT, inner)
                           .map(lambda t: f"%{{ for {t[0]} in {t[1]} ~}}${{{t[0]}}}%{{ endfor }}")),
                 min_size=1, max_size=4).map(string_literal),
        st.tuples(st.sampled_from(["<<EOT", "<<-EOT"]), st.lists(STRING_PIECES, max_size=3),
                  inner).map(lambda h: f"{h[0]}\n  {''.join(h[1])}${{{h[2]}}}\n  EOT\n"),
    )


EXPR = st.recursive(st.one_of(LITERALS, REFERENCES), _compound, max_leaves=12)

# --- blocks ----------------------------------------------------------------------------------


def block(kind: str, labels: list[str], body: list[str]) -> str:
    head = " ".join([kind, *(json.dumps(label) for label in labels)])
    return head + " {\n" + "".join(f"  {line}\n" for line in body) + "}\n"


def attr(name: str, value: str) -> str:
    return f"{name} = {value}"


MAYBE_EXPANDED = st.one_of(
    st.just([]),
    EXPR.map(lambda e: [attr("count", e)]),
    EXPR.map(lambda e: [attr("for_each", e)]),
    st.sampled_from([[attr("count", "2")], [attr("for_each", 'toset(["a", "b"])')],
                     [attr("for_each", '{a = "x", b = "y"}')], [attr("count", "0")]]),
)
PITR_ON = st.sampled_from(["true", "false", "var.pitr", '"true"', "null", "1", "local.on"])
PITR_OFF = st.sampled_from([None, "false", '"false"', "null", "!true && false"])


@st.composite
def table(draw: st.DrawFn, sound: bool = False) -> str:
    name = draw(IDENT)
    body = [attr("name", draw(EXPR)), attr("billing_mode", '"PAY_PER_REQUEST"'),
            attr("hash_key", '"id"'), 'attribute {\n    name = "id"\n    type = "S"\n  }']
    body += draw(MAYBE_EXPANDED)
    pitr = draw(PITR_OFF if sound else st.one_of(PITR_ON, EXPR, st.none()))
    if pitr is not None:
        body.append("point_in_time_recovery {\n    enabled = " + pitr + "\n  }")
    if draw(st.booleans()):
        body.append(attr("tags", draw(EXPR)))
    if not sound and draw(st.integers(0, 4)) == 0:
        body.append('replica {\n    region_name = "eu-west-1"\n    point_in_time_recovery = '
                    + draw(EXPR) + "\n  }")
    if not sound and draw(st.integers(0, 5)) == 0:
        body.append('dynamic "point_in_time_recovery" {\n    for_each = ' + draw(EXPR)
                    + "\n    content {\n      enabled = " + draw(EXPR) + "\n    }\n  }")
    return block("resource", ["aws_dynamodb_table", name], body)


@st.composite
def selection(draw: st.DrawFn) -> str:
    body = [attr("name", draw(EXPR)), attr("plan_id", "aws_backup_plan.p.id"),
            attr("iam_role_arn", '"arn:aws:iam::123456789012:role/backup"')]
    body += draw(MAYBE_EXPANDED)
    if draw(st.booleans()):
        body.append(attr("resources", draw(st.one_of(
            st.lists(st.one_of(REFERENCES, EXPR, st.just('"*"'),
                               st.just('"arn:aws:dynamodb:*:*:table/*"')), max_size=3)
            .map(lambda xs: "[" + ", ".join(xs) + "]"),
            EXPR))))
    if draw(st.booleans()):
        body.append(attr("not_resources", draw(EXPR)))
    for _ in range(draw(st.integers(0, 2))):
        body.append("selection_tag {\n    type = " + draw(st.sampled_from(
            ['"STRINGEQUALS"', '"stringequals"', "var.t"])) + "\n    key = " + draw(EXPR)
            + "\n    value = " + draw(EXPR) + "\n  }")
    if draw(st.booleans()):
        inner = "".join(
            f"    {op} {{\n      key = {draw(EXPR)}\n      value = {draw(EXPR)}\n    }}\n"
            for op in draw(st.lists(st.sampled_from(
                ["string_equals", "string_like", "string_not_equals", "string_not_like",
                 "string_bogus"]), max_size=3)))
        body.append("condition {\n" + inner + "  }")
    if draw(st.integers(0, 3)) == 0:
        body.append('dynamic "selection_tag" {\n    for_each = ' + draw(EXPR) + "\n    content {\n"
                    '      type = "STRINGEQUALS"\n      key = selection_tag.key\n'
                    "      value = " + draw(EXPR) + "\n    }\n  }")
    return block("resource", ["aws_backup_selection", draw(IDENT)], body)


PLAN = block("resource", ["aws_backup_plan", "p"], [
    attr("name", '"daily"'),
    'rule {\n    rule_name = "daily"\n    target_vault_name = "Default"\n'
    '    schedule = "cron(0 5 ? * * *)"\n  }'])


@st.composite
def other_block(draw: st.DrawFn, sound: bool = False) -> str:
    kind = draw(st.sampled_from(["locals", "variable", "output", "provider", "data", "terraform",
                                 "module", "policy", "region", "tag", "plan", "junk"]))
    if kind == "locals":
        return block("locals", [], [attr(draw(IDENT), draw(EXPR)) for _ in range(3)])
    if kind == "variable":
        body = []
        if draw(st.booleans()):
            body.append(attr("type", draw(st.sampled_from(
                ["string", "number", "bool", "set(string)", "map(any)", "list(object({a=string}))",
                 "any", "tuple([string, number])", "optional(string)"]))))
        if draw(st.booleans()):
            body.append(attr("default", draw(EXPR)))
        if draw(st.booleans()):
            body.append("validation {\n    condition = " + draw(EXPR)
                        + '\n    error_message = "no"\n  }')
        return block("variable", [draw(IDENT)], body)
    if kind == "output":
        return block("output", [draw(IDENT)], [attr("value", draw(EXPR))])
    if kind == "provider":
        body = [attr("region", draw(EXPR))]
        if draw(st.booleans()):
            body.append("default_tags {\n    tags = " + draw(EXPR) + "\n  }")
        if draw(st.booleans()):
            body.append(attr("alias", '"' + draw(IDENT) + '"'))
        return block("provider", ["aws"], body)
    if kind == "data":
        return block("data", [draw(st.sampled_from(["aws_dynamodb_table", "aws_region",
                                                    "aws_caller_identity"])), draw(IDENT)],
                     [attr("name", draw(EXPR))])
    if kind == "terraform":
        return ('terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n'
                '  }\n}\n')
    if sound:  # nothing below may protect a table in a sound input
        return block("locals", [], [attr(draw(IDENT), draw(EXPR))])
    if kind == "module":
        source = draw(st.sampled_from(['"./mod"', '"./"', '"../x"', '"./missing"',
                                       '"terraform-aws-modules/dynamodb-table/aws"',
                                       '"git::https://example.com/m.git"', "var.src"]))
        body = [attr("source", source), *draw(MAYBE_EXPANDED)]
        body += [attr(draw(st.sampled_from(["name", "point_in_time_recovery_enabled", "tags",
                                            "table_arn", draw(IDENT)])), draw(EXPR))
                 for _ in range(draw(st.integers(0, 3)))]
        return block("module", [draw(IDENT)], body)
    if kind == "policy":
        return block("resource", ["aws_organizations_policy", draw(IDENT)], [
            attr("type", draw(st.sampled_from(['"BACKUP_POLICY"', "var.t"]))),
            attr("content", draw(st.one_of(EXPR, EXPR.map(lambda e: f"jsonencode({e})"))))])
    if kind == "region":
        return block("resource", ["aws_backup_region_settings", draw(IDENT)], [
            attr("resource_type_opt_in_preference", draw(EXPR))])
    if kind == "tag":
        return block("resource", ["aws_dynamodb_tag", draw(IDENT)], [
            attr("resource_arn", draw(REFERENCES)), attr("key", draw(EXPR)),
            attr("value", draw(EXPR))])
    if kind == "plan":
        return PLAN
    return draw(st.sampled_from(["}\n", "{\n", "resource {}\n", 'resource "a" {}\n',
                                 "# comment ${\n", "/* open comment\n", "x = \n", "= 1\n"]))


@st.composite
def configuration(draw: st.DrawFn, sound: bool = False) -> dict[str, bytes]:
    blocks = draw(st.lists(table(sound), min_size=1, max_size=3))
    if not sound:
        blocks += draw(st.lists(selection(), max_size=2))
        if draw(st.booleans()):
            blocks.append(PLAN)
    blocks += draw(st.lists(other_block(sound), max_size=4))
    blocks = draw(st.permutations(blocks))
    split = draw(st.integers(0, len(blocks)))
    files = {"main.tf": draw(mutated("\n".join(blocks[:split]))),
             "other.tf": draw(mutated("\n".join(blocks[split:])))}
    if draw(st.integers(0, 3)) == 0:
        files["terraform.tfvars"] = draw(mutated("\n".join(
            attr(draw(IDENT), draw(EXPR)) for _ in range(draw(st.integers(1, 3))))))
    if not sound and draw(st.integers(0, 3)) == 0:
        files["mod/main.tf"] = draw(mutated("\n".join(
            [draw(table()), draw(other_block()),
             block("variable", [draw(IDENT)], [attr("default", draw(EXPR))]),
             block("output", ["table_arn"], [attr("value", draw(REFERENCES))])])))
    return files


HUGE = "<huge number>"  # replaced in the JSON text: json.dumps cannot write such numbers


def _json_value(draw: st.DrawFn, depth: int = 0) -> object:
    choice = draw(st.integers(0, 6 if depth < 3 else 3))
    if choice == 0:
        return "${" + draw(EXPR) + "}"
    if choice == 1:
        return draw(st.one_of(st.integers(-(10**20), 10**20), st.booleans(), st.none(),
                              st.floats(allow_nan=False), st.just(HUGE)))
    if choice in (2, 3):
        return draw(st.text(max_size=10))
    if choice == 4:
        return [_json_value(draw, depth + 1) for _ in range(draw(st.integers(0, 3)))]
    return {draw(IDENT): _json_value(draw, depth + 1) for _ in range(draw(st.integers(0, 3)))}


@st.composite
def json_configuration(draw: st.DrawFn) -> dict[str, bytes]:
    """Terraform's JSON syntax (.tf.json), the same blocks as objects."""
    tables = {draw(IDENT): {"name": _json_value(draw), "hash_key": "id",
                            "point_in_time_recovery": draw(st.sampled_from(
                                [{"enabled": True}, [{"enabled": "${var.p}"}], {}, None, "x"])),
                            "tags": _json_value(draw)} for _ in range(draw(st.integers(1, 2)))}
    doc: dict[str, object] = {"resource": {"aws_dynamodb_table": tables}}
    if draw(st.booleans()):
        doc["resource"]["aws_backup_selection"] = {draw(IDENT): {  # type: ignore[index]
            "name": "s", "plan_id": "${aws_backup_plan.p.id}", "iam_role_arn": "r",
            "resources": _json_value(draw),
            "selection_tag": draw(st.sampled_from([
                [{"type": "STRINGEQUALS", "key": "b", "value": "y"}], {"type": 1}, [], None])),
        }}
    if draw(st.booleans()):
        doc["locals"] = {draw(IDENT): _json_value(draw)}
    if draw(st.booleans()):
        doc["variable"] = {draw(IDENT): {"default": _json_value(draw)}}
    if draw(st.booleans()):
        doc["module"] = {draw(IDENT): {"source": draw(st.sampled_from(["./", "./m", 1]))}}
    if draw(st.booleans()):
        doc["//"] = _json_value(draw)
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 2])))
    text = text.replace(json.dumps(HUGE), draw(st.sampled_from(["9" * 5000, "1e99999", "-0"])))
    return {"main.tf.json": draw(mutated(text))}


@fuzz_settings(ci_examples=100)
@given(configuration())
def test_terraform_configurations(files: dict[str, bytes]) -> None:
    check_scan(files)


@fuzz_settings(ci_examples=80)
@given(configuration(sound=True))
def test_terraform_no_backup_is_never_protected(files: dict[str, bytes]) -> None:
    text = b"".join(files.values()).lower()
    guards = (b"aws_backup", b"module", b"organizations", b"replica", b"dynamic")
    sound = not any(word in text for word in guards)
    check_scan(files, sound=sound)


@fuzz_settings(ci_examples=60)
@given(json_configuration())
def test_terraform_json_syntax(files: dict[str, bytes]) -> None:
    check_scan(files)


@fuzz_settings(ci_examples=40)
@given(st.one_of(configuration(), json_configuration(),
                 st.binary(max_size=200).map(lambda b: {"main.tf": b})))
def test_terraform_through_the_cli(files: dict[str, bytes]) -> None:
    check_cli(files)
