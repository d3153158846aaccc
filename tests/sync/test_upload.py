"""The outbox uploader against a real HTTP server on 127.0.0.1: down, up, lost answers, restarts,
and answers that are not HQ's acknowledgement (a captive portal, another item's key)."""

from __future__ import annotations

import datetime as dt
import http
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from sync.store.db import Database, open_database
from sync.store.models import Outbox
from sync.store.writer import Writer
from sync.upload import (
    KIND_ENTRY,
    KIND_SHOUTOUT,
    UPLOADS_PATH,
    OutboxUploader,
    enqueue,
    outbox_status,
)

T0 = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
TOKEN = "s3cret-Upload-Token-42"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class Hq:
    """An HQ upload endpoint that de-duplicates on the idempotency key, like the docs ask.

    With `lose_first_answer`, the first request of each key is recorded and then answered 500,
    as if the 200 had been lost on the way back.
    """

    def __init__(self, *, lose_first_answer: bool = False) -> None:
        self.lose_first_answer = lose_first_answer
        self.requests: list[tuple[str, str | None, dict]] = []  # key, Authorization, body
        self.answers: list[tuple[str, int]] = []
        self.stored: dict[str, dict] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "")
        body = json.loads(request.get_data())
        with self._lock:
            self.requests.append((key, request.headers.get("Authorization"), body))
            first_time = key not in self.stored
            self.stored.setdefault(key, body)
            status = 500 if self.lose_first_answer and first_time else 200
            self.answers.append((key, status))
        if status != 200:
            return Response('{"ok": false, "error": "database unavailable"}', status=status)
        return ack(key)

    def keys_seen(self) -> list[str]:
        return [key for key, _, _ in self.requests]


def ack(key: str, status: int = 200) -> Response:
    """kiosk-hq's acknowledgement of the item with `key` (docs/hq.md, "The answer")."""
    body = json.dumps({"ok": True, "idempotency_key": key})
    return Response(body, status=status, content_type="application/json")


def acknowledge(request: Request) -> Response:
    return ack(request.headers["Idempotency-Key"])


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (HQ is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def writer() -> Iterator[Writer]:
    w = Writer()
    yield w
    w.shutdown()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def queue(db: Database, count: int, clock: Clock, kind: str = KIND_ENTRY) -> list[str]:
    keys = []
    for n in range(count):
        with db.write.begin() as session:
            keys.append(enqueue(session, kind, {"store_id": "S001", "n": n}, clock()))
        clock.advance(1)
    return keys


def uploader(db: Database, writer: Writer, url: str, wall: Clock, **kw) -> OutboxUploader:
    """An uploader to HQ at base `url` on the test's wall clock, with no jitter (rng 0.5 is
    the middle)."""
    kw.setdefault("timeout", 5)
    return OutboxUploader(db, writer, url, kw.pop("token", None), now=wall, rng=lambda: 0.5, **kw)


def items(db: Database) -> list[Outbox]:
    with db.read() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.id)))


def deliver_until_empty(up: OutboxUploader, clock: Clock, rounds: int = 20) -> None:
    for _ in range(rounds):
        if up.deliver_due().pending == 0:
            return
        clock.advance(3600)
    raise AssertionError("the outbox did not empty")


# --- HQ down ------------------------------------------------------------------------------


def test_hq_down_backs_off_and_stops_the_run(db: Database, writer: Writer, clock: Clock) -> None:
    queue(db, 3, clock)
    start = clock.now
    port = free_port()
    up = uploader(db, writer, f"http://127.0.0.1:{port}", clock, retry_seconds=60)
    try:
        report = up.deliver_due()
        assert (report.sent, report.failed, report.pending) == (0, 1, 3)
        assert report.stopped == f"could not connect to 127.0.0.1:{port}: connection refused"
        first, second, third = items(db)
        assert first.attempts == 1 and first.sent_at is None
        assert first.last_error == report.stopped
        assert first.next_attempt_at == start + dt.timedelta(seconds=60)
        # The run stopped at the first connection error: the others were not tried.
        assert second.attempts == 0 and third.attempts == 0 and second.last_error is None

        # Next run: the first is not due yet, so only the second is tried (and fails).
        up.deliver_due()
        first, second, _ = items(db)
        assert (first.attempts, second.attempts) == (1, 1)

        clock.now = first.next_attempt_at
        up.deliver_due()
        first = items(db)[0]
        assert first.attempts == 2
        assert first.next_attempt_at == clock.now + dt.timedelta(seconds=120)  # doubled
    finally:
        up.close()


