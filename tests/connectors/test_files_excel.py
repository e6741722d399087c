"""Excel: sheet choice, cell types, overrides, and files that are not workbooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from dataops.connectors.base import ConnectorContext, FileSpec, ObjectKind
from dataops.connectors.errors import SourceDataError, SourceNotFoundError
from dataops.connectors.files.excel import ExcelConnector, ExcelSettings
from tests.contracts.cases_files import orders_table, write_xlsx


def excel_source(root: Path, batch_rows: int = 50_000) -> ExcelConnector:
    context = ConnectorContext(allowed_roots=(root,), batch_rows=batch_rows)
    return ExcelConnector(ExcelSettings(), context)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "summary"
    first.append(["label", "value"])
    first.append(["total", 3])
    typed = workbook.create_sheet("typed")
    typed.append(["id", "amount", "at", "day", "ok", "note"])
    typed.append([1, 12.5, dt.datetime(2024, 1, 2, 3, 4, 5), dt.date(2024, 1, 2), True, "x"])
    typed.append([])  # a blank row is skipped
    typed.append([2, 3, dt.datetime(2024, 1, 3), dt.date(2024, 1, 3), False, None])
    typed.append([3, None, None, None, None, "z"])
    workbook.save(tmp_path / "book.xlsx")
    return tmp_path


def test_the_first_sheet_is_read_unless_one_is_named(book: Path) -> None:
    assert excel_source(book).preview(FileSpec(path="book.xlsx"), 5).column_names == [
        "label",
        "value",
    ]
    table = excel_source(book).preview(FileSpec(path="book.xlsx", sheet="typed"), 5)
    assert table.column_names == ["id", "amount", "at", "day", "ok", "note"]


def test_cell_types_are_inferred_and_empty_cells_are_null(book: Path) -> None:
    table = excel_source(book).preview(FileSpec(path="book.xlsx", sheet="typed"), 10)
    assert {f.name: str(f.type) for f in table.schema} == {
        "id": "int64",
        "amount": "double",
        "at": "timestamp[us]",  # midnight datetimes arrive as dates: still timestamps
        "day": "date32[day]",
        "ok": "bool",
        "note": "string",
    }
    assert table.to_pylist() == [
        {
            "id": 1,
            "amount": 12.5,
            "at": dt.datetime(2024, 1, 2, 3, 4, 5),
            "day": dt.date(2024, 1, 2),
            "ok": True,
            "note": "x",
        },
        {
            "id": 2,
            "amount": 3.0,
            "at": dt.datetime(2024, 1, 3),
            "day": dt.date(2024, 1, 3),
            "ok": False,
            "note": None,
        },
        {"id": 3, "amount": None, "at": None, "day": None, "ok": None, "note": "z"},
    ]


def test_overrides_apply_to_cells(book: Path) -> None:
    spec = FileSpec(
        path="book.xlsx",
        sheet="typed",
        column_types={"amount": "decimal128(10,2)", "id": "string", "at": "date32"},
    )
    table = excel_source(book).preview(spec, 10)
    assert table.schema.field("amount").type == pa.decimal128(10, 2)
    assert table.column("amount").to_pylist() == [Decimal("12.50"), Decimal("3.00"), None]
    assert table.column("id").to_pylist() == ["1", "2", "3"]
    assert table.column("at").to_pylist()[0] == dt.date(2024, 1, 2)


def test_discover_lists_each_sheet(book: Path) -> None:
    objects = excel_source(book).discover()
    assert [(o.name, o.kind, o.namespace) for o in objects] == [
        ("book.xlsx#summary", ObjectKind.SHEET, "book.xlsx"),
        ("book.xlsx#typed", ObjectKind.SHEET, "book.xlsx"),
    ]
    assert objects[1].columns is not None
    assert [c.name for c in objects[1].columns] == ["id", "amount", "at", "day", "ok", "note"]


def test_a_missing_sheet_is_not_found_and_lists_the_sheets(book: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"no sheet 'nope' \(sheets: summary, typed\)"):
        excel_source(book).preview(FileSpec(path="book.xlsx", sheet="nope"), 5)


@pytest.mark.parametrize(
    "content", [b"id,name\n1,a\n", b"PK\x03\x04 truncated zip", b"", b"\xd0\xcf\x11\xe0junk"]
)
def test_a_file_that_is_not_excel_is_a_data_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "fake.xlsx").write_bytes(content)
    with pytest.raises(SourceDataError, match=r"fake\.xlsx is not an Excel workbook"):
        excel_source(tmp_path).preview(FileSpec(path="fake.xlsx"), 5)
    assert excel_source(tmp_path).discover() == []  # discover skips it


def test_a_value_that_does_not_fit_names_the_row(tmp_path: Path) -> None:
    rows = orders_table(40)
    write_xlsx(tmp_path / "b.xlsx", {"orders": rows})
    workbook = openpyxl.load_workbook(tmp_path / "b.xlsx")
    workbook["orders"]["C35"] = "n/a"  # amount, row 35 (row 1 is the header)
    workbook.save(tmp_path / "b.xlsx")
    with pytest.raises(SourceDataError) as caught:
        list(excel_source(tmp_path, batch_rows=10).read(FileSpec(path="b.xlsx")))
    assert "sheet 'orders' row 35, column 'amount': 'n/a' is not a number" in caught.value.message
    assert "column_types" in caught.value.message


def test_duplicate_header_names_are_a_data_error(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "a"])
    workbook.active.append([1, 2])
    workbook.save(tmp_path / "d.xlsx")
    with pytest.raises(SourceDataError, match="row 1: the header names column 'a' twice"):
        excel_source(tmp_path).preview(FileSpec(path="d.xlsx"), 5)


def test_reads_are_batched_and_headerless_sheets_get_names(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "o.xlsx", {"orders": orders_table(250)})
    batches = list(excel_source(tmp_path, batch_rows=60).read(FileSpec(path="o.xlsx")))
    assert [b.num_rows for b in batches] == [60, 60, 60, 60, 10]
    headerless = excel_source(tmp_path).preview(FileSpec(path="o.xlsx", has_header=False), 3)
    assert headerless.column_names == ["f0", "f1", "f2", "f3", "f4"]
    assert headerless.column("f0").to_pylist() == ["id", "0", "1"]  # mixed: text
