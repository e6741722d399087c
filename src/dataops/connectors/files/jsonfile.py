"""JSON files: JSON Lines (one object per line) and JSON arrays of objects, streamed.

Both layouts go through ``pyarrow.json.open_json`` (one block in memory at a time, one type
inference): a JSON array is turned into JSON Lines on the fly by :class:`ArrayAsLines`, which
decodes one element at a time. pyarrow's errors carry no usable line number, so on an error the
file is read again with the standard ``json`` module up to the offending record: the message names
the line (and the column, for syntax errors). A read with a reject sink (``ReadStats.rejects``)
sends records that do not fit there and goes on instead: see :mod:`.json_rejects`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, ClassVar, Literal, cast

import pyarrow as pa
import pyarrow.json as pajson
from pydantic import Field

from dataops.connectors.base import ConnectorSettings, FileSpec, SourceObject
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.connector import LocalFileConnector, LocalFilesSettings
from dataops.connectors.files.inference import (
    cast_columns,
    check_overrides_apply,
    column_type_overrides,
)
from dataops.connectors.files.json_rejects import (
    CHANGED,
    JsonRejectingRead,
    read_types,
    with_overrides,
)
from dataops.connectors.files.jsonarray import ArrayAsLines, array_elements
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.rejects import reject_sink
from dataops.connectors.files.stream import Batches, file_object, first_schema
from dataops.connectors.json_kinds import json_type

BLOCK_SIZE = 1 << 20
"""Bytes parsed at a time; one JSON record must fit in a block. pyarrow reads up to ~32 blocks
ahead in the background: that bounds memory, and is why previews use small blocks."""
SAMPLE_BLOCK_SIZE = 1 << 16
"""Block size of previews and discovery."""

Layout = Literal["array", "lines"]

_CONVERT = re.compile(r"Failed to convert JSON to (\S+), couldn't parse:(.*)$", re.S)


class JsonOptions(ConnectorSettings):
    """How the JSON files of a source are laid out."""

    layout: Literal["auto", "array", "lines"] = Field(
        default="auto",
        description="'lines': JSON Lines, one object per line; 'array': one array of objects; "
        "'auto': .jsonl/.ndjson files are lines, others are sniffed ('[' starts an array).",
    )


class JsonSettings(LocalFilesSettings, JsonOptions):
    """A folder of JSON or JSON Lines files."""


class JsonFormat:
    name: ClassVar[str] = "json"
    extensions: ClassVar[tuple[str, ...]] = (".json", ".jsonl", ".ndjson")

    def __init__(self, options: JsonOptions) -> None:
        self.options = options

    def objects(self, file: SourceFile, *, with_columns: bool) -> list[SourceObject]:
        return [file_object(file, first_schema(self, file) if with_columns else None)]

    def read(
        self,
        file: SourceFile,
        spec: FileSpec,
        expected: pa.Schema | None,
        batch_rows: int,
        limit: int | None = None,
    ) -> Batches:
        overrides = column_type_overrides(spec)
        block_size = BLOCK_SIZE if limit is None else SAMPLE_BLOCK_SIZE
        sink = reject_sink(file)
        if sink is not None:
            rejecting = JsonRejectingRead(self, file, sink, overrides, expected)
            yield from rejecting.batches(block_size)
            return
        target = expected
        if expected is None and overrides:
            # Learn the columns (and their order) first, then read with the overridden types.
            with self.reader(file, None, strict=False, block_size=block_size) as (reader, _):
                natural = reader.schema
            check_overrides_apply(overrides, natural.names, file.name)
            target = with_overrides(natural, overrides)
        explicit, casts = read_types(target)
        strict = expected is not None
        with self.reader(file, explicit, strict=strict, block_size=block_size) as (reader, layout):
            yield cast_columns(
                pa.RecordBatch.from_pylist([], schema=reader.schema), casts, file.name
            )
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return
                except pa.ArrowInvalid as exc:
                    raise self._data_error(file, layout, exc, reader.schema) from exc
                yield cast_columns(batch, casts, file.name)

    @contextmanager
    def reader(
        self,
        file: SourceFile,
        explicit: pa.Schema | None,
        *,
        strict: bool,
        block_size: int,
        rejects: bool = False,
    ) -> Iterator[tuple[pajson.JSONStreamingReader, Layout]]:
        """A streaming reader of ``file`` (arrays converted to lines); closed before the file.

        With ``rejects``, array elements that are not objects reach pyarrow, and pyarrow's errors
        at opening are raised as they are: the caller recovers from them."""
        with self._open(file) as (handle, layout):
            try:
                reader = pajson.open_json(
                    _as_lines(handle, layout, file.name, objects_only=not rejects),
                    read_options=pajson.ReadOptions(block_size=block_size),
                    parse_options=pajson.ParseOptions(
                        explicit_schema=explicit,
                        unexpected_field_behavior="error" if strict else "infer",
                    ),
                )
            except pa.ArrowInvalid as exc:
                if rejects:
                    raise
                raise self._data_error(file, layout, exc, explicit) from exc
            try:
                yield reader, layout
            finally:
                reader.close()

    @contextmanager
    def records(self, file: SourceFile) -> Iterator[Iterator[tuple[int, str]]]:
        """(line, text) of each record of ``file`` (non-blank lines, or array elements of any
        JSON type), as pyarrow numbers its rows; an array's syntax errors are raised."""
        with self._open(file) as (handle, layout):
            if layout == "array":
                yield array_elements(_text(handle), file.name, objects_only=False)
            else:
                yield _lines(handle)

    def _open(self, file: SourceFile) -> _OpenJson:
        return _OpenJson(file, self._layout_hint(file))

    def _layout_hint(self, file: SourceFile) -> Layout | None:
        if self.options.layout != "auto":
            return self.options.layout
        if file.ref.key.lower().endswith((".jsonl", ".ndjson")):
            return "lines"
        return None

    # --- errors ---------------------------------------------------------------------------

    def _data_error(
        self, file: SourceFile, layout: Layout, exc: pa.ArrowInvalid, schema: pa.Schema | None
    ) -> SourceDataError:
        text = str(exc).strip()
        detail = text.splitlines()[0].removeprefix("JSON parse error: ")
        finder: Callable[[dict[str, Any]], str | None] = _nothing
        hint = ""
        if match := CHANGED.search(text):
            column, before, after = match.groups()
            finder = _kind_change(column, before)
            detail = f"field {column!r} changed from {before} to {after}"
            hint = (
                f"; set column_types for {column!r} to the type of its values"
                if before == "null"
                else f"; a field must keep one JSON type in every record of {file.name}"
            )
        elif "unexpected field" in text:
            finder = _unknown_field(set(schema.names) if schema is not None else set())
            hint = "; every file of a glob must have the first file's fields"
        elif match := _CONVERT.search(text):
            finder = _value_text(match.group(2).strip(), match.group(1))
        where, found = self._locate(file, layout, finder)
        return SourceDataError(f"{file.name} {where}: {found or detail}{hint}")

    def _locate(
        self, file: SourceFile, layout: Layout, finder: Callable[[dict[str, Any]], str | None]
    ) -> tuple[str, str | None]:
        """(where, what) of the first record that is not valid JSON or that ``finder`` flags."""
        with self._open(file) as (handle, _):
            records = (
                array_elements(_text(handle), file.name) if layout == "array" else _lines(handle)
            )
            for line, text in records:
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    return f"line {line + exc.lineno - 1}, column {exc.colno}", exc.msg
                if not isinstance(value, dict):
                    return f"line {line}", f"expected a JSON object, found {type(value).__name__}"
                problem = finder(value)
                if problem is not None:
                    return f"line {line}", problem
        return "(line unknown)", None


