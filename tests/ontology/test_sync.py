"""Syncs on real Delta tables (a local lake in tmp_path) and real DuckDB: changed rows only, each
mode and conflict policy, rejected records, paths, defaults, transforms, idempotent re-runs,
new properties; and the mapping checks and preview the editor uses."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from dataops.engine.session import session
from dataops.lake.commits import RunCommit
from dataops.lake.storage import Lake, Zone
from dataops.lake.tables import LakeTable, WriteMode
from dataops.ontology import sync as sync_module
from dataops.ontology.arrow_types import duckdb_type, object_schema, property_arrow_type
from dataops.ontology.errors import MappingError
from dataops.ontology.schemas import OnConflict, PropertyMapping, PropertySpec, SyncMode
from dataops.ontology.sync import (
    SyncPlan,
    SyncResult,
    build_select,
    changed_rows,
    preview_mapping,
    read_rejected,
    run_sync,
    validate_mapping,
)

UTC = dt.UTC
PROPS = [
    PropertySpec(name="tail", kind="string"),
    PropertySpec(name="model", kind="string"),
    PropertySpec(name="year", kind="integer"),
]
MAPS = {
    "tail": PropertyMapping(column="tail_number"),
    "model": PropertyMapping(column="model_name"),
    "year": PropertyMapping(column="build_yr"),
}


class Dataset:
    """A dataset's Delta table, written version by version like extractions do."""

    def __init__(self, lake: Lake, name: str = "ds") -> None:
        self.lake, self.id = lake, name
        self.table = LakeTable.of(lake, Zone.DATASETS, name)
        self.seq = 0

    def write(self, rows: dict[str, list[Any]] | pa.Table, mode: WriteMode = "append") -> int:
        self.seq += 1
        data = rows if isinstance(rows, pa.Table) else pa.table(rows)
        reader = pa.RecordBatchReader.from_batches(data.schema, data.to_batches())
        commit = RunCommit(f"dataops:dataset:{self.id}", self.seq, f"run{self.seq}")
        return self.table.write(reader, commit, mode=mode, add_columns=True)

    def merge(self, rows: dict[str, list[Any]], keys: list[str]) -> int:
        self.seq += 1
        data = pa.table(rows)
        reader = pa.RecordBatchReader.from_batches(data.schema, data.to_batches())
        commit = RunCommit(f"dataops:dataset:{self.id}", self.seq, f"run{self.seq}")
        return self.table.merge(reader, keys, commit, add_columns=False)


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(str(tmp_path / "lake"))


@pytest.fixture
def ds(lake: Lake) -> Dataset:
    return Dataset(lake)


def make_plan(ds: Dataset, to_version: int, seq: int, **changes: Any) -> SyncPlan:
    plan = SyncPlan(
        lake=ds.lake,
        object_type_id="aircraft",
        key_property="tail",
        properties=PROPS,
        mapping_id="m1",
        mappings=MAPS,
        mode=SyncMode.UPSERT,
        on_conflict=OnConflict.OVERWRITE,
        dataset_id=ds.id,
        from_version=None,
        to_version=to_version,
        sync_id=f"sync{seq}",
        seq=seq,
    )
    return replace(plan, **changes)


def objects(lake: Lake, type_id: str = "aircraft") -> dict[Any, dict[str, Any]]:
    found = LakeTable.of(lake, Zone.OBJECTS, type_id).dataset()
    assert found is not None
    return {row["tail"]: row for row in found.to_table().to_pylist()}


def object_rows(lake: Lake, type_id: str = "aircraft") -> list[dict[str, Any]]:
    found = LakeTable.of(lake, Zone.OBJECTS, type_id).dataset()
    assert found is not None
    rows: list[dict[str, Any]] = found.to_table().to_pylist()
    return rows


def objects_version(lake: Lake) -> int | None:
    found = LakeTable.of(lake, Zone.OBJECTS, "aircraft").open()
    return None if found is None else found.version()


def fleet(*rows: tuple[str | None, str | None, Any]) -> dict[str, list[Any]]:
    return {
        "tail_number": [r[0] for r in rows],
        "model_name": [r[1] for r in rows],
        "build_yr": [r[2] for r in rows],
    }


# --- changed rows, modes, conflicts --------------------------------------------------------------


