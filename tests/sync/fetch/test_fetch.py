"""`sync.fetch` against real files and a real HTTP(S) server on 127.0.0.1 (no mocks).

Misbehaving servers (drips, endless bodies, bombs, resets) are in `test_fetch_hostile.py`.
"""

from __future__ import annotations

import email.utils
import gzip
import logging
import os
import ssl
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme
from pytest_httpserver import HTTPServer

from sync.errors import FetchError
from sync.fetch.fetcher import Fetcher
from sync.fetch.result import Fetched, Validators
from sync.spec import HttpAuth
from tests.sync.servers import FakeClock, closed_port, make_spec

CSV = b"store_id,date,metric,value\nS001,2024-05-01,sales,1234.5\n"
TOKEN = "s3cr3t-T0KEN-9f8e7d"
PASSWORD = "pässwörd-€-42"


@pytest.fixture(autouse=True)
def no_proxy_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours *_PROXY variables; these tests talk to 127.0.0.1 directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server(httpserver_ipv4: HTTPServer) -> HTTPServer:
    """pytest-httpserver on 127.0.0.1 (its default, "localhost", may resolve to ::1 first)."""
    return httpserver_ipv4


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fetcher(clock: FakeClock) -> Iterator[Fetcher]:
    with Fetcher(clock=clock, sleep=clock.sleep) as fetcher:
        yield fetcher


def read(fetched: Fetched) -> bytes:
    assert fetched.body is not None
    with fetched:
        return fetched.body.read()


def sent_headers(server: HTTPServer, index: int = -1) -> dict[str, str]:
    request, _ = server.log[index]
    return dict(request.headers)


# --- Local files ---------------------------------------------------------------------------------


