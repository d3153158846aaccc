"""A goal just met: the rotation is interrupted by the celebration (the goal featured, with
confetti and the chime), then resumes where it was. Driven with injected clocks."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import QImage

from kiosk.config import CelebrationConfig, DisplayConfig, ScreenSlot
from kiosk.ui.confetti import BURST_SECONDS, ConfettiOverlay
from kiosk.ui.screens.celebration import FeaturedGoal
from kiosk.ui.sound import CelebrationSound
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.checks import all_overflow_problems, visible_labels
from tests.kiosk.ui.conftest import FakeClock

SLOTS = (
    ScreenSlot("scoreboard", 20),
    ScreenSlot("comments", 15),
    ScreenSlot("celebration", 12),
    ScreenSlot("messages", 15),
    ScreenSlot("leaderboard", 12),
)


class FakeSound:
    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> bool:
        self.plays += 1
        return True


def sales_day():
    return next(m for m in snapshots.metrics() if m.metric == "sales" and m.period == "day")


@pytest.fixture
def party_clock() -> FakeClock:
    return FakeClock(0.0)


@pytest.fixture
def make_window(qtbot, clock, party_clock):
    def make(size=(1280, 720), **kw):
        window = KioskWindow(
            kw.pop("slots", SLOTS),
            kw.pop("display", DisplayConfig(transition_ms=0, shift_pixels=0)),
            clock=clock,
            now=lambda: snapshots.NOW,
            confetti_clock=party_clock,
            **kw,
        )
        qtbot.addWidget(window)
        window.resize(*size)
        window.set_snapshot(snapshots.full_snapshot())
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def test_interrupted_mid_page_then_resumed_where_it_was(make_window, clock, qtbot):
    window = make_window()
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen() == ("comments", 0)  # comments page 1 of 2, 7.5 s each
    clock.advance(2.5)  # 5 s of this page left

    with qtbot.waitSignal(window.screen_changed) as shown:
        assert window.celebrate([sales_day()])
    assert shown.args == ["celebration", 0]
    started = clock.now
    assert window.rotator.interrupted
    assert window.celebration.featured == (sales_day(),)
    hero = [w for w in window.celebration.findChildren(FeaturedGoal) if w.isVisibleTo(window)]
    assert len(hero) == 1
    texts = {label.text() for label in visible_labels(hero[0])}
    assert {"✓ Goal met today!", "Sales", "$12,840", "goal $12,000 · 107%"} <= texts
    assert not all_overflow_problems(window)

    # The celebration has the featured page first, then its usual page: 6 s each.
    assert window.celebration.page_count() == 2
    assert window.rotator.deadline() == pytest.approx(started + 6)
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen() == ("celebration", 1)
    assert window.rotator.deadline() == pytest.approx(started + 12)

    clock.now = window.rotator.deadline()
    with qtbot.waitSignal(window.screen_changed) as back:
        window.advance()
    assert back.args == ["comments", 0]  # back where it was...
    assert window.rotator.deadline() == pytest.approx(clock.now + 5)  # ...with its 5 s left
    assert not window.rotator.interrupted
    assert window.celebration.featured == ()  # the feature ends with the interruption
    assert window.celebration.page_count() == 1


def test_confetti_runs_while_the_celebration_shows_then_frees_itself(make_window, party_clock):
    window = make_window()
    confetti = window.confetti
    assert not confetti.running and confetti.particle_count() == 0
    window.celebrate([sales_day()])
    assert confetti.running and confetti.isVisible()
    assert confetti.timer().interval() == 16  # ~60 fps, while visible only
    assert confetti.particle_count() > 100
    party_clock.advance(1.0)
    assert confetti.step()
    party_clock.advance(BURST_SECONDS)
    assert not confetti.step()  # time is up: stopped, hidden, memory let go
    assert not confetti.running and not confetti.isVisible()
    assert confetti.particle_count() == 0
    assert confetti._background.isNull()


def test_confetti_never_covers_the_goal_it_celebrates(make_window, party_clock):
    """The goal's name, its number and what it beat stay readable through the whole burst:
    every frame shows them exactly as the still under the confetti does, while paper flies
    everywhere else."""
    window = make_window(size=(1920, 1080))
    window.celebrate([sales_day()])
    confetti = window.confetti
    featured = next(
        w for w in window.celebration.findChildren(FeaturedGoal) if w.isVisibleTo(window)
    )
    clear = confetti.keep_clear()
    boxes = []
    for label in (featured.name, featured.number, featured.goal):
        width = label.fontMetrics().horizontalAdvance(label.text())
        left = label.mapTo(window, label.rect().center()).x() - width // 2
        box = QRect(left, label.mapTo(window, QPoint(0, 0)).y(), width, label.height())
        assert clear.contains(box), label.text()  # the text, with a margin to spare
        boxes.append(box)
    still = confetti._background.toImage()
    frame = QImage(confetti.size(), QImage.Format.Format_RGB32)
    covered_elsewhere = False
    for _ in range(40):  # the whole burst, every 9 frames
        for _ in range(9):
            party_clock.advance(1 / 60)
            confetti.step()
        if not confetti.running:
            break
        confetti.render(frame)
        for box in boxes:
            for x in range(box.left(), box.right(), 3):
                for y in range(box.top(), box.bottom(), 3):
                    assert frame.pixel(x, y) == still.pixel(x, y), (x, y)
        covered_elsewhere = covered_elsewhere or any(
            frame.pixel(x, y) != still.pixel(x, y)
            for x in range(0, frame.width(), 16)
            for y in range(0, frame.height(), 16)
        )
    assert covered_elsewhere  # there was confetti, just not over the goal


def test_leaving_the_celebration_stops_the_confetti(make_window, clock):
    window = make_window(display=DisplayConfig(transition_ms=0, shift_pixels=0))
    window.celebrate([sales_day()])
    assert window.confetti.running
    clock.now = window.rotator.deadline()
    window.advance()  # the featured page -> the celebration's own page: still celebrating
    assert window.confetti.running
    clock.now = window.rotator.deadline()
    window.advance()
    assert window.current_screen()[0] == "scoreboard"
    assert not window.confetti.running


def test_confetti_off_in_the_config(make_window):
    window = make_window(celebration=CelebrationConfig(confetti=False))
    assert window.celebrate([sales_day()])
    assert not window.confetti.running


def test_the_chime_plays_once_per_celebration(make_window):
    sound = FakeSound()
    window = make_window(sound=sound)
    window.celebrate([sales_day()])
    assert sound.plays == 1


def test_a_second_goal_during_a_celebration_joins_it(make_window):
    window = make_window()
    csat = next(m for m in snapshots.metrics() if m.metric == "csat" and m.period == "day")
    window.celebrate([sales_day()])
    window.celebrate([csat])
    assert [g.metric for g in window.celebration.featured] == ["sales", "csat"]
    assert window.current_screen() == ("celebration", 0)


def test_while_the_manager_enters_numbers_the_celebration_waits(make_window, qtbot):
    window = make_window()
    window.open_entry()
    assert not window.celebrate([sales_day()])
    assert window.current_screen() == ("entry", 0)
    assert not window.confetti.running
    with qtbot.waitSignal(window.screen_changed) as shown:
        window.close_entry()
    assert shown.args == ["celebration", 0]
    assert window.confetti.running


def test_no_celebration_while_the_display_is_off(make_window, caplog):
    display = DisplayConfig(
        transition_ms=0, shift_pixels=0, open_at=dt.time(0, 0), close_at=dt.time(0, 1)
    )  # 10:47 is after closing
    window = make_window(display=display)
    assert not window.display_on
    with caplog.at_level(logging.INFO):
        assert not window.celebrate([sales_day()])
    assert "display is off" in caplog.text
    assert not window.confetti.running and window.celebration.featured == ()


def test_several_goals_are_featured_at_once(make_window):
    window = make_window(size=(1920, 1080))
    met = [m for m in snapshots.metrics() if m.status == "met"]
    window.celebrate(met)
    cards = [w for w in window.celebration.findChildren(FeaturedGoal) if w.isVisibleTo(window)]
    assert len(cards) == 3  # the first three; all of them are on the next page's list
    assert not all_overflow_problems(window)


def test_a_budget_kept_says_so(make_window):
    window = make_window()
    shrink = next(m for m in snapshots.metrics() if m.metric == "shrink" and m.period == "day")
    window.celebrate([shrink])
    texts = {label.text() for label in visible_labels(window.celebration)}
    assert "✓ Under budget today!" in texts
    assert "budget $150 · 80% used" in texts


# --- the sound itself ---------------------------------------------------------------------


class FakeEffect(QObject):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source = None
        self.volume = None
        self.played = 0

    def setSource(self, url) -> None:
        self.source = url.toLocalFile()

    def setVolume(self, value: float) -> None:
        self.volume = value

    def play(self) -> None:
        self.played += 1


def test_sound_respects_the_quiet_window():
    config = CelebrationConfig(
        sound=True, quiet_start=dt.time(21), quiet_end=dt.time(8), volume=0.4
    )
    moment = [dt.datetime(2026, 11, 24, 22, 30, tzinfo=snapshots.TZ)]
    effects: list[FakeEffect] = []

    def factory(parent):
        effects.append(FakeEffect(parent))
        return effects[-1]

    sound = CelebrationSound(config, lambda: moment[0], factory=factory)
    assert sound.in_quiet_hours()
    assert not sound.play()
    assert effects == []  # nothing loaded for a chime that does not play
    moment[0] = moment[0].replace(hour=8, minute=0)  # quiet ends at 08:00
    assert sound.play()
    assert effects[0].played == 1 and effects[0].volume == 0.4
    assert effects[0].source.endswith("celebration.wav")


def test_sound_off_by_default_never_loads_audio():
    calls = []
    sound = CelebrationSound(
        CelebrationConfig(), lambda: snapshots.NOW, factory=lambda p: calls.append(p)
    )
    assert not sound.play() and calls == []


def test_missing_audio_backend_is_logged_once(caplog):
    def broken(parent):
        raise ImportError("libpulse.so.0: cannot open shared object file")

    sound = CelebrationSound(CelebrationConfig(sound=True), lambda: snapshots.NOW, factory=broken)
    with caplog.at_level(logging.WARNING):
        assert not sound.play()
        assert not sound.play()
    warnings = [r for r in caplog.records if "celebration sound is off" in r.getMessage()]
    assert len(warnings) == 1
    assert "libpulse" in warnings[0].getMessage()
    assert not sound.available


@pytest.mark.qt_log_ignore("PulseAudio", "QSoundEffect", "Couldn.t (load|resolve)", "multimedia")
def test_the_real_backend_fails_or_plays_but_never_raises(qtbot, caplog, tmp_path):
    """QtMultimedia may be missing here (no libpulse) or have no device: either way, quiet.

    Quiet is not silent: a chime that cannot play turns the sound off with one warning that
    says why, and `play()` says False; a chime that plays says True.
    """

    def warnings() -> list[str]:
        return [m for r in caplog.records if "celebration sound is off" in (m := r.getMessage())]

    # A file that is not audio, on the real QSoundEffect (made without the device check, so
    # the file itself is what fails): Qt reports it after loading, and the sound gives up.
    def real_effect(parent):
        from PySide6.QtMultimedia import QSoundEffect

        return QSoundEffect(parent)

    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF? no: this is not a wave file")
    sound = CelebrationSound(
        CelebrationConfig(sound=True, sound_file=broken), lambda: snapshots.NOW, factory=real_effect
    )
    with caplog.at_level(logging.WARNING):
        sound.play()  # True while Qt still loads the file, False if QtMultimedia is missing
        qtbot.waitUntil(lambda: not sound.available, timeout=5000)
        assert not sound.play()
    assert len(warnings()) == 1, warnings()
    assert "broken.wav" in warnings()[0] or "Error" in warnings()[0]

    # The bundled chime through the kiosk's own backend (device check included).
    caplog.clear()
    sound = CelebrationSound(CelebrationConfig(sound=True), lambda: snapshots.NOW)
    with caplog.at_level(logging.WARNING):
        played = sound.play()
    assert played == sound.available  # True only while the chime can play...
    if not played:
        assert len(warnings()) == 1, warnings()  # ...and when it cannot, the log says why


def test_confetti_overlay_alone(qtbot, party_clock):
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(640, 360)
    confetti = ConfettiOverlay(host, clock=party_clock, particles=50, seconds=2, seed=3)
    with qtbot.waitSignal(confetti.finished):
        confetti.start(QPixmap(640, 360))
        party_clock.advance(2.5)
        confetti.step()
    assert not confetti.isVisible() and confetti.particle_count() == 0