def test_first_sync_reads_every_row_the_next_only_the_changed_ones(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015), ("N2", "A320", 2018), ("N3", "E175", 2001)))
    first = run_sync(make_plan(ds, v0, 1))
    assert first == SyncResult(processed=3, succeeded=3, failed=0, lake_version=0)

    v1 = ds.write(fleet(("N2", "A321", 2019), ("N4", "787", 2020)))
    seen: list[int] = []
    second = run_sync(make_plan(ds, v1, 2, from_version=v0), progress=seen.append)

    assert (second.processed, second.succeeded, second.failed) == (2, 2, 0)
    assert second.lake_version == 1
    assert seen[-1] == 2 and seen == sorted(seen)
    found = objects(ds.lake)
    assert sorted(found) == ["N1", "N2", "N3", "N4"]
    assert (found["N2"]["model"], found["N2"]["year"]) == ("A321", 2019)
    assert found["N2"]["_dataset_version"] == v1 and found["N2"]["_sync_id"] == "sync2"
    assert found["N1"]["_dataset_version"] == v0 and found["N1"]["_sync_id"] == "sync1"
    assert found["N1"]["_mapping_id"] == "m1" and found["N1"]["_dataset_id"] == "ds"
    assert found["N1"]["_synced_at"].tzinfo is not None
    history = LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").history()
    assert [h.kind for h in history] == ["sync", "sync"]  # one commit per sync
    assert [h.run_id for h in history] == ["sync2", "sync1"]


def test_no_new_version_reads_nothing_and_writes_nothing(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015)))
    run_sync(make_plan(ds, v0, 1))
    again = run_sync(make_plan(ds, v0, 2, from_version=v0))
    assert again == SyncResult(0, 0, 0, None)
    assert objects_version(ds.lake) == 0


def test_changed_rows_keeps_the_newest_schema_and_file_order(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015)))
    v1 = ds.write({**fleet(("N2", "A320", 2018)), "seats": [150]})
    v2 = ds.write({**fleet(("N3", "E175", 2001)), "seats": [76]})
    every = changed_rows(ds.lake, ds.id, None, v2).to_table()
    assert every.column_names == ["tail_number", "model_name", "build_yr", "seats"]
    assert every.column("tail_number").to_pylist() == ["N1", "N2", "N3"]  # oldest file first
    assert every.column("seats").to_pylist() == [None, 150, 76]  # older file: null
    since = changed_rows(ds.lake, ds.id, v0, v2).to_table()
    assert since.column("tail_number").to_pylist() == ["N2", "N3"]
    assert changed_rows(ds.lake, ds.id, v1, v2).to_table().column("seats").to_pylist() == [76]
    assert changed_rows(ds.lake, ds.id, v2, v2).to_table().num_rows == 0


def test_a_merged_dataset_rewrites_files_and_the_sync_rereads_them(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015), ("N2", "A320", 2018)))
    run_sync(make_plan(ds, v0, 1))
    v1 = ds.merge(fleet(("N2", "A321", 2019)), ["tail_number"])
    result = run_sync(make_plan(ds, v1, 2, from_version=v0))
    # delta-rs rewrote the file holding N2: its unchanged neighbour N1 is read again, harmlessly.
    assert result.processed == 2 and result.failed == 0
    found = objects(ds.lake)
    assert (found["N1"]["model"], found["N2"]["model"]) == ("737", "A321")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (OnConflict.SKIP, ("A320", 2018, "sync1")),
        (OnConflict.OVERWRITE, (None, 2019, "sync2")),
        (OnConflict.MERGE, ("A320", 2019, "sync2")),
    ],
)
def test_upsert_resolves_existing_keys_with_on_conflict(
    ds: Dataset, policy: OnConflict, expected: tuple[Any, ...]
) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015), ("N2", "A320", 2018)))
    run_sync(make_plan(ds, v0, 1, on_conflict=policy))
    v1 = ds.write(fleet(("N2", None, 2019), ("N5", "A350", 2021)))
    result = run_sync(make_plan(ds, v1, 2, from_version=v0, on_conflict=policy))
    assert (result.processed, result.succeeded) == (2, 2)
    found = objects(ds.lake)
    assert sorted(found) == ["N1", "N2", "N5"]  # new keys are inserted whatever the policy
    n2 = found["N2"]
    assert (n2["model"], n2["year"], n2["_sync_id"]) == expected
    assert found["N1"]["model"] == "737"


