"""The render benchmark's worker: `python -m bench._qt_render OUT.json CONFIG N [MODE]`.

Runs in its own process with `QT_QPA_PLATFORM=offscreen` (bench/render.py starts it) and
writes raw timings, in milliseconds, as JSON; bench/render.py turns them into rows.

MODE `all` (default): every screen at 1080p and 4K, the cross-fades and the confetti.
MODE `4k`: only the screens and the cross-fades at 4K (run again with another environment,
e.g. `QT_MAX_CACHED_GLYPH_SIZE`, to measure a fix).
MODE `pi`: as `all` with fewer repeats, for a run under a CPU quota (bench/pi.py).

How a frame is timed: the animation is stepped by hand (`setCurrentTime`, and the confetti's
injected clock), which marks the widgets dirty exactly as a frame of the running animation
does; then the posted `UpdateRequest` is delivered (`sendPostedEvents`), which is the whole
repaint of a frame: every widget under the dirty region painted into the window's backing
store. Nothing else runs in between (no event loop), so the time is the frame's own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import itertools
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from bench._qt import load_demo_snapshot, snapshot_variant, status_kb
from kiosk.config import ALL_SCREENS
from kiosk.ui.application import ensure_app
from kiosk.ui.render import ScreenView
from kiosk.ui.window import KioskWindow

SIZES = ((1920, 1080), (3840, 2160))
FRAME_MS = 1000 / 60
# Variant numbers for snapshot_variant: each call gives a snapshot with numbers not seen
# before (within 13% of the demo's, so the layouts measured stay the demo's); fewer than
# 1,000 are used in a run.
counter = itertools.count(1)


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "mean": statistics.fmean(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "max": ordered[-1],
        "n": len(ordered),
    }


def timed(fn: Callable[[], object], n: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def deliver_frame() -> None:
    """Paint what is dirty now, as the window's UpdateRequest does every frame."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# --- baselines ----------------------------------------------------------------------------


class _PictureOverlay(QWidget):
    """The least a cross-fade can do: one picture painted at an opacity over a widget."""

    def __init__(self, parent: QWidget, picture: QPixmap) -> None:
        super().__init__(parent)
        self.picture = picture
        self.opacity = 0.5
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setOpacity(self.opacity)
        painter.drawPixmap(self.rect(), self.picture)
        painter.end()


def label_widget(width: int, height: int) -> QWidget:
    """A plain QWidget with one QLabel filling it."""
    widget = QWidget()
    label = QLabel("Today's score: $11,251 of $12,000", widget)
    label.setGeometry(0, 0, width, height)
    widget.resize(width, height)
    return widget


def baseline_paint(width: int, height: int, n: int) -> list[float]:
    widget = label_widget(width, height)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.show()
    image = QImage(QSize(width, height), QImage.Format.Format_RGB32)
    samples = timed(lambda: widget.render(image), n)
    widget.deleteLater()
    return samples


def baseline_fade(width: int, height: int, n: int) -> list[float]:
    """A frame of a bare cross-fade: the label widget repainted under a picture overlay."""
    widget = label_widget(width, height)
    widget.show()
    picture = QPixmap(widget.size())
    picture.fill(QColor("#202830"))
    overlay = _PictureOverlay(widget, picture)
    overlay.setGeometry(widget.rect())
    overlay.show()
    QCoreApplication.processEvents()

    def frame() -> None:
        overlay.opacity = 1.0 - overlay.opacity
        overlay.update()
        deliver_frame()

    samples = timed(frame, n)
    widget.deleteLater()
    flush_deletes()
    return samples


# --- screens ------------------------------------------------------------------------------


def _require_text(image: QImage, what: str) -> None:
    """Fail when a picture holds no text: a fast paint of a blank screen proves nothing.

    (Raising QT_MAX_CACHED_GLYPH_SIZE above 64 once "sped up" 4K tenfold by drawing no glyph.)
    """
    step_x, step_y = max(1, image.width() // 300), max(1, image.height() // 170)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step_x)
        for y in range(0, image.height(), step_y)
    }
    if len(colours) < 100:
        raise RuntimeError(f"{what}: only {len(colours)} colours painted; is any text drawn?")


