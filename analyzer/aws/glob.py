"""Three-valued glob matching over atoms, by dynamic programming (no exponential backtracking).

An atom is one literal character (a 1-char `str`), `STAR` (any run, possibly empty), `ONE` (any
single character, used by StringLike only), an `Unknown` piece of a partly known pattern (any run,
but a match through it is only UNKNOWN), or a `Ref` (an identity; resolved before globbing).
"""

from __future__ import annotations

from analyzer.aws.outcome import NO, YES, Res, unknown
from analyzer.model import Ref, Unknown


class _Wild:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


STAR = _Wild("*")
ONE = _Wild("?")

Atom = str | _Wild | Unknown | Ref


def glob_atoms(text: str, *, question_mark: bool = False) -> list[Atom]:
    """Atoms of a glob: `*` is STAR; `?` is ONE only where the syntax has it (StringLike)."""
    out: list[Atom] = []
    for ch in text:
        if ch == "*":
            out.append(STAR)
        elif ch == "?" and question_mark:
            out.append(ONE)
        else:
            out.append(ch)
    return out


def render(atoms: list[Atom] | tuple[Atom, ...]) -> str:
    """The atoms as the user wrote them (`${?}` for an unknown piece, `${addr.attr}` for a Ref)."""
    parts = []
    for atom in atoms:
        if isinstance(atom, Unknown):
            parts.append("${?}")
        elif isinstance(atom, Ref):
            parts.append("${" + str(atom) + "}")
        else:
            parts.append(str(atom))
    return "".join(parts)


def hole_reason(hole: Unknown) -> str:
    return f"part of the pattern is unknown ({hole.reason})"


def glob_match(atoms: list[Atom] | tuple[Atom, ...], text: str) -> Res:
    """Does `text` match the atoms?"""
    return glob_suffixes(atoms, text)[0]


def glob_suffixes(atoms: list[Atom] | tuple[Atom, ...], text: str) -> list[Res]:
    """For every i, does `text` match atoms[i:]? One bottom-up DP over (atom index, text index),
    O(len(atoms) * len(text)), so no exponential backtracking on many '*'."""
    n, m = len(atoms), len(text)
    # nxt[k]: result for atoms[i+1:] against text[k:]; start with the empty pattern.
    nxt = [NO] * m + [YES]
    firsts = [nxt[0]]
    for i in range(n - 1, -1, -1):
        atom = atoms[i]
        if isinstance(atom, str):  # a literal character, the common atom: one row at once
            cur = [nxt[k + 1] if text[k] == atom else NO for k in range(m)] + [NO]
        else:
            cur = [NO] * (m + 1)
            for k in range(m, -1, -1):
                cur[k] = _step(atom, text, k, cur, nxt)
        nxt = cur
        firsts.append(nxt[0])
    return firsts[::-1]


def _step(atom: Atom, text: str, k: int, cur: list[Res], nxt: list[Res]) -> Res:
    more = k < len(text)
    if atom is STAR:
        return nxt[k] | cur[k + 1] if more else nxt[k]
    if isinstance(atom, Unknown):
        rest = nxt[k] | cur[k + 1] if more else nxt[k]
        return unknown(hole_reason(atom)) & rest
    if atom is ONE:
        return nxt[k + 1] if more else NO
    if isinstance(atom, str) and more and text[k] == atom:
        return nxt[k + 1]
    return NO
