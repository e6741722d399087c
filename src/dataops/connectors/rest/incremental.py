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
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from dataops.connectors.base import Watermark
from dataops.connectors.errors import SourceDataError
from dataops.connectors.json_kinds import json_type


def newer_than(
    records: Iterable[tuple[int, Any]],
    watermark: Watermark | None,
    reject: Callable[[int, Any, str], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """The ``(index, record)`` pairs whose ``watermark.column`` is greater than its value.

    A watermark field that cannot be compared fails the read, or, with ``reject``, that record is
    passed there with the reason and left out."""
    if watermark is None or watermark.value is None:
        yield from records
        return
    for index, record in records:
        if not isinstance(record, dict):
            yield index, record  # the batcher reports it
            continue
        value = record.get(watermark.column)
        if value is None:
            continue
        after = _is_after(value, watermark.value)
        if after is None:
            reason = (
                f"watermark field {watermark.column!r} is a JSON {json_type(value)} that cannot "
                f"be compared with the watermark (a {type(watermark.value).__name__})"
            )
            if reject is None:
                raise SourceDataError(
                    f"record {index}: {reason}",
                    details={"record": index, "field": watermark.column},
                )
            reject(index, record, reason)
        elif after:
            yield index, record


def _is_after(value: Any, mark: Any) -> bool | None:
    """Whether ``value`` is past ``mark``; None if they cannot be compared."""
    try:
        if isinstance(mark, dt.datetime | dt.date) and isinstance(value, str):
            parsed = dt.datetime.fromisoformat(value)
            if not isinstance(mark, dt.datetime):
                return parsed.date() > mark
            return parsed > mark
        if isinstance(value, bool) or isinstance(mark, bool):
            return None
        if isinstance(value, int | float) and isinstance(mark, int | float):
            return value > mark
        if isinstance(value, str) and isinstance(mark, str):
            return value > mark
    except (TypeError, ValueError):
        return None
    return None
