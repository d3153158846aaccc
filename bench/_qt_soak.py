"""The soak benchmark's worker: `python -m bench._qt_soak OUT.json CONFIG ROTATIONS MODE`.

Runs in its own process with `QT_QPA_PLATFORM=offscreen` (bench/soak.py starts it) and
writes what it counted as JSON.

MODE `window`: a `KioskWindow` at 1920x1080 with the demo's screens and 400 ms fades on the
synced demo data, driven by injected clocks (the rotation's and the confetti's) for
WARMUP + ROTATIONS rotations. Each rotation: the clock jumps to the rotator's deadline,
`advance()` (a `grab()` of the window, the switch, the fade started), two frames of the fade
painted, the fade run to its end, the event loop turned once. Every 100 rotations a new
snapshot with changed numbers (`set_snapshot`, ten variants in turn); every 1,000 a
celebration (`celebrate()` with a goal, 30 painted frames of confetti, then its end). The
census (RSS, Qt objects, Python wrappers) is taken after the warm-up and every 500 rotations,
always at the same phase of those cycles, so the first and the last compare like with like.

MODE `label`: the baseline, a bare QLabel of the same size given new text and repainted as
many times.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import gc
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from shiboken6 import Shiboken

from bench._qt import load_demo_snapshot, snapshot_variant, status_kb
from bench._qt_render import deliver_frame, make_window
from kiosk.ui.application import ensure_app

WARMUP = 500
SIZE = (1920, 1080)
DATA_EVERY = 100
VARIANTS = 10
CELEBRATE_EVERY = 1000
# Celebrations fall at 250, 1,250, 2,250...: one in the warm-up (whatever a celebration makes
# once is made before the first census), and every census 250 rotations after the last one.
CELEBRATE_AT = 250
CENSUS_EVERY = 500
CONFETTI_FRAMES = 30


def settle() -> None:
    """Deferred deletions delivered and garbage collected (as tests/kiosk/ui/census.py does)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    gc.collect()


_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def census(root: QWidget) -> dict[str, Any]:
    """RSS (before and after giving free heap back: malloc_trim) and live objects: Qt's
    count (QObjects under the window, every widget of the application) and the shiboken
    wrappers Python holds, by type (tests/kiosk/ui/census.py, the same way)."""
    settle()
    rss = status_kb("self", "VmRSS") / 1024
    _libc.malloc_trim(0)
    trimmed = status_kb("self", "VmRSS") / 1024
    children = len(root.findChildren(QObject))  # first: it makes wrappers of its own
    widgets = len(QApplication.allWidgets())
    wrappers = Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, Shiboken.Object))
    return {
        "rss_mb": rss,
        "trimmed_mb": trimmed,
        "children": children,
        "widgets": widgets,
        "wrappers": sum(wrappers.values()),
        "by_type": dict(wrappers),
        "python_objects": len(gc.get_objects()),
    }


def soak_window(config: Any, snapshot: Any, rotations: int) -> dict[str, Any]:
    window, clock, party = make_window(config, snapshot, *SIZE)
    window.set_snapshot(snapshot_variant(snapshot, 0))
    settle()
    # Every census trims the heap after reading VmRSS; trimming once before the start too
    # means every raw reading is "500 rotations after a trim", the first one included.
    _libc.malloc_trim(0)
    fade, confetti = window.transition, window.confetti
    met = [e for e in snapshot.scoreboard.metrics if e.actual is not None][:1]
    goals = [dataclasses.replace(e, status="met") for e in met]
    counts = {"set_snapshot": 0, "celebrations": 0, "confetti_frames": 0}
    step_ms: list[float] = []
    censuses: list[dict[str, Any]] = []

    def finish_fade() -> None:
        if fade.state() == fade.State.Running:
            fade.setCurrentTime(fade.duration() // 2)
            deliver_frame()
            fade.setCurrentTime(fade.duration())
        deliver_frame()

    def celebrate() -> None:
        clock.now += 0.5
        if not window.celebrate(goals):
            raise RuntimeError("the celebration did not start")
        counts["celebrations"] += 1
        finish_fade()
        for _ in range(CONFETTI_FRAMES):
            party.now += 1 / 60
            confetti.step()
            confetti.update()
            deliver_frame()
            counts["confetti_frames"] += 1
        party.now += 60
        confetti.step()  # the burst is over: stopped and freed

    total = WARMUP + rotations
    for rotation in range(1, total + 1):
        start = time.perf_counter()
        clock.now = window.rotator.deadline()
        window.advance()
        finish_fade()
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        step_ms.append((time.perf_counter() - start) * 1000)
        if rotation % DATA_EVERY == 0:
            variant = (rotation // DATA_EVERY) % VARIANTS
            window.set_snapshot(snapshot_variant(snapshot, variant))
            counts["set_snapshot"] += 1
        if rotation % CELEBRATE_EVERY == CELEBRATE_AT:
            celebrate()
        if rotation >= WARMUP and (rotation - WARMUP) % CENSUS_EVERY == 0:
            censuses.append({"rotation": rotation, **census(window)})
    return {
        "rotations": rotations,
        "warmup": WARMUP,
        "counts": counts,
        "step_ms": statistics.median(step_ms[WARMUP:]),
        "step_mean_ms": statistics.fmean(step_ms[WARMUP:]),
        "censuses": censuses,
        "fade_stopped": fade.state() == fade.State.Stopped,
        "confetti_idle": confetti.particle_count() == 0 and not confetti.timer().isActive(),
    }


def soak_label(rotations: int) -> dict[str, Any]:
    label = QLabel("Today's score")
    label.resize(*SIZE)
    label.show()
    settle()
    _libc.malloc_trim(0)
    step_ms: list[float] = []
    censuses: list[dict[str, Any]] = []
    total = WARMUP + rotations
    for rotation in range(1, total + 1):
        start = time.perf_counter()
        label.setText(f"Sales ${11_251 + rotation:,} of $12,000")
        deliver_frame()
        QCoreApplication.processEvents()
        step_ms.append((time.perf_counter() - start) * 1000)
        if rotation >= WARMUP and (rotation - WARMUP) % CENSUS_EVERY == 0:
            censuses.append({"rotation": rotation, **census(label)})
    return {
        "rotations": rotations,
        "step_ms": statistics.median(step_ms),
        "step_mean_ms": statistics.fmean(step_ms),
        "censuses": censuses,
    }


def main() -> int:
    out, config_path, rotations_text, mode = sys.argv[1:]
    rotations = int(rotations_text)
    ensure_app(offscreen=True)
    if mode == "window":
        config, snapshot = load_demo_snapshot(Path(config_path))
        result = soak_window(config, snapshot, rotations)
    else:
        result = soak_label(rotations)
    Path(out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
