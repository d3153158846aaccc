"""Typing the day's numbers by touch: the keypad, its messages, corrections and their trail,
and the board showing the new number at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.manager.entries import audit_trail
from kiosk.ui.manager.common import millimetres
from kiosk.ui.theme import Theme
from tests.demo_env import DEMO_DAY
from tests.kiosk.ui.checks import visible_labels
from tests.kiosk.ui.manager_kit import close_kit, make_kit


@pytest.fixture
def kit(qtbot, tmp_path, clock):
    made = make_kit(qtbot, tmp_path, clock, (1920, 1080))
    made.set_pin()
    made.log_in()
    yield made
    close_kit(made)


def entry_names(kit) -> list[str]:
    return [b.accessibleName() for b in kit.window.entry.touch_targets()]


def test_the_list_shows_today_then_yesterday_and_last_7_days(kit):
    entry = kit.window.entry
    assert entry.selected_day() == "today"
    # The demo's HQ-fed metrics are not in the list, and the list says why.
    note = entry.findChild(QLabel, "from_hq")
    assert note is not None and note.isVisibleTo(entry)
    assert note.text().replace("\n", " ") == (
        "Sales, Average basket, Mystery shopper score, Five-star comments, and Shrink come "
        "from HQ: they are not typed here."
    )
    assert kit.window.header.title.full_text() == "Enter today's numbers"
    names = entry_names(kit)
    assert "Store appearance: –, not entered" in names
    assert "Training hours: –, not entered" in names
    kit.press(entry, "Yesterday")
    assert entry.selected_day() == "yesterday"
    assert kit.window.header.title.full_text() == "Enter yesterday's numbers"
    assert {r.day for r in entry.rows()} == {DEMO_DAY - dt.timedelta(days=1)}
    assert "Store appearance: 8.8 pts, HQ" in entry_names(kit)
    kit.press(entry, "Last 7 days")
    rows = entry.rows()
    assert len(rows) == 14 and rows[0].day == DEMO_DAY
    assert rows[-1].day == DEMO_DAY - dt.timedelta(days=6)
    assert entry.page_count() > 1  # type never shrinks: the week pages
    assert "Store appearance, Mon, Nov 23: 8.8 pts, HQ" in entry_names(kit)
    kit.press(entry, "Today")
    assert {r.day for r in entry.rows()} == {DEMO_DAY}


def test_a_value_typed_on_the_keypad_shows_on_the_scoreboard_at_once(kit):
    manager = kit.manager
    kit.tap(kit.row("Store appearance"))
    keypad = manager.overlay.keypad
    assert manager.overlay.current() is keypad
    texts = {label.text() for label in visible_labels(keypad)}
    assert {"Store appearance", "Today · Tue, Nov 24", "Not entered yet today"} <= texts
    # What the number is typed against, read from the database: the demo's day goal, the
    # value HQ sent for yesterday, and the catalog's unit.
    assert {"Goal today: 8.5 pts", "Unit: pts"} <= texts
    yesterday = [t for t in texts if t.startswith("Yesterday: ")]
    assert len(yesterday) == 1 and re.fullmatch(r"Yesterday: \d+\.\d pts", yesterday[0])
    kit.press(keypad, "9", "Decimal point", "1")
    assert keypad.display.text() == "9.1 pts"
    kit.press(keypad, "OK")
    assert manager.overlay.current() is None  # back on the list
    assert "Store appearance: 9.1 pts, Store" in entry_names(kit)
    assert manager.toast.text() == "✓ Saved: Store appearance 9.1 pts"

    snapshot = kit.wait_for_snapshot(1)
    day = next(
        m for m in snapshot.scoreboard.metrics if m.metric == "appearance" and m.period == "day"
    )
    assert (day.actual, day.source, day.status) == (9.1, "store", "met")
    kit.press(kit.window.entry, "Close the entry screen")
    assert manager.state == "closed"
    assert kit.window.current_screen() == ("scoreboard", 0)
    board = {label.text() for label in visible_labels(kit.window.screen("scoreboard"))}
    assert "9.1 pts" in board


def test_a_correction_is_another_entry_and_the_trail_keeps_both(kit):
    kit.enter_value("Training hours", "6.5")
    kit.wall.advance(minutes=3)
    kit.tap(kit.row("Training hours: 6.5 h, Store"))
    keypad = kit.manager.overlay.keypad
    assert keypad.display.text() == "6.5 h"  # the current value, until a digit replaces it
    kit.press(keypad, "7", "OK")
    assert "Training hours: 7.0 h, Store" in entry_names(kit)

    kit.tap(kit.row("Training hours"))
    kit.press(keypad, "Show changes")
    audit = kit.manager.overlay.audit
    assert kit.manager.overlay.current() is audit
    # Newest first, in the store's time: 15:00 and 15:03 in Chicago.
    assert audit.lines() == [
        ("Tue, Nov 24, 15:03", "6.5 h → 7.0 h"),
        ("Tue, Nov 24, 15:00", "– → 6.5 h"),
    ]
    shown = {label.text() for label in visible_labels(audit)}
    assert {"6.5 h → 7.0 h", "– → 6.5 h", "Changes: Training hours"} <= shown
    assert [b.accessibleName() for b in kit.buttons(audit)] == ["Back"]  # read-only
    kit.press(audit, "Back")
    assert kit.manager.overlay.current() is keypad
    with kit.env.db.read() as session:
        trail = audit_trail(session, "S001", "training", DEMO_DAY)
    assert [(r.old_value, r.new_value) for r in trail] == [(None, 6.5), (6.5, 7.0)]


def test_validation_messages_on_the_pad(kit):
    manager = kit.manager
    kit.tap(kit.row("Store appearance"))
    keypad = manager.overlay.keypad
    kit.press(keypad, "OK")
    assert keypad.message.text() == "Type a number"
    kit.press(keypad, "7", "Decimal point", "2", "5", "OK")
    assert keypad.message.text() == "Use at most 1 decimal"
    kit.press(keypad, "Clear", *"9999999999", "OK")
    assert keypad.message.text() == "That is too large (at most 1,000,000,000)"
    assert not keypad.save_anyway.isVisible()
    # The outlier check runs with the save, against the store's record (8.8 pts).
    kit.press(keypad, "Clear", *"9999", "OK")
    assert "more than 100× the biggest day on record" in keypad.message.full_text()
    assert manager.overlay.current() is keypad  # nothing saved
    kit.press(keypad, "Save anyway")
    assert manager.overlay.current() is None
    assert "Store appearance: 9,999.0 pts, Store" in entry_names(kit)


def test_keypad_keys_are_big_and_named(kit):
    kit.tap(kit.row("Training hours"))
    keypad = kit.manager.overlay.keypad
    names = {b.accessibleName() for b in kit.buttons(keypad)}
    expected = {*"0123456789", "Decimal point", "Backspace", "Clear", "OK", "Cancel"}
    assert expected | {"Show changes"} == names
    touch = Theme(1080).touch_target
    digit = kit.button(keypad, "5")
    assert digit.width() >= touch and digit.height() >= touch
    assert millimetres(digit.width()) > 15  # 126 px: 80 mm on a 55-inch 1080p panel
    labels = [w for w in keypad.findChildren(QLabel) if w.isVisible()]
    assert all(label.textFormat().name == "PlainText" for label in labels)
