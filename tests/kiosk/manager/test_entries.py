"""Manager entries and shout-outs: validation, one-transaction saves, audit, outbox, the board."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from kiosk.board.scoreboard import build_scoreboard
from kiosk.board.snapshot import load_shoutouts
from kiosk.manager.entries import (
    AuditRow,
    HistoryRow,
    SavedEntry,
    ValidationError,
    active_shoutouts,
    add_shoutout,
    audit_trail,
    delete_shoutout,
    entry_history,
    entry_rows_for_day,
    history_max,
    save_entry,
    validate_entry_value,
    validate_shoutout_text,
)
from sync.store.db import Database, open_database
from sync.store.models import EntryAudit, ManagerEntry, Outbox, ShoutOut
from tests.kiosk.factories import catalog, insert, values

D = dt.date
DAY = D(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=7)


@pytest.fixture
def db(db: Database) -> Database:
    insert(
        db,
        catalog("sales", position=0, unit="$", decimals=2, entry=True),
        catalog("nps", position=1, entry=False),
        catalog("training", position=2, unit="h", decimals=1, entry=True),
    )
    return db


def save(db: Database, value: float | str, *, day: D = DAY, now: dt.datetime = NOW, **kw):
    with db.write.begin() as session:
        return save_entry(session, "S001", "sales", day, value, now, **kw)


def rows(db: Database, model: type) -> list:
    with db.read() as session:
        return list(session.scalars(select(model)))


def outbox_bodies(db: Database) -> list[dict]:
    with db.read() as session:
        return [
            json.loads(row.payload_json)
            for row in session.scalars(select(Outbox).order_by(Outbox.id))
        ]


# --- validation on the pad ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "decimals", "message"),
    [
        ("", 2, "Type a number"),
        (".", 2, "Type a number"),
        ("12a", 2, "Type a number (digits and one decimal point)"),
        ("1.2.3", 2, "Type a number (digits and one decimal point)"),
        ("1e5", 2, "Type a number (digits and one decimal point)"),
        ("NaN", 2, "Type a number (digits and one decimal point)"),
        ("-5", 2, "Must not be negative"),
        ("1.234", 2, "Use at most 2 decimals"),
        ("1.25", 1, "Use at most 1 decimal"),
        ("1.5", 0, "Use a whole number (no decimals)"),
        ("1000000001", 0, "That is too large (at most 1,000,000,000)"),
        ("1" * 25, 0, "That number is too long"),
    ],
)
def test_pad_validation_messages(typed: str, decimals: int, message: str) -> None:
    result = validate_entry_value(typed, decimals)
    assert isinstance(result, ValidationError)
    assert result.message == message and not result.can_override


@pytest.mark.parametrize(
    ("typed", "decimals", "value"),
    [("0", 0, 0.0), ("1234.5", 2, 1234.5), ("1.20", 1, 1.2), (".5", 1, 0.5), ("7.", 0, 7.0)],
)
def test_pad_accepts(typed: str, decimals: int, value: float) -> None:
    assert validate_entry_value(typed, decimals) == value


def test_pad_outlier_check_can_be_overridden() -> None:
    result = validate_entry_value("1001", 0, history_max=10)
    assert isinstance(result, ValidationError) and result.can_override
    assert result.message == "That is more than 100× the biggest day on record — check the number"
    assert validate_entry_value("1000", 0, history_max=10) == 1000
    assert validate_entry_value("1001", 0, history_max=10, allow_outlier=True) == 1001
    assert validate_entry_value("1001", 0, history_max=None) == 1001  # no record yet


# --- saving -------------------------------------------------------------------------------


def test_save_writes_entry_audit_and_outbox(db: Database) -> None:
    saved = save(db, "1234.50")
    assert isinstance(saved, SavedEntry)
    assert saved.changed and saved.value == 1234.5 and saved.previous_value is None

    [entry] = rows(db, ManagerEntry)
    assert (entry.store_id, entry.metric, entry.day, entry.value) == ("S001", "sales", DAY, 1234.5)
    assert entry.entered_at == NOW
    [audit] = rows(db, EntryAudit)
    assert (audit.old_value, audit.new_value, audit.at) == (None, 1234.5, NOW)

    [item] = rows(db, Outbox)
    assert item.kind == "entry" and item.idempotency_key == saved.idempotency_key
    assert item.sent_at is None and item.attempts == 0 and item.next_attempt_at == NOW
    assert json.loads(item.payload_json) == {
        "kind": "entry",
        "schema_version": 1,
        "store_id": "S001",
        "metric": "sales",
        "date": "2026-03-02",
        "value": 1234.5,
        "previous_value": None,
        "entered_at": "2026-03-02T15:30:00.000000+00:00",
        "idempotency_key": saved.idempotency_key,
    }


def test_a_correction_is_another_entry_and_the_audit_keeps_both(db: Database) -> None:
    first = save(db, "120")
    second = save(db, "102", now=LATER)
    assert isinstance(first, SavedEntry) and isinstance(second, SavedEntry)
    assert second.previous_value == 120 and second.value == 102

    [entry] = rows(db, ManagerEntry)
    assert entry.value == 102 and entry.entered_at == LATER
    with db.read() as session:
        trail = audit_trail(session, "S001", "sales", DAY)
    assert trail == [
        AuditRow("sales", DAY, None, 120, NOW),
        AuditRow("sales", DAY, 120, 102, LATER),
    ]
    bodies = outbox_bodies(db)
    assert [(b["value"], b["previous_value"]) for b in bodies] == [(120, None), (102, 120)]
    assert bodies[0]["idempotency_key"] != bodies[1]["idempotency_key"]


def test_saving_the_same_value_again_writes_nothing(db: Database) -> None:
    save(db, "99")
    again = save(db, 99.0, now=LATER)
    assert isinstance(again, SavedEntry) and not again.changed and again.idempotency_key is None
    assert len(rows(db, EntryAudit)) == 1 and len(rows(db, Outbox)) == 1


def test_entry_audit_and_outbox_commit_together_or_not_at_all(db: Database) -> None:
    save(db, "100")
    # A real database failure on the outbox insert, after the entry and audit rows were
    # written in the same transaction (a full disk would look the same to the code).
    with db.write.begin() as session:
        session.execute(
            text(
                "CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox "
                "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
            )
        )
    with pytest.raises(DBAPIError, match="simulated failure"):
        save(db, "250", now=LATER)
    [entry] = rows(db, ManagerEntry)
    assert entry.value == 100  # the correction did not half-happen
    assert len(rows(db, EntryAudit)) == 1 and len(rows(db, Outbox)) == 1

    with db.write.begin() as session:
        session.execute(text("DROP TRIGGER outbox_fails"))
    # And a failure in the caller after save_entry, in the same transaction.
    with pytest.raises(RuntimeError), db.write.begin() as session:
        save_entry(session, "S001", "sales", DAY, "300", LATER)
        raise RuntimeError("the screen crashed before commit")
    assert rows(db, ManagerEntry)[0].value == 100
    assert len(rows(db, EntryAudit)) == 1 and len(rows(db, Outbox)) == 1


def test_a_failed_first_entry_leaves_no_row(db: Database) -> None:
    with db.write.begin() as session:
        session.execute(
            text(
                "CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox "
                "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
            )
        )
    with pytest.raises(DBAPIError):
        save(db, "100")
    assert rows(db, ManagerEntry) == [] and rows(db, EntryAudit) == [] and rows(db, Outbox) == []


def test_save_validates_against_the_catalog(db: Database) -> None:
    with db.write.begin() as session:
        unknown = save_entry(session, "S001", "nope", DAY, 1, NOW)
        from_hq = save_entry(session, "S001", "nps", DAY, 1, NOW)
        decimals = save_entry(session, "S001", "training", DAY, 1.25, NOW)
        negative = save_entry(session, "S001", "sales", DAY, -1.0, NOW)
        nan = save_entry(session, "S001", "sales", DAY, float("nan"), NOW)
        future = save_entry(session, "S001", "sales", DAY + dt.timedelta(days=2), 1, NOW)
    said = [
        error.message if isinstance(error, ValidationError) else error
        for error in (unknown, from_hq, decimals, negative, nan, future)
    ]
    assert said == [
        "Unknown metric 'nope'",
        "Nps comes from HQ; it is not typed in at the store",
        "Use at most 1 decimal",
        "Must not be negative",
        "Type a number",
        "That day has not started yet",
    ]
    assert rows(db, ManagerEntry) == [] and rows(db, Outbox) == []


def test_outlier_against_the_stores_own_record(db: Database) -> None:
    insert(
        db,
        values("S001", "sales", {DAY - dt.timedelta(days=3): 500, D(2025, 1, 1): 99_999}),
        values("S002", "sales", {DAY - dt.timedelta(days=1): 1_000_000}),  # another store
    )
    with db.read() as session:
        assert history_max(session, "S001", "sales", DAY) == 500

    too_big = save(db, "50001")
    assert isinstance(too_big, ValidationError) and too_big.can_override
    assert "100×" in too_big.message
    assert isinstance(save(db, "50000"), SavedEntry)
    # The day's own (wrong) value is not the yardstick when correcting it.
    with db.read() as session:
        assert history_max(session, "S001", "sales", DAY) == 500
    confirmed = save(db, "60000", allow_outlier=True)
    assert isinstance(confirmed, SavedEntry) and confirmed.value == 60000


# --- the board and the history ------------------------------------------------------------


def test_board_shows_the_entry_until_hq_has_its_own_value(db: Database) -> None:
    save(db, "640.25")
    with db.read() as session:
        [sales] = [m for m in build_scoreboard(session, "S001", DAY).metrics if m.metric == "sales"]
    assert (sales.actual, sales.source) == (640.25, "store")

    insert(db, values("S001", "sales", {DAY: 700}))
    with db.read() as session:
        [sales] = [m for m in build_scoreboard(session, "S001", DAY).metrics if m.metric == "sales"]
    assert (sales.actual, sales.source) == (700, "hq")  # HQ wins over the entry


def test_entry_history_and_rows_for_a_day(db: Database) -> None:
    yesterday = DAY - dt.timedelta(days=1)
    save(db, "10", day=yesterday)
    save(db, "20")
    insert(db, values("S001", "sales", {DAY - dt.timedelta(days=3): 30, yesterday: 11}))
    with db.read() as session:
        history = entry_history(session, "S001", "sales", DAY, 7)
        day_rows = entry_rows_for_day(session, "S001", yesterday)
    assert len(history) == 7 and history[0].day == DAY and history[-1].day == DAY - dt.timedelta(6)
    assert history[:4] == [
        HistoryRow(DAY, 20, "store"),
        HistoryRow(yesterday, 11, "hq"),
        HistoryRow(DAY - dt.timedelta(days=2), None, None),
        HistoryRow(DAY - dt.timedelta(days=3), 30, "hq"),
    ]
    assert [(r.metric, r.value, r.source, r.decimals) for r in day_rows] == [
        ("sales", 11, "hq", 2),
        ("training", None, None, 1),
    ]


# --- shout-outs ---------------------------------------------------------------------------


def test_shoutout_is_saved_shown_and_queued(db: Database) -> None:
    with db.write.begin() as session:
        new_id = add_shoutout(
            session, "S001", "  Maria:\n five-star   review  ", day=DAY, now=NOW, days=7
        )
    assert isinstance(new_id, int)
    [row] = rows(db, ShoutOut)
    assert row.text == "Maria: five-star review"
    assert (row.day, row.until, row.deleted) == (DAY, DAY + dt.timedelta(days=6), False)
    with db.read() as session:
        assert [r.title for r in load_shoutouts(session, "S001", DAY + dt.timedelta(6))] == [
            "Maria: five-star review"
        ]
        assert load_shoutouts(session, "S001", DAY + dt.timedelta(7)) == ()
    [body] = outbox_bodies(db)
    assert body["kind"] == "shoutout" and body["shoutout_id"] == new_id
    assert (body["text"], body["day"], body["until"]) == (
        "Maria: five-star review",
        "2026-03-02",
        "2026-03-08",
    )


def test_deleting_a_shoutout_hides_it_and_tells_hq(db: Database) -> None:
    with db.write.begin() as session:
        new_id = add_shoutout(session, "S001", "Team: spotless store", day=DAY, now=NOW, days=3)
    assert isinstance(new_id, int)
    with db.write.begin() as session:
        assert delete_shoutout(session, new_id, LATER)
    with db.write.begin() as session:
        assert not delete_shoutout(session, new_id, LATER)  # already gone: nothing queued
        assert not delete_shoutout(session, 999, LATER)
    with db.read() as session:
        assert load_shoutouts(session, "S001", DAY) == ()
        assert active_shoutouts(session, "S001", DAY) == []
    [row] = rows(db, ShoutOut)
    assert row.deleted  # kept, marked deleted
    created, deleted = outbox_bodies(db)
    assert deleted["kind"] == "shoutout_deleted" and deleted["shoutout_id"] == new_id
    assert deleted["shoutout_key"] == created["idempotency_key"]


def test_active_shoutouts_lists_ids_for_the_delete_screen(db: Database) -> None:
    with db.write.begin() as session:
        old = add_shoutout(session, "S001", "Old one", day=DAY - dt.timedelta(5), now=NOW, days=2)
        new = add_shoutout(session, "S001", "New one", day=DAY, now=LATER, days=1)
    with db.read() as session:
        assert [(r.id, r.text) for r in active_shoutouts(session, "S001", DAY)] == [
            (new, "New one")
        ]
    assert isinstance(old, int)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("   \n ", "Type a shout-out"),
        ("x" * 201, "Keep it to 200 characters (this one has 201)"),
        ("bell \x07 here", "Use plain text only"),
    ],
)
def test_shoutout_text_validation(db: Database, typed: str, message: str) -> None:
    refused = validate_shoutout_text(typed)
    assert isinstance(refused, ValidationError) and refused.message == message
    with db.write.begin() as session:
        result = add_shoutout(session, "S001", typed, day=DAY, now=NOW, days=7)
    assert result == refused
    assert rows(db, ShoutOut) == [] and rows(db, Outbox) == []


def test_shoutout_text_edges() -> None:
    assert validate_shoutout_text("x" * 200) == "x" * 200
    # Looks like HTML, stays text (the screens render it with Qt.PlainText).
    assert validate_shoutout_text("<b>Ana</b> 👩‍🍳 ⭐") == "<b>Ana</b> 👩‍🍳 ⭐"


# --- kiosk status -------------------------------------------------------------------------


def test_kiosk_status_shows_the_outbox(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[store]\nid = "S001"\nname = "Downtown"\ntimezone = "America/Chicago"\n')
    db = open_database(tmp_path / "var" / "kiosk.db")
    try:
        insert(db, catalog("sales", decimals=2, entry=True))
        save(db, "12.5")
    finally:
        db.dispose()

    def status(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "status", *args, "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    outbox = json.loads(status("--json"))["outbox"]
    assert outbox == {
        "pending": 1,
        "oldest": "2026-03-02T09:30:00-06:00",  # store time, with offset
        "last_error": None,
        "upload": "off",
    }
    assert (
        "outbox         1 waiting for HQ, oldest since 2026-03-02T09:30:00-06:00  "
        "(uploads off: no [hq] url)"
    ) in status()
