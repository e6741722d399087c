"""The REST settings model: a clean form schema, secrets write-only, bad input named."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from dataops.connectors.base import Category, Connector, ConnectorContext
from dataops.connectors.rest import RestConnector, RestSettings
from dataops.connectors.rest.settings import OAuth2ClientCredentials, OffsetPagination

SECRET_FIELDS = {
    ("BasicAuth", "password"),
    ("BearerAuth", "token"),
    ("ApiKeyAuth", "value"),
    ("OAuth2ClientCredentials", "client_secret"),
}


def test_auth_and_pagination_are_discriminated_unions_in_the_schema() -> None:
    schema = RestSettings.model_json_schema()
    for name, choices in [
        ("auth", {"none", "basic", "bearer", "api_key", "oauth2_client_credentials"}),
        ("pagination", {"none", "offset", "page_number", "cursor", "link_header", "next_url"}),
    ]:
        prop = schema["properties"][name]
        assert prop["discriminator"]["propertyName"] == "type"
        assert set(prop["discriminator"]["mapping"]) == choices
        assert len(prop["oneOf"]) == len(choices)
    titles = {d.get("title") for d in schema["$defs"].values()}
    assert {"Bearer token", "OAuth2 client credentials", 'Link header (rel="next")'} <= titles


def test_secret_fields_are_write_only_and_nothing_else_is() -> None:
    schema = RestSettings.model_json_schema()
    write_only = {
        (model, field)
        for model, definition in schema["$defs"].items()
        for field, prop in definition.get("properties", {}).items()
        if prop.get("writeOnly")
    }
    assert write_only == SECRET_FIELDS
    settings = RestSettings.model_validate(
        {"base_url": "https://a.test", "auth": {"type": "bearer", "token": "t-123"}}
    )
    assert isinstance(getattr(settings.auth, "token", None), SecretStr)


def test_defaults_are_no_auth_no_pagination() -> None:
    settings = RestSettings(base_url="https://api.test/v1/")
    assert settings.base_url == "https://api.test/v1"
    assert settings.auth.type == "none"
    assert settings.pagination.type == "none"
    assert settings.page_size == 100
    assert settings.retry.max_attempts == 4


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"base_url": "ftp://a.test"}, "http(s) URL"),
        ({"base_url": "https://user:pw@a.test"}, "must not carry credentials"),
        ({"base_url": "https://a.test?x=1"}, "use params"),
        ({"base_url": "https://a.test", "unknown": 1}, "Extra inputs"),
        ({"base_url": "https://a.test", "auth": {"type": "kerberos"}}, "does not match any"),
        ({"base_url": "https://a.test", "pagination": {"type": "cursor"}}, "cursor_path"),
        ({"base_url": "https://a.test", "records_path": "a..b"}, "records_path"),
        ({"base_url": "https://a.test", "headers": {"X-A": "a\r\nX-B: b"}}, "one line"),
        ({"base_url": "https://a.test", "headers": {"X A": "a"}}, "not a valid HTTP header"),
        (
            {
                "base_url": "https://a.test",
                "auth": {"type": "api_key", "name": "a b", "value": "k"},
            },
            "not a valid HTTP header",
        ),
        (
            {
                "base_url": "https://a.test",
                "endpoints": [{"name": "x", "path": "a"}, {"name": "x", "path": "b"}],
            },
            "repeated: x",
        ),
    ],
)
def test_invalid_settings_are_refused_naming_the_problem(
    config: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        RestSettings.model_validate(config)


def test_a_token_url_must_be_http() -> None:
    with pytest.raises(ValidationError, match="token_url"):
        OAuth2ClientCredentials(
            token_url="file:///etc/passwd", client_id="a", client_secret=SecretStr("b")
        )


def test_the_connector_class_meets_the_protocol() -> None:
    connector = RestConnector(
        RestSettings(base_url="https://a.test", pagination=OffsetPagination()), ConnectorContext()
    )
    try:
        assert isinstance(connector, Connector)
        assert (RestConnector.type_name, RestConnector.category) == ("rest", Category.API)
        assert RestConnector.spec_kinds == ("endpoint",)
        assert RestConnector.settings_model is RestSettings
    finally:
        connector.close()
