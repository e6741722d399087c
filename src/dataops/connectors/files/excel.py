"""Excel workbooks (xlsx, xlsm, xlsb, xls, ods) through ``python-calamine``.

A sheet is parsed whole (that is how the formats are laid out), then walked row by row and turned
into Arrow column by column, one batch at a time, so Python never holds more than a batch of
cells. The first row is the header unless ``has_header`` is false; blank rows are skipped; types
are inferred from the first batch (:func:`.inference.infer_cell_type`). ``discover()`` lists each
worksheet as ``<file>#<sheet>``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO, ClassVar

import pyarrow as pa
import python_calamine as calamine

from dataops.connectors.base import (
    ConnectorSettings,
    FileSpec,
    ObjectKind,
    SourceObject,
)
from dataops.connectors.errors import SourceDataError, SourceNotFoundError
from dataops.connectors.files.connector import LocalFileConnector, LocalFilesSettings
from dataops.connectors.files.inference import (
    cells_to_array,
    check_column_names,
    check_overrides_apply,
    column_type_overrides,
    columns_of,
    infer_cell_type,
)
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.stream import Batches
from dataops.core.errors import DataOpsError

log = logging.getLogger(__name__)

SHEET_SEPARATOR = "#"


class ExcelOptions(ConnectorSettings):
    """Excel needs no source-level options: the sheet is chosen per read spec."""


class ExcelSettings(LocalFilesSettings, ExcelOptions):
    """A folder of Excel workbooks."""


class ExcelFormat:
    name: ClassVar[str] = "excel"
    extensions: ClassVar[tuple[str, ...]] = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

    def objects(self, file: SourceFile, *, with_columns: bool) -> list[SourceObject]:
        try:
            with file.open_seekable() as handle, _open_workbook(file, handle) as workbook:
                sheets = [
                    (meta.name, workbook.get_sheet_by_name(meta.name).height)
                    for meta in workbook.sheets_metadata
                    if meta.typ == calamine.SheetTypeEnum.WorkSheet
                ]
        except (DataOpsError, calamine.CalamineError) as exc:
            log.info("cannot list the sheets of %s: %s", file.name, exc)
            return []
        objects = []
        for sheet, height in sheets:
            columns = None
            if with_columns:
                spec = FileSpec(path=file.ref.key, sheet=sheet)
                try:
                    columns = columns_of(next(self.read(file, spec, None, 100, 100)).schema)
                except DataOpsError as exc:
                    log.info("no columns for %s sheet %r: %s", file.name, sheet, exc)
            objects.append(
                SourceObject(
                    name=f"{file.ref.key}{SHEET_SEPARATOR}{sheet}",
                    kind=ObjectKind.SHEET,
                    namespace=file.ref.key,
                    columns=columns,
                    row_count=max(height - 1, 0),
                    size_bytes=file.ref.size,
                )
            )
        return objects

    def read(
        self,
        file: SourceFile,
        spec: FileSpec,
        expected: pa.Schema | None,
        batch_rows: int,
        limit: int | None = None,
    ) -> Batches:
        overrides = column_type_overrides(spec)
        with file.open_seekable() as handle, _open_workbook(file, handle) as workbook:
            sheet = _sheet(workbook, spec.sheet, file)
            where = f"{file.name} sheet {sheet.name!r}"
            first_row = (sheet.start or (0, 0))[0] + 1  # Excel's 1-based row number
            rows = enumerate(_rows(sheet, where), start=first_row)
            names = self._names(rows, sheet.width, spec, where)
            schema = None
            if expected is None:
                check_overrides_apply(overrides, names, where)
            elif sorted(names) == sorted(expected.names):
                schema = pa.schema([expected.field(name) for name in names])
            else:
                raise SourceDataError(
                    f"{where} has columns ({', '.join(names)}), but the first file of the glob "
                    f"has ({', '.join(expected.names)}); all matched files must have the same "
                    "columns"
                )
            for numbers, chunk in _chunks(rows, batch_rows):
                if schema is None:
                    columns = list(zip(*chunk, strict=True)) if chunk else [() for _ in names]
                    schema = pa.schema(
                        [
                            (name, overrides.get(name) or infer_cell_type(_cells(values)))
                            for name, values in zip(names, columns, strict=True)
                        ]
                    )
                    yield pa.RecordBatch.from_pylist([], schema=schema)
                if chunk:
                    yield _to_batch(chunk, numbers, names, schema, where, overrides)

    def _names(
        self,
        rows: Iterator[tuple[int, list[Any]]],
        width: int,
        spec: FileSpec,
        where: str,
    ) -> list[str]:
        if not spec.has_header:
            return [f"f{i}" for i in range(width)]
        number, header = next(rows, (1, []))
        names = [_header_text(value) for value in header]
        check_column_names(names, where, where=f"row {number}")
        return names


def _open_workbook(file: SourceFile, handle: BinaryIO) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(handle)
    except calamine.PasswordError as exc:
        raise SourceDataError(f"{file.name} is a password-protected workbook") from exc
    except calamine.CalamineError as exc:
        raise SourceDataError(f"{file.name} is not an Excel workbook ({exc})") from exc


def _sheet(
    workbook: calamine.CalamineWorkbook, name: str | None, file: SourceFile
) -> calamine.CalamineSheet:
    names = list(workbook.sheet_names)
    if not names:
        raise SourceDataError(f"{file.name} has no sheets")
    try:
        return workbook.get_sheet_by_name(name if name is not None else names[0])
    except calamine.WorksheetNotFound as exc:
        raise SourceNotFoundError(
            f"{file.name} has no sheet {name!r} (sheets: {', '.join(names)})"
        ) from exc
    except calamine.CalamineError as exc:
        raise SourceDataError(f"{file.name} sheet {name!r} cannot be read ({exc})") from exc


def _rows(sheet: calamine.CalamineSheet, where: str) -> Iterator[list[Any]]:
    try:
        yield from sheet.iter_rows()
    except calamine.CalamineError as exc:
        raise SourceDataError(f"{where} cannot be read ({exc})") from exc


def _chunks(
    rows: Iterator[tuple[int, list[Any]]], size: int
) -> Iterator[tuple[list[int], list[list[Any]]]]:
    """(row numbers, rows) of at most ``size`` non-blank rows; one empty chunk if none."""
    numbers: list[int] = []
    chunk: list[list[Any]] = []
    produced = False
    for number, row in rows:
        if all(value == "" for value in row):
            continue
        numbers.append(number)
        chunk.append(row)
        if len(chunk) >= size:
            yield numbers, chunk
            produced = True
            numbers, chunk = [], []
    if chunk or not produced:
        yield numbers, chunk


def _cells(values: Sequence[Any]) -> list[Any]:
    return [None if value == "" else value for value in values]


def _to_batch(
    chunk: list[list[Any]],
    numbers: list[int],
    names: list[str],
    schema: pa.Schema,
    where: str,
    overrides: dict[str, pa.DataType],
) -> pa.RecordBatch:
    arrays = []
    for index, values in enumerate(zip(*chunk, strict=True)):
        field = schema.field(index)
        cells = _cells(values)
        try:
            arrays.append(cells_to_array(cells, field.type))
        except ValueError as exc:
            row, problem = _first_misfit(cells, numbers, field.type, exc)
            origin = (
                "from column_types" if names[index] in overrides else "inferred from the first rows"
            )
            raise SourceDataError(
                f"{where} row {row}, column {names[index]!r}: {problem} (the column is "
                f"{field.type}, {origin}); set column_types for {names[index]!r} (e.g. string)"
            ) from exc
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _first_misfit(
    cells: list[Any], numbers: list[int], to: pa.DataType, error: ValueError
) -> tuple[int | str, str]:
    for value, number in zip(cells, numbers, strict=True):
        try:
            cells_to_array([value], to)
        except ValueError as exc:
            return number, str(exc)
    return "?", str(error)


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class ExcelConnector(LocalFileConnector[ExcelSettings]):
    """Excel workbooks in a local folder."""

    type_name: ClassVar[str] = "excel"
    title: ClassVar[str] = "Excel workbooks"
    settings_model: ClassVar[type[ConnectorSettings]] = ExcelSettings

    def _make_format(self) -> ExcelFormat:
        return ExcelFormat()