def screens(snapshot: Any, n: int, sizes: tuple[tuple[int, int], ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rebuilds = max(10, n // 5)
    for width, height in sizes:
        size = QSize(width, height)
        key = f"{width}x{height}"
        out.setdefault("baseline", {})[key] = stats(baseline_paint(width, height, n))
        for name in ALL_SCREENS:
            start = time.perf_counter()
            view = ScreenView(name, snapshot, size)
            built_ms = (time.perf_counter() - start) * 1000
            image = QImage(size, QImage.Format.Format_RGB32)
            paint = timed(lambda view=view, image=image: view.render(image), n)
            _require_text(image, f"{name} {key}")

            def rebuild(view: ScreenView = view, image: QImage = image) -> None:
                changed = snapshot_variant(snapshot, next(counter))
                view.header.set_snapshot(changed)
                view.screen.set_snapshot(changed)
                flush_deletes()
                view.render(image)  # the first paint of the new pages (polish, layout)

            rebuild_ms = timed(rebuild, rebuilds, warmup=2)
            out.setdefault(name, {})[key] = {
                "paint": stats(paint),
                "rebuild": stats(rebuild_ms),
                "build_once_ms": built_ms,
                "pages": view.screen.page_count(),
            }
            view.hide()
            view.deleteLater()
            flush_deletes()
    return out


# --- the window: cross-fades and confetti ---------------------------------------------------


def make_window(config: Any, snapshot: Any, width: int, height: int) -> tuple[Any, ...]:
    clock, party = FakeClock(), FakeClock()
    tz = config.store.tz
    window = KioskWindow(
        config.screens,
        config.display,
        clock=clock,
        now=lambda: dt.datetime.now(tz),
        celebration=config.celebration,
        confetti_clock=party,
    )
    window.resize(width, height)
    window.show()
    window.set_snapshot(snapshot)
    for _ in range(3):
        QCoreApplication.processEvents()
    return window, clock, party


def finish_fade(window: Any) -> None:
    fade = window.transition
    if fade.state() == fade.State.Running:
        fade.setCurrentTime(fade.duration())
    deliver_frame()


def fade_frames(window: Any, extra: Callable[[], None] | None = None) -> list[float]:
    """Every 60 Hz frame of the running cross-fade, its last (the overlay gone) included."""
    fade = window.transition
    steps = math.ceil(fade.duration() / FRAME_MS)
    frames = []
    for k in range(steps + 1):
        start = time.perf_counter()
        fade.setCurrentTime(min(fade.duration(), round(k * FRAME_MS)))
        if extra is not None:
            extra()
        deliver_frame()
        frames.append((time.perf_counter() - start) * 1000)
    return frames


def rotation_cycle(window: Any, clock: FakeClock) -> int:
    """How many advances bring the rotation back to where it is."""
    first = window.current_screen()
    for count in range(1, 60):
        clock.now = window.rotator.deadline()
        window.advance()
        finish_fade(window)
        if window.current_screen() == first:
            return count
    return 60


def crossfades(config: Any, snapshot: Any, size: tuple[int, int], repeats: int) -> dict[str, Any]:
    window, clock, _party = make_window(config, snapshot, *size)
    cycle = rotation_cycle(window, clock)  # also the warm-up: every screen shown once
    per_step: dict[int, list[list[float]]] = {}
    starts: dict[int, list[float]] = {}
    names: dict[int, str] = {}
    for _ in range(repeats):
        for step in range(cycle):
            before = window.current_screen()[0]
            clock.now = window.rotator.deadline()
            start = time.perf_counter()
            window.advance()  # grab() of the window, switch, fade.start()
            starts.setdefault(step, []).append((time.perf_counter() - start) * 1000)
            names[step] = f"{before}->{window.current_screen()[0]}"
            per_step.setdefault(step, []).append(fade_frames(window))
    # Per frame position, the median over the repeats (a preempted frame on a shared machine
    # is not the kiosk's); then the worst position of every transition.
    worst = []
    typical = []
    for step, runs in per_step.items():
        positions = [statistics.median(frame) for frame in zip(*runs, strict=True)]
        worst.append({"transition": names[step], "max": max(positions)})
        typical += positions
    raw = [ms for runs in per_step.values() for run in runs for ms in run]
    set_snapshot = timed(
        lambda: (window.set_snapshot(snapshot_variant(snapshot, next(counter))), flush_deletes()),
        max(5, repeats * 2),
        warmup=1,
    )
    window.close()
    window.deleteLater()
    flush_deletes()
    return {
        "cycle": cycle,
        "frames_per_fade": len(next(iter(per_step.values()))[0]),
        "frames": stats(typical),
        "worst_by_transition": worst,
        "raw_max": max(raw),
        "raw_mean": statistics.fmean(raw),
        "start": stats([ms for values in starts.values() for ms in values]),
        "start_by_transition": {names[s]: statistics.median(v) for s, v in starts.items()},
        "set_snapshot": stats(set_snapshot),
    }


def confetti(config: Any, snapshot: Any, size: tuple[int, int], repeats: int) -> dict[str, Any]:
    """celebrate(): the cross-fade to the featured page over the confetti, then the burst."""
    window, clock, party = make_window(config, snapshot, *size)
    met = [e for e in snapshot.scoreboard.metrics if e.actual is not None][:1]
    goals = [dataclasses.replace(e, status="met") for e in met]
    confetti = window.confetti
    starts, over_fade, burst = [], [], []
    particles = 0
    for _ in range(repeats + 1):  # the first is the warm-up
        clock.now += 1
        start = time.perf_counter()
        if not window.celebrate(goals):
            raise RuntimeError("the celebration did not start")
        started_ms = (time.perf_counter() - start) * 1000
        particles = confetti.particle_count()

        def confetti_step() -> None:
            party.now += 1 / 60
            confetti.step()
            confetti.update()

        fade = fade_frames(window, confetti_step)
        frames = []
        while True:
            start = time.perf_counter()
            party.now += 1 / 60
            if not confetti.step():
                break
            confetti.update()
            deliver_frame()
            frames.append((time.perf_counter() - start) * 1000)
        while window.rotator.interrupted:
            clock.now = window.rotator.deadline()
            window.advance()
            finish_fade(window)
        starts.append(started_ms)
        over_fade.append(fade)
        burst.append(frames)
    starts, over_fade, burst = starts[1:], over_fade[1:], burst[1:]
    shortest = min(len(run) for run in burst)
    burst_positions = [statistics.median(run[i] for run in burst) for i in range(shortest)]
    fade_positions = [statistics.median(frame) for frame in zip(*over_fade, strict=True)]
    window.close()
    window.deleteLater()
    flush_deletes()
    return {
        "particles": particles,
        "celebrate": stats(starts),
        "over_fade": stats(fade_positions),
        "burst": stats(burst_positions),
        "burst_frames": shortest,
        "raw_max": max(ms for run in burst for ms in run),
        "raw_mean": statistics.fmean(ms for run in burst for ms in run),
    }


def main() -> int:
    out, config_path, n_text, *rest = sys.argv[1:]
    mode = rest[0] if rest else "all"
    n = int(n_text)
    config, snapshot = load_demo_snapshot(Path(config_path))
    ensure_app(offscreen=True)
    gc.collect()
    result: dict[str, Any] = {"rss_start_mb": status_kb("self", "VmRSS") / 1024}
    if mode == "4k":
        result["screens"] = screens(snapshot, n, SIZES[1:])
        result["crossfade"] = {"3840x2160": crossfades(config, snapshot, SIZES[1], 3)}
    elif mode == "pi":
        result["screens"] = screens(snapshot, n, SIZES)
        result["fade_baseline"] = {f"{w}x{h}": stats(baseline_fade(w, h, n)) for w, h in SIZES}
        result["crossfade"] = {
            f"{w}x{h}": crossfades(config, snapshot, (w, h), 1) for w, h in SIZES
        }
        result["confetti"] = confetti(config, snapshot, SIZES[0], 1)
    else:
        result["screens"] = screens(snapshot, n, SIZES)
        repeats = 3 if n < 100 else 5
        result["fade_baseline"] = {f"{w}x{h}": stats(baseline_fade(w, h, n)) for w, h in SIZES}
        result["crossfade"] = {
            f"{w}x{h}": crossfades(config, snapshot, (w, h), repeats if w < 3000 else 3)
            for w, h in SIZES
        }
        result["confetti"] = confetti(config, snapshot, SIZES[0], 2 if n < 100 else 3)
    result["rss_end_mb"] = status_kb("self", "VmRSS") / 1024
    result["hwm_mb"] = status_kb("self", "VmHWM") / 1024
    Path(out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
