"""One exception tree for the whole product.

::

    DataOpsError                 (terminal unless said otherwise)
    ├── NotFoundError            404
    ├── ConflictError            409
    ├── InvalidInputError        422  (names the field / row / line)
    ├── AuthenticationError      401
    ├── PermissionDeniedError    403
    ├── RateLimitedError         429  (transient; carries retry_after seconds)
    ├── PayloadTooLargeError     413
    ├── ConfigurationError       500  (a deployment problem, not a request problem)
    └── TransientError           503  (retry may succeed)

Each error carries a machine ``code``; the API maps errors to HTTP in one place
(``dataops.api.errors``) from ``http_status``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DataOpsError(Exception):
    """Base of every error we raise on purpose."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 500
    transient: ClassVar[bool] = False

    def __init__(
        self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        """``field`` names the input at fault (``body.username``) so the UI can point at it."""
        super().__init__(message)
        self.message = message
        self.field = field
        self.details: dict[str, Any] = dict(details or {})
        if field is not None:
            self.details.setdefault("fields", [{"field": field, "message": message}])


class NotFoundError(DataOpsError):
    code = "not_found"
    http_status = 404


class ConflictError(DataOpsError):
    code = "conflict"
    http_status = 409


class InvalidInputError(DataOpsError):
    code = "validation_error"
    http_status = 422


class AuthenticationError(DataOpsError):
    code = "unauthenticated"
    http_status = 401


class PermissionDeniedError(DataOpsError):
    code = "forbidden"
    http_status = 403


class RateLimitedError(DataOpsError):
    code = "rate_limited"
    http_status = 429
    transient = True

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class PayloadTooLargeError(DataOpsError):
    code = "payload_too_large"
    http_status = 413


class ConfigurationError(DataOpsError):
    code = "configuration_error"
    http_status = 500


class TransientError(DataOpsError):
    code = "unavailable"
    http_status = 503
    transient = True
