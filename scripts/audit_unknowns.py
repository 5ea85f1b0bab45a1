"""List every unknown verdict of the fixtures with its reasons, grouped by reason class, and
write the summary to docs/unknown-verdicts.md (issue 12: "on tests/fixtures/ the number of unknown
verdicts that Terraform or the transform would decide is zero").

    python scripts/audit_unknowns.py           # rewrite docs/unknown-verdicts.md
    python scripts/audit_unknowns.py --check   # exit 1 if it is stale or a reason is unclassified

Cases are the fixture folders tests/test_fixtures.py discovers (tests/fixtures/<format>/<case>/),
each scanned as that test scans it: on its own, and again with the `--tf-dir` its expected.yaml
gives under `with_tf_dir`. Each undecided piece of evidence of an unknown table is sorted into
the first class below whose pattern it matches. Every class is unknown by nature: a value the
code does not hold (known only after apply, chosen at deploy time, left open on purpose), or an
input that Terraform or CloudFormation itself rejects. A reason no class matches is
"unclassified": a gap to fix in the evaluator, or a new class to document here and in the
README ("What stays unknown by nature"). tests/test_unknown_audit.py keeps both true.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
FORMATS = ("terraform", "cloudformation", "plan", "terragrunt")  # as tests/test_fixtures.py
OUTPUT = REPO / "docs" / "unknown-verdicts.md"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class ReasonClass:
    name: str
    why: str  # why the value stays unknown, whatever the evaluator does
    patterns: tuple[str, ...]


# Order matters: an unreadable input explains everything else said about its table.
CLASSES: tuple[ReasonClass, ...] = (
    ReasonClass("rejected-input",
                "an input that Terraform, Terragrunt or CloudFormation rejects (syntax, invalid "
                "count/for_each/type, module recursion, a missing module): nothing is deployed",
                (r"could not be read, so what was read cannot decide",
                 r"\(Terraform rejects it\)", r"its template cannot be read",
                 r"module source \"[^\"]*\" is not a directory",
                 r"the value given to var\.\S+ is invalid")),
    ReasonClass("unset-input",
                "a variable or parameter with no default and no value, or a template parameter "
                "whose Default a deploy may override, left open on purpose: every value it may "
                "take is a world (--var, --parameter pin it)",
                (r"has no default and no value is set", r"has no Default and no --parameter",
                 r"is not pinned: a deploy may pass another value than its Default",
                 r"which the parameters the parent passes do not decide")),
    ReasonClass("workspace",
                "terraform.workspace is chosen when Terraform runs (--workspace names it)",
                (r"terraform\.workspace is chosen at run time",)),
    ReasonClass("deploy-region",
                "the Region a stack deploys to (AWS::Region; --parameter AWS::Region pins it)",
                (r"pin it with --parameter AWS::Region",)),
    ReasonClass("plan-without-configuration",
                "a plan JSON scanned without the configuration it was made from: the plan says "
                "only which resource a value refers to, not how (--tf-dir gives the code)",
                (r"pass --tf-dir with the configuration",)),
    ReasonClass("dynamic-reference",
                "a CloudFormation dynamic reference ({{resolve:ssm:...}}, secretsmanager): its "
                "value is read from the account when the stack is deployed",
                (r"which CloudFormation reads when it deploys the stack",)),
    ReasonClass("after-apply",
                "a value the provider or AWS assigns when the resource is created (an ARN, an "
                "id, terraform_data's output); the plan does not know it either",
                (r"is only known after apply", r"is known only after apply",
                 r"the policy's content is unknown")),
    ReasonClass("outside-repository",
                "a file outside the scanned repository (absolute, `..`, a link out, `~`): never "
                "read, by design",
                (r"leads outside the repository", r"in the home directory of whoever runs",
                 r"meets the link \S+, which is not followed")),
    ReasonClass("outside-code",
                "protection decided outside the scanned code: an Organizations policy this code "
                "does not attach, or an attachment whose policy the code leaves open",
                (r"does not attach this policy to any account or OU",
                 r"an attachment may attach this policy: its policy_id is undecided")),
    ReasonClass("remote-code",
                "a remote module or nested template: never fetched (offline), so not analysed",
                (r"its template is remote", r"remote module")),
    ReasonClass("terragrunt-runtime",
                "what only the machine Terragrunt runs on knows: dependency outputs, get_env(), "
                "a missing parent include, generated code from such values",
                (r"dependency\.\S+\.outputs are the outputs of another unit",
                 r"get_env\(\): the environment Terragrunt runs in is not known",
                 r"may be set where it cannot be read: include",
                 r"the file generate \"\S+\" writes is not decided")),
    ReasonClass("macro",
                "a CloudFormation macro (Transform, Fn::Transform) other than SAM and "
                "AWS::LanguageExtensions: it may rewrite any resource",
                (r"a macro the analyzer does not model", r"which the analyzer does not model")),
)


@dataclass(frozen=True)
class Unknown:
    case: str  # <format>/<case>, plus " (--tf-dir X)" for the second scan
    table: str
    reasons: tuple[tuple[str, str], ...]  # (class, reason text)


def classify(reason: str) -> str:
    for cls in CLASSES:
        if any(re.search(p, reason) for p in cls.patterns):
            return cls.name
    return UNCLASSIFIED


def case_dirs() -> list[Path]:
    return sorted(p for fmt in FORMATS for p in (FIXTURES / fmt).iterdir()
                  if p.is_dir() and not p.name.startswith("."))


def collect() -> list[Unknown]:
    from analyzer.pipeline import scan

    out: list[Unknown] = []
    for case in case_dirs():
        name = case.relative_to(FIXTURES).as_posix()
        out.extend(_unknowns(name, scan([str(case)])))
        expected = yaml.safe_load((case / "expected.yaml").read_text()) or {}
        if "with_tf_dir" in expected:
            tf_dir = expected["with_tf_dir"]["tf_dir"]
            here = Path.cwd()
            os.chdir(case)  # as the fixture test: units named from the case folder
            try:
                out.extend(_unknowns(f"{name} (--tf-dir {tf_dir})", scan(["."], tf_dir=tf_dir)))
            finally:
                os.chdir(here)
    return out


def _unknowns(case: str, result: object) -> Iterator[Unknown]:
    from analyzer.engine import unknown_message
    from analyzer.model import Status, Tri

    for verdict in result.verdicts:  # type: ignore[attr-defined]
        if verdict.status is not Status.UNKNOWN:
            continue
        table = verdict.table
        address = f"{table.address}@{table.replica_region}" if table.replica_region \
            else table.address
        texts = [ev.message for ev in verdict.evidence if ev.applies is Tri.UNKNOWN]
        texts = texts or [unknown_message(verdict)]
        yield Unknown(case, address, tuple((classify(t), t) for t in texts))


def render(unknowns: list[Unknown]) -> str:
    by_class: dict[str, list[tuple[Unknown, str]]] = {}
    for item in unknowns:
        for cls, text in item.reasons:
            by_class.setdefault(cls, []).append((item, text))
    order = [c.name for c in CLASSES] + [UNCLASSIFIED]
    lines = [
        "# Unknown verdicts of the fixtures",
        "",
        "Generated by `python scripts/audit_unknowns.py` (tests/test_unknown_audit.py checks it is",
        "up to date). Every unknown verdict of `tests/fixtures/`, each undecided reason sorted",
        "into a class of what stays unknown by nature (README.md, \"What stays unknown by",
        "nature\"). A reason in no class would be a gap: a verdict the code decides.",
        "",
        f"Unknown verdicts: {len(unknowns)}; reasons: "
        f"{sum(len(u.reasons) for u in unknowns)}; unclassified: "
        f"{len(by_class.get(UNCLASSIFIED, []))}.",
        "",
        "| class | reasons | why it stays unknown |",
        "|---|---|---|",
    ]
    whys = {c.name: c.why for c in CLASSES} | {UNCLASSIFIED: "a gap: to be decided"}
    lines += [f"| {c} | {len(by_class[c])} | {whys[c]} |" for c in order if c in by_class]
    for cls in order:
        if cls not in by_class:
            continue
        lines += ["", f"## {cls}", ""]
        for item, text in sorted(by_class[cls], key=lambda x: (x[0].case, x[0].table, x[1])):
            lines.append(f"- `{item.case}` `{item.table}`: {_one_line(text)}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the summary is stale or a reason is unclassified")
    args = parser.parse_args(argv)
    unknowns = collect()
    text = render(unknowns)
    gaps = [(u.case, u.table, t) for u in unknowns for c, t in u.reasons if c == UNCLASSIFIED]
    for case, table, reason in gaps:
        print(f"unclassified: {case} {table}: {reason}", file=sys.stderr)
    if args.check:
        stale = not OUTPUT.is_file() or OUTPUT.read_text() != text
        if stale:
            print(f"{OUTPUT.relative_to(REPO)} is stale: rerun scripts/audit_unknowns.py",
                  file=sys.stderr)
        return 1 if stale or gaps else 0
    OUTPUT.write_text(text)
    print(f"{len(unknowns)} unknown verdicts, {len(gaps)} unclassified reasons")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
