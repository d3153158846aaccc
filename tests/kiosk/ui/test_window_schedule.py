"""Opening hours on the window: black or a dim clock outside them, nothing ticking but the one
timer that wakes it at opening; and the burn-in shift of the content while open. Wall time
and monotonic time are both injected."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage

from kiosk.config import DisplayConfig, ScreenSlot
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui import snapshots

SLOTS = (ScreenSlot("scoreboard", 20), ScreenSlot("comments", 15))
TZ = snapshots.TZ


class WallClock:
    """The store's wall time, moved by hand."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, hour: int, minute: int = 0, day: int = 24) -> None:
        self.moment = dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def wall() -> WallClock:
    return WallClock(dt.datetime(2026, 11, 24, 21, 58, tzinfo=TZ))


@pytest.fixture
def make_window(qtbot, clock, wall):
    def make(off_mode="black", shift_pixels=0, size=(1280, 720), transition_ms=0):
        display = DisplayConfig(
            transition_ms=transition_ms,
            open_at=dt.time(7),
            close_at=dt.time(22),
            off_mode=off_mode,
            shift_pixels=shift_pixels,
            shift_minutes=10,
        )
        window = KioskWindow(SLOTS, display, clock=clock, now=wall)
        qtbot.addWidget(window)
        window.resize(*size)
        window.set_snapshot(snapshots.full_snapshot())
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def grab_color(window, x: int, y: int) -> str:
    image: QImage = window.grab().toImage()
    return image.pixelColor(x, y).name()


def test_closing_switches_to_black_and_stops_everything_but_the_wake_timer(
    make_window, wall, clock, qtbot
):
    window = make_window()
    assert window.display_on and window.rotation_timer().isActive()
    assert window.power_timer().isActive()
    assert window.power_timer().interval() == pytest.approx(2 * 60_000, abs=100)  # to 22:00

    wall.set(22, 0)
    with qtbot.waitSignal(window.display_changed) as changed:
        window.power_timer().timeout.emit()  # the timer fires at closing time
    assert changed.args == [False]
    assert not window.display_on
    assert window.cover.isVisible()
    assert grab_color(window, 640, 360) == "#000000"
    assert window.rotator.paused
    assert window.active_timers() == [window.power_timer()]  # nothing else ticks at night
    assert not window.header.timer().isActive()
    assert not window.confetti.running
    # It sleeps until 07:00: nine hours.
    assert window.power_timer().interval() == pytest.approx(9 * 3600_000, abs=100)

    clock.advance(3600)  # the rotation does not move while closed
    window.advance()
    assert window.current_screen() == ("scoreboard", 0)


def test_woken_at_opening_time(make_window, wall, clock, qtbot):
    window = make_window()
    wall.set(22, 30)
    window.apply_schedule()
    assert not window.display_on
    wall.set(7, 0, day=25)
    with qtbot.waitSignal(window.display_changed) as changed:
        window.power_timer().timeout.emit()
    assert changed.args == [True]
    assert window.display_on and not window.cover.isVisible()
    assert window.rotation_timer().isActive()
    assert window.header.timer().isActive()
    assert not window.rotator.paused
    assert window.rotator.deadline() == pytest.approx(clock.now + 20)  # a full page again
    # The next change is closing, 15 hours away.
    assert window.power_timer().interval() == pytest.approx(15 * 3600_000, abs=100)


def test_an_early_timer_changes_nothing(make_window, wall):
    window = make_window()
    wall.set(21, 59)
    window.power_timer().timeout.emit()
    assert window.display_on
    assert window.power_timer().interval() == pytest.approx(60_000, abs=100)


def test_starting_at_night_starts_dark(qtbot, clock):
    wall = WallClock(dt.datetime(2026, 11, 24, 3, 0, tzinfo=TZ))
    display = DisplayConfig(transition_ms=0, open_at=dt.time(7), close_at=dt.time(22))
    window = KioskWindow(SLOTS, display, clock=clock, now=wall)
    qtbot.addWidget(window)
    window.resize(640, 360)
    window.set_snapshot(snapshots.full_snapshot())  # new data at night: still dark
    window.show()
    qtbot.waitExposed(window)
    assert not window.display_on and window.cover.isVisible()
    assert window.active_timers() == [window.power_timer()]
    # Covered edge to edge, though the cover was shown before the window had its size.
    assert window.cover.geometry() == window.rect()
    assert grab_color(window, 20, 20) == grab_color(window, 620, 340) == "#000000"