def test_backoff_doubles_up_to_the_cap_with_jitter(db: Database, writer: Writer) -> None:
    up = OutboxUploader(
        db,
        writer,
        "http://127.0.0.1:9/",
        retry_seconds=60,
        max_retry_seconds=3600,
        rng=lambda: 0.5,
    )
    assert [up.backoff_seconds(n) for n in (1, 2, 3, 6, 7, 50, 10_000)] == [
        60,
        120,
        240,
        1920,
        3600,
        3600,
        3600,
    ]
    low = OutboxUploader(db, writer, "http://127.0.0.1:9/", retry_seconds=60, rng=lambda: 0.0)
    high = OutboxUploader(db, writer, "http://127.0.0.1:9/", retry_seconds=60, rng=lambda: 0.999)
    assert low.backoff_seconds(1) == pytest.approx(54) and 65 < high.backoff_seconds(1) <= 66
    for u in (up, low, high):
        u.close()


# --- HQ comes back: exactly once per key, even when an answer is lost ----------------------


def test_delivered_once_per_key_after_hq_was_down_and_lost_answers(
    db: Database, writer: Writer, clock: Clock
) -> None:
    keys = queue(db, 3, clock) + queue(db, 1, clock, KIND_SHOUTOUT)
    port = free_port()
    server = HTTPServer(host="127.0.0.1", port=port)
    hq = Hq(lose_first_answer=True)
    server.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(hq)
    up = uploader(db, writer, f"http://127.0.0.1:{port}", clock)
    try:
        down = up.deliver_due()  # HQ is down
        assert down.failed == 1 and "connection refused" in (down.stopped or "")

        server.start()
        clock.advance(3600)
        first = up.deliver_due()
        # HQ got the first item but its answer was "lost" (500): not marked sent, run stopped.
        assert (first.sent, first.failed) == (0, 1) and first.stopped == (
            "HTTP 500 Internal Server Error"
        )
        assert hq.keys_seen() == [keys[0]]
        assert all(item.sent_at is None for item in items(db))

        deliver_until_empty(up, clock)
        assert all(item.sent_at is not None for item in items(db))
        # HQ saw every key, each one twice (the lost answer, then the 200), and stored each
        # once: what it de-duplicates on is the key.
        assert sorted(hq.stored) == sorted(keys)
        for key in keys:
            assert [status for k, status in hq.answers if k == key] == [500, 200]
        # Nothing was marked sent before its 200: every sent item's last answer was a 200.
        assert [key for key, status in hq.answers if status == 200] == keys  # oldest first
        # The body carries the key too, and the kind.
        body = hq.stored[keys[-1]]
        assert body["idempotency_key"] == keys[-1] and body["kind"] == "shoutout"

        # After delivery nothing more is sent.
        seen = len(hq.requests)
        clock.advance(10 * 86400)
        report = up.deliver_due()
        assert (report.sent, report.failed, report.pending) == (0, 0, 0)
        assert len(hq.requests) == seen
    finally:
        up.close()
        server.clear()
        if server.is_running():
            server.stop()


def test_restart_delivers_what_is_pending(
    tmp_path: Path, db: Database, writer: Writer, clock: Clock
) -> None:
    keys = queue(db, 2, clock)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    before = uploader(db, writer, url, clock)
    assert before.deliver_due().failed == 1  # HQ down
    before.close()
    db.dispose()  # the kiosk stops

    server = HTTPServer(host="127.0.0.1", port=port)
    hq = Hq()
    server.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(hq)
    server.start()
    reopened = open_database(tmp_path / "kiosk.db")
    new_writer = Writer()
    after = uploader(reopened, new_writer, url, clock)
    try:
        clock.advance(3600)
        report = after.deliver_due()
        assert (report.sent, report.pending) == (2, 0)
        assert hq.keys_seen() == keys
    finally:
        after.close()
        new_writer.shutdown()
        reopened.dispose()
        server.clear()
        server.stop()


# --- answers ------------------------------------------------------------------------------


def test_headers_body_and_token(httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock):
    [key] = queue(db, 1, clock)
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return ack(request.headers["Idempotency-Key"], status=201)

    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(handler)
    up = uploader(db, writer, httpserver.url_for(""), clock, token=TOKEN)
    try:
        assert up.deliver_due().sent == 1
    finally:
        up.close()
    [request] = seen
    assert request.headers["Idempotency-Key"] == key
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.get_data()) == {
        "kind": "entry",
        "schema_version": 1,
        "store_id": "S001",
        "n": 0,
        "idempotency_key": key,
    }
    assert items(db)[0].sent_at == clock.now


