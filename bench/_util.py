"""Helpers shared by the benchmarks: where data goes, measured subprocesses, timing."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
# Generated data (gitignored). On the real disk, not /tmp: fsync costs are part of the figures.
OUT = BENCH_DIR / "out"
PYTHON = sys.executable
STORE_TZ = "America/Chicago"


def out_dir(*parts: str) -> Path:
    path = OUT.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def scratch_dir(prefix: str) -> Path:
    """A fresh folder under bench/out for one run; the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=out_dir()))


@dataclass(frozen=True)
class Measured:
    """A finished subprocess: the whole process's wall time and peak RSS."""

    wall_s: float
    peak_rss_mb: float
    cpu_s: float
    returncode: int
    stdout: str
    stderr: str

    def check(self, what: str) -> None:
        if self.returncode != 0:
            tail = (self.stderr.strip() or self.stdout.strip()).splitlines()[-3:]
            raise RuntimeError(f"{what} exited {self.returncode}: {' | '.join(tail)}")


def run_measured(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 1800,
    cgroup: Path | None = None,
) -> Measured:
    """Run `cmd` under bench/_launch.py; see there why peak RSS needs the launcher. With
    `cgroup` (a group's `cgroup.procs`), the command runs inside that cgroup."""
    with tempfile.TemporaryDirectory(prefix="bench-launch-") as tmp:
        report = Path(tmp) / "report.json"
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        group = ["--cgroup", str(cgroup)] if cgroup is not None else []
        launcher = [PYTHON, "-I", "-S", str(BENCH_DIR / "_launch.py"), str(report), *group]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            subprocess.run(
                [*launcher, "--", *cmd],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=err,
                timeout=timeout,
                check=True,
            )
        data = json.loads(report.read_text())
        return Measured(
            wall_s=data["wall_s"],
            peak_rss_mb=data["maxrss_kb"] / 1024,
            cpu_s=data["user_s"] + data["sys_s"],
            returncode=data["returncode"],
            stdout=out_path.read_text(errors="replace"),
            stderr=err_path.read_text(errors="replace"),
        )


def child_env() -> dict[str, str]:
    """The environment for product subprocesses: no stray config, unbuffered output."""
    env = dict(os.environ)
    env.pop("KIOSK_CONFIG", None)
    # An installed kiosk has its .pyc files (pip compiles them); a shell that forbids writing
    # them would make every start-up compile the kiosk's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass(frozen=True)
class Timing:
    median_s: float
    p95_s: float
    n: int


def time_calls(fn: Callable[[], object], n: int, *, warmup: int = 3) -> Timing:
    """Median and 95th percentile of `n` calls of `fn` (after `warmup` untimed ones)."""
    for _ in range(warmup):
        fn()
    samples = []
    clock = time.perf_counter
    for _ in range(n):
        start = clock()
        fn()
        samples.append(clock() - start)
    samples.sort()
    return Timing(statistics.median(samples), samples[min(n - 1, int(n * 0.95))], n)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.05)


def kiosk_config(
    path: Path,
    *,
    store_id: str,
    database: Path,
    feeds: Sequence[tuple[str, str, str]],
    every_minutes: float = 15,
) -> Path:
    """Write a minimal config.toml: `feeds` as (name, kind, url or absolute path)."""
    lines = [
        "[store]",
        f'id = "{store_id}"',
        'name = "Bench"',
        f'timezone = "{STORE_TZ}"',
        "",
        "[database]",
        f'path = "{database.as_posix()}"',
        "",
        "[logging]",
        f'dir = "{(path.parent / "log").as_posix()}"',
    ]
    for name, kind, url in feeds:
        lines += [
            "",
            "[[feeds]]",
            f'name = "{name}"',
            f'kind = "{kind}"',
            f'url = "{url}"',
            f"every_minutes = {every_minutes}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The kiosk's connection PRAGMAs (sync/store/engine.py `_on_connect`), for sqlite3 baselines.
KIOSK_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=15000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-16000",
)