def test_replace_makes_the_objects_exactly_the_dataset(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015), ("N2", "A320", 2018)))
    run_sync(make_plan(ds, v0, 1, mode=SyncMode.REPLACE))
    v1 = ds.write(fleet(("N2", "A321", 2019)))
    result = run_sync(make_plan(ds, v1, 2, mode=SyncMode.REPLACE, from_version=v0))
    # every row of the version, not only the new file: N2 twice, the newer file's row wins
    assert (result.processed, result.succeeded, result.failed) == (3, 2, 1)
    assert {k: v["model"] for k, v in objects(ds.lake).items()} == {"N1": "737", "N2": "A321"}

    v2 = ds.write(fleet(("N9", "E190", 2010)), mode="overwrite")
    result = run_sync(make_plan(ds, v2, 3, mode=SyncMode.REPLACE, from_version=v1))
    assert result.processed == 1
    assert sorted(objects(ds.lake)) == ["N9"]
    assert LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").history(1)[0].operation == "WRITE"


def test_replace_with_an_empty_dataset_empties_the_objects(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015)))
    run_sync(make_plan(ds, v0, 1, mode=SyncMode.REPLACE))
    empty = pa.table(fleet(("x", "y", 1))).slice(0, 0)
    v1 = ds.write(empty, mode="overwrite")
    result = run_sync(make_plan(ds, v1, 2, mode=SyncMode.REPLACE, from_version=v0))
    assert result.processed == 0 and result.lake_version is not None
    assert object_rows(ds.lake) == []


def test_append_adds_every_row_as_a_new_object(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015), ("N1", "737", 2016)))
    first = run_sync(make_plan(ds, v0, 1, mode=SyncMode.APPEND))
    assert first.failed == 0  # no key matching, so no duplicates either
    v1 = ds.write(fleet(("N1", "737", 2017), (None, "A320", 2018)))
    second = run_sync(make_plan(ds, v1, 2, mode=SyncMode.APPEND, from_version=v0))
    assert (second.processed, second.succeeded) == (2, 2)
    rows = object_rows(ds.lake)
    assert sorted(r["year"] for r in rows) == [2015, 2016, 2017, 2018]


# --- rejected records ----------------------------------------------------------------------------


def test_rejected_rows_carry_their_reason_position_and_source(ds: Dataset) -> None:
    props = [
        PropertySpec(name="tail", kind="string"),
        PropertySpec(name="name", kind="string", required=True),
        PropertySpec(name="yearBuilt", kind="integer"),
        PropertySpec(name="status", kind="enum", enum_values=["active", "inactive"]),
    ]
    maps = {
        "tail": PropertyMapping(column="tail"),
        "name": PropertyMapping(column="name"),
        "yearBuilt": PropertyMapping(column="yr"),
        "status": PropertyMapping(column="status"),
    }
    v0 = ds.write(
        {
            "tail": ["N1", "N2", "N3", "N4", "N5", "N5", None, "N6"],
            "name": ["a", "b", None, "d", "e1", "e2", "g", "h"],
            "yr": ["1999", "19x5", "2001", "2002", "2003", "2004", "2005", "1.5"],
            "status": [
                "active",
                "active",
                "active",
                "retired",
                "active",
                "inactive",
                "active",
                "active",
            ],
        }
    )
    result = run_sync(make_plan(ds, v0, 1, properties=props, mappings=maps))

    assert (result.processed, result.succeeded, result.failed) == (8, 2, 6)
    assert {k: v["name"] for k, v in objects(ds.lake).items()} == {"N1": "a", "N5": "e2"}
    records, total = read_rejected(ds.lake, "m1")
    assert total == 6
    assert {r["row"]: r["reason"] for r in records} == {
        2: "yearBuilt: '19x5' is not an integer",
        3: "name is required but the row has no value",
        4: "status: 'retired' is not one of active, inactive",
        5: "duplicate key N5 in this sync; row 6 wins",
        7: "tail is the key but the row has no value",
        8: "yearBuilt: '1.5' is not an integer",  # DuckDB would round it to 2
    }
    by_row = {r["row"]: r for r in records}
    assert by_row[2]["source"] == {"tail": "N2", "name": "b", "yr": "19x5", "status": "active"}
    assert by_row[7]["source"]["tail"] is None
    assert {r["sync_id"] for r in records} == {"sync1"}


