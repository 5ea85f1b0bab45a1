"""GitHub workflow commands, Markdown, JUnit XML and GitLab Code Quality, each checked against
what its consumer reads; and the CLI's --output, --exit-zero and determinism for every format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.hand_built import sample_result, verdict
from support.paths import TESTS
from support.reports import FIXTURES, assert_valid_sarif, copy_case, run

from analyzer.catalog import load_rules, rules_by_id
from analyzer.cli import main
from analyzer.engine import evaluate
from analyzer.model import Evidence, Location, Status, Tri
from analyzer.pipeline import ScanResult
from analyzer.report import FORMATS, github, gitlab, junit, markdown


def _render(module, result: ScanResult, **options: bool) -> str:  # type: ignore[no-untyped-def]
    rules = load_rules()
    return module.render(result, evaluate(result, rules), rules, **options)


def _odd_result() -> ScanResult:
    """Names and messages with every character the formats must escape."""
    result = ScanResult(Path.cwd())  # the usual case: the working directory scanned
    odd = 'aws_dynamodb_table.t["a,b:c|d"]'
    evidence = Evidence(
        "backup_selection", Tri.UNKNOWN, "100% sure?\nno | maybe", "sel", Location("b.tf", 3)
    )
    result.verdicts = [verdict(odd, Status.UNKNOWN, 7, evidence, file="dir,x/a:b.tf")]
    return result


# ---------------------------------------------------------------- GitHub


def test_github_escaping() -> None:
    assert github.escape_data("100%\r\nx:y,z") == "100%25%0D%0Ax:y,z"
    assert github.escape_property("100%\r\nx:y,z") == "100%25%0D%0Ax%3Ay%2Cz"
    line = _render(github, _odd_result()).splitlines()[0]
    assert line == (
        "::warning file=dir%2Cx/a%3Ab.tf,line=7,"
        'title=DDB002 aws_dynamodb_table.t["a%2Cb%3Ac|d"]::'
        "protection unknown: sel: 100%25 sure?%0Ano | maybe%0Afix: "
        + rules_by_id(load_rules())["DDB002"].short_fix
        + " (see README.md#ddb002)"
    )


def test_github_annotations_of_the_sample() -> None:
    lines = _render(github, sample_result()).splitlines()
    assert lines[0].startswith(
        "::error file=main.tf,line=20,title=DDB001 aws_dynamodb_table.users::not protected: "
    )
    assert any(line.startswith("::warning file=main.tf,line=30,title=DDB002 ") for line in lines)
    assert "::error file=broken/main.tf,line=3,col=7,title=iac-ddb-lint%3A input could not " \
        "be read::unexpected token" in lines
    assert not any("aws_dynamodb_table.cache" in line for line in lines)  # suppressed
    verbose = _render(github, sample_result(), verbose=True)
    assert "::notice file=main.tf,line=50,title=DDB001 aws_dynamodb_table.cache::" in verbose
    assert lines[-1] == "6 tables: 1 protected, 4 unprotected, 1 unknown, 1 suppressed, 1 error"


# ---------------------------------------------------------------- Markdown


def test_markdown_headline_findings_first_then_every_table() -> None:
    text = _render(markdown, sample_result())
    lines = text.splitlines()
    assert lines[0].startswith("## iac-ddb-lint: ❌ 1 input(s) could not be read")
    assert text.index("### Findings") < text.index("### DynamoDB tables")
    assert "| aws_dynamodb_table.orders | main.tf:1 | ✅ protected | PITR |" in lines
    assert "| aws_dynamodb_table.users | main.tf:20 | ❌ unprotected | none |" in lines
    assert (
        "| aws_dynamodb_table.global (replica in eu-west-1) | main.tf:40 | ❌ unprotected | none |"
        in lines
    )
    events = next(line for line in lines if line.startswith("| aws_dynamodb_table.events |"))
    assert "⚠️ unknown" in events and "aws_backup_selection.tagged" in events
    assert "<details><summary>1 suppressed</summary>" in lines


def test_markdown_names_the_selection_that_protects(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy_case("central_backup_root", tmp_path)
    monkeypatch.chdir(tmp_path)
    _, text = run(["infra"], "markdown")
    row = next(line for line in text.splitlines() if "aws_dynamodb_table.tagged |" in line)
    assert row.startswith("| aws_dynamodb_table.tagged | infra/app/tables.tf:1 | ✅ protected |")
    assert "AWS Backup aws_backup_selection.central (infra/backup/selection.tf:" in row


def test_markdown_escapes_cells() -> None:
    text = _render(markdown, _odd_result())
    row = next(line for line in text.splitlines() if line.startswith('| aws_dynamodb_table.t['))
    # Only the unescaped pipes separate cells: 4 columns, 5 separators.
    assert len([i for i, ch in enumerate(row) if ch == "|" and row[i - 1] != "\\"]) == 5
    assert 'a,b:c\\|d' in row and "no \\| maybe" in row and "\n" not in row
    assert markdown.cell("<b>&`x`") == "&lt;b&gt;&amp;\\`x\\`"


def test_markdown_all_protected() -> None:
    _, text = run([str(FIXTURES / "selection_all_tables")], "markdown")
    assert text.splitlines()[0].startswith("## iac-ddb-lint: ✅ all ")


# ---------------------------------------------------------------- JUnit


def _junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_counts_and_shape() -> None:
    root = _junit(_render(junit, sample_result()))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    kinds = ("failure", "error", "skipped")
    outcome = {k: [c for c in cases if c.find(k) is not None] for k in kinds}
    for element in (root, suites[0]):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(outcome["failure"]))
        assert element.get("errors") == str(len(outcome["error"]))
        assert element.get("skipped") == str(len(outcome["skipped"]))
    # 6 tables x (DDB001, DDB002) + the DDB003 finding + the unreadable input
    assert len(cases) == 6 * 2 + 1 + 1
    assert len(outcome["failure"]) == 5 and len(outcome["error"]) == 1
    assert len(outcome["skipped"]) == 1
    passed = [c for c in cases if len(c) == 0]
    assert any(c.get("name") == "aws_dynamodb_table.orders: dynamodb-table-without-backup"
               for c in passed)
    users = next(c for c in outcome["failure"] if "aws_dynamodb_table.users" in c.get("name"))
    failure = users.find("failure")
    assert users.get("classname") == "iac-ddb-lint.DDB001"
    assert (users.get("file"), users.get("line")) == ("main.tf", "20")
    assert failure.get("type") == "DDB001" and failure.get("message").startswith("not protected")
    assert failure.text.startswith("main.tf:20: DDB001 aws_dynamodb_table.users: ")
    names = [(c.get("classname"), c.get("name"), c.get("file")) for c in cases]
    assert len(set(names)) == len(names)


def test_junit_on_a_fixture_and_control_characters() -> None:
    _, text = run([str(FIXTURES / "pitr_settings")], "junit")
    cases = _junit(text).find("testsuite").findall("testcase")
    assert len(cases) == 5 * 2
    failed = sorted(c.get("name") for c in cases if c.find("failure") is not None)
    assert failed == [
        "aws_dynamodb_table.pitr_absent: dynamodb-table-without-backup",
        "aws_dynamodb_table.pitr_false: dynamodb-table-without-backup",
        "aws_dynamodb_table.pitr_unset_var: dynamodb-table-protection-unknown",
    ]
    odd = _odd_result()
    broken = Evidence("backup_selection", Tri.UNKNOWN, "bell\x07 here", "s", None)
    odd.verdicts = [verdict("aws_dynamodb_table.x", Status.UNKNOWN, 1, broken)]
    assert "bell\\x07 here" in _render(junit, odd)  # escaped, visible, valid XML
    _junit(_render(junit, odd))


# ---------------------------------------------------------------- GitLab Code Quality


def test_gitlab_code_quality_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("suppression", tmp_path)
    copy_case("syntax_error", tmp_path, "broken")
    monkeypatch.chdir(tmp_path)
    result, text = run(["infra", "broken"], "gitlab")
    issues = json.loads(text)
    assert isinstance(issues, list)
    findings = evaluate(result, load_rules())
    assert len(issues) == sum(1 for f in findings if not f.suppressed) + 1  # + unreadable input
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        path = issue["location"]["path"]
        assert not path.startswith(("/", "./")) and (tmp_path / path).is_file()
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_check = {i["check_name"]: i for i in issues}
    assert by_check["DDB001"]["severity"] == "critical"
    assert by_check["DDB003"]["severity"] == "minor"
    assert by_check["iac-ddb-lint/unreadable-input"]["location"] == {
        "path": "broken/broken.tf",
        "lines": {"begin": 5},
    }


def test_gitlab_fingerprints_are_unique_even_for_repeated_keys() -> None:
    result = ScanResult(Path.cwd())  # the usual case: the working directory scanned
    result.verdicts = [
        verdict("aws_dynamodb_table.a", Status.UNPROTECTED, 1),
        verdict("aws_dynamodb_table.a", Status.UNPROTECTED, 9),
    ]
    issues = json.loads(_render(gitlab, result))
    assert len(issues) == 2 and issues[0]["fingerprint"] != issues[1]["fingerprint"]


# ---------------------------------------------------------------- command line


def test_output_file_and_text_on_the_terminal_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_case("selection_tag", tmp_path)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(
        main,
        [
            "--format", "github",
            "--output", "sarif:out/r.sarif",
            "--output", "markdown:out/summary.md",
            "--output", "junit:out/junit.xml",
            "--output", "gitlab:out/gl.json",
            "infra",
        ],
    )
    assert out.exit_code == 1, out.output
    assert out.output.startswith("::error file=infra/main.tf,line=")  # every output named: github
    assert_valid_sarif((tmp_path / "out/r.sarif").read_text("utf-8"))
    assert (tmp_path / "out/summary.md").read_text("utf-8").startswith("## iac-ddb-lint: ❌")
    _junit((tmp_path / "out/junit.xml").read_text("utf-8"))
    assert json.loads((tmp_path / "out/gl.json").read_text("utf-8"))

    out = CliRunner().invoke(main, ["--format", "json", "-o", "r.json", "infra"])
    assert out.exit_code == 1
    assert out.output.splitlines()[-1] == "3 tables: 1 protected, 2 unprotected, 0 unknown"
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["summary"]["tables"] == 3


def test_exit_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("selection_tag", tmp_path)
    copy_case("syntax_error", tmp_path, "broken")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["infra"]).exit_code == 1
    out = CliRunner().invoke(main, ["--exit-zero", "infra"])
    assert out.exit_code == 0 and "DDB001 aws_dynamodb_table.untagged" in out.output
    # fail closed: an input that cannot be read still exits 2, and so does a usage error
    assert CliRunner().invoke(main, ["--exit-zero", "broken"]).exit_code == 2
    assert CliRunner().invoke(main, ["--exit-zero", "--format", "xml", "infra"]).exit_code == 2


def test_unwritable_output_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("selection_tag", tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = CliRunner().invoke(main, ["--output", "file/r.sarif", "infra"])
    assert out.exit_code == 2
    assert "cannot write file/r.sarif" in out.output and "internal error" not in out.output


def test_the_cli_offers_every_format() -> None:
    from analyzer.cli import reporting

    assert reporting.FORMATS == FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_byte_identical_across_hash_seeds(fmt: str) -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from support import hand_built as t; "
        "from analyzer.catalog import load_rules; from analyzer.engine import evaluate; "
        "from analyzer.report import renderer; r = t.sample_result(); rules = load_rules(); "
        "sys.stdout.write(renderer(sys.argv[2])(r, evaluate(r, rules), rules, verbose=True))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(TESTS), fmt],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outputs) == 1


# ---------------------------------------------------------------- fixes under every finding


def test_every_format_shows_the_short_fix_and_docs_link_of_active_findings() -> None:
    rules = rules_by_id(load_rules())
    hint = f"{rules['DDB001'].short_fix} (see README.md#ddb001)"
    annotation = _render(github, sample_result()).splitlines()[0]
    assert annotation.endswith("%0Afix: " + github.escape_data(hint))
    table = _render(markdown, sample_result()).splitlines()
    head = next(line for line in table if line.startswith("| Rule |"))
    assert head.endswith("| Message | Fix |")
    users = next(line for line in table if "aws_dynamodb_table.users" in line and "DDB001" in line)
    assert users.endswith(f"| {markdown.cell(hint)} |")
    issues = json.loads(_render(gitlab, sample_result()))
    assert issues[0]["description"].endswith(f". Fix: {hint}")
    failures = _junit(_render(junit, sample_result())).iter("failure")
    assert all(f.text and "\\nfix: " in f.text and "(see README.md#ddb" in f.text
               for f in failures)
    # a suppressed finding has nothing to fix
    verbose = _render(github, sample_result(), verbose=True).splitlines()
    notice = next(line for line in verbose if line.startswith("::notice"))
    assert "fix: " not in notice
