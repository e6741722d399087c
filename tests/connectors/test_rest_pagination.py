"""Every pagination style returns every record exactly once, and asks for no page it needs not."""

from __future__ import annotations

import math

import pytest

from dataops.connectors.base import EndpointSpec, ReadStats
from dataops.connectors.errors import ConnectorError, SourceDataError
from dataops.connectors.rest.pagination import Page, make_paginator, next_link
from dataops.connectors.rest.settings import (
    CursorPagination,
    OffsetPagination,
    PageNumberPagination,
)
from tests.fixtures.rest_server import COLUMNS, RECORD_COUNT, STYLES, RestServer, connect


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


@pytest.mark.parametrize("style", STYLES)
def test_each_style_returns_every_record_exactly_once(server: RestServer, style: str) -> None:
    connector = connect(f"{server.url}/open", style, page_size=40)
    stats = ReadStats()
    try:
        batches = list(connector.read(EndpointSpec(path=style), stats=stats))
    finally:
        connector.close()
    ids = [i for batch in batches for i in batch.column("id").to_pylist()]
    assert sorted(ids) == list(range(1, RECORD_COUNT + 1))
    assert len(ids) == len(set(ids))
    assert all(batch.schema.names == COLUMNS for batch in batches)
    assert stats.rows == RECORD_COUNT
    expected_pages = 1 if style == "all" else math.ceil(RECORD_COUNT / 40)
    assert len(server.hits_under(f"/open/{style}")) == expected_pages
    assert stats.extra["pages"] == expected_pages
    assert stats.bytes > 0


def test_offset_without_total_stops_at_a_short_page(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", pagination={"type": "offset"}, page_size=50)
    try:
        rows = sum(b.num_rows for b in connector.read(EndpointSpec(path="offset")))
    finally:
        connector.close()
    assert rows == RECORD_COUNT
    assert len(server.hits_under("/open/offset")) == 6  # 5 full pages and the short one


def test_offset_with_total_survives_a_page_size_the_api_caps(server: RestServer) -> None:
    # The API serves at most 100 per page; asked for 150 it answers 100, which the short-page
    # rule alone would take for the last page. total_path keeps the read going.
    connector = connect(f"{server.url}/open", page_size=150)
    try:
        ids = [
            i
            for b in connector.read(EndpointSpec(path="offset"))
            for i in b.column("id").to_pylist()
        ]
    finally:
        connector.close()
    assert ids == list(range(1, RECORD_COUNT + 1))


def test_preview_fetches_only_the_pages_it_needs(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", "cursor", page_size=50)
    try:
        small = connector.preview(EndpointSpec(path="cursor"), 7)
        assert small.num_rows == 7
        assert [hit.query.get("limit") for hit in server.hits] == ["7"]  # page size pushed down
        server.reset()
        larger = connector.preview(EndpointSpec(path="cursor"), 120)
    finally:
        connector.close()
    assert larger.column("id").to_pylist() == list(range(1, 121))
    assert len(server.hits) == 3  # 50 + 50 + 20 of the third page; no fourth request


def test_a_next_link_pointing_back_at_a_read_page_fails_instead_of_looping(
    server: RestServer,
) -> None:
    connector = connect(server.url, "link")
    try:
        with pytest.raises(SourceDataError, match="does not advance"):
            list(connector.read(EndpointSpec(path="evil/loop")))
    finally:
        connector.close()
    assert len(server.hits_under("/evil/loop")) == 2


def test_same_origin_redirects_are_followed(server: RestServer) -> None:
    connector = connect(server.url, "offset", page_size=100)
    try:
        rows = sum(b.num_rows for b in connector.read(EndpointSpec(path="redirect/offset")))
    finally:
        connector.close()
    assert rows == RECORD_COUNT
    assert len(server.hits_under("/open/offset")) == 3


# --- the paginators alone ---------------------------------------------------------------------


def test_link_header_parsing_finds_rel_next_among_others() -> None:
    header = '<https://x.test/a?page=1>; rel="first", <https://x.test/a?page=3>; rel="next"'
    assert next_link(header) == "https://x.test/a?page=3"
    assert next_link('<https://x.test/a?page=1>; rel="prev"') is None
    assert next_link('<https://x.test/a?p=2>; title="a, b"; rel=next') == "https://x.test/a?p=2"


def test_page_number_stops_at_total_pages() -> None:
    paginator = make_paginator(PageNumberPagination(total_pages_path="pages"), page_size=10)
    first = paginator.first("https://x.test/a", {"q": "1"})
    assert first.params == {"q": "1", "per_page": "10", "page": "1"}
    second = paginator.next(Page(first, first.url, {}, {"pages": 2}, 10))
    assert second is not None and second.params["page"] == "2"
    assert paginator.next(Page(second, second.url, {}, {"pages": 2}, 10)) is None


def test_cursor_stops_without_a_cursor_and_on_an_empty_page() -> None:
    paginator = make_paginator(CursorPagination(cursor_path="next"), page_size=10)
    first = paginator.first("https://x.test/a", {})
    assert paginator.next(Page(first, first.url, {}, {"next": None}, 10)) is None
    assert paginator.next(Page(first, first.url, {}, {}, 10)) is None
    assert paginator.next(Page(first, first.url, {}, {"next": "abc"}, 0)) is None
    follow = paginator.next(Page(first, first.url, {}, {"next": 42}, 10))
    assert follow is not None and follow.params == {"limit": "10", "cursor": "42"}


def test_offset_advances_by_the_records_received() -> None:
    paginator = make_paginator(OffsetPagination(start_offset=5), page_size=10)
    first = paginator.first("https://x.test/a", {})
    follow = paginator.next(Page(first, first.url, {}, [], 10))
    assert follow is not None and follow.params["offset"] == "15"


def test_closing_the_connector_stops_a_read_at_its_next_page(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", page_size=50, batch_rows=50)
    batches = connector.read(EndpointSpec(path="offset"))
    assert next(batches).num_rows == 50
    connector.close()
    with pytest.raises(ConnectorError, match="the connector was closed"):
        next(batches)
    assert len(server.hits_under("/open/offset")) == 1
    assert connector.check().ok  # still usable afterwards
    connector.close()
