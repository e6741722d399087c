"""The one place the REST connector talks HTTP: guards, throttling, retries, error translation.

Every URL, first request, redirect hop, next-page link or token endpoint, passes
:func:`~dataops.connectors.safety.check_endpoint` and must keep the origin (scheme, host, port) it
was given: credentials are only ever sent where the admin pointed the source. Transient failures
(connection errors, timeouts, 5xx, 429) are retried with full-jitter backoff, honouring
``Retry-After``; what is left is translated into :mod:`dataops.connectors.errors`.

httpx's ``HTTPTransport`` is used directly rather than ``httpx.Client``: the client logs every
request URL, query-string API key included, and we want exactly one redacted log line per call.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from dataops.connectors import safety
from dataops.connectors.errors import (
    ConnectorError,
    EndpointRefusedError,
    InvalidSpecError,
    SourceAuthError,
    SourceDataError,
    SourceNotFoundError,
    SourceRateLimitedError,
    SourceTimeoutError,
    SourceUnreachableError,
)
from dataops.connectors.rest.ratelimit import Throttle
from dataops.connectors.rest.redaction import Redactor
from dataops.connectors.rest.retry import backoff_delay, is_retryable_status, parse_retry_after
from dataops.connectors.rest.settings import RetrySettings

if TYPE_CHECKING:
    from dataops.connectors.rest.auth import Authenticator

log = logging.getLogger(__name__)

_E = TypeVar("_E", bound=BaseException)

MAX_RESPONSE_BYTES = 100 * 1024 * 1024
"""Largest response body read (a page that big means the page size is too large)."""
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": "dataops-rest-connector",
}
_SNIPPET_CHARS = 200
# httpcore's DEBUG trace prints response headers, which may echo a key (a next link carrying
# ?api_key=...). While one of our requests is in flight, those records go through its redactor.
_HTTPCORE_LOGGERS = ("httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy")
_in_flight = threading.local()
_trace_filter_lock = threading.Lock()


class _RedactHttpcoreTrace(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redactor: Redactor | None = getattr(_in_flight, "redactor", None)
        if redactor is not None:
            record.msg, record.args = redactor.text(record.getMessage()), None
        return True


def _install_trace_filter() -> None:
    with _trace_filter_lock:
        for name in _HTTPCORE_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, _RedactHttpcoreTrace) for f in logger.filters):
                logger.addFilter(_RedactHttpcoreTrace())


@dataclass(frozen=True)
class HttpResponse:
    method: str
    url: str
    """The URL that answered (after redirects), without credentials added by the authenticator."""
    status: int
    headers: httpx.Headers
    content: bytes
    elapsed_ms: float

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower() or "none"

    def json(self) -> Any:
        """The parsed body; :class:`SourceDataError` naming the content type if it is not JSON."""
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as exc:
            if "json" in self.content_type:
                raise SourceDataError(f"response is not valid JSON: {exc}") from exc
            raise SourceDataError(
                f"response is not JSON (content-type {self.content_type})"
            ) from exc


def origin_of(url: str) -> tuple[str, str, int]:
    """Scheme, host and port: what must not change between the base URL and any page of it.

    >>> origin_of("HTTPS://Api.Example.com/v1?x=1") == origin_of("https://api.example.com:443/")
    True
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:  # a port that is not a number
        return "", "", 0
    return scheme, (parts.hostname or "").lower(), port


def _origin_text(url: str) -> str:
    scheme, host, port = origin_of(url)
    return f"{scheme}://{host}:{port}"


