"""CSV reads that send the records they cannot read to ``ReadStats.rejects`` and go on.

Two kinds of bad record, two mechanisms:

- a row with the wrong number of fields: pyarrow's ``invalid_row_handler`` skips it. The handler
  runs on a reader thread, so it only notes the row; the generator sends the reject. pyarrow knows
  no line numbers here (``InvalidRow.number`` is None with ``newlines_in_values``), so rejects are
  located by a second pass with the standard ``csv`` module, started at the first reject.
- a value that does not convert to its column's type: pyarrow fails the whole block and the reader
  is dead. The file is reopened with that column read as text, the rows already emitted are
  skipped, and each batch's text is converted with pyarrow's own CSV converter (the same options:
  good rows get exactly the values the fast path gives); rows whose value does not convert are
  rejects, located by a second pass too.

A file without bad records reads as fast as without rejects: the handler is never called.
Rejects are sent in file order within each kind, not necessarily interleaved in file order.
"""

from __future__ import annotations

import csv as stdlib_csv
import io
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dataops.connectors.base import FileSpec, Reject, RejectSink
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.rejects import counted_bytes, recounted, uncounted

if TYPE_CHECKING:
    from dataops.connectors.files.csv import CsvFormat

CONVERSION = re.compile(
    r"In CSV column #(\d+): CSV conversion error to ([^:]+): invalid value '(.*)'$", re.S
)
"""pyarrow's message for a value that does not convert (column index, type, value)."""

InvalidRowHandler = Callable[[pacsv.InvalidRow], str]
"""pyarrow's ``invalid_row_handler``: called (on a reader thread) for a row with the wrong number
of fields; answers "skip" or "error"."""


