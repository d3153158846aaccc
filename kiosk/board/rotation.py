"""Which screen the kiosk shows, and until when. Plain Python with an injected clock.

The window arms one single-shot timer at `deadline()` and calls `tick()` when it fires: no
polling, and the order, the timing and the skipping of empty screens are tested without Qt
(the same split as Anthias' `Scheduler.get_next_asset()`).

Rules:
- Screens come in config order; a screen with nothing to show (`has_content(name)` False) is
  skipped. When no screen has content the rotator stays where it is.
- A screen of N pages shows each page for `seconds / N`, so paging never lengthens the cycle.
- `pause()` (the manager area is open) stops time; `resume()` shows the covered page again for
  its full time, because nobody saw it while it was hidden.
- `interrupt(name)` (a goal was just met) shows that screen for its own seconds, then returns to
  the screen and page that were showing, with the time they had left.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.config import ScreenSlot

DEFAULT_INTERRUPT_SECONDS = 12.0
# After an interruption a page gets back at least this much time (or its full time when that
# is shorter): returning to a page for a fraction of a second reads as a glitch.
MIN_RESUME_SECONDS = 3.0


@dataclass
class _Interruption:
    name: str
    page: int
    page_seconds: float
    saved_index: int
    saved_page: int
    saved_remaining: float


class Rotator:
    """The rotation state machine over the configured screen slots."""

    def __init__(
        self,
        slots: Sequence[ScreenSlot],
        *,
        has_content: Callable[[str], bool] = lambda name: True,
        page_count: Callable[[str], int] = lambda name: 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not slots:
            raise ValueError("the rotation needs at least one screen")
        self._slots = tuple(slots)
        self._has_content = has_content
        self._page_count = page_count
        self._clock = clock
        self._index = 0
        self._page = 0
        self._paused = False
        self._interruption: _Interruption | None = None
        self._pending_interrupt: tuple[str, float | None] | None = None
        now = clock()
        first = self._next_index(len(self._slots) - 1)
        self._index = first if self._has_content(self._slots[first].name) else 0
        self._deadline = now + self._page_seconds(self._index)

    # --- queries ------------------------------------------------------------------------

    @property
    def slots(self) -> tuple[ScreenSlot, ...]:
        return self._slots

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def interrupted(self) -> bool:
        return self._interruption is not None

    def current(self) -> tuple[str, int]:
        """The screen name and page (0-based) to show now."""
        if self._interruption is not None:
            return self._interruption.name, self._interruption.page
        return self._slots[self._index].name, self._page

    def deadline(self) -> float:
        """When (clock time) the current page ends; infinity while paused."""
        return math.inf if self._paused else self._deadline

    # --- driving ------------------------------------------------------------------------

    def tick(self, now: float | None = None) -> bool:
        """Advance when the deadline has passed; True when the screen or page changed.

        Late ticks (after a sleep or a busy CPU) move one step only: skipping screens to
        "catch up" would show nobody anything.
        """
        now = self._now(now)
        if self._paused or now < self._deadline:
            return False
        before = self.current()
        self._advance(now)
        return self.current() != before

    def pause(self) -> None:
        """Stop the rotation (the manager area covers the screens)."""
        self._paused = True

    def resume(self, now: float | None = None) -> bool:
        """Restart the rotation; True when the screen or page changed."""
        if not self._paused:
            return False
        now = self._now(now)
        before = self.current()
        self._paused = False
        pending, self._pending_interrupt = self._pending_interrupt, None
        if pending is not None and self.interrupt(pending[0], now, seconds=pending[1]):
            return self.current() != before
        self._deadline = now + self._current_page_seconds()
        self.refresh(now)
        return self.current() != before

    def interrupt(
        self, name: str, now: float | None = None, *, seconds: float | None = None
    ) -> bool:
        """Show `name` now (all its pages over `seconds`), then resume where the rotation was.

        Returns True when the interruption started. A screen without content is not shown;
        while paused, the interruption waits for `resume()`.
        """
        now = self._now(now)
        if not self._has_content(name):
            return False
        if self._paused:
            self._pending_interrupt = (name, seconds)
            return False
        total = seconds if seconds is not None else self._seconds_for(name)
        page_seconds = total / self._pages(name)
        if self._interruption is not None:
            # A second celebration restarts the first; the saved place stays the original one.
            self._interruption.name = name
            self._interruption.page = 0
            self._interruption.page_seconds = page_seconds
        else:
            self._interruption = _Interruption(
                name=name,
                page=0,
                page_seconds=page_seconds,
                saved_index=self._index,
                saved_page=self._page,
                saved_remaining=max(0.0, self._deadline - now),
            )
        self._deadline = now + page_seconds
        return True

    def refresh(self, now: float | None = None) -> bool:
        """Re-check content and page counts after new data; True when the screen changed."""
        now = self._now(now)
        before = self.current()
        if self._interruption is not None:
            name = self._interruption.name
            if not self._has_content(name):
                self._end_interruption(now)
            elif self._interruption.page >= self._pages(name):
                self._interruption.page = self._pages(name) - 1
            return self.current() != before
        name = self._slots[self._index].name
        if not self._has_content(name) and self._next_index(self._index) != self._index:
            self._next_screen(now)
        elif self._page >= self._pages(name):
            self._page = self._pages(name) - 1
        return self.current() != before

    # --- internals ----------------------------------------------------------------------

    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now

    def _pages(self, name: str) -> int:
        return max(1, int(self._page_count(name)))

    def _seconds_for(self, name: str) -> float:
        for slot in self._slots:
            if slot.name == name:
                return slot.seconds
        return DEFAULT_INTERRUPT_SECONDS

    def _page_seconds(self, index: int) -> float:
        slot = self._slots[index]
        return slot.seconds / self._pages(slot.name)

    def _current_page_seconds(self) -> float:
        if self._interruption is not None:
            return self._interruption.page_seconds
        return self._page_seconds(self._index)

    def _next_index(self, start: int) -> int:
        """The next slot after `start` (wrapping) with content; `start` when none has any."""
        count = len(self._slots)
        for step in range(1, count + 1):
            candidate = (start + step) % count
            if self._has_content(self._slots[candidate].name):
                return candidate
        return start

    def _advance(self, now: float) -> None:
        if self._interruption is not None:
            interruption = self._interruption
            if interruption.page + 1 < self._pages(interruption.name):
                interruption.page += 1
                self._deadline = now + interruption.page_seconds
            else:
                self._end_interruption(now)
            return
        name = self._slots[self._index].name
        if self._page + 1 < self._pages(name):
            self._page += 1
            self._deadline = now + self._page_seconds(self._index)
        else:
            self._next_screen(now)

    def _next_screen(self, now: float) -> None:
        """On to the next screen with content, at its first page, for that page's full time."""
        self._index = self._next_index(self._index)
        self._page = 0
        self._deadline = now + self._page_seconds(self._index)

    def _end_interruption(self, now: float) -> None:
        saved = self._interruption
        assert saved is not None
        self._interruption = None
        self._index = saved.saved_index
        name = self._slots[self._index].name
        if not self._has_content(name):
            self._next_screen(now)
            return
        self._page = min(saved.saved_page, self._pages(name) - 1)
        full = self._page_seconds(self._index)
        self._deadline = now + max(saved.saved_remaining, min(MIN_RESUME_SECONDS, full))
