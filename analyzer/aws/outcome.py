"""A three-valued result that remembers why: the reasons for UNKNOWN and the assumptions made."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model import Tri


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


@dataclass(frozen=True)
class Res:
    """`reasons` say why the answer is UNKNOWN; `notes` are assumptions a YES or UNKNOWN rests on
    (both are clauses for a human message)."""

    tri: Tri
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __or__(self, other: Res) -> Res:
        # The better answer wins and keeps its own story; two unknowns pool their reasons.
        for res in (self, other):
            if res.tri is Tri.YES:
                return res
        if self.tri is Tri.UNKNOWN and other.tri is Tri.UNKNOWN:
            return Res(Tri.UNKNOWN, _merge(self.reasons, other.reasons), self.notes)
        return self if self.tri is Tri.UNKNOWN or other.tri is Tri.NO else other

    def __and__(self, other: Res) -> Res:
        for res in (self, other):
            if res.tri is Tri.NO:
                return res
        tri = self.tri & other.tri
        return Res(tri, _merge(self.reasons, other.reasons), _merge(self.notes, other.notes))

    def __invert__(self) -> Res:
        return Res(~self.tri, self.reasons, self.notes)

    def with_note(self, note: str) -> Res:
        return Res(self.tri, self.reasons, _merge(self.notes, (note,)))


YES = Res(Tri.YES)
NO = Res(Tri.NO)


def unknown(reason: str) -> Res:
    return Res(Tri.UNKNOWN, (reason,))