def test_rejected_records_are_paged_and_filtered_by_sync(ds: Dataset) -> None:
    props = [PropertySpec(name="tail", kind="string"), PropertySpec(name="year", kind="integer")]
    maps = {"tail": PropertyMapping(column="tail_number"), "year": PropertyMapping(column="yr")}
    v0 = ds.write({"tail_number": ["A", "B", "C"], "yr": ["x1", "2000", "x3"]})
    run_sync(make_plan(ds, v0, 1, properties=props, mappings=maps))
    v1 = ds.write({"tail_number": ["D"], "yr": ["x4"]})
    run_sync(make_plan(ds, v1, 2, properties=props, mappings=maps, from_version=v0))

    records, total = read_rejected(ds.lake, "m1")
    assert total == 3
    assert [(r["sync_id"], r["row"]) for r in records] == [("sync2", 1), ("sync1", 1), ("sync1", 3)]
    assert records[0]["source"] == {"tail_number": "D", "yr": "x4"}
    assert records[0]["rejected_at"].tzinfo is not None
    page, total = read_rejected(ds.lake, "m1", sync_id="sync1", limit=1, offset=1)
    assert total == 2
    assert [(r["row"], r["reason"]) for r in page] == [(3, "year: 'x3' is not an integer")]
    assert read_rejected(ds.lake, "other") == ([], 0)


def test_duplicate_keys_last_row_wins_across_batches_and_files(ds: Dataset) -> None:
    n = 150_000  # more than two query batches
    tails = [f"T{i}" for i in range(n)]
    ds.write({"tail_number": tails, "model_name": ["m"] * n, "build_yr": list(range(n))})
    v1 = ds.write(fleet(("T7", "late", 1), ("T7", "latest", 2)))
    seen: list[int] = []
    result = run_sync(make_plan(ds, v1, 1), progress=seen.append)
    assert (result.processed, result.failed) == (n + 2, 2)
    assert len(seen) >= 3 and seen[-1] == n + 2 and seen == sorted(seen)
    records, _ = read_rejected(ds.lake, "m1")
    assert sorted(r["reason"] for r in records) == [
        f"duplicate key T7 in this sync; row {n + 2} wins",
        f"duplicate key T7 in this sync; row {n + 2} wins",
    ]
    assert sorted(r["row"] for r in records) == [8, n + 1]
    assert LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").count() == n
    assert (objects(ds.lake)["T7"]["model"], objects(ds.lake)["T8"]["model"]) == ("latest", "m")


# --- values: paths, defaults, transforms, types --------------------------------------------------


def test_paths_into_struct_and_json_text_columns(ds: Dataset) -> None:
    address = pa.array(
        [{"city": "Paris", "geo": {"lat": 48.8}}, {"city": "Lyon", "geo": None}],
        pa.struct([("city", pa.string()), ("geo", pa.struct([("lat", pa.float64())]))]),
    )
    doc = ['{"owner": {"name": "Air A"}, "tags": ["x", "y"]}', "not json"]
    v0 = ds.write(pa.table({"tail": ["N1", "N2"], "address": address, "doc": doc}))
    props = [
        PropertySpec(name="tail", kind="string"),
        PropertySpec(name="city", kind="string"),
        PropertySpec(name="lat", kind="float"),
        PropertySpec(name="owner", kind="string"),
        PropertySpec(name="cityUpper", kind="string"),
    ]
    maps = {
        "tail": PropertyMapping(column="tail"),
        "city": PropertyMapping(column="address", path="city"),
        "lat": PropertyMapping(column="address", path="geo.lat"),
        "owner": PropertyMapping(column="doc", path="owner.name"),
        "cityUpper": PropertyMapping(
            column="address", path="city", transform="value.toUpperCase()"
        ),
    }
    result = run_sync(make_plan(ds, v0, 1, properties=props, mappings=maps))
    assert result.failed == 0
    found = objects(ds.lake)
    assert {k: (v["city"], v["lat"], v["owner"], v["cityUpper"]) for k, v in found.items()} == {
        "N1": ("Paris", 48.8, "Air A", "PARIS"),
        "N2": ("Lyon", None, None, "LYON"),
    }


