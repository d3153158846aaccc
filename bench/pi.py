"""Pi-class: start-up, paint, frames and rotations under a CPU quota of a quarter core
(issue 18 item 5).

A store's screen often runs on a Raspberry Pi 4, whose cores are several times slower than
this machine's. The quota (bench/_cpu_quota.py: a child cgroup, cgroup v2 `cpu.max` or v1
`cpu.cfs_quota_us`, 2.5 ms of CPU per 10 ms period) stands in for that CPU. Inside it, each
with its baseline inside it too:
- start-up: `kiosk screenshot scoreboard --size 1920x1080` as a whole process against
  bench/_qt_bare.py shot, alternately (as bench/startup.py, fewer runs);
- the render worker (bench/_qt_render.py, mode `pi`): every screen's paint and rebuild at
  1080p and 4K, one rotation cycle of cross-fades at each size, one celebration's confetti;
- the soak worker (bench/_qt_soak.py): rotations of a `KioskWindow` at 1080p with fades.

A quota is not a slower CPU: work runs at full speed until the group has used its share of
the period, then waits. So the frame figures here are means over all the frames of a run (a
run of frames back to back gets a quarter of a core, as a CPU a quarter as fast would give
it), not the medians of bench/render.py; the worst single frame, which includes a wait of up
to one period, is in the note.
"""

from __future__ import annotations

import shutil
import statistics
from typing import Any

from bench import Result, skipped
from bench._cpu_quota import QuotaGroup
from bench._qt import run_worker, synced_demo
from bench._util import scratch_dir
from bench.startup import _bare, _screenshot

SHARE = 0.25
FRAME_MS = 1000 / 60
STARTUP_RATIO_TARGET = 2.0
SCREENS = ("scoreboard", "comments", "celebration", "messages", "leaderboard", "entry")
LABELS = {"1920x1080": "1080p", "3840x2160": "4K"}


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def run(quick: bool) -> list[Result]:
    reason = QuotaGroup.unavailable()
    if reason is not None:
        return [skipped("pi: a quarter core", reason)]
    runs = 2 if quick else 3
    paints = 5 if quick else 10
    rotations = 1000  # the soak worker's census needs a multiple of 500 after its warm-up
    work = scratch_dir("pi")
    try:
        config = synced_demo(work / "demo")
        shot = work / "shot.png"
        with QuotaGroup(SHARE) as group:
            quota = group.describe()
            _bare(shot, cgroup=group.procs)  # warm-up, not counted
            _screenshot(config, shot, cgroup=group.procs)
            bare, kiosk = [], []
            for _ in range(runs):
                bare.append(_bare(shot, cgroup=group.procs))
                kiosk.append(_screenshot(config, shot, cgroup=group.procs))
            _measured, render = run_worker(
                "bench._qt_render", str(config), str(paints), "pi", cgroup=group.procs
            )
            _measured, soak = run_worker(
                "bench._qt_soak", str(config), str(rotations), "window", cgroup=group.procs
            )
            _measured, soak_bare = run_worker(
                "bench._qt_soak", str(config), str(rotations), "label", cgroup=group.procs
            )
            throttled, waited = group.throttled()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    where = f"under {quota}; throttled {throttled:,} times, {waited:.0f} s in all"
    kiosk_s = statistics.median(m.wall_s for m in kiosk)
    bare_s = statistics.median(m.wall_s for m in bare)
    results = [
        Result(
            name="pi: startup, screenshot: wall time",
            figure=kiosk_s,
            unit="s",
            baseline=bare_s,
            baseline_is="bench/_qt_bare.py shot under the same quota",
            target=f"ratio <= {STARTUP_RATIO_TARGET:g}",
            ok=kiosk_s / bare_s <= STARTUP_RATIO_TARGET,
            note=f"median of {runs}, run alternately; {where}",
        )
    ]
    screens: dict[str, Any] = render["screens"]
    for size, label in LABELS.items():
        base = screens["baseline"][size]["mean"]
        paints_ms = {name: screens[name][size]["paint"]["mean"] for name in SCREENS}
        rebuilds_ms = {name: screens[name][size]["rebuild"]["mean"] for name in SCREENS}
        slowest = max(paints_ms, key=paints_ms.__getitem__)
        slowest_rebuild = max(rebuilds_ms, key=rebuilds_ms.__getitem__)
        results += [
            Result(
                name=f"pi: paint {label}, slowest screen",
                figure=paints_ms[slowest],
                unit="ms",
                baseline=base,
                baseline_is="a plain QWidget with one QLabel, under the same quota",
                note=f"{slowest}; mean of {paints} per screen; all: "
                + ", ".join(f"{n} {_ms(v)}" for n, v in paints_ms.items()),
            ),
            Result(
                name=f"pi: rebuild + first paint {label}, slowest screen",
                figure=rebuilds_ms[slowest_rebuild],
                unit="ms",
                baseline=base,
                baseline_is="a plain QWidget with one QLabel, under the same quota",
                note=f"{slowest_rebuild}; new numbers each time; all: "
                + ", ".join(f"{n} {_ms(v)}" for n, v in rebuilds_ms.items()),
            ),
        ]
        fade = render["crossfade"][size]
        fade_base = render["fade_baseline"][size]["mean"]
        results.append(
            Result(
                name=f"pi: cross-fade {label}, mean frame",
                figure=fade["raw_mean"],
                unit="ms",
                baseline=fade_base,
                baseline_is="a bare fade frame under the same quota",
                target=f"< {FRAME_MS:.3g} ms",
                ok=fade["raw_mean"] < FRAME_MS,
                note=(
                    f"{fade['cycle']} transitions x {fade['frames_per_fade']} frames; worst "
                    f"single frame {_ms(fade['raw_max'])}; fade start (grab + switch) mean "
                    f"{_ms(fade['start']['mean'])}, worst {_ms(fade['start']['max'])}"
                ),
            )
        )
    confetti = render["confetti"]
    results += [
        Result(
            name="pi: confetti 1080p, mean frame",
            figure=confetti["raw_mean"],
            unit="ms",
            baseline=render["fade_baseline"]["1920x1080"]["mean"],
            baseline_is="a bare fade frame under the same quota",
            target=f"< {FRAME_MS:.3g} ms",
            ok=confetti["raw_mean"] < FRAME_MS,
            note=(
                f"{confetti['particles']} particles, {confetti['burst_frames']} frames; worst "
                f"{_ms(confetti['raw_max'])}; celebrate() itself "
                f"{_ms(confetti['celebrate']['mean'])}"
            ),
        ),
        Result(
            name="pi: soak, time per rotation (fade start + 2 frames + end)",
            figure=soak["step_mean_ms"],
            unit="ms",
            baseline=soak_bare["step_mean_ms"],
            baseline_is="a bare QLabel, new text + repaint, under the same quota",
            note=(
                f"mean of {rotations:,} rotations after {soak['warmup']} of warm-up; "
                f"RSS {soak['censuses'][0]['rss_mb']:.0f} -> {soak['censuses'][-1]['rss_mb']:.0f}"
                " MB"
            ),
        ),
    ]
    return results
