"""The connector half shared by every file source: local folders (one type per format) and S3.

A subclass says where the files are (:meth:`FileConnector._make_location`) and how they are
written (:meth:`FileConnector._make_format`); check, discover, preview and read are the same for
all of them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import ClassVar, Generic, TypeVar

import pyarrow as pa
from pydantic import Field

from dataops.connectors.base import (
    Category,
    CheckResult,
    ConnectorContext,
    ConnectorSettings,
    EndpointSpec,
    FileSpec,
    QuerySpec,
    ReadStats,
    SourceObject,
    TableSpec,
    Watermark,
)
from dataops.connectors.errors import InvalidSpecError
from dataops.connectors.files.location import LocalLocation, Location, SourceFile
from dataops.connectors.files.stream import FileFormat, stream_batches
from dataops.core.errors import DataOpsError

log = logging.getLogger(__name__)

SettingsT = TypeVar("SettingsT", bound=ConnectorSettings)

DISCOVER_COLUMNS_LIMIT = 20
"""Columns are read for the first files only: discover stays fast on big folders."""


class FileConnector(Generic[SettingsT]):
    type_name: ClassVar[str]
    title: ClassVar[str]
    category: ClassVar[Category] = Category.FILE
    settings_model: ClassVar[type[ConnectorSettings]]
    spec_kinds: ClassVar[tuple[str, ...]] = ("file",)

    def __init__(self, settings: SettingsT, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._location: Location | None = None
        self._format: FileFormat | None = None

    # --- what a subclass provides ---------------------------------------------------------

    def _make_location(self) -> Location:
        raise NotImplementedError

    def _make_format(self) -> FileFormat:
        raise NotImplementedError

    # --- the connector protocol -------------------------------------------------------------

    @property
    def location(self) -> Location:
        if self._location is None:
            self._location = self._make_location()
        return self._location

    @property
    def file_format(self) -> FileFormat:
        if self._format is None:
            self._format = self._make_format()
        return self._format

    def check(self) -> CheckResult:
        started = time.monotonic()
        try:
            message = self.location.probe()
        except DataOpsError as exc:
            log.info("check of %s source failed: %s", self.type_name, exc.message)
            return CheckResult(False, exc.message, _elapsed_ms(started))
        return CheckResult(True, message, _elapsed_ms(started))

    def discover(self) -> list[SourceObject]:
        fmt = self.file_format
        objects: list[SourceObject] = []
        for index, ref in enumerate(self.location.walk(fmt.extensions)):
            file = SourceFile(self.location, ref)
            objects.extend(fmt.objects(file, with_columns=index < DISCOVER_COLUMNS_LIMIT))
        log.info("discovered %d objects in %s", len(objects), self.location.describe())
        return objects

    def preview(self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int) -> pa.Table:
        file_spec = _file_spec(spec, self.type_name)
        if n < 0:
            raise InvalidSpecError(f"preview size must be at least 0, got {n}", field="n")
        batches = list(
            stream_batches(
                self.location,
                self.file_format,
                file_spec,
                batch_rows=max(1, min(n, self.context.batch_rows)),
                limit=n,
            )
        )
        table = pa.Table.from_batches(batches)
        return table.slice(0, n)

    def read(
        self,
        spec: TableSpec | QuerySpec | FileSpec | EndpointSpec,
        cursor: Watermark | None = None,
        stats: ReadStats | None = None,
    ) -> Iterator[pa.RecordBatch]:
        file_spec = _file_spec(spec, self.type_name)
        return stream_batches(
            self.location,
            self.file_format,
            file_spec,
            batch_rows=self.context.batch_rows,
            stats=stats,
            cursor=cursor,
        )

    def close(self) -> None:
        if self._location is not None:
            self._location.close()
            self._location = None


class LocalFilesSettings(ConnectorSettings):
    """Settings every local file type has."""

    root: str = Field(
        default=".",
        min_length=1,
        max_length=1024,
        description="Folder to read: relative to the first allowed file root, or an absolute "
        "path inside one. Paths and globs of read specs are relative to it and never leave it.",
    )


LocalSettingsT = TypeVar("LocalSettingsT", bound=LocalFilesSettings)


class LocalFileConnector(FileConnector[LocalSettingsT]):
    """Files in a folder under the allowed roots (``settings.root``)."""

    def _make_location(self) -> Location:
        return LocalLocation(self.settings.root, self.context.allowed_roots)


def _file_spec(spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, type_name: str) -> FileSpec:
    if not isinstance(spec, FileSpec):
        raise InvalidSpecError(
            f"a {type_name} source reads files: give a file spec (path or glob), not a {spec.kind} "
            "spec",
            field="spec.kind",
        )
    return spec


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 3)
