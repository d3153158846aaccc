"""What the manager sees beside the number being typed: the goal, the unit, the day's value so
far and the day before's; and why the entry list leaves metrics out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QSize

from kiosk.board.model import EntryRow
from kiosk.ui.manager.keypad import NumberPad, keypad_facts
from kiosk.ui.screens.entry import from_hq_text
from kiosk.ui.theme import Theme
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.checks import all_overflow_problems, visible_labels
from tests.kiosk.ui.conftest import SIZES

DAY = snapshots.DAY
APPEARANCE = EntryRow(
    "appearance", "Store appearance", "pts", 1, DAY, 8.3, "store", 8.5, "day", previous=8.6
)


def test_the_keypad_says_goal_so_far_yesterday_and_unit():
    assert keypad_facts(APPEARANCE, DAY) == [
        "Goal today: 8.5 pts",
        "So far today: 8.3 pts · Store",
        "Yesterday: 8.6 pts",
        "Unit: pts",
    ]


def test_a_budget_an_hq_number_and_nothing_yet():
    shrink = EntryRow("shrink", "Shrink", "$", 0, DAY, 120, "hq", 1700, "month", direction="down")
    assert keypad_facts(shrink, DAY) == [
        "Budget this month: $1,700",
        "So far today: $120 · HQ (HQ's number shows on the board for this day)",
        "Yesterday: –",
        "Unit: $",
    ]
    new = EntryRow("count", "Customer count", "", 0, DAY, None, None)
    assert keypad_facts(new, DAY) == ["No goal set", "Not entered yet today", "Yesterday: –"]


def test_an_earlier_day_says_which_day_and_the_day_before():
    monday = dataclasses.replace(APPEARANCE, day=DAY - dt.timedelta(days=1))
    assert keypad_facts(monday, DAY)[1:3] == [
        "So far yesterday: 8.3 pts · Store",
        "Sun, Nov 22: 8.6 pts",
    ]
    saturday = dataclasses.replace(APPEARANCE, day=DAY - dt.timedelta(days=3))
    assert keypad_facts(saturday, DAY)[1] == "So far on Sat, Nov 21: 8.3 pts · Store"


@pytest.mark.parametrize("size", SIZES, ids=[f"{s.width()}x{s.height()}" for s in SIZES])
def test_the_keypad_fits_at_every_size(qtbot, size: QSize):
    long = EntryRow(
        "x", "Cross-trained team members this quarter in the garden centre", "visits", 2,
        DAY, 1234.56, "hq", 99999.99, "week", previous=88888.88,
    )  # fmt: skip
    for row in (APPEARANCE, long):
        pad = NumberPad(Theme(size.height()))
        qtbot.addWidget(pad)
        pad.resize(size)
        pad.set_row(row, DAY)
        pad.show()
        assert not all_overflow_problems(pad)
        texts = {label.text().replace("\n", " ") for label in visible_labels(pad)}
        assert keypad_facts(row, DAY)[0] in texts


def test_the_entry_list_says_why_a_metric_is_missing():
    assert from_hq_text(["Sales"], 1) == "Sales comes from HQ: it is not typed here."
    assert from_hq_text(["Sales", "Shrink"], 2) == (
        "Sales and Shrink come from HQ: they are not typed here."
    )
    assert from_hq_text(["Sales", "Shrink", "NPS", "Basket"], 2) == (
        "Sales, Shrink, and 2 more come from HQ: they are not typed here."
    )
    assert (
        from_hq_text(["Sales", "Shrink"], 0) == "2 metrics come from HQ: they are not typed here."
    )
    assert from_hq_text([], 0) == ""


def test_the_entry_screen_names_the_metrics_from_hq(make_view):
    view = make_view("entry")
    assert view.screen.from_hq() == [
        "Sales",
        "Average basket",
        "Customer satisfaction",
        "Mystery shopper",
    ]
    texts = {label.text().replace("\n", " ") for label in visible_labels(view)}
    assert (
        "Sales, Average basket, Customer satisfaction, and Mystery shopper come from HQ: they "
        "are not typed here."
    ) in texts
