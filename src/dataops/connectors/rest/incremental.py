"""Incremental reads: keep only records past the watermark.

REST APIs have no common way to filter on a field, so the filter runs client-side on every page
(the API is still paged through in full; put the API's own filter, ``updated_since=...``, in the
spec's params to save the transfer). Records whose watermark field is missing or null are left
out: nothing says they are new. ISO-8601 text compares with a ``datetime``/``date`` watermark as
a time, not as text.

>>> import datetime as dt
>>> mark = Watermark("updated", dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc))
>>> records = [{"updated": "2024-01-01T00:00:00Z"}, {"updated": "2024-01-03T00:00:00Z"}, {}]
>>> [index for index, _ in newer_than(enumerate(records), mark)]
[1]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from dataops.connectors.base import Watermark
from dataops.connectors.errors import SourceDataError
from dataops.connectors.json_kinds import json_type


def newer_than(
    records: Iterable[tuple[int, Any]], watermark: Watermark | None
) -> Iterator[tuple[int, Any]]:
    """The ``(index, record)`` pairs whose ``watermark.column`` is greater than its value."""
    if watermark is None or watermark.value is None:
        yield from records
        return
    for index, record in records:
        if not isinstance(record, dict):
            yield index, record  # the batcher reports it
            continue
        value = record.get(watermark.column)
        if value is not None and _is_after(value, watermark.value, index, watermark.column):
            yield index, record


def _is_after(value: Any, mark: Any, index: int, column: str) -> bool:
    try:
        if isinstance(mark, dt.datetime | dt.date) and isinstance(value, str):
            parsed = dt.datetime.fromisoformat(value)
            if not isinstance(mark, dt.datetime):
                return parsed.date() > mark
            return parsed > mark
        if isinstance(value, bool) or isinstance(mark, bool):
            raise TypeError
        if isinstance(value, int | float) and isinstance(mark, int | float):
            return value > mark
        if isinstance(value, str) and isinstance(mark, str):
            return value > mark
        raise TypeError
    except (TypeError, ValueError) as exc:
        raise SourceDataError(
            f"record {index}: watermark field {column!r} is a JSON {json_type(value)} that "
            f"cannot be compared with the watermark (a {type(mark).__name__})",
            details={"record": index, "field": column},
        ) from exc
