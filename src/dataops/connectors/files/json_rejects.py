"""JSON file reads that send the records they cannot read to ``ReadStats.rejects`` and go on.

pyarrow's JSON reader has no per-record error handling: a bad record fails its whole block and the
reader is dead. So a read with rejects starts as the plain streaming read (as fast, when nothing is
wrong) and, at the first failure, goes on from the first record not yet emitted with a recovery
reader: the rest of the file is cut into records in Python (lines, or array elements), and chunks
of them are parsed by pyarrow again with the schema already fixed, so good records get exactly
the values the streaming reader gives. A chunk that fails is halved until the bad records are
alone; each is sent as a reject with its row (1-based among the file's records), line and text.

When the very first block fails (the schema is not fixed yet), the schema is inferred from the
first chunk without its bad records: records that are not JSON objects, and records whose field
changes JSON type against earlier ones.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, islice
from typing import TYPE_CHECKING, NamedTuple

import pyarrow as pa
import pyarrow.json as pajson

from dataops.connectors.base import Reject, RejectSink
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.inference import cast_columns, check_overrides_apply
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.rejects import counted_bytes, recounted
from dataops.connectors.files.stream import Batches
from dataops.connectors.json_kinds import json_type

if TYPE_CHECKING:
    from dataops.connectors.files.jsonfile import JsonFormat

CHANGED = re.compile(r"Column\(/([^)/]*)[^)]*\) changed from (\w+) to (\w+)")
"""pyarrow's message for a field whose JSON type changes (field, before, after)."""
_IN_ROW = re.compile(r" in row (\d+)$")


def read_types(target: pa.Schema | None) -> tuple[pa.Schema | None, dict[str, pa.DataType]]:
    """The schema to parse with, and the casts after it: pyarrow's JSON parser reads dates and
    times only from numbers, so those columns are parsed as text and cast."""
    if target is None:
        return None, {}
    casts = {f.name: f.type for f in target if pa.types.is_date(f.type) or pa.types.is_time(f.type)}
    explicit = pa.schema(
        [pa.field(f.name, pa.string() if f.name in casts else f.type) for f in target]
    )
    return explicit, casts


def with_overrides(natural: pa.Schema, overrides: Mapping[str, pa.DataType]) -> pa.Schema:
    """``natural`` (the inferred schema) with the overridden columns' types."""
    return pa.schema([pa.field(f.name, overrides.get(f.name, f.type)) for f in natural])


class _Item(NamedTuple):
    row: int  # 1-based among the file's records
    line: int  # where it starts
    text: str


class _Recover(Exception):  # noqa: N818 - control flow: "go on with the recovery reader"
    pass


