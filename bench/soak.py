"""Soak: 10,000 screen rotations with live data changes in one process (issue 6 item 6).

The worker (bench/_qt_soak.py, offscreen) drives a `KioskWindow` at 1920x1080 on the synced
demo data with injected clocks: every rotation a real cross-fade (`grab()`, switch, frames
painted), every 100 rotations a new snapshot with changed numbers, every 1,000 a celebration
with confetti. After a warm-up of 500 rotations and at the end it counts:
- RSS growth (/proc/self/status VmRSS): target under 10 MB. The note also gives the growth
  after `malloc_trim(0)` (heap that is free but not yet given back is not a leak).
- live Qt objects: QObjects under the window, every QWidget of the application, and the
  shiboken wrappers the garbage collector sees (tests/kiosk/ui/census.py, the same way). Target:
  no growth.

Baseline: a bare QLabel of the same size given new text and repainted as many times, in a
process of its own.
"""

from __future__ import annotations

import shutil
from typing import Any

from bench import Result
from bench._qt import run_worker, synced_demo
from bench._util import scratch_dir

ROTATIONS, QUICK_ROTATIONS = 10_000, 2_000  # multiples of 1,000: see bench/_qt_soak.py
RSS_TARGET_MB = 10.0
WORKER = "bench._qt_soak"
BARE = "a bare QLabel, new text + repaint as many times"


def _growth(censuses: list[dict[str, Any]], key: str) -> float:
    return censuses[-1][key] - censuses[0][key]


def run(quick: bool) -> list[Result]:
    rotations = QUICK_ROTATIONS if quick else ROTATIONS
    work = scratch_dir("soak")
    try:
        config = str(synced_demo(work / "demo"))
        measured, data = run_worker(WORKER, config, str(rotations), "window", timeout=3600)
        _bare_run, bare = run_worker(WORKER, config, str(rotations), "label")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    seen, base = data["censuses"], bare["censuses"]
    first, last = seen[0], seen[-1]
    rss = _growth(seen, "rss_mb")
    trimmed = _growth(seen, "trimmed_mb")
    qt_growth = {key: _growth(seen, key) for key in ("children", "widgets", "wrappers")}
    grown = {
        name: count - first["by_type"].get(name, 0)
        for name, count in last["by_type"].items()
        if count > first["by_type"].get(name, 0)
    }
    path = ", ".join(f"{c['rotation']}: {c['rss_mb']:.0f}" for c in seen[:: max(1, len(seen) // 5)])
    counts = data["counts"]
    done = (
        f"{rotations:,} rotations after {data['warmup']} of warm-up; {counts['set_snapshot']} "
        f"snapshots, {counts['celebrations']} celebrations"
    )
    return [
        Result(
            name=f"soak {rotations:,} rotations: RSS growth",
            figure=rss,
            unit="MB",
            baseline=_growth(base, "rss_mb"),
            baseline_is=BARE,
            target=f"< {RSS_TARGET_MB:g} MB",
            ok=rss < RSS_TARGET_MB,
            note=(
                f"{done}; VmRSS {first['rss_mb']:.1f} -> {last['rss_mb']:.1f} MB (rotation: MB "
                f"{path}); after malloc_trim {trimmed:+.1f} MB; peak RSS "
                f"{measured.peak_rss_mb:.0f} MB"
            ),
            extra={"censuses": [{k: v for k, v in c.items() if k != "by_type"} for c in seen]},
        ),
        Result(
            name=f"soak {rotations:,} rotations: live Qt objects growth",
            figure=max(qt_growth.values()),
            unit="objects",
            baseline=max(_growth(base, key) for key in ("children", "widgets", "wrappers")),
            baseline_is=BARE,
            target="0 (no growth)",
            ok=all(v <= 0 for v in qt_growth.values()),
            note=(
                f"QObjects under the window {first['children']} -> {last['children']}, "
                f"widgets {first['widgets']} -> {last['widgets']}, shiboken wrappers "
                f"{first['wrappers']} -> {last['wrappers']}"
                + (f"; grown: {grown}" if grown else "")
            ),
        ),
        Result(
            name="soak: time per rotation (fade start + 2 frames + end)",
            figure=data["step_ms"],
            unit="ms",
            baseline=bare["step_ms"],
            baseline_is=BARE,
            note="median of the rotations after the warm-up, all on the GUI thread",
        ),
    ]
