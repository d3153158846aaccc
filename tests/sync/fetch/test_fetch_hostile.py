"""`sync.fetch` against servers that misbehave: every download must end, within its bounds.

The raw-socket servers are in `tests/sync/servers.py`; deadlines here run on the real clock with
tiny limits, since what is tested is that a blocked read really is interrupted.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from sync.errors import FetchError
from sync.fetch.fetcher import Fetcher
from tests.sync import servers
from tests.sync.servers import FakeClock, RawServer, closed_port, make_spec

CSV = b"store_id,date,metric,value\nS001,2024-05-01,sales,1234.5\n"
MB = 1 << 20


@pytest.fixture(autouse=True)
def no_proxy_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours *_PROXY variables; these tests talk to 127.0.0.1 directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher() as fetcher:
        yield fetcher


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_time_fetcher(clock: FakeClock) -> Iterator[Fetcher]:
    with Fetcher(clock=clock, sleep=clock.sleep) as fetcher:
        yield fetcher


def fetch_fails_within(
    fetcher: Fetcher, url: str, seconds: float, **options: object
) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(url, **options), None)  # type: ignore[arg-type]
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.2f} s: {caught.value.reason}"
    return caught.value, elapsed


# --- Slow servers: the overall deadline ----------------------------------------------------------


def test_a_body_dripping_a_byte_every_200_ms_stops_at_the_deadline(fetcher: Fetcher) -> None:
    with RawServer(servers.drip_body(0.2)) as server:
        error, elapsed = fetch_fails_within(
            fetcher, server.url(), 2.5, deadline_s=1.5, read_timeout_s=1.0
        )
    assert elapsed >= 1.4
    assert error.reason.startswith("download took longer than 1.5 s; stopped after ")
    assert error.http_status == 200


def test_headers_dripping_a_byte_every_200_ms_stop_at_the_deadline(fetcher: Fetcher) -> None:
    # No chunk loop runs yet: only the watchdog shutting the socket down can end this.
    with RawServer(servers.drip_headers(0.2)) as server:
        error, _ = fetch_fails_within(
            fetcher, server.url(), 2.5, deadline_s=1.5, read_timeout_s=1.0
        )
    assert error.reason.startswith("download took longer than 1.5 s")


def test_a_tls_handshake_dripping_a_byte_every_200_ms_stops_at_the_deadline(
    fetcher: Fetcher,
) -> None:
    with RawServer(servers.drip_tls_handshake(0.2)) as server:
        error, _ = fetch_fails_within(
            fetcher, server.url(scheme="https"), 2.5, deadline_s=1.5, read_timeout_s=1.0
        )
    assert error.reason.startswith("download took longer than 1.5 s")
    assert "TLS" not in error.reason  # the deadline, not a certificate, was the problem


def test_a_silent_server_times_out_per_read_and_is_retried(fetcher: Fetcher) -> None:
    def silent(server: RawServer, conn: object, index: int) -> None:
        server.read_request(conn)  # type: ignore[arg-type]
        server.pause(5)

    with RawServer(silent) as server:
        error, _ = fetch_fails_within(
            fetcher, server.url(), 2.5, read_timeout_s=0.3, retries=1, backoff_s=0.1
        )
        assert server.connections == 2
    assert error.reason == (
        f"127.0.0.1:{server.port} did not answer within 0.3 s (gave up after 2 attempts)"
    )


# --- Big bodies: the byte cap --------------------------------------------------------------------


def test_an_endless_body_stops_at_the_cap(fetcher: Fetcher) -> None:
    with RawServer(servers.endless_body()) as server:
        error, _ = fetch_fails_within(fetcher, server.url(), 5, max_bytes=MB)
    assert error.reason.startswith("the feed is larger than the 1 MB limit")
    assert error.http_status == 200


def test_a_declared_huge_body_is_refused_before_reading(fetcher: Fetcher) -> None:
    with RawServer(servers.endless_body(content_length=10 << 30)) as server:
        error, _ = fetch_fails_within(fetcher, server.url(), 2, max_bytes=MB)
    assert error.reason.startswith("the feed is larger than the 1 MB limit (10 GB)")


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """1 GB of zeros in about 1 MB: 1024 gzip members of 1 MB each (a valid gzip stream)."""
    return gzip.compress(bytes(MB), compresslevel=9) * 1024


def test_a_gzip_bomb_stops_at_the_cap_in_bounded_memory(
    httpserver_ipv4: HTTPServer, fetcher: Fetcher, gzip_bomb: bytes
) -> None:
    httpserver_ipv4.expect_request("/m.csv").respond_with_data(
        gzip_bomb, content_type="text/csv", headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        error, _ = fetch_fails_within(
            fetcher, httpserver_ipv4.url_for("/m.csv"), 10, max_bytes=5 * MB
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason.startswith("the feed is larger than the 5 MB limit")
    # The 1 GB never exists: 4 MB spooled in memory, the rest on disk, plus a chunk or two.
    assert peak < 12 * MB, f"peak {peak / MB:.1f} MB"


# --- Broken connections --------------------------------------------------------------------------


def test_a_truncated_body_is_reported_with_its_size(fetcher: Fetcher) -> None:
    with RawServer(servers.truncated_body(declared=1000, sent=300)) as server:
        error, _ = fetch_fails_within(fetcher, server.url(), 2)
        assert server.connections == 1  # a body that broke off is not retried
    assert error.reason == (
        "the server closed the connection before sending the whole body (300 of 1000 bytes)"
    )
    assert error.http_status == 200


def test_a_reset_connection_is_retried_then_reported(
    fake_time_fetcher: Fetcher, clock: FakeClock
) -> None:
    with RawServer(servers.reset_connection) as server:
        with pytest.raises(FetchError) as caught:
            fake_time_fetcher.fetch(make_spec(server.url(), retries=2), None)
        assert server.connections == 3
    assert caught.value.reason == (
        f"the connection to 127.0.0.1:{server.port} was reset before HQ answered "
        "(gave up after 3 attempts)"
    )
    assert clock.sleeps == [1.0, 2.0]


def test_a_reset_then_a_good_answer_succeeds(fake_time_fetcher: Fetcher) -> None:
    with RawServer(servers.then(servers.reset_connection, servers.ok(CSV))) as server:
        fetched = fake_time_fetcher.fetch(make_spec(server.url()), None)
    with fetched:
        assert fetched.body is not None
        assert fetched.body.read() == CSV


def test_a_closed_port_is_retried_with_backoff_then_reported(
    fake_time_fetcher: Fetcher, clock: FakeClock
) -> None:
    port = closed_port()
    with pytest.raises(FetchError) as caught:
        fake_time_fetcher.fetch(make_spec(f"http://127.0.0.1:{port}/m.csv", retries=3), None)
    assert caught.value.reason == (
        f"could not connect to 127.0.0.1:{port}: connection refused (gave up after 4 attempts)"
    )
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_server_that_hangs_up_without_answering(fake_time_fetcher: Fetcher) -> None:
    def hang_up(server: RawServer, conn: object, index: int) -> None:
        server.read_request(conn)  # type: ignore[arg-type]

    with RawServer(hang_up) as server:
        with pytest.raises(FetchError) as caught:
            fake_time_fetcher.fetch(make_spec(server.url(), retries=1), None)
        assert server.connections == 2
    assert "closed the connection without answering" in caught.value.reason


# --- Bodies that must not be read ----------------------------------------------------------------


def test_a_503_with_an_endless_body_is_closed_not_drained(fetcher: Fetcher) -> None:
    first = servers.endless_body(status="503 Service Unavailable", retry_after=0)
    with RawServer(servers.then(first, servers.ok(CSV))) as server:
        started = time.monotonic()
        fetched = fetcher.fetch(make_spec(server.url(), deadline_s=5), None)
        assert time.monotonic() - started < 2
        assert server.connections == 2
    with fetched:
        assert fetched.body is not None
        assert fetched.body.read() == CSV


def test_a_redirect_with_an_endless_body_is_followed_without_reading_it(
    fetcher: Fetcher, httpserver_ipv4: HTTPServer
) -> None:
    # requests would read the whole redirect body into memory (resolve_redirects: resp.content).
    httpserver_ipv4.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    target = httpserver_ipv4.url_for("/m.csv")
    redirect = servers.endless_body(status="302 Found", location=target)
    with RawServer(redirect) as server:
        started = time.monotonic()
        fetched = fetcher.fetch(make_spec(server.url(), deadline_s=5), None)
        assert time.monotonic() - started < 2
    with fetched:
        assert fetched.url == target
        assert fetched.body is not None
        assert fetched.body.read() == CSV


class TickingClock(FakeClock):
    """Moves 0.1 s each time it is read, like a slow machine under a fast stream."""

    def __call__(self) -> float:
        self.now += 0.1
        return self.now


def test_a_fast_endless_body_stops_at_the_deadline_between_chunks() -> None:
    # The watchdog runs on real time (60 s here); this is the check after every chunk.
    clock = TickingClock()
    with (
        Fetcher(clock=clock, sleep=clock.sleep) as fetcher,
        RawServer(servers.endless_body()) as server,
    ):
        error, _ = fetch_fails_within(fetcher, server.url(), 5, deadline_s=5, max_bytes=1 << 30)
    assert error.reason.startswith("download took longer than 5 s; stopped after ")


def test_a_reused_connection_is_watched_too(fetcher: Fetcher) -> None:
    with RawServer(servers.keep_alive_then(servers.drip_headers(0.2))) as server:
        fetcher.fetch(make_spec(server.url()), None).close()
        error, _ = fetch_fails_within(fetcher, server.url(), 2, deadline_s=1.0)
        assert server.connections == 1  # the second request went over the pooled connection
    assert error.reason.startswith("download took longer than 1 s")


def test_a_connection_through_a_proxy_is_watched_too(
    fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    with RawServer(servers.drip_headers(0.2)) as proxy:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        error, _ = fetch_fails_within(fetcher, "http://hq.example.invalid/m.csv", 2, deadline_s=1.0)
        assert proxy.requests[0].startswith(b"GET http://hq.example.invalid/m.csv HTTP/1.1")
    assert error.reason.startswith("download took longer than 1 s")


def test_a_corrupt_gzip_body(fetcher: Fetcher) -> None:
    with RawServer(servers.ok(b"this is not gzip", content_encoding="gzip")) as server:
        error, _ = fetch_fails_within(fetcher, server.url(), 2)
    assert error.reason == "the server sent a compressed body that could not be decompressed"
    assert error.http_status == 200


def test_a_server_that_does_not_speak_http(fake_time_fetcher: Fetcher) -> None:
    with RawServer(servers.not_http) as server, pytest.raises(FetchError) as caught:
        fake_time_fetcher.fetch(make_spec(server.url(), retries=1), None)
    assert caught.value.reason == (
        f"127.0.0.1:{server.port} did not answer with valid HTTP (BadStatusLine) "
        "(gave up after 2 attempts)"
    )
