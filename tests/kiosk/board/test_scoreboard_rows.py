"""The scoreboard's reads that mutation testing found unpinned (docs/mutation.md): catalog
details from the database, the manager's entry list, and "HQ wins" decided by the query."""

from __future__ import annotations

import datetime as dt

from kiosk.board.model import EntryRow
from kiosk.board.scoreboard import (
    CatalogInfo,
    DayValue,
    _day_values_sql,
    build_scoreboard,
    entry_rows,
    entry_rows_on,
    load_catalog,
    load_day_values,
    load_store_data,
    load_targets,
)
from sync.vocabulary import Aggregate, Direction
from tests.kiosk.factories import catalog, entries, insert, target, values

D = dt.date
WED = D(2024, 5, 15)


def test_a_catalog_row_without_details_is_a_plain_whole_number_going_up() -> None:
    assert CatalogInfo("m", "M") == CatalogInfo(
        "m", "M", "financial", "", Direction.up, Aggregate.sum, 0, False
    )


def test_the_catalog_details_come_from_the_database(db) -> None:
    insert(
        db,
        catalog(
            "sales",
            position=0,
            label="Sales",
            unit="$",
            perspective="customer",
            direction="down",
            aggregate="mean",
            decimals=2,
            entry=True,
        ),
        catalog("visits", position=1, label="Visits"),
    )
    with db.read() as session:
        assert load_catalog(session) == (
            CatalogInfo("sales", "Sales", "customer", "$", Direction.down, Aggregate.mean, 2, True),
            CatalogInfo("visits", "Visits", "financial", "", Direction.up, Aggregate.sum, 0, False),
        )


def test_unit_and_decimals_reach_the_board(db) -> None:
    # Without them every metric would show as a whole number with no `$` or `%`.
    insert(
        db,
        catalog("sales", position=0, unit="$", decimals=2),
        catalog("conversion", position=1, unit="%", decimals=1),
        catalog("visits", position=2),
        values("S001", "sales", {WED: 1234.5}),
    )
    with db.read() as session:
        board = build_scoreboard(session, "S001", WED)
    assert [(m.metric, m.unit, m.decimals) for m in board.metrics] == [
        ("sales", "$", 2),
        ("conversion", "%", 1),
        ("visits", "", 0),
    ]


# --- the manager's entry list -----------------------------------------------------------------

ENTRY_CATALOG = (
    CatalogInfo("sales", "Sales", unit="$", decimals=2, entry=True),
    CatalogInfo("visits", "Visits"),  # HQ only: never in the list
    CatalogInfo("training", "Training", unit="h", decimals=1, entry=True),
    CatalogInfo("returns", "Returns", entry=True),
)


def test_the_entry_list_holds_the_entry_metrics_in_catalog_order_with_todays_value() -> None:
    values_by_metric = {
        "sales": {WED: DayValue(120.5, "hq"), D(2024, 5, 14): DayValue(99.0, "store")},
        "visits": {WED: DayValue(40.0, "hq")},
        "training": {D(2024, 5, 14): DayValue(2.5, "store")},  # nothing today
        "returns": {WED: DayValue(3.0, "store")},
    }
    # The day before's value rides along for the keypad ("yesterday").
    assert entry_rows_on(ENTRY_CATALOG, WED, values_by_metric) == (
        EntryRow("sales", "Sales", "$", 2, WED, 120.5, "hq", previous=99.0),
        EntryRow("training", "Training", "h", 1, WED, None, None, previous=2.5),
        EntryRow("returns", "Returns", "", 0, WED, 3.0, "store"),
    )


def test_the_entry_list_without_any_value_or_entry_metric() -> None:
    assert entry_rows_on(ENTRY_CATALOG, WED, {}) == (
        EntryRow("sales", "Sales", "$", 2, WED, None, None),
        EntryRow("training", "Training", "h", 1, WED, None, None),
        EntryRow("returns", "Returns", "", 0, WED, None, None),
    )
    assert entry_rows_on(ENTRY_CATALOG[1:2], WED, {"visits": {WED: DayValue(1, "hq")}}) == ()


