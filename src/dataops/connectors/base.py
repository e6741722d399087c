"""The connector contract.

A connector type is a class with ``type_name``, a pydantic ``settings_model`` (secret fields typed
``SecretStr``: encrypted at rest, write-only in the API) and a constructor
``(settings, context)``. An instance implements :class:`Connector`:

- ``check()``  → :class:`CheckResult` (never raises for an unreachable/refusing source: ok=False
  with a message naming the cause; raises only for programming errors);
- ``discover()`` → what can be read (tables, files, endpoints) with columns where cheap;
- ``preview(spec, n)`` → an Arrow table of at most ``n`` rows, the limit pushed down to the source;
- ``read(spec, cursor)`` → Arrow record batches of bounded size, streamed (never the whole result in
  memory).

Errors are :mod:`dataops.connectors.errors`. Every network call honours ``context.timeout_seconds``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Protocol, runtime_checkable

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

_ACRONYMS = {
    "api",
    "csv",
    "id",
    "json",
    "jsonl",
    "oauth",
    "s3",
    "sql",
    "ssl",
    "tls",
    "uri",
    "url",
    "http",
}


def field_title(name: str, _info: object = None) -> str:
    """Form label for a settings field, acronyms kept.

    >>> field_title("base_url"), field_title("verify_tls"), field_title("access_key_id")
    ('Base URL', 'Verify TLS', 'Access key ID')
    """
    if name == "sslmode":
        return "SSL mode"
    words = name.split("_")
    shown = [w.upper() if w in _ACRONYMS else w for w in words]
    first = shown[0] if shown[0].isupper() else shown[0].capitalize()
    return " ".join([first, *shown[1:]])


class ConnectorSettings(BaseModel):
    """Base of every connector's settings model (strict, no unknown fields)."""

    model_config = ConfigDict(extra="forbid", field_title_generator=field_title)


class Category(StrEnum):
    DATABASE = "database"
    FILE = "file"
    OBJECT_STORE = "object_store"
    API = "api"


@dataclass(frozen=True)
class ConnectorContext:
    """What the platform tells a connector about its environment."""

    timeout_seconds: float = 10.0
    allowed_roots: tuple[Path, ...] = ()
    allow_private_endpoints: bool = False
    batch_rows: int = 50_000


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str
    latency_ms: float
    server_version: str | None = None


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    data_type: str  # Arrow type, as str(pa.DataType)
    nullable: bool = True
    source_type: str | None = None  # the source's own type name (numeric(12,2), VARCHAR(40)...)


class ObjectKind(StrEnum):
    TABLE = "table"
    VIEW = "view"
    FILE = "file"
    SHEET = "sheet"
    ENDPOINT = "endpoint"


@dataclass(frozen=True)
class SourceObject:
    """Something readable in a source: a table, a file, a sheet, an endpoint."""

    name: str  # qualified and unique within the source: "public.orders", "data/2024/x.csv"
    kind: ObjectKind
    namespace: str | None = None  # schema, folder, bucket prefix
    columns: list[ColumnInfo] | None = None
    row_count: int | None = None  # an estimate is fine
    size_bytes: int | None = None


# --- what to read -------------------------------------------------------------------------------


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TableSpec(_Spec):
    kind: Literal["table"] = "table"
    table: str = Field(min_length=1, max_length=512, description="Table or view, schema-qualified.")
    columns: list[str] | None = None


class QuerySpec(_Spec):
    kind: Literal["query"] = "query"
    sql: str = Field(min_length=1, max_length=100_000, description="One read-only statement.")


class FileSpec(_Spec):
    kind: Literal["file"] = "file"
    path: str = Field(
        min_length=1, max_length=1024, description="Path or glob, relative to the source."
    )
    sheet: str | None = Field(default=None, description="Excel: sheet name (default: first).")
    column_types: dict[str, str] | None = Field(
        default=None,
        description="Per-column type overrides (Arrow type names: int64, decimal128(12,2)...).",
    )
    delimiter: str | None = Field(default=None, max_length=1, description="CSV delimiter.")
    has_header: bool = True


class EndpointSpec(_Spec):
    kind: Literal["endpoint"] = "endpoint"
    path: str = Field(min_length=1, max_length=2048, description="Path below the base URL.")
    params: dict[str, str] = Field(default_factory=dict)
    records_path: str | None = Field(
        default=None, description="Dotted path to the list of records in each JSON response."
    )


ReadSpec = Annotated[TableSpec | QuerySpec | FileSpec | EndpointSpec, Field(discriminator="kind")]


@dataclass(frozen=True)
class Watermark:
    """Incremental reads: only rows whose ``column`` is greater than ``value`` (None: all)."""

    column: str
    value: Any = None


@dataclass(frozen=True)
class Reject:
    """A record a connector could not read (sent to :attr:`ReadStats.rejects`, then quarantined).

    ``raw`` is the record as it was: the CSV line(s), the JSON item, the row's values as JSON.
    ``line`` is the physical line in the file (1-based) where the record starts; ``row`` is the
    record's 1-based number among the data records of its file or response.
    """

    reason: str
    raw: str
    line: int | None = None
    row: int | None = None
    file: str | None = None


RejectSink = Callable[[Reject], None]


@dataclass
class ReadStats:
    """Counters a connector updates while reading (for progress reporting).

    ``extra`` keys in use: ``pages`` (REST pages fetched), ``ignored_fields`` (REST fields first
    seen after the schema was fixed), ``files`` (files read by a glob).

    ``rejects``: when set, a connector sends each record it cannot read (a malformed CSV line, a
    value that does not convert to its column's type, a JSON item that does not fit) to it and
    goes on; when None it raises :class:`~dataops.connectors.errors.SourceDataError` naming the
    record, as before.
    """

    rows: int = 0
    bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    rejects: RejectSink | None = None


@runtime_checkable
class Connector(Protocol):
    type_name: ClassVar[str]
    title: ClassVar[str]
    category: ClassVar[Category]
    settings_model: ClassVar[type[ConnectorSettings]]
    spec_kinds: ClassVar[tuple[str, ...]]  # which ReadSpec kinds it accepts

    def check(self) -> CheckResult: ...

    def discover(self) -> list[SourceObject]: ...

    def preview(
        self, spec: TableSpec | QuerySpec | FileSpec | EndpointSpec, n: int
    ) -> pa.Table: ...

    def read(
        self,
        spec: TableSpec | QuerySpec | FileSpec | EndpointSpec,
        cursor: Watermark | None = None,
        stats: ReadStats | None = None,
    ) -> Iterator[pa.RecordBatch]: ...

    def close(self) -> None: ...
