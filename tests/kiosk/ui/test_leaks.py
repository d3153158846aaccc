"""A kiosk runs for months: a thousand cross-fades and a hundred celebrations (confetti,
featured page, chime) must leave no more live Qt objects than they found, counted on Qt's
side and as Python wrappers (tests/ui/census.py)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.config import DisplayConfig, ScreenSlot
from kiosk.ui.confetti import BURST_SECONDS
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui import census, snapshots
from tests.kiosk.ui.conftest import FakeClock


class QuietSound:
    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> bool:
        self.plays += 1
        return True


@pytest.fixture
def window(qtbot, clock):
    party = FakeClock(0.0)
    sound = QuietSound()
    win = KioskWindow(
        (ScreenSlot("scoreboard", 1), ScreenSlot("leaderboard", 1)),
        DisplayConfig(transition_ms=200, cursor_hide_seconds=3, shift_pixels=0),
        clock=clock,
        now=lambda: snapshots.NOW,
        confetti_clock=party,
        sound=sound,
    )
    qtbot.addWidget(win)
    win.resize(480, 270)
    win.set_snapshot(snapshots.full_snapshot())
    win.show()
    qtbot.waitExposed(win)
    win.party_clock = party  # type: ignore[attr-defined]
    win.sound = sound  # type: ignore[attr-defined]
    return win


def finish_fade(win: KioskWindow) -> None:
    """Run the reused animation to its end now (its own timer would take 200 ms)."""
    fade = win.transition
    if fade.state() == fade.State.Running:
        fade.setCurrentTime(fade.duration())
    assert fade.state() == fade.State.Stopped


def transition(win: KioskWindow, clock: FakeClock) -> None:
    clock.now = win.rotator.deadline()
    win.advance()
    assert win.transition.state() == win.transition.State.Running
    finish_fade(win)


@pytest.mark.slow  # ~10 s
def test_no_growth_after_1000_transitions(window, clock):
    fade = window.transition
    transition(window, clock)  # warm-up: anything made once, lazily, is made now
    transition(window, clock)
    before = census.take(window)
    for _ in range(1000):
        transition(window, clock)
    after = census.take(window)
    assert window.transition is fade  # one animation, reused
    assert after.children == before.children
    assert after.widgets == before.widgets
    assert after.wrappers <= before.wrappers, after.growth(before)
    assert not window._overlay.isVisible()
    assert window._overlay._pixmap.isNull()  # the last picture was let go


@pytest.mark.slow  # ~10 s
def test_no_growth_after_100_celebrations(window, clock):
    goal = next(m for m in snapshots.metrics() if m.metric == "sales" and m.period == "day")
    party = window.party_clock
    confetti = window.confetti

    def celebrate_once() -> None:
        assert window.celebrate([goal])
        finish_fade(window)
        assert confetti.running and confetti.particle_count() > 0
        for _ in range(30):  # some frames: physics, and a paint each
            party.advance(1 / 60)
            confetti.step()
            confetti.repaint()
        party.advance(BURST_SECONDS)
        assert not confetti.step()  # over: stopped and freed
        # The interruption ends; the rotation carries on where it was.
        while window.rotator.interrupted:
            clock.now = window.rotator.deadline()
            window.advance()
            finish_fade(window)

    celebrate_once()  # warm-up
    celebrate_once()
    before = census.take(window)
    for _ in range(100):
        celebrate_once()
    after = census.take(window)
    assert window.sound.plays == 102
    assert after.children == before.children
    assert after.widgets == before.widgets
    assert after.wrappers <= before.wrappers, after.growth(before)
    assert confetti.particle_count() == 0 and confetti._background.isNull()
    assert not confetti.timer().isActive()
    assert window.celebration.featured == ()


def test_the_census_sees_a_leak():
    """The census must be able to fail: a kept pixmap and a parentless widget show up."""
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    before = census.take(host)
    kept = [QPixmap(4, 4) for _ in range(5)]
    orphan = QWidget()
    child = QWidget(host)
    after = census.take(host)
    assert after.wrappers >= before.wrappers + 7
    assert after.growth(before).get("QPixmap") == 5
    assert after.widgets == before.widgets + 2
    assert after.children == before.children + 1
    del kept, orphan, child
    host.deleteLater()
    assert dataclasses.is_dataclass(before)
