"""Finding things in a JSON response body by dotted path (``data.items``, ``meta.next``).

A segment is an object key, or a list index when the value there is a list:

>>> body = {"data": {"items": [{"id": 1}, {"id": 2}]}, "meta": {"next": None}}
>>> find_path(body, "data.items.1.id")
2
>>> find_path(body, "meta.next") is None, find_path(body, "meta.cursor") is MISSING
(True, True)
>>> extract_records(body, "data.items")
[{'id': 1}, {'id': 2}]
>>> extract_records(body, "meta")
Traceback (most recent call last):
...
dataops.connectors.errors.SourceDataError: records_path 'meta' is a JSON object, not a list
"""

from __future__ import annotations

from typing import Any, Final

from dataops.connectors.errors import SourceDataError
from dataops.connectors.json_kinds import json_type


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""What :func:`find_path` returns when the path is not in the body (a JSON null is ``None``)."""


def find_path(body: Any, path: str) -> Any:
    """The value at ``path``, or :data:`MISSING`."""
    current = body
    for segment in path.split("."):
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit() and int(segment) < len(current):
            current = current[int(segment)]
        else:
            return MISSING
    return current


def extract_records(body: Any, records_path: str | None) -> list[Any]:
    """The list of records in ``body``; :class:`SourceDataError` naming the path if it is absent
    or not a list."""
    if records_path is None:
        if isinstance(body, list):
            return body
        hint = ""
        if isinstance(body, dict):
            lists = [key for key, value in body.items() if isinstance(value, list)]
            hint = f"; set records_path (lists in it: {', '.join(lists[:5])})" if lists else ""
        raise SourceDataError(
            f"the response is a JSON {json_type(body)}, not a list of records{hint}"
        )
    found = find_path(body, records_path)
    if found is MISSING:
        keys = ", ".join(list(body)[:10]) if isinstance(body, dict) else json_type(body)
        raise SourceDataError(
            f"records_path {records_path!r} not found in the response (top level: {keys})"
        )
    if not isinstance(found, list):
        raise SourceDataError(
            f"records_path {records_path!r} is a JSON {json_type(found)}, not a list"
        )
    return found
