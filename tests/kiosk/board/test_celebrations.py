"""Goal-met celebrations: once per goal and period, never after a restart, a re-sync or a
correction; silently recorded when already met at start. Pure rules first, then the real
database (the `celebrated` table through the single writer) and the snapshot path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.board.celebrations import (
    CelebrationDetector,
    goal_of,
    load_celebrated,
    record_celebrated,
)
from kiosk.board.model import GoalPeriod, MetricEntry, Scoreboard
from kiosk.board.snapshot import load_snapshot
from kiosk.config import parse_config
from sync.store.models import Celebrated, MetricValue
from sync.store.writer import Writer
from tests.kiosk.factories import catalog, insert, target, values

D = dt.date
TUE = D(2024, 5, 14)
NOW = dt.datetime(2024, 5, 14, 17, 0, tzinfo=dt.UTC)


def entry(
    metric: str = "sales",
    period: str = "day",
    actual: float | None = 90,
    target_value: float | None = 100,
    status: str | None = None,
) -> MetricEntry:
    if status is None and actual is not None and target_value is not None:
        status = "met" if actual >= target_value else "behind"
    return MetricEntry(
        metric=metric,
        label=metric.title(),
        perspective="financial",
        period=period,  # type: ignore[arg-type]
        actual=actual,
        target=target_value,
        percent=None,
        pace=None,
        status=status,  # type: ignore[arg-type]
        source="hq" if actual is not None else None,
    )


def board(*entries: MetricEntry, day: dt.date = TUE) -> Scoreboard:
    return Scoreboard("S001", day, entries)


# --- the rules, without a database ---------------------------------------------------------


def test_below_to_met_fires_once():
    detector = CelebrationDetector()
    assert detector.observe(board(entry(actual=90))).celebrate == ()
    seen = detector.observe(board(entry(actual=120)))
    assert [e.metric for e in seen.celebrate] == ["sales"]
    assert seen.record == (GoalPeriod("sales", "day", TUE),)
    again = detector.observe(board(entry(actual=130)))
    assert again.celebrate == () and again.record == ()


def test_first_snapshot_after_start_records_silently():
    detector = CelebrationDetector()
    first = detector.observe(board(entry(actual=120), entry("csat", actual=50)))
    assert first.celebrate == ()
    assert first.record == (GoalPeriod("sales", "day", TUE),)
    assert detector.started


def test_correction_below_and_back_does_not_fire_twice():
    detector = CelebrationDetector()
    detector.observe(board(entry(actual=90)))
    assert detector.observe(board(entry(actual=110))).celebrate  # the moment
    assert detector.observe(board(entry(actual=95))).celebrate == ()  # corrected below
    assert detector.observe(board(entry(actual=105))).celebrate == ()  # met again: no


def test_a_new_period_fires_again():
    detector = CelebrationDetector()
    detector.observe(board(entry(actual=90)))
    assert detector.observe(board(entry(actual=110))).celebrate
    wed = TUE + dt.timedelta(days=1)
    detector.observe(board(entry(actual=10), day=wed))  # a new day, below its goal
    seen = detector.observe(board(entry(actual=110), day=wed))
    assert [goal_of(e, wed) for e in seen.celebrate] == [GoalPeriod("sales", "day", wed)]


def test_week_and_month_goals_are_keyed_by_their_start():
    detector = CelebrationDetector()
    detector.observe(board(entry(period="week", actual=50), entry(period="month", actual=50)))
    seen = detector.observe(
        board(entry(period="week", actual=150), entry(period="month", actual=150))
    )
    assert {goal_of(e, TUE) for e in seen.celebrate} == {
        GoalPeriod("sales", "week", D(2024, 5, 13)),
        GoalPeriod("sales", "month", D(2024, 5, 1)),
    }
    # Later in the same week and month: the same goals, nothing to celebrate.
    fri = D(2024, 5, 17)
    detector.observe(board(entry(period="week", actual=50), entry(period="month", actual=50)))
    later = detector.observe(
        board(entry(period="week", actual=150), entry(period="month", actual=150), day=fri)
    )
    assert later.celebrate == ()


def test_no_number_yet_counts_as_below():
    """The manager's first entry of the day can meet a goal: that is a moment."""
    detector = CelebrationDetector()
    detector.observe(board(entry(actual=None)))
    assert detector.observe(board(entry(actual=100))).celebrate


