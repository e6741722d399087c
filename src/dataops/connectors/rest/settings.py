"""Settings of a REST source: where it is, how to sign in, how it pages, how hard to push it.

Auth and pagination are discriminated unions on ``type`` so the JSON schema renders as one form
per choice. Secrets are ``SecretStr`` (encrypted at rest, write-only in the API); custom
``headers`` and ``params`` are *not* secret: put credentials in ``auth``.

>>> settings = RestSettings.model_validate(
...     {"base_url": "https://api.example.com/v1", "auth": {"type": "bearer", "token": "t0k"}}
... )
>>> settings.auth
BearerAuth(type='bearer', token=SecretStr('**********'))
>>> settings.pagination.type
'none'
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from dataops.connectors.base import ConnectorSettings, field_title

DottedPath = Annotated[
    str,
    Field(
        min_length=1,
        max_length=512,
        pattern=r"^[^.\s]+(\.[^.\s]+)*$",
        description="Dotted path into the JSON body (`data.items`; a number indexes a list).",
    ),
]
ParamName = Annotated[str, Field(min_length=1, max_length=128)]
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}")
_HEADER_VALUE = re.compile(r"[\x20-\x7e\t]{0,4096}")


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", field_title_generator=field_title)


# --- auth -------------------------------------------------------------------------------------


class NoAuth(_Form):
    model_config = ConfigDict(title="No authentication")

    type: Literal["none"] = "none"


class BasicAuth(_Form):
    model_config = ConfigDict(title="HTTP Basic")

    type: Literal["basic"] = "basic"
    username: str = Field(min_length=1, max_length=256)
    password: SecretStr


class BearerAuth(_Form):
    model_config = ConfigDict(title="Bearer token")

    type: Literal["bearer"] = "bearer"
    token: SecretStr = Field(description="Sent as `Authorization: Bearer <token>`.")


class ApiKeyAuth(_Form):
    model_config = ConfigDict(title="API key")

    type: Literal["api_key"] = "api_key"
    name: ParamName = Field(description="Header or query parameter name (`X-API-Key`, `api_key`).")
    value: SecretStr
    location: Literal["header", "query"] = Field(
        default="header",
        description="Where the key goes. In the query string it is masked in every logged URL.",
    )

    @model_validator(mode="after")
    def _header_name_is_valid(self) -> ApiKeyAuth:
        if self.location == "header" and not _HEADER_NAME.fullmatch(self.name):
            raise ValueError(f"{self.name!r} is not a valid HTTP header name")
        return self


class OAuth2ClientCredentials(_Form):
    model_config = ConfigDict(title="OAuth2 client credentials")

    type: Literal["oauth2_client_credentials"] = "oauth2_client_credentials"
    token_url: str = Field(min_length=1, max_length=2048)
    client_id: str = Field(min_length=1, max_length=512)
    client_secret: SecretStr
    scopes: list[str] = Field(default_factory=list)
    client_auth: Literal["basic", "body"] = Field(
        default="basic",
        description="How the client authenticates to the token endpoint: HTTP Basic (RFC 6749 "
        "default) or client_id/client_secret in the form body.",
    )

    @field_validator("token_url")
    @classmethod
    def _token_url_is_http(cls, value: str) -> str:
        return _validate_http_url(value, "token_url")


AuthConfig = Annotated[
    NoAuth | BasicAuth | BearerAuth | ApiKeyAuth | OAuth2ClientCredentials,
    Field(discriminator="type"),
]


# --- pagination -------------------------------------------------------------------------------


class NoPagination(_Form):
    model_config = ConfigDict(title="One response holds every record")

    type: Literal["none"] = "none"


class OffsetPagination(_Form):
    model_config = ConfigDict(title="Offset and limit")

    type: Literal["offset"] = "offset"
    offset_param: ParamName = "offset"
    limit_param: ParamName = "limit"
    start_offset: int = Field(default=0, ge=0)
    total_path: DottedPath | None = Field(
        default=None,
        description="Path to the total record count. Without it, a page shorter than the page "
        "size is the last one (so the page size must not exceed the API's maximum).",
    )


class PageNumberPagination(_Form):
    model_config = ConfigDict(title="Page number")

    type: Literal["page_number"] = "page_number"
    page_param: ParamName = "page"
    size_param: ParamName | None = Field(
        default="per_page", description="Page-size parameter; none: the API decides."
    )
    first_page: int = Field(default=1, ge=0)
    total_pages_path: DottedPath | None = Field(
        default=None, description="Path to the number of pages, when the API reports it."
    )


class CursorPagination(_Form):
    model_config = ConfigDict(title="Cursor")

    type: Literal["cursor"] = "cursor"
    cursor_path: DottedPath = Field(description="Path to the next cursor in each response.")
    cursor_param: ParamName = Field(default="cursor", description="Request parameter for it.")
    size_param: ParamName | None = "limit"


class LinkHeaderPagination(_Form):
    model_config = ConfigDict(title='Link header (rel="next")')

    type: Literal["link_header"] = "link_header"
    size_param: ParamName | None = Field(
        default=None, description="Page-size parameter of the first request (next links carry it)."
    )


class NextUrlPagination(_Form):
    model_config = ConfigDict(title="Next URL in the body")

    type: Literal["next_url"] = "next_url"
    next_url_path: DottedPath = Field(description="Path to the next page's URL in each response.")
    size_param: ParamName | None = None


PaginationConfig = Annotated[
    NoPagination
    | OffsetPagination
    | PageNumberPagination
    | CursorPagination
    | LinkHeaderPagination
    | NextUrlPagination,
    Field(discriminator="type"),
]


# --- the rest ---------------------------------------------------------------------------------


class EndpointConfig(_Form):
    """An endpoint ``discover()`` lists; reads of the same ``path`` use its params and path."""

    name: str = Field(min_length=1, max_length=256, description="Name shown in the catalog.")
    path: str = Field(min_length=1, max_length=2048, description="Path below the base URL.")
    params: dict[str, str] = Field(default_factory=dict)
    records_path: DottedPath | None = None


class RetrySettings(_Form):
    """Retries of transient failures: connection errors, timeouts, 5xx and 429."""

    max_attempts: int = Field(
        default=4, ge=1, le=10, description="Attempts per request, first included."
    )
    backoff_initial_seconds: float = Field(
        default=0.5,
        gt=0,
        le=60,
        description="Backoff ceiling of the first retry (doubles each time).",
    )
    backoff_max_seconds: float = Field(default=30.0, gt=0, le=600, description="Largest backoff.")
    max_retry_after_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="Longest Retry-After honoured; a longer one fails the read as rate limited.",
    )


class RestSettings(ConnectorSettings):
    """A JSON-over-HTTP API. Nested objects and arrays in records become JSON text columns."""

    base_url: str = Field(
        min_length=1, max_length=2048, description="`https://api.example.com/v1`."
    )
    auth: AuthConfig = Field(default_factory=NoAuth)
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Extra request headers (not secret; auth wins on clashes).",
    )
    params: dict[str, str] = Field(
        default_factory=dict, description="Query parameters sent with every request."
    )
    pagination: PaginationConfig = Field(default_factory=NoPagination)
    page_size: int = Field(default=100, ge=1, le=10_000, description="Records asked for per page.")
    records_path: DottedPath | None = Field(
        default=None,
        description="Path to the list of records in each response (none: the body is the list). "
        "An endpoint's or read spec's records_path overrides it.",
    )
    endpoints: list[EndpointConfig] = Field(default_factory=list)
    max_requests_per_second: float | None = Field(
        default=None, gt=0, le=1000, description="Client-side rate limit (none: unlimited)."
    )
    retry: RetrySettings = Field(default_factory=RetrySettings)
    verify_tls: bool = Field(
        default=True, description="Verify the server's TLS certificate. Turn off only for testing."
    )
    infer_columns_on_discover: bool = Field(
        default=True, description="Fetch a small first page of each endpoint to list its columns."
    )

    @field_validator("headers")
    @classmethod
    def _headers_are_plain(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not _HEADER_NAME.fullmatch(name):
                raise ValueError(f"header name {name!r} is not a valid HTTP header name")
            if not _HEADER_VALUE.fullmatch(text):
                raise ValueError(f"header {name!r}: value must be printable ASCII on one line")
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        value = _validate_http_url(value, "base_url")
        if urlsplit(value).query:
            raise ValueError("base_url must not have a query string; use params")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _endpoint_names_are_unique(self) -> RestSettings:
        names = [endpoint.name for endpoint in self.endpoints]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"endpoint names must be unique; repeated: {', '.join(duplicates)}")
        return self


def _validate_http_url(value: str, name: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{name} must not carry credentials; use auth")
    if parts.fragment:
        raise ValueError(f"{name} must not have a #fragment")
    return value.strip()
