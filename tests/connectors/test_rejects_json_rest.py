"""JSON files and REST reads with a reject sink: items that do not fit the schema go there."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from dataops.connectors.base import (
    ConnectorContext,
    EndpointSpec,
    FileSpec,
    ReadStats,
    Reject,
    Watermark,
)
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.jsonfile import JsonConnector, JsonSettings
from tests.fixtures.rest_server import RestServer, connect


def read_json(
    root: Path, spec: FileSpec, batch_rows: int = 50_000
) -> tuple[pa.Table, list[Reject], ReadStats]:
    connector = JsonConnector(
        JsonSettings(), ConnectorContext(allowed_roots=(root,), batch_rows=batch_rows)
    )
    rejects: list[Reject] = []
    stats = ReadStats(rejects=rejects.append)
    table = pa.Table.from_batches(list(connector.read(spec, stats=stats)))
    return table, rejects, stats


def write(root: Path, name: str, lines: list[str]) -> str:
    path = root / name
    path.write_text("\n".join(lines) + "\n")
    return name


# --- JSON files ------------------------------------------------------------------------------


def test_json_lines_that_do_not_fit_after_the_first_block_are_rejected(tmp_path: Path) -> None:
    # 60,000 records: the schema comes from the first 1 MiB block; the bad ones are far later.
    lines = [json.dumps({"id": i, "code": i, "tag": f"t{i}"}) for i in range(60_000)]
    lines[50_000] = '{"id": 50000, "code": "A1", "tag": "t"}'
    lines[50_001] = '{"id": 50001, "code": tru}'
    lines[50_002] = "[50002]"
    lines[50_003] = '{"id": 50003, "code": 3, "late": true}'
    lines.insert(3, "")  # blank lines are no records
    name = write(tmp_path, "r.jsonl", lines)

    table, rejects, stats = read_json(tmp_path, FileSpec(path="r.jsonl"), batch_rows=7_000)

    assert table.schema.types == [pa.int64(), pa.int64(), pa.string()]
    ids = [i for i in range(60_000) if not 50_000 <= i <= 50_003]
    assert table.column("id").to_pylist() == ids
    assert table.column("code").to_pylist() == ids
    assert stats.rows == len(ids)
    assert stats.bytes == (tmp_path / "r.jsonl").stat().st_size
    assert rejects == [
        Reject(
            "field 'code' is a string that does not fit the column's type int64",
            '{"id": 50000, "code": "A1", "tag": "t"}',
            line=50_002,
            row=50_001,
            file=name,
        ),
        Reject(
            "not valid JSON: Expecting value (column 23)",
            '{"id": 50001, "code": tru}',
            line=50_003,
            row=50_002,
            file=name,
        ),
        Reject("a JSON array, not an object", "[50002]", line=50_004, row=50_003, file=name),
        Reject(
            "field 'late' is not a column (the columns come from the first rows)",
            '{"id": 50003, "code": 3, "late": true}',
            line=50_005,
            row=50_004,
            file=name,
        ),
    ]


def test_without_a_sink_a_bad_json_line_still_fails_the_read(tmp_path: Path) -> None:
    write(tmp_path, "r.jsonl", ['{"id": 1}', '{"id": tru}'])
    connector = JsonConnector(JsonSettings(), ConnectorContext(allowed_roots=(tmp_path,)))
    with pytest.raises(SourceDataError, match=r"r\.jsonl line 2, column 8: Expecting value"):
        list(connector.read(FileSpec(path="r.jsonl"), stats=ReadStats()))


def test_bad_records_in_the_first_block_leave_the_schema_to_the_good_ones(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "code": 10}',
        '{"id": 2, "code": "x"}',
        "not json",
        "3",
        '{"id": 4, "code": 40}',
    ]
    name = write(tmp_path, "r.jsonl", lines)

    table, rejects, _ = read_json(tmp_path, FileSpec(path="r.jsonl"))

    assert table.schema.types == [pa.int64(), pa.int64()]
    assert table.to_pylist() == [{"id": 1, "code": 10}, {"id": 4, "code": 40}]
    assert sorted(rejects, key=lambda r: r.row or 0) == [
        Reject("field 'code' is a string here, but a number in earlier rows", lines[1], 2, 2, name),
        Reject("not valid JSON: Expecting value (column 1)", "not json", 3, 3, name),
        Reject("a JSON number, not an object", "3", 4, 4, name),
    ]


def test_array_elements_are_rejected_with_the_line_they_start_on(tmp_path: Path) -> None:
    text = (
        "[\n"
        '  {"id": 1, "day": "2024-01-01"},\n'
        "  2,\n"
        '  {"id": 3,\n   "day": "soon"},\n'
        '  {"id": 4, "day": "2024-01-04"}\n'
        "]\n"
    )
    (tmp_path / "r.json").write_text(text)
    name = "r.json"
    spec = FileSpec(path="r.json", column_types={"day": "date32"})

    table, rejects, _ = read_json(tmp_path, spec)

    assert table.schema.types == [pa.int64(), pa.date32()]
    assert table.to_pylist() == [
        {"id": 1, "day": dt.date(2024, 1, 1)},
        {"id": 4, "day": dt.date(2024, 1, 4)},
    ]
    assert rejects == [
        Reject("a JSON number, not an object", "2", line=3, row=2, file=name),
        Reject(
            "field 'day' is a string that does not fit the column's type date32[day]",
            '{"id": 3,\n   "day": "soon"}',
            line=4,
            row=3,
            file=name,
        ),
    ]


def test_a_broken_array_still_fails_a_read_with_rejects(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('[{"id": 1}, {"id": 2,, "x": 1}]')
    with pytest.raises(SourceDataError, match=r"r\.json line 1, column 22"):
        read_json(tmp_path, FileSpec(path="r.json"))


def test_later_files_of_a_glob_are_held_to_the_first_files_schema(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", ['{"id": 1, "ok": true}', '{"id": 2, "ok": false}'])
    second = write(
        tmp_path,
        "b.jsonl",
        ['{"id": 3, "ok": true}', '{"id": 4, "ok": true, "extra": 1}', '{"id": 5, "ok": "yes"}'],
    )

    table, rejects, _ = read_json(tmp_path, FileSpec(path="*.jsonl"))

    assert table.to_pylist() == [
        {"id": 1, "ok": True},
        {"id": 2, "ok": False},
        {"id": 3, "ok": True},
    ]
    assert rejects == [
        Reject(
            "field 'extra' is not a column (the columns come from the first rows)",
            '{"id": 4, "ok": true, "extra": 1}',
            2,
            2,
            second,
        ),
        Reject(
            "field 'ok' is a string that does not fit the column's type bool",
            '{"id": 5, "ok": "yes"}',
            3,
            3,
            second,
        ),
    ]


# --- REST ------------------------------------------------------------------------------------


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


def read_rest(
    server: RestServer, path: str, cursor: Watermark | None = None, **settings: Any
) -> tuple[list[dict[str, Any]], list[Reject], ReadStats]:
    connector = connect(server.url, **settings)
    rejects: list[Reject] = []
    stats = ReadStats(rejects=rejects.append)
    try:
        batches = list(connector.read(EndpointSpec(path=path), cursor, stats))
    finally:
        connector.close()
    assert len({b.schema for b in batches}) == 1
    return [row for b in batches for row in b.to_pylist()], rejects, stats


def test_a_rest_record_that_does_not_fit_the_first_batch_is_rejected(server: RestServer) -> None:
    rows, rejects, stats = read_rest(server, "drift", style="all", batch_rows=100, endpoints=[])
    assert [r["id"] for r in rows] == list(range(151))
    assert rows[-1] == {"id": 150, "score": 300}
    assert stats.rows == 151
    assert rejects == [
        Reject(
            "field 'score' is a JSON number that does not fit the column's type int64 "
            "(inferred from the first batch)",
            json.dumps({"id": 151, "score": 1.5}),
            row=152,
            file="drift",
        )
    ]


def test_rest_items_that_are_not_objects_are_rejected_across_pages(
    server: RestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    records: list[Any] = [{"id": i, "name": f"n{i}"} for i in range(40)]
    records[0] = "first"
    records[12] = [1, 2]
    records[25] = {"id": 25.5, "name": "n25"}  # not a whole number: not int64
    records[33] = None
    monkeypatch.setattr(server, "records", records)

    rows, rejects, _ = read_rest(
        server, "open/offset", style="offset", page_size=10, batch_rows=7, endpoints=[]
    )

    assert [r["id"] for r in rows] == [i for i in range(40) if i not in (0, 12, 25, 33)]
    assert [(r.row, r.raw, r.reason, r.file) for r in rejects] == [
        (1, '"first"', "a JSON string, not an object", "open/offset"),
        (13, "[1, 2]", "a JSON array, not an object", "open/offset"),
        (
            26,
            '{"id": 25.5, "name": "n25"}',
            "field 'id' is a JSON number that does not fit the column's type int64 "
            "(inferred from the first batch)",
            "open/offset",
        ),
        (34, "null", "a JSON null, not an object", "open/offset"),
    ]
    assert all(r.line is None for r in rejects)


def test_a_rest_watermark_field_that_cannot_be_compared_is_rejected(
    server: RestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    records: list[Any] = [{"id": i} for i in range(10)]
    records[7] = {"id": "seven"}
    monkeypatch.setattr(server, "records", records)

    rows, rejects, _ = read_rest(server, "open/all", Watermark("id", 4), style="all", endpoints=[])

    assert rows == [{"id": 5}, {"id": 6}, {"id": 8}, {"id": 9}]
    assert rejects == [
        Reject(
            "watermark field 'id' is a JSON string that cannot be compared with the watermark "
            "(a int)",
            '{"id": "seven"}',
            row=8,
            file="open/all",
        )
    ]
    connector = connect(server.url, "all", endpoints=[])
    try:
        with pytest.raises(SourceDataError, match="record 7: watermark field 'id'"):
            list(connector.read(EndpointSpec(path="open/all"), Watermark("id", 4)))
    finally:
        connector.close()
