"""CSV reads with a reject sink: bad records go there, with line, row and text; good rows stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from dataops.connectors.base import ConnectorContext, FileSpec, ReadStats, Reject
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.csv import CsvConnector, CsvSettings


def read(
    root: Path, spec: FileSpec, batch_rows: int = 50_000, **settings: object
) -> tuple[pa.Table, list[Reject], ReadStats]:
    context = ConnectorContext(allowed_roots=(root,), batch_rows=batch_rows)
    connector = CsvConnector(CsvSettings(**settings), context)
    rejects: list[Reject] = []
    stats = ReadStats(rejects=rejects.append)
    table = pa.Table.from_batches(list(connector.read(spec, stats=stats)))
    return table, rejects, stats


def write(root: Path, name: str, lines: list[str], end: str = "\n") -> str:
    """Write ``lines``; return the file's key (relative to the root), as rejects give it."""
    path = root / name
    path.write_text(end.join(lines) + end, newline="")
    return name


def test_malformed_lines_are_rejected_and_every_good_row_is_kept(tmp_path: Path) -> None:
    lines = ["id,name,amount"] + [f"{i},name-{i},{i * 10}" for i in range(1, 1001)]
    lines.insert(101, "-1,too,many,fields")  # after data row 100
    lines.insert(502, "-2,too few")  # after data row 500
    lines.insert(903, "-3,bad,abc")  # after data row 900
    name = write(tmp_path, "t.csv", lines)
    spec = FileSpec(path="t.csv", column_types={"amount": "int64"})

    table, rejects, stats = read(tmp_path, spec)

    assert table.schema.types == [pa.int64(), pa.string(), pa.int64()]
    assert table.to_pylist() == [
        {"id": i, "name": f"name-{i}", "amount": i * 10} for i in range(1, 1001)
    ]
    assert stats.rows == 1000
    assert rejects == [
        Reject(
            "expected 3 columns (as in the header), found 4",
            "-1,too,many,fields",
            line=102,
            row=101,
            file=name,
        ),
        Reject(
            "expected 3 columns (as in the header), found 2",
            "-2,too few",
            line=503,
            row=502,
            file=name,
        ),
        Reject("column 'amount': 'abc' is not int64", "-3,bad,abc", line=904, row=903, file=name),
    ]


