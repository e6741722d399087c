"""Column profiles of Arrow data (row count, nulls, distinct, min/max, mean, top values).

:func:`profile_arrow` reads its input exactly once, so a one-shot ``RecordBatchReader`` works as
well as a Table or a (Delta) Dataset. The record batches stream through a small Python "tee"
into one DuckDB aggregate query (:mod:`dataops.engine.session`) that computes, for every column
at once, the non-null count, ``approx_count_distinct``, ``min``, ``max`` and ``avg``. On the way
the tee keeps a uniform Bernoulli sample of the columns that get top values, and DuckDB then
ranks each of those columns over the sample. Memory stays bounded: batches are streamed (a
Dataset is read one file ahead), the aggregates are fixed-size, and the sample holds about
``sample_rows`` rows of the top-value columns (at most twice that while reading). Columns are
renamed ``c0, c1, ...`` before they reach DuckDB, so no user-supplied name is ever spliced into
SQL (quotes, spaces, unicode, empty and duplicate names are all fine).

What is exact and what is estimated:

- ``row_count``, ``null_count``, ``null_percent``, ``min``, ``max`` and ``mean``: exact, over
  every row, whether or not the profile is ``sampled``.
- ``distinct_estimate``: a HyperLogLog estimate over every row (never from the sample; a
  distinct count measured on a sample could not be scaled back). Exact on tiny cardinalities;
  a few percent off otherwise (seen: 1,909 for 2,000 distinct dates, 9.90M for 10M ids).
- ``top_values``: exact counts when ``sampled`` is false. When the data has more than
  ``sample_rows`` rows, ``sampled`` is true, ``sample_rows`` is the size of the uniform random
  sample (the requested ``sample_rows``; fewer only if an ``exact_rows`` hint overstated the
  data, or with negligible probability) and the counts are occurrences within that sample, not
  scaled up. The sample is reproducible for the same input batches.

What each column gets, by Arrow type (dictionary, run-end-encoded and extension types count as
their value/storage type):

- ``min``/``max``: integers, floats, decimals, booleans, strings, dates, timestamps and times;
  rendered as text (ISO 8601 for temporal values, timestamps with a zone in UTC, decimals in
  plain notation, booleans as ``true``/``false``). Strings compare by bytes (``Åre`` after
  ``Rome``) and NaN above every float (so it is the ``max`` of a float column holding one).
  Binary, nested (list/struct/map/union), duration/interval and null-typed columns have none;
  all-null columns neither.
- ``mean``: integers, floats and decimals; None when all null or not finite (NaN/infinity).
- ``top_values``: the five most frequent non-null values of integers, strings, booleans and
  dates, ordered by count (descending) then by value (ascending, in the column's own order, so
  ``2`` before ``10``). Floats, decimals, timestamps and times are skipped: they are mostly
  continuous and their "most frequent" values are noise. Long texts are cut to 200 characters.

Limitations: half floats are profiled as float32 and ``decimal256`` as ``decimal128`` (precision
up to 38) or float64 (more), which DuckDB cannot scan; nested types containing those are
refused by DuckDB. Nanosecond timestamps keep their nanoseconds only when tz-naive.

Measured on a 2-core VM: a 10M-row x 13-column Delta table (ten 1M-row files, 407 MB) takes
4.1-5.2 s of CPU (2.6 s of it Parquet decoding), 2.3-3.3 s wall at best (up to 12 s while
other jobs shared the cores) and peaks at 0.65-0.86 GB RSS, mostly pyarrow decoding whole
1M-row row groups.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from dataops.engine.session import session

logger = logging.getLogger(__name__)

MEMORY_LIMIT = "256MB"
"""DuckDB memory cap for a profile: it streams the table, so this bounds the whole profile."""

__all__ = [
    "ColumnProfile",
    "Profile",
    "TopValue",
    "profile_arrow",
    "profile_from_dict",
    "profile_to_dict",
]

TOP_VALUES = 5
MAX_TEXT = 200
_FORMAT_VERSION = 1
_ORDERED = frozenset(
    {"integer", "floating", "decimal", "boolean", "string", "date", "timestamp", "time"}
)
_NUMERIC = frozenset({"integer", "floating", "decimal"})
_RANKED = frozenset({"integer", "boolean", "string", "date"})


@dataclass(frozen=True)
class TopValue:
    value: str
    count: int


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    data_type: str
    null_count: int
    null_percent: float
    distinct_estimate: int | None
    min: str | None
    max: str | None
    top_values: list[TopValue]
    mean: float | None


@dataclass(frozen=True)
class Profile:
    row_count: int
    columns: list[ColumnProfile]
    sampled: bool
    sample_rows: int | None


def _kind(data_type: pa.DataType) -> str:
    """The profiling category of an Arrow type (see the module docstring)."""
    t = data_type
    while pa.types.is_dictionary(t) or pa.types.is_run_end_encoded(t):
        t = t.value_type
    if isinstance(t, pa.ExtensionType):
        return _kind(t.storage_type)
    types = pa.types
    checks = (
        ("boolean", types.is_boolean),
        ("integer", types.is_integer),
        ("floating", types.is_floating),
        ("decimal", types.is_decimal),
        ("string", lambda x: types.is_string(x) or types.is_large_string(x)),
        ("string", types.is_string_view),
        ("date", types.is_date),
        ("timestamp", types.is_timestamp),
        ("time", types.is_time),
    )
    return next((kind for kind, check in checks if check(t)), "other")


def _scan_type(t: pa.DataType) -> pa.DataType:
    """``t``, or a close type DuckDB can scan when it cannot scan ``t`` itself."""
    if pa.types.is_float16(t):
        return pa.float32()
    if pa.types.is_decimal256(t):
        return pa.decimal128(t.precision, t.scale) if t.precision <= 38 else pa.float64()
    return t


class _Tee:
    """Renames/casts batches for DuckDB and keeps a uniform sample of the ranked columns.

    Each row is kept with probability ``rate``: a bit over ``size / expected_rows`` when the row
    count is known in advance, else 1. Whenever more than twice ``size`` rows are held, the rate is
    halved and each held row is kept again with probability 1/2, so every input row ends up in
    with the final rate (a Bernoulli sample). :meth:`sample` then keeps a random ``size`` of
    them if there are more, which is still a uniform sample.
    """

    def __init__(
        self,
        scan_schema: pa.Schema,
        ranked: list[int],
        size: int | None,
        expected_rows: int | None,
    ) -> None:
        self.scan_schema = scan_schema
        self.ranked = ranked
        self.size = size
        self.rate = 1.0
        if size is not None and expected_rows is not None and expected_rows > size:
            # A little above ``size`` so that trimming to exactly ``size`` is (almost) sure.
            self.rate = min(1.0, (size + 4 * math.sqrt(size) + 10) / expected_rows)
        self.kept: list[pa.RecordBatch] = []
        self.kept_rows = 0
        self.sampled = False
        self.error: Exception | None = None
        self._seed = 0

    def batches(self, source: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        try:
            for batch in source:
                arrays = [
                    column if column.type == field.type else column.cast(field.type)
                    for column, field in zip(batch.columns, self.scan_schema, strict=True)
                ]
                renamed = pa.RecordBatch.from_arrays(arrays, schema=self.scan_schema)
                if self.ranked:
                    self._keep(renamed.select(self.ranked))
                yield renamed
        except Exception as exc:  # re-raised by profile_arrow instead of DuckDB's wrapper
            self.error = exc
            raise

    def _random(self, rows: int) -> pa.DoubleArray:
        self._seed += 1  # reproducible for the same batches, independent between calls
        return pc.random(rows, initializer=self._seed)

    def _keep(self, batch: pa.RecordBatch) -> None:
        if self.rate < 1.0:
            batch = batch.filter(pc.less(self._random(batch.num_rows), self.rate))
        self.kept.append(batch)
        self.kept_rows += batch.num_rows
        while self.size is not None and self.kept_rows > 2 * self.size:
            self.rate /= 2
            self.kept = [b.filter(pc.less(self._random(b.num_rows), 0.5)) for b in self.kept]
            self.kept_rows = sum(b.num_rows for b in self.kept)

    def sample(self) -> pa.Table:
        """The sample (all rows when none was dropped); sets :attr:`sampled`."""
        schema = pa.schema([self.scan_schema.field(i) for i in self.ranked])
        table = pa.Table.from_batches(self.kept, schema=schema)
        self.kept = []
        self.sampled = self.rate < 1.0
        if self.size is not None and table.num_rows > self.size:
            order = pc.sort_indices(self._random(table.num_rows))
            table = table.take(order.slice(0, self.size))
            self.sampled = True
        return table


def _source(
    data: pa.Table | pads.Dataset | pa.RecordBatchReader, exact_rows: int | None
) -> tuple[Iterable[pa.RecordBatch], int | None]:
    """The input's record batches and its row count when known before reading."""
    if isinstance(data, pa.Table):
        return data.to_batches(), data.num_rows
    if isinstance(data, pads.Dataset):
        rows = exact_rows if exact_rows is not None else data.count_rows()
        return data.to_batches(fragment_readahead=1), rows
    if isinstance(data, pa.RecordBatchReader):
        return data, exact_rows
    raise TypeError(f"cannot profile a {type(data).__name__}")


