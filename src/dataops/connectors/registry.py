"""Connector types by name. Built-ins register exactly like third-party plugins: an entry point in
the ``dataops.connectors`` group naming the connector class."""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import entry_points
from typing import Any, cast

from dataops.connectors.base import Connector, ConnectorContext, ConnectorSettings
from dataops.core.errors import InvalidInputError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "dataops.connectors"


@cache
def connector_types() -> dict[str, type[Connector]]:
    """Every installed connector type, by ``type_name``."""
    found: dict[str, type[Connector]] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = cast("type[Connector]", entry.load())
        except Exception:
            # A broken plugin must not take every other source type down with it.
            log.exception(
                "connector plugin %r (%s) failed to load; skipped", entry.name, entry.value
            )
            continue
        if cls.type_name != entry.name:
            raise RuntimeError(f"entry point {entry.name!r} loads connector {cls.type_name!r}")
        found[entry.name] = cls
    return dict(sorted(found.items()))


def connector_type(type_name: str) -> type[Connector]:
    types = connector_types()
    if type_name not in types:
        raise InvalidInputError(
            f"unknown source type {type_name!r}; known: {', '.join(types)}", field="body.type"
        )
    return types[type_name]


def parse_settings(type_name: str, config: dict[str, Any]) -> ConnectorSettings:
    """Validate ``config`` against the type's settings model (pydantic errors name the field)."""
    return connector_type(type_name).settings_model.model_validate(config)


def open_connector(
    type_name: str, settings: ConnectorSettings, context: ConnectorContext
) -> Connector:
    cls: Any = connector_type(type_name)
    return cast(Connector, cls(settings, context))
