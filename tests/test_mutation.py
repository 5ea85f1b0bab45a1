"""Mutation: a table protected only by backup selections (PITR not on) must stop being
protected when those selections go. Two ways, for every fixture (tests/fixtures/*/*/):

* in the model: take the exact inventory the pipeline judged, drop the selections its evidence
  names as protecting it (and then any other that still does, until none is left), and judge
  again with `analyzer.aws.judge`;
* in the code (Terraform, where simple): copy the fixture, add `count = 0` to every
  aws_backup_selection block that has neither `count` nor `for_each` (native and JSON syntax),
  and scan again -- where every protecting selection was such a block.

Neither needs Terraform. A verdict that stays protected with nothing protecting it, or that the
evidence credited to a selection that was not needed, is what these catch.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.paths import FIXTURES

import analyzer.aws
from analyzer.model import Inventory, Status, Tri, Verdict
from analyzer.pipeline import scan

FORMATS = ("terraform", "cloudformation")
SELECTION_KINDS = ("backup_selection", "backup_policy")


def case_dirs() -> list[Path]:
    return sorted(p for fmt in FORMATS for p in (FIXTURES / fmt).iterdir() if p.is_dir())


@dataclass
class Judged:
    inventory: Inventory  # a copy of what the pipeline handed the judge
    verdicts: list[Verdict]


def judged(paths: list[str]) -> Judged:
    """Scan, keeping a copy of the inventory exactly as the pipeline judged it (before the
    variants of a table are merged into one)."""
    seen: list[Inventory] = []
    real = analyzer.aws.judge

    def spy(inventory: Inventory) -> list[Verdict]:
        seen.append(copy.deepcopy(inventory))
        return real(inventory)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analyzer.aws, "judge", spy)
        result = scan(paths)
    assert len(seen) == 1
    return Judged(seen[0], result.verdicts)


def key(verdict: Verdict) -> tuple[str, str | None, str, str]:
    t = verdict.table
    return (t.unit, t.address, t.replica_region or "", t.location.file)


def protecting(verdict: Verdict) -> set[str]:
    """The selections (and backup policies) the evidence says protect the table."""
    return {e.source for e in verdict.evidence if e.kind in SELECTION_KINDS
            and e.applies is Tri.YES and e.source}


def selection_only(verdict: Verdict) -> bool:
    pitr = verdict.evidence[0]
    return (verdict.status is Status.PROTECTED and pitr.kind == "pitr"
            and pitr.applies is not Tri.YES)


def rejudge(inventory: Inventory, dropped: set[str]) -> dict[Any, Verdict]:
    copy_ = copy.deepcopy(inventory)
    copy_.selections = [s for s in copy_.selections if s.address not in dropped]
    return {key(v): v for v in analyzer.aws.judge(copy_)}


def cases_with_selection_only_tables() -> list[Path]:
    return [c for c in case_dirs() if any(selection_only(v) for v in scan([str(c)]).verdicts)]


CASES = cases_with_selection_only_tables()


def test_some_fixtures_are_protected_by_selections_only() -> None:
    assert len(CASES) >= 10, CASES


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_dropping_the_protecting_selections_unprotects(case: Path) -> None:
    run = judged([str(case)])
    baseline = rejudge(run.inventory, set())
    problems = []
    for verdict in (v for v in run.verdicts if selection_only(v)):
        name = f"{verdict.table.unit}::{verdict.table.address}@{verdict.table.replica_region}"
        assert baseline[key(verdict)].status is Status.PROTECTED, name
        credited = protecting(verdict)
        if not credited:
            problems.append(f"{name}: protected, but no selection evidence says so")
            continue
        for one in sorted(credited):  # each alone: protected still only if another one is
            after = rejudge(run.inventory, {one})[key(verdict)]
            if after.status is Status.PROTECTED and not protecting(after) - {one}:
                problems.append(f"{name}: without {one}, still protected by nothing named")
        dropped = set(credited)
        while True:  # drop every selection that protects it, until none does
            after = rejudge(run.inventory, dropped)[key(verdict)]
            more = protecting(after) - dropped
            if after.status is not Status.PROTECTED or not more:
                break
            dropped |= more
        if after.status is Status.PROTECTED:
            problems.append(f"{name}: without {sorted(dropped)}, still protected")
    assert not problems, problems


# ---- the textual mutation (Terraform) ---------------------------------------------------------

_BLOCK = re.compile(r'^(\s*)resource\s+"aws_backup_selection"\s+"([^"]+)"\s*\{[^\n]*\n',
                    re.MULTILINE)


def _body(text: str, start: int) -> str:
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i]


def _has_meta(body: str) -> bool:
    return re.search(r"^\s*(count|for_each)\s*=", body, re.MULTILINE) is not None


def switch_off_native(text: str) -> tuple[str, set[str], set[str]]:
    """`count = 0` in every aws_backup_selection block without count/for_each: the new text,
    the names switched off, and the names left alone."""
    out, last, off, kept = [], 0, set(), set()
    for match in _BLOCK.finditer(text):
        if _has_meta(_body(text, match.end())):
            kept.add(match.group(2))
            continue
        out += [text[last:match.end()], f"{match.group(1)}  count = 0\n"]
        last = match.end()
        off.add(match.group(2))
    return "".join(out) + text[last:], off, kept


def switch_off_json(text: str) -> tuple[str, set[str], set[str]]:
    data = json.loads(text)
    off, kept = set(), set()
    sections = data.get("resource") if isinstance(data, dict) else None
    for section in sections if isinstance(sections, list) else [sections]:
        block = section.get("aws_backup_selection") if isinstance(section, dict) else None
        for name, bodies in (block or {}).items():
            for body in bodies if isinstance(bodies, list) else [bodies]:
                if "count" in body or "for_each" in body:
                    kept.add(name)
                else:
                    body["count"] = 0
                    off.add(name)
    return (json.dumps(data, indent=2) if off else text), off, kept


def switch_off(copy_dir: Path) -> tuple[set[str], set[str]]:
    """Mutate every Terraform file under `copy_dir`; the selection names switched off / kept."""
    off: set[str] = set()
    kept: set[str] = set()
    for path in sorted(copy_dir.rglob("*")):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(copy_dir).parts):
            continue
        if path.name.endswith(".tf"):
            mutate = switch_off_native
        elif path.name.endswith(".tf.json"):
            mutate = switch_off_json
        else:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            new, a, b = mutate(text)
        except (UnicodeDecodeError, ValueError):
            continue  # a deliberately broken file stays as it is
        if new != text:
            path.write_text(new, encoding="utf-8")
        off |= a
        kept |= b
    return off, kept


def resource_name(address: str) -> tuple[str, str] | None:
    """(type, name) of the resource an address names, module path and index removed."""
    match = re.search(r"(?:^|\.)([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?$", address)
    return (match.group(1), match.group(2)) if match else None


TERRAFORM_CASES = [c for c in CASES if c.parent.name == "terraform"]


@pytest.mark.parametrize("case", TERRAFORM_CASES, ids=lambda p: p.name)
def test_count_zero_on_the_selections_unprotects(case: Path, tmp_path: Path) -> None:
    before = [v for v in scan([str(case)]).verdicts if selection_only(v)]
    copy_dir = tmp_path / case.name
    shutil.copytree(case, copy_dir, symlinks=True)
    off, kept = switch_off(copy_dir)
    if not off:
        pytest.skip("no aws_backup_selection block without count/for_each to switch off")
    after = {key(v): v for v in scan([str(copy_dir)]).verdicts}
    checked, problems = 0, []
    for verdict in before:
        names = [resource_name(s) for s in protecting(verdict)]
        if not all(n and n[0] == "aws_backup_selection" and n[1] in off and n[1] not in kept
                   for n in names):
            continue  # protected also by something this mutation leaves in place
        checked += 1
        now = after.get(key(verdict))
        if now is not None and now.status is Status.PROTECTED:
            problems.append(f"{verdict.table.address}: still protected with count = 0 on "
                            f"{sorted(protecting(verdict))}")
    if not checked:
        pytest.skip("no table protected only by selections this mutation switches off")
    assert not problems, problems
