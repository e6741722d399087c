"""Connector settings at rest: the whole config sealed (encrypted), a redacted copy in the clear.

Secrets are the settings model's ``SecretStr`` fields, wherever they are nested. The redacted copy
has ``null`` in their place and their dotted paths are listed, so the API can say "set" without
ever returning a value. On edit, a secret left out (or null/empty) keeps its stored value.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic_core import to_jsonable_python

from dataops.connectors.base import ConnectorSettings
from dataops.connectors.registry import connector_type
from dataops.core.errors import InvalidInputError

Json = dict[str, Any]


def _unwrap(value: Any, path: str, secrets: list[str], reveal: bool) -> Any:
    """A JSON-able copy of ``value``; each ``SecretStr`` revealed or nulled, its path recorded."""
    if isinstance(value, SecretStr):
        secrets.append(path)
        return value.get_secret_value() if reveal else None
    if isinstance(value, BaseModel):
        value = {k: getattr(value, k) for k in type(value).model_fields}
    if isinstance(value, dict):
        return {
            str(k): _unwrap(v, f"{path}.{k}" if path else str(k), secrets, reveal)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_unwrap(v, f"{path}.{i}", secrets, reveal) for i, v in enumerate(value)]
    return to_jsonable_python(value)


def _plain(settings: ConnectorSettings, reveal: bool) -> tuple[Json, list[str]]:
    secrets: list[str] = []
    tree: Json = _unwrap(settings, "", secrets, reveal)
    return tree, secrets


def seal(settings: ConnectorSettings) -> str:
    """The complete settings, secrets included, as JSON (to be stored encrypted)."""
    full, _ = _plain(settings, reveal=True)
    return json.dumps(full, sort_keys=True)


def redact(settings: ConnectorSettings) -> tuple[Json, list[str]]:
    """Settings with every secret set to null, and the dotted paths of the secrets."""
    return _plain(settings, reveal=False)


def validate_config(type_name: str, config: Json) -> ConnectorSettings:
    """Parse ``config`` for ``type_name``; errors name the field (``body.config.port``)."""
    model = connector_type(type_name).settings_model
    try:
        return model.model_validate(config)
    except ValidationError as exc:
        fields = [
            {"field": "body.config." + ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors()
        ]
        raise InvalidInputError(
            f"{fields[0]['field']}: {fields[0]['message']}", details={"fields": fields}
        ) from exc


def _get(tree: Any, path: list[str]) -> Any:
    for part in path:
        if isinstance(tree, dict):
            tree = tree.get(part)
        elif isinstance(tree, list) and part.isdigit() and int(part) < len(tree):
            tree = tree[int(part)]
        else:
            return None
    return tree


def keep_secrets(incoming: Json, stored: Json, secret_paths: list[str]) -> Json:
    """``incoming`` with each stored secret filled in where the caller left it out or empty.

    A secret is only carried over when its parent object still exists and, for a discriminated
    union (e.g. ``auth.type``), still has the same ``type``: switching auth kinds never reuses an
    old credential for a new purpose.
    """
    merged: Json = json.loads(json.dumps(incoming))
    for dotted in secret_paths:
        path = dotted.split(".")
        parent_in, parent_stored = _get(merged, path[:-1]), _get(stored, path[:-1])
        if not isinstance(parent_in, dict) or not isinstance(parent_stored, dict):
            continue
        if parent_in.get("type", None) != parent_stored.get("type", None):
            continue
        if parent_in.get(path[-1]) in (None, ""):
            parent_in[path[-1]] = parent_stored.get(path[-1])
    return merged