def test_the_token_never_reaches_errors_or_logs(
    httpserver: HTTPServer,
    db: Database,
    writer: Writer,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    queue(db, 1, clock)
    down = uploader(db, writer, f"http://127.0.0.1:{free_port()}", clock, token=TOKEN)
    down.deliver_due()
    down.close()

    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_data("no", status=401)
    clock.advance(3600)
    refused = uploader(db, writer, httpserver.url_for(""), clock, token=TOKEN)
    report = refused.deliver_due()
    refused.close()
    assert report.stopped == "HTTP 401 Unauthorized: HQ refused the token"
    [item] = items(db)
    assert item.attempts == 2 and item.last_error == report.stopped
    assert TOKEN not in (item.last_error or "")
    assert TOKEN not in caplog.text and TOKEN not in repr(refused)
    with db.read() as session:
        assert TOKEN not in (outbox_status(session).last_error or "")


def test_409_counts_as_delivered(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
):
    queue(db, 2, clock)
    httpserver.expect_request(UPLOADS_PATH).respond_with_data("already have it", status=409)
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        assert up.deliver_due().sent == 2
    finally:
        up.close()


def test_an_item_hq_cannot_take_does_not_block_the_others(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
) -> None:
    keys = queue(db, 3, clock)

    def handler(request: Request) -> Response:
        if request.headers["Idempotency-Key"] == keys[0]:
            return Response("bad body", status=422)
        return acknowledge(request)

    httpserver.expect_request(UPLOADS_PATH).respond_with_handler(handler)
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        report = up.deliver_due()
    finally:
        up.close()
    assert (report.sent, report.failed, report.pending, report.stopped) == (2, 1, 1, None)
    refused = items(db)[0]
    assert refused.sent_at is None and (refused.last_error or "").startswith("HTTP 422 ")


def test_redirects_are_not_followed(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
) -> None:
    queue(db, 1, clock)
    httpserver.expect_request(UPLOADS_PATH).respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        report = up.deliver_due()
    finally:
        up.close()
    assert report.sent == 0 and "redirects the upload" in (report.stopped or "")
    assert [r.path for r, _ in httpserver.log] == [UPLOADS_PATH]


def test_a_slow_hq_times_out(db: Database, writer: Writer, clock: Clock) -> None:
    queue(db, 2, clock)
    server = HTTPServer(host="127.0.0.1", threaded=True)
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return acknowledge(request)

    server.expect_request(UPLOADS_PATH).respond_with_handler(slow)
    server.start()
    up = uploader(db, writer, server.url_for(""), clock, timeout=0.3)
    try:
        started = time.monotonic()
        report = up.deliver_due()
        assert time.monotonic() - started < 3
        assert report.failed == 1 and "did not answer within" in (report.stopped or "")
        assert items(db)[0].sent_at is None and items(db)[1].attempts == 0
    finally:
        release.set()
        up.close()
        server.clear()
        server.stop()


def test_a_run_stops_at_its_deadline(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
) -> None:
    queue(db, 3, clock)
    httpserver.expect_request(UPLOADS_PATH).respond_with_handler(acknowledge)
    ticks = iter(range(0, 10_000, 50))  # each look at the monotonic clock: 50 s later
    up = uploader(
        db,
        writer,
        httpserver.url_for(""),
        clock,
        deadline=120,
        clock=lambda: float(next(ticks)),
    )
    try:
        report = up.deliver_due()
    finally:
        up.close()
    assert report.sent == 2 and report.pending == 1
    assert report.stopped == "the run took longer than 120 s"


def test_outbox_status(db: Database, writer: Writer, clock: Clock) -> None:
    with db.read() as session:
        assert outbox_status(session) == (0, None, None)
    queue(db, 2, clock)
    up = uploader(db, writer, f"http://127.0.0.1:{free_port()}", clock)
    up.deliver_due()
    up.close()
    with db.read() as session:
        status = outbox_status(session)
    assert status.pending == 2 and status.oldest == T0
    assert status.last_error is not None and "connection refused" in status.last_error


def test_enqueue_refuses_unknown_kinds_and_reserved_fields(db: Database) -> None:
    with db.write.begin() as session:
        with pytest.raises(ValueError, match="unknown outbox kind"):
            enqueue(session, "bogus", {}, T0)
        with pytest.raises(ValueError, match="idempotency_key"):
            enqueue(session, KIND_ENTRY, {"idempotency_key": "mine"}, T0)


# --- only HQ's acknowledgement delivers (issue 13: a 200 text/html emptied the outbox) -------


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (  # a captive portal, or [hq] url pointing at a web site
            Response(
                "<html><body>Welcome to the guest Wi-Fi</body></html>",
                status=200,
                content_type="text/html; charset=utf-8",
            ),
            "HTTP 200 OK, not HQ's acknowledgement (text/html, not JSON): is [hq] url the "
            "address of kiosk-hq, or is a captive portal or proxy answering in its place?",
        ),
        (  # a proxy or cache handing back another item's answer
            Response(
                '{"ok": true, "idempotency_key": "0b6f2e7d-0000-4000-8000-000000000000"}',
                status=200,
                content_type="application/json",
            ),
            "HTTP 200 OK, HQ's acknowledgement names another item (its idempotency_key "
            "differs): is a proxy or cache between the kiosk and HQ?",
        ),
        (  # JSON, but not an acknowledgement
            Response('{"status": "received"}', status=201, content_type="application/json"),
            'HTTP 201 Created, not HQ\'s acknowledgement (no {"ok": true} in the JSON): is '
            "[hq] url the address of kiosk-hq?",
        ),
        (
            Response(status=204),
            "HTTP 204 No Content, not HQ's acknowledgement (kiosk-hq answers 200 with JSON): "
            "is [hq] url the address of kiosk-hq?",
        ),
    ],
    ids=["captive-portal-html", "another-key", "json-without-ok", "204"],
)
def test_a_2xx_that_is_not_hqs_acknowledgement_delivers_nothing(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock, answer: Response, why: str
) -> None:
    keys = queue(db, 2, clock)
    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_response(answer)
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        report = up.deliver_due()
    finally:
        up.close()
    # Nothing is marked sent; the run stops (every item would get the same page).
    assert (report.sent, report.failed, report.pending) == (0, 1, 2)
    assert report.stopped == why
    first, second = items(db)
    assert first.sent_at is None and first.attempts == 1 and first.last_error == why
    assert second.sent_at is None and second.attempts == 0
    assert len(httpserver.log) == 1

    # The same server then answering as kiosk-hq does: both go, each with its own key.
    httpserver.clear()
    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(acknowledge)
    clock.advance(3600)
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        assert up.deliver_due().sent == 2
    finally:
        up.close()
    assert [r.headers["Idempotency-Key"] for r, _ in httpserver.log] == keys
    with db.read() as session:
        assert outbox_status(session) == (0, None, None)


