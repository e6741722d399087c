"""Every error becomes one JSON body, ``{"error": {"code", "message", "details"}}``, here only."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dataops.api.static import is_spa_path, spa_index, ui_available
from dataops.core.errors import DataOpsError, RateLimitedError
from dataops.core.logs import redact

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return JSONResponse(body, status_code=status, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_message(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        ctx = error.get("ctx") or {}
        return f"request body is not valid JSON: {ctx.get('error', 'parse error')}"
    return str(error.get("msg", "invalid value"))


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": _field_name(e.get("loc", ())), "message": _validation_message(e)}
        for e in exc.errors()
    ]
    first = fields[0] if fields else {"field": "request", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}"
    return error_response(422, "validation_error", message, {"fields": fields})


async def _on_dataops_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DataOpsError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
    if exc.http_status >= 500:
        log.error(
            "%s on %s %s: %s", exc.code, request.method, request.url.path, redact(exc.message)
        )
    return error_response(exc.http_status, exc.code, exc.message, exc.details, headers)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and (page := _spa_page(request)) is not None:
        return page
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    if exc.status_code == 404:
        message = f"no such endpoint: {request.method} {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "an unexpected error occurred; see the server log")


def _spa_page(request: Request) -> Response | None:
    """The UI's index page for a browser navigation to a client-side route, if the UI is built."""
    if is_spa_path(request) and ui_available():
        return spa_index()
    return None


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(DataOpsError, _on_dataops_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
