"""Incremental watermarks: the typed start value, and the lookback window."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any


def parse_initial(text: str | None) -> Any:
    """A user-typed initial watermark as a typed value: int, float, timestamp, date or text.

    >>> parse_initial("42"), parse_initial("2.5"), parse_initial("2024-05-01")
    (42, 2.5, datetime.date(2024, 5, 1))
    >>> parse_initial("2024-05-01T10:00:00+00:00")
    datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc)
    >>> parse_initial("A-100")
    'A-100'
    """
    if text is None or text == "":
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text


def start_from(value: Any, lookback: float | None) -> Any:
    """Where the next read starts: the watermark moved back by ``lookback`` (seconds for dates
    and times, units for numbers).

    >>> start_from(datetime(2024, 1, 1, 12), 3600)
    datetime.datetime(2024, 1, 1, 11, 0)
    >>> start_from(100, 10), start_from(date(2024, 1, 2), 1)
    (90, datetime.date(2024, 1, 1))
    """
    if value is None or not lookback:
        return value
    if isinstance(value, datetime):
        return value - timedelta(seconds=lookback)
    if isinstance(value, date):
        return value - timedelta(days=math.ceil(lookback / 86_400))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value - math.ceil(lookback)
    if isinstance(value, float):
        return value - lookback
    if isinstance(value, Decimal):
        return value - Decimal(str(lookback))
    return value