class JsonRejectingRead:
    """One JSON file read with rejects (see the module docstring); :meth:`batches` is the
    ``FileFormat.read`` generator."""

    def __init__(
        self,
        fmt: JsonFormat,
        file: SourceFile,
        sink: RejectSink,
        overrides: Mapping[str, pa.DataType],
        expected: pa.Schema | None,
    ) -> None:
        self._fmt = fmt
        self._file = file
        self._sink = sink
        self._overrides = overrides
        self._expected = expected
        self._started_at = counted_bytes(file)
        self._explicit: pa.Schema | None = None  # the schema pyarrow parses with, once fixed
        self._casts: dict[str, pa.DataType] = {}  # then casts to (dates, times)
        self._started = False  # the schema batch was yielded
        self._consumed = 0  # records emitted by the streaming reader

    def batches(self, block_size: int) -> Batches:
        try:
            yield from self._stream(block_size)
            return
        except _Recover:
            pass
        yield from self._recover(block_size)

    def _stream(self, block_size: int) -> Batches:
        """The plain streaming read; raises :class:`_Recover` at the first record it cannot read."""
        fmt, file = self._fmt, self._file
        try:
            target = self._expected
            if target is None and self._overrides:
                probe = fmt.reader(file, None, strict=False, block_size=block_size, rejects=True)
                with probe as (reader, _):
                    natural = reader.schema
                check_overrides_apply(self._overrides, natural.names, file.name)
                target = with_overrides(natural, self._overrides)
            self._explicit, self._casts = read_types(target)
            strict = self._expected is not None
            with fmt.reader(
                file, self._explicit, strict=strict, block_size=block_size, rejects=True
            ) as (reader, _):
                self._explicit = reader.schema
                yield self._schema_batch()
                while True:
                    try:
                        batch = reader.read_next_batch()
                    except StopIteration:
                        return
                    try:
                        out = cast_columns(batch, self._casts, file.name)
                    except SourceDataError as exc:
                        raise _Recover from exc
                    self._consumed += batch.num_rows
                    yield out
        except pa.ArrowInvalid as exc:
            raise _Recover from exc

    def _schema_batch(self) -> pa.RecordBatch:
        self._started = True
        empty = pa.RecordBatch.from_pylist([], schema=self._explicit)
        return cast_columns(empty, self._casts, self._file.name)

    def _recover(self, block_size: int) -> Batches:
        """The rest of the file, parsed a block's worth of records at a time (so, as in the
        streaming read, the schema comes from the first block's worth)."""
        with self._fmt.records(recounted(self._file, self._started_at)) as records:
            items = (_Item(row, line, text) for row, (line, text) in enumerate(records, start=1))
            chunks = _chunks(islice(items, self._consumed, None), block_size)
            if self._explicit is None:
                first = self._fix_schema(chunks)
                if first is None:
                    return  # not one readable record: the file has no schema to give
                chunks = chain([first], chunks)
            if not self._started:
                yield self._schema_batch()
            for chunk in chunks:
                batch = self._convert(chunk)
                if batch is not None:
                    yield batch

    # --- the schema, when the first block already fails --------------------------------------

    def _fix_schema(self, chunks: Iterator[list[_Item]]) -> list[_Item] | None:
        """Fix the schema from the first chunk with objects that agree; return those."""
        for chunk in chunks:
            valid = [item for item in chunk if self._is_object(item)]
            while valid:
                try:
                    natural = _parse(valid, None, strict=False).schema
                except pa.ArrowInvalid as exc:
                    index, problem = _first_misfit(valid, exc)
                    self._reject(valid.pop(index), _conflict(problem))
                    continue
                if self._overrides:
                    check_overrides_apply(self._overrides, natural.names, self._file.name)
                self._explicit, self._casts = read_types(with_overrides(natural, self._overrides))
                return valid
        return None

    def _is_object(self, item: _Item) -> bool:
        try:
            value = json.loads(item.text)
        except json.JSONDecodeError as exc:
            self._reject(item, _invalid(exc))
            return False
        if not isinstance(value, dict):
            self._reject(item, f"a JSON {json_type(value)}, not an object")
            return False
        return True

    # --- records against the fixed schema ----------------------------------------------------

    def _convert(self, chunk: list[_Item]) -> pa.RecordBatch | None:
        """The records of ``chunk`` that fit the schema as one batch; the others are rejects."""
        good: list[pa.RecordBatch] = []
        todo = [chunk]
        while todo:  # halving, in file order: a few bad records cost a few dozen small parses
            part = todo.pop()
            try:
                good.append(self._batch(part))
            except (pa.ArrowInvalid, SourceDataError) as exc:
                if len(part) == 1:
                    self._reject(part[0], self._reason(part[0], exc))
                else:
                    todo += [part[len(part) // 2 :], part[: len(part) // 2]]
        if not good:
            return None
        return pa.Table.from_batches(good).combine_chunks().to_batches()[0]

    def _batch(self, items: list[_Item]) -> pa.RecordBatch:
        table = _parse(items, self._explicit, strict=True)
        if table.num_rows != len(items):  # e.g. two objects on one line
            raise SourceDataError(f"{len(items)} records parsed as {table.num_rows} rows")
        batch = table.combine_chunks().to_batches()[0]
        return cast_columns(batch, self._casts, self._file.name)

    def _reason(self, item: _Item, exc: Exception) -> str:
        """Why ``item`` does not fit (naming the field, not quoting the value)."""
        assert self._explicit is not None
        try:
            value = json.loads(item.text)
        except json.JSONDecodeError as error:
            return _invalid(error)
        if not isinstance(value, dict):
            return f"a JSON {json_type(value)}, not an object"
        names = set(self._explicit.names)
        for key, field in value.items():
            if key not in names:
                return f"field {key!r} is not a column (the columns come from the first rows)"
            try:
                self._batch([_Item(item.row, item.line, json.dumps({key: field}))])
            except (pa.ArrowInvalid, SourceDataError):
                to = self._casts.get(key, self._explicit.field(key).type)
                kind = json_type(field)
                return f"field {key!r} is {_a(kind)} that does not fit the column's type {to}"
        return _first_line(exc)

    def _reject(self, item: _Item, reason: str) -> None:
        raw = item.text.rstrip("\r\n")
        self._sink(Reject(reason, raw, item.line, item.row, self._file.ref.key))


def _parse(items: Iterable[_Item], explicit: pa.Schema | None, *, strict: bool) -> pa.Table:
    """``items`` parsed by pyarrow as one block (so its errors' row numbers index ``items``)."""
    data = b"".join(
        item.text.replace("\r", " ").replace("\n", " ").encode() + b"\n" for item in items
    )
    return pajson.read_json(
        io.BytesIO(data),
        read_options=pajson.ReadOptions(block_size=max(len(data) + 1, 1 << 16), use_threads=False),
        parse_options=pajson.ParseOptions(
            explicit_schema=explicit, unexpected_field_behavior="error" if strict else "infer"
        ),
    )


def _first_misfit(items: list[_Item], exc: pa.ArrowInvalid) -> tuple[int, pa.ArrowInvalid]:
    """The first record that does not agree with those before it, and pyarrow's error."""
    match = _IN_ROW.search(str(exc).strip())
    if match and int(match.group(1)) < len(items):
        return int(match.group(1)), exc
    low, high, problem = 1, len(items), exc  # the shortest failing prefix is items[:high]
    while low < high:
        middle = (low + high) // 2
        try:
            _parse(items[:middle], None, strict=False)
        except pa.ArrowInvalid as error:
            high, problem = middle, error
        else:
            low = middle + 1
    return high - 1, problem


def _chunks(items: Iterator[_Item], size_limit: int) -> Iterator[list[_Item]]:
    chunk: list[_Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.text)
        if size >= size_limit:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _conflict(exc: pa.ArrowInvalid) -> str:
    if match := CHANGED.search(str(exc)):
        field, before, after = match.groups()
        return f"field {field!r} is {_a(after)} here, but {_a(before)} in earlier rows"
    return _first_line(exc)


def _invalid(exc: json.JSONDecodeError) -> str:
    where = f"column {exc.colno}" if exc.lineno == 1 else f"line {exc.lineno}, column {exc.colno}"
    return f"not valid JSON: {exc.msg} ({where})"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in ("a", "e", "i", "o", "u") else f"a {kind}"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].removeprefix("JSON parse error: ") if text else type(exc).__name__