def test_defaults_fill_nulls_but_never_hide_bad_values(ds: Dataset) -> None:
    props = [
        PropertySpec(name="tail", kind="string"),
        PropertySpec(name="year", kind="integer", required=True),
        PropertySpec(name="status", kind="enum", enum_values=["active", "inactive"]),
        PropertySpec(name="source", kind="string"),
    ]
    maps = {
        "tail": PropertyMapping(column="tail_number"),
        "year": PropertyMapping(column="build_yr", default=1900),
        "status": PropertyMapping(column="model_name", default="inactive"),
        "source": PropertyMapping(default="import"),  # no column: the default alone
    }
    v0 = ds.write(fleet(("N1", None, None), ("N2", "active", "abc"), ("N3", None, "2001")))
    result = run_sync(make_plan(ds, v0, 1, properties=props, mappings=maps))
    assert (result.succeeded, result.failed) == (2, 1)
    found = objects(ds.lake)
    assert {k: (v["year"], v["status"], v["source"]) for k, v in found.items()} == {
        "N1": (1900, "inactive", "import"),
        "N3": (2001, "inactive", "import"),
    }
    records, _ = read_rejected(ds.lake, "m1")
    assert [r["reason"] for r in records] == ["year: 'abc' is not an integer"]


def test_transforms_from_the_spec(ds: Dataset) -> None:
    props = [
        PropertySpec(name="tail", kind="string"),
        PropertySpec(name="year", kind="integer"),
        PropertySpec(name="status", kind="enum", enum_values=["active", "inactive"]),
        PropertySpec(name="seenAt", kind="timestamp"),
        PropertySpec(name="seenText", kind="string"),
        PropertySpec(name="label", kind="string"),
    ]
    maps = {
        "tail": PropertyMapping(column="tail"),
        "year": PropertyMapping(column="yr", transform="parseInt(value)"),
        "status": PropertyMapping(column="active", transform='value ? "active" : "inactive"'),
        "seenAt": PropertyMapping(column="seen", transform="new Date(value).toISOString()"),
        "seenText": PropertyMapping(column="seen", transform="new Date(value).toISOString()"),
        "label": PropertyMapping(transform='row.tail + " (" + row.yr + ")"'),
    }
    v0 = ds.write(
        {
            "tail": ["N1", "N2"],
            "yr": [" 2015 ", "1999abc"],
            "active": [True, False],
            "seen": ["2024-03-01T10:00:00+02:00", "2024-03-02 00:00:00"],
        }
    )
    result = run_sync(make_plan(ds, v0, 1, properties=props, mappings=maps))
    assert result.failed == 0
    found = objects(ds.lake)
    n1, n2 = found["N1"], found["N2"]
    assert (n1["year"], n2["year"]) == (2015, 1999)  # parseInt reads the leading digits
    assert (n1["status"], n2["status"]) == ("active", "inactive")
    assert n1["seenAt"] == dt.datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    assert n1["seenText"] == "2024-03-01T08:00:00.000Z"
    assert n2["seenAt"] == dt.datetime(2024, 3, 2, tzinfo=UTC)
    assert n1["label"] == "N1 ( 2015 )"


def test_every_kind_is_cast_to_its_stored_type(ds: Dataset) -> None:
    props = [
        PropertySpec(name="id", kind="integer"),
        PropertySpec(name="price", kind="decimal", precision=10, scale=2),
        PropertySpec(name="ratio", kind="float"),
        PropertySpec(name="ok", kind="boolean"),
        PropertySpec(name="day", kind="date"),
        PropertySpec(name="tags", kind="array", items=PropertySpec(name="t", kind="string")),
        PropertySpec(name="nums", kind="array", items=PropertySpec(name="n", kind="integer")),
        PropertySpec(
            name="dims",
            kind="object",
            fields=[PropertySpec(name="w", kind="integer"), PropertySpec(name="h", kind="float")],
        ),
    ]
    maps = {p.name: PropertyMapping(column=p.name) for p in props}
    dims = pa.array([{"h": 2.5, "w": 3}], pa.struct([("h", pa.float64()), ("w", pa.int32())]))
    v0 = ds.write(
        pa.table(
            {
                "id": ["7"],
                "price": ["12.345"],
                "ratio": [1],
                "ok": ["yes"],
                "day": [dt.datetime(2024, 5, 6, 7, 8)],
                "tags": [["a", "b"]],
                "nums": ["[1, 2, 3]"],
                "dims": dims,
            }
        )
    )
    plan = make_plan(ds, v0, 1, properties=props, mappings=maps, key_property="id")
    assert run_sync(plan).failed == 0
    table = LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").dataset()
    assert table is not None
    stored = table.to_table()
    assert stored.schema.field("price").type == pa.decimal128(10, 2)
    assert stored.schema.field("dims").type == property_arrow_type(props[-1])
    row = stored.to_pylist()[0]
    assert row["price"] == Decimal("12.35")
    assert (row["id"], row["ratio"], row["ok"]) == (7, 1.0, True)
    assert row["day"] == dt.date(2024, 5, 6)
    assert (row["tags"], row["nums"]) == (["a", "b"], [1, 2, 3])
    assert row["dims"] == {"w": 3, "h": 2.5}


