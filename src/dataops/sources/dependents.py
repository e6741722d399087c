"""What depends on a source. Later domains (datasets) register a finder; deleting a source with
dependents is refused unless an admin forces it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from dataops.sources.schemas import DependentsOut

DependentsFinder = Callable[[Session, str], list[DependentsOut]]

_FINDERS: list[DependentsFinder] = []


def register_dependents_finder(finder: DependentsFinder) -> None:
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def find_dependents(session: Session, source_id: str) -> list[DependentsOut]:
    found: list[DependentsOut] = []
    for finder in _FINDERS:
        found.extend(finder(session, source_id))
    return found
