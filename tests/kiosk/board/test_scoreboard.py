"""The scoreboard model against docs/cli.md: maths without a database, then the queries."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import pytest

from kiosk.board.scoreboard import (
    CatalogInfo,
    DayValue,
    build_scoreboard,
    compute_entry,
    load_store_data,
)
from kiosk.config import StoreConfig
from tests.kiosk.factories import catalog, entries, insert, target, values

D = dt.date
WED = D(2024, 5, 15)  # week: Mon 13 to Sun 19 (3rd day); month: May, 31 days (15th day)


def hq(by_day: dict[dt.date, float]) -> dict[dt.date, DayValue]:
    return {day: DayValue(value, "hq") for day, value in by_day.items()}


def info(direction: str = "up", aggregate: str = "sum", **kw) -> CatalogInfo:
    return CatalogInfo("m", "M", direction=direction, aggregate=aggregate, **kw)  # type: ignore[arg-type]


# Days in and around the May 15 windows. 14 May has no value; the 12th is last week.
MAY = hq(
    {
        D(2024, 4, 30): 500,  # last month: never counted
        D(2024, 5, 1): 10,
        D(2024, 5, 6): 20,
        D(2024, 5, 12): 30,  # Sunday of the week before
        D(2024, 5, 13): 40,
        D(2024, 5, 15): 50,
        D(2024, 5, 16): 1000,  # after the date: never counted
    }
)
# day: 50 / week: 40, 50 (sum 90, mean 45, last 50) / month: 10..50 (sum 150, mean 30, last 50)


# --- the matrix: aggregate x period x direction -------------------------------------------

MATRIX = [
    # direction, aggregate, period, target, actual, percent, pace, status
    ("up", "sum", "day", 40, 50, 125.0, None, "met"),
    ("up", "mean", "day", 40, 50, 125.0, None, "met"),
    ("up", "last", "day", 60, 50, 83.3, None, "behind"),
    ("up", "sum", "week", 300, 90, 30.0, 70.0, "behind"),  # projected 90 / 3 x 7 = 210
    ("up", "sum", "week", 200, 90, 45.0, 105.0, "on_track"),
    ("up", "mean", "week", 50, 45, 90.0, 90.0, "behind"),
    ("up", "last", "week", 50, 50, 100.0, 100.0, "met"),
    ("up", "sum", "month", 310, 150, 48.4, 100.0, "on_track"),  # 150 / 15 x 31 = 310
    ("up", "sum", "month", 100, 150, 150.0, 310.0, "met"),
    ("up", "mean", "month", 40, 30, 75.0, 75.0, "behind"),
    ("up", "last", "month", 25, 50, 200.0, 200.0, "met"),
    ("down", "sum", "day", 60, 50, 120.0, None, "met"),
    ("down", "mean", "day", 40, 50, 80.0, None, "behind"),
    ("down", "last", "day", 50, 50, 100.0, None, "met"),
    # A week's budget: 222.2 % so far, but on pace for 210 against 200, so not met yet.
    ("down", "sum", "week", 200, 90, 222.2, 95.2, "behind"),
    ("down", "sum", "week", 300, 90, 333.3, 142.9, "on_track"),
    ("down", "mean", "week", 50, 45, 111.1, 111.1, "met"),
    ("down", "last", "week", 40, 50, 80.0, 80.0, "behind"),
    ("down", "sum", "month", 620, 150, 413.3, 200.0, "on_track"),
    ("down", "sum", "month", 300, 150, 200.0, 96.8, "behind"),  # 300 / 310
    ("down", "mean", "month", 30, 30, 100.0, 100.0, "met"),
    ("down", "last", "month", 100, 50, 200.0, 200.0, "met"),
]


@pytest.mark.parametrize(
    ("direction", "aggregate", "period", "goal", "actual", "percent", "pace", "status"), MATRIX
)
def test_matrix(direction, aggregate, period, goal, actual, percent, pace, status):
    entry = compute_entry(info(direction, aggregate), period, WED, MAY, goal)
    assert (entry.actual, entry.target, entry.percent, entry.pace, entry.status) == (
        actual,
        goal,
        percent,
        pace,
        status,
    )
    assert entry.period == period
    assert entry.source == "hq"
    assert (entry.direction, entry.aggregate) == (direction, aggregate)


# --- period boundaries --------------------------------------------------------------------


def test_monday_is_the_first_day_of_the_week():
    data = hq({D(2024, 5, 12): 999, D(2024, 5, 13): 30})
    entry = compute_entry(info(), "week", D(2024, 5, 13), data, 420)
    # 30 on day 1 of 7 projects to 210 of 420.
    assert (entry.actual, entry.percent, entry.pace, entry.status) == (30, 7.1, 50.0, "behind")


def test_sunday_closes_the_week_and_a_budget_can_be_met():
    data = hq({D(2024, 5, 13): 40, D(2024, 5, 19): 50, D(2024, 5, 20): 1})
    entry = compute_entry(info("down"), "week", D(2024, 5, 19), data, 100)
    assert (entry.actual, entry.percent, entry.pace, entry.status) == (90, 111.1, 111.1, "met")


def test_budget_is_never_met_before_the_last_day():
    data = hq({D(2024, 5, 13): 40})
    saturday = compute_entry(info("down"), "week", D(2024, 5, 18), data, 100)
    # 40 spent of 100 and on pace (40 / 6 x 7 = 46.7): still only on track.
    assert (saturday.percent, saturday.pace, saturday.status) == (250.0, 214.3, "on_track")
    month = compute_entry(info("down"), "month", D(2024, 5, 30), data, 100)
    assert month.status == "on_track"
    last_day = compute_entry(info("down"), "month", D(2024, 5, 31), data, 100)
    assert (last_day.percent, last_day.pace, last_day.status) == (250.0, 250.0, "met")


def test_budget_rule_is_only_for_sum():
    data = hq({D(2024, 5, 13): 40})
    entry = compute_entry(info("down", "mean"), "week", D(2024, 5, 15), data, 100)
    assert entry.status == "met"


def test_first_of_the_month():
    data = hq({D(2024, 4, 30): 70, D(2024, 5, 1): 10})
    entry = compute_entry(info(), "month", D(2024, 5, 1), data, 620)
    # 10 on day 1 of 31 projects to 310 of 620.
    assert (entry.actual, entry.percent, entry.pace, entry.status) == (10, 1.6, 50.0, "behind")


def test_last_day_of_the_month_pace_equals_percent():
    data = hq({D(2024, 5, 1): 100, D(2024, 5, 31): 55})
    entry = compute_entry(info(), "month", D(2024, 5, 31), data, 200)
    assert (entry.actual, entry.percent, entry.pace, entry.status) == (155, 77.5, 77.5, "behind")


def test_february_in_a_leap_year_has_29_days():
    data = hq({D(2024, 2, 1): 50, D(2024, 2, 10): 50})
    entry = compute_entry(info(), "month", D(2024, 2, 10), data, 290)
    # 100 over 10 days projects to 290: exactly on pace. A 28-day month would say 96.6.
    assert (entry.actual, entry.percent, entry.pace, entry.status) == (
        100,
        34.5,
        100.0,
        "on_track",
    )


def test_february_in_a_common_year_has_28_days():
    data = hq({D(2023, 2, 1): 50, D(2023, 2, 10): 50})
    entry = compute_entry(info(), "month", D(2023, 2, 10), data, 290)
    assert entry.pace == 96.6  # 100 / 10 x 28 = 280 of 290


def test_week_spanning_two_months():
    data = hq({D(2024, 4, 28): 5, D(2024, 4, 29): 10, D(2024, 4, 30): 20, D(2024, 5, 1): 30})
    week = compute_entry(info(), "week", D(2024, 5, 1), data, 140)
    month = compute_entry(info(), "month", D(2024, 5, 1), data, 930)
    assert (week.actual, week.percent, week.pace) == (60, 42.9, 100.0)  # 60 / 3 x 7 = 140
    assert (month.actual, month.percent, month.pace) == (30, 3.2, 100.0)  # 30 x 31 = 930


# --- missing days and no data -------------------------------------------------------------


def test_missing_day_is_ignored_by_sum_and_mean():
    data = hq({D(2024, 5, 13): 40, D(2024, 5, 15): 50})  # nothing on the 14th
    week_sum = compute_entry(info(), "week", WED, data, 100)
    week_mean = compute_entry(info(aggregate="mean"), "week", WED, data, 100)
    assert week_sum.actual == 90
    assert week_mean.actual == 45  # over the 2 days with a value, not 3


def test_last_takes_the_latest_day_with_a_value():
    data = hq({D(2024, 5, 13): 40, D(2024, 5, 14): 45, D(2024, 5, 16): 99})
    entry = compute_entry(info(aggregate="last"), "week", D(2024, 5, 15), data, 50)
    assert (entry.actual, entry.percent, entry.status) == (45, 90.0, "behind")


def test_no_value_in_the_period():
    entry = compute_entry(info(), "week", WED, hq({D(2024, 5, 12): 30}), 100)
    assert (entry.actual, entry.target, entry.percent, entry.pace) == (None, 100, None, None)
    assert (entry.status, entry.source) == (None, None)


def test_no_goal():
    entry = compute_entry(info(), "day", WED, MAY, None)
    assert (entry.actual, entry.target, entry.percent, entry.pace) == (50, None, None, None)
    assert (entry.status, entry.source) == (None, "hq")


def test_mean_of_a_repeating_fraction_is_unrounded():
    data = hq({D(2024, 5, 13): 1, D(2024, 5, 14): 1, D(2024, 5, 15): 2})
    entry = compute_entry(info(aggregate="mean"), "week", WED, data, 1)
    assert entry.actual == 4 / 3
    assert entry.percent == 133.3


# --- zero rules ---------------------------------------------------------------------------


def test_target_zero_for_up_has_no_percent():
    entry = compute_entry(info(), "week", WED, MAY, 0)
    assert (entry.actual, entry.percent, entry.pace) == (90, None, None)
    # Contract: met needs percent >= 100, on_track pace >= 100; neither exists, so behind.
    assert entry.status == "behind"


def test_down_with_actual_zero_counts_as_met():
    data = hq({WED: 0})
    day = compute_entry(info("down"), "day", WED, data, 5)
    assert (day.actual, day.percent, day.pace, day.status) == (0, None, None, "met")
    mean_week = compute_entry(info("down", "mean"), "week", WED, data, 5)
    assert (mean_week.percent, mean_week.pace, mean_week.status) == (None, None, "met")


def test_down_sum_with_actual_zero_mid_week_is_on_track():
    entry = compute_entry(info("down"), "week", WED, hq({WED: 0}), 5)
    assert (entry.percent, entry.pace, entry.status) == (None, None, "on_track")


def test_down_with_target_zero_and_some_actual():
    entry = compute_entry(info("down"), "day", WED, hq({WED: 3}), 0)
    assert (entry.percent, entry.status) == (0.0, "behind")


# --- exactness and rounding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "goal", "percent"),
    [
        (200.1, 200, 100.1),  # 100.05: half-up, where half-even or binary floats say 100.0
        (1, 400, 0.3),  # 0.25
        (1, 8, 12.5),
        (3, 1600, 0.2),  # 0.1875
        (0.15, 1, 15.0),
    ],
)
def test_percent_rounds_half_up(actual, goal, percent):
    assert compute_entry(info(), "day", WED, hq({WED: actual}), goal).percent == percent


def test_pace_rounds_half_up():
    # 3.0015 over 3 days of 7 projects to 7.0035 of 7: exactly 100.05 %.
    entry = compute_entry(info(), "week", WED, hq({D(2024, 5, 13): 3.0015}), 7)
    assert (entry.percent, entry.pace, entry.status) == (42.9, 100.1, "on_track")
    # On the week's last day pace is the percent: 0.09005 of 0.1 is exactly 90.05 %.
    sunday = compute_entry(info(), "week", D(2024, 5, 19), hq({D(2024, 5, 13): 0.09005}), 0.1)
    assert (sunday.percent, sunday.pace) == (90.1, 90.1)


def test_status_is_decided_on_the_unrounded_percent():
    entry = compute_entry(info(), "day", WED, hq({WED: 99.96}), 100)
    assert (entry.percent, entry.status) == (100.0, "behind")
    week = compute_entry(info(aggregate="last"), "week", WED, hq({WED: 99.96}), 100)
    assert (week.percent, week.pace, week.status) == (100.0, 100.0, "behind")


def test_pace_is_decided_unrounded():
    # 42.84 / 3 x 7 = 99.96 of 100: shows 100.0 but is not on track.
    entry = compute_entry(info(), "week", WED, hq({D(2024, 5, 13): 42.84}), 100)
    assert (entry.pace, entry.status) == (100.0, "behind")


def test_sums_are_exact_as_typed():
    data = hq({D(2024, 5, 13): 0.1, D(2024, 5, 19): 0.2})
    up = compute_entry(info(), "week", D(2024, 5, 19), data, 0.3)
    assert (up.actual, up.percent, up.status) == (0.3, 100.0, "met")
    # In floats 0.1 + 0.2 is 0.30000000000000004, just over a 0.3 budget.
    down = compute_entry(info("down"), "week", D(2024, 5, 19), data, 0.3)
    assert (down.actual, down.percent, down.status) == (0.3, 100.0, "met")


def test_the_threads_decimal_context_does_not_matter():
    data = hq({D(2024, 5, 13): 1234567.891, D(2024, 5, 14): 0.009})
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        entry = compute_entry(info(), "week", WED, data, 1234567.9)
        mean = compute_entry(
            info(aggregate="mean"), "week", WED, hq({WED: 1234.5, D(2024, 5, 13): 1234.6}), 1
        )
    assert mean.actual == 1234.55
    assert (entry.actual, entry.percent, entry.pace) == (1234567.9, 100.0, 233.3)
    assert entry.status == "met"


def test_actual_and_target_are_unrounded():
    entry = compute_entry(info(decimals=0), "day", WED, hq({WED: 1234.5678}), 999.999)
    assert (entry.actual, entry.target) == (1234.5678, 999.999)


# --- source -------------------------------------------------------------------------------


def merge_sources(
    hq: Mapping[dt.date, float], store: Mapping[dt.date, float]
) -> dict[dt.date, DayValue]:
    """One value per day, as `load_day_values` reads them: HQ's value wins over the entry."""
    merged = {day: DayValue(value, "store") for day, value in store.items()}
    merged.update((day, DayValue(value, "hq")) for day, value in hq.items())
    return merged