# --- idempotency and schema changes --------------------------------------------------------------


def test_rerunning_a_committed_seq_writes_nothing_and_returns_its_counts(ds: Dataset) -> None:
    props = [PropertySpec(name="tail", kind="string"), PropertySpec(name="year", kind="integer")]
    maps = {"tail": PropertyMapping(column="tail_number"), "year": PropertyMapping(column="yr")}
    v0 = ds.write({"tail_number": ["A", "B"], "yr": ["1", "x"]})
    plan = make_plan(ds, v0, 1, properties=props, mappings=maps)
    first = run_sync(plan)
    again = run_sync(plan)
    assert again == first == SyncResult(2, 1, 1, 0)
    assert objects_version(ds.lake) == 0
    assert read_rejected(ds.lake, "m1")[1] == 1
    # an older seq is committed too
    assert run_sync(replace(plan, seq=0, sync_id="old")).lake_version == 0


def test_a_rerun_after_a_crash_before_the_objects_commit_rejects_once(
    ds: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    props = [PropertySpec(name="tail", kind="string"), PropertySpec(name="year", kind="integer")]
    maps = {"tail": PropertyMapping(column="tail_number"), "year": PropertyMapping(column="yr")}
    v0 = ds.write({"tail_number": ["A", "B"], "yr": ["1", "x"]})
    plan = make_plan(ds, v0, 1, properties=props, mappings=maps, mode=SyncMode.APPEND)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise OSError("killed")

    with monkeypatch.context() as patch:
        patch.setattr(sync_module, "_commit", crash)
        with pytest.raises(OSError, match="killed"):
            run_sync(plan)
    assert LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").open() is None
    folder = Path(ds.lake.table_uri(Zone.OBJECTS, "aircraft"))
    assert not list(folder.glob("*.parquet"))  # the staged objects were removed
    assert read_rejected(ds.lake, "m1")[1] == 1

    assert run_sync(plan) == SyncResult(2, 1, 1, 0)
    assert read_rejected(ds.lake, "m1")[1] == 1  # not written twice
    assert sorted(objects(ds.lake)) == ["A"]


@pytest.mark.parametrize("mode", [SyncMode.UPSERT, SyncMode.APPEND])
def test_a_property_added_later_adds_its_column(ds: Dataset, mode: SyncMode) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015)))
    run_sync(make_plan(ds, v0, 1, mode=mode))
    v1 = ds.write({**fleet(("N2", "A320", 2018)), "seats": [150]})
    props = [*PROPS, PropertySpec(name="seats", kind="integer")]
    maps = {**MAPS, "seats": PropertyMapping(column="seats")}
    plan = make_plan(ds, v1, 2, from_version=v0, mode=mode, properties=props, mappings=maps)
    assert run_sync(plan).succeeded == 1
    table = LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft")
    schema = table.schema()
    assert schema is not None
    names = schema.names
    assert names[-1] == "seats"  # added at the end
    assert sorted(names) == sorted(object_schema(props, "tail").names)
    found = objects(ds.lake)
    assert (found["N1"]["seats"], found["N2"]["seats"]) == (None, 150)


def test_an_invalid_mapping_fails_before_reading(ds: Dataset) -> None:
    v0 = ds.write(fleet(("N1", "737", 2015)))
    maps = {**MAPS, "year": PropertyMapping(column="nope")}
    with pytest.raises(MappingError, match="year: unknown column 'nope'") as caught:
        run_sync(make_plan(ds, v0, 1, mappings=maps))
    assert caught.value.details["issues"] == [
        {"property": "year", "message": "unknown column 'nope'"}
    ]
    assert LakeTable.of(ds.lake, Zone.OBJECTS, "aircraft").open() is None


