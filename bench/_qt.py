"""Helpers for the Qt benchmarks (startup, render, idle, soak): the demo kiosk in a scratch
folder, workers run in their own process, and what /proc says about a running process.

Nothing here imports Qt: the benchmark modules run in the bench process, and everything that
paints runs in a child (bench/_qt_render.py, bench/_qt_soak.py, bench/_qt_bare.py) started
with `QT_QPA_PLATFORM=offscreen`, so the bench process never holds a QApplication and every
figure comes from a process that did nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._util import PYTHON, REPO, Measured, child_env, run_measured

DEMO_CONFIG = REPO / "config.toml"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def qt_env() -> dict[str, str]:
    """The product's environment plus Qt's offscreen platform (no display needed)."""
    env = child_env()
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


# --- the demo kiosk in a scratch folder ---------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is a JSON string for these values
    raise TypeError(f"no TOML for {value!r}")


def dump_toml(data: Mapping[str, Any]) -> str:
    """TOML for config.toml's shape: tables of scalars and arrays of such tables."""
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                lines += ["", f"[[{key}]]"]
                lines += [f"{k} = {_toml_value(v)}" for k, v in item.items()]
        else:
            lines.insert(0, f"{key} = {_toml_value(value)}")
    return "\n".join(lines).lstrip() + "\n"


