"""Colour conventions (NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE) through the real command line, and
the progress line with a fake terminal (issue 14 item 14)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import progress
from analyzer.cli.color import use_color
from analyzer.cli.command import main
from analyzer.cli.progress import ProgressLine, progress_line

UNPROTECTED = """\
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""
ESC = "\x1b["


def _report(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    (tmp_path / "main.tf").write_text(UNPROTECTED)
    clean = {"NO_COLOR": "", "FORCE_COLOR": "", "CLICOLOR_FORCE": "", **env}
    result = CliRunner().invoke(main, [*args, str(tmp_path)], env=clean)
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize(("env", "args", "coloured"), [
    ({}, (), False),  # not a terminal
    ({"FORCE_COLOR": "1"}, (), True),
    ({"FORCE_COLOR": "0"}, (), True),  # force-color.org: any non-empty value
    ({"CLICOLOR_FORCE": "1"}, (), True),
    ({"CLICOLOR_FORCE": "0"}, (), False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, (), False),  # disabling wins
    ({"FORCE_COLOR": "1"}, ("--no-color",), False),
])
def test_colour_follows_the_conventions(tmp_path: Path, env: dict[str, str],
                                        args: tuple[str, ...], coloured: bool) -> None:
    out = _report(tmp_path, env, *args)
    assert "DDB001" in out
    assert (ESC in out) is coloured


def test_help_says_the_precedence() -> None:
    result = CliRunner().invoke(main, ["--help"])
    text = " ".join(result.output.split())
    assert "FORCE_COLOR" in text and "--no-color and NO_COLOR win" in text


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_quick_run_shows_nothing() -> None:
    stream, clock = FakeTerminal(), Clock()
    line = ProgressLine(stream, clock=clock)
    for done in range(5):
        clock.now = done * 0.1
        line(done, 5)
    line.close()
    assert stream.getvalue() == ""


def test_a_slow_run_shows_a_counter_and_erases_it() -> None:
    stream, clock = FakeTerminal(), Clock()
    line = ProgressLine(stream, clock=clock)
    clock.now = 1.5
    line(3, 10)
    assert stream.getvalue() == "\riac-ddb-lint: loading: 3/10 units"
    clock.now = 1.52
    line(4, 10)  # within the interval: not rewritten
    assert stream.getvalue().count("\r") == 1
    clock.now = 2.0
    line(10, 10)
    assert stream.getvalue().endswith("\riac-ddb-lint: loading: 10/10 units")
    line.close()
    width = len("iac-ddb-lint: loading: 10/10 units")
    assert stream.getvalue().endswith("\r" + " " * width + "\r")
    assert ESC not in stream.getvalue()


def test_never_on_a_stream_that_is_not_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, clock=clock)
    clock.now = 5.0
    line(1, 2)
    line.close()
    assert stream.getvalue() == ""


def test_the_pipeline_reports_its_units(tmp_path: Path) -> None:
    from analyzer.pipeline import scan

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(UNPROTECTED)
    seen: list[tuple[int, int]] = []
    with progress.listening(lambda done, total: seen.append((done, total))):
        scan([str(tmp_path)])
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_the_command_line_erases_its_line_on_a_slow_run(tmp_path: Path) -> None:
    stream = FakeTerminal()
    with progress_line(stream) as line:
        line.start -= 10  # as if the run began ten seconds ago
        progress.step(1, 2)
    assert stream.getvalue().startswith("\riac-ddb-lint: loading: 1/2 units")
    assert stream.getvalue().endswith(" \r")


def test_use_color_on_a_terminal() -> None:
    assert use_color(False, FakeTerminal(), {}) is True
    assert use_color(False, FakeTerminal(), {"NO_COLOR": "1"}) is False
    assert use_color(False, io.StringIO(), {"NO_COLOR": ""}) is False
