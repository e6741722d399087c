"""JSON records become Arrow batches with one stable schema; bad shapes fail naming where."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataops.connectors.base import EndpointSpec, ObjectKind, ReadStats, Watermark
from dataops.connectors.errors import SourceAuthError, SourceDataError
from dataops.connectors.rest.body import extract_records
from dataops.connectors.rest.records import JSON_METADATA, RecordBatcher
from tests.fixtures.rest_server import COLUMNS, RECORD_COUNT, RestServer, connect


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


def batches_of(records: list[Any], batch_rows: int) -> tuple[list[pa.RecordBatch], RecordBatcher]:
    batcher = RecordBatcher(batch_rows)
    batches = list(batcher.add(enumerate(records)))
    batches += list(batcher.finish())
    return batches, batcher


# --- the batcher ------------------------------------------------------------------------------


def test_nested_objects_and_arrays_become_json_text_columns() -> None:
    (batch,), _ = batches_of([{"a": {"b": [1, {"c": None}]}, "l": [1, 2]}, {"a": None}], 10)
    assert batch.column("a").to_pylist() == ['{"b":[1,{"c":null}]}', None]
    assert batch.column("l").to_pylist() == ["[1,2]", None]
    assert batch.schema.field("a").metadata == JSON_METADATA
    assert json.loads(batch.column("a")[0].as_py()) == {"b": [1, {"c": None}]}


def test_the_schema_of_the_first_batch_holds_for_every_batch() -> None:
    records = [{"id": i, "x": None if i < 3 else f"v{i}", "f": i / 2} for i in range(10)]
    batches, _ = batches_of(records, 3)
    assert [b.num_rows for b in batches] == [3, 3, 3, 1]
    assert len({b.schema for b in batches}) == 1
    assert batches[0].schema.types == [pa.int64(), pa.string(), pa.float64()]  # all-null → string


def test_lossless_casts_are_made_in_later_batches() -> None:
    records = [{"n": 1, "f": 1.5, "s": "a"}, {"n": 2.0, "f": 2, "s": 3}, {"n": None, "s": True}]
    batches, _ = batches_of(records, 1)
    assert [b.column("n")[0].as_py() for b in batches] == [1, 2, None]
    assert [b.column("f")[0].as_py() for b in batches] == [1.5, 2.0, None]
    assert [b.column("s")[0].as_py() for b in batches] == ["a", "3", "true"]


@pytest.mark.parametrize(
    ("later", "kind"),
    [
        ({"n": 1.5}, "number"),
        ({"n": "7"}, "string"),
        ({"n": True}, "boolean"),
        ({"n": [1]}, "array"),
    ],
)
def test_a_value_that_does_not_fit_names_the_record_and_field(
    later: dict[str, Any], kind: str
) -> None:
    batcher = RecordBatcher(2)
    list(batcher.add(enumerate([{"n": 1}, {"n": 2}])))
    list(batcher.add([(2, later)]))  # buffered: checked when the batch is cut
    with pytest.raises(SourceDataError, match=rf"record 2: field 'n' is a JSON {kind}") as caught:
        list(batcher.finish())
    assert caught.value.details == {"record": 2, "field": "n"}
    assert "1.5" not in caught.value.message  # values never reach messages


def test_fields_first_seen_later_are_left_out_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    batches, batcher = batches_of([{"id": 1}, {"id": 2, "late": "x"}, {"id": 3, "late": "y"}], 1)
    assert all(b.schema.names == ["id"] for b in batches)
    assert batcher.ignored_fields == ["late"]
    assert caplog.text.count("'late'") == 1


def test_a_record_that_is_not_an_object_is_named() -> None:
    with pytest.raises(SourceDataError, match="record 1 is a JSON string, not an object"):
        batches_of([{"a": 1}, "oops"], 10)


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["a", "b", "c"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-(2**70), 2**70),
                st.floats(allow_nan=False),
                st.text(max_size=5),
                st.lists(st.integers(), max_size=2),
            ),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_single_batch_always_converts(records: list[dict[str, Any]]) -> None:
    """Whatever the mixture, the batch the schema is inferred from fits it, row for row."""
    (batch,), _ = batches_of(records, len(records))
    assert batch.num_rows == len(records)


def test_records_path_errors_name_the_path() -> None:
    with pytest.raises(SourceDataError, match=r"records_path 'data\.rows' not found"):
        extract_records({"data": {"items": []}}, "data.rows")
    with pytest.raises(SourceDataError, match=r"records_path 'total' is a JSON number, not a list"):
        extract_records({"total": 3}, "total")
    with pytest.raises(SourceDataError, match=r"set records_path \(lists in it: items\)"):
        extract_records({"items": [], "n": 0}, None)


# --- through the server -----------------------------------------------------------------------


def test_read_reports_rows_and_bytes(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", page_size=100, batch_rows=64)
    stats = ReadStats()
    try:
        batches = list(connector.read(EndpointSpec(path="offset"), stats=stats))
    finally:
        connector.close()
    assert [b.num_rows for b in batches] == [64, 64, 64, 64, 1]  # re-cut across page edges
    assert stats.rows == RECORD_COUNT
    assert stats.bytes > RECORD_COUNT * 100
    assert stats.extra["pages"] == 3


def test_the_spec_records_path_overrides_the_endpoint_and_the_source(server: RestServer) -> None:
    connector = connect(
        f"{server.url}/open",
        records_path="nope",
        endpoints=[{"name": "offset", "path": "offset", "records_path": "also.nope"}],
    )
    try:
        with pytest.raises(SourceDataError, match=r"'also\.nope' not found"):
            connector.preview(EndpointSpec(path="offset"), 3)
        assert connector.preview(EndpointSpec(path="offset", records_path="data"), 3).num_rows == 3
        with pytest.raises(SourceDataError, match="'total' is a JSON number"):
            connector.preview(EndpointSpec(path="offset", records_path="total"), 3)
    finally:
        connector.close()


def test_a_type_change_mid_read_fails_naming_the_record(server: RestServer) -> None:
    connector = connect(server.url, "all", batch_rows=100, endpoints=[])
    try:
        with pytest.raises(SourceDataError, match=r"record 151: field 'score'"):
            list(connector.read(EndpointSpec(path="drift")))
    finally:
        connector.close()


@pytest.mark.parametrize(
    ("watermark", "expected"),
    [
        (Watermark("id", 250), 7),
        (Watermark("id", None), RECORD_COUNT),
        (Watermark("created_at", dt.datetime(2024, 1, 11, 0, tzinfo=dt.UTC)), RECORD_COUNT - 240),
        (Watermark("name", "item-200"), 57),
    ],
)
def test_reads_past_a_watermark_keep_only_newer_records(
    server: RestServer, watermark: Watermark, expected: int
) -> None:
    connector = connect(f"{server.url}/open", page_size=100)
    try:
        rows = sum(b.num_rows for b in connector.read(EndpointSpec(path="offset"), watermark))
    finally:
        connector.close()
    assert rows == expected


def test_discover_lists_endpoints_with_columns_where_they_read(server: RestServer) -> None:
    connector = connect(
        f"{server.url}/open",
        endpoints=[
            {"name": "items", "path": "offset"},
            {"name": "gone", "path": "missing/offset"},
            {"name": "everything", "path": "all", "records_path": "0"},
        ],
    )
    try:
        objects = {o.name: o for o in connector.discover()}
    finally:
        connector.close()
    assert set(objects) == {"items", "gone", "everything"}
    assert all(o.kind is ObjectKind.ENDPOINT for o in objects.values())
    items = objects["items"].columns
    assert items is not None and [c.name for c in items] == COLUMNS
    assert [(c.data_type, c.source_type) for c in items][:5] == [
        ("int64", "integer"),
        ("string", "string"),
        ("double", "number"),
        ("bool", "boolean"),
        ("string", "json"),
    ]
    assert objects["gone"].columns is None  # 404: listed, columns unknown
    assert objects["everything"].columns is None  # records_path is not a list
    assert [hit.query.get("limit") for hit in server.hits_under("/open/offset")] == ["20"]


def test_discover_without_inference_makes_no_request(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", infer_columns_on_discover=False)
    try:
        (only,) = connector.discover()
    finally:
        connector.close()
    assert only.columns is None
    assert server.hits == []


def test_discover_with_refused_credentials_raises(server: RestServer) -> None:
    connector = connect(f"{server.url}/bearer", auth={"type": "bearer", "token": "nope-nope"})
    try:
        with pytest.raises(SourceAuthError):
            connector.discover()
    finally:
        connector.close()
