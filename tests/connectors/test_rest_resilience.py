"""Retries, rate limits, timeouts and what check() says about each failure."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataops.connectors.base import EndpointSpec
from dataops.connectors.errors import (
    SourceDataError,
    SourceRateLimitedError,
    SourceTimeoutError,
    SourceUnreachableError,
)
from dataops.connectors.rest.ratelimit import Throttle
from dataops.connectors.rest.retry import backoff_ceiling, backoff_delay, parse_retry_after
from tests.fixtures.ports import free_port
from tests.fixtures.rest_server import RECORD_COUNT, RestServer, connect


@pytest.fixture
def server(rest_server: RestServer) -> RestServer:
    rest_server.reset()
    return rest_server


def _ids(connector_read: object) -> list[int]:
    return [i for batch in connector_read for i in batch.column("id").to_pylist()]  # type: ignore[attr-defined]


# --- 429 and Retry-After ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["limited", "limited-date"])
def test_429_waits_as_retry_after_asks_then_continues(server: RestServer, mode: str) -> None:
    server.rate_limit_every = 2  # the 2nd request is refused with Retry-After (1 s or a date)
    connector = connect(f"{server.url}/{mode}", page_size=100)
    try:
        table = connector.preview(EndpointSpec(path="offset"), 150)
    finally:
        connector.close()
    assert table.column("id").to_pylist() == list(range(1, 151))
    hits = server.hits_under(f"/{mode}/")
    assert [hit.status for hit in hits] == [200, 429, 200]
    assert hits[2].at - hits[1].at >= 0.95  # waited, rather than the 10 ms backoff


def test_rate_limit_still_refused_after_every_attempt_raises_rate_limited(
    server: RestServer,
) -> None:
    server.rate_limit_every = 1
    connector = connect(f"{server.url}/limited", retry={"max_attempts": 2})
    try:
        with pytest.raises(SourceRateLimitedError, match=r"HTTP 429\) after 2 attempts"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert len(server.hits_under("/limited/")) == 2


def test_a_retry_after_beyond_the_limit_fails_at_once(server: RestServer) -> None:
    server.rate_limit_every = 1
    connector = connect(f"{server.url}/limited", retry={"max_retry_after_seconds": 0.5})
    started = time.monotonic()
    try:
        with pytest.raises(SourceRateLimitedError, match="asks to wait 1 s"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert time.monotonic() - started < 0.5


def test_client_side_rate_limit_spaces_requests(server: RestServer) -> None:
    connector = connect(f"{server.url}/open", page_size=25, max_requests_per_second=20)
    try:
        assert len(_ids(connector.read(EndpointSpec(path="offset")))) == RECORD_COUNT
    finally:
        connector.close()
    times = [hit.at for hit in server.hits_under("/open/offset")]
    assert len(times) == 11
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert times[-1] - times[0] >= 10 * 0.05 - 0.01
    assert min(gaps) >= 0.03  # 50 ms apart, give or take scheduling


def test_throttle_reserves_evenly_spaced_slots() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        throttle.wait()
    throttle.pause(2.0)
    throttle.wait()
    assert slept == [0.25, 0.25, 2.0]


# --- 5xx and connection failures --------------------------------------------------------------


def test_flaky_5xx_is_retried_then_succeeds(server: RestServer) -> None:
    connector = connect(f"{server.url}/flaky", page_size=100)
    try:
        ids = _ids(connector.read(EndpointSpec(path="offset")))
    finally:
        connector.close()
    assert ids == list(range(1, RECORD_COUNT + 1))
    statuses = [hit.status for hit in server.hits_under("/flaky/")]
    assert statuses == [503, 503, 200] * 3


def test_retries_exhausted_raise_source_unreachable(server: RestServer) -> None:
    connector = connect(
        f"{server.url}/broken", retry={"max_attempts": 3, "backoff_initial_seconds": 0.01}
    )
    try:
        with pytest.raises(
            SourceUnreachableError, match=r"server error \(HTTP 503\) after 3 attempts"
        ):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert len(server.hits_under("/broken/")) == 3


def test_check_does_not_retry(server: RestServer) -> None:
    connector = connect(f"{server.url}/broken")
    try:
        result = connector.check()
    finally:
        connector.close()
    assert not result.ok
    assert result.message.startswith("server error (HTTP 503)")
    assert len(server.hits_under("/broken/")) == 1


def test_closed_port_is_connection_refused() -> None:
    connector = connect(f"http://127.0.0.1:{free_port()}/open")
    try:
        result = connector.check()
        with pytest.raises(SourceUnreachableError, match="connection refused"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert result.message.startswith("connection refused")


def test_silent_server_times_out_after_the_context_timeout(blackhole_port: int) -> None:
    connector = connect(
        f"http://127.0.0.1:{blackhole_port}/open", timeout_seconds=0.5, retry={"max_attempts": 2}
    )
    started = time.monotonic()
    try:
        result = connector.check()
        with pytest.raises(SourceTimeoutError, match=r"timed out after 0.5s \(read\)"):
            connector.preview(EndpointSpec(path="offset"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert result.message.startswith("timed out after 0.5s")
    assert time.monotonic() - started < 3


def test_bad_tls_certificate_is_named(rest_tls_server: RestServer) -> None:
    connector = connect(f"{rest_tls_server.url}/open")
    try:
        result = connector.check()
    finally:
        connector.close()
    assert not result.ok
    assert result.message.startswith("TLS certificate verification failed")
    assert "self-signed" in result.message or "self signed" in result.message

    insecure = connect(f"{rest_tls_server.url}/open", verify_tls=False)
    try:
        assert insecure.check().ok
        assert insecure.preview(EndpointSpec(path="offset"), 3).num_rows == 3
    finally:
        insecure.close()


def test_non_json_response_is_a_data_error(server: RestServer) -> None:
    connector = connect(server.url, endpoints=[{"name": "page", "path": "html"}])
    try:
        result = connector.check()
        with pytest.raises(SourceDataError, match=r"not JSON \(content-type text/html\)"):
            connector.preview(EndpointSpec(path="html"), 5)
    finally:
        connector.close()
    assert not result.ok
    assert result.message == "response is not JSON (content-type text/html)"


# --- backoff, alone ---------------------------------------------------------------------------


@given(
    retry=st.integers(min_value=1, max_value=100),
    initial=st.floats(min_value=0.001, max_value=60),
    maximum=st.floats(min_value=0.001, max_value=600),
    seed=st.integers(),
)
def test_backoff_is_full_jitter_under_a_doubling_capped_ceiling(
    retry: int, initial: float, maximum: float, seed: int
) -> None:
    ceiling = backoff_ceiling(retry, initial=initial, maximum=maximum)
    assert ceiling == min(maximum, initial * 2 ** (retry - 1))
    delay = backoff_delay(retry, initial=initial, maximum=maximum, rng=random.Random(seed))
    assert 0.0 <= delay <= ceiling


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0) == 6.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=40.0) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("later") is None
