"""The rotation: order, timing, paging, skipping, pausing and interruptions, without Qt."""

from __future__ import annotations

import math

import pytest

from kiosk.board.rotation import MIN_RESUME_SECONDS, Rotator
from kiosk.config import ScreenSlot


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


SLOTS = (
    ScreenSlot("scoreboard", 20),
    ScreenSlot("comments", 15),
    ScreenSlot("celebration", 12),
    ScreenSlot("messages", 15),
)


def make(slots=SLOTS, content=None, pages=None, clock=None):
    content = content if content is not None else {}
    pages = pages if pages is not None else {}
    clock = clock or FakeClock()
    rotator = Rotator(
        slots,
        has_content=lambda name: content.get(name, True),
        page_count=lambda name: pages.get(name, 1),
        clock=clock,
    )
    return rotator, clock


def run(rotator, clock, steps):
    """The screens shown over `steps` deadlines, with how long each showed."""
    shown = []
    for _ in range(steps):
        start = clock.now
        current = rotator.current()
        clock.now = rotator.deadline()
        rotator.tick()
        shown.append((*current, round(clock.now - start, 6)))
    return shown


def test_needs_a_slot():
    with pytest.raises(ValueError):
        Rotator([])


def test_config_order_and_seconds():
    rotator, clock = make()
    assert rotator.current() == ("scoreboard", 0)
    assert rotator.deadline() == clock.now + 20
    assert run(rotator, clock, 5) == [
        ("scoreboard", 0, 20),
        ("comments", 0, 15),
        ("celebration", 0, 12),
        ("messages", 0, 15),
        ("scoreboard", 0, 20),
    ]


def test_tick_before_the_deadline_changes_nothing():
    rotator, clock = make()
    clock.advance(19.9)
    assert rotator.tick() is False
    assert rotator.current() == ("scoreboard", 0)
    clock.advance(0.1)
    assert rotator.tick() is True
    assert rotator.current() == ("comments", 0)


def test_screens_without_content_are_skipped():
    content = {"comments": False, "celebration": False}
    rotator, clock = make(content=content)
    assert [name for name, _, _ in run(rotator, clock, 4)] == [
        "scoreboard",
        "messages",
        "scoreboard",
        "messages",
    ]


def test_first_screen_is_the_first_with_content():
    rotator, _ = make(content={"scoreboard": False})
    assert rotator.current() == ("comments", 0)


def test_nothing_has_content_stays_put():
    slots = (ScreenSlot("comments", 10), ScreenSlot("messages", 10))
    rotator, clock = make(slots=slots, content={"comments": False, "messages": False})
    clock.advance(10)
    assert rotator.tick() is False
    assert rotator.current()[0] == "comments"


def test_pages_split_the_screen_seconds_evenly():
    rotator, clock = make(pages={"scoreboard": 2, "comments": 3})
    assert run(rotator, clock, 6) == [
        ("scoreboard", 0, 10),
        ("scoreboard", 1, 10),
        ("comments", 0, 5),
        ("comments", 1, 5),
        ("comments", 2, 5),
        ("celebration", 0, 12),
    ]


def test_single_screen_single_page_reports_no_change():
    rotator, clock = make(slots=(ScreenSlot("scoreboard", 20),))
    clock.advance(20)
    assert rotator.tick() is False
    assert rotator.deadline() == clock.now + 20


def test_a_late_tick_moves_one_step_only():
    rotator, clock = make()
    clock.advance(500)  # the machine slept
    assert rotator.tick() is True
    assert rotator.current() == ("comments", 0)
    assert rotator.deadline() == clock.now + 15


def test_pause_stops_time_and_resume_restarts_the_page():
    rotator, clock = make()
    clock.advance(15)
    rotator.pause()
    assert rotator.paused
    assert math.isinf(rotator.deadline())
    clock.advance(300)
    assert rotator.tick() is False
    assert rotator.current() == ("scoreboard", 0)
    rotator.resume()
    assert not rotator.paused
    assert rotator.current() == ("scoreboard", 0)
    # The page was covered: it gets its full time again.
    assert rotator.deadline() == clock.now + 20


def test_resume_when_not_paused_is_harmless():
    rotator, _ = make()
    assert rotator.resume() is False


