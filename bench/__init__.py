"""The benchmark suite (issue 6): every figure next to a baseline measured in the same run.

`python -m bench` runs every registered benchmark and prints one table. A benchmark is a module
with `run(quick: bool) -> list[Result]`; it is listed in `BENCHMARKS` below (or added at run
time with `register`), and imported only when selected, so a benchmark that needs Qt never
slows down or breaks one that does not.

Why ratios: these machines are noisy (2 shared cores, no display), so an absolute figure alone
says little; the same work done the plain way in the same run says how much the product adds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Verdicts in the table. PASS/MISS: a target was checked. INFO: a figure without a target of
# its own (context for another row). SKIP: could not run here (the note says why). ERROR: the
# benchmark itself failed (a bug, or the product crashed: the note has the first line).
PASS, MISS, INFO, SKIP, ERROR = "PASS", "MISS", "INFO", "SKIP", "ERROR"


@dataclass(frozen=True)
class Result:
    """One row of the table."""

    name: str
    figure: float | None
    unit: str
    baseline: float | None = None
    # What the baseline is, in a few words ("sqlite3 executemany"); shown in the notes.
    baseline_is: str = ""
    target: str = ""  # human text: "ratio <= 2.0", "< 250 MB"
    ok: bool | None = None  # None: no target (INFO), unless `skipped`
    note: str = ""
    skipped: str | None = None  # the reason, e.g. "nginx not installed (apt-get install nginx)"
    error: str | None = None
    extra: dict[str, object] = field(default_factory=dict)  # kept in results.json only

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.baseline:
            return None
        return self.figure / self.baseline

    @property
    def verdict(self) -> str:
        if self.error is not None:
            return ERROR
        if self.skipped is not None:
            return SKIP
        if self.ok is None:
            return INFO
        return PASS if self.ok else MISS


def skipped(name: str, reason: str) -> Result:
    return Result(name=name, figure=None, unit="", skipped=reason)


@dataclass(frozen=True)
class Benchmark:
    """A registry entry. `module` None: planned, not written yet (`needs` says why)."""

    name: str
    module: str | None
    summary: str
    needs: str = ""


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        "ingest",
        "bench.ingest",
        "1,000,000-row metrics CSV through `kiosk sync --once` vs a plain sqlite3 upsert",
    ),
    Benchmark(
        "not_modified",
        "bench.not_modified",
        "an unchanged feed (same file; HTTP 304): SyncService.pull() time and no data write",
    ),
    Benchmark(
        "query",
        "bench.query",
        "build_scoreboard / build_leaderboard / load_snapshot on 3 years x 200 stores",
    ),
    Benchmark(
        "fleet",
        "bench.fleet",
        "1,000 simulated kiosks polling nginx: requests/s, bytes per store per day",
    ),
    # Issue 6 items 1-3 and 6: the Qt screens. Everything that paints runs in a child
    # process with QT_QPA_PLATFORM=offscreen (bench/_qt.py), never in the bench process.
    Benchmark(
        "startup",
        "bench.startup",
        "`kiosk screenshot scoreboard` wall time and peak RSS vs a bare PySide6 window",
    ),
    Benchmark(
        "render",
        "bench.render",
        "paint time per screen at 1080p and 4K; cross-fade and confetti frame times",
    ),
    Benchmark(
        "idle",
        "bench.idle",
        "CPU use and timer wake-ups of `kiosk run` on a static screen vs a bare Qt clock",
    ),
    Benchmark(
        "soak",
        "bench.soak",
        "10,000 rotations with live data changes: RSS growth, live Qt objects",
    ),
    # Issue 18: a running kiosk's memory against a browser kiosk; a Pi-class CPU budget.
    Benchmark(
        "memory",
        "bench.memory",
        "`kiosk run` steady PSS vs headless Chromium on the same board vs a bare PySide6 window",
    ),
    Benchmark(
        "pi",
        "bench.pi",
        "start-up, paint, frames and rotations under a CPU quota of a quarter core (cgroup)",
    ),
]


def register(name: str, module: str, summary: str) -> None:
    """Add a benchmark (or fill in a planned one) by the module that has its `run(quick)`."""
    for index, bench in enumerate(BENCHMARKS):
        if bench.name == name:
            BENCHMARKS[index] = Benchmark(name, module, summary)
            return
    BENCHMARKS.append(Benchmark(name, module, summary))


def format_number(value: float | None, unit: str = "") -> str:
    """3 significant digits, thousands grouped: 0.0123 s, 12.3 ms, 1,234 req/s."""
    if value is None:
        return "-"
    if value == 0 or not math.isfinite(value):
        text = f"{value:g}"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        digits = max(0, 2 - math.floor(math.log10(abs(value))))
        text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()
