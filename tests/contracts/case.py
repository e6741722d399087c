"""What each connector gives the contract suite (one fixture per connector type)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataops.connectors.base import ConnectorContext, EndpointSpec, FileSpec, QuerySpec, TableSpec


@dataclass
class ConnectorCase:
    type_name: str
    settings: dict[str, Any]
    """Good settings (as the API would receive them: plain dicts, secrets as plain strings)."""
    spec: TableSpec | QuerySpec | FileSpec | EndpointSpec
    """A readable object holding ``expected_rows`` rows (at least 250)."""
    expected_rows: int
    expected_columns: list[str]
    object_name: str
    """The name ``discover()`` reports for the object ``spec`` reads."""
    bad_credentials: dict[str, Any] | None = None
    """Settings with wrong credentials; None where the type has no credentials (local files)."""
    unreachable: dict[str, Any] | None = None
    """Settings pointing at nothing: a closed port, a missing folder or bucket."""
    silent: dict[str, Any] | None = None
    """Settings pointing at a server that accepts and never answers (timeouts); None if n/a."""
    context: ConnectorContext = field(default_factory=ConnectorContext)
