"""JSON Lines and JSON arrays: one reader, inference, overrides, and errors named by line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from dataops.connectors.base import ConnectorContext, FileSpec
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.jsonfile import JsonConnector, JsonSettings

RECORDS = [
    {"id": 1, "amount": "12.34", "day": "2024-01-02", "ok": True, "tags": ["a"], "note": None},
    {"id": 2, "amount": "3.5", "day": "2024-01-03", "ok": False, "tags": [], "note": "x"},
    {"id": 3, "amount": None, "day": None, "ok": None, "tags": None, "note": None},
]


def json_source(root: Path, batch_rows: int = 50_000, **settings: object) -> JsonConnector:
    context = ConnectorContext(allowed_roots=(root,), batch_rows=batch_rows)
    return JsonConnector(JsonSettings(**settings), context)  # type: ignore[arg-type]


def write_lines(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_lines_and_pretty_printed_arrays_read_the_same(tmp_path: Path) -> None:
    write_lines(tmp_path / "r.jsonl", RECORDS)
    (tmp_path / "r.json").write_text(json.dumps(RECORDS, indent=2))
    lines = json_source(tmp_path).preview(FileSpec(path="r.jsonl"), 10)
    array = json_source(tmp_path).preview(FileSpec(path="r.json"), 10)
    assert lines.equals(array)
    assert {f.name: str(f.type) for f in lines.schema} == {
        "id": "int64",
        "amount": "string",
        "day": "timestamp[s]",
        "ok": "bool",
        "tags": "list<item: string>",
        "note": "string",
    }


def test_a_json_file_of_lines_is_sniffed_as_lines(tmp_path: Path) -> None:
    write_lines(tmp_path / "r.json", RECORDS)
    assert json_source(tmp_path).preview(FileSpec(path="r.json"), 10).num_rows == 3


def test_overrides_read_decimals_and_dates(tmp_path: Path) -> None:
    write_lines(tmp_path / "r.jsonl", RECORDS)
    spec = FileSpec(path="r.jsonl", column_types={"amount": "decimal128(10,2)", "day": "date32"})
    table = json_source(tmp_path).preview(spec, 10)
    assert table.column_names == list(RECORDS[0])  # the file's order is kept
    assert table.schema.field("amount").type == pa.decimal128(10, 2)
    assert table.column("amount").to_pylist() == [Decimal("12.34"), Decimal("3.50"), None]
    assert table.column("day").to_pylist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 3), None]


def test_invalid_json_lines_name_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n{"id": tru}\n')
    with pytest.raises(SourceDataError, match=r"r\.jsonl line 4, column 8: Expecting value"):
        json_source(tmp_path).preview(FileSpec(path="r.jsonl"), 10)


def test_an_invalid_array_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('[\n  {"id": 1},\n  {"id": 2,, "x": 1}\n]\n')
    with pytest.raises(SourceDataError, match=r"r\.json line 3, column 12: Expecting property"):
        json_source(tmp_path).preview(FileSpec(path="r.json"), 10)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"id": 1}, 2]', "line 1, column 13: expected a JSON object"),
        ('[{"id": 1} {"id": 2}]', "expected ',' or ']'"),
        ('[{"id": 1},', "the array is not closed"),
        ("hello", "line 1: expected a JSON array or JSON Lines objects"),
        ("", "is empty"),
    ],
)
def test_malformed_arrays_are_data_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "r.json").write_text(text)
    with pytest.raises(SourceDataError, match=message):
        json_source(tmp_path).preview(FileSpec(path="r.json"), 10)


def test_a_field_changing_type_after_the_first_block_names_the_line(tmp_path: Path) -> None:
    records = [{"id": i, "code": i} for i in range(60_000)] + [{"id": 60_000, "code": "A1"}]
    write_lines(tmp_path / "r.jsonl", records)
    with pytest.raises(SourceDataError) as caught:
        list(json_source(tmp_path).read(FileSpec(path="r.jsonl")))
    assert "line 60001: field 'code' is a string here, but a number in earlier rows" in (
        caught.value.message
    )


def test_a_field_null_in_the_first_block_can_be_overridden(tmp_path: Path) -> None:
    records = [{"id": i, "late": None} for i in range(60_000)] + [{"id": 60_000, "late": "x"}]
    write_lines(tmp_path / "r.jsonl", records)
    with pytest.raises(SourceDataError, match="line 60001: field 'late' is a string here"):
        list(json_source(tmp_path).read(FileSpec(path="r.jsonl")))
    spec = FileSpec(path="r.jsonl", column_types={"late": "string"})
    table = pa.Table.from_batches(list(json_source(tmp_path).read(spec)))
    assert table.column("late").to_pylist()[-1] == "x"


def test_a_big_array_is_streamed_in_bounded_batches(tmp_path: Path) -> None:
    records = [{"id": i, "name": f"n{i}\nline"} for i in range(30_000)]
    (tmp_path / "big.json").write_text(json.dumps(records, indent=1))
    batches = list(json_source(tmp_path, batch_rows=4_000).read(FileSpec(path="big.json")))
    assert max(b.num_rows for b in batches) == 4_000
    table = pa.Table.from_batches(batches)
    assert table.num_rows == 30_000
    assert table.column("name").to_pylist()[-1] == "n29999\nline"


def test_layout_setting_forces_lines(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('[{"id": 1}]')
    with pytest.raises(SourceDataError):
        json_source(tmp_path, layout="lines").preview(FileSpec(path="r.json"), 5)


def test_glob_of_json_files_with_other_fields_fails_clearly(tmp_path: Path) -> None:
    write_lines(tmp_path / "a.jsonl", [{"id": 1}])
    write_lines(tmp_path / "b.jsonl", [{"id": 2, "extra": 1}])
    with pytest.raises(SourceDataError, match=r"b\.jsonl line 1: field 'extra' is not among"):
        json_source(tmp_path).preview(FileSpec(path="*.jsonl"), 5)
