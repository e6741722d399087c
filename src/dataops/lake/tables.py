"""Delta table IO: atomic writes and merges tagged with a run, history, time travel.

Writes stream batches into Parquet files of the table's folder (:mod:`dataops.lake.parts`), then
commit them once with delta-rs. Until that commit nothing is visible; a failed write removes its
files, a killed writer leaves only unreferenced files (removed by ``vacuum``), never half a load.
Merges go through delta-rs's MERGE.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import pyarrow as pa
import pyarrow.dataset as pads
from deltalake import DeltaTable, Field, Schema, WriterProperties
from deltalake.exceptions import TableNotFoundError
from deltalake.transaction import AddAction, RemoveAction, create_table_with_add_actions

from dataops.lake.commits import (
    KIND,
    ROWS,
    RUN_ID,
    WATERMARK,
    RunCommit,
    SchemaCommit,
    decode_value,
)
from dataops.lake.parts import ROW_GROUP_ROWS, PartWriter
from dataops.lake.storage import Lake, Zone

log = logging.getLogger(__name__)

WriteMode = Literal["append", "overwrite"]


def _writer_properties() -> WriterProperties:
    return WriterProperties(max_row_group_size=ROW_GROUP_ROWS)


@dataclass(frozen=True)
class Version:
    """One commit of a table, as the dataset page shows it."""

    version: int
    timestamp: datetime
    operation: str
    run_id: str | None
    kind: str | None
    watermark: Any
    rows_added: int | None


@dataclass(frozen=True)
class Staged:
    """Files written into a table's folder and not committed: invisible to readers."""

    writer: PartWriter
    adds: list[AddAction]
    schema: pa.Schema

    @property
    def rows(self) -> int:
        return self.writer.rows

    def abort(self) -> None:
        self.writer.abort()


class LakeTable:
    """One Delta table of the lake."""

    def __init__(self, lake: Lake, uri: str) -> None:
        self.lake = lake
        self.uri = uri

    @classmethod
    def of(cls, lake: Lake, zone: Zone, name: str) -> LakeTable:
        """The table ``name`` in ``zone`` (``<root>/<zone>/<name>``)."""
        return cls(lake, lake.table_uri(zone, name))

    def open(self, version: int | None = None) -> DeltaTable | None:
        """The table (at ``version``), or None when nothing was ever committed."""
        try:
            return DeltaTable(self.uri, version=version, storage_options=self.lake.storage_options)
        except TableNotFoundError:
            return None

    def schema(self) -> pa.Schema | None:
        table = self.open()
        return None if table is None else arrow_schema(table)

    def committed_seq(self, app_id: str) -> int | None:
        """The highest run number committed under ``app_id`` (None: none)."""
        table = self.open()
        return None if table is None else table.transaction_version(app_id)

    def write(
        self,
        data: pa.RecordBatchReader,
        commit: RunCommit,
        *,
        mode: WriteMode,
        add_columns: bool = False,
    ) -> int:
        """Write ``data`` in one commit tagged with ``commit``; returns the new version.

        ``overwrite`` replaces the rows and the schema; ``append`` keeps the table's schema, and
        adds ``data``'s new columns first (a commit of its own) when ``add_columns``."""
        return self.commit(self.stage(data), commit, mode=mode, add_columns=add_columns)

    def stage(self, data: pa.RecordBatchReader) -> Staged:
        """``data`` written as files of the table, not committed yet (removed on error)."""
        writer = PartWriter(self.uri, self.lake.storage_options, data.schema)
        return Staged(writer, writer.write_all(data), data.schema)

    def commit(
        self, staged: Staged, commit: RunCommit, *, mode: WriteMode, add_columns: bool = False
    ) -> int:
        """Commit files from :meth:`stage` (see :meth:`write`); on failure they are removed."""
        try:
            self._commit_files(
                staged.adds, staged.schema, commit, mode=mode, add_columns=add_columns
            )
        except BaseException:
            staged.abort()
            raise
        return self._committed(commit)

    def _commit_files(
        self,
        adds: list[AddAction],
        schema: pa.Schema,
        commit: RunCommit,
        *,
        mode: WriteMode,
        add_columns: bool,
    ) -> None:
        properties = commit.properties(rows=sum(_rows(add) for add in adds))
        table = self.open()
        if table is None:
            create_table_with_add_actions(
                self.uri,
                Schema.from_arrow(schema),
                adds,
                mode="error",
                storage_options=self.lake.storage_options,
                commit_properties=properties,
            )
            return
        if mode == "append":
            current = arrow_schema(table)
            new = [f for f in schema if current.get_field_index(f.name) < 0]
            if new and not add_columns:
                raise ValueError(
                    f"columns {', '.join(f.name for f in new)} are not in table {self.uri}"
                )
            if new:
                table.alter.add_columns(
                    [Field.from_arrow(f) for f in new],
                    commit_properties=SchemaCommit(commit.run_id).properties(),
                )
        actions: list[AddAction | RemoveAction] = list(adds)
        table.create_write_transaction(actions, mode, schema, commit_properties=commit.properties())

    def merge(
        self, data: pa.RecordBatchReader, keys: list[str], commit: RunCommit, *, add_columns: bool
    ) -> int:
        """Upsert ``data`` on ``keys`` in one commit (matched rows updated, new rows inserted)."""
        table = self.open()
        if table is None:
            return self.write(data, commit, mode="append")
        predicate = " AND ".join(f"t.{_quote(k)} = s.{_quote(k)}" for k in keys)
        (
            table.merge(
                data,
                predicate,
                source_alias="s",
                target_alias="t",
                merge_schema=add_columns,
                writer_properties=_writer_properties(),
                commit_properties=commit.properties(),
            )
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .execute()
        )
        return self._committed(commit)

    def _committed(self, commit: RunCommit) -> int:
        table = self.open()
        assert table is not None
        version = table.version()
        log.info("lake %s: run %s committed version %d", self.uri, commit.run_id, version)
        return version

    def history(self, limit: int | None = None) -> list[Version]:
        """Commits, newest first."""
        table = self.open()
        if table is None:
            return []
        return [_version(entry) for entry in table.history(limit)]

    def last_watermark(self) -> Any:
        """The watermark of the newest commit that recorded one (None: never)."""
        for version in self.history(200):
            if version.watermark is not None:
                return version.watermark
        return None

    def dataset(self, version: int | None = None) -> pads.Dataset | None:
        """The table (at ``version``) as a pyarrow dataset: scanned lazily, batch by batch."""
        table = self.open(version)
        return None if table is None else table.to_pyarrow_dataset()

    def count(self, version: int | None = None) -> int:
        table = self.open(version)
        return 0 if table is None else int(table.count())