def demo_config(
    folder: Path,
    *,
    screens: list[dict[str, Any]] | None = None,
    feed_minutes: float | None = None,
    demo: bool = True,
    display: Mapping[str, Any] | None = None,
) -> Path:
    """The repository's config.toml, copied into `folder` (its relative paths, the database,
    the logs and the demo feeds, then resolve there), optionally with other screens, other
    poll intervals, other [display] keys or without [demo] (no feeds rewritten, and no demo
    goal met a minute after `kiosk run` starts)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    if screens is not None:
        data["screens"] = screens
    if feed_minutes is not None:
        for feed in data["feeds"]:
            feed["every_minutes"] = feed_minutes
    if display:
        data.setdefault("display", {}).update(display)
    if not demo:
        data.pop("demo", None)
    path = folder / "config.toml"
    path.write_text(dump_toml(data), encoding="utf-8")
    return path


def kiosk_cmd(config: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "kiosk", "--config", str(config), *args]


def sync_demo(config: Path) -> None:
    """Write the demo feeds (as `kiosk run` does at start) and pull them once (`kiosk sync
    --once`), not measured."""
    from kiosk.config import load_config
    from kiosk.demo.hooks import prepare_demo

    prepare_demo(load_config(config))
    subprocess.run(
        kiosk_cmd(config, "sync", "--once"),
        cwd=REPO,
        env=qt_env(),
        check=True,
        capture_output=True,
        timeout=300,
    )


def synced_demo(folder: Path, **options: Any) -> Path:
    """`demo_config` with the demo feeds already pulled into its database."""
    config = demo_config(folder, **options)
    sync_demo(config)
    return config


def run_worker(
    module: str,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800,
    cgroup: Path | None = None,
) -> tuple[Measured, dict[str, Any]]:
    """Run `python -m module OUT.json ARGS...` offscreen (plus `env`, inside `cgroup` when
    given), measured; its report."""
    with tempfile.TemporaryDirectory(prefix="bench-qt-") as tmp:
        report = Path(tmp) / "report.json"
        measured = run_measured(
            [PYTHON, "-m", module, str(report), *args],
            cwd=REPO,
            env={**qt_env(), **(env or {})},
            timeout=timeout,
            cgroup=cgroup,
        )
        measured.check(module)
        return measured, json.loads(report.read_text(encoding="utf-8"))


# --- /proc ------------------------------------------------------------------------------


def _status_fields(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def status_kb(pid: int | str, key: str) -> int:
    """A `kB` figure of /proc/PID/status (VmRSS, VmHWM)."""
    return int(_status_fields(Path(f"/proc/{pid}/status"))[key].split()[0])


def pss_kb(pid: int | str) -> int:
    """Proportional set size: the process's private pages plus its share of every page it
    shares with other processes (/proc/PID/smaps_rollup). Summed over a group of processes
    (a browser's), it counts every page once."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise RuntimeError(f"no Pss in /proc/{pid}/smaps_rollup")


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (children, their children...), alive now."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def tree_pss_kb(pid: int) -> tuple[int, int]:
    """(total PSS in kB, process count) of `pid` and its descendants; processes that end while
    being read are left out."""
    total = count = 0
    for member in descendants(pid):
        try:
            total += pss_kb(member)
            count += 1
        except (OSError, RuntimeError):
            continue
    return total, count


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the whole process (every thread), from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    # After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


@dataclass(frozen=True)
class ThreadSample:
    tid: int
    name: str
    voluntary: int  # each one is the thread going to sleep: a wake-up follows
    involuntary: int
    cpu_ns: int  # /proc/PID/task/TID/schedstat: time on a CPU


def threads(pid: int) -> dict[int, ThreadSample]:
    """Every thread of `pid` now (threads that already ended are gone from the count)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = _status_fields(task / "status")
            cpu_ns = int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
        tid = int(task.name)
        out[tid] = ThreadSample(
            tid=tid,
            name=fields["Name"],
            voluntary=int(fields["voluntary_ctxt_switches"]),
            involuntary=int(fields["nonvoluntary_ctxt_switches"]),
            cpu_ns=cpu_ns,
        )
    return out


# --- demo data in a worker ----------------------------------------------------------------


def load_demo_snapshot(config_path: Path) -> tuple[Any, Any]:
    """(config, BoardSnapshot) of the synced demo kiosk at `config_path`, for today."""
    import datetime as dt

    from kiosk.board.snapshot import load_snapshot
    from kiosk.config import load_config
    from sync.store.db import open_database

    config = load_config(config_path)
    db = open_database(config.database_path)
    try:
        now = dt.datetime.now(dt.UTC)
        return config, load_snapshot(db, config, config.store.today(now), now)
    finally:
        db.dispose()


def snapshot_variant(snapshot: Any, k: int) -> Any:
    """`snapshot` with changed numbers (variant `k`): every actual on the scoreboard, its
    percent, the leaderboard's percents and the time of the last sync, as a new HQ file
    would change them. Variants with different `k` (mod 1,000) compare unequal, so the
    screens rebuild (an equal snapshot is ignored: kiosk/ui/widgets/screen.py), and their
    numbers differ too, so text drawn for one variant is no help to the next one (a cache
    of drawn text must not make a rebuild look cheaper than one with new numbers is). Every
    variant stays within 13% of the demo's numbers, so the layouts measured stay the demo's."""
    import dataclasses
    import datetime as dt

    # The golden ratio's fractional multiples spread evenly over [0, 1) and never repeat.
    spread = (k % 1000) * 0.6180339887498949 % 1.0
    factor = 1 + 0.13 * spread

    def entry(e: Any) -> Any:
        if e.actual is None:
            return e
        actual = round(e.actual * factor, e.decimals)
        percent = round(actual / e.target * 100, 1) if e.target else e.percent
        return dataclasses.replace(e, actual=actual, percent=percent)

    board = snapshot.scoreboard
    changes: dict[str, Any] = {
        "scoreboard": dataclasses.replace(board, metrics=tuple(entry(e) for e in board.metrics))
    }
    if snapshot.leaderboard is not None:
        rows = tuple(
            dataclasses.replace(
                r, percent=None if r.percent is None else round(r.percent + 13 * spread, 1)
            )
            for r in snapshot.leaderboard.rows
        )
        changes["leaderboard"] = dataclasses.replace(snapshot.leaderboard, rows=rows)
    last = snapshot.freshness.last_success
    if last is not None:
        changes["freshness"] = dataclasses.replace(
            snapshot.freshness, last_success=last + dt.timedelta(seconds=k % 1000)
        )
    return dataclasses.replace(snapshot, **changes)
