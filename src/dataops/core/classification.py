"""Classification levels (U < C < S < TS), used for user clearances and asset labels."""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    U = "U"
    C = "C"
    S = "S"
    TS = "TS"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _TITLES[self]

    def dominates(self, other: Classification) -> bool:
        """True if a holder of this clearance may see data labelled ``other``.

        >>> Classification.S.dominates(Classification.C)
        True
        >>> Classification.C.dominates(Classification.TS)
        False
        """
        return self.rank >= other.rank


_ORDER = [Classification.U, Classification.C, Classification.S, Classification.TS]
_TITLES = {
    Classification.U: "Unclassified",
    Classification.C: "Confidential",
    Classification.S: "Secret",
    Classification.TS: "Top Secret",
}
