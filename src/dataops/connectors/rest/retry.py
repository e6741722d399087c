"""When to retry a request and how long to wait: pure functions, no I/O.

Transient failures are connection errors, timeouts, 5xx and 429. The wait is exponential backoff
with *full jitter* (a uniform draw between 0 and the doubling ceiling, so many clients retrying
together spread out), counted from the start of the failed attempt (a timed-out attempt has
already waited), except after a 429 carrying ``Retry-After``, which is obeyed.

>>> backoff_ceiling(1, initial=0.5, maximum=30.0), backoff_ceiling(3, initial=0.5, maximum=30.0)
(0.5, 2.0)
>>> backoff_ceiling(20, initial=0.5, maximum=30.0)
30.0
>>> parse_retry_after("2")
2.0
>>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
10.0
>>> parse_retry_after("soon") is None
True
"""

from __future__ import annotations

import email.utils
import random
import time

RETRYABLE_STATUSES = frozenset({429, *range(500, 600)})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUSES


def backoff_ceiling(retry: int, *, initial: float, maximum: float) -> float:
    """The largest wait before retry number ``retry`` (1 = the first retry)."""
    return min(maximum, initial * 2.0 ** min(retry - 1, 62))


def backoff_delay(
    retry: int, *, initial: float, maximum: float, rng: random.Random | None = None
) -> float:
    """A full-jitter wait: uniform in ``[0, backoff_ceiling(retry)]``."""
    ceiling = backoff_ceiling(retry, initial=initial, maximum=maximum)
    return (rng or random).uniform(0.0, ceiling)  # jitter, not cryptography


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent
    or unreadable. A date in the past means 0."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(int(text)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)