def _aggregate_sql(kinds: list[str]) -> str:
    parts = ["count(*) AS n"]
    for i, kind in enumerate(kinds):
        column = f'"c{i}"'
        parts += [f'count({column}) AS "c{i}_n"', f'approx_count_distinct({column}) AS "c{i}_d"']
        if kind in _ORDERED:
            parts += [f'min({column}) AS "c{i}_min"', f'max({column}) AS "c{i}_max"']
        if kind in _NUMERIC:
            parts.append(f'avg({column}) AS "c{i}_avg"')
    return f"SELECT {', '.join(parts)} FROM profiled"  # noqa: S608 generated names only


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _iso_ns(nanoseconds: int, *, utc: bool) -> str:
    seconds, fraction = divmod(nanoseconds, 1_000_000_000)
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    text = moment.isoformat() + (f".{fraction:09d}" if fraction else "")
    return text + ("+00:00" if utc else "")


def _text(value: pa.Scalar) -> str | None:
    """A min/max/top value as display text (see the module docstring)."""
    if not value.is_valid:
        return None
    if pa.types.is_timestamp(value.type) and value.type.unit == "ns":
        return _iso_ns(value.cast(pa.int64()).as_py(), utc=value.type.tz is not None)
    try:
        plain = value.as_py()
    except (ValueError, OverflowError):  # a date/time beyond Python's years 1-9999
        return _clip(str(value.cast(pa.string()).as_py()))
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, dt.date | dt.time):
        return plain.isoformat()
    if isinstance(plain, Decimal):
        return _clip(format(plain, "f"))
    return _clip(str(plain))


