"""JSON arrays read one element at a time, and presented as JSON Lines.

pyarrow's JSON reader takes JSON Lines only; :class:`ArrayAsLines` feeds it an array of objects,
element by element, so arrays stream with bounded memory like lines do. Syntax errors are raised
where they are found, with line and column.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from typing_extensions import Buffer

from dataops.connectors.errors import SourceDataError

READ_CHARS = 1 << 20
"""Characters read from the file at a time."""
MAX_RECORD_CHARS = 64 << 20
"""Largest element of a JSON array (bounds memory on a malformed file)."""


class ArrayAsLines(io.RawIOBase):
    """A JSON array of objects presented as JSON Lines bytes, one element at a time."""

    def __init__(self, elements: Iterator[tuple[int, str]]) -> None:
        super().__init__()
        self._elements = elements
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        while len(self._pending) < len(view):
            chunk = [self._pending]
            size = len(self._pending)
            for _, text in self._elements:
                # Newlines outside strings are whitespace, inside strings they are not allowed:
                # replacing them keeps each element on one line.
                line = text.replace("\r", " ").replace("\n", " ").encode() + b"\n"
                chunk.append(line)
                size += len(line)
                if size >= len(view):
                    break
            else:
                self._pending = b"".join(chunk)
                break
            self._pending = b"".join(chunk)
        size = min(len(view), len(self._pending))
        view[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


_WHITESPACE = re.compile(r"[ \t\r\n]*")


def array_elements(
    text: io.TextIOBase, name: str, *, objects_only: bool = True
) -> Iterator[tuple[int, str]]:
    """(line, raw text) of each element of the JSON array ``text`` holds, read incrementally.

    An element that is not an object is a :class:`SourceDataError`, unless ``objects_only`` is
    False (a read with rejects: the reader rejects it and goes on)."""
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False
    line, line_pos, line_start = 1, 0, 0  # the line number at buf[line_pos]; its start offset

    def advance(to: int) -> None:
        nonlocal line, line_pos, line_start
        newlines = buf.count("\n", line_pos, to)
        if newlines:
            line += newlines
            line_start = buf.rfind("\n", line_pos, to) + 1
        line_pos = to

    def fill() -> None:
        nonlocal buf, pos, eof, line_pos, line_start
        chunk = text.read(READ_CHARS)
        eof = not chunk
        buf, line_pos, line_start = buf[pos:] + chunk, line_pos - pos, line_start - pos
        pos = 0
        if len(buf) > MAX_RECORD_CHARS:
            raise SourceDataError(f"{name} line {line}: a JSON record is larger than 64 MiB")

    def skip_space() -> str:
        nonlocal pos
        while True:
            blank = _WHITESPACE.match(buf, pos)
            pos = blank.end() if blank else pos
            if pos < len(buf) or eof:
                advance(pos)
                return buf[pos] if pos < len(buf) else ""
            fill()

    def fail(message: str, at: int) -> SourceDataError:
        advance(at)
        return SourceDataError(f"{name} line {line}, column {at - line_start + 1}: {message}")

    try:
        fill()
        if skip_space() != "[":
            raise fail("expected '[' (a JSON array)", pos)
        pos += 1
        expect_value = True
        while True:
            char = skip_space()
            if char == "]":
                return
            if char == "":
                raise fail("the array is not closed (']' missing)", pos)
            if not expect_value:
                if char != ",":
                    raise fail("expected ',' or ']' after an array element", pos)
                pos += 1
                expect_value = True
                continue
            if objects_only and char != "{":
                raise fail("expected a JSON object as array element", pos)
            while True:
                try:
                    _, end = decoder.raw_decode(buf, pos)
                    if end < len(buf) or eof:
                        break
                    fill()  # a number at the end of the buffer may go on in the next chunk
                except json.JSONDecodeError as exc:
                    incomplete = exc.pos >= len(buf) - 1 or exc.msg.startswith("Unterminated")
                    if eof or not incomplete:
                        raise fail(exc.msg, exc.pos) from exc
                    fill()
            start_line = line
            yield start_line, buf[pos:end]
            pos = end
            expect_value = False
    except UnicodeDecodeError as exc:
        raise SourceDataError(f"{name}: not valid UTF-8 text ({exc.reason})") from exc