# --- checks, preview, the query ------------------------------------------------------------------

SCHEMA = pa.schema(
    [
        ("tail", pa.string()),
        ("yr", pa.string()),
        ("n", pa.int64()),
        ("address", pa.struct([("city", pa.string())])),
        ("tags", pa.list_(pa.string())),
        ("doc", pa.string()),
        ("when", pa.timestamp("us")),
    ]
)


def check(
    properties: list[PropertySpec],
    maps: dict[str, PropertyMapping],
    mode: SyncMode = SyncMode.UPSERT,
) -> list[tuple[str, str]]:
    tail = PropertySpec(name="tail", kind="string")
    all_maps = {"tail": PropertyMapping(column="tail"), **maps}
    return validate_mapping(SCHEMA, [tail, *properties], "tail", all_maps, mode)


def test_validate_mapping_accepts_a_good_mapping() -> None:
    props = [
        PropertySpec(name="year", kind="integer", required=True),
        PropertySpec(name="city", kind="string"),
        PropertySpec(name="firstTag", kind="string"),
        PropertySpec(name="owner", kind="string"),
        PropertySpec(name="at", kind="date"),
        PropertySpec(name="tags", kind="array", items=PropertySpec(name="t", kind="string")),
        PropertySpec(
            name="where", kind="object", fields=[PropertySpec(name="city", kind="string")]
        ),
    ]
    maps = {
        "year": PropertyMapping(column="yr", transform="parseInt(value)"),
        "city": PropertyMapping(column="address", path="city"),
        "firstTag": PropertyMapping(column="tags", path="[0]"),
        "owner": PropertyMapping(column="doc", path="owner.name"),
        "at": PropertyMapping(column="when"),
        "tags": PropertyMapping(column="tags"),
        "where": PropertyMapping(column="address"),
    }
    assert check(props, maps) == []


def test_validate_mapping_names_each_problem() -> None:
    props = [
        PropertySpec(name="required", kind="string", required=True),
        PropertySpec(name="unknown", kind="string"),
        PropertySpec(name="broken", kind="string"),
        PropertySpec(name="flat", kind="string"),
        PropertySpec(name="struct", kind="integer"),
        PropertySpec(name="list", kind="date"),
        PropertySpec(name="stamp", kind="boolean"),
        PropertySpec(name="badDefault", kind="integer"),
        PropertySpec(name="enumDefault", kind="enum", enum_values=["a", "b"]),
        PropertySpec(
            name="nested", kind="object", fields=[PropertySpec(name="zip", kind="string")]
        ),
        PropertySpec(name="typeError", kind="string"),
    ]
    maps = {
        "unknown": PropertyMapping(column="nope"),
        "broken": PropertyMapping(column="yr", transform="read_csv('x')"),
        "flat": PropertyMapping(column="n", path="a.b"),
        "struct": PropertyMapping(column="address"),
        "list": PropertyMapping(column="tags"),
        "stamp": PropertyMapping(column="when"),
        "badDefault": PropertyMapping(column="yr", default="soon"),
        "enumDefault": PropertyMapping(column="yr", default="c"),
        "nested": PropertyMapping(column="address"),
        "typeError": PropertyMapping(column="address", transform="value.toUpperCase()"),
    }
    issues = dict(check(props, maps))
    assert issues.pop("required") == "required, but no column, transform or default is mapped"
    assert issues.pop("unknown") == "unknown column 'nope'"
    assert issues.pop("broken") == "function read_csv is not allowed at 0"
    assert issues.pop("flat") == "column 'n' of type int64 has no nested fields"
    assert issues.pop("struct") == (
        "column 'address' holds struct<city: string>, which cannot become an integer"
    )
    assert (
        issues.pop("list") == "column 'tags' holds list<item: string>, which cannot become a date"
    )
    assert issues.pop("stamp") == (
        "column 'when' holds timestamp[us], which cannot become a boolean"
    )
    assert issues.pop("badDefault") == "the default 'soon' is not an integer"
    assert issues.pop("enumDefault") == "the default 'c' is not one of a, b"
    assert issues.pop("nested").startswith("column 'address' holds struct<city: string>, none of")
    assert issues == {}


