"""profile_arrow: exact statistics on hand-built data, sampling, awkward names and types."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import deltalake
import pyarrow as pa
import pytest

from dataops.engine.profile import (
    ColumnProfile,
    Profile,
    TopValue,
    profile_arrow,
    profile_from_dict,
    profile_to_dict,
)

UTC = dt.UTC


def _table() -> pa.Table:
    return pa.table(
        {
            "id": pa.array([1, 2, 2, None, 10, 10], pa.int64()),
            "amount": pa.array(
                [Decimal("1.50"), None, Decimal("-2.25"), Decimal("10.00"), None, Decimal("1.50")],
                pa.decimal128(12, 2),
            ),
            "score": pa.array([0.5, 1.5, None, 3.0, 2.0, 0.5]),
            "flag": pa.array([True, False, True, None, True, False]),
            "city": pa.array(["Oslo", "Rome", None, "Oslo", "Åre", "Rome"]),
            "day": pa.array(
                [
                    dt.date(2024, 1, 2),
                    dt.date(2023, 12, 31),
                    None,
                    dt.date(2024, 1, 2),
                    dt.date(2024, 2, 29),
                    dt.date(2024, 1, 2),
                ],
                pa.date32(),
            ),
            "at": pa.array(
                [
                    dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
                    None,
                    dt.datetime(2024, 1, 2, 3, 4, 5, 678900, tzinfo=UTC),
                    None,
                    None,
                    dt.datetime(2020, 1, 1, tzinfo=UTC),
                ],
                pa.timestamp("us", tz="UTC"),
            ),
            "local": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5), None, None, None, None, dt.datetime(1999, 1, 1)],
                pa.timestamp("us"),
            ),
            "blob": pa.array([b"a", b"\x00", None, b"a", b"b", b"c"]),
            "tags": pa.array([["x"], [], None, ["x", "y"], ["x"], None]),
            "meta": pa.array([{"k": 1}, {"k": 2}, None, {"k": 1}, None, None]),
            "empty": pa.array([None] * 6, pa.string()),
        }
    )


def _col(
    name: str,
    data_type: str,
    nulls: int,
    percent: float,
    distinct: int,
    lo: str | None = None,
    hi: str | None = None,
    top: list[tuple[str, int]] | None = None,
    mean: float | None = None,
) -> ColumnProfile:
    tops = [TopValue(value, count) for value, count in top or []]
    return ColumnProfile(name, data_type, nulls, percent, distinct, lo, hi, tops, mean)


EXPECTED = [
    _col("id", "int64", 1, 16.67, 3, "1", "10", [("2", 2), ("10", 2), ("1", 1)], 5.0),
    _col("amount", "decimal128(12, 2)", 2, 33.33, 3, "-2.25", "10.00", mean=2.6875),
    _col("score", "double", 1, 16.67, 4, "0.5", "3.0", mean=1.5),
    _col("flag", "bool", 1, 16.67, 2, "false", "true", [("true", 3), ("false", 2)]),
    _col("city", "string", 1, 16.67, 3, "Oslo", "Åre", [("Oslo", 2), ("Rome", 2), ("Åre", 1)]),
    _col(
        "day",
        "date32[day]",
        1,
        16.67,
        3,
        "2023-12-31",
        "2024-02-29",
        [("2024-01-02", 3), ("2023-12-31", 1), ("2024-02-29", 1)],
    ),
    _col(
        "at",
        "timestamp[us, tz=UTC]",
        3,
        50.0,
        3,
        "2020-01-01T00:00:00+00:00",
        "2024-01-02T03:04:05.678900+00:00",
    ),
    _col("local", "timestamp[us]", 4, 66.67, 2, "1999-01-01T00:00:00", "2024-01-02T03:04:05"),
    _col("blob", "binary", 1, 16.67, 4),
    _col("tags", "list<item: string>", 2, 33.33, 3),
    _col("meta", "struct<k: int64>", 3, 50.0, 2),
    _col("empty", "string", 6, 100.0, 0),
]


def test_exact_profile_of_a_small_table() -> None:
    profile = profile_arrow(_table())
    assert profile == Profile(row_count=6, columns=EXPECTED, sampled=False, sample_rows=None)


def _delta_columns(profile: Profile) -> list[ColumnProfile]:
    return [dataclasses.replace(c, data_type="") for c in profile.columns]


def test_delta_table_dataset(tmp_path: Path) -> None:
    table = _table()
    deltalake.write_deltalake(tmp_path / "lake", table.slice(0, 3))
    deltalake.write_deltalake(tmp_path / "lake", table.slice(3), mode="append")
    dataset = deltalake.DeltaTable(tmp_path / "lake").to_pyarrow_dataset()
    profile = profile_arrow(dataset)
    assert profile.row_count == 6
    assert not profile.sampled
    assert _delta_columns(profile) == _delta_columns(profile_arrow(table))
    assert [c.name for c in profile.columns] == table.column_names


def test_record_batch_reader_is_read_once() -> None:
    table = _table()
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))
    assert profile_arrow(reader).columns == EXPECTED


def test_weird_column_names() -> None:
    names = ['say "hi"', "with space", "ünïcødé 名前", "", "x", "x", "a'b; DROP TABLE t; --"]
    table = pa.Table.from_arrays([pa.array([i, i, None]) for i in range(len(names))], names)
    profile = profile_arrow(table)
    assert [c.name for c in profile.columns] == names
    assert [c.min for c in profile.columns] == [str(i) for i in range(len(names))]
    assert all(c.null_count == 1 and c.top_values[0].count == 2 for c in profile.columns)


def test_empty_table() -> None:
    schema = _table().schema
    profile = profile_arrow(schema.empty_table())
    assert profile.row_count == 0
    assert not profile.sampled
    for column in profile.columns:
        assert (column.null_count, column.null_percent, column.distinct_estimate) == (0, 0.0, 0)
        assert (column.min, column.max, column.mean, column.top_values) == (None, None, None, [])


def test_empty_reader() -> None:
    schema = pa.schema([("x", pa.int64())])
    profile = profile_arrow(pa.RecordBatchReader.from_batches(schema, []))
    assert profile.row_count == 0
    assert profile.columns[0].null_percent == 0.0


def test_all_null_columns() -> None:
    table = pa.table(
        {"n": pa.nulls(4), "i": pa.nulls(4, pa.int32()), "d": pa.nulls(4, pa.date32())}
    )
    for column in profile_arrow(table).columns:
        assert (column.null_count, column.null_percent, column.distinct_estimate) == (4, 100.0, 0)
        assert (column.min, column.max, column.mean, column.top_values) == (None, None, None, [])


def test_top_values_keep_five_ordered_by_count_then_value() -> None:
    values = [7] * 3 + [30] * 3 + [4] * 3 + [100] * 2 + [2] * 2 + [1] * 2 + [9]
    column = profile_arrow(pa.table({"v": values})).columns[0]
    assert [(t.value, t.count) for t in column.top_values] == [
        ("4", 3),
        ("7", 3),
        ("30", 3),
        ("1", 2),
        ("2", 2),
    ]


def _skewed(rows: int) -> pa.Table:
    return pa.table(
        {
            "kind": ["common" if i % 10 else "rare" for i in range(rows)],
            "n": [None if i % 4 == 0 else i for i in range(rows)],
        }
    )


def test_large_data_is_sampled_for_top_values_only() -> None:
    profile = profile_arrow(_skewed(20_000), sample_rows=2_000)
    assert profile.sampled
    assert profile.sample_rows is not None
    assert profile.sample_rows == 2_000
    kind, n = profile.columns
    assert profile.row_count == 20_000
    assert (n.null_count, n.null_percent, n.min, n.max) == (5_000, 25.0, "1", "19999")
    assert n.mean == pytest.approx(sum(i for i in range(20_000) if i % 4) / 15_000)
    assert [t.value for t in kind.top_values] == ["common", "rare"]
    assert sum(t.count for t in kind.top_values) == profile.sample_rows


def test_reader_of_unknown_length_is_sampled_adaptively() -> None:
    table = _skewed(50_000)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=999))
    profile = profile_arrow(reader, sample_rows=3_000)
    assert profile.sampled
    assert profile.sample_rows is not None
    assert profile.sample_rows == 3_000
    assert profile.row_count == 50_000
    assert profile.columns[1].null_count == 12_500


def test_exact_rows_sizes_the_sample_of_a_reader() -> None:
    table = _skewed(20_000)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=999))
    profile = profile_arrow(reader, exact_rows=20_000, sample_rows=4_000)
    assert profile.sample_rows == 4_000
    overstated = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    profile = profile_arrow(overstated, exact_rows=200_000, sample_rows=4_000)
    assert profile.sampled
    assert profile.sample_rows is not None
    assert 300 <= profile.sample_rows <= 500
    assert profile.row_count == 20_000


def test_no_sampling_when_disabled_or_small() -> None:
    assert not profile_arrow(_skewed(5_000), sample_rows=None).sampled
    assert not profile_arrow(_skewed(5_000), sample_rows=5_000).sampled
    no_ranked_columns = pa.table({"f": [float(i) for i in range(5_000)]})
    assert not profile_arrow(no_ranked_columns, sample_rows=10).sampled


def test_other_types() -> None:
    table = pa.table(
        {
            "half": pa.array([1.5, None], pa.float16()),
            "wide": pa.array([Decimal("12.34"), Decimal("-1")], pa.decimal256(40, 2)),
            "narrow": pa.array([Decimal("12.34"), Decimal("-1")], pa.decimal256(10, 2)),
            "ns": pa.array([1_700_000_000_123_456_789, 5], pa.timestamp("ns")),
            "paris": pa.array([0, 3_600], pa.timestamp("s", tz="Europe/Paris")),
            "clock": pa.array([dt.time(8, 30), dt.time(23, 59, 59)]),
            "dict": pa.array(["b", "a", "b"][:2]).dictionary_encode(),
            "big": pa.array([2**64 - 1, 0], pa.uint64()),
            "nan": pa.array([float("nan"), 1.0]),
        }
    )
    columns = {c.name: c for c in profile_arrow(table).columns}
    assert (columns["half"].min, columns["half"].mean) == ("1.5", 1.5)
    assert (columns["wide"].min, columns["wide"].data_type) == ("-1.0", "decimal256(40, 2)")
    assert (columns["narrow"].min, columns["narrow"].max) == ("-1.00", "12.34")
    assert columns["ns"].min == "1970-01-01T00:00:00.000000005"
    assert columns["ns"].max == "2023-11-14T22:13:20.123456789"
    assert columns["paris"].max == "1970-01-01T01:00:00+00:00"
    assert (columns["clock"].min, columns["clock"].max) == ("08:30:00", "23:59:59")
    assert [t.value for t in columns["dict"].top_values] == ["a", "b"]
    assert columns["big"].max == str(2**64 - 1)
    assert (columns["nan"].max, columns["nan"].mean) == ("nan", None)


def test_dates_beyond_python_range() -> None:
    table = pa.table({"d": pa.array([3_000_000, -800_000], pa.date32())})
    column = profile_arrow(table).columns[0]
    assert (column.min, column.max) == ("-0221-09-04", "10183-09-21")
    assert [t.value for t in column.top_values] == ["-0221-09-04", "10183-09-21"]


def test_long_texts_are_clipped() -> None:
    column = profile_arrow(pa.table({"t": ["x" * 1_000]})).columns[0]
    assert column.min is not None
    assert len(column.min) == 200
    assert column.min.endswith("…")
    assert len(column.top_values[0].value) == 200


def test_source_errors_propagate() -> None:
    schema = pa.schema([("x", pa.int64())])

    def batches() -> Iterator[pa.RecordBatch]:
        yield pa.record_batch([pa.array([1])], schema=schema)
        raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        profile_arrow(pa.RecordBatchReader.from_batches(schema, batches()))


def test_no_columns() -> None:
    profile = profile_arrow(pa.table({"x": [1, 2]}).drop_columns(["x"]))
    assert profile == Profile(row_count=2, columns=[], sampled=False, sample_rows=None)


def test_invalid_arguments() -> None:
    with pytest.raises(TypeError):
        profile_arrow([1, 2, 3])
    with pytest.raises(ValueError, match="sample_rows"):
        profile_arrow(pa.table({"x": [1]}), sample_rows=0)


def test_dict_round_trip_through_json() -> None:
    profile = profile_arrow(_skewed(1_000), sample_rows=100)
    stored = json.dumps(profile_to_dict(profile), allow_nan=False)
    assert profile_from_dict(json.loads(stored)) == profile
    exact = profile_arrow(_table())
    assert profile_from_dict(json.loads(json.dumps(profile_to_dict(exact)))) == exact


def test_unknown_dict_version() -> None:
    data = profile_to_dict(profile_arrow(pa.table({"x": [1]})))
    with pytest.raises(ValueError, match="version"):
        profile_from_dict({**data, "version": 99})
