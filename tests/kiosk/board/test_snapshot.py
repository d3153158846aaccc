"""The board snapshot: comments, messages, celebration, entries and freshness, in one read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.board.model import CommentView, EntryRow, MessageView, Recognition
from kiosk.board.snapshot import load_snapshot
from kiosk.config import Config, parse_config
from tests.kiosk.factories import (
    catalog,
    comment,
    entries,
    feed_state,
    insert,
    message,
    shoutout,
    store,
    target,
    values,
)

D = dt.date
WED = D(2024, 5, 15)
NOW = dt.datetime(2024, 5, 15, 17, 0, tzinfo=dt.UTC)  # noon in Chicago
CHICAGO = ZoneInfo("America/Chicago")


def make_config(
    tmp_path: Path,
    feeds: list[dict] | None = None,
    stale_after_minutes: float = 120,
    leaderboard: dict | None = None,
) -> Config:
    data = {
        "store": {"id": "S001", "name": "Downtown", "timezone": "America/Chicago"},
        "display": {"stale_after_minutes": stale_after_minutes},
        "leaderboard": leaderboard or {},
        "feeds": [
            {"name": "metrics", "kind": "metrics", "url": "metrics.csv", "every_minutes": 15},
        ]
        if feeds is None
        else feeds,
    }
    return parse_config(data, tmp_path / "config.toml")


def snapshot(db, config, day=WED, now=NOW):
    return load_snapshot(db, config, day, now)


# --- comments -----------------------------------------------------------------------------


def test_comments_of_the_last_14_days_newest_first(db, tmp_path):
    insert(
        db,
        comment("S001", D(2024, 5, 1), "day-14: too old"),
        comment("S001", D(2024, 5, 2), "day-13: oldest shown", rating=4, source="survey"),
        comment("S001", WED, "today, first"),
        comment("S001", D(2024, 5, 10), "middle"),
        comment("S001", WED, "today, second"),
        comment("S001", D(2024, 5, 16), "tomorrow"),
        comment("S002", WED, "another store"),
    )
    snap = snapshot(db, make_config(tmp_path))
    assert snap.comments == (
        CommentView(WED, "today, second", None, None),
        CommentView(WED, "today, first", None, None),
        CommentView(D(2024, 5, 10), "middle", None, None),
        CommentView(D(2024, 5, 2), "day-13: oldest shown", 4, "survey"),
    )


# --- messages and recognitions ------------------------------------------------------------


@pytest.fixture
def messages_db(db):
    insert(
        db,
        message("S001", WED, "starts today"),
        message("*", D(2024, 5, 1), "ends today", end=WED, kind="lesson", body="b"),
        message("S001", D(2024, 5, 16), "starts tomorrow"),
        message("S001", D(2024, 5, 1), "ended yesterday", end=D(2024, 5, 14)),
        message("S002", D(2024, 5, 10), "another store"),
        message("*", D(2024, 5, 10), "open-ended, everyone", kind="story"),
        message("S001", D(2024, 5, 10), "same start, later row", kind="expectation"),
        message("S001", D(2024, 5, 14), "HQ kudos", end=D(2024, 5, 20), kind="recognition"),
        message("*", D(2024, 5, 1), "expired kudos", end=D(2024, 5, 10), kind="recognition"),
        message("S002", WED, "their kudos", kind="recognition"),
        message("*", D(2024, 5, 12), "kudos to all", kind="recognition", body="well done"),
        shoutout("S001", "Maria: 5 stars", WED, WED),
        shoutout("S001", "Sam: spotless", D(2024, 5, 10), D(2024, 5, 20)),
        shoutout("S001", "deleted one", WED, WED, deleted=True),
        shoutout("S001", "tomorrow's", D(2024, 5, 16), D(2024, 5, 20)),
        shoutout("S001", "expired", D(2024, 5, 1), D(2024, 5, 14)),
        shoutout("S002", "other store's", WED, WED),
    )
    return db


def test_messages_in_force(messages_db, tmp_path):
    snap = snapshot(messages_db, make_config(tmp_path))
    assert snap.messages == (
        MessageView("starts today", "", "news", WED, None),
        MessageView("open-ended, everyone", "", "story", D(2024, 5, 10), None),
        MessageView("same start, later row", "", "expectation", D(2024, 5, 10), None),
        MessageView("ends today", "b", "lesson", D(2024, 5, 1), WED),
    )


def test_messages_window_on_the_day_after(messages_db, tmp_path):
    snap = snapshot(messages_db, make_config(tmp_path), day=D(2024, 5, 16))
    assert [m.title for m in snap.messages] == [
        "starts tomorrow",
        "starts today",
        "open-ended, everyone",
        "same start, later row",
    ]


def test_recognitions_go_to_the_celebration(messages_db, tmp_path):
    snap = snapshot(messages_db, make_config(tmp_path))
    assert snap.celebration.recognitions == (
        Recognition("Maria: 5 stars", "", WED, "store"),
        Recognition("HQ kudos", "", D(2024, 5, 14), "hq"),
        Recognition("kudos to all", "well done", D(2024, 5, 12), "hq"),
        Recognition("Sam: spotless", "", D(2024, 5, 10), "store"),
    )
    assert not snap.celebration.is_empty


# --- scoreboard, celebration, entries, leaderboard ----------------------------------------


def test_board_parts(db, tmp_path):
    insert(
        db,
        catalog("sales", position=0, entry=True),
        catalog("traffic", position=1, entry=True, perspective="customer", unit="ppl"),
        catalog("nps", position=2, perspective="customer", decimals=1),
        catalog("ghost", position=3, entry=True, label="Ghost metric"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        target("S001", "sales", "day", WED, 100),
        target("S001", "sales", "month", D(2024, 5, 1), 5000),
        target("S001", "traffic", "day", WED, 50),
        target("S002", "sales", "month", D(2024, 5, 1), 1000),
        values("S001", "sales", {WED: 120, D(2024, 5, 2): 100}),
        entries("S001", "sales", {WED: 95}),
        entries("S001", "traffic", {WED: 40, D(2024, 5, 14): 60}),
        values("S002", "sales", {D(2024, 5, 3): 500}),
    )
    snap = snapshot(db, make_config(tmp_path))
    assert (snap.store_id, snap.store_name, snap.date) == ("S001", "Downtown", WED)
    assert [(m.metric, m.period, m.status) for m in snap.scoreboard.metrics] == [
        ("sales", "day", "met"),
        ("sales", "month", "behind"),
        ("traffic", "day", "behind"),
        ("nps", "day", None),
        ("ghost", "day", None),
    ]
    assert [(m.metric, m.period) for m in snap.celebration.goals_met] == [("sales", "day")]
    # With what the keypad shows beside them: the goal in force (the day's first) and the
    # day before's value.
    assert snap.entries == (
        EntryRow("sales", "Sales", "", 0, WED, 120, "hq", goal=100, goal_period="day"),
        EntryRow("traffic", "Traffic", "ppl", 0, WED, 40, "store", 50, "day", previous=60),
        EntryRow("ghost", "Ghost metric", "", 0, WED, None, None),
    )
    assert snap.leaderboard is not None
    # Ranked by pace: the 15th of a 31-day month.
    assert [(r.rank, r.store_id, r.percent, r.pace) for r in snap.leaderboard.rows] == [
        (1, "S002", 50.0, 103.3),
        (2, "S001", 4.4, 9.1),  # 220 of 5000
    ]
    # How to win today: traffic is 10 short of its day goal (no opening hours: no rate).
    assert [(w.metric, w.kind, w.amount, w.per_hour) for w in snap.to_win] == [
        ("traffic", "to_go", 10.0, None)
    ]


def test_leaderboard_follows_the_config(db, tmp_path):
    insert(
        db,
        catalog("sales"),
        catalog("traffic", position=1),
        store("S001", "Downtown", "North"),
        target("S001", "traffic", "week", D(2024, 5, 13), 100),
        values("S001", "traffic", {WED: 30}),
    )
    config = make_config(tmp_path, leaderboard={"metric": "traffic", "period": "week"})
    board = snapshot(db, config).leaderboard
    assert board is not None
    assert (board.metric, board.period, board.rows[0].percent) == ("traffic", "week", 30.0)


def test_empty_database(db, tmp_path):
    snap = snapshot(db, make_config(tmp_path))
    assert snap.scoreboard.metrics == ()
    assert (snap.comments, snap.messages, snap.entries) == ((), (), ())
    assert snap.leaderboard is None
    assert snap.celebration.is_empty


# --- freshness ----------------------------------------------------------------------------

FEEDS = [
    {"name": "metrics", "kind": "metrics", "url": "m.csv", "every_minutes": 15},
    {"name": "catalog", "kind": "catalog", "url": "c.csv", "every_minutes": 1440},
]


def test_freshness_is_the_oldest_feed_in_store_time(db, tmp_path):
    insert(
        db,
        feed_state("metrics", last_success=NOW - dt.timedelta(minutes=10)),
        # Polled daily: 23 hours is within twice its interval.
        feed_state("catalog", last_success=NOW - dt.timedelta(hours=23), kind="catalog"),
        # Not configured any more: ignored.
        feed_state("retired", last_success=NOW - dt.timedelta(days=300), status="error"),
    )
    fresh = snapshot(db, make_config(tmp_path, FEEDS)).freshness
    assert fresh.last_success == dt.datetime(2024, 5, 14, 13, 0, tzinfo=CHICAGO)
    assert fresh.last_success.utcoffset() == dt.timedelta(hours=-5)
    assert (fresh.stale, fresh.failing_feeds) == (False, ())


@pytest.mark.parametrize(
    ("metrics_age", "catalog_age", "stale"),
    [
        (120, 60, False),  # exactly the display limit: not older than it
        (121, 60, True),
        (60, 2880, False),  # exactly twice the daily interval
        (60, 2881, True),
    ],
)
def test_stale_limits(db, tmp_path, metrics_age, catalog_age, stale):
    insert(
        db,
        feed_state("metrics", last_success=NOW - dt.timedelta(minutes=metrics_age)),
        feed_state("catalog", last_success=NOW - dt.timedelta(minutes=catalog_age)),
    )
    assert snapshot(db, make_config(tmp_path, FEEDS)).freshness.stale is stale


def test_fast_feed_uses_twice_its_interval_when_longer_than_the_display_limit(db, tmp_path):
    feeds = [{"name": "metrics", "kind": "metrics", "url": "m.csv", "every_minutes": 90}]
    insert(db, feed_state("metrics", last_success=NOW - dt.timedelta(minutes=170)))
    assert snapshot(db, make_config(tmp_path, feeds)).freshness.stale is False
    config = make_config(tmp_path, feeds, stale_after_minutes=30)
    assert snapshot(db, config, now=NOW + dt.timedelta(minutes=11)).freshness.stale is True


def test_a_feed_that_never_succeeded_makes_the_board_stale(db, tmp_path):
    insert(
        db,
        feed_state("metrics", last_success=NOW - dt.timedelta(minutes=5)),
        feed_state("catalog", last_success=None, status="error"),
    )
    fresh = snapshot(db, make_config(tmp_path, FEEDS)).freshness
    assert fresh.last_success == NOW - dt.timedelta(minutes=5)
    assert (fresh.stale, fresh.failing_feeds) == (True, ("catalog",))


def test_a_configured_feed_never_pulled_makes_the_board_stale(db, tmp_path):
    insert(db, feed_state("metrics", last_success=NOW - dt.timedelta(minutes=5)))
    fresh = snapshot(db, make_config(tmp_path, FEEDS)).freshness
    assert (fresh.last_success, fresh.stale) == (NOW - dt.timedelta(minutes=5), True)


def test_failing_feed_with_recent_data_is_not_stale(db, tmp_path):
    insert(
        db,
        feed_state("metrics", last_success=NOW - dt.timedelta(minutes=20), status="error"),
        feed_state("catalog", last_success=NOW - dt.timedelta(minutes=20), status="ok"),
    )
    fresh = snapshot(db, make_config(tmp_path, FEEDS)).freshness
    assert (fresh.stale, fresh.failing_feeds) == (False, ("metrics",))


def test_nothing_synced_yet(db, tmp_path):
    fresh = snapshot(db, make_config(tmp_path, FEEDS)).freshness
    assert (fresh.last_success, fresh.stale, fresh.failing_feeds) == (None, True, ())


def test_no_feeds_configured(db, tmp_path):
    insert(db, feed_state("metrics", last_success=NOW - dt.timedelta(days=9)))
    fresh = snapshot(db, make_config(tmp_path, [])).freshness
    assert (fresh.last_success, fresh.stale, fresh.failing_feeds) == (None, False, ())


def test_naive_now_is_rejected(db, tmp_path):
    with pytest.raises(ValueError, match="aware"):
        snapshot(db, make_config(tmp_path), now=dt.datetime(2024, 5, 15, 12))
