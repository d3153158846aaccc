"""Start-up: `kiosk screenshot scoreboard` on the demo data, as a whole process (issue 6 item 1).

Figures, each the median of several runs (whole process: interpreter start, imports, config,
demo feeds check, database open, snapshot read, QApplication and fonts, the widgets, paint,
PNG write):
- warm: the demo config copied into a scratch folder whose feeds are already synced (one
  `kiosk sync --once` first, not measured), so the runs measure start-up, not the first sync.
  Wall time (target <= 2x the baseline's) and peak RSS (target <= 120 MB).
- first run: a fresh scratch folder each time: the demo feeds are written, the database is
  created and migrated and every feed pulled (`_sync_if_never`) before the render. No target.

Baseline: bench/_qt_bare.py, a bare PySide6 program showing one 1920x1080 window with a few
labels and grabbing it to PNG, run alternately with the kiosk so both see the same machine
load. Peak RSS of both from `wait4` through bench/_launch.py.

The note lists where the kiosk's import time goes (`python -X importtime`, self time summed
per top-level package) because imports are most of the difference.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import Counter
from pathlib import Path

from bench import Result
from bench._qt import demo_config, kiosk_cmd, qt_env, synced_demo
from bench._util import BENCH_DIR, PYTHON, REPO, Measured, run_measured, scratch_dir

TIME_RATIO_TARGET = 2.0
RSS_TARGET_MB = 120.0
SIZE = "1920x1080"
BARE = "bench/_qt_bare.py shot (1 window, 5 labels, grab to PNG)"


def _bare(out: Path, cgroup: Path | None = None) -> Measured:
    measured = run_measured(
        [PYTHON, str(BENCH_DIR / "_qt_bare.py"), "shot", str(out), SIZE],
        cwd=REPO,
        env=qt_env(),
        cgroup=cgroup,
    )
    measured.check("the bare PySide6 program")
    return measured


def _screenshot(config: Path, out: Path, cgroup: Path | None = None) -> Measured:
    measured = run_measured(
        kiosk_cmd(config, "screenshot", "scoreboard", "--out", str(out), "--size", SIZE),
        cwd=REPO,
        env=qt_env(),
        cgroup=cgroup,
    )
    measured.check("kiosk screenshot")
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"kiosk screenshot wrote no {out.name}")
    out.unlink()
    return measured


def import_breakdown(config: Path, out: Path, top: int = 6) -> list[tuple[str, float]]:
    """Self import time (ms) of one `kiosk screenshot` summed per top-level package."""
    _python, *args = kiosk_cmd(config, "screenshot", "scoreboard", "--out", str(out))
    done = subprocess.run(
        [PYTHON, "-X", "importtime", *args],
        cwd=REPO,
        env=qt_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    per_package: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            per_package[match.group(2).split(".")[0]] += int(match.group(1)) / 1000
    return per_package.most_common(top)


def run(quick: bool) -> list[Result]:
    runs = 5 if quick else 9
    cold_runs = 3 if quick else 5
    work = scratch_dir("startup")
    try:
        warm = synced_demo(work / "warm")
        shot = work / "shot.png"
        # Warm-up, not counted: the page cache, .pyc files and fontconfig's cache.
        _bare(shot)
        _screenshot(warm, shot)
        bare: list[Measured] = []
        kiosk: list[Measured] = []
        for _ in range(runs):  # alternately, so both see the same load
            bare.append(_bare(shot))
            kiosk.append(_screenshot(warm, shot))
        cold: list[Measured] = []
        cold_bare: list[Measured] = []
        for index in range(cold_runs):
            cold_bare.append(_bare(shot))
            cold.append(_screenshot(demo_config(work / f"cold{index}"), shot))
        imports = import_breakdown(warm, shot)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def walls(ms: list[Measured]) -> float:
        return statistics.median([m.wall_s for m in ms])

    def rss(ms: list[Measured]) -> float:
        return statistics.median([m.peak_rss_mb for m in ms])

    def spread(ms: list[Measured]) -> str:
        w = sorted(m.wall_s for m in ms)
        return f"{w[0]:.2f}-{w[-1]:.2f} s"

    kiosk_s, bare_s = walls(kiosk), walls(bare)
    kiosk_mb, bare_mb = rss(kiosk), rss(bare)
    cpu = statistics.median([m.cpu_s for m in kiosk])
    where = ", ".join(f"{name} {ms:.0f}" for name, ms in imports)
    samples = {
        "kiosk_wall_s": [m.wall_s for m in kiosk],
        "bare_wall_s": [m.wall_s for m in bare],
        "kiosk_rss_mb": [m.peak_rss_mb for m in kiosk],
        "bare_rss_mb": [m.peak_rss_mb for m in bare],
        "cold_wall_s": [m.wall_s for m in cold],
        "cold_rss_mb": [m.peak_rss_mb for m in cold],
        "import_self_ms": dict(imports),
    }
    return [
        Result(
            name="startup: screenshot, demo synced: wall time",
            figure=kiosk_s,
            unit="s",
            baseline=bare_s,
            baseline_is=BARE,
            target=f"ratio <= {TIME_RATIO_TARGET:g}",
            ok=kiosk_s / bare_s <= TIME_RATIO_TARGET,
            note=(
                f"median of {runs} (kiosk {spread(kiosk)}, bare {spread(bare)}); kiosk CPU "
                f"{cpu:.2f} s; import self time by package, ms (-X importtime): {where}"
            ),
            extra=samples,
        ),
        Result(
            name="startup: screenshot, demo synced: peak RSS",
            figure=kiosk_mb,
            unit="MB",
            baseline=bare_mb,
            baseline_is="the bare program's peak RSS",
            target=f"<= {RSS_TARGET_MB:g} MB",
            ok=kiosk_mb <= RSS_TARGET_MB,
            note=f"whole process (wait4 ru_maxrss); max of {runs}: "
            f"{max(m.peak_rss_mb for m in kiosk):.1f} MB",
        ),
        Result(
            name="startup: first run (feeds, migrate, sync): wall time",
            figure=walls(cold),
            unit="s",
            baseline=walls(cold_bare),
            baseline_is=BARE,
            note=(
                f"median of {cold_runs}, each in a fresh folder: writes the demo feeds, "
                "creates and migrates the database and pulls all 6 feeds, then renders"
            ),
        ),
        Result(
            name="startup: first run (feeds, migrate, sync): peak RSS",
            figure=rss(cold),
            unit="MB",
            baseline=rss(cold_bare),
            baseline_is="the bare program's peak RSS",
            note="whole process (wait4 ru_maxrss)",
        ),
    ]
