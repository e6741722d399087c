"""Reading ahead: the source is read in a thread while the lake writer encodes the previous
batches, so network/parse time and Parquet encoding overlap (both release the GIL).

At most ``depth`` batches wait in between: memory stays bounded whatever the table size.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar, cast

T = TypeVar("T")

_DONE = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Prefetch(Generic[T]):
    """Iterate ``source`` in a background thread, ``depth`` items ahead.

    >>> list(Prefetch(iter(range(5)), depth=2))
    [0, 1, 2, 3, 4]
    """

    def __init__(self, source: Iterator[T], depth: int = 2) -> None:
        self._source = source
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="prefetch", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._source:
                if not self._put(item):
                    break
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(_Failure(exc))
            return
        finally:
            close = getattr(self._source, "close", None)
            if close is not None:
                close()
        self._put(_DONE)

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                item = self._queue.get()
                if item is _DONE:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield cast("T", item)
        finally:
            self.close()

    def close(self) -> None:
        """Stop reading (the consumer is done or failed) and wait for the reader thread."""
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
            self._thread.join(0.05)