def test_the_entry_list_shows_hqs_value_over_the_managers(db) -> None:
    insert(
        db,
        catalog("sales", entry=True),
        values("S001", "sales", {WED: 120}),
        entries("S001", "sales", {WED: 80}),
    )
    with db.read() as session:
        rows = entry_rows(load_store_data(session, "S001", WED))
    assert rows == (EntryRow("sales", "Sales", "", 0, WED, 120, "hq"),)


def test_the_keypad_shows_the_goal_of_the_shortest_period_in_force() -> None:
    # The keypad's "goal" line: the day's goal when there is one, else the week's, and none for
    # a metric HQ set no goal for.
    targets = {("sales", "week"): 5000.0, ("sales", "day"): 800.0, ("training", "month"): 40.0}
    rows = entry_rows_on(ENTRY_CATALOG, WED, {}, targets)
    assert [(row.metric, row.goal, row.goal_period) for row in rows] == [
        ("sales", 800.0, "day"),
        ("training", 40.0, "month"),
        ("returns", None, None),
    ]


def test_the_keypad_shows_the_day_before_of_a_metric_without_any_goal(db) -> None:
    # No goal means no period window to read: the day before must still be read for the keypad.
    insert(
        db,
        catalog("returns", entry=True),
        entries("S001", "returns", {D(2024, 5, 14): 4}),
    )
    with db.read() as session:
        rows = entry_rows(load_store_data(session, "S001", WED))
    assert rows == (EntryRow("returns", "Returns", "", 0, WED, None, None, previous=4),)


# --- HQ wins in the query ---------------------------------------------------------------------


def test_the_query_returns_one_row_per_day_the_hq_one(db) -> None:
    # Not the order SQLite happens to return the halves in: the entry for a day HQ has a
    # value for never comes back at all.
    insert(
        db,
        values("S001", "sales", {WED: 120, D(2024, 5, 13): 10}),
        entries("S001", "sales", {WED: 80, D(2024, 5, 14): 20}),
    )
    window = ["S001", "sales", "2024-05-13", WED.isoformat()]
    with db.reading() as conn:
        rows = sorted(conn.execute(_day_values_sql(1, 1), ["hq", *window, "store", *window]))
    assert rows == [
        ("S001", "sales", "2024-05-13", 10, "hq"),
        ("S001", "sales", "2024-05-14", 20, "store"),
        ("S001", "sales", "2024-05-15", 120, "hq"),
    ]


def test_an_entry_counts_when_hq_has_other_stores_metrics_or_days_only(db) -> None:
    insert(
        db,
        values("S002", "sales", {WED: 999}),  # another store, same metric and day
        values("S001", "visits", {WED: 40}),  # another metric, same store and day
        values("S001", "sales", {D(2024, 5, 14): 10}),  # another day
        entries("S001", "sales", {WED: 80}),
    )
    with db.read() as session:
        found = load_day_values(session, ["S001"], ["sales", "visits"], D(2024, 5, 13), WED)
    assert found == {
        ("S001", "sales"): {D(2024, 5, 14): DayValue(10, "hq"), WED: DayValue(80, "store")},
        ("S001", "visits"): {WED: DayValue(40, "hq")},
    }


def test_no_store_or_no_metric_reads_nothing(db) -> None:
    insert(
        db,
        catalog("sales"),
        target("S001", "sales", "day", WED, 100),
        values("S001", "sales", {WED: 120}),
    )
    with db.read() as session:
        assert load_targets(session, [], ["sales"], WED) == {}
        assert load_targets(session, ["S001"], [], WED) == {}
        assert load_day_values(session, [], ["sales"], WED, WED) == {}
        assert load_day_values(session, ["S001"], [], WED, WED) == {}
        assert load_targets(session, ["S001"], ["sales"], WED) == {("S001", "sales", "day"): 100}
