"""The heartbeat through the outbox, against a real HTTP server on 127.0.0.1: it never piles up
while HQ is away, goes first and to its own route, and what HQ's acknowledgement teaches the
next one (the clock offset, which thumbnail HQ has). Its body is read back with HQ's own
parser (hq/wire.py), so it is the body docs/hq.md defines."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.utils
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from hq.wire import envelope, parse_heartbeat
from sync.heartbeat import (
    DisplayState,
    FreshnessState,
    HeartbeatLink,
    Thumbnail,
    heartbeat_payload,
)
from sync.service import SyncService
from sync.spec import FeedSpec
from sync.store.db import Database
from sync.store.models import Outbox
from sync.store.writer import Writer
from sync.upload import (
    HEARTBEAT_PATH,
    KIND_ENTRY,
    KIND_HEARTBEAT,
    UPLOADS_PATH,
    OutboxUploader,
    enqueue,
    heartbeat_status,
    outbox_status,
    replace_heartbeat,
)
from tests.sync.test_upload import Clock, free_port

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64)) + b"\xff\xd9"
OTHER_JPEG = JPEG[:-2] + b"\x01\xff\xd9"


class FakeHq:
    """kiosk-hq's two routes as the docs describe them, recording what arrives.

    `hq_ahead` puts HQ's clock that far ahead of the machine's; `want_thumbnail` adds
    `send_thumbnail: true` to heartbeat acknowledgements.
    """

    def __init__(self, hq_ahead: dt.timedelta = dt.timedelta()) -> None:
        self.hq_ahead = hq_ahead
        self.want_thumbnail = False
        self.received: list[tuple[str, dict[str, Any]]] = []  # (path, body)
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        with self._lock:
            self.received.append((request.path, body))
        hq_now = dt.datetime.now(dt.UTC) + self.hq_ahead
        answer: dict[str, Any] = {"ok": True, "idempotency_key": body["idempotency_key"]}
        if request.path == HEARTBEAT_PATH:
            answer["server_time"] = hq_now.isoformat(timespec="microseconds")
            if self.want_thumbnail:
                answer["send_thumbnail"] = True
        return Response(
            json.dumps(answer),
            content_type="application/json",
            headers={"Date": email.utils.format_datetime(hq_now, usegmt=True)},
        )

    def heartbeats(self) -> list[dict[str, Any]]:
        return [body for path, body in self.received if path == HEARTBEAT_PATH]


@pytest.fixture
def writer() -> Iterator[Writer]:
    w = Writer()
    yield w
    w.shutdown()


def serve(hq: FakeHq, port: int = 0) -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=port)
    server.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(hq)
    server.expect_request(HEARTBEAT_PATH, method="POST").respond_with_handler(hq)
    server.start()
    return server


@contextlib.contextmanager
def serving(hq: FakeHq, port: int = 0) -> Iterator[HTTPServer]:
    server = serve(hq, port)
    try:
        yield server
    finally:
        server.stop()


def make_uploader(
    db: Database, writer: Writer, url: str, link: HeartbeatLink, now: Callable[[], dt.datetime]
) -> OutboxUploader:
    return OutboxUploader(
        db, writer, url, "t0k", on_acknowledged=link.acknowledged, now=now, rng=lambda: 0.5
    )


def real_now() -> dt.datetime:
    """The machine's clock: what a clock offset is measured with."""
    return dt.datetime.now(dt.UTC)


def beat(db: Database, clock: Clock, **fields: Any) -> str:
    with db.write.begin() as session:
        return replace_heartbeat(session, {"store_id": "S001", **fields}, clock())


def rows(db: Database, kind: str) -> list[Outbox]:
    with db.read() as session:
        return list(session.scalars(select(Outbox).where(Outbox.kind == kind)))


def test_heartbeats_never_pile_up_while_hq_is_down_but_entries_all_wait(
    db: Database, writer: Writer
) -> None:
    clock = Clock()
    with db.write.begin() as session:
        entries = [enqueue(session, KIND_ENTRY, {"n": n}, clock()) for n in range(3)]
    link = HeartbeatLink()
    port = free_port()
    up = make_uploader(db, writer, f"http://127.0.0.1:{port}", link, clock)
    try:
        for _ in range(50):  # four hours of heartbeats every 5 minutes, HQ down
            beat(db, clock)
            report = up.deliver_due()
            assert "connection refused" in (report.stopped or "")
            clock.advance(300)
        [waiting] = rows(db, KIND_HEARTBEAT)
        assert waiting.sent_at is None and waiting.attempts == 50  # carried over
        assert len(rows(db, KIND_ENTRY)) == 3  # every entry kept
        with db.read() as session:
            assert outbox_status(session).pending == 3  # the heartbeat is not an upload
            status = heartbeat_status(session)
        assert status.last_acknowledged is None and status.attempts == 50
        assert "connection refused" in (status.last_error or "")

        # HQ comes back: the heartbeat first, to its own route, then the entries.
        hq = FakeHq()
        server = serve(hq, port)
        try:
            clock.advance(4 * 3600)
            beat(db, clock)
            report = up.deliver_due()
        finally:
            server.stop()
    finally:
        up.close()
    assert (report.sent, report.pending) == (3, 0)
    paths = [path for path, _ in hq.received]
    assert paths == [HEARTBEAT_PATH, UPLOADS_PATH, UPLOADS_PATH, UPLOADS_PATH]
    assert [body["idempotency_key"] for _, body in hq.received[1:]] == entries
    [kept] = rows(db, KIND_HEARTBEAT)
    assert kept.sent_at == clock.now
    with db.read() as session:
        status = heartbeat_status(session)
    assert status == (clock.now, None, 0, None)

    # Delivered heartbeats do not pile up either: the latest acknowledged one stays.
    for _ in range(5):
        clock.advance(300)
        beat(db, clock)
        with serving(hq, port):
            up = make_uploader(db, writer, f"http://127.0.0.1:{port}", link, clock)
            up.deliver_due()
            up.close()
    [kept] = rows(db, KIND_HEARTBEAT)
    assert kept.sent_at == clock.now and len(hq.heartbeats()) == 6


