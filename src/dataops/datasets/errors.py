"""Errors of the datasets domain (all terminal: retrying would fail the same way)."""

from __future__ import annotations

from dataops.core.errors import ConflictError, DataOpsError, InvalidInputError


class SchemaDriftError(DataOpsError):
    """The source's schema changed in a way the dataset's policy does not allow."""

    code = "schema_drift"
    http_status = 409


class BadRecordsError(DataOpsError):
    """More bad records than the dataset allows."""

    code = "too_many_bad_records"
    http_status = 422


class RunCancelledError(DataOpsError):
    code = "cancelled"
    http_status = 409


class DuplicateKeyError(InvalidInputError):
    """The extracted rows repeat a primary key value, so a merge cannot decide which wins."""

    code = "duplicate_key"


class RunActiveError(ConflictError):
    code = "run_active"


class ExtractionError(DataOpsError):
    """The data read does not match the dataset's definition (missing key or watermark column)."""

    code = "extraction_error"
    http_status = 422
