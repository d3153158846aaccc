"""Memory: what a running kiosk holds, against a browser kiosk of the same board (issue 18 item 3).

Three programs, the first two side by side:
- the kiosk: `kiosk run --windowed` (offscreen) on the synced demo data, `config.toml` as
  shipped (five screens rotating with cross-fades, the metrics feed pulled every minute, the
  demo's goal met a minute after start: a celebration with confetti) except that each screen
  shows for `SCREEN_SECONDS`, so every screen has been built, shown and faded several times
  before the figure is taken;
- Chromium (Debian's /usr/bin/chromium), headless, on one static HTML page of the same board
  (bench/_board_html.py), with a fresh profile folder and the flags a kiosk would use to keep
  it quiet (no sync, no component updates, no background networking);
- then, alone: bench/_qt_bare.py idle, a bare PySide6 window with a clock label.

Figure: PSS (proportional set size, /proc/PID/smaps_rollup) at the end of `SECONDS` after
"kiosk started" (past the demo's celebration); for Chromium the sum over its whole process
tree (browser, zygotes, renderer, GPU and utility processes), which counts each shared page
once. PSS rather than RSS because Chromium is many processes sharing libraries: their RSS
summed would count the shared pages once per process. The bare program runs after the kiosk
has stopped, because the two map the same Qt libraries from the same venv and PSS would split
those pages between them (the kiosk's figure would drop by half of them). Target: the kiosk
at most 120 MB. The notes say where the kiosk's memory is (anonymous vs file-backed, the
biggest mappings), its RSS, and how its PSS moved over the window.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench import Result
from bench._qt import (
    demo_config,
    kiosk_cmd,
    load_demo_snapshot,
    pss_kb,
    qt_env,
    sync_demo,
    tree_pss_kb,
)
from bench._util import BENCH_DIR, PYTHON, REPO, scratch_dir

SECONDS, QUICK_SECONDS = 90.0, 40.0
SAMPLE_EVERY = 5.0
SCREEN_SECONDS = 4
BARE_SECONDS = 8.0
PSS_TARGET_MB = 120.0
CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1920,1080",
)
SCREENS = ("scoreboard", "comments", "celebration", "messages", "leaderboard")


def chromium() -> str | None:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


def _rollup(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        fields[key] = int(value.split()[0])
    return fields


def where_it_is(pid: int, top: int = 6) -> str:
    """The kiosk's PSS by kind (anonymous, file-backed) and its biggest mappings."""
    by_path: dict[str, int] = {}
    rollup = _rollup(pid)
    current = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if not fields:
            continue
        if not fields[0].endswith(":") or "-" in fields[0]:
            # A mapping's header: "start-end perms offset dev inode [path]".
            current = fields[5] if len(fields) > 5 else "[anon]"
            continue
        if fields[0] == "Pss:":
            kb = int(fields[1])
            name = Path(current).name if current.startswith("/") else current
            by_path[name] = by_path.get(name, 0) + kb
    biggest = sorted(by_path.items(), key=lambda item: item[1], reverse=True)[:top]
    listed = ", ".join(f"{name} {kb / 1024:.1f}" for name, kb in biggest)
    return (
        f"RSS {rollup['Rss'] / 1024:.0f} MB; PSS anonymous {rollup['Pss_Anon'] / 1024:.0f} MB, "
        f"file-backed {rollup['Pss_File'] / 1024:.0f} MB; biggest (MB): {listed}"
    )


