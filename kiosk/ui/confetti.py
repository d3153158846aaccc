"""Confetti for a goal-met moment: a few seconds of paper bits over a still of the screen.

Cheap by construction, because a kiosk runs for months:
- One overlay widget, one QTimer (16 ms, precise), one QTransform, one QRectF and a QColor
  per palette entry, all made once with the window. The timer runs only during a burst.
- Particles live in plain `array('d')` columns (x, y, velocities, angle, ...): no object
  per particle and nothing allocated per frame. When a burst ends the arrays are emptied
  and the still picture dropped, so an idle kiosk holds no confetti memory.
- The overlay is opaque: it paints a still of the window (taken when the burst starts or
  the page changes) and the particles over it. A transparent overlay would make Qt repaint
  every label beneath it 60 times a second.
- Motion follows the injected clock, not the frame count, so a slow frame does not slow
  the confetti down, and tests step it by hand.
- Confetti never covers what it celebrates: widgets marked with `keep_clear_of_confetti`
  (the featured goal's name, number and goal) are cut out of where particles are drawn.
  The cut-out is found when the still is taken (a burst starts, the page changes), so it
  costs nothing per frame beyond a clip.

Signals: `finished()` when a burst ends (its time is up, or `stop()`).
"""

from __future__ import annotations

import math
import random
import time
from array import array
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap, QRegion, QTransform
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui import theme as th

FRAME_MS = 16  # ~60 fps
BURST_SECONDS = 6.0
FADE_SECONDS = 0.8  # the last moments fade out rather than vanish
PARTICLES = 300
PALETTE = (
    th.STATUS_COLORS["met"],
    th.CELEBRATION,
    th.PERSPECTIVE_COLORS["customer"],
    th.STATUS_COLORS["on_track"],
    th.PERSPECTIVE_COLORS["learning"],
    th.PERSPECTIVE_COLORS["process"],
    "#ffffff",
)
# Physics in screen heights (and widths) per second, so 720p and 4K look alike. Linear drag,
# integrated exactly per step (v -> g/k + (v - g/k) e^(-k dt)), so the motion does not
# depend on the frame rate. Paper is light on the way down: more drag, a slow flutter.
GRAVITY = 1.1
DRAG_UP = 1.6
DRAG_DOWN = 5.0  # falling at about GRAVITY / DRAG_DOWN = 0.22 screen heights a second
DRAG_SIDE = 1.1
SWAY = 0.03  # sideways flutter, in widths per second

_COLUMNS = ("x", "y", "vx", "vy", "angle", "spin", "flip", "flip_speed", "size", "born", "color")
KEEP_CLEAR = "keepClearOfConfetti"  # a widget property: no confetti over this widget's text
CLEARANCE = 0.012  # around what is kept clear, in screen heights


def keep_clear_of_confetti(widget: QWidget) -> None:
    """Mark `widget` (a label: its text) as something confetti must never cover."""
    widget.setProperty(KEEP_CLEAR, True)


def _text_rect(widget: QWidget) -> QRect:
    """The part of `widget` that shows something: a label's text, not its whole box."""
    rect = widget.rect()
    if not isinstance(widget, QLabel) or not widget.text():
        return rect
    metrics = widget.fontMetrics()
    width = min(rect.width(), max(metrics.horizontalAdvance(t) for t in widget.text().split("\n")))
    align = widget.alignment()
    if align & Qt.AlignmentFlag.AlignHCenter:
        left = (rect.width() - width) // 2
    elif align & Qt.AlignmentFlag.AlignRight:
        left = rect.width() - width
    else:
        left = 0
    return QRect(left, 0, width, rect.height())


