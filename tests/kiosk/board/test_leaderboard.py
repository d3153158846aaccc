"""The regional leaderboard: ranking, ties, stores without data, region and default metric."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.board.leaderboard import _Standing, build_leaderboard, rank_rows
from kiosk.board.model import LeaderRow, MetricEntry, Source
from kiosk.board.scoreboard import CatalogInfo, DayValue, compute_entry
from sync.vocabulary import Direction
from tests.kiosk.factories import catalog, entries, insert, store, target, values

D = dt.date
WED = D(2024, 5, 15)
MAY1 = D(2024, 5, 1)


def sales_month(store_id: str, goal: float, actual: float | None) -> list:
    rows: list = [target(store_id, "sales", "month", MAY1, goal)]
    if actual is not None:
        rows += values(store_id, "sales", {D(2024, 5, 10): actual})
    return rows


@pytest.fixture
def region(db):
    insert(
        db,
        catalog("nps", position=0, perspective="customer"),
        catalog("sales", position=1, label="Sales"),
        catalog("labor", position=2, direction="down"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        store("S003", "Mall", "North"),
        store("S004", "Bayside", "North"),
        store("S005", "Zed", "North"),  # no target
        store("S006", "Annex", "North"),  # a target, no value
        store("S900", "Elsewhere", "South"),
        sales_month("S001", 1000, 1100),
        sales_month("S002", 1000, 1200),
        sales_month("S003", 2000, 2200),
        sales_month("S004", 1000, 900),
        sales_month("S006", 1000, None),
        sales_month("S900", 1000, 5000),
        values("S005", "sales", {WED: 10_000}),
    )
    return db


def test_ranking_with_ties_and_no_data_last(region):
    with region.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "month")
    assert board is not None
    assert (board.metric, board.label, board.period, board.region) == (
        "sales",
        "Sales",
        "month",
        "North",
    )
    # The 15th of a 31-day month: each pace is the month so far x 31 / 15.
    assert board.rows == (
        LeaderRow(1, "S002", "Airport", 120.0, False, pace=248.0),
        LeaderRow(2, "S001", "Downtown", 110.0, True, pace=227.3),
        LeaderRow(2, "S003", "Mall", 110.0, False, pace=227.3),
        LeaderRow(4, "S004", "Bayside", 90.0, False, pace=186.0),
        LeaderRow(None, "S006", "Annex", None, False),
        LeaderRow(None, "S005", "Zed", None, False),
    )
    assert board.ranks_by_pace
    assert [r.figure(board.period) for r in board.rows] == [248.0, 227.3, 227.3, 186.0, None, None]


def test_default_metric_is_the_first_financial_one(region):
    with region.read() as session:
        board = build_leaderboard(session, "S003", WED, None, "month")
    assert board is not None
    assert board.metric == "sales"
    assert [(r.store_id, r.is_self) for r in board.rows if r.is_self] == [("S003", True)]


def test_no_financial_metric_means_no_leaderboard(db):
    insert(db, catalog("nps", perspective="customer"), store("S001", "Downtown", "North"))
    with db.read() as session:
        assert build_leaderboard(session, "S001", WED, None, "month") is None


def test_unknown_metric_means_no_leaderboard(region):
    with region.read() as session:
        assert build_leaderboard(session, "S001", WED, "profit", "month") is None


def test_store_without_a_stores_row_has_no_leaderboard(region):
    with region.read() as session:
        assert build_leaderboard(session, "S777", WED, "sales", "month") is None


def test_other_region(region):
    with region.read() as session:
        board = build_leaderboard(session, "S900", WED, "sales", "month")
    assert board is not None
    assert board.region == "South"
    assert board.rows == (LeaderRow(1, "S900", "Elsewhere", 500.0, True, pace=1033.3),)


def test_period_and_direction_follow_the_scoreboard(db):
    insert(
        db,
        catalog("labor", direction="down"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        store("S003", "Mall", "North"),
        store("S004", "Bayside", "North"),
        target("S001", "labor", "week", D(2024, 5, 13), 100),
        target("S002", "labor", "week", D(2024, 5, 13), 100),
        target("S003", "labor", "week", D(2024, 5, 13), 100),
        target("S004", "labor", "month", MAY1, 100),  # not the asked period
        values("S001", "labor", {D(2024, 5, 13): 50, D(2024, 5, 12): 500}),
        values("S002", "labor", {D(2024, 5, 14): 80}),
        # Nothing spent: no percent, but counts as above any percent.
        values("S003", "labor", {D(2024, 5, 14): 0}),
        values("S004", "labor", {D(2024, 5, 14): 1}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "labor", "week")
    assert board is not None
    # Wednesday is day 3 of 7: spending 50 so far projects 116.67 against a budget of 100,
    # a pace of 85.7 %; 80 so far projects 186.67, 53.6 %.
    assert board.rows == (
        LeaderRow(1, "S003", "Mall", None, False),
        LeaderRow(2, "S001", "Downtown", 200.0, True, pace=85.7),
        LeaderRow(3, "S002", "Airport", 125.0, False, pace=53.6),
        LeaderRow(None, "S004", "Bayside", None, False),
    )


def test_manager_entries_count_hq_wins(db):
    insert(
        db,
        catalog("sales"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        target("S001", "sales", "day", WED, 100),
        target("S002", "sales", "day", WED, 100),
        entries("S001", "sales", {WED: 150}),
        values("S002", "sales", {WED: 90}),
        entries("S002", "sales", {WED: 300}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S002", WED, "sales", "day")
    assert board is not None
    assert [(r.rank, r.store_id, r.percent, r.pace, r.is_self) for r in board.rows] == [
        (1, "S001", 150.0, None, False),
        (2, "S002", 90.0, None, True),
    ]


def test_ties_are_on_the_displayed_percent(db):
    insert(
        db,
        catalog("sales"),
        store("S001", "B store", "North"),
        store("S002", "A store", "North"),
        store("S003", "C store", "North"),
        target("S001", "sales", "day", WED, 1000),
        target("S002", "sales", "day", WED, 1000),
        target("S003", "sales", "day", WED, 1000),
        values("S001", "sales", {WED: 1001.1}),  # 100.11 %
        values("S002", "sales", {WED: 1000.6}),  # 100.06 %
        values("S003", "sales", {WED: 1000.4}),  # 100.04 %
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "day")
    assert board is not None
    assert [(r.rank, r.name, r.percent) for r in board.rows] == [
        (1, "A store", 100.1),
        (1, "B store", 100.1),
        (3, "C store", 100.0),
    ]


def test_unknown_period_is_an_error(region):
    with region.read() as session, pytest.raises(ValueError, match="quarter"):
        build_leaderboard(session, "S001", WED, "sales", "quarter")  # type: ignore[arg-type]


def test_a_week_or_month_ranks_by_the_displayed_pace_not_the_percent(db):
    """On the 15th of May (31 days) a pace is the percent x 31 / 15. 100.045 % and 100.06 %
    show different percents (100.0, 100.1) but the same pace (206.8): they share a rank,
    behind 100.1 % (pace 206.9) which a percent ranking would tie with 100.06 %."""
    insert(
        db,
        catalog("sales"),
        store("S001", "A store", "North"),
        store("S002", "B store", "North"),
        store("S003", "C store", "North"),
        sales_month("S001", 1000, 1000.45),
        sales_month("S002", 1000, 1000.6),
        sales_month("S003", 1000, 1001.0),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "month")
    assert board is not None
    assert [(r.rank, r.name, r.percent, r.pace) for r in board.rows] == [
        (1, "C store", 100.1, 206.9),
        (2, "A store", 100.0, 206.8),
        (2, "B store", 100.1, 206.8),
    ]


def test_the_sixth_of_a_month_ranks_by_where_each_store_is_heading(db):
    """Six days into June (30 days) every store stands near 20 % of its month goal; the
    pace (x 30 / 6) says who is winning, and is what the row shows first."""
    june6 = D(2024, 6, 6)
    insert(
        db,
        catalog("sales"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        store("S003", "Mall", "North"),
        store("S004", "Annex", "North"),  # a number but no goal
        [target(sid, "sales", "month", D(2024, 6, 1), 10_000) for sid in ("S001", "S002", "S003")],
        values("S001", "sales", {D(2024, 6, 2): 1_000, D(2024, 6, 5): 1_040}),  # 2,040
        values("S002", "sales", {D(2024, 6, 6): 1_900}),
        values("S003", "sales", {D(2024, 6, 1): 2_200}),
        values("S004", "sales", {june6: 9_999}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", june6, "sales", "month")
    assert board is not None
    assert [(r.rank, r.name, r.figure(board.period), r.percent) for r in board.rows] == [
        (1, "Mall", 110.0, 22.0),
        (2, "Downtown", 102.0, 20.4),
        (3, "Airport", 95.0, 19.0),
        (None, "Annex", None, None),
    ]


def test_a_day_ranks_by_percent_and_has_no_pace(db):
    insert(
        db,
        catalog("sales"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        target("S001", "sales", "day", WED, 100),
        target("S002", "sales", "day", WED, 100),
        values("S001", "sales", {WED: 80}),
        values("S002", "sales", {WED: 95}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "day")
    assert board is not None
    assert not board.ranks_by_pace
    assert [(r.rank, r.name, r.figure(board.period), r.pace) for r in board.rows] == [
        (1, "Airport", 95.0, None),
        (2, "Downtown", 80.0, None),
    ]


def test_a_mean_is_its_own_pace(db):
    insert(
        db,
        catalog("nps", aggregate="mean"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        target("S001", "nps", "month", MAY1, 60),
        target("S002", "nps", "month", MAY1, 60),
        values("S001", "nps", {D(2024, 5, 2): 66, D(2024, 5, 3): 60}),  # mean 63
        values("S002", "nps", {D(2024, 5, 9): 57}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "nps", "month")
    assert board is not None
    assert [(r.rank, r.name, r.pace, r.percent) for r in board.rows] == [
        (1, "Downtown", 105.0, 105.0),
        (2, "Airport", 95.0, 95.0),
    ]


def test_stores_without_a_goal_or_a_number_come_last_by_name(db):
    """A goal of 0 gives no percent for an `up` metric: like no goal, it ranks last."""
    insert(
        db,
        catalog("sales"),
        store("S001", "Downtown", "North"),
        store("S002", "Zero goal", "North"),
        store("S003", "Beta no number", "North"),
        store("S004", "Alpha no goal", "North"),
        sales_month("S001", 1000, 10),
        sales_month("S002", 0, 500),
        sales_month("S003", 1000, None),
        values("S004", "sales", {WED: 5000}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "month")
    assert board is not None
    assert [(r.rank, r.name) for r in board.rows] == [
        (1, "Downtown"),
        (None, "Alpha no goal"),
        (None, "Beta no number"),
        (None, "Zero goal"),
    ]


def standing(store_id: str, name: str, actual: float | None, goal: float | None = 1000):
    """A store's month of sales on the 15th of May, as the leaderboard computes it."""
    entry: MetricEntry | None = None
    if goal is not None:
        days = {} if actual is None else {D(2024, 5, 2): DayValue(actual, Source.hq)}
        entry = compute_entry(CatalogInfo("sales", "Sales"), "month", WED, days, goal)
    return _Standing(store_id, name, entry)