def test_a_goal_that_appears_already_met_is_recorded_silently():
    """A fresh install's first sync brings numbers, then targets: nothing 'just' happened."""
    detector = CelebrationDetector()
    detector.observe(board())  # empty database at start
    detector.observe(board(entry(target_value=None)))  # metrics arrived, no goal yet
    seen = detector.observe(board(entry(actual=120)))  # targets arrived
    assert seen.celebrate == ()
    assert seen.record == (GoalPeriod("sales", "day", TUE),)


def test_stored_goals_never_fire():
    """A restart: a new detector, with what the database already holds."""
    stored = {GoalPeriod("sales", "day", TUE)}
    detector = CelebrationDetector()
    detector.observe(board(entry(actual=90)), stored)  # corrected below before the restart
    seen = detector.observe(board(entry(actual=110)), stored)
    assert seen.celebrate == () and seen.record == ()


def test_several_goals_at_once_keep_scoreboard_order():
    detector = CelebrationDetector()
    detector.observe(board(entry("a", actual=1), entry("b", actual=1), entry("c", actual=1)))
    seen = detector.observe(
        board(entry("a", actual=100), entry("b", actual=1), entry("c", actual=100))
    )
    assert [e.metric for e in seen.celebrate] == ["a", "c"]


# --- with the database ---------------------------------------------------------------------


def make_config(tmp_path: Path):
    return parse_config(
        {
            "store": {"id": "S001", "name": "Downtown", "timezone": "America/Chicago"},
            "feeds": [{"name": "metrics", "kind": "metrics", "url": "m.csv"}],
        },
        tmp_path / "config.toml",
    )


@pytest.fixture
def writer():
    w = Writer()
    yield w
    w.shutdown()


def set_sales(db, value: float, day: dt.date = TUE) -> None:
    """What a pull does: upsert today's value (a re-sync writes the same row again)."""
    with db.write.begin() as session:
        session.execute(
            sqlite_insert(MetricValue)
            .values(store_id="S001", metric="sales", day=day, value=value, feed="metrics")
            .on_conflict_do_update(
                index_elements=["store_id", "metric", "day"], set_={"value": value}
            )
        )


class Kiosk:
    """The controller's loop, without Qt: read a snapshot, observe, record on the writer."""

    def __init__(self, db, config, writer) -> None:
        self.db, self.config, self.writer = db, config, writer
        self.detector = CelebrationDetector()

    def look(self, day: dt.date = TUE) -> list[str]:
        snapshot = load_snapshot(self.db, self.config, day, NOW)
        seen = self.detector.observe(snapshot.scoreboard, snapshot.celebrated)
        if seen.record:
            self.writer.submit(record_celebrated, self.db, "S001", seen.record, NOW).result()
        return [f"{e.metric}/{e.period}" for e in seen.celebrate]


@pytest.fixture
def store_db(db):
    insert(
        db,
        catalog("sales", unit="$"),
        target("S001", "sales", "day", TUE, 1000),
        target("S001", "sales", "day", TUE + dt.timedelta(days=1), 1000),
        values("S001", "sales", {TUE: 900}),
    )
    return db


def test_database_flow_fires_once_and_survives_a_restart(store_db, tmp_path, writer):
    config = make_config(tmp_path)
    kiosk = Kiosk(store_db, config, writer)
    assert kiosk.look() == []  # start: below goal
    set_sales(store_db, 1200)
    assert kiosk.look() == ["sales/day"]
    set_sales(store_db, 1200)  # a re-sync of the same feed
    assert kiosk.look() == []
    set_sales(store_db, 950)  # HQ corrects it below the goal...
    assert kiosk.look() == []

    restarted = Kiosk(store_db, config, writer)  # a restart while below
    assert restarted.look() == []
    set_sales(store_db, 1100)  # ...and back above: not a second celebration
    assert restarted.look() == []

    with store_db.read() as session:
        rows = session.execute(select(Celebrated)).scalars().all()
    assert [(r.store_id, r.metric, r.period, r.start) for r in rows] == [
        ("S001", "sales", "day", TUE)
    ]
    assert rows[0].at == NOW