def arrow_schema(table: DeltaTable) -> pa.Schema:
    """The table's schema as pyarrow's (delta-rs hands over an arro3 schema)."""
    return pa.schema(table.schema().to_arrow())


def scan(table: DeltaTable, batch_rows: int = 65_536) -> pa.RecordBatchReader:
    """Every row of ``table`` (as opened: latest or a version) as a stream, one row group decoded
    at a time."""
    # No pre-buffering: pyarrow would otherwise fetch whole column chunks of a file ahead.
    options = pads.ParquetFragmentScanOptions(
        pre_buffer=False, use_buffered_stream=True, buffer_size=1 << 20
    )
    scanner = table.to_pyarrow_dataset().scanner(
        batch_size=batch_rows,
        batch_readahead=1,
        fragment_readahead=1,
        fragment_scan_options=options,
    )
    return scanner.to_reader()


def _version(entry: dict[str, Any]) -> Version:
    metrics = entry.get("operationMetrics") or {}
    rows = entry.get(ROWS, metrics.get("num_added_rows"))
    if "num_target_rows_inserted" in metrics:
        rows = int(metrics.get("num_target_rows_inserted", 0)) + int(
            metrics.get("num_target_rows_updated", 0)
        )
    return Version(
        version=int(entry["version"]),
        timestamp=datetime.fromtimestamp(int(entry["timestamp"]) / 1000, tz=UTC),
        operation=str(entry.get("operation", "")),
        run_id=entry.get(RUN_ID),
        kind=entry.get(KIND),
        watermark=decode_value(entry.get(WATERMARK)),
        rows_added=None if rows is None else int(rows),
    )


def _rows(add: AddAction) -> int:
    return int(json.loads(add.stats)["numRecords"])


def _quote(name: str) -> str:
    """A column name for a delta-rs SQL predicate.

    >>> _quote("id"), _quote('we"ird')
    ('"id"', '"we""ird"')
    """
    return '"' + name.replace('"', '""') + '"'