class _OpenJson:
    """Opens a JSON file as JSON Lines bytes (arrays are converted) and closes it again."""

    def __init__(self, file: SourceFile, layout: Layout | None) -> None:
        self._file = file
        self._layout = layout
        self._handle: BinaryIO | None = None

    def __enter__(self) -> tuple[BinaryIO, Layout]:
        raw = cast("io.RawIOBase", self._file.open_stream())
        buffered = io.BufferedReader(raw, buffer_size=1 << 16)
        self._handle = cast("BinaryIO", buffered)
        layout = self._layout or _sniff(buffered, self._file.name)
        return self._handle, layout

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


def _as_lines(handle: BinaryIO, layout: Layout, name: str, *, objects_only: bool) -> BinaryIO:
    """JSON Lines bytes of ``handle``: itself, or its array converted element by element."""
    if layout == "lines":
        return handle
    elements = array_elements(_text(handle), name, objects_only=objects_only)
    return cast("BinaryIO", ArrayAsLines(elements))


def _text(handle: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict")


def _sniff(buffered: io.BufferedReader[Any], name: str) -> Layout:
    head = buffered.peek(1 << 16)[: 1 << 16].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise SourceDataError(f"{name} is empty")
    if head.startswith(b"["):
        return "array"
    if head.startswith(b"{"):
        return "lines"
    raise SourceDataError(
        f"{name} line 1: expected a JSON array or JSON Lines objects, found {head[:20]!r}"
    )


def _lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(handle, start=1):
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8", errors="replace")
        if text.strip():
            yield number, text


def _kind_change(column: str, before: str) -> Callable[[dict[str, Any]], str | None]:
    seen: list[str] = []

    def check(record: dict[str, Any]) -> str | None:
        if column not in record or record[column] is None:
            return None
        kind = json_type(record[column])
        if before == "null":
            return f"field {column!r} is a {kind} here, but null in all the first rows"
        if not seen:
            seen.append(kind)
        elif kind != seen[0]:
            return f"field {column!r} is a {kind} here, but a {seen[0]} in earlier rows"
        return None

    return check


def _unknown_field(names: set[str]) -> Callable[[dict[str, Any]], str | None]:
    def check(record: dict[str, Any]) -> str | None:
        extra = [key for key in record if key not in names]
        return f"field {extra[0]!r} is not among the first file's fields" if extra else None

    return check


def _value_text(value: str, type_name: str) -> Callable[[dict[str, Any]], str | None]:
    def check(record: dict[str, Any]) -> str | None:
        for key, item in record.items():
            if json.dumps(item) == value or str(item) == value:
                return f"field {key!r}: {value} is not {type_name}; set column_types for {key!r}"
        return None

    return check


def _nothing(record: dict[str, Any]) -> str | None:
    return None


class JsonConnector(LocalFileConnector[JsonSettings]):
    """JSON and JSON Lines files in a local folder."""

    type_name: ClassVar[str] = "json"
    title: ClassVar[str] = "JSON files"
    settings_model: ClassVar[type[ConnectorSettings]] = JsonSettings

    def _make_format(self) -> JsonFormat:
        return JsonFormat(self.settings)
