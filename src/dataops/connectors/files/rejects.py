"""What the file formats share when a read sends unreadable records to ``ReadStats.rejects``.

Recovering from a bad record means reading (part of) a file again: a second pass that finds where
the record is, or a reader reopened past the rows already emitted. Those reads must not count the
file's bytes twice in ``ReadStats.bytes`` (progress reporting): :func:`recounted` gives the file
with only the bytes past what was already counted added, and :func:`uncounted` gives it with none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import BinaryIO, cast

from typing_extensions import Buffer

from dataops.connectors.base import ReadStats, RejectSink
from dataops.connectors.files.location import SourceFile


def reject_sink(file: SourceFile) -> RejectSink | None:
    """Where ``file``'s unreadable records go; None: the read fails on the first one."""
    return file.stats.rejects if file.stats is not None else None


def counted_bytes(file: SourceFile) -> int:
    """``ReadStats.bytes`` now (0 without stats): taken when a file's read starts."""
    return file.stats.bytes if file.stats is not None else 0


def uncounted(file: SourceFile) -> SourceFile:
    """``file`` without byte counting, for second passes over bytes already counted."""
    return replace(file, stats=None)


def recounted(file: SourceFile, started_at: int) -> SourceFile:
    """``file`` read again from its start, counting only the bytes past those already counted
    since ``started_at`` (the :func:`counted_bytes` when the file's read started), so the
    counter stays monotonic and ends at the file's size."""
    if file.stats is None:
        return file
    already = max(0, file.stats.bytes - started_at)
    return _RecountedFile(file.location, file.ref, file.stats, already)


@dataclass(frozen=True)
class _RecountedFile(SourceFile):
    already: int = 0

    def open_stream(self) -> BinaryIO:
        raw = self.location.open_stream(self.ref)
        return cast("BinaryIO", _TailCounter(raw, self.stats, self.already))


class _TailCounter(io.RawIOBase):
    """Counts into ``stats.bytes`` only the bytes read past offset ``skip``."""

    def __init__(self, raw: BinaryIO, stats: ReadStats | None, skip: int) -> None:
        super().__init__()
        self._raw = raw
        self._stats = stats
        self._skip = skip
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(len(view))
        size = len(data)
        view[:size] = data
        before, self._position = self._position, self._position + size
        if self._stats is not None:
            self._stats.bytes += max(0, self._position - max(before, self._skip))
        return size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()