class ConfettiOverlay(QWidget):
    """A burst of confetti over a still picture of the window; see the module text."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        *,
        clock: Callable[[], float] = time.monotonic,
        particles: int = PARTICLES,
        seconds: float = BURST_SECONDS,
        seed: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # Every pixel is painted (the still, then the bits): Qt need not clear or compose.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._clock = clock
        self._count = max(1, particles)
        self._seconds = seconds
        self._rng = random.Random(seed)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        self._colors = tuple(QColor(c) for c in PALETTE)
        self._transform = QTransform()
        self._piece = QRectF()
        self._background = QPixmap()
        self._fill = QColor(th.BACKGROUND)
        self._started = 0.0
        self._last = 0.0
        self._alpha = 1.0
        self._columns: dict[str, array] = {name: array("d") for name in _COLUMNS}
        self._clear = QRegion()  # where particles are not drawn (see KEEP_CLEAR)
        self.hide()

    # --- public ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def timer(self) -> QTimer:
        return self._timer

    def particle_count(self) -> int:
        return len(self._columns["x"])

    def start(self, background: QPixmap) -> None:
        """Burst over `background` (a still of the window); restarts a running burst."""
        self._background = background
        self._clear = self.find_keep_clear()
        self._seed_particles()
        self._started = self._last = self._clock()
        self._alpha = 1.0
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self._timer.start()
        self.update()

    def set_background(self, background: QPixmap) -> None:
        """A new still (the page under the confetti changed)."""
        if self.running:
            self._background = background
            self._clear = self.find_keep_clear()
            self.update()

    @Slot()
    def stop(self) -> None:
        """End the burst now: stop the timer, hide, let go of the particles and the still."""
        was_running = self.running or self.isVisible()
        self._timer.stop()
        self.hide()
        self._background = QPixmap()
        self._clear = QRegion()
        for name in _COLUMNS:
            self._columns[name] = array("d")
        if was_running:
            self.finished.emit()

    def step(self, now: float | None = None) -> bool:
        """Move the particles to clock time `now`; False (and stopped) when the burst is over."""
        now = self._clock() if now is None else now
        elapsed = now - self._started
        if elapsed >= self._seconds:
            self.stop()
            return False
        # A long pause (a busy CPU, a debugger) is not simulated in one leap.
        delta = max(0.0, min(now - self._last, 0.05))
        self._last = now
        self._alpha = min(1.0, max(0.0, (self._seconds - elapsed) / FADE_SECONDS))
        self._move(delta, elapsed)
        return True

    def keep_clear(self) -> QRegion:
        """Where no particle is drawn: what the burst celebrates, with a margin."""
        return QRegion(self._clear)

    def find_keep_clear(self) -> QRegion:
        """The text of every visible widget over which confetti must not fall (marked with
        `keep_clear_of_confetti`), in this overlay's coordinates, with a small margin."""
        parent = self.parentWidget()
        region = QRegion()
        if parent is None:
            return region
        margin = round(CLEARANCE * max(1, parent.height()))
        for widget in parent.findChildren(QWidget):
            if not widget.property(KEEP_CLEAR) or not widget.isVisibleTo(parent):
                continue
            rect = _text_rect(widget)
            origin = widget.mapTo(parent, QPoint(rect.x(), rect.y()))
            box = QRect(origin, rect.size()).adjusted(-margin, -margin, margin, margin)
            region = region.united(box.translated(-self.x(), -self.y()))
        return region

    def paint_particles(self, painter: QPainter) -> None:
        """Draw the particles (no background) with `painter`; the benchmark calls this too."""
        c = self._columns
        height = float(max(1, self.height()))
        width = float(max(1, self.width()))
        if not self._clear.isEmpty():
            # Set before any particle's transform: a clip is fixed in device coordinates.
            painter.setClipRegion(QRegion(self.rect()).subtracted(self._clear))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setOpacity(self._alpha)
        transform, piece, colors = self._transform, self._piece, self._colors
        xs, ys, angles, flips, sizes, borns, color_of = (
            c["x"],
            c["y"],
            c["angle"],
            c["flip"],
            c["size"],
            c["born"],
            c["color"],
        )
        elapsed = self._last - self._started
        for i in range(len(xs)):
            if borns[i] > elapsed:
                continue  # not launched yet
            y = ys[i] * height
            if y < -40 or y > height + 40:
                continue
            size = sizes[i] * height
            cos_a, sin_a = math.cos(angles[i]), math.sin(angles[i])
            squash = math.cos(flips[i])  # tumbling paper: its width swings through zero
            transform.setMatrix(
                cos_a * squash, sin_a * squash, 0.0, -sin_a, cos_a, 0.0, xs[i] * width, y, 1.0
            )
            painter.setTransform(transform)
            piece.setRect(-size, -size * 0.45, 2 * size, size * 0.9)
            painter.fillRect(piece, colors[int(color_of[i])])
        painter.resetTransform()
        painter.setOpacity(1.0)
        painter.setClipping(False)

    # --- internals ----------------------------------------------------------------------

    def _seed_particles(self) -> None:
        """Two cannons at the bottom corners fire up and inwards over the first 0.7 s."""
        rng = self._rng
        aspect = max(0.5, self.parentWidget().width() / max(1, self.parentWidget().height()))
        columns = {name: array("d", bytes(8 * self._count)) for name in _COLUMNS}
        for i in range(self._count):
            left = i % 2 == 0
            angle = math.radians(rng.uniform(48, 80))  # from the horizontal
            speed = rng.uniform(1.5, 2.6)
            columns["x"][i] = 0.0 if left else 1.0
            columns["y"][i] = 1.02
            # x is in widths, y in heights: divide the horizontal speed by the aspect ratio.
            columns["vx"][i] = (1 if left else -1) * math.cos(angle) * speed / aspect
            columns["vy"][i] = -math.sin(angle) * speed
            columns["angle"][i] = rng.uniform(0, 2 * math.pi)
            columns["spin"][i] = rng.uniform(-9, 9)
            columns["flip"][i] = rng.uniform(0, 2 * math.pi)
            columns["flip_speed"][i] = rng.uniform(5, 12)
            columns["size"][i] = rng.uniform(0.007, 0.012)
            columns["born"][i] = rng.uniform(0, 0.7)
            columns["color"][i] = rng.randrange(len(self._colors))
        self._columns = columns

    def _move(self, delta: float, elapsed: float) -> None:
        c = self._columns
        xs, ys, vxs, vys = c["x"], c["y"], c["vx"], c["vy"]
        angles, spins, flips, flip_speeds, borns = (
            c["angle"],
            c["spin"],
            c["flip"],
            c["flip_speed"],
            c["born"],
        )
        side = math.exp(-DRAG_SIDE * delta)
        up, down = math.exp(-DRAG_UP * delta), math.exp(-DRAG_DOWN * delta)
        limit_up, limit_down = GRAVITY / DRAG_UP, GRAVITY / DRAG_DOWN
        sway = SWAY * delta
        sin = math.sin
        for i in range(len(xs)):
            if borns[i] > elapsed:
                continue
            vy = vys[i]
            if vy < 0:
                vy = limit_up + (vy - limit_up) * up
            else:
                vy = limit_down + (vy - limit_down) * down
            vx = vxs[i] * side
            vxs[i] = vx
            vys[i] = vy
            xs[i] += vx * delta + sway * sin(flips[i] * 0.5)
            ys[i] += vy * delta
            angles[i] += spins[i] * delta
            flips[i] += flip_speeds[i] * delta

    @Slot()
    def _on_frame(self) -> None:
        if self.step():
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._background.isNull():
            painter.fillRect(self.rect(), self._fill)
        else:
            painter.drawPixmap(0, 0, self._background)
        self.paint_particles(painter)
        painter.end()
