"""The REST API connector: JSON over HTTP(S), paged, into Arrow.

A read is a pipeline of small steps: resolve the spec to a URL (:meth:`RestConnector._target`),
page through it (:mod:`.pagination` over :mod:`.transport`), pick the records out of each body
(:mod:`.body`), filter by watermark (:mod:`.incremental`) and batch them into Arrow
(:mod:`.records`). Only one page and one batch are held at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

from dataops.connectors.base import (
    Category,
    CheckResult,
    ColumnInfo,
    ConnectorContext,
    ConnectorSettings,
    EndpointSpec,
    FileSpec,
    ObjectKind,
    QuerySpec,
    ReadStats,
    SourceObject,
    TableSpec,
    Watermark,
)
from dataops.connectors.errors import (
    ConnectorError,
    InvalidSpecError,
    SourceDataError,
    SourceNotFoundError,
)
from dataops.connectors.rest.auth import make_authenticator
from dataops.connectors.rest.body import extract_records
from dataops.connectors.rest.incremental import newer_than
from dataops.connectors.rest.pagination import Page, PageRequest, make_paginator
from dataops.connectors.rest.ratelimit import Throttle
from dataops.connectors.rest.records import RecordBatcher
from dataops.connectors.rest.redaction import Redactor
from dataops.connectors.rest.settings import EndpointConfig, RestSettings
from dataops.connectors.rest.transport import HttpTransport
from dataops.core.errors import DataOpsError

log = logging.getLogger(__name__)

DISCOVER_SAMPLE_ROWS = 20
"""Records fetched per endpoint by ``discover()`` to list its columns."""


@dataclass(frozen=True)
class _Target:
    url: str
    params: dict[str, str]
    records_path: str | None
    path: str = ""  # below the base URL, as rejects name it


class RestConnector:
    """Reads JSON records from a REST API (see :class:`RestSettings` for every option)."""

    type_name: ClassVar[str] = "rest"
    title: ClassVar[str] = "REST API"
    category: ClassVar[Category] = Category.API
    settings_model: ClassVar[type[ConnectorSettings]] = RestSettings
    spec_kinds: ClassVar[tuple[str, ...]] = ("endpoint",)

    def __init__(self, settings: ConnectorSettings, context: ConnectorContext) -> None:
        if not isinstance(settings, RestSettings):
            raise TypeError(f"RestConnector needs RestSettings, got {type(settings).__name__}")
        self.settings = settings
        self.context = context
        self._redactor = Redactor()
        self._transport = HttpTransport(
            timeout_seconds=context.timeout_seconds,
            verify_tls=settings.verify_tls,
            allow_private=context.allow_private_endpoints,
            retry=settings.retry,
            throttle=Throttle(settings.max_requests_per_second),
            redactor=self._redactor,
            headers=settings.headers,
        )
        self._auth = make_authenticator(settings.auth, self._transport, self._redactor)
        self._closes = 0  # reads started before a close() stop at their next page

    # --- the contract ------------------------------------------------------------------------

    def check(self) -> CheckResult:
        """One GET (no retries) of the first endpoint, else of the base URL, with auth."""
        started = time.perf_counter()
        endpoint = self.settings.endpoints[0] if self.settings.endpoints else None
        try:
            if endpoint is not None:
                target = self._target(_spec_of(endpoint))
                request = make_paginator(self.settings.pagination, 1).first(
                    target.url, target.params
                )
            else:
                target = _Target(self.settings.base_url, dict(self.settings.params), None)
                request = PageRequest(target.url, target.params)
            response = self._transport.request(
                "GET",
                request.url,
                params=request.params,
                origin=self.settings.base_url,
                auth=self._auth,
                attempts=1,
                field="base_url",
            )
            body = response.json()
            found = ""
            if endpoint is not None:
                records = extract_records(body, target.records_path)
                found = f"; endpoint {endpoint.name!r} answered {len(records)} record(s)"
        except DataOpsError as exc:
            message = self._redactor.text(exc.message)
            if endpoint is None and isinstance(exc, SourceNotFoundError):
                message += " (no endpoints configured, so the base URL was checked)"
            return CheckResult(False, message, _ms_since(started))
        return CheckResult(
            True,
            f"HTTP {response.status} JSON from {self._redactor.url(response.url)}{found}",
            _ms_since(started),
        )

    def discover(self) -> list[SourceObject]:
        """The configured endpoints, with columns from a small first page where it reads."""
        objects = []
        for endpoint in self.settings.endpoints:
            columns: list[ColumnInfo] | None = None
            if self.settings.infer_columns_on_discover:
                try:
                    batcher = self._sample(_spec_of(endpoint), DISCOVER_SAMPLE_ROWS)[1]
                    columns = batcher.schema.columns() if batcher.schema else None
                except (SourceNotFoundError, SourceDataError) as exc:
                    log.warning("endpoint %r: columns not inferred: %s", endpoint.name, exc.message)
            objects.append(
                SourceObject(name=endpoint.name, kind=ObjectKind.ENDPOINT, columns=columns)
            )
        return objects

    def preview(self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int) -> pa.Table:
        """At most ``n`` records, asking for no more pages (nor larger pages) than that."""
        batches, batcher = self._sample(spec, n)
        if not batches:
            return pa.table({})
        return pa.Table.from_batches(
            batches, schema=batcher.schema.arrow() if batcher.schema else None
        )

    def read(
        self,
        spec: TableSpec | QuerySpec | FileSpec | EndpointSpec,
        cursor: Watermark | None = None,
        stats: ReadStats | None = None,
    ) -> Iterator[pa.RecordBatch]:
        """Batches of at most ``context.batch_rows`` rows, streamed page by page."""
        target = self._target(spec)  # invalid specs fail here, not at the first next()
        return self._stream(target, cursor, stats if stats is not None else ReadStats())

    def close(self) -> None:
        """Release connections; reads in progress stop at their next page. The connector stays
        usable: a later call opens fresh connections."""
        self._closes += 1
        self._transport.close()

    # --- steps -------------------------------------------------------------------------------

    def _target(self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec) -> _Target:
        if not isinstance(spec, EndpointSpec):
            raise InvalidSpecError(
                f"a REST source reads endpoints (kind 'endpoint'), not {spec.kind!r}",
                field="body.spec.kind",
            )
        path = spec.path.strip()
        bare = path.split("?", 1)[0]
        if "://" in bare or path.startswith("//") or ".." in bare.split("/"):
            raise InvalidSpecError(
                "path must be a path below the base URL (no scheme, host or '..')",
                field="body.spec.path",
            )
        # A spec names an endpoint by its path, or by the name discover() reports for it.
        endpoint = next(
            (
                e
                for e in self.settings.endpoints
                if e.name == path or e.path.strip().lstrip("/") == path.lstrip("/")
            ),
            None,
        )
        if endpoint is not None and endpoint.name == path:
            path = endpoint.path.strip()
        params = {**self.settings.params, **(endpoint.params if endpoint else {}), **spec.params}
        records_path = (
            spec.records_path
            or (endpoint.records_path if endpoint else None)
            or self.settings.records_path
        )
        url = (
            f"{self.settings.base_url}/{path.lstrip('/')}"
            if path.strip("/")
            else self.settings.base_url
        )
        return _Target(url, params, records_path, path)

    def _pages(
        self, target: _Target, page_size: int, stats: ReadStats | None
    ) -> Generator[list[Any], None, None]:
        """The records of each page, in order; the next page is asked for only when wanted."""
        paginator = make_paginator(self.settings.pagination, page_size)
        request: PageRequest | None = paginator.first(target.url, target.params)
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        closes = self._closes
        while request is not None:
            if self._closes != closes:
                raise ConnectorError("the read was stopped: the connector was closed")
            key = (request.url, tuple(sorted(request.params.items())))
            if key in seen:
                raise SourceDataError(
                    "pagination does not advance: the API pointed again at a page already read "
                    f"({self._redactor.url(request.url)})"
                )
            seen.add(key)
            response = self._transport.request(
                "GET",
                request.url,
                params=request.params,
                origin=self.settings.base_url,
                auth=self._auth,
                field=request.origin,
            )
            body = response.json()
            records = extract_records(body, target.records_path)
            if stats is not None:
                stats.bytes += len(response.content)
                stats.extra["pages"] = stats.extra.get("pages", 0) + 1
            yield records
            request = paginator.next(
                Page(request, response.url, response.headers, body, len(records))
            )

    def _sample(
        self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int
    ) -> tuple[list[pa.RecordBatch], RecordBatcher]:
        target = self._target(spec)
        batcher = RecordBatcher(max(n, 1))
        batches: list[pa.RecordBatch] = []
        if n <= 0:
            return batches, batcher
        taken = 0
        pages = self._pages(target, min(self.settings.page_size, n), stats=None)
        try:
            for records in pages:
                wanted = records[: n - taken]
                batches.extend(batcher.add(enumerate(wanted, start=taken)))
                taken += len(wanted)
                if taken >= n:
                    break
        finally:
            pages.close()
        batches.extend(batcher.finish())
        return batches, batcher

    def _stream(
        self, target: _Target, cursor: Watermark | None, stats: ReadStats
    ) -> Iterator[pa.RecordBatch]:
        batcher = RecordBatcher(self.context.batch_rows, stats.rejects, target.path)
        reject = batcher.reject if batcher.rejecting else None
        received = 0
        for records in self._pages(target, self.settings.page_size, stats):
            numbered = newer_than(enumerate(records, start=received), cursor, reject)
            received += len(records)
            for batch in batcher.add(numbered):
                stats.rows += batch.num_rows
                yield batch
        for batch in batcher.finish():
            stats.rows += batch.num_rows
            yield batch
        if batcher.ignored_fields:
            stats.extra["ignored_fields"] = list(batcher.ignored_fields)
        log.info(
            "read %s: %d rows, %d pages, %d bytes",
            self._redactor.url(target.url),
            stats.rows,
            stats.extra.get("pages", 0),
            stats.bytes,
        )


def _spec_of(endpoint: EndpointConfig) -> EndpointSpec:
    return EndpointSpec(
        path=endpoint.path, params=endpoint.params, records_path=endpoint.records_path
    )


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
