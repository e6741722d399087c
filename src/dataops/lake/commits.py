"""What dataops writes into each Delta commit, and how to read it back.

Every data commit carries the run id and the new incremental watermark in its commit info, and an
app transaction ``(app_id, seq)`` where ``seq`` is the run's number for that dataset. The Delta log
is therefore the source of truth: after a crash between the lake commit and the metadata update,
the run is reconciled from the log, and a run whose ``seq`` is already committed is never written
twice.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from deltalake import CommitProperties, Transaction

RUN_ID = "dataops.run_id"
WATERMARK = "dataops.watermark"
KIND = "dataops.kind"
ROWS = "dataops.rows"


@dataclass(frozen=True)
class RunCommit:
    """Identifies the run a commit belongs to."""

    app_id: str
    seq: int
    run_id: str
    watermark: Any = None  # the new watermark (None: not incremental)
    kind: str = "extract"

    def properties(self, rows: int | None = None) -> CommitProperties:
        """Commit properties; ``rows``: the rows the commit adds, when it writes files itself
        (delta-rs records those of its own writes and merges)."""
        metadata: dict[str, Any] = {RUN_ID: self.run_id, KIND: self.kind}
        if rows is not None:
            metadata[ROWS] = rows
        if self.watermark is not None:
            metadata[WATERMARK] = encode_value(self.watermark)
        return CommitProperties(
            custom_metadata=metadata, app_transactions=[Transaction(self.app_id, self.seq)]
        )


def encode_value(value: Any) -> str:
    """A watermark as typed JSON text (dates, timestamps and decimals survive the round trip).

    >>> encode_value(datetime(2024, 1, 2, 3, 4, 5))
    '{"t": "datetime", "v": "2024-01-02T03:04:05"}'
    >>> decode_value(encode_value(Decimal("12.50")))
    Decimal('12.50')
    """
    shown: object
    if isinstance(value, bool):
        kind, shown = "bool", value
    elif isinstance(value, int):
        kind, shown = "int", value
    elif isinstance(value, float):
        kind, shown = "float", value
    elif isinstance(value, Decimal):
        kind, shown = "decimal", str(value)
    elif isinstance(value, datetime):
        kind, shown = "datetime", value.isoformat()
    elif isinstance(value, date):
        kind, shown = "date", value.isoformat()
    elif isinstance(value, bytes):
        kind, shown = "bytes", base64.b64encode(value).decode()
    else:
        kind, shown = "str", str(value)
    return json.dumps({"t": kind, "v": shown})


def decode_value(text: str | None) -> Any:
    """The value :func:`encode_value` wrote (None for None)."""
    if not text:
        return None
    data = json.loads(text)
    kind, value = data["t"], data["v"]
    if kind == "decimal":
        return Decimal(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


def show_value(value: Any) -> str | None:
    """A watermark for people (ISO dates, plain numbers)."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class SchemaCommit:
    """A schema-only commit of a run, before the commit of its rows (no app transaction: it loads
    no rows). Appends that add columns need it: delta-rs keeps the table's schema on append."""

    run_id: str
    kind: str = "schema"

    def properties(self) -> CommitProperties:
        return CommitProperties(custom_metadata={RUN_ID: self.run_id, KIND: self.kind})
