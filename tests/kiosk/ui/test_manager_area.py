"""The manager area by touch: the way in, the PIN pad and its lockout, the idle close."""

from __future__ import annotations

import logging
import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kiosk.ui.manager.area import LONG_PRESS_SECONDS
from kiosk.ui.manager.common import ManagerTab, millimetres, text_fits
from kiosk.ui.manager.pin_pad import NO_PIN_COMMAND
from kiosk.ui.theme import Theme
from tests.kiosk.ui.checks import all_overflow_problems, non_plain_labels
from tests.kiosk.ui.manager_kit import PIN, close_kit, make_kit


@pytest.fixture
def kit(qtbot, tmp_path, clock):
    made = make_kit(qtbot, tmp_path, clock, (1920, 1080))
    yield made
    close_kit(made)


def test_the_tab_opens_the_pin_pad_and_rotation_waits(kit, clock):
    window, manager = kit.window, kit.manager
    kit.set_pin()
    tab = kit.button(window, "Manager")
    assert isinstance(tab, ManagerTab)
    # In the screens' right margin, yet finger-sized: 36 x 126 px, 23 x 80 mm on 55".
    assert tab.geometry().right() == window.width() - 1
    assert millimetres(tab.width()) >= 15 and millimetres(tab.height()) >= 15
    assert window.current_screen() == ("scoreboard", 0)
    assert window.rotation_timer().isActive()

    kit.open_pad()
    assert manager.state == "pin"
    assert manager.overlay.current() is manager.overlay.pin_pad
    assert not tab.isVisible()
    assert window.rotator.paused and not window.rotation_timer().isActive()
    clock.advance(100)
    window.advance()
    assert window.current_screen() == ("scoreboard", 0)

    kit.press(manager.overlay.pin_pad, "Cancel")
    assert manager.state == "closed"
    assert not manager.overlay.isVisible() and tab.isVisible()
    assert not window.rotator.paused and window.rotation_timer().isActive()


def test_a_long_press_anywhere_opens_it_a_tap_does_not(kit, qtbot):
    window, manager = kit.window, kit.manager
    kit.set_pin()
    assert LONG_PRESS_SECONDS == 1.5  # the kit shortens it to 0.2 s
    point = QPoint(700, 600)  # on a scoreboard card
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert manager.long_press_timer().isActive()
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert not manager.long_press_timer().isActive()
    qtbot.wait(300)
    assert manager.state == "closed"

    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    qtbot.waitUntil(lambda: manager.state == "pin", timeout=3000)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    kit.settle()
    assert manager.overlay.current() is manager.overlay.pin_pad
    assert window.rotator.paused


def test_without_a_pin_it_says_how_to_set_one(kit):
    manager = kit.manager
    kit.open_pad()
    notice = manager.overlay.notice
    assert manager.overlay.current() is notice
    words = " ".join(label.text() for label in notice.findChildren(QLabel) if label.isVisible())
    assert "Ask your IT contact to run:" in words and NO_PIN_COMMAND in words
    assert not kit.window.entry.isVisible()  # not opened
    kit.press(notice, "Close")
    assert manager.state == "closed" and not kit.window.rotator.paused


def pad_words(kit) -> str:
    pad = kit.manager.overlay.pin_pad
    return " | ".join(label.text() for label in pad.findChildren(QLabel) if label.isVisible())


def test_the_pin_is_never_shown_nor_logged(kit, caplog):
    caplog.set_level(logging.DEBUG)
    kit.set_pin()
    kit.open_pad()
    pad = kit.manager.overlay.pin_pad
    for digit in PIN:
        kit.tap(kit.button(pad, digit))
        assert not re.search(f"[{PIN}]", pad_words(kit)), pad_words(kit)
    assert pad.dots.text() == "● ● ● ●"
    assert pad.accessibleName() == "" and all(
        PIN not in b.accessibleName() for b in kit.buttons(pad)
    )
    kit.press(pad, "OK")
    assert kit.manager.state == "entry"
    assert PIN not in caplog.text
    assert "PIN attempt: ok" in caplog.text


