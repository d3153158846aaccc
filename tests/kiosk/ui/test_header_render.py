"""The header's freshness mark and minute clock, and the offscreen renderer."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSize

from kiosk.board.model import Freshness
from kiosk.ui.header import Header, freshness_text, ms_to_next_minute
from kiosk.ui.render import render_screen
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.checks import all_overflow_problems

TZ = snapshots.TZ


def at(day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=TZ)


def test_freshness_text():
    now = at(24, 10, 47)
    assert freshness_text(Freshness(at(24, 10, 42), False), now) == "updated 10:42"
    assert freshness_text(Freshness(at(23, 9, 12), False), now) == "updated Mon 09:12"
    stale = Freshness(at(23, 9, 12), True)
    assert freshness_text(stale, now) == "⚠ Data not updated since Mon 09:12"
    assert freshness_text(Freshness(None, True), now) == "⚠ No data from HQ yet"
    assert freshness_text(Freshness(None, False), now) == ""


def test_ms_to_next_minute_lands_just_past_the_boundary():
    assert ms_to_next_minute(at(24, 10, 42, 0)) == 60_050
    assert ms_to_next_minute(at(24, 10, 42, 59).replace(microsecond=990_000)) == 60
    assert ms_to_next_minute(at(24, 10, 42, 30)) == 30_050


def test_clock_ticks_once_a_minute(qtbot):
    now = [at(24, 10, 42, 30)]
    header = Header(now=lambda: now[0])
    qtbot.addWidget(header)
    assert header.time.full_text() == "10:42"
    assert header.date.full_text() == "Tue, Nov 24"
    timer = header.timer()
    assert timer.isSingleShot() and timer.interval() == 30_050
    now[0] = at(24, 10, 43, 0)
    timer.timeout.emit()
    assert header.time.full_text() == "10:43"
    assert timer.interval() == 60_050


def test_stale_header_warns_and_fits(make_view):
    for size in (QSize(1280, 720), QSize(1920, 1080)):
        view = make_view("comments", snapshots.stale_snapshot(), size)
        header = view.header
        assert header.stale_shown and header.warning.isVisibleTo(header)
        assert header.fresh.text() == "⚠ Data not updated since Mon 09:12"
        assert not all_overflow_problems(header)


def test_fresh_header_shows_updated_time(make_view):
    header = make_view("scoreboard").header
    assert header.fresh.text() == "updated 10:42"
    assert not header.warning.isVisibleTo(header)
    assert header.store.text() == "Downtown"
    assert header.title.text() == "Today's score"


def test_long_store_name_is_elided_not_overflowing(make_view):
    import dataclasses

    long_name = dataclasses.replace(
        snapshots.stale_snapshot(), store_name="The Very Long Store Name At The Airport Terminal B"
    )
    view = make_view("messages", long_name, QSize(1280, 720))
    assert view.header.store.text().endswith("…")
    assert not all_overflow_problems(view.header)


def test_render_screen_exact_size_and_errors():
    image = render_screen("scoreboard", snapshots.full_snapshot(), QSize(800, 450))
    assert image.size() == QSize(800, 450)
    with pytest.raises(ValueError, match="unknown screen"):
        render_screen("weather", snapshots.full_snapshot(), QSize(800, 450))
    with pytest.raises(ValueError, match="page 6 does not exist"):  # shown 1-based
        render_screen("comments", snapshots.full_snapshot(), QSize(1920, 1080), page=5)
    with pytest.raises(ValueError, match="too small"):
        render_screen("comments", snapshots.full_snapshot(), QSize(10, 10))


def test_render_second_page():
    first = render_screen("comments", snapshots.full_snapshot(), QSize(1920, 1080), 0)
    second = render_screen("comments", snapshots.full_snapshot(), QSize(1920, 1080), 1)
    assert first != second


def test_clock_follows_the_store_time_zone(qtbot):
    utc_now = dt.datetime(2026, 11, 24, 16, 47, tzinfo=dt.UTC)  # a machine set to UTC
    header = Header(now=lambda: utc_now)
    qtbot.addWidget(header)
    assert header.time.full_text() == "16:47"
    header.set_freshness(Freshness(at(24, 10, 42), False))  # Chicago, UTC-6
    assert header.time.full_text() == "10:47"
    assert header.fresh.full_text() == "updated 10:42"
