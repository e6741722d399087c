"""CSV files, streamed with ``pyarrow.csv.open_csv`` (bounded memory: one block at a time).

Types are inferred from the first block (see :mod:`.inference`); a column that is empty in the
whole first block is read as text rather than as the ``null`` type. pyarrow's parse errors carry no
line number, so on an error the file is scanned again with the standard ``csv`` module up to the
offending row: the message names the line. A read with a reject sink (``ReadStats.rejects``)
sends bad records there and goes on instead: see :mod:`.csv_rejects`.
"""

from __future__ import annotations

import codecs
import csv as stdlib_csv
import io
import re
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from typing import ClassVar, Literal

import pyarrow as pa
import pyarrow.csv as pacsv
from pydantic import Field, field_validator

from dataops.connectors.base import ConnectorSettings, FileSpec, SourceObject
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.connector import LocalFileConnector, LocalFilesSettings
from dataops.connectors.files.csv_rejects import CONVERSION, CsvRejectingRead, InvalidRowHandler
from dataops.connectors.files.inference import (
    NULL_VALUES,
    check_column_names,
    check_overrides_apply,
    column_type_overrides,
)
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.rejects import reject_sink
from dataops.connectors.files.stream import Batches, file_object, first_schema

BLOCK_SIZE = 1 << 20
"""Bytes parsed at a time (also how much of the file type inference sees). pyarrow reads up to
~32 blocks ahead in the background: that bounds memory, and is why previews use small blocks."""
SAMPLE_BLOCK_SIZE = 1 << 16
"""Block size of previews and discovery (a preview of a 1 GB object reads ~2 MB, not ~36 MB)."""

_TOO_MANY = re.compile(r"Expected (\d+) columns, got (\d+)")
_BAD_UTF8 = re.compile(r"In CSV column #(\d+): CSV conversion error to string: invalid UTF8")


