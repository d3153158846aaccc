"""The window: rotation on a timer, cross-fades that leak nothing, pausing, pointer hiding."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from kiosk.board.model import Celebration
from kiosk.config import DisplayConfig, ScreenSlot
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui import census, snapshots

SLOTS = (
    ScreenSlot("scoreboard", 20),
    ScreenSlot("comments", 15),
    ScreenSlot("celebration", 12),
    ScreenSlot("messages", 15),
    ScreenSlot("leaderboard", 12),
)


@pytest.fixture
def make_window(qtbot, clock):
    def make(slots=SLOTS, display=None, snapshot=None, size=(1280, 720), show=True, **kw):
        window = KioskWindow(
            slots,
            display or DisplayConfig(transition_ms=0, cursor_hide_seconds=3),
            clock=kw.pop("clock", clock),
            now=lambda: snapshots.NOW,
        )
        qtbot.addWidget(window)
        window.resize(*size)
        window.set_snapshot(snapshot or snapshots.full_snapshot())
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    return make


def test_rotation_order_with_an_injected_clock(make_window, clock, qtbot):
    window = make_window()
    assert window.current_screen() == ("scoreboard", 0)
    assert window.header.title.full_text() == "Today's score"
    seen = [window.current_screen()]
    for _ in range(8):
        clock.now = window.rotator.deadline()
        with qtbot.waitSignal(window.screen_changed):
            window.advance()
        seen.append(window.current_screen())
    # Comments and messages have two and three pages at 720p: their seconds are split.
    assert seen == [
        ("scoreboard", 0),
        ("comments", 0),
        ("comments", 1),
        ("celebration", 0),
        ("messages", 0),
        ("messages", 1),
        ("messages", 2),
        ("leaderboard", 0),
        ("scoreboard", 0),
    ]


def test_page_seconds_are_split(make_window, clock):
    window = make_window()
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen() == ("comments", 0)
    assert window.rotator.deadline() == pytest.approx(clock.now + 15 / 2)
    assert window.header.page.full_text() == "1 / 2"


def test_timer_is_single_shot_at_the_deadline(make_window, clock):
    window = make_window()
    timer = window.rotation_timer()
    assert timer.isSingleShot() and timer.isActive()
    assert timer.interval() == 20_000
    clock.advance(5)
    window.advance()  # too early: nothing changes, the timer is re-aimed
    assert window.current_screen() == ("scoreboard", 0)
    assert timer.interval() == 15_000


def test_empty_screens_are_skipped(make_window, clock):
    empty = dataclasses.replace(
        snapshots.full_snapshot(), comments=(), celebration=Celebration((), ()), leaderboard=None
    )
    window = make_window(snapshot=empty)
    names = []
    for _ in range(5):
        clock.now = window.rotator.deadline()
        window.advance()
        names.append(window.current_screen()[0])
    assert names == ["messages", "messages", "messages", "scoreboard", "messages"]


def test_new_data_that_empties_the_current_screen_moves_on(make_window, clock):
    window = make_window()
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen()[0] == "comments"
    window.set_snapshot(dataclasses.replace(snapshots.full_snapshot(), comments=()))
    assert window.current_screen()[0] == "celebration"


def test_switches_screens_on_its_own_timer(qtbot, make_window):
    slots = (ScreenSlot("scoreboard", 0.15), ScreenSlot("leaderboard", 0.15))
    window = make_window(slots=slots, clock=time.monotonic, show=True)
    assert window.current_screen() == ("scoreboard", 0)
    with qtbot.waitSignal(window.screen_changed, timeout=3000) as changed:
        pass
    assert changed.args == ["leaderboard", 0]
    with qtbot.waitSignal(window.screen_changed, timeout=3000) as changed:
        pass
    assert changed.args == ["scoreboard", 0]


def test_pause_and_resume(make_window, clock):
    window = make_window()
    window.pause_rotation()
    assert not window.rotation_timer().isActive()
    clock.advance(100)
    window.advance()
    assert window.current_screen() == ("scoreboard", 0)
    window.resume_rotation()
    assert window.rotation_timer().isActive()
    assert window.rotator.deadline() == clock.now + 20


def test_entry_opens_over_the_rotation_and_closes_back(make_window, clock, qtbot):
    window = make_window()
    window.open_entry()
    assert window.current_screen() == ("entry", 0)
    assert window.header.title.full_text() == "Enter today's numbers"
    assert window.rotator.paused
    clock.advance(100)
    window.advance()
    assert window.current_screen() == ("entry", 0)
    with qtbot.waitSignal(window.screen_changed) as changed:
        window.entry.close_requested.emit()
    assert changed.args == ["scoreboard", 0]
    assert not window.rotator.paused


def test_a_tap_on_the_board_asks_for_the_entry_screen(make_window, qtbot):
    window = make_window(show=True)
    with qtbot.waitSignal(window.entry_requested):
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(600, 400))


def test_celebrate_interrupts_then_resumes(make_window, clock):
    window = make_window()
    clock.advance(5)
    assert window.celebrate()
    assert window.current_screen() == ("celebration", 0)
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen() == ("scoreboard", 0)
    assert window.rotator.deadline() == pytest.approx(clock.now + 15)


def test_resize_rescales_the_theme(make_window):
    window = make_window(size=(1920, 1080))
    assert window.header.height() == 100
    window.resize(3840, 2160)
    assert window.header.height() == 200
    assert window.screen("comments").size().height() == 2160 - 200


@pytest.mark.slow  # ~16 s: each fade takes at least one animation tick
def test_cross_fade_reuses_one_animation_and_leaks_nothing(make_window, clock, qtbot):
    slots = (ScreenSlot("scoreboard", 1), ScreenSlot("leaderboard", 1))
    window = make_window(
        slots=slots,
        display=DisplayConfig(transition_ms=1, cursor_hide_seconds=3),
        size=(480, 270),
        show=True,
    )
    fade = window.transition

    def transition() -> None:
        clock.now = window.rotator.deadline()
        window.advance()
        assert fade.state() == fade.State.Running
        with qtbot.waitSignal(fade.finished, timeout=2000):
            pass

    transition()  # warm-up: anything made once, lazily, is made now
    before = census.take(window)
    top_levels = len(QApplication.topLevelWidgets())
    for _ in range(1000):
        transition()
    after = census.take(window)
    assert window.transition is fade
    # Qt's count (every QObject under the window, every widget) and Python's (every
    # shiboken wrapper the garbage collector sees): see tests/ui/census.py.
    assert after.children == before.children
    assert after.widgets == before.widgets
    assert after.wrappers <= before.wrappers, after.growth(before)
    assert len(QApplication.topLevelWidgets()) == top_levels
    assert not window._overlay.isVisible()
    assert window._overlay._pixmap.isNull()  # the last picture was let go


def test_transition_zero_disables_the_fade(make_window, clock):
    window = make_window(show=True)
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen()[0] == "comments"
    assert window.transition.state() == window.transition.State.Stopped


def _move(window, x):
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(x, 10),
        QPointF(x, 10),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


def test_pointer_hides_after_stillness_and_returns_on_movement(make_window, qtbot):
    window = make_window(
        display=DisplayConfig(transition_ms=0, cursor_hide_seconds=0.05), show=True
    )
    qtbot.waitUntil(lambda: window.cursor().shape() == Qt.CursorShape.BlankCursor, timeout=2000)
    _move(window, 20)
    assert window.cursor().shape() != Qt.CursorShape.BlankCursor
    qtbot.waitUntil(lambda: window.cursor().shape() == Qt.CursorShape.BlankCursor, timeout=2000)


def test_pointer_always_hidden_with_zero_seconds(make_window):
    window = make_window(display=DisplayConfig(transition_ms=0, cursor_hide_seconds=0))
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
    _move(window, 30)
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