def test_source_of_a_period():
    data = merge_sources({D(2024, 5, 13): 40, D(2024, 5, 15): 50}, {D(2024, 5, 14): 5})
    assert compute_entry(info(), "day", WED, data, 10).source == "hq"
    assert compute_entry(info(), "day", D(2024, 5, 14), data, 10).source == "store"
    assert compute_entry(info(), "week", WED, data, 10).source == "store"
    assert compute_entry(info(aggregate="mean"), "week", WED, data, 10).source == "store"
    # For last, only the latest day counts.
    assert compute_entry(info(aggregate="last"), "week", WED, data, 10).source == "hq"
    assert compute_entry(info(), "week", D(2024, 5, 13), data, 10).source == "hq"


def test_catalog_details_are_carried():
    details = info(unit="$", decimals=2)
    entry = compute_entry(details, "day", WED, MAY, None)
    assert (entry.metric, entry.label, entry.perspective) == ("m", "M", "financial")
    assert (entry.unit, entry.decimals) == ("$", 2)


# --- the store's date ---------------------------------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2024, 5, 16, 4, 59, 59, tzinfo=dt.UTC), D(2024, 5, 15)),  # 23:59:59 CDT
        (dt.datetime(2024, 5, 16, 5, 0, 0, tzinfo=dt.UTC), D(2024, 5, 16)),  # 00:00 CDT
        (dt.datetime(2024, 1, 16, 5, 59, tzinfo=dt.UTC), D(2024, 1, 15)),  # 23:59 CST
        (dt.datetime(2024, 1, 16, 6, 0, tzinfo=dt.UTC), D(2024, 1, 16)),
        (dt.datetime(2024, 5, 15, 23, 59, tzinfo=CHICAGO), D(2024, 5, 15)),
    ],
)
def test_store_date_at_local_midnight(now, expected):
    assert StoreConfig("S001", "Downtown", "America/Chicago").today(now) == expected


