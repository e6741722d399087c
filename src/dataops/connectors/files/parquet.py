"""Parquet files, read row group by row group with ``ParquetFile.iter_batches``.

The schema and row count come from the footer, so ``discover()`` is exact and cheap; a preview
reads only the first row group's pages it needs.
"""

from __future__ import annotations

from typing import BinaryIO, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from dataops.connectors.base import ConnectorSettings, FileSpec, SourceObject
from dataops.connectors.errors import SourceDataError
from dataops.connectors.files.connector import LocalFileConnector, LocalFilesSettings
from dataops.connectors.files.inference import (
    cast_columns,
    check_overrides_apply,
    column_type_overrides,
)
from dataops.connectors.files.location import SourceFile
from dataops.connectors.files.stream import Batches, file_object
from dataops.core.errors import DataOpsError

CHUNK_READ_SIZE = 8 << 20
"""Bytes of a column chunk read at a time."""


class ParquetOptions(ConnectorSettings):
    """Parquet needs no options: the files describe themselves."""


class ParquetSettings(LocalFilesSettings, ParquetOptions):
    """A folder of Parquet files."""


class ParquetFormat:
    name: ClassVar[str] = "parquet"
    extensions: ClassVar[tuple[str, ...]] = (".parquet", ".parq", ".pq")

    def objects(self, file: SourceFile, *, with_columns: bool) -> list[SourceObject]:
        if not with_columns:
            return [file_object(file, None)]
        try:
            with file.open_seekable() as handle:
                metadata = _open(file, handle).metadata
                return [file_object(file, metadata.schema.to_arrow_schema(), metadata.num_rows)]
        except DataOpsError:
            return [file_object(file, None)]

    def read(
        self,
        file: SourceFile,
        spec: FileSpec,
        expected: pa.Schema | None,
        batch_rows: int,
        limit: int | None = None,
    ) -> Batches:
        overrides = column_type_overrides(spec)
        with file.open_seekable() as handle:
            parquet = _open(file, handle)
            schema = parquet.schema_arrow
            check_overrides_apply(overrides, schema.names, file.name)
            first = cast_columns(
                pa.RecordBatch.from_pylist([], schema=schema), overrides, file.name
            )
            yield first
            try:
                for batch in parquet.iter_batches(batch_size=batch_rows):
                    yield cast_columns(batch, overrides, file.name)
            except (pa.ArrowInvalid, OSError) as exc:
                raise SourceDataError(f"{file.name} cannot be decoded: {exc}") from exc


def _open(file: SourceFile, handle: BinaryIO) -> pq.ParquetFile:
    try:
        # Column chunks are read in pieces rather than whole: memory stays bounded on files with
        # big row groups (and on S3 each piece is one ranged GET).
        return pq.ParquetFile(handle, buffer_size=CHUNK_READ_SIZE, pre_buffer=False)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceDataError(f"{file.name} is not a Parquet file ({exc})") from exc


class ParquetConnector(LocalFileConnector[ParquetSettings]):
    """Parquet files in a local folder."""

    type_name: ClassVar[str] = "parquet"
    title: ClassVar[str] = "Parquet files"
    settings_model: ClassVar[type[ConnectorSettings]] = ParquetSettings

    def _make_format(self) -> ParquetFormat:
        return ParquetFormat()
