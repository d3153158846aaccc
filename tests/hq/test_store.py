"""The store layer on SQLite and on a real PostgreSQL server (every test runs on both)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from hq.store import reads
from hq.store.database import VERSION_TABLE, Database
from hq.store.models import Base, CurrentEntry, Entry, HeartbeatRecord, Shoutout, Store
from hq.store.writes import Applied, HistoryBound, ingest_heartbeat, ingest_upload, mint_token
from hq.wire import envelope, parse_heartbeat, parse_upload
from tests.hq import helpers as h

BOUND = HistoryBound(window=dt.timedelta(hours=24), max_rows=2000)


def upload(body: dict[str, Any]) -> Any:
    return parse_upload(body, envelope(body, body["idempotency_key"], (body["kind"],)))


def beat(body: dict[str, Any]) -> Any:
    return parse_heartbeat(body, envelope(body, body["idempotency_key"], ("heartbeat",)))


def test_the_migrations_build_exactly_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert context.get_current_revision() == "0001_initial"
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_an_upload_is_applied_once(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    item = upload(h.entry())
    assert ingest_upload(db, item, h.T0) == Applied()
    assert ingest_upload(db, item, h.T0) == Applied(duplicate=True)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 1


def race(db: Database, item: Any, copies: int) -> list[Applied]:
    """`copies` threads apply the same item at the same moment."""
    start = threading.Barrier(copies)
    outcomes: list[Applied] = []
    errors: list[BaseException] = []

    def send() -> None:
        start.wait()
        try:
            outcomes.append(ingest_upload(db, item, h.T0))
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


def test_copies_of_one_upload_racing_each_other_apply_once(db: Database) -> None:
    """On PostgreSQL the copies really overlap: the unique key lets one in, the rest are
    answered as repeats (SQLite's write lock queues them instead)."""
    mint_token(db, "S001", h.T0)
    for _ in range(5):
        outcomes = race(db, upload(h.entry()), copies=4)
        assert sorted(o.duplicate for o in outcomes) == [False, True, True, True]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 5


def test_the_latest_entered_at_is_current_whatever_the_arrival_order(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    earlier = h.entry(value=100, entered_at=h.iso(h.T0))
    later = h.entry(value=150, previous_value=100, entered_at=h.iso(h.T0 + dt.timedelta(minutes=5)))
    other_day = h.entry(value=7, date="2026-11-23")
    for body in (later, earlier, other_day):  # the correction arrives first
        ingest_upload(db, upload(body), h.T0)
    with db.read() as session:
        rows = list(reads.current_entries(session))
        assert session.scalar(select(func.count()).select_from(Entry)) == 3
    assert rows == [
        ("S001", dt.date(2026, 11, 23), "sales", 7.0),
        ("S001", dt.date(2026, 11, 24), "sales", 150.0),
    ]


def test_an_entry_tie_on_entered_at_is_settled_by_key_not_arrival(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    low = h.entry(value=1, idempotency_key="00000000-0000-4000-8000-000000000001")
    high = h.entry(value=2, idempotency_key="ffffffff-0000-4000-8000-000000000001")
    ingest_upload(db, upload(high), h.T0)
    ingest_upload(db, upload(low), h.T0)
    with db.read() as session:
        current = session.get(CurrentEntry, ("S001", dt.date(2026, 11, 24), "sales"))
        assert current is not None and current.value == 2


def test_a_deletion_that_arrives_first_applies_when_its_shoutout_arrives(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    shout = h.shoutout()
    deletion = h.shoutout_deleted(shout)
    ingest_upload(db, upload(deletion), h.T0)
    ingest_upload(db, upload(shout), h.T0)
    with db.read() as session:
        row = session.scalars(select(Shoutout)).one()
    assert row.deleted_at == h.T0 + dt.timedelta(hours=1)


def test_a_deletion_without_the_shoutout_key_matches_by_local_id(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    shout = h.shoutout(shoutout_id=3)
    ingest_upload(db, upload(shout), h.T0)
    ingest_upload(db, upload(h.shoutout_deleted(shout, shoutout_key=None)), h.T0)
    with db.read() as session:
        assert session.scalars(select(Shoutout)).one().deleted_at is not None


def test_a_deletion_never_touches_another_stores_shoutout(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    mint_token(db, "S002", h.T0)
    shout = h.shoutout("S001")
    ingest_upload(db, upload(shout), h.T0)
    ingest_upload(db, upload(h.shoutout_deleted(shout, store_id="S002")), h.T0)
    with db.read() as session:
        assert session.scalars(select(Shoutout)).one().deleted_at is None


def _history(db: Database, store_id: str = "S001") -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(HeartbeatRecord.idempotency_key)
                .where(HeartbeatRecord.store_id == store_id)
                .order_by(HeartbeatRecord.id)
            )
        )


def test_heartbeat_history_keeps_at_most_max_rows_per_store(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    mint_token(db, "S002", h.T0)
    bound = HistoryBound(window=dt.timedelta(hours=24), max_rows=5)
    sent = []
    for _ in range(12):  # all at the same instant: ties on received_at must not break the cap
        body = h.heartbeat()
        sent.append(body["idempotency_key"])
        ingest_heartbeat(db, beat(body), h.T0, bound)
    ingest_heartbeat(db, beat(h.heartbeat("S002")), h.T0, bound)
    assert _history(db) == sent[-5:]
    assert len(_history(db, "S002")) == 1
    assert _counted(db, "S001") == 5 and _counted(db, "S002") == 1


def _counted(db: Database, store_id: str) -> int:
    """The store's own count of its history rows (what the cap is checked against)."""
    with db.read() as session:
        store = session.get(Store, store_id)
        assert store is not None
        return store.history_rows


def test_heartbeat_history_drops_what_is_older_than_the_window(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    bound = HistoryBound(window=dt.timedelta(hours=24), max_rows=2000)
    old = h.heartbeat()
    ingest_heartbeat(db, beat(old), h.T0, bound)
    ingest_heartbeat(db, beat(h.heartbeat()), h.T0 + dt.timedelta(hours=23), bound)
    assert old["idempotency_key"] in _history(db)
    new = h.heartbeat()
    ingest_heartbeat(db, beat(new), h.T0 + dt.timedelta(hours=24, minutes=1), bound)
    kept = _history(db)
    assert old["idempotency_key"] not in kept and len(kept) == 2
    assert _counted(db, "S001") == 2
    with db.read() as session:
        store = session.get(Store, "S001")
        assert store is not None and store.last_seen == h.T0 + dt.timedelta(hours=24, minutes=1)


def test_a_heartbeat_updates_the_stores_latest_state(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    body = h.heartbeat(
        store_name="Downtown",
        region="South",
        feeds=[h.feed("metrics", "error", "HTTP 503 from hq.example.com"), h.feed("comments")],
        display={"on": False, "reason": "outside opening hours"},
        thumbnail=h.thumbnail(h.WEBP, "image/webp"),
        thumbnail_sha256=h.thumbnail(h.WEBP, "image/webp")["sha256"],
    )
    outcome = ingest_heartbeat(db, beat(body), h.T0, BOUND)
    assert outcome == Applied()  # HQ has the screen the kiosk shows: no need to send it again
    with db.read() as session:
        [summary] = reads.fleet(session)
        stored = reads.thumbnail(session, "S001")
    assert (summary.name, summary.region, summary.failing_feeds) == ("Downtown", "South", 1)
    assert summary.problem == "feed metrics failing: HTTP 503 from hq.example.com"
    assert summary.display_on is False
    assert summary.last_seen == h.T0 and summary.last_seen.tzinfo is not None
    assert stored is not None and stored.data == h.WEBP and stored.media_type == "image/webp"


def test_a_repeated_heartbeat_is_kept_once_and_counted_once(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    body = beat(h.heartbeat())
    assert ingest_heartbeat(db, body, h.T0, BOUND) == Applied()
    assert ingest_heartbeat(db, body, h.T0, BOUND) == Applied(duplicate=True)
    assert len(_history(db)) == 1 and _counted(db, "S001") == 1


def test_hq_asks_for_a_thumbnail_it_does_not_have(db: Database) -> None:
    mint_token(db, "S001", h.T0)
    shown = h.thumbnail()["sha256"]
    assert ingest_heartbeat(db, beat(h.heartbeat(thumbnail_sha256=shown)), h.T0, BOUND) == Applied(
        want_thumbnail=True
    )


def test_a_token_finds_its_store_until_replaced(db: Database) -> None:
    old = mint_token(db, "S001", h.T0)
    with db.read() as session:
        assert reads.store_for_token(session, old) == "S001"
    new = mint_token(db, "S001", h.T0)
    with db.read() as session:
        assert reads.store_for_token(session, old) is None
        assert reads.store_for_token(session, new) == "S001"
