"""`--list-rules` and `iac-ddb-lint rule DDB001`: the rule catalog on the terminal.

The command takes PATHs, so `rule` is a sub-command only in one unambiguous shape: `rule` as the
first argument and an id as the second, when neither a path named `rule` nor one named like the
id exists (`iac-ddb-lint rule/`, or `iac-ddb-lint rule infra` with a directory `rule`, still
scans). It is recognised before click checks that the PATHs exist. Every line printed goes
through `printable`: the rule files ship with the package, but nothing reaches a terminal
unescaped. json, yaml and the reports are imported on use (`--version` stays instant).
"""

from __future__ import annotations

import os
import textwrap
from typing import TYPE_CHECKING

import click

from analyzer.cli.explain_command import explain_request
from analyzer.cli.input_options import InputOrderCommand

if TYPE_CHECKING:
    from analyzer.catalog import Rule

RULE_WORD = "rule"
_WIDTH = 96


class UnknownRule(click.ClickException):
    """An id no rule file has: a usage error (exit 2) that lists the ids there are."""

    exit_code = 2


class RuleWordCommand(InputOrderCommand):
    """Takes `rule ID` off the front of the arguments (into `ctx.meta["rule_id"]`) when they
    ask for a rule's text rather than name paths to scan."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rule_id = rule_request(args)
        address = None if rule_id is not None else explain_request(args)
        if rule_id is not None:
            ctx.meta["rule_id"] = rule_id
            args = args[2:]
        elif address is not None:  # `iac-ddb-lint explain ADDRESS [PATH]...`
            ctx.meta["explain"] = address
            args = args[2:]
        return super().parse_args(ctx, args)


def rule_request(args: list[str]) -> str | None:
    """The rule id of `iac-ddb-lint rule ID ...`, or None when the arguments are paths to scan."""
    if len(args) < 2 or args[0] != RULE_WORD or args[1].startswith("-"):
        return None
    if os.path.lexists(args[0]) or os.path.lexists(args[1]):
        return None
    return args[1]


def rule_text(rule_id: str, fmt: str, paths: tuple[str, ...] = ()) -> str:
    """The full text of one rule (JSON with `--format json`). Raises UnknownRule."""
    from analyzer.catalog import load_rules

    if paths:
        raise UnknownRule(f"`{RULE_WORD}` takes one rule id and no paths")
    rules = load_rules()
    wanted = rule_id.strip().upper()
    rule = next((r for r in rules if r.id == wanted), None)
    if rule is None:
        from analyzer.report import printable

        ids = ", ".join(r.id for r in rules)
        raise UnknownRule(f"unknown rule '{printable(rule_id)}'; the rules are {ids}")
    if fmt == "json":
        import json

        return json.dumps(_rule_data(rule, full=True), indent=2) + "\n"
    return "\n".join(_rule_lines(rule)) + "\n"


def rule_listing(fmt: str, verbose: bool) -> str:
    """`--list-rules`: id, severity, name and summary; with `verbose`, each rule's full text."""
    from analyzer.catalog import load_rules
    from analyzer.report import printable, rule_table

    rules = load_rules()
    if fmt == "json":
        import json

        return json.dumps([_rule_data(r, full=verbose) for r in rules], indent=2) + "\n"
    text = "".join(printable(line) + "\n" for line in rule_table(rules).splitlines())
    if verbose:
        for rule in rules:
            text += "\n" + "\n".join(_rule_lines(rule)) + "\n"
    return text


def _rule_data(rule: Rule, full: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity,
        "summary": rule.summary,
        "short_fix": rule.short_fix,
        "docs": rule.docs_link,
    }
    if full:
        data["why"] = rule.why
        data["fix"] = {"terraform": rule.fix_terraform, "cloudformation": rule.fix_cloudformation}
    return data


def _rule_lines(rule: Rule) -> list[str]:
    from analyzer.report import printable

    lines = [f"{rule.id} {rule.name} ({rule.severity})", "", *_wrap(rule.summary), ""]
    lines += ["Why:", *_wrap(rule.why, "  "), ""]
    lines += ["Fix:", *_wrap(rule.short_fix, "  "), ""]
    for label, example in (("Terraform", rule.fix_terraform), ("CloudFormation",
                                                                 rule.fix_cloudformation)):
        lines.append(f"Fix ({label}):")
        lines += [f"    {line}".rstrip() for line in example.rstrip("\n").splitlines()]
        lines.append("")
    lines.append(f"Docs: {rule.docs_link}")
    return [printable(line) for line in lines]


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), _WIDTH, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,  # keep names like iac-ddb-lint whole
    )