class CsvOptions(ConnectorSettings):
    """How the CSV files of a source are written."""

    delimiter: str | None = Field(
        default=None,
        min_length=1,
        max_length=1,
        description="Field separator; default ',' (tab for .tsv files). Read specs may override.",
    )
    quote_char: str | None = Field(
        default='"', min_length=1, max_length=1, description="Quote character; null: no quoting."
    )
    escape_char: str | None = Field(
        default=None, min_length=1, max_length=1, description="Escape character inside quotes."
    )
    encoding: str = Field(
        default="utf-8", description="Text encoding of the files (utf-8, latin-1...)."
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            return codecs.lookup(value).name
        except LookupError as exc:
            raise ValueError(f"unknown text encoding {value!r}") from exc


class CsvSettings(LocalFilesSettings, CsvOptions):
    """A folder of CSV files."""


class CsvFormat:
    name: ClassVar[str] = "csv"
    extensions: ClassVar[tuple[str, ...]] = (".csv", ".tsv")

    def __init__(self, options: CsvOptions) -> None:
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
        types = {f.name: f.type for f in expected} if expected is not None else dict(overrides)
        block_size = BLOCK_SIZE if limit is None else SAMPLE_BLOCK_SIZE
        checked = overrides if expected is None else None  # later files of a glob: as the first
        sink = reject_sink(file)
        if sink is not None:
            yield from CsvRejectingRead(self, file, spec, sink).batches(types, block_size, checked)
            return
        with ExitStack() as stack:
            reader = self.open_checked(file, spec, types, stack, block_size, checked)
            schema = reader.schema
            yield pa.RecordBatch.from_pylist([], schema=schema)
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return
                except pa.ArrowInvalid as exc:
                    raise self.data_error(file, spec, exc, schema, types) from exc
                yield batch

    def open_checked(
        self,
        file: SourceFile,
        spec: FileSpec,
        types: dict[str, pa.DataType],
        stack: ExitStack,
        block_size: int,
        overrides: Mapping[str, pa.DataType] | None,
        handlers: Callable[[], InvalidRowHandler] | None = None,
    ) -> pacsv.CSVStreamingReader:
        """A reader of ``file`` whose header and first block passed the checks (``overrides``
        must name columns of it, unless None); a column empty in the whole first block is added
        to ``types`` as text (and the file reopened). ``handlers`` makes each reader's invalid
        row handler (a read with rejects)."""
        reader = self.open(file, spec, types, stack, block_size, handlers and handlers())
        schema = reader.schema
        if spec.has_header:
            check_column_names(schema.names, file.name)
        if overrides is not None:
            check_overrides_apply(overrides, schema.names, file.name)
        binary = [f.name for f in schema if pa.types.is_binary(f.type) and f.name not in types]
        if binary:
            raise SourceDataError(
                f"{file.name}, column {binary[0]!r}: bytes that are not valid "
                f"{self.options.encoding}; set the source's encoding (e.g. latin-1)"
            )
        empty = [f.name for f in schema if pa.types.is_null(f.type) and f.name not in types]
        if empty:
            # Empty in the whole first block: text is the one type any later value fits.
            stack.close()
            types |= dict.fromkeys(empty, pa.string())
            reader = self.open(file, spec, types, stack, block_size, handlers and handlers())
        return reader

    def open(
        self,
        file: SourceFile,
        spec: FileSpec,
        types: dict[str, pa.DataType],
        stack: ExitStack,
        block_size: int,
        handler: InvalidRowHandler | None = None,
    ) -> pacsv.CSVStreamingReader:
        """A streaming reader of ``file`` (closed by ``stack``). With a ``handler`` (a read with
        rejects) a value that does not convert is raised as pyarrow's own error, which the
        caller recovers from; otherwise every error is a :class:`SourceDataError`."""
        handle = stack.enter_context(file.open_stream())
        try:
            reader = pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(
                    block_size=block_size,
                    autogenerate_column_names=not spec.has_header,
                    encoding=self.options.encoding,
                ),
                parse_options=self.parse_options(file, spec, handler),
                convert_options=self.convert_options(types),
            )
        except pa.ArrowInvalid as exc:
            if handler is not None and CONVERSION.search(str(exc)):
                raise
            raise self.data_error(file, spec, exc, None, types) from exc
        stack.callback(reader.close)  # stops pyarrow's readahead before the file closes
        return reader

    def parse_options(
        self, file: SourceFile, spec: FileSpec, handler: InvalidRowHandler | None = None
    ) -> pacsv.ParseOptions:
        return pacsv.ParseOptions(
            delimiter=self.delimiter(file, spec),
            quote_char=self.options.quote_char or False,
            escape_char=self.options.escape_char or False,
            newlines_in_values=True,
            invalid_row_handler=handler,
        )

    def convert_options(self, types: dict[str, pa.DataType]) -> pacsv.ConvertOptions:
        return pacsv.ConvertOptions(
            column_types=types,
            null_values=list(NULL_VALUES),
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        )

    def delimiter(self, file: SourceFile, spec: FileSpec) -> str:
        if spec.delimiter:
            return spec.delimiter
        if self.options.delimiter:
            return self.options.delimiter
        return "\t" if file.ref.key.lower().endswith(".tsv") else ","

    # --- errors ---------------------------------------------------------------------------

    def data_error(
        self,
        file: SourceFile,
        spec: FileSpec,
        exc: pa.ArrowInvalid,
        schema: pa.Schema | None,
        types: dict[str, pa.DataType],
    ) -> SourceDataError:
        text = str(exc).strip()
        if text == "Empty CSV file":
            return SourceDataError(f"{file.name} is empty: there is no header line")
        if "cannot infer number of columns" in text:
            return SourceDataError(
                f"{file.name} line 1: the header cannot be parsed (an unclosed quote?)"
            )
        if match := _TOO_MANY.search(text):
            expected, found = int(match.group(1)), int(match.group(2))
            line = self._find_line(file, spec, lambda row: len(row) != expected)
            return SourceDataError(
                f"{file.name} {_line(line)}: expected {expected} columns (as in the header), "
                f"found {found}"
            )
        if match := _BAD_UTF8.search(text):
            column = _column_name(schema, int(match.group(1)))
            return SourceDataError(
                f"{file.name}, column {column!r}: bytes that are not valid "
                f"{self.options.encoding}; set the source's encoding (e.g. latin-1)"
            )
        if match := CONVERSION.search(text):
            index, type_name, value = int(match.group(1)), match.group(2), match.group(3)
            column = _column_name(schema, index)
            line = self._find_line(file, spec, lambda row: len(row) > index and row[index] == value)
            origin = (
                "from column_types"
                if column in (spec.column_types or {})
                else "inferred from the first rows"
            )
            return SourceDataError(
                f"{file.name} {_line(line)}, column {column!r}: {value!r} is not {type_name} "
                f"({origin}); set column_types for {column!r} (e.g. string)"
            )
        return SourceDataError(f"{file.name}: {text.splitlines()[0]}")

    def _find_line(
        self, file: SourceFile, spec: FileSpec, is_bad: Callable[[list[str]], bool]
    ) -> int | None:
        """The first physical line of the first data record ``is_bad`` accepts (a second pass)."""
        quote = self.options.quote_char
        with file.open_stream() as raw:
            text = io.TextIOWrapper(
                raw, encoding=self.options.encoding, errors="replace", newline=""
            )
            quoting: Literal[0, 3] = stdlib_csv.QUOTE_MINIMAL if quote else stdlib_csv.QUOTE_NONE
            rows = stdlib_csv.reader(
                text,
                delimiter=self.delimiter(file, spec),
                quotechar=quote,
                escapechar=self.options.escape_char,
                quoting=quoting,
                strict=False,
            )
            start, header = 1, spec.has_header
            try:
                for row in rows:
                    if row and header:
                        header = False
                    elif row and is_bad(row):
                        return start
                    start = rows.line_num + 1
            except stdlib_csv.Error:
                return start
        return None


def _line(line: int | None) -> str:
    return f"line {line}" if line is not None else "(line unknown)"


def _column_name(schema: pa.Schema | None, index: int) -> str:
    if schema is not None and index < len(schema.names):
        return str(schema.names[index])
    return f"#{index + 1}"


class CsvConnector(LocalFileConnector[CsvSettings]):
    """CSV files in a local folder."""

    type_name: ClassVar[str] = "csv"
    title: ClassVar[str] = "CSV files"
    settings_model: ClassVar[type[ConnectorSettings]] = CsvSettings

    def _make_format(self) -> CsvFormat:
        return CsvFormat(self.settings)
