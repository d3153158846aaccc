"""Field faults of the sync, against real servers on 127.0.0.1 (docs/reliability.md).

- One odd validator bricked a feed: an ETag or Last-Modified starting with \\x0b or \\x0c was
  stored after a good pull, and every later pull failed with InvalidHeader.
- Credentials in URLs were kept: `user:password@` and `?token=` verbatim in the feed state
  table; status redacted only query names on a list (`?auth=`, `?session=` showed).
- An https feed redirecting to plain http was followed; a cut-off chunked body was reported
  as "(0 bytes)" received; the database files took the umask's mode.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sqlite3
import ssl
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from pytest_httpserver import HTTPServer

from sync.fetch.fetcher import Fetcher
from sync.service import SyncService
from sync.spec import FeedSpec, FetchOptions
from sync.status import feed_statuses
from sync.store.db import Database, open_database
from tests.sync.servers import RawServer, head

CSV = b"store_id,date,metric,value\nS001,2026-11-24,sales,12.5\n"
FAST = FetchOptions(connect_timeout_s=2, read_timeout_s=2, deadline_s=5, retries=0)


def pull(db: Database, url: str, **spec: object) -> object:
    feed = FeedSpec(name="metrics", kind="metrics", url=url, fetch=FAST, **spec)  # type: ignore[arg-type]
    service = SyncService(db, "S001", [feed])
    try:
        return service.pull(feed)
    finally:
        service.close()


# --- a validator that cannot be sent back ---------------------------------------------------


def test_an_unsendable_validator_is_never_stored_and_the_feed_recovers(db: Database) -> None:
    answers = [
        head(
            etag="\x0bv1",
            last_modified="\x0cMon, 23 Nov 2026 10:00:00 GMT",
            content_length=len(CSV),
        )
        + CSV,
        head(etag="\x0bv1", content_length=len(CSV)) + CSV,
        head(etag='"v2"', content_length=len(CSV)) + CSV,  # HQ fixed its headers
        head("304 Not Modified", etag='"v2"'),
    ]

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(answers[min(index, len(answers) - 1)])

    with RawServer(handler) as server:
        url = server.url("/m.csv")
        outcomes = [pull(db, url).outcome for _ in range(4)]  # type: ignore[attr-defined]
    assert outcomes == ["applied", "applied", "applied", "unchanged"]
    # No request carried the bad value; the one after HQ's fix was conditional.
    assert not any(b"\x0b" in r or b"\x0c" in r for r in server.requests)
    assert b'If-None-Match: "v2"' in server.requests[3]


def test_a_bad_validator_stored_by_an_older_kiosk_is_not_sent(db: Database, tmp_path: Path) -> None:
    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(content_length=len(CSV)) + CSV)

    with RawServer(handler) as server:
        url = server.url("/m.csv")
        assert pull(db, url).outcome == "applied"  # type: ignore[attr-defined]
        with db.write.begin() as session:
            session.connection().exec_driver_sql(
                "UPDATE feed_state SET etag = ?, last_modified = ?", ("\x0bold", "\x0cold")
            )
        again = pull(db, url)
    assert again.outcome == "applied", again.error  # type: ignore[attr-defined]
    assert b"If-None-Match" not in server.requests[1]


# --- credentials in URLs --------------------------------------------------------------------

SECRETS = ("pa55word", "t0ken-value", "auth-value", "sess-value")


def test_credentials_in_a_url_are_never_stored_or_shown(
    db: Database, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    base = httpserver.url_for("/m.csv").replace("http://", "http://kiosk:pa55word@")
    url = f"{base}?token=t0ken-value&auth=auth-value&session=sess-value&store=S001"
    caplog.set_level(logging.DEBUG)
    report = pull(db, url)
    assert report.outcome == "applied", report.error  # type: ignore[attr-defined]

    with sqlite3.connect(db.path) as conn:  # type: ignore[arg-type]
        stored = "\n".join(str(v) for row in conn.execute("SELECT * FROM feed_state") for v in row)
    spec = FeedSpec(name="metrics", kind="metrics", url=url, fetch=FAST)
    with db.read() as session:
        shown = feed_statuses(session, [spec], dt.UTC)[0]["url"]
    assert shown == (
        f"http://{httpserver.host}:{httpserver.port}/m.csv?token=***&auth=***&session=***&store=***"
    )
    # Our own log lines (urllib3's request lines are silenced below ERROR by kiosk.logs).
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("sync"))
    assert "token=***" in ours
    for secret in SECRETS:
        assert secret not in stored
        assert secret not in ours
    # The same feed is still "the same source" next time: its validators are used.
    assert pull(db, url).outcome in ("applied", "unchanged")  # type: ignore[attr-defined]


def test_database_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = open_database(tmp_path / "kiosk.db")
        with db.write.begin() as session:  # a write, so the WAL and its index exist
            session.connection().exec_driver_sql("CREATE TABLE t (x)")
        for name in ("kiosk.db", "kiosk.db-wal", "kiosk.db-shm"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        db.dispose()
    finally:
        os.umask(old)


# --- smaller ----------------------------------------------------------------------------------


@pytest.fixture
def tls_server() -> Iterator[tuple[HTTPServer, trustme.CA]]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server, ca
    server.clear()
    server.stop()


def test_an_https_feed_redirected_to_plain_http_is_refused(
    tls_server: tuple[HTTPServer, trustme.CA], httpserver: HTTPServer, tmp_path: Path
) -> None:
    secure, ca = tls_server
    httpserver.expect_request("/m.csv").respond_with_data(CSV, content_type="text/csv")
    secure.expect_request("/m.csv").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/m.csv")}
    )
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    url = secure.url_for("/m.csv").replace("http://", "https://")
    spec = FeedSpec(
        name="m", kind="metrics", url=url, fetch=FetchOptions(retries=0, ca_bundle=str(bundle))
    )
    with Fetcher() as fetcher, pytest.raises(Exception) as caught:
        fetcher.fetch(spec, None)
    assert "redirected the https feed to plain http" in str(caught.value)
    assert httpserver.log == []  # the plain-http address was never asked


def test_a_cut_off_chunked_body_says_how_much_arrived(db: Database) -> None:
    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(content_type="text/csv", transfer_encoding="chunked"))
        conn.sendall(f"{len(CSV):x}\r\n".encode() + CSV + b"\r\n")
        conn.sendall(b"400\r\nstore_id,da")  # a chunk promised, cut off: no end chunk

    with RawServer(handler) as server:
        report = pull(db, server.url("/m.csv"))
    assert report.outcome == "failed"  # type: ignore[attr-defined]
    assert "(0 bytes)" not in report.error  # type: ignore[attr-defined]
    assert f"{len(CSV)}" in report.error  # type: ignore[attr-defined]