def test_interrupt_shows_the_screen_then_returns_where_it_was():
    rotator, clock = make(pages={"scoreboard": 2})
    clock.advance(10)
    rotator.tick()  # scoreboard page 1, 10 s
    clock.advance(4)  # 6 s left
    assert rotator.interrupt("celebration") is True
    assert rotator.interrupted
    assert rotator.current() == ("celebration", 0)
    assert rotator.deadline() == clock.now + 12
    clock.advance(12)
    assert rotator.tick() is True
    assert rotator.current() == ("scoreboard", 1)
    assert rotator.deadline() == pytest.approx(clock.now + 6)
    clock.advance(6)
    rotator.tick()
    assert rotator.current() == ("comments", 0)


def test_interrupt_returns_with_at_least_a_few_seconds():
    rotator, clock = make()
    clock.advance(19.9)
    rotator.interrupt("celebration", seconds=5)
    clock.advance(5)
    rotator.tick()
    assert rotator.current() == ("scoreboard", 0)
    assert rotator.deadline() == pytest.approx(clock.now + MIN_RESUME_SECONDS)


def test_interrupt_pages_through_its_screen():
    rotator, clock = make(pages={"celebration": 2})
    rotator.interrupt("celebration")
    assert rotator.deadline() == clock.now + 6
    clock.advance(6)
    rotator.tick()
    assert rotator.current() == ("celebration", 1)
    clock.advance(6)
    rotator.tick()
    assert rotator.current() == ("scoreboard", 0)


def test_interrupt_of_a_screen_not_in_the_rotation_uses_a_default_time():
    slots = (ScreenSlot("scoreboard", 20), ScreenSlot("comments", 15))
    rotator, clock = make(slots=slots)
    assert rotator.interrupt("celebration")
    assert rotator.deadline() == clock.now + 12


def test_interrupt_without_content_is_refused():
    rotator, _ = make(content={"celebration": False})
    assert rotator.interrupt("celebration") is False
    assert rotator.current() == ("scoreboard", 0)


def test_second_interrupt_keeps_the_original_place():
    rotator, clock = make()
    clock.advance(5)
    rotator.tick()
    rotator.interrupt("celebration")
    clock.advance(3)
    rotator.interrupt("celebration")
    assert rotator.deadline() == clock.now + 12
    clock.advance(12)
    rotator.tick()
    assert rotator.current() == ("scoreboard", 0)
    assert rotator.deadline() == pytest.approx(clock.now + 15)


def test_interrupt_while_paused_waits_for_resume():
    rotator, _ = make()
    rotator.pause()
    assert rotator.interrupt("celebration") is False
    assert rotator.current() == ("scoreboard", 0)
    assert rotator.resume() is True
    assert rotator.current() == ("celebration", 0)


def test_refresh_leaves_a_screen_that_lost_its_content():
    content = {}
    rotator, clock = make(content=content)
    clock.advance(20)
    rotator.tick()
    assert rotator.current() == ("comments", 0)
    content["comments"] = False
    assert rotator.refresh() is True
    assert rotator.current() == ("celebration", 0)
    assert rotator.deadline() == clock.now + 12


def test_refresh_clamps_a_page_that_no_longer_exists():
    pages = {"scoreboard": 3}
    rotator, clock = make(pages=pages)
    clock.advance(20 / 3)
    rotator.tick()
    clock.advance(20 / 3)
    rotator.tick()
    assert rotator.current() == ("scoreboard", 2)
    pages["scoreboard"] = 2
    assert rotator.refresh() is True
    assert rotator.current() == ("scoreboard", 1)


def test_refresh_ends_an_interruption_whose_screen_emptied():
    content = {}
    rotator, _ = make(content=content)
    rotator.interrupt("celebration")
    content["celebration"] = False
    assert rotator.refresh() is True
    assert rotator.current() == ("scoreboard", 0)


def test_same_screen_twice_in_the_config():
    slots = (ScreenSlot("scoreboard", 10), ScreenSlot("comments", 5), ScreenSlot("scoreboard", 10))
    rotator, clock = make(slots=slots)
    assert [n for n, _, _ in run(rotator, clock, 4)] == [
        "scoreboard",
        "comments",
        "scoreboard",
        "scoreboard",
    ]