def test_dim_clock_mode_shows_the_time_and_wanders(make_window, wall, qtbot):
    window = make_window(off_mode="clock")
    wall.set(22, 41)
    window.apply_schedule()
    assert window.cover.shows_clock
    assert window.cover.time_text() == "22:41"
    assert window.active_timers() == [window.power_timer()]
    # In clock mode the one timer also wakes it for the next minute (19 s past 22:41:00 -> 41 s).
    wall.moment = wall.moment.replace(second=19)
    window.apply_schedule()
    assert window.power_timer().interval() == pytest.approx(41_000, abs=200)
    first = window.cover.clock_rect()
    wall.set(22, 42)
    window.power_timer().timeout.emit()
    assert window.cover.time_text() == "22:42"
    assert window.cover.clock_rect() != first  # never the same pixels all night
    # The clock is dim, never white: sample the brightest pixel of the drawn clock.
    image = window.grab().toImage()
    rect = window.cover.clock_rect()
    brightest = max(
        QColor(image.pixel(x, y)).lightness()
        for x in range(rect.left(), rect.right(), 3)
        for y in range(rect.top(), rect.bottom(), 3)
    )
    assert 40 < brightest < 130


def test_a_tap_at_night_still_opens_the_entry_screen_then_goes_dark_again(make_window, wall, qtbot):
    window = make_window()
    wall.set(23, 0)
    window.apply_schedule()
    with qtbot.waitSignal(window.entry_requested):
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    window.open_entry()
    assert window.current_screen() == ("entry", 0)
    assert not window.cover.isVisible()
    window.close_entry()
    assert window.cover.isVisible() and not window.display_on
    assert window.rotator.paused


def test_always_on_without_opening_hours(qtbot, clock):
    window = KioskWindow(
        SLOTS, DisplayConfig(transition_ms=0), clock=clock, now=lambda: snapshots.NOW
    )
    qtbot.addWidget(window)
    assert window.display_on and window.schedule.always_on
    assert not window.power_timer().isActive()


# --- burn-in shift ------------------------------------------------------------------------


def test_content_shifts_a_few_pixels_every_ten_minutes(make_window, clock):
    clock.now = 0.0
    window = make_window(shift_pixels=4, size=(1920, 1080))
    window.apply_shift()
    assert window.content_offset() == (0, 0)
    header_pos = window.header.pos()
    assert window.shift_timer().isActive()
    assert window.shift_timer().interval() == 600_000

    seen = set()
    for step in range(1, 10):
        clock.now = step * 600.0
        window.shift_timer().timeout.emit()
        dx, dy = window.content_offset()
        seen.add((dx, dy))
        assert abs(dx) <= 4 and abs(dy) <= 4
        assert window.header.pos() == header_pos + QPoint(dx, dy)
        assert window.stack.pos() == QPoint(dx, window.header.height() + dy)
    assert len(seen) == 9  # every position of the cycle, back to the centre at the end
    assert window.content_offset() == (0, 0)


def test_shift_scales_with_the_screen_and_leaves_no_dark_edge(make_window, clock):
    clock.now = 600.0 * 4  # step 4: (-1, +1), left and down
    window = make_window(shift_pixels=4, size=(1280, 720))
    window.apply_shift()
    assert window.content_offset() == (-3, 3)  # 4 px at 1080p is 3 px at 720p
    # The strip above the header (and at its right end) has the header's colour.
    assert grab_color(window, 640, 1) == QColor("#151c26").name()
    assert grab_color(window, 1279, 30) == QColor("#151c26").name()


def test_shift_stops_at_night_and_resumes_in_the_morning(make_window, wall, clock):
    window = make_window(shift_pixels=4)
    assert window.shift_timer().isActive()
    wall.set(22, 5)
    window.apply_schedule()
    assert not window.shift_timer().isActive()
    wall.set(7, 0, day=25)
    window.apply_schedule()
    assert window.shift_timer().isActive()


def test_shift_off(make_window):
    window = make_window(shift_pixels=0)
    assert window.content_offset() == (0, 0)
    assert not window.shift_timer().isActive()


@pytest.mark.parametrize(
    ("locale", "time", "note"),
    [
        ("fr_CA", "22 h 41", "De retour à 07 h 00"),
        ("de_DE", "22:41", "Wieder da um 07:00"),
        ("es_MX", "22:41", "Regresamos a las 07:00"),
    ],
)
def test_the_night_clock_speaks_the_stores_language(make_window, wall, speak, locale, time, note):
    speak(locale)
    window = make_window(off_mode="clock")
    wall.set(22, 41)
    window.apply_schedule()
    assert (window.cover.time_text(), window.cover.note_text()) == (time, note)
    # The time and the note are drawn in the clock's box: they must fit it ("22 h 41" is wider).
    box = window.cover.clock_rect()
    assert QFontMetrics(window.cover.note_font()).horizontalAdvance(note) <= box.width()
    assert QFontMetrics(window.cover.clock_font()).horizontalAdvance(time) <= box.width()
    assert window.rect().contains(box)
