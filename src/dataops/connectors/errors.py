"""Connector errors. Foreign exceptions are translated at the connector boundary
(``raise SourceAuthError(...) from exc``); each error is terminal or transient so callers know
whether a retry can help.

::

    ConnectorError              502  terminal: the source answered, but not usefully
    ├── SourceAuthError         502  terminal: credentials refused
    ├── SourceNotFoundError     502  terminal: missing table, bucket, file, endpoint
    ├── SourceUnreachableError  502  transient: DNS, refused connection, reset, 5xx
    ├── SourceTimeoutError      504  transient: no answer within the timeout
    ├── SourceRateLimitedError  502  transient: 429 and Retry-After exhausted
    └── SourceDataError         422  terminal: malformed data (bad CSV header, not Excel...)
    InvalidSpecError            422  terminal: invalid request (bad SQL, wrong spec kind)
    EndpointRefusedError        403  terminal: forbidden by policy (SSRF, path escape)
"""

from __future__ import annotations

from dataops.core.errors import DataOpsError, InvalidInputError, PermissionDeniedError


class ConnectorError(DataOpsError):
    code = "source_error"
    http_status = 502


class SourceAuthError(ConnectorError):
    code = "source_auth_failed"


class SourceNotFoundError(ConnectorError):
    code = "source_object_not_found"


class SourceUnreachableError(ConnectorError):
    code = "source_unreachable"
    transient = True


class SourceTimeoutError(ConnectorError):
    code = "source_timeout"
    http_status = 504
    transient = True


class SourceRateLimitedError(ConnectorError):
    code = "source_rate_limited"
    transient = True


class SourceDataError(ConnectorError):
    code = "source_data_invalid"
    http_status = 422


class InvalidSpecError(InvalidInputError):
    code = "invalid_read_spec"


class EndpointRefusedError(PermissionDeniedError):
    code = "endpoint_refused"