def test_hqs_reason_for_refusing_an_item_is_kept_as_plain_text(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
) -> None:
    queue(db, 1, clock)
    reason = 'value: must be a number (got "12")\x1b[31m\n<b>'
    httpserver.expect_request(UPLOADS_PATH).respond_with_json(
        {"ok": False, "error": reason}, status=422
    )
    up = uploader(db, writer, httpserver.url_for(""), clock)
    try:
        report = up.deliver_due()
    finally:
        up.close()
    assert report.stopped is None and report.failed == 1
    # The phrase is the server's own: Python 3.13 renamed 422 "Unprocessable Content".
    phrase = http.HTTPStatus(422).phrase
    assert items(db)[0].last_error == (
        f'HTTP 422 {phrase}: value: must be a number (got "12") [31m <b>'
    )


def test_an_endless_answer_is_read_only_up_to_its_cap(db: Database, writer: Writer, clock: Clock):
    """A misconfigured URL streaming a huge page: 64 KiB of it are read, not 655 MB."""
    queue(db, 1, clock)
    server = HTTPServer(host="127.0.0.1")
    chunks_sent = 0

    def endless() -> Iterator[bytes]:
        nonlocal chunks_sent
        for _ in range(10_000):  # 64 KiB each: 655 MB if read to the end
            chunks_sent += 1
            yield b"x" * 65536

    server.expect_request(UPLOADS_PATH).respond_with_handler(
        lambda request: Response(endless(), status=200, content_type="text/html")
    )
    server.start()
    up = uploader(db, writer, server.url_for(""), clock)
    try:
        report = up.deliver_due()
    finally:
        up.close()
        server.clear()
        server.stop()
    assert report.sent == 0 and "text/html" in (report.stopped or "")
    # The kiosk hung up after its cap: the server got no further than its socket buffers.
    assert chunks_sent < 500, chunks_sent


def test_a_clock_set_back_does_not_hold_the_outbox(
    httpserver: HTTPServer, db: Database, writer: Writer, clock: Clock
) -> None:
    """Items failed while the clock ran a day ahead; NTP corrects it; HQ comes back. Before,
    the first delivery came 720 minutes after HQ recovered (the items' next try was reckoned
    by the wrong clock); now the next run delivers them."""
    queue(db, 2, clock)
    clock.now += dt.timedelta(days=1)  # the clock runs a day ahead, HQ is down
    down = uploader(db, writer, f"http://127.0.0.1:{free_port()}", clock, retry_seconds=3600)
    try:
        for _ in range(4):  # backoff grows: 1 h, 2 h...
            down.deliver_due()
            clock.now = items(db)[0].next_attempt_at
    finally:
        down.close()
    clock.now -= dt.timedelta(days=1, hours=8)  # corrected back; HQ is up again

    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(acknowledge)
    up = uploader(db, writer, httpserver.url_for("/").rstrip("/"), clock, retry_seconds=3600)
    try:
        report = up.deliver_due()
    finally:
        up.close()
    assert (report.sent, report.pending) == (2, 0)
