"""Idle: what `kiosk run` costs while nothing happens on screen (issue 6 item 3).

`kiosk run --windowed` (offscreen) on the synced demo data, twice, side by side with the
baseline (the three processes run at the same time, so they see the same machine):
- static: the demo config with one [[screens]] entry (the scoreboard, 3600 s), feeds polled
  once a day and no [demo] section (so no demo goal is met a minute after start): a static
  screen with the clock ticking. Target: under 2% of one core.
- as configured: config.toml unchanged: five screens rotating with 400 ms cross-fades every
  12-20 s, the metrics feed pulled every minute, and the demo meeting its goal about a minute
  after start (a celebration with 6 s of confetti, inside the window measured). No target:
  that is not an idle screen, but it is what the demo does.

Figures, over `SECONDS` after start-up has settled (the window up and the first pull done):
CPU of the whole process from /proc/PID/stat (utime + stime) as % of one core, and wake-ups
per second: voluntary context switches (each is a thread going to sleep; a wake-up follows),
of the GUI thread (/proc/PID/status) and of every thread (/proc/PID/task/*/status; a thread
that ended inside the window is not counted). The note names the threads that wake most.

Baseline: bench/_qt_bare.py idle, a bare PySide6 window whose clock label a 1 s QTimer sets.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bench import Result
from bench._qt import (
    ThreadSample,
    cpu_seconds,
    demo_config,
    kiosk_cmd,
    qt_env,
    status_kb,
    synced_demo,
    threads,
)
from bench._util import BENCH_DIR, PYTHON, REPO, scratch_dir

SECONDS, QUICK_SECONDS = 60.0, 15.0
SETTLE_SECONDS = 10.0  # after "kiosk started": the first pull runs 5 s after start
CPU_TARGET_PCT = 2.0
STATIC_SCREENS = [{"name": "scoreboard", "seconds": 3600}]
BARE = "bench/_qt_bare.py idle (a window, a clock label set by a 1 s QTimer)"


@dataclass
class Sample:
    at: float
    cpu_s: float
    threads: dict[int, ThreadSample]


@dataclass(frozen=True)
class Idle:
    seconds: float
    cpu_pct: float  # /proc/PID/stat, in clock ticks (10 ms)
    cpu_pct_ns: float  # the threads' schedstat, in ns (threads that ended are missing)
    gui_wakeups: float  # per second
    all_wakeups: float
    rss_mb: float
    hwm_mb: float
    top: list[tuple[str, float, float]]  # (thread, wake-ups/s, CPU ms/s)


class Process:
    """A process measured from outside through /proc."""

    def __init__(self, cmd: list[str], log: Path) -> None:
        self.log_path = log
        self._log: IO[bytes] = log.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=qt_env(), stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log_path.read_text(errors="replace"):
            if self.proc.poll() is not None:
                raise RuntimeError(f"exited {self.proc.returncode}: {self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {text!r} after {timeout:.0f} s: {self.tail()}")
            time.sleep(0.1)

    def tail(self) -> str:
        lines = self.log_path.read_text(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:])

    def sample(self) -> Sample:
        pid = self.proc.pid
        return Sample(time.monotonic(), cpu_seconds(pid), threads(pid))

    def idle(self, first: Sample, last: Sample) -> Idle:
        pid = self.proc.pid
        elapsed = last.at - first.at
        per_thread = []
        for tid, end in last.threads.items():
            start = first.threads.get(tid)  # None: started inside the window
            woke = end.voluntary - (start.voluntary if start else 0)
            cpu_ns = end.cpu_ns - (start.cpu_ns if start else 0)
            name = "GUI" if tid == pid else f"{end.name}/{tid}"
            per_thread.append((name, woke / elapsed, cpu_ns / 1e6 / elapsed))
        per_thread.sort(key=lambda t: t[1], reverse=True)
        gui = next(t for t in per_thread if t[0] == "GUI")
        return Idle(
            seconds=elapsed,
            cpu_pct=(last.cpu_s - first.cpu_s) / elapsed * 100,
            cpu_pct_ns=sum(t[2] for t in per_thread) / 10,  # ms per s -> % of a core
            gui_wakeups=gui[1],
            all_wakeups=sum(t[1] for t in per_thread),
            rss_mb=status_kb(pid, "VmRSS") / 1024,
            hwm_mb=status_kb(pid, "VmHWM") / 1024,
            top=per_thread,
        )

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.log_path.read_text(errors="replace")


def _top(idle: Idle, n: int = 3) -> str:
    return ", ".join(f"{name} {woke:.1f}/s ({cpu:.1f} ms/s)" for name, woke, cpu in idle.top[:n])


def run(quick: bool) -> list[Result]:
    seconds = QUICK_SECONDS if quick else SECONDS
    work = scratch_dir("idle")
    processes: dict[str, Process] = {}
    try:
        rotation = synced_demo(work / "rotation")
        static_dir = work / "static"
        synced_demo(static_dir)
        # The same data, then without [demo]: nothing rewrites the feeds or meets a goal.
        static = demo_config(static_dir, screens=STATIC_SCREENS, feed_minutes=1440, demo=False)
        processes = {
            "bare": Process([PYTHON, str(BENCH_DIR / "_qt_bare.py"), "idle"], work / "bare.log"),
            "static": Process(kiosk_cmd(static, "run", "--windowed"), work / "static.log"),
            "rotation": Process(kiosk_cmd(rotation, "run", "--windowed"), work / "rotation.log"),
        }
        for name in ("static", "rotation"):
            processes[name].wait_for("kiosk started")
        time.sleep(SETTLE_SECONDS)
        first = {name: p.sample() for name, p in processes.items()}
        time.sleep(seconds)
        last = {name: p.sample() for name, p in processes.items()}
        got = {name: p.idle(first[name], last[name]) for name, p in processes.items()}
        logs = {name: p.stop() for name, p in processes.items()}
    finally:
        for process in processes.values():
            process.stop()
        shutil.rmtree(work, ignore_errors=True)

    bare, static_idle, rotation_idle = got["bare"], got["static"], got["rotation"]
    celebrated = logs["rotation"].count("goal met")
    window = f"over {seconds:.0f} s after start-up settled"
    results = []
    for label, idle, target in (
        ("static scoreboard", static_idle, True),
        ("rotation as configured", rotation_idle, False),
    ):
        note = (
            f"{window}; whole process, /proc/PID/stat (10 ms ticks); the threads' "
            f"schedstat (ns): {idle.cpu_pct_ns:.3f}%, bare {bare.cpu_pct_ns:.3f}%"
        )
        if not target:
            note += (
                f"; includes the cross-fades and {celebrated} demo celebration(s) with confetti"
                if celebrated
                else "; includes the cross-fades"
            )
        results.append(
            Result(
                name=f"idle {label}: CPU",
                figure=idle.cpu_pct,
                unit="% core",
                baseline=bare.cpu_pct,
                baseline_is=BARE,
                target=f"< {CPU_TARGET_PCT:g}% core" if target else "",
                ok=idle.cpu_pct < CPU_TARGET_PCT if target else None,
                note=note,
                extra={"threads": idle.top},
            )
        )
        results.append(
            Result(
                name=f"idle {label}: GUI-thread wake-ups",
                figure=idle.gui_wakeups,
                unit="/s",
                baseline=bare.gui_wakeups,
                baseline_is="the bare program's GUI thread",
                note="voluntary context switches of the main thread (/proc/PID/status)",
            )
        )
        results.append(
            Result(
                name=f"idle {label}: all-thread wake-ups",
                figure=idle.all_wakeups,
                unit="/s",
                baseline=bare.all_wakeups,
                baseline_is="the bare program's threads",
                note=f"{len(idle.top)} threads; most: {_top(idle)}; bare: {_top(bare, 2)}",
            )
        )
    results.append(
        Result(
            name="idle static scoreboard: RSS",
            figure=static_idle.rss_mb,
            unit="MB",
            baseline=bare.rss_mb,
            baseline_is="the bare program's RSS",
            note=(
                f"VmRSS at the end; peak (VmHWM) {static_idle.hwm_mb:.0f} MB; as configured "
                f"{rotation_idle.rss_mb:.0f} MB (peak {rotation_idle.hwm_mb:.0f} MB)"
            ),
        )
    )
    return results