def test_database_flow_a_new_day_celebrates_again(store_db, tmp_path, writer):
    kiosk = Kiosk(store_db, make_config(tmp_path), writer)
    kiosk.look()
    set_sales(store_db, 1200)
    assert kiosk.look() == ["sales/day"]
    wed = TUE + dt.timedelta(days=1)
    assert kiosk.look(wed) == []  # no number yet on Wednesday
    set_sales(store_db, 1300, wed)
    assert kiosk.look(wed) == ["sales/day"]


def test_met_at_start_is_recorded_and_not_celebrated_after_a_restart(store_db, tmp_path, writer):
    set_sales(store_db, 1500)
    config = make_config(tmp_path)
    assert Kiosk(store_db, config, writer).look() == []  # already met at start: silent
    again = Kiosk(store_db, config, writer)
    set_sales(store_db, 10)
    assert again.look() == []
    set_sales(store_db, 1500)
    assert again.look() == []


def test_record_keeps_the_first_time_and_counts_new_rows(db):
    goal = GoalPeriod("sales", "week", D(2024, 5, 13))
    assert record_celebrated(db, "S001", [goal], NOW) == 1
    later = NOW + dt.timedelta(hours=2)
    assert record_celebrated(db, "S001", [goal, GoalPeriod("x", "day", TUE)], later) == 1
    assert record_celebrated(db, "S001", [], later) == 0
    with db.read() as session:
        at = session.scalar(select(Celebrated.at).where(Celebrated.metric == "sales"))
    assert at == NOW


def test_load_celebrated_returns_only_the_periods_holding_the_day(db):
    record_celebrated(
        db,
        "S001",
        [
            GoalPeriod("sales", "day", TUE),
            GoalPeriod("sales", "day", TUE - dt.timedelta(days=1)),  # yesterday
            GoalPeriod("sales", "week", D(2024, 5, 13)),
            GoalPeriod("sales", "week", D(2024, 5, 6)),  # last week
            GoalPeriod("sales", "month", D(2024, 5, 1)),
            # A day target starting on the 13th is not this week's goal.
            GoalPeriod("csat", "day", D(2024, 5, 13)),
        ],
        NOW,
    )
    record_celebrated(db, "S002", [GoalPeriod("sales", "day", TUE)], NOW)
    with db.read() as session:
        found = load_celebrated(session, "S001", TUE)
    assert found == {
        GoalPeriod("sales", "day", TUE),
        GoalPeriod("sales", "week", D(2024, 5, 13)),
        GoalPeriod("sales", "month", D(2024, 5, 1)),
    }


def test_snapshot_carries_the_stored_goals(store_db, tmp_path):
    record_celebrated(store_db, "S001", [GoalPeriod("sales", "day", TUE)], NOW)
    snapshot = load_snapshot(store_db, make_config(tmp_path), TUE, NOW)
    assert snapshot.celebrated == {GoalPeriod("sales", "day", TUE)}


# --- edges found by mutation testing (docs/mutation.md) --------------------------------------


def test_a_goal_less_entry_before_a_goal_does_not_hide_it():
    detector = CelebrationDetector()
    no_goal = entry("visits", actual=40, target_value=None)
    detector.observe(board(no_goal, entry(actual=90)))
    seen = detector.observe(board(no_goal, entry(actual=120)))
    assert [e.metric for e in seen.celebrate] == ["sales"]


def test_finished_periods_are_forgotten():
    # Months of uptime must not grow the set of goals already met: once a period is over,
    # its goals can never be met again.
    detector = CelebrationDetector()
    for offset in range(40):
        day = TUE + dt.timedelta(days=offset)
        detector.observe(board(entry(actual=120), day=day))
    last = TUE + dt.timedelta(days=39)
    assert detector._known == {
        GoalPeriod("sales", "day", last),
    }


def test_recording_only_stored_goals_counts_none(db):
    goal = GoalPeriod("sales", "day", TUE)
    assert record_celebrated(db, "S001", [goal], NOW) == 1
    assert record_celebrated(db, "S001", [goal], NOW + dt.timedelta(hours=1)) == 0