def _top_values(con: duckdb.DuckDBPyConnection, index: int) -> list[TopValue]:
    column = f'"c{index}"'  # generated names only, never user input
    sql = (
        f"SELECT {column} AS v, count(*) AS n FROM sample WHERE {column} IS NOT NULL "  # noqa: S608
        f"GROUP BY {column} ORDER BY n DESC, v LIMIT {TOP_VALUES}"
    )
    ranked = con.sql(sql).to_arrow_table()
    counts = ranked.column("n").to_pylist()
    return [
        TopValue(value=_text(value) or "", count=int(count))
        for value, count in zip(ranked.column("v"), counts, strict=True)
    ]


def profile_arrow(
    data: pa.Table | pads.Dataset | pa.RecordBatchReader,
    *,
    exact_rows: int | None = None,
    sample_rows: int | None = 1_000_000,
) -> Profile:
    """Profile every column of ``data`` in one pass (see the module docstring).

    ``exact_rows`` is the row count when the caller already knows it (e.g. from the Delta
    log); it only sizes the sample before reading (a Dataset is otherwise asked for
    ``count_rows()``, a Table knows it, a reader cannot tell). The returned ``row_count`` is
    always the number of rows actually read. ``sample_rows=None`` ranks top values over all
    rows, holding those columns in memory.

    >>> import pyarrow as pa
    >>> p = profile_arrow(pa.table({"city": ["Oslo", "Rome", None, "Oslo"]}))
    >>> p.row_count, p.sampled
    (4, False)
    >>> c = p.columns[0]
    >>> c.data_type, c.null_count, c.null_percent, c.distinct_estimate, c.min, c.max
    ('string', 1, 25.0, 2, 'Oslo', 'Rome')
    >>> [(t.value, t.count) for t in c.top_values]
    [('Oslo', 2), ('Rome', 1)]
    """
    if sample_rows is not None and sample_rows < 1:
        raise ValueError("sample_rows must be at least 1 (or None for no sampling)")
    started = time.perf_counter()
    source, expected_rows = _source(data, exact_rows)
    schema: pa.Schema = data.schema
    if not len(schema):  # DuckDB cannot scan a relation without columns
        rows = sum(batch.num_rows for batch in source)
        return Profile(row_count=rows, columns=[], sampled=False, sample_rows=None)
    kinds = [_kind(field.type) for field in schema]
    scan_schema = pa.schema(
        [pa.field(f"c{i}", _scan_type(field.type)) for i, field in enumerate(schema)]
    )
    ranked = [i for i, kind in enumerate(kinds) if kind in _RANKED]
    tee = _Tee(scan_schema, ranked, sample_rows, expected_rows)
    with session(memory_limit=MEMORY_LIMIT, threads=1) as con:
        con.register(
            "profiled", pa.RecordBatchReader.from_batches(scan_schema, tee.batches(source))
        )
        try:
            stats = con.sql(_aggregate_sql(kinds)).to_arrow_table()
        except duckdb.Error as exc:
            if tee.error is not None:
                raise tee.error from exc
            raise
        tops: dict[int, list[TopValue]] = {}
        sample_size = 0
        if ranked:
            sample = tee.sample()
            sample_size = sample.num_rows
            con.register("sample", sample)
            tops = {i: _top_values(con, i) for i in ranked}

    def stat(name: str) -> pa.Scalar:
        return stats.column(name)[0]

    row_count = int(stat("n").as_py())
    columns = []
    for i, (field, kind) in enumerate(zip(schema, kinds, strict=True)):
        nulls = row_count - int(stat(f"c{i}_n").as_py())
        mean = stat(f"c{i}_avg").as_py() if kind in _NUMERIC else None
        columns.append(
            ColumnProfile(
                name=field.name,
                data_type=str(field.type),
                null_count=nulls,
                null_percent=round(100.0 * nulls / row_count, 2) if row_count else 0.0,
                distinct_estimate=int(stat(f"c{i}_d").as_py()),
                min=_text(stat(f"c{i}_min")) if kind in _ORDERED else None,
                max=_text(stat(f"c{i}_max")) if kind in _ORDERED else None,
                top_values=tops.get(i, []),
                mean=float(mean) if mean is not None and math.isfinite(mean) else None,
            )
        )
    sampled = bool(ranked) and tee.sampled
    took = time.perf_counter() - started
    logger.debug("profiled %d rows in %.2fs (sampled: %s)", row_count, took, sampled)
    return Profile(row_count, columns, sampled, sample_rows=sample_size if sampled else None)


def profile_to_dict(p: Profile) -> dict[str, Any]:
    """A JSON-serialisable form of ``p`` (plain dicts, lists, str, int, float, bool, None)."""
    return {"version": _FORMAT_VERSION, **dataclasses.asdict(p)}


def profile_from_dict(d: Mapping[str, Any]) -> Profile:
    """The inverse of :func:`profile_to_dict`."""
    if d.get("version", _FORMAT_VERSION) != _FORMAT_VERSION:
        raise ValueError(f"unsupported profile format version {d.get('version')!r}")

    def column(c: Mapping[str, Any]) -> ColumnProfile:
        mean = None if c["mean"] is None else float(c["mean"])
        tops = [TopValue(value=str(t["value"]), count=int(t["count"])) for t in c["top_values"]]
        fields = {**c, "null_percent": float(c["null_percent"]), "mean": mean, "top_values": tops}
        return ColumnProfile(**fields)

    fields = {k: v for k, v in d.items() if k != "version"}
    return Profile(**{**fields, "columns": [column(c) for c in d["columns"]]})
