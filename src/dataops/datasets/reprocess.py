"""Re-processing quarantined records after a fix: parse each raw record again into the table's
current columns; those that fit are loaded (one commit, tagged with the run) and marked resolved,
the others stay open with their reason.

A raw record is either a JSON object (REST/JSON items, rows that failed a type conversion) or a
delimited line (CSV), split with the dataset's current delimiter and read in the table's column
order.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dataops.connectors.base import FileSpec
from dataops.connectors.files.inference import NULL_VALUES
from dataops.datasets.extract import ExtractResult
from dataops.datasets.models import Dataset, ExtractionRun
from dataops.datasets.quarantine import mark_resolved, quarantine_table, read_records
from dataops.datasets.runs import app_id
from dataops.datasets.schemas import ExtractMode, QuarantineStatus
from dataops.lake.commits import RunCommit
from dataops.lake.tables import LakeTable
from dataops.lake.types import cast_column
from dataops.sources.models import Source
from dataops.store.engine import transaction

if TYPE_CHECKING:
    from dataops.datasets.execute import RunEnv

log = logging.getLogger(__name__)


def _delimiter(dataset: Dataset, source_config: dict[str, Any]) -> str:
    spec = json.loads(dataset.spec)
    if spec.get("kind") == FileSpec.model_fields["kind"].default and spec.get("delimiter"):
        return str(spec["delimiter"])
    return str(source_config.get("delimiter") or ",")


def parse_raw(raw: str, columns: list[str], delimiter: str) -> dict[str, Any]:
    """A raw record as {column: value}; raises ValueError when it cannot be split into columns.

    >>> parse_raw('{"id": 1, "name": "x"}', ["id", "name"], ",")
    {'id': 1, 'name': 'x'}
    >>> parse_raw('2,"b, c"', ["id", "name"], ",")
    {'id': '2', 'name': 'b, c'}
    """
    text = raw.strip()
    if text.startswith("{"):
        try:
            item = json.loads(text)
        except json.JSONDecodeError:
            item = None
        if isinstance(item, dict):
            return item
    rows = list(csv.reader(io.StringIO(raw), delimiter=delimiter))
    if len(rows) != 1:
        raise ValueError("the raw text is not one delimited record")
    fields = rows[0]
    if len(fields) != len(columns):
        raise ValueError(
            f"expected {len(columns)} fields (the table's columns), found {len(fields)}"
        )
    return dict(zip(columns, fields, strict=True))


def _typed(record: dict[str, Any], schema: pa.Schema) -> dict[str, Any]:
    """The record's values cast to the table's types (ValueError naming the column if not)."""
    out: dict[str, Any] = {}
    for field in schema:
        value = record.get(field.name)
        if isinstance(value, str) and value in NULL_VALUES:
            value = None
        if value is None:
            out[field.name] = None
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        try:
            out[field.name] = cast_column(pa.array([text]), field.type)[0].as_py()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise ValueError(f"column {field.name!r}: {text!r} is not {field.type}") from exc
    return out


def reprocess(
    env: RunEnv,
    dataset: Dataset,
    run: ExtractionRun,
    table: LakeTable,
    progress: Callable[[int, int], None],
) -> ExtractResult:
    """Load the open quarantined records that now fit; returns what was loaded."""
    options = json.loads(run.options or "{}")
    ids = options.get("ids")
    corrections: dict[str, str] = options.get("corrections") or {}
    quarantine = quarantine_table(env.lake, dataset.id)
    records = read_records(quarantine, status=QuarantineStatus.OPEN, ids=ids).to_pylist()
    schema = table.schema()
    if schema is None:
        raise ValueError("the dataset has no lake table yet: run an extraction first")
    with transaction(env.sessions) as session:
        source = session.get(Source, dataset.source_id)
        config = json.loads(source.config) if source is not None else {}
    delimiter = _delimiter(dataset, config)
    good: list[dict[str, Any]] = []
    fixed: list[str] = []
    still_bad = 0
    for record in records:
        try:
            raw = corrections.get(record["id"], record["raw"])
            good.append(_typed(parse_raw(raw, schema.names, delimiter), schema))
            fixed.append(record["id"])
        except ValueError as exc:
            still_bad += 1
            log.info("quarantined record %s still does not fit: %s", record["id"], exc)
    result = ExtractResult(rows=len(good), rejected=still_bad)
    if good:
        data = pa.Table.from_pylist(good, schema=schema)
        reader = pa.RecordBatchReader.from_batches(schema, data.to_batches())
        commit = RunCommit(app_id(dataset.id), run.seq, run.id, kind="reprocess")
        keys = json.loads(dataset.primary_key)
        if dataset.mode == ExtractMode.MERGE and keys:
            result.version = table.merge(reader, keys, commit, add_columns=False)
        else:
            result.version = table.write(reader, commit, mode="append")
        result.committed = True
        result.bytes = data.nbytes
        mark_resolved(quarantine, fixed, run.id)
    progress(len(good), result.bytes)
    return result
