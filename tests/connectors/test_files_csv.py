"""CSV: type inference, overrides, dialects, and bad input named by line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from dataops.connectors.base import FileSpec, ReadStats
from dataops.connectors.errors import InvalidSpecError, SourceDataError
from dataops.connectors.files.csv import CsvConnector, CsvSettings
from dataops.connectors.files.stream import stream_batches
from tests.contracts.cases_files import local_context


def connector(root: Path, batch_rows: int = 50_000, **settings: object) -> CsvConnector:
    context = local_context(root)
    context = type(context)(allowed_roots=context.allowed_roots, batch_rows=batch_rows)
    return CsvConnector(CsvSettings(**settings), context)  # type: ignore[arg-type]


def write(root: Path, name: str, text: str | bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)


TYPED = (
    "id,amount,day,at,at_utc,paid,note,empty\n"
    '1,12.34,2024-01-02,2024-01-02 03:04:05,2024-01-02T03:04:05Z,true,"a, quoted",\n'
    '2,,2024-02-03,,,false,"",\n'
    "3,NULL,,2024-03-04T05:06:07,,,null,\n"
)


def test_types_are_inferred_and_empty_cells_are_null(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", TYPED)
    table = connector(tmp_path).preview(FileSpec(path="t.csv"), 10)
    assert {f.name: str(f.type) for f in table.schema} == {
        "id": "int64",
        "amount": "double",
        "day": "date32[day]",
        "at": "timestamp[s]",
        "at_utc": "timestamp[s, tz=UTC]",
        "paid": "bool",
        "note": "string",
        "empty": "string",  # empty everywhere: text, not the null type
    }
    rows = table.to_pylist()
    assert rows[0]["note"] == "a, quoted"
    assert rows[1]["amount"] is None and rows[2]["amount"] is None  # empty and NULL
    assert rows[1]["note"] == ""  # a quoted empty string stays a string
    assert rows[2]["note"] is None and rows[2]["paid"] is None and rows[2]["day"] is None
    assert rows[2]["at"] == dt.datetime(2024, 3, 4, 5, 6, 7)


def test_overrides_set_decimal_date_timestamp_bool_and_string(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", TYPED)
    spec = FileSpec(
        path="t.csv",
        column_types={
            "amount": "decimal128(12,2)",
            "at": "timestamp[ms]",
            "id": "string",
            "paid": "boolean",
            "empty": "int32",
        },
    )
    table = connector(tmp_path).preview(spec, 10)
    assert table.schema.field("amount").type == pa.decimal128(12, 2)
    assert table.schema.field("at").type == pa.timestamp("ms")
    assert table.schema.field("id").type == pa.string()
    assert table.schema.field("empty").type == pa.int32()
    assert table.column("amount").to_pylist() == [Decimal("12.34"), None, None]
    assert table.column("id").to_pylist() == ["1", "2", "3"]


def test_an_override_naming_no_column_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", TYPED)
    with pytest.raises(InvalidSpecError, match=r"'amout'.*columns: id, amount"):
        connector(tmp_path).preview(FileSpec(path="t.csv", column_types={"amout": "int64"}), 5)


def test_an_unknown_type_name_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", TYPED)
    with pytest.raises(InvalidSpecError, match="unknown Arrow type 'money'") as caught:
        connector(tmp_path).preview(FileSpec(path="t.csv", column_types={"amount": "money"}), 5)
    assert caught.value.field == "spec.column_types.amount"


def test_a_value_that_does_not_fit_the_inferred_type_names_line_and_column(
    tmp_path: Path,
) -> None:
    # The first block (1 MiB) says int64; the bad value comes far later.
    lines = ["id,qty"] + [f"{i},{i % 7}" for i in range(150_000)] + ["150000,lots"]
    write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    with pytest.raises(SourceDataError) as caught:
        list(connector(tmp_path).read(FileSpec(path="t.csv")))
    message = caught.value.message
    assert "line 150002, column 'qty'" in message
    assert "'lots' is not int64 (inferred from the first rows)" in message
    assert "column_types" in message
    # ...and the suggested override reads it.
    spec = FileSpec(path="t.csv", column_types={"qty": "string"})
    assert sum(b.num_rows for b in connector(tmp_path).read(spec)) == 150_001


def test_a_column_empty_in_the_first_block_takes_later_values_as_text(tmp_path: Path) -> None:
    lines = ["id,late"] + [f"{i}," for i in range(100_000)] + ["100000,arrived"]
    write(tmp_path, "t.csv", "\n".join(lines) + "\n")
    batches = list(connector(tmp_path).read(FileSpec(path="t.csv")))
    assert batches[0].schema.field("late").type == pa.string()
    assert pa.Table.from_batches(batches).column("late").to_pylist()[-1] == "arrived"


def test_inconsistent_column_count_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", 'a,b,c\n1,2,3\n4,"multi\nline",6\n7,8\n9,10,11\n')
    with pytest.raises(SourceDataError, match=r"t\.csv line 5: expected 3 columns .*found 2"):
        connector(tmp_path).preview(FileSpec(path="t.csv"), 10)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("a,b,a\n1,2,3\n", "line 1: the header names column 'a' twice"),
        ("a,,c\n1,2,3\n", "line 1: the header has no name for column 2"),
        ('a,"b,c\n1,2,3\n', "line 1: the header cannot be parsed"),
        ("", "is empty: there is no header line"),
    ],
)
def test_malformed_headers_are_data_errors(tmp_path: Path, header: str, message: str) -> None:
    write(tmp_path, "t.csv", header)
    with pytest.raises(SourceDataError, match=message):
        connector(tmp_path).preview(FileSpec(path="t.csv"), 10)


def test_delimiter_from_spec_settings_or_tsv_extension(tmp_path: Path) -> None:
    write(tmp_path, "semi.csv", "a;b\n1;x\n")
    write(tmp_path, "tabs.tsv", "a\tb\n1\tx\n")
    assert connector(tmp_path).preview(FileSpec(path="semi.csv", delimiter=";"), 5).num_columns == 2
    assert connector(tmp_path, delimiter=";").preview(FileSpec(path="semi.csv"), 5).num_columns == 2
    assert connector(tmp_path).preview(FileSpec(path="tabs.tsv"), 5).column_names == ["a", "b"]


def test_headerless_files_get_generated_names(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", "1,x\n2,y\n")
    table = connector(tmp_path).preview(FileSpec(path="t.csv", has_header=False), 5)
    assert table.column_names == ["f0", "f1"]
    assert table.num_rows == 2


def test_encoding_setting_decodes_latin1(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", "city\nMünchen\n".encode("latin-1"))
    with pytest.raises(SourceDataError, match="not valid utf-8; set the source's encoding"):
        connector(tmp_path).preview(FileSpec(path="t.csv"), 5)
    table = connector(tmp_path, encoding="latin-1").preview(FileSpec(path="t.csv"), 5)
    assert table.column("city").to_pylist() == ["München"]


def test_an_unknown_encoding_is_refused_by_the_settings() -> None:
    with pytest.raises(ValueError, match="unknown text encoding"):
        CsvSettings(encoding="klingon")


def test_read_streams_a_big_file_in_bounded_batches_and_counts_bytes(tmp_path: Path) -> None:
    lines = ["id,name"] + [f"{i},name-{i}" for i in range(200_000)]
    write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    stats = ReadStats()
    sizes = [
        b.num_rows
        for b in connector(tmp_path, batch_rows=30_000).read(FileSpec(path="big.csv"), stats=stats)
    ]
    assert sum(sizes) == 200_000 and max(sizes) == 30_000
    assert all(size == 30_000 for size in sizes[:-1])
    assert stats.rows == 200_000
    assert stats.bytes == (tmp_path / "big.csv").stat().st_size


def test_a_preview_reads_only_the_first_blocks(tmp_path: Path) -> None:
    lines = ["id,name"] + [f"{i},name-{i}" for i in range(400_000)]
    write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    csv = connector(tmp_path)
    stats = ReadStats()
    rows = stream_batches(
        csv.location, csv.file_format, FileSpec(path="big.csv"), batch_rows=10, stats=stats, limit=5
    )
    assert sum(b.num_rows for b in rows) == 5
    size = (tmp_path / "big.csv").stat().st_size
    assert stats.bytes < 3 << 20 < size  # pyarrow reads ~32 small blocks ahead, not the file
