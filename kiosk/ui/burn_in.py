"""The burn-in shift on screen: the board's content moved a few pixels every few minutes.

`BurnInShift` (plain Python, `kiosk.board.display_schedule`) says where the content sits at
an instant of the injected monotonic clock; `BurnInShifter` scales that to the screen and
aims one single-shot timer at the next step, so a kiosk on for 15 hours wakes for it a few
dozen times, not once a frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.board.display_schedule import BurnInShift
from kiosk.ui.theme import Theme

Offset = tuple[int, int]


class BurnInShifter(QObject):
    """Keeps the content's offset against burn-in while the display is on.

    The offset is in the screen's pixels (`Theme.px`: 4 px at 1080p are 3 px at 720p). While
    paused (the display is off) the timer stops and the offset stays where it was.

    Signals: `moved()`: the offset changed; the window lays out its content again.
    """

    moved = Signal()

    def __init__(
        self,
        shift: BurnInShift,
        clock: Callable[[], float],
        theme: Theme,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._shift = shift
        self._clock = clock
        self._theme = theme
        self._offset: Offset = (0, 0)
        self._paused = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.apply)

    @property
    def offset(self) -> Offset:
        """(dx, dy) in pixels, now applied to the header and the screens."""
        return self._offset

    def timer(self) -> QTimer:
        return self._timer

    @Slot()
    def apply(self) -> None:
        """Move the content to the offset for the clock's time; aim the timer at the next step."""
        if self._paused or not self._shift.enabled:
            self._timer.stop()
            self._set_offset((0, 0) if not self._shift.enabled else self._offset)
            return
        now = self._clock()
        self._set_offset(self._scaled_offset(now))
        delay = self._shift.next_change(now) - now
        self._timer.start(min(math.ceil(max(0.0, delay) * 1000), 2**31 - 1))

    def pause(self) -> None:
        """The display went off: nothing moves until `resume()`."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        """The display came on: move to where the clock says, and go on stepping."""
        self._paused = False
        self.apply()

    def set_theme(self, theme: Theme) -> None:
        """A new screen size: the same step in the new size's pixels. Emits nothing: the
        caller lays its content out for the new size anyway."""
        self._theme = theme
        if self._shift.enabled and not self._paused:
            self._offset = self._scaled_offset(self._clock())

    def _scaled_offset(self, now: float) -> Offset:
        base_x, base_y = self._shift.offset(now)
        return (self._scaled(base_x), self._scaled(base_y))

    def _scaled(self, pixels: int) -> int:
        if pixels == 0:
            return 0
        return self._theme.px(abs(pixels)) * (1 if pixels > 0 else -1)

    def _set_offset(self, offset: Offset) -> None:
        if offset != self._offset:
            self._offset = offset
            self.moved.emit()