def _stop(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(quick: bool) -> list[Result]:
    seconds = QUICK_SECONDS if quick else SECONDS
    browser = chromium()
    work = scratch_dir("memory")
    procs: dict[str, subprocess.Popen[bytes]] = {}
    logs: dict[str, Path] = {}
    try:
        folder = work / "kiosk"
        config = demo_config(
            folder, screens=[{"name": name, "seconds": SCREEN_SECONDS} for name in SCREENS]
        )
        sync_demo(config)
        _config, snapshot = load_demo_snapshot(config)
        page = work / "board.html"
        from bench._board_html import board_html

        page.write_text(board_html(snapshot), encoding="utf-8")

        def start(name: str, cmd: list[str]) -> None:
            logs[name] = work / f"{name}.log"
            with logs[name].open("wb") as log:
                procs[name] = subprocess.Popen(
                    cmd, cwd=REPO, env=qt_env(), stdout=log, stderr=subprocess.STDOUT
                )

        start("kiosk", kiosk_cmd(config, "run", "--windowed"))
        if browser is not None:
            profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=work))
            start(
                "chromium",
                [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", page.as_uri()],
            )
        deadline = time.monotonic() + 60
        while "kiosk started" not in logs["kiosk"].read_text(errors="replace"):
            if procs["kiosk"].poll() is not None or time.monotonic() > deadline:
                tail = logs["kiosk"].read_text(errors="replace").strip().splitlines()[-3:]
                raise RuntimeError(f"kiosk run did not start: {' | '.join(tail)}")
            time.sleep(0.1)
        started = time.monotonic()
        samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in procs}
        while time.monotonic() - started < seconds:
            time.sleep(SAMPLE_EVERY)
            at = time.monotonic() - started
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited {proc.returncode} while measured")
                kb, count = tree_pss_kb(proc.pid) if name == "chromium" else (pss_kb(proc.pid), 1)
                samples[name].append((at, kb / 1024, count))
        breakdown = where_it_is(procs["kiosk"].pid)
        celebrated = logs["kiosk"].read_text(errors="replace").count("goal met")
        _stop(procs)
        start("bare", [PYTHON, str(BENCH_DIR / "_qt_bare.py"), "idle"])
        time.sleep(BARE_SECONDS)
        samples["bare"] = [(BARE_SECONDS, pss_kb(procs["bare"].pid) / 1024, 1)]
    finally:
        _stop(procs)
        shutil.rmtree(work, ignore_errors=True)

    def last(name: str) -> float:
        return samples[name][-1][1]

    path = ", ".join(f"{at:.0f} s: {mb:.0f}" for at, mb, _ in samples["kiosk"][::3])
    kiosk_mb, bare_mb = last("kiosk"), last("bare")
    results = [
        Result(
            name="memory: kiosk run, steady PSS",
            figure=kiosk_mb,
            unit="MB",
            baseline=bare_mb,
            baseline_is="bench/_qt_bare.py idle (a bare PySide6 window), alone, PSS",
            target=f"<= {PSS_TARGET_MB:g} MB",
            ok=kiosk_mb <= PSS_TARGET_MB,
            note=(
                f"{seconds:.0f} s after start, {len(SCREENS)} screens rotating every "
                f"{SCREEN_SECONDS} s with fades, {celebrated} demo celebration(s); PSS over "
                f"time (MB) {path}; max {max(mb for _, mb, _ in samples['kiosk']):.0f} MB; "
                f"{breakdown}"
            ),
            extra={"samples": samples},
        )
    ]
    if browser is None:
        results.append(
            Result(
                name="memory: Chromium kiosk, same board",
                figure=None,
                unit="MB",
                skipped="no chromium on PATH (apt-get install chromium)",
            )
        )
        return results
    chromium_mb = last("chromium")
    processes = samples["chromium"][-1][2]
    results += [
        Result(
            name="memory: Chromium kiosk, same board, PSS",
            figure=chromium_mb,
            unit="MB",
            baseline=bare_mb,
            baseline_is="the bare PySide6 window",
            note=(
                f"headless Chromium on one static HTML page of the board (bench/_board_html.py), "
                f"{processes} processes summed; median over the window "
                f"{statistics.median(mb for _, mb, _ in samples['chromium']):.0f} MB"
            ),
        ),
        Result(
            name="memory: kiosk run vs Chromium kiosk (PSS)",
            figure=kiosk_mb,
            unit="MB",
            baseline=chromium_mb,
            baseline_is="headless Chromium showing the same board, same moment",
            note="the ratio is the kiosk's share of what a browser kiosk holds",
        ),
    ]
    return results
