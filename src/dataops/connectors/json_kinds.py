"""Naming a parsed JSON value's type, for messages that must not quote the value itself."""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type (for messages that must not quote the value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__
