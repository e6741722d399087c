"""Paginators: the first request of a read, and the next one from the page just read.

Pure functions of the previous request and response, no I/O, so each style is tested alone. A
read ends when the paginator returns None:

- ``offset`` / ``page_number``: an empty page, a page shorter than the page size, or the total
  (``total_path`` / ``total_pages_path``) reached;
- ``cursor``: an empty page, or no cursor (absent, null or "");
- ``link_header`` / ``next_url``: no next link. Next links may be relative (resolved against the
  page's URL); the transport refuses those leaving the source's origin.

>>> paginator = make_paginator(OffsetPagination(), page_size=2)
>>> first = paginator.first("https://api.example.com/items", {})
>>> first.params
{'offset': '0', 'limit': '2'}
>>> paginator.next(Page(first, first.url, {}, [], record_count=2)).params
{'offset': '2', 'limit': '2'}
>>> paginator.next(Page(first, first.url, {}, [], record_count=1)) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin

from dataops.connectors.errors import SourceDataError
from dataops.connectors.json_kinds import json_type
from dataops.connectors.rest.body import MISSING, find_path
from dataops.connectors.rest.settings import (
    CursorPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    NoPagination,
    OffsetPagination,
    PageNumberPagination,
    PaginationConfig,
)


@dataclass(frozen=True)
class PageRequest:
    url: str
    params: dict[str, str] = field(default_factory=dict)
    """Merged into the URL's own query string."""
    origin: str = "base_url"
    """Where the URL came from, for refusal messages: ``base_url`` or ``next page link``."""


@dataclass(frozen=True)
class Page:
    request: PageRequest
    url: str
    """The URL that answered (after redirects): relative next links resolve against it."""
    headers: Mapping[str, str]
    body: Any
    record_count: int


class Paginator(Protocol):
    def first(self, url: str, params: Mapping[str, str]) -> PageRequest: ...

    def next(self, page: Page) -> PageRequest | None: ...


def make_paginator(config: PaginationConfig, page_size: int) -> Paginator:
    if isinstance(config, OffsetPagination):
        return OffsetPaginator(config, page_size)
    if isinstance(config, PageNumberPagination):
        return PageNumberPaginator(config, page_size)
    if isinstance(config, CursorPagination):
        return CursorPaginator(config, page_size)
    if isinstance(config, LinkHeaderPagination):
        return LinkHeaderPaginator(config.size_param, page_size)
    if isinstance(config, NextUrlPagination):
        return NextUrlPaginator(config, page_size)
    assert isinstance(config, NoPagination)
    return SinglePage()


def _with_size(params: Mapping[str, str], size_param: str | None, page_size: int) -> dict[str, str]:
    return {**params, size_param: str(page_size)} if size_param else dict(params)


class SinglePage:
    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        return PageRequest(url, dict(params))

    def next(self, page: Page) -> PageRequest | None:
        return None


class OffsetPaginator:
    def __init__(self, config: OffsetPagination, page_size: int) -> None:
        self._config = config
        self._page_size = page_size

    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        config = self._config
        return PageRequest(
            url,
            {
                **params,
                config.offset_param: str(config.start_offset),
                config.limit_param: str(self._page_size),
            },
        )

    def next(self, page: Page) -> PageRequest | None:
        config = self._config
        offset = int(page.request.params[config.offset_param]) + page.record_count
        total = _total(page.body, config.total_path)
        if page.record_count == 0 or (total is not None and offset >= total):
            return None
        if total is None and page.record_count < self._page_size:
            return None
        return PageRequest(
            page.request.url, {**page.request.params, config.offset_param: str(offset)}
        )


class PageNumberPaginator:
    def __init__(self, config: PageNumberPagination, page_size: int) -> None:
        self._config = config
        self._page_size = page_size

    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        config = self._config
        params = _with_size(params, config.size_param, self._page_size)
        return PageRequest(url, {**params, config.page_param: str(config.first_page)})

    def next(self, page: Page) -> PageRequest | None:
        config = self._config
        number = int(page.request.params[config.page_param])
        pages = _total(page.body, config.total_pages_path)
        if page.record_count == 0 or (
            pages is not None and number - config.first_page + 1 >= pages
        ):
            return None
        if pages is None and config.size_param and page.record_count < self._page_size:
            return None
        return PageRequest(
            page.request.url, {**page.request.params, config.page_param: str(number + 1)}
        )


class CursorPaginator:
    def __init__(self, config: CursorPagination, page_size: int) -> None:
        self._config = config
        self._page_size = page_size

    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        return PageRequest(url, _with_size(params, self._config.size_param, self._page_size))

    def next(self, page: Page) -> PageRequest | None:
        config = self._config
        cursor = find_path(page.body, config.cursor_path)
        if page.record_count == 0 or cursor is MISSING or cursor is None or cursor == "":
            return None
        if isinstance(cursor, dict | list):
            raise SourceDataError(
                f"cursor_path {config.cursor_path!r} is a JSON {json_type(cursor)}, not a cursor"
            )
        value = cursor if isinstance(cursor, str) else _scalar_text(cursor)
        return PageRequest(page.request.url, {**page.request.params, config.cursor_param: value})


class LinkHeaderPaginator:
    def __init__(self, size_param: str | None, page_size: int) -> None:
        self._size_param = size_param
        self._page_size = page_size

    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        return PageRequest(url, _with_size(params, self._size_param, self._page_size))

    def next(self, page: Page) -> PageRequest | None:
        link = next_link(page.headers.get("link"))
        if link is None:
            return None
        return PageRequest(urljoin(page.url, link), origin="next page link")


class NextUrlPaginator:
    def __init__(self, config: NextUrlPagination, page_size: int) -> None:
        self._config = config
        self._page_size = page_size

    def first(self, url: str, params: Mapping[str, str]) -> PageRequest:
        return PageRequest(url, _with_size(params, self._config.size_param, self._page_size))

    def next(self, page: Page) -> PageRequest | None:
        path = self._config.next_url_path
        link = find_path(page.body, path)
        if link is MISSING or link is None or link == "":
            return None
        if not isinstance(link, str):
            raise SourceDataError(f"next_url_path {path!r} is a JSON {json_type(link)}, not a URL")
        return PageRequest(urljoin(page.url, link), origin="next page link")


# RFC 8288 link values: <uri>; param=value; param="quoted value"
_LINK = re.compile(r"""<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,\s]*))?)*)""")
_LINK_PARAM = re.compile(r""";\s*([^=\s;,]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))""")


def next_link(header: str | None) -> str | None:
    """The target of the ``rel="next"`` link in a ``Link`` header.

    >>> next_link('<https://a.example/i?p=1>; rel="prev", <https://a.example/i?p=3>; rel=next')
    'https://a.example/i?p=3'
    >>> next_link('</items?page=2>; rel="next last"'), next_link(None)
    ('/items?page=2', None)
    """
    if not header:
        return None
    for match in _LINK.finditer(header):
        for name, quoted, bare in _LINK_PARAM.findall(match.group(2)):
            if name.lower() == "rel" and "next" in (quoted or bare).lower().split():
                return match.group(1).strip()
    return None


def _total(body: Any, path: str | None) -> int | None:
    if path is None:
        return None
    value = find_path(body, path)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