def test_a_wrong_pin_then_the_lockout_counts_down(kit):
    kit.set_pin()
    kit.open_pad()
    pad = kit.manager.overlay.pin_pad
    kit.type_pin("9999")
    assert pad.message.text() == "Wrong PIN — 4 tries left"
    assert pad.dots.text() == ""
    for left in (3, 2, 1):
        kit.type_pin("9999")
        expected = "1 try left" if left == 1 else f"{left} tries left"
        assert pad.message.text() == f"Wrong PIN — {expected}"
    kit.type_pin("9999")
    assert pad.message.text() == "Locked — try again in 5:00"
    assert not kit.button(pad, "5").isEnabled() and not kit.button(pad, "OK").isEnabled()
    assert kit.button(pad, "Cancel").isEnabled()
    # It ticks once a second, only while the pad is showing.
    assert pad.tick_timer().isActive() and pad.tick_timer().interval() == 1000
    kit.wall.advance(seconds=28)
    pad.update_lock()  # what the tick does
    assert pad.message.text() == "Locked — try again in 4:32"
    kit.wall.advance(minutes=4, seconds=32)
    pad.update_lock()
    assert pad.message.text() == "Type your PIN, then OK"
    assert not pad.tick_timer().isActive()
    kit.type_pin(PIN)
    assert kit.manager.state == "entry"


def test_a_lockout_survives_closing_and_the_tick_stops_when_hidden(kit):
    kit.set_pin()
    kit.open_pad()
    pad = kit.manager.overlay.pin_pad
    for _ in range(5):
        kit.type_pin("9999")
    assert pad.locked and pad.tick_timer().isActive()
    kit.press(pad, "Cancel")
    assert not pad.tick_timer().isActive()
    kit.wall.advance(minutes=1)
    kit.open_pad()  # the lockout is read from the database again
    assert pad.message.text() == "Locked — try again in 4:00"
    assert pad.tick_timer().isActive()


def test_idle_closes_the_area_and_the_rotation_resumes(kit, clock):
    window, manager = kit.window, kit.manager
    kit.set_pin()
    kit.log_in()
    assert window.current_screen() == ("entry", 0)
    kit.enter_value("Training hours", "4")
    timer = manager.idle_timer()
    assert timer.isActive() and timer.interval() == 60_000
    clock.advance(45)
    kit.tap(kit.row("Training hours"))  # a touch: the minute starts again
    clock.advance(30)
    manager.check_idle()  # what the timer does when it fires
    assert manager.state == "entry"
    assert timer.isActive() and timer.interval() == 30_000
    clock.advance(31)
    manager.check_idle()
    assert manager.state == "closed"
    assert not manager.overlay.isVisible()
    assert window.current_screen()[0] != "entry"
    assert not window.rotator.paused and window.rotation_timer().isActive()
    # What was saved stays saved; the number half-typed on the pad is gone.
    snapshot = kit.wait_for_snapshot(1)
    training = [m for m in snapshot.scoreboard.metrics if m.metric == "training"]
    assert training and all(m.source == "store" for m in training)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_every_page_is_finger_sized_named_and_fits(qtbot, tmp_path, clock, size):
    kit = make_kit(qtbot, tmp_path, clock, size)
    try:
        touch = Theme(size[1]).touch_target
        kit.set_pin()
        kit.open_pad()
        overlay = kit.manager.overlay
        pad = overlay.pin_pad
        names = {b.accessibleName() for b in kit.buttons(pad)}
        assert names == {*"0123456789", "OK", "Cancel", "Backspace", "Clear"}
        kit.type_pin(PIN)
        kit.tap(kit.row("Store appearance"))
        kit.press(overlay.keypad, "9", "9", "9", "9", "9", "OK")  # the outlier message
        assert "Save anyway" in {b.accessibleName() for b in kit.buttons(overlay.keypad)}
        pages = [pad, overlay.keypad]
        kit.press(overlay.keypad, "Cancel")
        kit.tap(kit.button(kit.window.entry, "Shout-outs"))
        kit.settle()
        pages.append(overlay.shoutouts)
        for page in pages:
            page.show()
            for button in kit.buttons(page):
                assert button.width() >= touch and button.height() >= touch, (
                    button.accessibleName(),
                    button.size(),
                )
                assert button.accessibleName()
                assert text_fits(button), (button.text(), button.size())
            assert all_overflow_problems(page) == []
            assert non_plain_labels(page) == []
        if size == (1920, 1080):
            assert touch == 126 and millimetres(touch) == pytest.approx(79.9, abs=0.1)
    finally:
        close_kit(kit)
