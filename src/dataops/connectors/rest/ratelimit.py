"""Client-side rate limiting: at most N requests per second, plus pauses the server asks for.

Requests are spaced at least ``1 / N`` seconds apart (no bursts: APIs count per second, and a
burst at the start of every second is what trips their limits). A 429 with ``Retry-After`` pauses
every request of the connector, not only the one that was refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Throttle:
    """Reserves send slots; thread-safe. ``max_per_second=None`` only honours server pauses."""

    def __init__(
        self,
        max_per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / max_per_second if max_per_second else 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = 0.0
        self._paused_until = 0.0

    def wait(self) -> float:
        """Block until this caller may send; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_slot, self._paused_until)
            self._next_slot = start + self._interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (the server said so)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
