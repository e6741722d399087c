"""Each auth style reads the API; a wrong credential fails with SourceAuthError; OAuth2 tokens are
cached, renewed on expiry and renewed once on 401."""

from __future__ import annotations

import time
from typing import Any

import pytest

from dataops.connectors.base import EndpointSpec
from dataops.connectors.errors import SourceAuthError
from tests.fixtures.rest_server import (
    API_KEY,
    API_KEY_HEADER,
    API_KEY_PARAM,
    BASIC_PASSWORD,
    BASIC_USER,
    BEARER_TOKEN,
    OAUTH_CLIENT_ID,
    OAUTH_CLIENT_SECRET,
    OAUTH_SCOPE,
    RECORD_COUNT,
    RestServer,
    connect,
)


def oauth(server: RestServer, secret: str = OAUTH_CLIENT_SECRET, **extra: Any) -> dict[str, Any]:
    return {
        "type": "oauth2_client_credentials",
        "token_url": f"{server.url}/oauth/token",
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": secret,
        "scopes": [OAUTH_SCOPE],
        **extra,
    }


def auth_configs(server: RestServer) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """mode → (good auth, the same with a wrong credential)."""
    return {
        "basic": (
            {"type": "basic", "username": BASIC_USER, "password": BASIC_PASSWORD},
            {"type": "basic", "username": BASIC_USER, "password": "not-the-password"},
        ),
        "bearer": (
            {"type": "bearer", "token": BEARER_TOKEN},
            {"type": "bearer", "token": "not-the-token"},
        ),
        "header-key": (
            {"type": "api_key", "name": API_KEY_HEADER, "value": API_KEY},
            {"type": "api_key", "name": API_KEY_HEADER, "value": "not-the-key"},
        ),
        "query-key": (
            {"type": "api_key", "name": API_KEY_PARAM, "value": API_KEY, "location": "query"},
            {"type": "api_key", "name": API_KEY_PARAM, "value": "not-the-key", "location": "query"},
        ),
        "oauth": (oauth(server), oauth(server, "not-the-secret")),
        "oauth-body": (
            oauth(server, client_auth="body"),
            oauth(server, "not-the-secret", client_auth="body"),
        ),
    }


MODES = ["basic", "bearer", "header-key", "query-key", "oauth", "oauth-body"]


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


def _mode_path(mode: str) -> str:
    return "oauth" if mode.startswith("oauth") else mode


@pytest.mark.parametrize("mode", MODES)
def test_each_auth_style_reads_every_record(server: RestServer, mode: str) -> None:
    good, _ = auth_configs(server)[mode]
    connector = connect(f"{server.url}/{_mode_path(mode)}", "link", auth=good, page_size=100)
    try:
        assert connector.check().ok
        rows = sum(b.num_rows for b in connector.read(EndpointSpec(path="link")))
    finally:
        connector.close()
    assert rows == RECORD_COUNT


@pytest.mark.parametrize("mode", MODES)
def test_a_wrong_credential_fails_with_source_auth_error(server: RestServer, mode: str) -> None:
    _, wrong = auth_configs(server)[mode]
    connector = connect(f"{server.url}/{_mode_path(mode)}", "offset", auth=wrong)
    try:
        result = connector.check()
        with pytest.raises(SourceAuthError, match="authentication failed"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert "authentication failed" in result.message
    if not mode.startswith("oauth"):
        assert "(HTTP 401)" in result.message


def test_missing_credentials_fail_with_source_auth_error(server: RestServer) -> None:
    connector = connect(f"{server.url}/bearer")
    try:
        with pytest.raises(SourceAuthError, match=r"authentication failed \(HTTP 401\)"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()


def test_oauth_token_is_fetched_once_and_reused(server: RestServer) -> None:
    connector = connect(f"{server.url}/oauth", auth=oauth(server), page_size=50)
    try:
        connector.check()
        rows = sum(b.num_rows for b in connector.read(EndpointSpec(path="offset")))
    finally:
        connector.close()
    assert rows == RECORD_COUNT
    assert server.token_requests == 1


def test_oauth_token_is_renewed_once_when_the_api_answers_401(server: RestServer) -> None:
    connector = connect(f"{server.url}/oauth", auth=oauth(server), page_size=100, batch_rows=100)
    try:
        batches = connector.read(EndpointSpec(path="offset"))
        rows = next(batches).num_rows
        server.revoke_tokens()  # e.g. rotated server-side before it expired
        rows += sum(b.num_rows for b in batches)
    finally:
        connector.close()
    assert rows == RECORD_COUNT
    assert server.token_requests == 2
    assert [hit.status for hit in server.hits_under("/oauth/offset")] == [200, 401, 200, 200]


def test_oauth_gives_up_after_one_renewal(server: RestServer) -> None:
    server.reject_oauth_tokens = True
    connector = connect(f"{server.url}/oauth", auth=oauth(server))
    try:
        with pytest.raises(SourceAuthError, match=r"HTTP 401"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert server.token_requests == 2
    assert len(server.hits_under("/oauth/offset")) == 2


def test_oauth_token_is_renewed_when_it_expires(server: RestServer) -> None:
    server.token_lifetime = 1
    connector = connect(f"{server.url}/oauth", auth=oauth(server))
    try:
        assert connector.check().ok
        assert connector.check().ok
        assert server.token_requests == 1
        time.sleep(1.0)
        assert connector.check().ok
    finally:
        connector.close()
    assert server.token_requests == 2


def test_oauth_scope_refusal_names_the_oauth_error(server: RestServer) -> None:
    connector = connect(f"{server.url}/oauth", auth=oauth(server, scopes=["other"]))
    try:
        result = connector.check()
    finally:
        connector.close()
    assert not result.ok
    assert result.message == (
        "authentication failed: the OAuth2 token endpoint answered HTTP 400 (invalid_scope)"
    )