class HttpTransport:
    """Sends requests for one connector instance (one connection pool, one throttle)."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        verify_tls: bool,
        allow_private: bool,
        retry: RetrySettings,
        throttle: Throttle,
        redactor: Redactor,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._timeout_seconds = timeout_seconds
        self._timeout = httpx.Timeout(timeout_seconds).as_dict()
        self._allow_private = allow_private
        self._retry = retry
        self._throttle = throttle
        self._redactor = redactor
        self._headers = {**_DEFAULT_HEADERS, **(headers or {})}
        self._sleep = sleep
        self._pool = httpx.HTTPTransport(verify=verify_tls, retries=0)
        _install_trace_filter()

    def close(self) -> None:
        self._pool.close()

    # --- public ------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        origin: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: Authenticator | None = None,
        attempts: int | None = None,
        field: str = "url",
        check_status: bool = True,
        follow_redirects: bool = True,
    ) -> HttpResponse:
        """Send with retries; ``url`` (and every redirect) must stay on ``origin``'s origin.

        Raises the translated error once retries are spent; with ``check_status`` a final 4xx
        raises too (401/403 after one credential refresh, when the authenticator has one).
        """
        attempts = attempts or self._retry.max_attempts
        attempt, refreshed = 0, False
        while True:
            attempt += 1
            attempt_started = time.monotonic()
            try:
                response = self._send_following_redirects(
                    method, url, origin, params, data, headers, auth, field, follow_redirects
                )
            except httpx.InvalidURL:
                raise InvalidSpecError(
                    f"{field} is not a valid URL: {self._redactor.url(url)}", field=field
                ) from None
            except httpx.TransportError as exc:
                failure = self._translate(exc, method, url)
                if attempt >= attempts or not failure.transient or _is_tls_failure(exc):
                    raise failure from exc
                self._back_off(attempt, attempts, failure.message, attempt_started)
                continue
            if response.status == 401 and auth is not None and not refreshed and auth.refresh():
                refreshed, attempt = True, attempt - 1  # a renewed token is not a retry
                log.info("credentials renewed after HTTP 401; sending again")
                continue
            if not is_retryable_status(response.status):
                break
            if attempt >= attempts:
                self.raise_for_status(response, attempts=attempt)
            if response.status == 429:
                self._wait_for_rate_limit(response, attempt, attempts)
            else:
                self._back_off(attempt, attempts, f"HTTP {response.status}", attempt_started)
        if check_status:
            self.raise_for_status(response, attempts=attempt)
        return response

    def raise_for_status(self, response: HttpResponse, *, attempts: int = 1) -> None:
        """Translate a non-2xx response; returns quietly for 2xx."""
        status = response.status
        if 200 <= status < 300:
            return
        where = f"{response.method} {self._redactor.url(response.url)}"
        tried = f" after {attempts} attempts" if attempts > 1 else ""
        if status in (401, 403):
            raise SourceAuthError(f"authentication failed (HTTP {status}) for {where}")
        if status in (404, 410):
            raise SourceNotFoundError(f"not found (HTTP {status}): {where}")
        if status == 429:
            raise SourceRateLimitedError(f"rate limited (HTTP 429){tried}: {where}")
        if status >= 500:
            raise SourceUnreachableError(f"server error (HTTP {status}){tried}: {where}")
        if status in _REDIRECTS:
            raise ConnectorError(f"unexpected redirect (HTTP {status}) from {where}")
        snippet = self._redactor.text(response.content[:_SNIPPET_CHARS].decode("utf-8", "replace"))
        raise ConnectorError(f"the API refused the request (HTTP {status}) for {where}: {snippet}")

    # --- one attempt -------------------------------------------------------------------------

    def _send_following_redirects(
        self,
        method: str,
        url: str,
        origin: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        auth: Authenticator | None,
        field: str,
        follow_redirects: bool,
    ) -> HttpResponse:
        current = str(httpx.URL(url).copy_merge_params(params)) if params else url
        for _ in range(MAX_REDIRECTS + 1):
            self.guard(current, origin=origin, field=field)
            response = self._send_once(method, current, data, headers, auth)
            location = response.headers.get("location")
            if not (follow_redirects and method == "GET" and response.status in _REDIRECTS):
                return response
            if not location:
                return response
            current, field = urljoin(current, location), "redirect"
        raise ConnectorError(f"more than {MAX_REDIRECTS} redirects from {self._redactor.url(url)}")

    def guard(self, url: str, *, origin: str, field: str) -> None:
        """Refuse ``url`` unless it keeps ``origin``'s origin and passes the endpoint policy."""
        if origin_of(url) != origin_of(origin):
            raise EndpointRefusedError(
                f"{field} {_origin_text(url)} is not the source's origin ({_origin_text(origin)}); "
                "refused so that credentials are never sent elsewhere"
            )
        try:
            safety.check_endpoint(url, allow_private=self._allow_private, field=field)
        except (InvalidSpecError, EndpointRefusedError, SourceUnreachableError) as exc:
            # The policy's message may quote the URL, query-string secrets included.
            raise type(exc)(self._redactor.text(exc.message), field=exc.field) from None

    def _send_once(
        self,
        method: str,
        url: str,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        auth: Authenticator | None,
    ) -> HttpResponse:
        credentials = auth.credentials() if auth is not None else None
        wire_url = httpx.URL(url)
        for name, value in (credentials.params if credentials else {}).items():
            wire_url = wire_url.copy_set_param(name, value)
        request = httpx.Request(
            method,
            wire_url,
            headers={
                **self._headers,
                **(headers or {}),
                **(credentials.headers if credentials else {}),
            },
            data=dict(data) if data is not None else None,
            extensions={"timeout": self._timeout},
        )
        self._throttle.wait()
        started = time.perf_counter()
        _in_flight.redactor = self._redactor
        try:
            raw = self._pool.handle_request(request)
            try:
                content = self._read_body(raw)
            finally:
                raw.close()
        finally:
            _in_flight.redactor = None
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info(
            "%s %s -> HTTP %d (%d bytes, %.0f ms)",
            method,
            self._redactor.url(url),
            raw.status_code,
            len(content),
            elapsed_ms,
        )
        return HttpResponse(method, url, raw.status_code, raw.headers, content, elapsed_ms)

    def _read_body(self, raw: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in raw.iter_bytes():
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise SourceDataError(
                        f"response larger than {MAX_RESPONSE_BYTES // 2**20} MiB; lower page_size"
                    )
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            encoding = raw.headers.get("content-encoding", "none")
            raise SourceDataError(
                f"response body does not decode (content-encoding {encoding})"
            ) from exc
        return b"".join(chunks)

    # --- waiting -----------------------------------------------------------------------------

    def _back_off(self, attempt: int, attempts: int, reason: str, attempt_started: float) -> None:
        # The wait runs from the start of the failed attempt: a request that timed out has
        # already kept its distance from the server for the whole timeout.
        delay = backoff_delay(
            attempt,
            initial=self._retry.backoff_initial_seconds,
            maximum=self._retry.backoff_max_seconds,
        )
        delay = max(0.0, delay - (time.monotonic() - attempt_started))
        log.warning(
            "%s; retrying in %.2f s (attempt %d of %d)",
            self._redactor.text(reason),
            delay,
            attempt + 1,
            attempts,
        )
        self._sleep(delay)

    def _wait_for_rate_limit(self, response: HttpResponse, attempt: int, attempts: int) -> None:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is None:
            self._back_off(attempt, attempts, "HTTP 429", time.monotonic())
            return
        if retry_after > self._retry.max_retry_after_seconds:
            raise SourceRateLimitedError(
                f"rate limited (HTTP 429): the API asks to wait {retry_after:.0f} s, more than "
                f"max_retry_after_seconds ({self._retry.max_retry_after_seconds:g})"
            )
        log.warning(
            "HTTP 429; waiting %.2f s as Retry-After asks (attempt %d of %d)",
            retry_after,
            attempt + 1,
            attempts,
        )
        self._throttle.pause(retry_after)  # every request of this connector waits

    # --- errors ------------------------------------------------------------------------------

    def _translate(self, exc: httpx.TransportError, method: str, url: str) -> ConnectorError:
        where = f"{method} {self._redactor.url(url)}"
        if isinstance(exc, httpx.TimeoutException):
            phase = type(exc).__name__.removesuffix("Timeout").lower() or "request"
            return SourceTimeoutError(
                f"timed out after {self._timeout_seconds:g}s ({phase}) on {where}"
            )
        cert = _find_cause(exc, ssl.SSLCertVerificationError)
        if cert is not None:
            reason = cert.verify_message or str(cert)
            return SourceUnreachableError(
                f"TLS certificate verification failed: {reason} ({where})"
            )
        tls = _find_cause(exc, ssl.SSLError)
        if tls is not None:
            return SourceUnreachableError(f"TLS handshake failed: {tls.reason or tls} ({where})")
        if _find_cause(exc, ConnectionRefusedError) is not None or "refused" in str(exc).lower():
            return SourceUnreachableError(f"connection refused: {where}")
        detail = self._redactor.text(str(exc)) or type(exc).__name__
        return SourceUnreachableError(f"connection failed ({detail}): {where}")


def _find_cause(exc: BaseException, kind: type[_E]) -> _E | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _is_tls_failure(exc: BaseException) -> bool:
    return _find_cause(exc, ssl.SSLError) is not None
