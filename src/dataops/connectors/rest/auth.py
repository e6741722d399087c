"""Authenticators: what each auth config adds to a request, and how a refused token is renewed.

An authenticator hands the transport headers and query parameters for each attempt (so a renewed
OAuth token is picked up by the next attempt) and registers every secret with the redactor.
OAuth2 client-credentials tokens are cached until shortly before ``expires_in`` runs out and
fetched again, once, when the API answers 401.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from dataops.connectors.errors import ConnectorError, SourceAuthError, SourceDataError
from dataops.connectors.rest.redaction import Redactor
from dataops.connectors.rest.settings import (
    ApiKeyAuth,
    AuthConfig,
    BasicAuth,
    BearerAuth,
    NoAuth,
    OAuth2ClientCredentials,
)

if TYPE_CHECKING:
    from dataops.connectors.rest.transport import HttpTransport

log = logging.getLogger(__name__)

# Renew a token this long before it expires (at most a tenth of its lifetime).
_EXPIRY_SKEW_SECONDS = 30.0


@dataclass(frozen=True)
class Credentials:
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)


class Authenticator(Protocol):
    def credentials(self) -> Credentials:
        """What to add to the next request."""
        ...

    def refresh(self) -> bool:
        """The API answered 401: renew the credentials; False if there is nothing to renew."""
        ...


class StaticAuthenticator:
    """Credentials that never change: none, basic, bearer, API key."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def credentials(self) -> Credentials:
        return self._credentials

    def refresh(self) -> bool:
        return False


class OAuth2Authenticator:
    """OAuth2 client credentials (RFC 6749 §4.4): a cached bearer token from ``token_url``."""

    def __init__(
        self, config: OAuth2ClientCredentials, transport: HttpTransport, redactor: Redactor
    ) -> None:
        self._config = config
        self._transport = transport
        self._redactor = redactor
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def credentials(self) -> Credentials:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._fetch_token()
            assert self._token is not None
            return Credentials(headers={"Authorization": f"Bearer {self._token}"})

    def refresh(self) -> bool:
        with self._lock:
            self._fetch_token()
        return True

    def _fetch_token(self) -> None:
        config = self._config
        secret = config.client_secret.get_secret_value()
        form = {"grant_type": "client_credentials"}
        if config.scopes:
            form["scope"] = " ".join(config.scopes)
        headers: dict[str, str] = {}
        if config.client_auth == "basic":
            # RFC 6749 §2.3.1: form-urlencode the id and secret before joining them.
            pair = f"{quote(config.client_id, safe='')}:{quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        else:
            form.update(client_id=config.client_id, client_secret=secret)
        response = self._transport.request(
            "POST",
            config.token_url,
            data=form,
            headers=headers,
            origin=config.token_url,
            field="token_url",
            check_status=False,
            follow_redirects=False,
        )
        if response.status in (400, 401, 403):
            reason = _oauth_error_code(response.content)
            raise SourceAuthError(
                f"authentication failed: the OAuth2 token endpoint answered HTTP {response.status}"
                + (f" ({reason})" if reason else "")
            )
        if not 200 <= response.status < 300:
            self._transport.raise_for_status(response)
            raise ConnectorError(f"OAuth2 token endpoint answered HTTP {response.status}")
        try:
            body = response.json()
        except SourceDataError as exc:
            raise SourceAuthError(f"OAuth2 token endpoint: {exc.message}") from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceAuthError("OAuth2 token endpoint answered without an access_token")
        self._redactor.add(token)
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else float("inf")
        self._token = token
        self._expires_at = time.monotonic() + lifetime - min(_EXPIRY_SKEW_SECONDS, lifetime / 10)
        log.info("OAuth2 token obtained (expires in %s s)", expires_in)


def _oauth_error_code(content: bytes) -> str | None:
    """The standard ``error`` code of an OAuth2 error response (never the description: it may
    echo what was sent)."""
    try:
        body = json.loads(content)
    except ValueError:
        return None
    code = body.get("error") if isinstance(body, dict) else None
    return code if isinstance(code, str) and code.replace("_", "").isalnum() else None


def make_authenticator(
    config: AuthConfig, transport: HttpTransport, redactor: Redactor
) -> Authenticator:
    """The authenticator of ``config``; registers its secrets with ``redactor``."""
    if isinstance(config, NoAuth):
        return StaticAuthenticator(Credentials())
    if isinstance(config, BasicAuth):
        password = config.password.get_secret_value()
        redactor.add(password)
        pair = base64.b64encode(f"{config.username}:{password}".encode()).decode("ascii")
        redactor.add(pair)
        return StaticAuthenticator(Credentials(headers={"Authorization": f"Basic {pair}"}))
    if isinstance(config, BearerAuth):
        token = config.token.get_secret_value()
        redactor.add(token)
        return StaticAuthenticator(Credentials(headers={"Authorization": f"Bearer {token}"}))
    if isinstance(config, ApiKeyAuth):
        value = config.value.get_secret_value()
        redactor.add(value)
        if config.location == "query":
            redactor.add_param(config.name)
            return StaticAuthenticator(Credentials(params={config.name: value}))
        return StaticAuthenticator(Credentials(headers={config.name: value}))
    redactor.add(config.client_secret.get_secret_value())
    return OAuth2Authenticator(config, transport, redactor)