def test_each_heartbeat_has_a_new_key_and_a_lost_answer_resends_the_same_one(
    db: Database, writer: Writer, httpserver: HTTPServer
) -> None:
    clock = Clock()
    keys: list[str] = []
    answered = 0

    def once_lost(request: Request) -> Response:
        nonlocal answered
        key = request.headers["Idempotency-Key"]
        keys.append(key)
        answered += 1
        if answered == 1:  # HQ stored it, the answer got lost
            return Response("", status=502)
        return Response(
            json.dumps({"ok": True, "idempotency_key": key}), content_type="application/json"
        )

    httpserver.expect_request(HEARTBEAT_PATH).respond_with_handler(once_lost)
    link = HeartbeatLink()
    up = make_uploader(db, writer, httpserver.url_for(""), link, clock)
    try:
        first = beat(db, clock)
        up.deliver_due()
        clock.advance(90)  # its backoff (60 s) is over before the next heartbeat
        up.deliver_due()
        second = beat(db, clock)
        up.deliver_due()
    finally:
        up.close()
    assert keys == [first, first, second] and first != second


def test_the_clock_offset_comes_from_the_previous_acknowledgement(
    db: Database, writer: Writer
) -> None:
    clock = Clock()
    hq = FakeHq(hq_ahead=dt.timedelta(seconds=-90))  # the kiosk's clock is 90 s fast
    link = HeartbeatLink()
    with serving(hq, free_port()) as server:
        up = make_uploader(db, writer, server.url_for(""), link, real_now)
        try:
            assert link.clock_offset_seconds is None
            beat(db, clock)
            up.deliver_due()
        finally:
            up.close()
    assert link.clock_offset_seconds == pytest.approx(90, abs=0.5)