def test_without_a_sink_the_first_bad_line_still_fails_the_read(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", ["id,amount", "1,2", "3,4,5", "6,7"])
    context = ConnectorContext(allowed_roots=(tmp_path,))
    connector = CsvConnector(CsvSettings(), context)
    with pytest.raises(SourceDataError, match=r"t\.csv line 3: expected 2 columns .*found 3"):
        list(connector.read(FileSpec(path="t.csv"), stats=ReadStats()))


def test_a_value_past_the_first_block_that_fails_the_inferred_type_is_rejected(
    tmp_path: Path,
) -> None:
    # 150,000 rows: well past the 1 MiB block the types are inferred from (qty: int64).
    lines = ["id,qty,note"] + [f"{i},{i % 7},n{i}" for i in range(150_000)]
    lines[11] = "10,1,2,3"  # too many fields, in the first block
    lines[100_001] = "100000,lots,n100000"
    lines[120_001] = '120000,"",n120000'  # a quoted empty string is text, not a number
    lines[130_001] = "130000,NULL,n130000"  # NULL is a null int64: a good row
    name = write(tmp_path, "t.csv", lines)

    table, rejects, stats = read(tmp_path, FileSpec(path="t.csv"), batch_rows=40_000)

    assert table.schema.types == [pa.int64(), pa.int64(), pa.string()]
    gone = {10, 100_000, 120_000}
    ids = [i for i in range(150_000) if i not in gone]
    assert table.column("id").to_pylist() == ids
    assert table.column("qty").to_pylist() == [None if i == 130_000 else i % 7 for i in ids]
    assert table.column("note").to_pylist()[-1] == "n149999"
    assert stats.rows == 150_000 - 3
    assert stats.bytes == (tmp_path / "t.csv").stat().st_size  # nothing counted twice
    assert rejects == [
        Reject("expected 3 columns (as in the header), found 4", "10,1,2,3", 12, 11, name),
        Reject("column 'qty': 'lots' is not int64", "100000,lots,n100000", 100_002, 100_001, name),
        Reject("column 'qty': '' is not int64", '120000,"",n120000', 120_002, 120_001, name),
    ]


def test_line_numbers_count_the_lines_of_quoted_values_before_a_bad_line(tmp_path: Path) -> None:
    lines = [
        "a,b,c",
        '1,"multi',  # row 1: lines 2-3
        'line",3',
        "4,8",  # row 2, line 4: too few fields
        "",  # a blank line is no record
        '5,"two',  # row 3: lines 6-8
        "",
        'blank",6',
        '7,"quoted, ""comma""",x7',  # row 4, line 9: not an int
        '8,"y\nz",9,10',  # row 5, lines 10-11: a multi-line record with too many fields
        "11,12,13",  # row 6, line 12
    ]
    name = write(tmp_path, "t.csv", lines)
    spec = FileSpec(path="t.csv", column_types={"c": "int64"})

    table, rejects, _ = read(tmp_path, spec)

    assert table.to_pylist() == [
        {"a": 1, "b": "multi\nline", "c": 3},
        {"a": 5, "b": "two\n\nblank", "c": 6},
        {"a": 11, "b": "12", "c": 13},
    ]
    assert rejects == [
        Reject("expected 3 columns (as in the header), found 2", "4,8", 4, 2, name),
        Reject("expected 3 columns (as in the header), found 4", '8,"y\nz",9,10', 10, 5, name),
        Reject("column 'c': 'x7' is not int64", '7,"quoted, ""comma""",x7', 9, 4, name),
    ]


def test_crlf_lines_are_rejected_without_their_line_break(tmp_path: Path) -> None:
    name = write(tmp_path, "t.csv", ["a,b", "1,2", "3", '"4\r\nfour",5,6', "7,8"], end="\r\n")
    table, rejects, _ = read(tmp_path, FileSpec(path="t.csv"))
    assert table.to_pylist() == [{"a": 1, "b": 2}, {"a": 7, "b": 8}]
    assert rejects == [
        Reject("expected 2 columns (as in the header), found 1", "3", 3, 2, name),
        Reject("expected 2 columns (as in the header), found 3", '"4\r\nfour",5,6', 4, 3, name),
    ]


def test_a_glob_names_the_file_of_each_reject(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", ["id,day", "1,2024-01-01", "2", "3,2024-01-03"])
    # The first file fixed the types (int64, date32): b.csv's first block does not fit them.
    second = write(tmp_path, "b.csv", ["id,day", "4,2024-01-04", "five,2024-01-05", "6,soon"])

    table, rejects, _ = read(tmp_path, FileSpec(path="*.csv"))

    assert table.schema.types == [pa.int64(), pa.date32()]
    assert table.to_pylist() == [
        {"id": 1, "day": dt.date(2024, 1, 1)},
        {"id": 3, "day": dt.date(2024, 1, 3)},
        {"id": 4, "day": dt.date(2024, 1, 4)},
    ]
    assert rejects == [
        Reject("expected 2 columns (as in the header), found 1", "2", 3, 2, first),
        Reject("column 'id': 'five' is not int64", "five,2024-01-05", 3, 2, second),
        Reject("column 'day': 'soon' is not date32[day]", "6,soon", 4, 3, second),
    ]


def test_bad_values_in_two_columns_in_later_blocks_are_each_rejected(tmp_path: Path) -> None:
    lines = ["id,n,day"] + [f"{i},{i},2024-01-{i % 28 + 1:02d}" for i in range(200_000)]
    lines[100_001] = "100000,x,2024-01-01"
    lines[150_001] = "150000,150000,2024-13-45"
    lines[180_001] = "180000,y,never"  # both wrong: named by the first column
    name = write(tmp_path, "t.csv", lines)

    table, rejects, stats = read(tmp_path, FileSpec(path="t.csv"), batch_rows=64_000)

    assert table.schema.types == [pa.int64(), pa.int64(), pa.date32()]
    ids = [i for i in range(200_000) if i not in (100_000, 150_000, 180_000)]
    assert table.column("id").to_pylist() == ids
    assert table.column("n").to_pylist() == ids
    assert table.column("day").to_pylist()[:2] == [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]
    assert stats.rows == len(ids)
    assert rejects == [
        Reject("column 'n': 'x' is not int64", lines[100_001], 100_002, 100_001, name),
        Reject(
            "column 'day': '2024-13-45' is not date32[day]", lines[150_001], 150_002, 150_001, name
        ),
        Reject("column 'n': 'y' is not int64", lines[180_001], 180_002, 180_001, name),
    ]


def test_headerless_files_count_rows_from_the_first_line(tmp_path: Path) -> None:
    name = write(tmp_path, "t.tsv", ["1\ta", "2\tb\tc", "3\tc"])
    table, rejects, _ = read(tmp_path, FileSpec(path="t.tsv", has_header=False))
    assert table.to_pylist() == [{"f0": 1, "f1": "a"}, {"f0": 3, "f1": "c"}]
    assert rejects == [
        Reject("expected 2 columns (as in the first row), found 3", "2\tb\tc", 2, 2, name)
    ]