def test_file_is_read_with_size_and_mtime_as_validators(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes(CSV)
    fetched = fetcher.fetch(make_spec(str(path)), None)
    info = path.stat()
    assert not fetched.unchanged
    assert fetched.http_status is None
    assert fetched.url == str(path)
    assert fetched.bytes_read == len(CSV)
    assert fetched.validators == Validators(size=info.st_size, mtime_ns=info.st_mtime_ns)
    assert read(fetched) == CSV


def test_file_with_same_size_and_mtime_is_unchanged(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes(CSV)
    first = fetcher.fetch(make_spec(str(path)), None)
    first.close()
    again = fetcher.fetch(make_spec(str(path)), first.validators)
    assert again.unchanged
    assert again.body is None
    assert again.validators == first.validators


@pytest.mark.parametrize("change", ["mtime", "size"])
def test_file_with_new_mtime_or_size_is_read_again(
    tmp_path: Path, fetcher: Fetcher, change: str
) -> None:
    path = tmp_path / "metrics.csv"
    path.write_bytes(CSV)
    first = fetcher.fetch(make_spec(str(path)), None)
    first.close()
    if change == "mtime":  # same size, same length of content: only the time says it changed
        path.write_bytes(CSV.replace(b"1234.5", b"9999.9"))
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    else:
        path.write_bytes(CSV + b"S002,2024-05-01,sales,1\n")
    again = fetcher.fetch(make_spec(str(path)), first.validators)
    assert not again.unchanged
    assert again.validators != first.validators
    assert read(again) == path.read_bytes()


def test_missing_file(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "nope.csv"
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(str(path)), None)
    assert caught.value.reason == f"file not found: {path}"
    assert caught.value.http_status is None


def test_directory_is_not_a_feed(tmp_path: Path, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="folder"):
        fetcher.fetch(make_spec(str(tmp_path)), None)


def test_file_larger_than_max_bytes(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(FetchError, match=r"larger than the 4\.88 KB limit"):
        fetcher.fetch(make_spec(str(path), max_bytes=4999), None)
    assert read(fetcher.fetch(make_spec(str(path), max_bytes=5000), None)) == b"x" * 5000


def test_file_url_is_read_as_a_path(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "a b.csv"
    path.write_bytes(CSV)
    assert read(fetcher.fetch(make_spec(path.as_uri()), None)) == CSV


def test_large_file_spools_to_disk_and_closes(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(CSV * 200_000)  # ~11 MB: more than the 4 MB kept in memory
    with fetcher.fetch(make_spec(str(path)), None) as fetched:
        assert fetched.body is not None
        assert fetched.bytes_read == path.stat().st_size
        assert fetched.body.read(len(CSV)) == CSV
    assert fetched.body.closed


# --- HTTP: conditional GET, content --------------------------------------------------------------


def test_etag_then_304_sends_if_none_match(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_oneshot_request("/metrics.csv").respond_with_data(
        CSV, content_type="text/csv", headers={"ETag": '"v1"'}
    )
    server.expect_oneshot_request(
        "/metrics.csv", headers={"If-None-Match": '"v1"'}
    ).respond_with_data("", status=304)
    spec = make_spec(server.url_for("/metrics.csv"))
    first = fetcher.fetch(spec, None)
    assert first.http_status == 200
    assert first.validators == Validators(etag='"v1"')
    assert read(first) == CSV
    assert "If-None-Match" not in sent_headers(server, 0)

    again = fetcher.fetch(spec, first.validators)
    assert sent_headers(server, 1)["If-None-Match"] == '"v1"'
    assert again.unchanged
    assert again.http_status == 304
    assert again.body is None
    assert again.validators == first.validators
    server.check_assertions()


def test_last_modified_then_if_modified_since(server: HTTPServer, fetcher: Fetcher) -> None:
    stamp = "Wed, 01 May 2024 06:00:00 GMT"
    server.expect_oneshot_request("/m.csv").respond_with_data(
        CSV, content_type="text/csv", headers={"Last-Modified": stamp}
    )
    server.expect_oneshot_request("/m.csv").respond_with_data("", status=304)
    spec = make_spec(server.url_for("/m.csv"))
    first = fetcher.fetch(spec, None)
    first.close()
    assert first.validators == Validators(last_modified=stamp)
    again = fetcher.fetch(spec, first.validators)
    assert sent_headers(server, 1)["If-Modified-Since"] == stamp
    assert "If-None-Match" not in sent_headers(server, 1)
    assert again.unchanged


def test_304_to_an_unconditional_request_is_an_error(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data("", status=304)
    with pytest.raises(FetchError, match="not conditional") as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert caught.value.http_status == 304


def test_media_type_and_request_headers(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="Text/CSV; charset=UTF-8")
    fetched = fetcher.fetch(make_spec(server.url_for("/m.csv"), user_agent="kiosk-test/1.0"), None)
    fetched.close()
    assert fetched.content_type == "text/csv"
    headers = sent_headers(server)
    assert headers["User-Agent"] == "kiosk-test/1.0"
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "Authorization" not in headers


def test_gzip_body_is_decoded(server: HTTPServer, fetcher: Fetcher) -> None:
    body = CSV * 1000
    server.expect_request("/m.csv").respond_with_data(
        gzip.compress(body), content_type="text/csv", headers={"Content-Encoding": "gzip"}
    )
    fetched = fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert fetched.bytes_read == len(body)
    assert read(fetched) == body


def test_html_content_type_is_refused(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data(
        "store_id,date\n", content_type="text/html; charset=utf-8"
    )
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert (
        caught.value.reason == "HQ answered with an HTML page, not a feed (a login or error page?)"
    )
    assert caught.value.http_status == 200


@pytest.mark.parametrize(
    "page",
    [
        b"<!DOCTYPE html>\n<html><body>Please sign in</body></html>",
        b"\xef\xbb\xbf\r\n  <html lang='en'><head><title>Login</title></head></html>",
        b"<!-- portal --><HEAD><TITLE>Error</TITLE></HEAD>",
    ],
)
def test_html_body_is_refused_whatever_the_content_type(
    server: HTTPServer, fetcher: Fetcher, page: bytes
) -> None:
    server.expect_request("/m.csv").respond_with_data(page, content_type="text/csv")
    with pytest.raises(FetchError, match="HTML page") as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert caught.value.http_status == 200


def test_declared_content_length_over_the_cap_is_refused(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    server.expect_request("/m.csv").respond_with_data(CSV * 100, content_type="text/csv")
    with pytest.raises(FetchError, match="larger than the 1 KB limit") as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv"), max_bytes=1024), None)
    assert caught.value.http_status == 200


# --- HTTP: status codes and retries --------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_point_at_the_credentials(
    server: HTTPServer, fetcher: Fetcher, status: int
) -> None:
    server.expect_request("/m.csv").respond_with_data("no", status=status)
    spec = make_spec(server.url_for("/m.csv"), auth=HttpAuth(bearer_token=TOKEN))
    with pytest.raises(FetchError, match="check the feed's token or credentials") as caught:
        fetcher.fetch(spec, None)
    assert caught.value.http_status == status
    assert caught.value.reason.startswith(f"HTTP {status} ")
    assert len(server.log) == 1  # not retried

    with pytest.raises(FetchError, match="none are configured"):
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)


def test_404_is_not_found_and_not_retried(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data("gone", status=404)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert caught.value.reason == (
        f"HTTP 404 Not Found: the feed was not found at {server.url_for('/m.csv')}"
    )
    assert caught.value.http_status == 404
    assert len(server.log) == 1


def test_500_is_retried_with_exponential_backoff(
    server: HTTPServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    server.expect_request("/m.csv").respond_with_data("oops", status=500)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv"), retries=3, backoff_s=0.5), None)
    assert caught.value.reason == "HTTP 500 Internal Server Error (gave up after 4 attempts)"
    assert caught.value.http_status == 500
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert len(server.log) == 4


def test_429_then_200_succeeds(server: HTTPServer, fetcher: Fetcher, clock: FakeClock) -> None:
    server.expect_oneshot_request("/m.csv").respond_with_data("slow down", status=429)
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    fetched = fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert read(fetched) == CSV
    assert clock.sleeps == [1.0]


def test_501_is_not_retried(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data("", status=501)
    with pytest.raises(FetchError, match="HTTP 501 Not Implemented"):
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert len(server.log) == 1


def test_503_retry_after_1_then_200_with_the_real_clock(server: HTTPServer) -> None:
    server.expect_oneshot_request("/m.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": "1"}
    )
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    started = time.monotonic()
    with Fetcher() as fetcher:
        fetched = fetcher.fetch(make_spec(server.url_for("/m.csv"), deadline_s=10), None)
    assert time.monotonic() - started >= 1.0
    assert read(fetched) == CSV
    assert len(server.log) == 2


def test_retry_after_beyond_the_deadline_fails_fast(server: HTTPServer) -> None:
    server.expect_request("/m.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": "3600"}
    )
    started = time.monotonic()
    with Fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv")), None)
    assert time.monotonic() - started < 1.0
    assert caught.value.reason == (
        "HTTP 503 Service Unavailable; server asked to retry after 3600 s, beyond the 60 s deadline"
    )
    assert caught.value.http_status == 503
    assert len(server.log) == 1


def test_retry_after_longer_than_retry_after_max(
    server: HTTPServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    server.expect_request("/m.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": "45"}
    )
    with pytest.raises(FetchError, match=r"after 45 s, longer than the 30 s we wait"):
        fetcher.fetch(make_spec(server.url_for("/m.csv"), retry_after_max_s=30), None)
    assert clock.sleeps == []


def test_retry_after_as_an_http_date(
    server: HTTPServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    server.expect_oneshot_request("/m.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": when}
    )
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    read(fetcher.fetch(make_spec(server.url_for("/m.csv")), None))
    [waited] = clock.sleeps
    assert 3.0 <= waited <= 5.0  # an HTTP-date has one-second resolution


def test_backoff_that_would_pass_the_deadline_is_not_slept(
    server: HTTPServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    server.expect_request("/m.csv").respond_with_data("oops", status=502)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(server.url_for("/m.csv"), deadline_s=2.5, backoff_s=1), None)
    assert clock.sleeps == [1.0]  # the next wait, 2 s, would end after the 2.5 s deadline
    assert caught.value.reason == (
        "HTTP 502 Bad Gateway (gave up after 2 attempts: another would pass the 2.5 s deadline)"
    )


def test_connection_refused_is_retried_with_the_real_clock() -> None:
    url = f"http://127.0.0.1:{closed_port()}/m.csv"
    started = time.monotonic()
    with Fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(url, retries=2, backoff_s=0.1), None)
    assert time.monotonic() - started >= 0.3  # 0.1 s, then 0.2 s
    assert "connection refused" in caught.value.reason
    assert caught.value.reason.endswith("(gave up after 3 attempts)")
    assert caught.value.http_status is None


def test_attempts_are_logged_at_debug_and_retries_at_info(
    server: HTTPServer, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_oneshot_request("/m.csv").respond_with_data("", status=503)
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    caplog.set_level(logging.DEBUG, logger="sync.fetch")
    read(fetcher.fetch(make_spec(server.url_for("/m.csv")), None))
    ours = [r for r in caplog.records if r.name.startswith("sync.fetch.")]
    attempts = [r for r in ours if "attempt" in r.getMessage() and r.levelno == logging.DEBUG]
    retries = [r for r in ours if r.levelno == logging.INFO]
    assert len(attempts) == 2
    assert len(retries) == 1
    assert "HTTP 503 Service Unavailable; retrying in 1.0 s" in retries[0].getMessage()


# --- HTTP: redirects -----------------------------------------------------------------------------


def chain(server: HTTPServer, hops: int) -> str:
    for hop in range(hops):
        server.expect_request(f"/r{hop}").respond_with_data(
            "", status=302, headers={"Location": f"/r{hop + 1}"}
        )
    server.expect_request(f"/r{hops}").respond_with_data(CSV, content_type="text/csv")
    return server.url_for("/r0")


def test_five_redirects_are_followed(server: HTTPServer, fetcher: Fetcher) -> None:
    fetched = fetcher.fetch(make_spec(chain(server, 5)), None)
    assert fetched.url == server.url_for("/r5")
    assert read(fetched) == CSV


def test_six_redirects_are_too_many(server: HTTPServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        fetcher.fetch(make_spec(chain(server, 6)), None)


def test_redirect_loop(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="HQ redirects in a loop"):
        fetcher.fetch(make_spec(server.url_for("/a")), None)


@pytest.mark.parametrize(
    "auth",
    [HttpAuth(bearer_token=TOKEN), HttpAuth(username="store", password=PASSWORD)],
    ids=["bearer", "basic"],
)
def test_redirect_to_another_host_drops_authorization(
    server: HTTPServer, fetcher: Fetcher, auth: HttpAuth
) -> None:
    # 127.0.0.1 and localhost are different hosts to requests, though the same server here.
    elsewhere = f"http://localhost:{server.port}/cdn/m.csv"
    server.expect_request("/m.csv").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    server.expect_request("/cdn/m.csv").respond_with_data(CSV, content_type="text/csv")
    fetched = fetcher.fetch(make_spec(server.url_for("/m.csv"), auth=auth), None)
    assert fetched.url == elsewhere
    assert read(fetched) == CSV
    assert "Authorization" in sent_headers(server, 0)
    assert "Authorization" not in sent_headers(server, 1)


def test_redirect_on_the_same_host_keeps_authorization(
    server: HTTPServer, fetcher: Fetcher
) -> None:
    server.expect_request("/m.csv").respond_with_data(
        "", status=307, headers={"Location": "/v2.csv"}
    )
    server.expect_request("/v2.csv").respond_with_data(CSV, content_type="text/csv")
    fetched = fetcher.fetch(
        make_spec(server.url_for("/m.csv"), auth=HttpAuth(bearer_token=TOKEN)), None
    )
    fetched.close()
    assert sent_headers(server, 1)["Authorization"] == f"Bearer {TOKEN}"


# --- HTTP: credentials and secrets ---------------------------------------------------------------


def test_bearer_token_arrives(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv", headers={"Authorization": f"Bearer {TOKEN}"}).respond_with_data(
        CSV, content_type="text/csv"
    )
    spec = make_spec(server.url_for("/m.csv"), auth=HttpAuth(bearer_token=TOKEN))
    assert read(fetcher.fetch(spec, None)) == CSV


def test_basic_auth_arrives_utf8_encoded(server: HTTPServer, fetcher: Fetcher) -> None:
    server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    spec = make_spec(server.url_for("/m.csv"), auth=HttpAuth(username="store", password=PASSWORD))
    read(fetcher.fetch(spec, None))
    request, _ = server.log[-1]
    assert request.authorization is not None
    assert request.authorization.type == "basic"
    assert request.authorization.username == "store"
    # werkzeug decodes credentials as UTF-8 (RFC 7617's charset)
    assert request.authorization.password == PASSWORD


def test_token_with_a_line_break_is_refused_without_quoting_it(fetcher: Fetcher) -> None:
    spec = make_spec("http://127.0.0.1:9/m.csv", auth=HttpAuth(bearer_token=TOKEN + "\n"))
    with pytest.raises(FetchError, match="cannot go in an HTTP header") as caught:
        fetcher.fetch(spec, None)
    assert TOKEN not in everything_about(caught.value)


def everything_about(error: FetchError) -> str:
    """Every text a log or traceback could show for this error, causes included."""
    return " ".join([str(error), repr(error), *traceback.format_exception(error)])


Scenario = Callable[[HTTPServer], str]


def refused(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{closed_port()}/m.csv"


def unauthorized(server: HTTPServer) -> str:
    server.expect_request("/m.csv").respond_with_data("who are you", status=401)
    return server.url_for("/m.csv")


def retried_then_failed(server: HTTPServer) -> str:
    server.expect_request("/m.csv").respond_with_data("", status=503)
    return server.url_for("/m.csv")


def redirected_elsewhere_then_missing(server: HTTPServer) -> str:
    elsewhere = f"http://localhost:{server.port}/gone.csv"
    server.expect_request("/m.csv").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    server.expect_request("/gone.csv").respond_with_data("", status=404)
    return server.url_for("/m.csv")


def html_page(server: HTTPServer) -> str:
    server.expect_request("/m.csv").respond_with_data("<html></html>", content_type="text/html")
    return server.url_for("/m.csv")


@pytest.mark.parametrize(
    "scenario",
    [refused, unauthorized, retried_then_failed, redirected_elsewhere_then_missing, html_page],
)
@pytest.mark.parametrize(
    "auth",
    [HttpAuth(bearer_token=TOKEN), HttpAuth(username="store", password=PASSWORD)],
    ids=["bearer", "basic"],
)
def test_secrets_never_reach_errors_or_logs(
    server: HTTPServer,
    fetcher: Fetcher,
    caplog: pytest.LogCaptureFixture,
    scenario: Scenario,
    auth: HttpAuth,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, requests' and urllib3's
    url = scenario(server)
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(url, auth=auth, retries=1), None)
    assert caplog.records  # something was logged, so the check below means something
    for secret in (TOKEN, PASSWORD):
        assert secret not in everything_about(caught.value)
        assert secret not in caplog.text
    assert TOKEN not in repr(make_spec(url, auth=auth))


# --- HTTPS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(tls_ca: trustme.CA) -> Iterator[HTTPServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def no_ca_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests takes REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE when `verify` is True."""
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.mark.usefixtures("no_ca_from_environment")
def test_tls_needs_the_ca_bundle(
    tls_server: HTTPServer, tls_ca: trustme.CA, fetcher: Fetcher, tmp_path: Path
) -> None:
    tls_server.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    url = tls_server.url_for("/m.csv")
    assert url.startswith("https://127.0.0.1:")

    with pytest.raises(FetchError) as caught:
        fetcher.fetch(make_spec(url, auth=HttpAuth(bearer_token=TOKEN)), None)
    assert caught.value.reason.startswith("TLS certificate check failed: ")
    assert "certificate" in caught.value.reason
    assert TOKEN not in everything_about(caught.value)

    bundle = tmp_path / "hq-ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    fetched = fetcher.fetch(make_spec(url, ca_bundle=str(bundle)), None)
    assert fetched.http_status == 200
    assert read(fetched) == CSV


@pytest.mark.usefixtures("no_ca_from_environment")
def test_tls_hostname_must_match(
    tls_server: HTTPServer, tls_ca: trustme.CA, fetcher: Fetcher, tmp_path: Path
) -> None:
    bundle = tmp_path / "hq-ca.pem"
    tls_ca.cert_pem.write_to_path(str(bundle))
    url = f"https://localhost:{tls_server.port}/m.csv"  # the certificate names only 127.0.0.1
    with pytest.raises(FetchError, match=r"TLS certificate check failed: .*mismatch"):
        fetcher.fetch(make_spec(url, ca_bundle=str(bundle)), None)


def test_missing_ca_bundle_file(fetcher: Fetcher, tmp_path: Path) -> None:
    spec = make_spec("https://127.0.0.1:9/m.csv", ca_bundle=str(tmp_path / "nope.pem"))
    with pytest.raises(FetchError, match="CA bundle does not exist"):
        fetcher.fetch(spec, None)