class _DateOnlyHq(http.server.BaseHTTPRequestHandler):
    """Acknowledges with a `Date` two hours behind and no `server_time` (werkzeug cannot: it
    always adds a Date of its own)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        key = self.headers["Idempotency-Key"]
        body = json.dumps({"ok": True, "idempotency_key": key}).encode()
        hq_now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
        self.send_response_only(200)
        self.send_header("Date", email.utils.format_datetime(hq_now, usegmt=True))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_the_date_header_serves_when_there_is_no_server_time(db: Database, writer: Writer):
    clock = Clock()
    link = HeartbeatLink()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DateOnlyHq)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    up = make_uploader(db, writer, f"http://127.0.0.1:{server.server_port}", link, real_now)
    try:
        beat(db, clock)
        up.deliver_due()
    finally:
        up.close()
        server.shutdown()
        server.server_close()
    assert link.clock_offset_seconds == pytest.approx(7200, abs=1.0)


def test_the_thumbnail_goes_up_only_when_hq_does_not_have_it(db: Database, writer: Writer):
    clock = Clock()
    hq = FakeHq()
    link = HeartbeatLink()
    board, other = Thumbnail(JPEG, "image/jpeg"), Thumbnail(OTHER_JPEG, "image/jpeg")

    def send(picture: Thumbnail) -> dict[str, Any]:
        beat(db, clock, **link.thumbnail_fields(picture))
        up.deliver_due()
        clock.advance(300)
        return hq.heartbeats()[-1]

    with serving(hq, free_port()) as server:
        up = make_uploader(db, writer, server.url_for(""), link, clock)
        try:
            first = send(board)
            again = send(board)  # same screen: the hash only
            changed = send(other)
            hq.want_thumbnail = True  # HQ lost it (or was restored from a backup)
            asked = send(other)  # this ack asks for it...
            hq.want_thumbnail = False
            resent = send(other)  # ...so the next heartbeat carries it
            settled = send(other)
        finally:
            up.close()
    assert base64.b64decode(first["thumbnail"]["data"]) == JPEG
    assert first["thumbnail_sha256"] == first["thumbnail"]["sha256"] == board.sha256
    assert again["thumbnail"] is None and again["thumbnail_sha256"] == board.sha256
    assert base64.b64decode(changed["thumbnail"]["data"]) == OTHER_JPEG
    assert asked["thumbnail"] is None
    assert resent["thumbnail"]["sha256"] == other.sha256
    assert settled["thumbnail"] is None and settled["thumbnail_sha256"] == other.sha256


def test_an_undelivered_thumbnail_is_sent_again_by_the_next_heartbeat(
    db: Database, writer: Writer
) -> None:
    clock = Clock()
    link = HeartbeatLink()
    picture = Thumbnail(JPEG, "image/jpeg")
    port = free_port()
    up = make_uploader(db, writer, f"http://127.0.0.1:{port}", link, clock)
    try:
        beat(db, clock, **link.thumbnail_fields(picture))
        up.deliver_due()  # HQ down: never acknowledged
        hq = FakeHq()
        with serving(hq, port):
            clock.advance(300)
            beat(db, clock, **link.thumbnail_fields(picture))
            up.deliver_due()
    finally:
        up.close()
    [delivered] = hq.heartbeats()
    assert delivered["thumbnail"]["sha256"] == picture.sha256


# --- the body -------------------------------------------------------------------------------


def test_the_body_is_what_hq_reads(tmp_path: Path, db: Database, writer: Writer) -> None:
    feeds_dir = tmp_path / "feeds"
    feeds_dir.mkdir()
    (feeds_dir / "stores.csv").write_text(
        "store_id,name,region\nS001,Downtown,North\nS002,Airport,North\n", encoding="utf-8"
    )
    specs = (
        FeedSpec(name="stores", kind="stores", url=str(feeds_dir / "stores.csv")),
        FeedSpec(name="metrics", kind="metrics", url=str(feeds_dir / "missing.csv")),
        FeedSpec(name="comments", kind="comments", url=str(feeds_dir / "comments.csv")),
    )
    service = SyncService(db, "S001", specs[:2], writer=writer)
    try:
        service.pull_all()
    finally:
        service.close()
    clock = Clock()
    with db.write.begin() as session:
        enqueue(session, KIND_ENTRY, {"store_id": "S001", "n": 1}, clock())
    link = HeartbeatLink()
    last = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
    with db.read() as session:
        payload = heartbeat_payload(
            session,
            store_id="S001",
            store_name="Downtown",
            app_version="0.1.0",
            feeds=specs,
            database_path=tmp_path / "kiosk.db",
            uptime_seconds=3600.04,
            freshness=FreshnessState(last, stale=True),
            display=DisplayState(False, "outside opening hours"),
            thumbnail=Thumbnail(JPEG, "image/jpeg"),
            link=link,
            now=clock(),
        )
    with db.write.begin() as session:
        key = replace_heartbeat(session, payload, clock())
    [row] = rows(db, KIND_HEARTBEAT)
    body = json.loads(row.payload_json)
    assert set(body) == {
        "kind",
        "schema_version",
        "store_id",
        "idempotency_key",
        "sent_at",
        "app_version",
        "store_name",
        "region",
        "uptime_seconds",
        "feeds",
        "freshness",
        "display",
        "outbox",
        "database_bytes",
        "free_disk_bytes",
        "clock_offset_seconds",
        "thumbnail",
        "thumbnail_sha256",
    }
    parsed = parse_heartbeat(body, envelope(body, key, ("heartbeat",)))
    assert parsed.store_id == "S001" and parsed.region == "North"
    assert parsed.sent_at == clock() and parsed.uptime_seconds == 3600.0
    by_name = {feed.name: feed for feed in parsed.feeds}
    assert [feed.name for feed in parsed.feeds] == ["stores", "metrics", "comments"]
    assert by_name["stores"].status == "ok" and by_name["stores"].last_success is not None
    assert by_name["metrics"].status == "error" and "missing.csv" in by_name["metrics"].error
    assert by_name["comments"].status == "never" and by_name["comments"].last_attempt is None
    assert parsed.data_last_success == last and parsed.data_stale is True
    assert (parsed.display_on, parsed.display_reason) == (False, "outside opening hours")
    assert (parsed.outbox_pending, parsed.outbox_oldest) == (1, clock())
    assert parsed.database_bytes is not None and parsed.database_bytes > 0
    assert parsed.free_disk_bytes is not None and parsed.free_disk_bytes > 0
    assert parsed.clock_offset_seconds is None  # no acknowledgement yet
    assert parsed.thumbnail is not None and parsed.thumbnail.data == JPEG
    assert parsed.thumbnail_sha256 == parsed.thumbnail.sha256


def test_a_thumbnail_over_40_kb_is_left_out_rather_than_risk_the_heartbeat(
    tmp_path: Path, db: Database
) -> None:
    huge = Thumbnail(JPEG[:-2] + bytes(50_000) + b"\xff\xd9", "image/jpeg")
    with db.read() as session:
        payload = heartbeat_payload(
            session,
            store_id="S001",
            store_name=None,
            app_version="0.1.0",
            feeds=(),
            database_path=tmp_path / "kiosk.db",
            uptime_seconds=1,
            freshness=FreshnessState(None, stale=False),
            display=DisplayState(True),
            thumbnail=huge,
            link=HeartbeatLink(),
            now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        )
    assert payload["thumbnail"] is None and payload["thumbnail_sha256"] is None
