"""SSRF guards on every URL the connector follows, and secrets kept out of messages and logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from dataops.connectors.base import EndpointSpec
from dataops.connectors.errors import EndpointRefusedError, InvalidSpecError
from dataops.connectors.rest.redaction import Redactor
from dataops.core.errors import DataOpsError
from tests.fixtures.rest_server import (
    API_KEY,
    API_KEY_PARAM,
    BASIC_USER,
    OAUTH_CLIENT_ID,
    OAUTH_SCOPE,
    RECORD_COUNT,
    SECRETS,
    RestServer,
    connect,
)


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


# --- SSRF -------------------------------------------------------------------------------------


def test_loopback_is_refused_unless_private_endpoints_are_allowed(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", allow_private=False)
    try:
        result = connector.check()
        with pytest.raises(EndpointRefusedError, match=r"internal address 127\.0\.0\.1"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert "allow private endpoints" in result.message
    assert server.hits == []


@pytest.mark.parametrize("allow_private", [False, True])
def test_the_instance_metadata_address_is_always_refused(allow_private: bool) -> None:
    connector = connect("http://169.254.169.254/latest", allow_private=allow_private)
    try:
        result = connector.check()
        with pytest.raises(EndpointRefusedError, match="instance-metadata"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert "instance-metadata" in result.message


def test_an_oauth_token_url_on_the_metadata_address_is_refused(server: RestServer) -> None:
    auth = {
        "type": "oauth2_client_credentials",
        "token_url": "http://169.254.169.254/token",
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": SECRETS[3],
        "scopes": [OAUTH_SCOPE],
    }
    connector = connect(f"{server.url}/oauth", auth=auth)
    try:
        with pytest.raises(EndpointRefusedError, match="token_url"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert server.hits == []


def test_a_link_header_to_another_host_is_refused(server: RestServer) -> None:
    # localhost is the same machine, and private endpoints are allowed: only the origin differs.
    connector = connect(server.url, "link", endpoints=[])
    try:
        with pytest.raises(EndpointRefusedError, match=r"next page link http://localhost:\d+"):
            list(connector.read(EndpointSpec(path="evil/away")))
    finally:
        connector.close()
    assert server.hits_under("/open/") == []


def test_a_next_url_in_the_body_to_the_metadata_address_is_refused(server: RestServer) -> None:
    connector = connect(server.url, "next", endpoints=[])
    try:
        with pytest.raises(EndpointRefusedError, match=r"169\.254\.169\.254"):
            list(connector.read(EndpointSpec(path="evil/metadata")))
    finally:
        connector.close()


def test_a_redirect_to_another_host_is_refused(server: RestServer) -> None:
    connector = connect(server.url, "all", endpoints=[])
    try:
        with pytest.raises(EndpointRefusedError, match="redirect http://localhost"):
            connector.preview(EndpointSpec(path="evil/redirect-away"), 5)
    finally:
        connector.close()
    assert server.hits_under("/open/") == []


@pytest.mark.parametrize(
    "path", ["http://169.254.169.254/x", "//evil.test/x", "../admin", "a/../../b"]
)
def test_spec_paths_stay_below_the_base_url(server: RestServer, path: str) -> None:
    connector = connect(f"{server.url}/open")
    try:
        with pytest.raises(InvalidSpecError) as caught:
            connector.read(EndpointSpec(path=path))
    finally:
        connector.close()
    assert caught.value.field == "body.spec.path"


# --- secrets ----------------------------------------------------------------------------------


def _assert_no_secret(text: str, *extra: str) -> None:
    for secret in (*SECRETS, *extra):
        assert secret not in text


def _messages(connector_factory: Any, spec: EndpointSpec) -> list[str]:
    connector = connector_factory()
    out = [connector.check().message]
    try:
        list(connector.read(spec))
    except DataOpsError as exc:
        out += [str(exc), repr(exc), exc.message, repr(exc.details)]
    finally:
        connector.close()
    return out


def test_secrets_never_reach_error_messages_or_logs(
    server: RestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    query_key = {"type": "api_key", "name": API_KEY_PARAM, "value": API_KEY, "location": "query"}
    wrong_basic = {"type": "basic", "username": BASIC_USER, "password": "wrong-pw-A1b2C3"}
    wrong_oauth = {
        "type": "oauth2_client_credentials",
        "token_url": f"{server.url}/oauth/token",
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": "wrong-secret-D4e5",  # the token endpoint echoes it in its error
        "scopes": [OAUTH_SCOPE],
    }
    server.rate_limit_every = 1

    # A good read whose next links echo the query-string key back.
    connector = connect(f"{server.url}/query-key", "link", auth=query_key, page_size=100)
    try:
        assert sum(b.num_rows for b in connector.read(EndpointSpec(path="link"))) == RECORD_COUNT
    finally:
        connector.close()
    assert "api_key=***" in caplog.text

    messages = [
        *_messages(
            lambda: connect(f"{server.url}/basic", auth=wrong_basic), EndpointSpec(path="offset")
        ),
        *_messages(
            lambda: connect(f"{server.url}/oauth", auth=wrong_oauth), EndpointSpec(path="offset")
        ),
        # Retried failures log a warning per attempt, with the (key-bearing) URL.
        *_messages(
            lambda: connect(
                f"{server.url}/limited",
                auth=query_key,
                retry={"max_attempts": 2, "max_retry_after_seconds": 0},
            ),
            EndpointSpec(path="offset"),
        ),
        *_messages(
            lambda: connect(
                f"{server.url}/broken", "link", auth=query_key, retry={"max_attempts": 2}
            ),
            EndpointSpec(path="link"),
        ),
    ]
    assert len(messages) >= 8
    for message in messages:
        _assert_no_secret(message, "wrong-pw-A1b2C3", "wrong-secret-D4e5")
    _assert_no_secret(caplog.text, "wrong-pw-A1b2C3", "wrong-secret-D4e5")
    assert "oauth-access-" not in caplog.text


def test_settings_repr_hides_secrets(server: RestServer) -> None:
    connector = connect(
        f"{server.url}/query-key",
        auth={"type": "api_key", "name": API_KEY_PARAM, "value": API_KEY, "location": "query"},
    )
    try:
        _assert_no_secret(repr(connector.settings))
        _assert_no_secret(connector.settings.model_dump_json())
    finally:
        connector.close()


def test_redactor_masks_secret_params_userinfo_and_known_values() -> None:
    redactor = Redactor(secret_params={"X-Sig"})
    redactor.add("tok-123456")
    masked = redactor.text(
        "GET https://user:pw@api.test/a?x-sig=abc&page=2&token=zzz failed; body said tok-123456"
    )
    assert masked == "GET https://***@api.test/a?x-sig=***&page=2&token=*** failed; body said ***"