def test_same_names_rank_by_store_id_whatever_order_they_come_in():
    """Ties on the figure go by name, then store id; so do stores without data."""
    rows = rank_rows(
        [
            standing("S9", "Twin", 500),
            standing("S2", "Twin", 500),
            standing("S8", "Nil", None),
            standing("S3", "Nil", None, goal=None),
            standing("S5", "Alpha", 500),
        ],
        self_id="S2",
    )
    assert [(r.rank, r.store_id, r.is_self) for r in rows] == [
        (1, "S5", False),
        (1, "S2", True),
        (1, "S9", False),
        (None, "S3", False),
        (None, "S8", False),
    ]
    assert rows[0].pace == 103.3 and rows[0].percent == 50.0  # 500 of 1000 on day 15 of 31
    assert (rows[3].pace, rows[3].percent) == (None, None)


def test_competition_ranking_skips_the_ranks_a_tie_takes():
    rows = rank_rows(
        [standing(f"S{n}", f"Store {n}", actual) for n, actual in enumerate([900, 900, 900, 800])],
        self_id="S0",
    )
    assert [r.rank for r in rows] == [1, 1, 1, 4]


def test_a_store_at_zero_ranks_below_one_just_above_it():
    rows = rank_rows([standing("S1", "Zero", 0), standing("S2", "Some", 1)], self_id="S1")
    assert [(r.rank, r.store_id) for r in rows] == [(1, "S2"), (2, "S1")]


def test_a_zero_goal_with_nothing_done_has_no_figure_but_an_unspent_budget_leads():
    """An up metric with a goal of 0 has no percent (nothing to divide by): unranked, even with
    an actual of 0. A budget (down) with nothing spent counts as above any percent."""
    up = CatalogInfo("sales", "Sales")
    budget = CatalogInfo("shrink", "Shrink", direction=Direction.down)
    spent_nothing = {D(2024, 5, 2): DayValue(0, Source.hq)}
    rows = rank_rows(
        [
            _Standing("S1", "Zero goal", compute_entry(up, "month", WED, spent_nothing, 0)),
            _Standing("S2", "Busy", compute_entry(up, "month", WED, spent_nothing, 1000)),
            _Standing("S3", "Thrifty", compute_entry(budget, "month", WED, spent_nothing, 400)),
            _Standing("S4", "Unknown", compute_entry(budget, "month", WED, {}, 400)),
        ],
        self_id="S1",
    )
    # A budget with no number at all is not "nothing spent": it has no figure either.
    assert [(r.rank, r.store_id) for r in rows] == [
        (1, "S3"),
        (2, "S2"),
        (None, "S4"),
        (None, "S1"),
    ]
