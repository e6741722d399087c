"""Errors of the ontology domain (all terminal: retrying would fail the same way)."""

from __future__ import annotations

from dataops.core.errors import InvalidInputError


class ExpressionError(InvalidInputError):
    """A transform expression that does not parse, uses something outside the allow-list, or
    refers to an unknown column. The message names the problem and where it is (``at 12``)."""

    code = "invalid_expression"


class MappingError(InvalidInputError):
    """A mapping that does not fit its object type (missing required property, types that
    cannot convert, unknown column)."""

    code = "invalid_mapping"