def test_validate_mapping_wants_the_key_where_objects_are_matched() -> None:
    props = [PropertySpec(name="tail", kind="string"), PropertySpec(name="n", kind="integer")]
    maps = {"n": PropertyMapping(column="n")}
    for mode in (SyncMode.UPSERT, SyncMode.REPLACE):
        assert validate_mapping(SCHEMA, props, "tail", maps, mode) == [
            ("tail", "tail is the key: map it (every object needs one)")
        ]
    assert validate_mapping(SCHEMA, props, "tail", maps, SyncMode.APPEND) == []


def test_preview_mapping_shows_values_as_stored_and_why_rows_fail() -> None:
    data = pa.table(
        {
            "tail": ["N1", "N2", "N1", None],
            "yr": ["2015", "19x5", "2016", "2017"],
            "active": [True, False, None, True],
        }
    )
    props = [
        PropertySpec(name="tail", kind="string"),
        PropertySpec(name="year", kind="integer"),
        PropertySpec(name="status", kind="enum", enum_values=["active", "inactive"]),
    ]
    maps = {
        "tail": PropertyMapping(column="tail"),
        "year": PropertyMapping(column="yr"),
        "status": PropertyMapping(column="active", transform='value ? "active" : "inactive"'),
    }
    out, errors = preview_mapping(data, props, "tail", maps, limit=3)
    assert out.schema == pa.schema([("tail", pa.string()), ("year", pa.int64()),
                                    ("status", pa.string())])  # fmt: skip
    assert out.to_pylist() == [
        {"tail": "N1", "year": 2015, "status": "active"},
        {"tail": "N2", "year": None, "status": "inactive"},
        {"tail": "N1", "year": 2016, "status": "inactive"},
    ]
    assert errors == [
        "duplicate key N1 in this sync; row 3 wins",
        "year: '19x5' is not an integer",
        None,
    ]


def test_build_select_runs_alone_over_odd_column_names() -> None:
    data = pa.table({'unit "price"': ["1.5", "x"], "a b": ["k1", "k2"]})
    props = [
        PropertySpec(name="key", kind="string"),
        PropertySpec(name="price", kind="float", required=True),
    ]
    maps = {
        "key": PropertyMapping(column="a b"),
        "price": PropertyMapping(transform='row["unit \\"price\\""] * 2'),
    }
    sql = build_select("my source", data.schema, props, "key", maps, SyncMode.APPEND)
    with session(threads=1) as con:
        con.register("my source", data)
        rows = con.sql(f"{sql} ORDER BY _row").fetchall()

    def compact(value: dict[str, str]) -> str:
        return json.dumps(value, separators=(",", ":"))

    # _source: for rejected rows only, the columns read, in order of use
    assert rows[0] == ("k1", 3.0, None, 1, None)
    key, price, error, row, source = rows[1]
    assert (key, price, row) == ("k2", None, 2) and "price" in error
    assert source == compact({"a b": "k2", 'unit "price"': "x"})


def test_build_select_refuses_a_mapping_that_does_not_compile() -> None:
    with pytest.raises(MappingError, match="price: unknown column 'nope'"):
        build_select("s", SCHEMA, [PropertySpec(name="tail", kind="string"),
                                   PropertySpec(name="price", kind="float")], "tail",
                     {"tail": PropertyMapping(column="tail"),
                      "price": PropertyMapping(transform="row.nope")}, SyncMode.UPSERT)  # fmt: skip


def test_arrow_and_duckdb_types_of_properties() -> None:
    spec = PropertySpec(
        name="o",
        kind="object",
        fields=[
            PropertySpec(name="at", kind="timestamp"),
            PropertySpec(name="xs", kind="array", items=PropertySpec(name="i", kind="date")),
        ],
    )
    assert property_arrow_type(spec) == pa.struct(
        [("at", pa.timestamp("us", tz="UTC")), ("xs", pa.list_(pa.date32()))]
    )
    assert duckdb_type(spec) == 'STRUCT("at" TIMESTAMPTZ, "xs" DATE[])'
    schema = object_schema([PropertySpec(name="b", kind="boolean"),
                            PropertySpec(name="k", kind="integer")], "k")  # fmt: skip
    assert schema.names[:2] == ["k", "b"]
    assert schema.field("_synced_at").type == pa.timestamp("us", tz="UTC")
    with pytest.raises(ValueError, match="key property 'x'"):
        object_schema([spec], "x")
