"""Reading the files a spec names as one stream of bounded record batches.

Steps, each a small function: resolve the spec to files (:meth:`Location.list_files`), read each
with its format (the first file fixes the schema, later ones are conformed to it), filter by the
watermark, cut into batches of at most ``batch_rows`` rows, stop at the preview limit.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator
from contextlib import closing
from typing import Any, ClassVar, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from dataops.connectors.base import FileSpec, ObjectKind, ReadStats, SourceObject, Watermark
from dataops.connectors.errors import InvalidSpecError
from dataops.connectors.files.inference import columns_of, conform_batch
from dataops.connectors.files.location import Location, SourceFile
from dataops.core.errors import DataOpsError

log = logging.getLogger(__name__)


Batches = Generator[pa.RecordBatch, None, None]


class FileFormat(Protocol):
    """How one file format is read. ``read`` is a generator whose first batch (possibly empty)
    fixes the file's schema; ``expected`` is the schema of the first file of a glob, which later
    files are read as; ``limit`` says only that many rows will be taken (read as little as
    possible: a preview)."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def read(
        self,
        file: SourceFile,
        spec: FileSpec,
        expected: pa.Schema | None,
        batch_rows: int,
        limit: int | None = None,
    ) -> Batches: ...

    def objects(self, file: SourceFile, *, with_columns: bool) -> list[SourceObject]:
        """What ``discover()`` lists for this file (a file, or an Excel workbook's sheets)."""
        ...


def stream_batches(
    location: Location,
    fmt: FileFormat,
    spec: FileSpec,
    *,
    batch_rows: int,
    stats: ReadStats | None = None,
    limit: int | None = None,
    cursor: Watermark | None = None,
) -> Iterator[pa.RecordBatch]:
    """Every row of the files ``spec.path`` names, in batches of at most ``batch_rows`` rows.

    A zero-row batch carrying the schema is yielded when nothing else is (so callers always learn
    the columns)."""
    refs = location.list_files(spec.path)
    log.info("reading %d file(s) for %r from %s", len(refs), spec.path, location.describe())
    schema: pa.Schema | None = None
    emitted = 0
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    read_rows = batch_rows if limit is None else max(1, min(batch_rows, limit))
    for ref in refs:
        file = SourceFile(location, ref, stats)
        with closing(fmt.read(file, spec, schema, read_rows, limit)) as batches:
            for raw in batches:
                if schema is None:
                    schema = raw.schema
                    _check_cursor(cursor, schema)
                else:
                    raw = conform_batch(raw, schema, file.name)
                batch = _after_watermark(raw, cursor)
                if limit is not None:
                    batch = batch.slice(0, limit - emitted - pending_rows)
                if batch.num_rows == 0:
                    continue
                pending.append(batch)
                pending_rows += batch.num_rows
                if pending_rows >= batch_rows:
                    full, rest = _split(pending, batch_rows)
                    for out in full:
                        emitted += out.num_rows
                        _count(stats, out)
                        yield out
                    pending = [rest] if rest is not None else []
                    pending_rows = rest.num_rows if rest is not None else 0
                if limit is not None and emitted + pending_rows >= limit:
                    break
        if stats is not None:
            stats.extra["files"] = stats.extra.get("files", 0) + 1
        if limit is not None and emitted + pending_rows >= limit:
            break
    if pending:
        full, rest = _split(pending, batch_rows)
        for out in [*full, *([rest] if rest is not None else [])]:
            emitted += out.num_rows
            _count(stats, out)
            yield out
    if emitted == 0 and schema is not None:
        yield _empty_batch(schema)


def _split(
    batches: list[pa.RecordBatch], size: int
) -> tuple[list[pa.RecordBatch], pa.RecordBatch | None]:
    """Batches of exactly ``size`` rows and the remainder (None if there is none)."""
    if len(batches) == 1:
        table = pa.Table.from_batches(batches)  # one chunk: slicing below copies nothing
    else:
        table = pa.Table.from_batches(batches).combine_chunks()
    full_rows = table.num_rows - table.num_rows % size
    full = table.slice(0, full_rows).to_batches(max_chunksize=size) if full_rows else []
    if full_rows == table.num_rows:
        return full, None
    return full, table.slice(full_rows).to_batches()[0]  # one chunk, so one batch


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def _count(stats: ReadStats | None, batch: pa.RecordBatch) -> None:
    if stats is not None:
        stats.rows += batch.num_rows


def _check_cursor(cursor: Watermark | None, schema: pa.Schema) -> None:
    if cursor is not None and cursor.column not in schema.names:
        raise InvalidSpecError(
            f"watermark column {cursor.column!r} is not a column of the file "
            f"(columns: {', '.join(schema.names)})",
            field="cursor.column",
        )


def _after_watermark(batch: pa.RecordBatch, cursor: Watermark | None) -> pa.RecordBatch:
    if cursor is None or cursor.value is None:
        return batch
    column = batch.column(cursor.column)
    try:
        value: Any = pa.scalar(cursor.value)
        if value.type != column.type:
            value = value.cast(column.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise InvalidSpecError(
            f"watermark {cursor.value!r} cannot be compared with column {cursor.column!r} "
            f"({column.type}): {exc}",
            field="cursor.value",
        ) from exc
    keep = pc.fill_null(pc.greater(column, value), False)
    return batch.filter(keep)


def first_schema(fmt: FileFormat, file: SourceFile) -> pa.Schema | None:
    """The schema ``fmt`` infers for ``file`` from its first block; None if it cannot be read."""
    try:
        with closing(fmt.read(file, FileSpec(path=file.ref.key), None, 100, 100)) as batches:
            return next(batches).schema
    except (DataOpsError, StopIteration) as exc:
        log.info("no columns for %s: %s", file.name, exc)
        return None


def file_object(
    file: SourceFile, schema: pa.Schema | None, row_count: int | None = None
) -> SourceObject:
    """The ``discover()`` entry of one file."""
    folder = file.ref.key.rpartition("/")[0]
    return SourceObject(
        name=file.ref.key,
        kind=ObjectKind.FILE,
        namespace=folder or None,
        columns=columns_of(schema) if schema is not None else None,
        row_count=row_count,
        size_bytes=file.ref.size,
    )
