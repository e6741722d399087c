"""JSON records → Arrow record batches with one schema for the whole read.

The schema is inferred from the first batch (up to ``batch_rows`` records, across pages) and then
kept, so every batch of a read has the same schema:

- columns are the fields in order of first appearance; a field missing from a record is null;
- a field's type is ``bool``, ``int64``, ``float64`` or ``string`` after its values in the first
  batch (integers and floats together make ``float64``; other mixtures, integers beyond int64 and
  all-null fields make ``string``);
- nested objects and arrays become **JSON text** (``string`` columns whose field metadata says
  ``dataops.encoding = json``): APIs nest irregularly, and text keeps the schema stable where
  structs would change with every new nested key. Parse them downstream (``json_extract``...);
- later values are cast when nothing is lost (an integer into a float column, an integral float
  into an integer column, any scalar into a string column as its JSON text); otherwise the read
  fails with :class:`SourceDataError` naming the record index and the field (never the value) -
  or, when the read has a reject sink, that record is sent to it (as JSON, with its 1-based
  number in the read) and left out, as is a record that is not a JSON object;
- fields first seen after the first batch are left out and *reported*: logged once each and
  listed by :attr:`RecordBatcher.ignored_fields` (adding columns mid-read would change the schema).

>>> batcher = RecordBatcher(batch_rows=2)
>>> batches = list(batcher.add(enumerate([{"id": 1, "tags": ["a"]}, {"id": 2.0, "x": None}])))
>>> batches[0].schema.names, batches[0].column("tags").to_pylist(), batches[0].column("id").type
(['id', 'tags', 'x'], ['["a"]', None], DataType(double))
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

from dataops.connectors.base import ColumnInfo, Reject, RejectSink
from dataops.connectors.errors import SourceDataError
from dataops.connectors.json_kinds import json_type

log = logging.getLogger(__name__)

JSON_METADATA = {b"dataops.encoding": b"json"}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class Kind(StrEnum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    JSON = "json"


_ARROW_TYPES = {
    Kind.BOOLEAN: pa.bool_(),
    Kind.INTEGER: pa.int64(),
    Kind.NUMBER: pa.float64(),
    Kind.STRING: pa.string(),
    Kind.JSON: pa.string(),
}


def kind_of(value: Any) -> Kind | None:
    """The kind a single JSON value asks for (None for null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Kind.BOOLEAN
    if isinstance(value, int):
        return Kind.INTEGER if _INT64_MIN <= value <= _INT64_MAX else Kind.STRING
    if isinstance(value, float):
        return Kind.NUMBER
    if isinstance(value, dict | list):
        return Kind.JSON
    return Kind.STRING


def unify(a: Kind | None, b: Kind | None) -> Kind | None:
    """The kind holding both.

    >>> unify(Kind.INTEGER, Kind.NUMBER), unify(Kind.BOOLEAN, Kind.INTEGER), unify(None, Kind.JSON)
    (<Kind.NUMBER: 'number'>, <Kind.STRING: 'string'>, <Kind.JSON: 'json'>)
    """
    if a is None or a == b:
        return b
    if b is None:
        return a
    if {a, b} == {Kind.INTEGER, Kind.NUMBER}:
        return Kind.NUMBER
    if Kind.JSON in (a, b):
        return Kind.JSON
    return Kind.STRING


@dataclass(frozen=True)
class RecordSchema:
    kinds: dict[str, Kind]

    @classmethod
    def infer(cls, records: Iterable[Mapping[str, Any]]) -> RecordSchema:
        kinds: dict[str, Kind | None] = {}
        for record in records:
            for name, value in record.items():
                kinds[name] = unify(kinds.get(name), kind_of(value))
        return cls({name: kind or Kind.STRING for name, kind in kinds.items()})

    def arrow(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(
                    name, _ARROW_TYPES[kind], metadata=JSON_METADATA if kind is Kind.JSON else None
                )
                for name, kind in self.kinds.items()
            ]
        )

    def columns(self) -> list[ColumnInfo]:
        return [
            ColumnInfo(name, str(_ARROW_TYPES[kind]), nullable=True, source_type=str(kind))
            for name, kind in self.kinds.items()
        ]