def test_store_today_rejects_a_naive_time():
    with pytest.raises(ValueError, match="aware"):
        StoreConfig("S001", "Downtown", "America/Chicago").today(dt.datetime(2024, 5, 15, 12))


# --- from the database --------------------------------------------------------------------


def summary(board):
    return [(m.metric, m.period, m.actual, m.target, m.percent, m.status) for m in board.metrics]


def test_catalog_order_then_day_week_month(db):
    insert(
        db,
        catalog("sales", position=2),
        catalog("zeta", position=1),
        catalog("alpha", position=1, feed="other_catalog"),
        # Inserted month first: the output is still day, week, month.
        target("S001", "sales", "month", D(2024, 5, 1), 1000),
        target("S001", "sales", "day", WED, 100),
        target("S001", "sales", "week", D(2024, 5, 13), 500),
        target("S001", "zeta", "week", D(2024, 5, 13), 10),
        values("S001", "sales", {D(2024, 5, 2): 300, D(2024, 5, 13): 100, WED: 150}),
        values("S001", "zeta", {WED: 5}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert board.store_id == "S001"
    assert board.date == WED
    assert summary(board) == [
        ("alpha", "day", None, None, None, None),
        ("zeta", "week", 5, 10, 50.0, "on_track"),  # 5 / 3 x 7 = 11.7
        ("sales", "day", 150, 100, 150.0, "met"),
        ("sales", "week", 250, 500, 50.0, "on_track"),  # 250 / 3 x 7 = 583.3
        ("sales", "month", 550, 1000, 55.0, "on_track"),  # 550 / 15 x 31 = 1136.7
    ]
    assert [m.pace for m in board.metrics] == [None, 116.7, None, 116.7, 113.7]


def test_as_json_shape(db):
    insert(db, catalog("sales", label="Sales", unit="$"), values("S001", "sales", {WED: 1.5}))
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert board.as_json() == {
        "store_id": "S001",
        "date": "2024-05-15",
        "metrics": [
            {
                "metric": "sales",
                "label": "Sales",
                "perspective": "financial",
                "period": "day",
                "actual": 1.5,
                "target": None,
                "percent": None,
                "pace": None,
                "status": None,
                "source": "hq",
            }
        ],
    }


def test_target_with_a_start_other_than_the_period_start_is_ignored(db):
    insert(
        db,
        catalog("sales"),
        target("S001", "sales", "month", D(2024, 5, 2), 1000),  # not the 1st
        target("S001", "sales", "week", D(2024, 5, 14), 500),  # a Tuesday
        target("S001", "sales", "day", D(2024, 5, 14), 100),  # yesterday
        target("S001", "sales", "week", D(2024, 5, 6), 400),  # last week
        target("S001", "sales", "month", D(2024, 4, 1), 900),  # last month
        # A day target on the week's Monday and the month's 1st: not in force on the 15th.
        target("S001", "sales", "day", D(2024, 5, 13), 80),
        target("S001", "sales", "day", D(2024, 5, 1), 70),
        values("S001", "sales", {WED: 150}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert summary(board) == [("sales", "day", 150, None, None, None)]


def test_other_stores_rows_are_not_used(db):
    insert(
        db,
        catalog("sales"),
        target("S002", "sales", "day", WED, 100),
        values("S002", "sales", {WED: 999}),
        entries("S002", "sales", {WED: 998}),
        target("S001", "sales", "day", WED, 100),
        values("S001", "sales", {WED: 90}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert summary(board) == [("sales", "day", 90, 100, 90.0, "behind")]


def test_hq_value_wins_over_a_manager_entry(db):
    insert(
        db,
        catalog("sales", entry=True),
        target("S001", "sales", "day", WED, 100),
        target("S001", "sales", "week", D(2024, 5, 13), 300),
        values("S001", "sales", {WED: 120, D(2024, 5, 13): 10}),
        entries("S001", "sales", {WED: 80, D(2024, 5, 14): 20}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
        data = load_store_data(session, "S001", WED)
    day, week = board.metrics
    assert (day.actual, day.source, day.status) == (120, "hq", "met")
    assert (week.actual, week.source) == (150, "store")  # 10 + 20 + 120
    assert data.values["sales"][D(2024, 5, 14)] == DayValue(20, "store")


def test_manager_entry_alone_is_a_store_value(db):
    insert(
        db,
        catalog("sales", entry=True),
        target("S001", "sales", "day", WED, 100),
        entries("S001", "sales", {WED: 110}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    (day,) = board.metrics
    assert (day.actual, day.source, day.percent, day.status) == (110, "store", 110.0, "met")


def test_empty_catalog_gives_an_empty_board(db):
    insert(db, values("S001", "sales", {WED: 1}))
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert board.metrics == ()


def test_window_reaches_back_to_a_week_in_the_previous_month(db):
    insert(
        db,
        catalog("sales"),
        target("S001", "sales", "week", D(2024, 4, 29), 70),
        target("S001", "sales", "month", D(2024, 5, 1), 310),
        values("S001", "sales", {D(2024, 4, 28): 1, D(2024, 4, 29): 10, D(2024, 5, 1): 20}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", D(2024, 5, 1))
    assert summary(board) == [
        ("sales", "week", 30, 70, 42.9, "on_track"),  # pace 30 / 3 x 7 = 70
        ("sales", "month", 20, 310, 6.5, "on_track"),  # pace 20 x 31 = 620
    ]
    assert [m.pace for m in board.metrics] == [100.0, 200.0]