class CsvRejectingRead:
    """One CSV file read with rejects (see the module docstring); :meth:`batches` is the
    ``FileFormat.read`` generator."""

    def __init__(self, fmt: CsvFormat, file: SourceFile, spec: FileSpec, sink: RejectSink):
        self._fmt = fmt
        self._file = file
        self._spec = spec
        self._sink = sink
        self._started_at = counted_bytes(file)
        self._attempts = 0
        self._invalid = _InvalidRows()
        self._as_text: dict[str, pa.DataType] = {}  # read as text, converted row by row
        self._schema: pa.Schema | None = None  # the file's schema, as emitted
        self._consumed = 0  # rows pyarrow gave so far (emitted or rejected)
        self._passes = ExitStack()  # the second passes
        self._misfits: _Records | None = None  # locates rows with the wrong number of fields
        self._unconvertible: _GoodRecords | None = None  # locates rows by their index

    def batches(
        self,
        types: dict[str, pa.DataType],
        block_size: int,
        overrides: Mapping[str, pa.DataType] | None,
    ) -> Generator[pa.RecordBatch, None, None]:
        with self._passes:
            while (yield from self._attempt(types, block_size, overrides)):
                pass
            self._send_misfits()

    def _attempt(
        self,
        types: dict[str, pa.DataType],
        block_size: int,
        overrides: Mapping[str, pa.DataType] | None,
    ) -> Generator[pa.RecordBatch, None, bool]:
        """Read the file from where the last attempt stopped; True: a column must be read as
        text from now on, and the file read again."""
        self._attempts += 1
        source = self._file if self._attempts == 1 else recounted(self._file, self._started_at)
        with ExitStack() as stack:
            try:
                reader = self._fmt.open_checked(
                    source,
                    self._spec,
                    self._column_types(types),
                    stack,
                    block_size,
                    overrides,
                    self._invalid.handler,
                )
            except pa.ArrowInvalid as exc:  # a value of the first block does not convert
                stack.close()
                self._read_as_text(exc, types, block_size)
                return True
            if self._schema is None:
                self._schema = pa.schema(
                    [f.with_type(self._as_text.get(f.name, f.type)) for f in reader.schema]
                )
                yield pa.RecordBatch.from_pylist([], schema=self._schema)
            skip = self._consumed
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return False
                except pa.ArrowInvalid as exc:
                    if not CONVERSION.search(str(exc)):
                        raise self._fmt.data_error(
                            self._file, self._spec, exc, reader.schema, types
                        ) from exc
                    stack.close()
                    self._read_as_text(exc, types, block_size)
                    return True
                self._send_misfits()
                if skip >= batch.num_rows:
                    skip -= batch.num_rows
                    continue
                batch, skip = batch.slice(skip), 0
                if self._as_text:
                    batch = self._convert(batch)
                else:
                    self._consumed += batch.num_rows
                if batch.num_rows:
                    yield batch

    def _column_types(self, types: dict[str, pa.DataType]) -> dict[str, pa.DataType]:
        """The types to open with: every column's once the schema is known (so inference cannot
        change it), the columns read as text as text."""
        if self._schema is None:
            return {**types, **dict.fromkeys(self._as_text, pa.string())}
        return {f.name: pa.string() if f.name in self._as_text else f.type for f in self._schema}

    def _read_as_text(self, exc: pa.ArrowInvalid, types: dict[str, pa.DataType], size: int) -> None:
        """Read the column ``exc`` names as text from now on."""
        if self._schema is not None:
            names = self._schema.names
            intended = {f.name: f.type for f in self._schema}
        else:  # only a column with a type given can fail in the block types are inferred from
            names, intended = self._names(types, size), types
        match = CONVERSION.search(str(exc))
        index = int(match.group(1)) if match else len(names)
        name = names[index] if index < len(names) else ""
        if name not in intended or name in self._as_text:
            raise self._fmt.data_error(self._file, self._spec, exc, self._schema, types) from exc
        self._as_text[name] = intended[name]

    def _names(self, types: dict[str, pa.DataType], block_size: int) -> list[str]:
        """The file's column names, when its first block does not convert to ``types``."""
        with ExitStack() as stack:
            as_text = dict.fromkeys(types, pa.string())
            reader = self._fmt.open(
                uncounted(self._file), self._spec, as_text, stack, block_size, _skip
            )
            return list(reader.schema.names)

    # --- values that do not convert ---------------------------------------------------------

    def _convert(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """``batch`` (text in the columns read as text) as the file's schema, minus the rows
        whose text does not convert, which are sent as rejects."""
        assert self._schema is not None
        first = self._consumed
        self._consumed += batch.num_rows
        converted: dict[str, pa.Array] = {}
        reasons: dict[int, tuple[str, int, str]] = {}  # row: (reason, column, text)
        for field in self._schema:
            if field.name not in self._as_text:
                continue
            text = batch.column(field.name)
            array, bad = _convert_text(self._fmt, text, field.type)
            converted[field.name] = array
            column = self._schema.get_field_index(field.name)
            for index in bad:
                value = text[index].as_py()
                reason = f"column {field.name!r}: {value!r} is not {field.type}"
                reasons.setdefault(index, (reason, column, value))
        if reasons:
            for index in sorted(reasons):
                self._send_unconvertible(first + index, *reasons[index], batch.slice(index, 1))
            batch = batch.filter(pa.array([i not in reasons for i in range(batch.num_rows)]))
            converted = {
                name: _convert_text(self._fmt, batch.column(name), to)[0]
                for name, to in self._as_text.items()
            }
        arrays = [converted.get(f.name, batch.column(f.name)) for f in self._schema]
        return pa.RecordBatch.from_arrays(arrays, schema=self._schema)

    def _send_unconvertible(
        self, position: int, reason: str, column: int, value: str, row: pa.RecordBatch
    ) -> None:
        """Send pyarrow's row ``position`` of the file (``row``: its values) as a reject."""
        assert self._schema is not None
        if self._unconvertible is None:
            records = _Records(self._fmt, self._file, self._spec, self._passes)
            self._unconvertible = _GoodRecords(records, len(self._schema))
        record = self._unconvertible.at(position)
        if record is None or record.fields[column] != value:  # the passes disagree: no line
            values = ["" if v is None else str(v) for v in row.to_pylist()[0].values()]
            self._send(Reject(reason, self._fmt.delimiter(self._file, self._spec).join(values)))
            return
        self._send(Reject(reason, record.raw, record.line, record.row))

    # --- rows with the wrong number of fields -----------------------------------------------

    def _send_misfits(self) -> None:
        pending = self._invalid.pending
        while pending:
            expected, found, text = pending.popleft()
            where = "as in the header" if self._spec.has_header else "as in the first row"
            reason = f"expected {expected} columns ({where}), found {found}"
            if self._misfits is None:
                self._misfits = _Records(self._fmt, self._file, self._spec, self._passes)
            record = self._misfits.find(_with_fields(found))
            if record is None:
                self._send(Reject(reason, text))
            else:
                self._send(Reject(reason, record.raw, record.line, record.row))

    def _send(self, reject: Reject) -> None:
        self._sink(
            Reject(reject.reason, reject.raw, reject.line, reject.row, file=self._file.ref.key)
        )


class _InvalidRows:
    """Rows pyarrow skipped for their number of fields: (expected, found, text), noted by the
    handler on pyarrow's thread, sent by the generator. Every reader of the file sees the same
    rows in the same order, so a reopened reader's handler notes only rows past those noted."""

    def __init__(self) -> None:
        self.pending: deque[tuple[int, int, str]] = deque()
        self._noted = 0
        self._generation = 0

    def handler(self) -> InvalidRowHandler:
        self._generation += 1
        generation, seen = self._generation, 0

        def handle(row: pacsv.InvalidRow) -> Literal["skip"]:
            nonlocal seen
            seen += 1
            if generation == self._generation and seen > self._noted:
                self._noted += 1
                self.pending.append((row.expected_columns, row.actual_columns, row.text))
            return "skip"

        return handle


def _skip(row: pacsv.InvalidRow) -> Literal["skip"]:
    return "skip"


def _with_fields(count: int) -> Callable[[list[str]], bool]:
    return lambda fields: len(fields) == count


# --- converting text as pyarrow's CSV reader does -----------------------------------------------


def _convert_text(fmt: CsvFormat, text: pa.Array, to: pa.DataType) -> tuple[pa.Array, list[int]]:
    """``text`` converted to ``to`` and the indexes of the values that do not convert (then the
    array is None-free only if the list is empty: callers filter and convert again)."""
    try:
        return _reparse(fmt, text, to), []
    except pa.ArrowInvalid:
        pass
    bad: list[int] = []
    todo = [(0, len(text))]
    while todo:  # halving: a few bad values among many cost a few dozen small parses
        start, length = todo.pop()
        if length == 1:
            bad.append(start)
            continue
        half = length // 2
        for part_start, part_length in ((start, half), (start + half, length - half)):
            try:
                _reparse(fmt, text.slice(part_start, part_length), to)
            except pa.ArrowInvalid:
                todo.append((part_start, part_length))
    return pa.nulls(0, to), sorted(bad)


def _reparse(fmt: CsvFormat, text: pa.Array, to: pa.DataType) -> pa.Array:
    """``text`` (a column read as text) converted by pyarrow's CSV converter with the read's own
    options: each value quoted (a null as an empty unquoted cell, so nulls stay null and a quoted
    empty string stays invalid for numbers, as on the fast path)."""
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    lines = pc.fill_null(quoted, "").to_pylist()
    data = ("\n".join(lines) + "\n").encode()
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(
            column_names=["value"], block_size=max(1 << 20, len(data) + 1), use_threads=False
        ),
        parse_options=pacsv.ParseOptions(
            quote_char='"', double_quote=True, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=fmt.convert_options({"value": to}),
    )
    if table.num_rows != len(text):
        raise SourceDataError(f"converting text to {to}: {table.num_rows} rows for {len(text)}")
    return table.column("value").combine_chunks()


# --- the second pass: where records are ---------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    line: int  # the physical line it starts on
    row: int  # its number among the data records (header excluded)
    fields: list[str]
    raw: str  # its text, without the final line break


class _Records:
    """The data records of a CSV file, read again with the standard ``csv`` module (blank lines
    skipped, as pyarrow does), each with its line, number and text."""

    def __init__(self, fmt: CsvFormat, file: SourceFile, spec: FileSpec, stack: ExitStack):
        quote = fmt.options.quote_char
        handle = stack.enter_context(uncounted(file).open_stream())
        text = io.TextIOWrapper(handle, encoding=fmt.options.encoding, errors="replace", newline="")
        self._taken: list[str] = []
        quoting: Literal[0, 3] = stdlib_csv.QUOTE_MINIMAL if quote else stdlib_csv.QUOTE_NONE
        self._rows = stdlib_csv.reader(
            self._feed(text),
            delimiter=fmt.delimiter(file, spec),
            quotechar=quote,
            escapechar=fmt.options.escape_char,
            quoting=quoting,
            strict=False,
        )
        self._line = 1
        self._row = 0
        self._header = spec.has_header
        self._done = False

    def _feed(self, text: io.TextIOWrapper) -> Iterator[str]:
        for line in text:
            self._taken.append(line)
            yield line

    def find(self, wanted: Callable[[list[str]], bool]) -> _Record | None:
        """The next record whose fields ``wanted`` accepts (None at the end of the file)."""
        rows, taken = self._rows, self._taken
        while not self._done:
            taken.clear()
            try:
                fields = next(rows)
            except (StopIteration, stdlib_csv.Error):
                self._done = True  # the standard module cannot follow: the rest is unknown
                return None
            start, self._line = self._line, self._line + len(taken)
            if not fields:
                continue
            if self._header:
                self._header = False
                continue
            self._row += 1
            if wanted(fields):
                raw = "".join(taken)
                raw = raw[:-1] if raw.endswith("\n") else raw
                raw = raw[:-1] if raw.endswith("\r") else raw
                return _Record(start, self._row, fields, raw)
        return None


class _GoodRecords:
    """Finds the record behind pyarrow's n-th row: the n-th record with the right number of
    fields (pyarrow skipped the others). Positions asked for only grow."""

    def __init__(self, records: _Records, columns: int) -> None:
        self._records = records
        self._columns = columns
        self._position = -1
        self._last: _Record | None = None

    def at(self, position: int) -> _Record | None:
        if position <= self._position:
            return self._last if position == self._position else None
        skip = position - self._position - 1  # good records before the one wanted
        columns = self._columns

        def wanted(fields: list[str]) -> bool:
            nonlocal skip
            if len(fields) != columns:
                return False
            skip -= 1
            return skip < 0

        self._last = self._records.find(wanted)
        self._position = position if self._last is not None else 1 << 62
        return self._last