class RecordBatcher:
    """Collects ``(index, record)`` pairs and emits batches of exactly ``batch_rows`` rows (the
    last one shorter; fewer when records are rejected). Holds at most one batch plus one page.

    With ``rejects``, records that cannot be read go there (``source`` names the endpoint on
    them) instead of failing the read."""

    def __init__(
        self, batch_rows: int, rejects: RejectSink | None = None, source: str | None = None
    ) -> None:
        if batch_rows < 1:
            raise ValueError("batch_rows must be at least 1")
        self.batch_rows = batch_rows
        self.schema: RecordSchema | None = None
        self.ignored_fields: list[str] = []
        self._buffer: list[tuple[int, dict[str, Any]]] = []
        self._rejects = rejects
        self._source = source

    @property
    def rejecting(self) -> bool:
        return self._rejects is not None

    def add(self, records: Iterable[tuple[int, Any]]) -> Iterator[pa.RecordBatch]:
        """Buffer ``records`` (numbered from the start of the read); yield every full batch."""
        for index, record in records:
            if not isinstance(record, dict):
                if self._rejects is None:
                    raise SourceDataError(
                        f"record {index} is a JSON {json_type(record)}, not an object"
                    )
                self.reject(index, record, f"a JSON {json_type(record)}, not an object")
                continue
            self._buffer.append((index, record))
            if len(self._buffer) >= self.batch_rows:
                yield from self._flush()

    def finish(self) -> Iterator[pa.RecordBatch]:
        """Yield what is left."""
        if self._buffer:
            yield from self._flush()

    def reject(self, index: int, record: Any, reason: str) -> None:
        """Send record ``index`` (0-based in the read) to the reject sink."""
        assert self._rejects is not None
        raw = json.dumps(record, ensure_ascii=False)
        self._rejects(Reject(reason, raw, row=index + 1, file=self._source))

    def _flush(self) -> Iterator[pa.RecordBatch]:
        chunk, self._buffer = self._buffer, []
        if self.schema is None:
            self.schema = RecordSchema.infer(record for _, record in chunk)
        reject = self.reject if self._rejects is not None else None
        batch = to_batch(chunk, self.schema, self._report_ignored, reject)
        if batch.num_rows:  # zero only when every record of the chunk was rejected
            yield batch

    def _report_ignored(self, name: str, index: int) -> None:
        if name not in self.ignored_fields:
            self.ignored_fields.append(name)
            log.warning(
                "record %d has field %r, absent from the first batch the schema was inferred "
                "from; it is left out of this read",
                index,
                name,
            )


def to_batch(
    records: Sequence[tuple[int, dict[str, Any]]],
    schema: RecordSchema,
    report_ignored: Callable[[str, int], None] | None = None,
    reject: Callable[[int, Any, str], None] | None = None,
) -> pa.RecordBatch:
    """``records`` as one batch of ``schema``; casts losslessly or raises naming the record (or,
    with ``reject``, leaves the record out and passes it there with the reason)."""
    kinds = schema.kinds
    columns: dict[str, list[Any]] = {name: [] for name in kinds}
    rows = 0
    for index, record in records:
        if reject is None:
            for name, kind in kinds.items():
                columns[name].append(_cast(record.get(name), kind, index, name))
        else:
            try:
                values = [
                    _cast(record.get(name), kind, index, name) for name, kind in kinds.items()
                ]
            except SourceDataError as exc:
                name = exc.details["field"]
                reject(index, record, _misfit(name, record.get(name), kinds[name]))
                continue
            for name, value in zip(kinds, values, strict=True):
                columns[name].append(value)
        rows += 1
        if report_ignored is not None and not kinds.keys() >= record.keys():
            for name in record:
                if name not in kinds:
                    report_ignored(name, index)
    arrow = schema.arrow()
    if not kinds:  # records without fields still count as rows
        return pa.RecordBatch.from_struct_array(pa.array([{}] * rows, type=pa.struct([])))
    arrays = [pa.array(columns[f.name], type=f.type) for f in arrow]
    return pa.RecordBatch.from_arrays(arrays, schema=arrow)


def _cast(value: Any, kind: Kind, index: int, name: str) -> Any:
    if value is None:
        return None
    if kind is Kind.JSON:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if kind is Kind.STRING:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        if kind is Kind.BOOLEAN:
            return value
    elif kind is Kind.NUMBER and isinstance(value, int | float):
        return float(value)
    elif kind is Kind.INTEGER:
        if isinstance(value, int) and _INT64_MIN <= value <= _INT64_MAX:
            return value
        if isinstance(value, float) and value.is_integer() and _INT64_MIN <= value <= _INT64_MAX:
            return int(value)
    raise SourceDataError(
        f"record {index}: {_misfit(name, value, kind)}",
        details={"record": index, "field": name},
    )


def _misfit(name: str, value: Any, kind: Kind) -> str:
    return (
        f"field {name!r} is a JSON {json_type(value)} that does not fit the column's type "
        f"{_ARROW_TYPES[kind]} (inferred from the first batch)"
    )
