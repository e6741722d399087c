"""Lake tables: exact types, commit metadata (run id, watermark, app transaction), widening."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from dataops.datasets.errors import SchemaDriftError
from dataops.datasets.extract import ExtractPlan, run_extraction
from dataops.datasets.schemas import ExtractMode, SchemaPolicy
from dataops.lake.commits import RunCommit
from dataops.lake.storage import Lake, Zone
from dataops.lake.tables import LakeTable
from dataops.lake.types import conform_batch, lake_schema


def _table(tmp_path: Path) -> LakeTable:
    lake = Lake(str(tmp_path / "lake"))
    return LakeTable(lake, lake.table_uri(Zone.DATASETS, "t"))


def _reader(batch: pa.RecordBatch) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(batch.schema, [batch])


def test_values_beyond_the_signed_range_keep_their_value(tmp_path: Path) -> None:
    raw = pa.record_batch(
        {
            "big": pa.array([2**64 - 1, 0], pa.uint64()),
            "u32": pa.array([2**32 - 1, 1], pa.uint32()),
            "t": pa.array([3_600_000_000, None], pa.time64("us")),
        }
    )
    schema = lake_schema(raw.schema)
    table = _table(tmp_path)
    table.write(_reader(conform_batch(raw, schema)), RunCommit("a", 1, "r1"), mode="append")
    stored = table.dataset()
    assert stored is not None
    rows = stored.to_table().to_pylist()
    assert rows[0] == {"big": Decimal(2**64 - 1), "u32": 2**32 - 1, "t": "01:00:00.000000"}


def test_commits_carry_the_run_and_the_watermark(tmp_path: Path) -> None:
    table = _table(tmp_path)
    mark = datetime(2026, 5, 1, 12, tzinfo=UTC)
    batch = pa.record_batch({"id": [1, 2]})
    table.write(_reader(batch), RunCommit("ds", 7, "run-7", watermark=mark), mode="append")
    assert table.committed_seq("ds") == 7
    assert table.committed_seq("other") is None
    [version] = table.history()
    assert (version.run_id, version.watermark, version.rows_added) == ("run-7", mark, 2)
    assert table.last_watermark() == mark


def test_an_incremental_run_widens_the_table_in_its_own_commit(tmp_path: Path) -> None:
    table = _table(tmp_path)
    first = pa.record_batch({"id": pa.array([1, 2], pa.int32()), "v": ["a", "b"]})
    table.write(_reader(first), RunCommit("ds", 1, "r1", watermark=2), mode="append")
    wider = pa.record_batch({"id": pa.array([2**40], pa.int64()), "v": ["c"]})
    plan = ExtractPlan(
        table=table,
        commit=RunCommit("ds", 2, "r2"),
        mode=ExtractMode.APPEND,
        watermark_column="id",
        previous_watermark=2,
        schema_policy=SchemaPolicy.ADD_COLUMNS,
        staging_dir=tmp_path / "staging",
    )
    result = run_extraction(
        plan,
        iter([wider]),
        reject=lambda r: pytest.fail(f"unexpected reject {r}"),
        rejected=lambda: 0,
        progress=lambda rows, size: None,
        cancelled=lambda: False,
    )
    assert result.changes == ["column 'id': int32 → int64 (widened)"]
    assert result.watermark == 2**40
    schema = table.schema()
    assert schema is not None and schema.field("id").type == pa.int64()
    stored = table.dataset()
    assert stored is not None
    assert sorted(stored.to_table().column("id").to_pylist()) == [1, 2, 2**40]
    kinds = [v.kind for v in table.history()]
    assert kinds == ["extract", "retype", "extract"]


def test_a_type_change_the_policy_refuses_changes_nothing(tmp_path: Path) -> None:
    table = _table(tmp_path)
    table.write(
        _reader(pa.record_batch({"n": pa.array([1], pa.int64())})),
        RunCommit("ds", 1, "r1"),
        mode="append",
    )
    mixed = pa.record_batch({"n": pa.array(["2", "x", "4"])})
    rejects: list[object] = []
    plan = ExtractPlan(
        table=table,
        commit=RunCommit("ds", 2, "r2"),
        mode=ExtractMode.FULL,
        schema_policy=SchemaPolicy.ADD_COLUMNS,
    )
    with pytest.raises(SchemaDriftError, match="int64 → string"):
        run_extraction(
            plan,
            iter([mixed]),
            reject=rejects.append,
            rejected=lambda: len(rejects),
            progress=lambda rows, size: None,
            cancelled=lambda: False,
        )
    assert table.count() == 1, "a refused run changes nothing"
