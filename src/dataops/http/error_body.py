"""The error body every API error uses, documented once for every route."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: dict[str, Any]


class ErrorBody(BaseModel):
    error: ErrorDetail


_DESCRIPTIONS = {
    401: "Not signed in, or the session/token is invalid.",
    403: "Signed in, but not allowed (role, pending password change or CSRF).",
    404: "No such resource.",
    405: "Method not allowed.",
    409: "Conflicts with what is stored (e.g. a name already taken).",
    413: "Request body too large.",
    422: "Invalid input; `details.fields` names each field.",
    429: "Too many attempts; see the Retry-After header.",
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS.items()
}
