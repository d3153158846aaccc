"""Huge hostile feeds, pulled one after another in a fresh process that watches its own memory.

`python -m tests.reliability.big_feeds [CASE ...]` writes each case's file (up to 50 MB, the
default `max_bytes`) to a temporary folder, pulls it with `SyncService.pull` into a fresh
database, and prints one JSON line per case: the outcome, the error, the seconds the pull took
and the peak growth of the resident set size over the RSS before the pull (sampled every 2 ms
from /proc/self/statm; memory freed by the previous case is given back first with malloc_trim).

Run by tests/reliability/test_hostile_feeds.py; the cases are also worth running by hand on a
kiosk's own hardware.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sync.service import SyncService
from sync.spec import FeedKind, FeedSpec
from sync.store.db import open_database

MB = 1 << 20
H = b"store_id,date,metric,value\n"
GOOD = b"S001,2026-11-24,sales,5\n"


def _fill(path: Path, head: bytes, unit: bytes, size: int, tail: bytes = b"") -> None:
    """`head`, then `unit` repeated, then `tail`: at most `size` bytes, in 1 MB blocks."""
    block = unit * max(1, MB // len(unit))
    room = size - len(head) - len(tail)
    with open(path, "wb") as out:
        out.write(head)
        for _ in range(room // len(block)):
            out.write(block)
        out.write(unit * ((room % len(block)) // len(unit)))
        out.write(tail)


def _nested(path: Path) -> None:
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)


def _random_no_nul(path: Path) -> None:
    rng = __import__("random").Random(3)
    with open(path, "wb") as out:
        for _ in range(50):
            out.write(rng.randbytes(MB).replace(b"\x00", b"\x01"))


# name -> (kind, file suffix, writer of the file)
CASES: dict[str, tuple[FeedKind, str, Callable[[Path], None]]] = {
    "50 MB single line": (
        "metrics",
        ".csv",
        lambda p: _fill(p, H + b"S001,2026-11-24,sales,", b"9" * 4096, 50 * MB),
    ),
    "quoted field never closed": (
        "comments",
        ".csv",
        lambda p: _fill(
            p,
            b'store_id,date,text\nS001,2026-11-24,"',
            b"no closing quote, " * 200 + b"\n",
            20 * MB,
        ),
    ),
    "header of 1,000,000 commas": (
        "metrics",
        ".csv",
        lambda p: p.write_bytes(H.rstrip(b"\n") + b"," * 1_000_000 + b"\n" + GOOD),
    ),
    "JSON nested 100,000 deep": ("metrics", ".json", _nested),
    "40 MB JSON string": (
        "comments",
        ".json",
        lambda p: _fill(
            p, b'[{"store_id":"S001","date":"2026-11-24","text":"', b"x" * 4096, 40 * MB, b'"}]'
        ),
    ),
    "50 MB of bad rows": ("metrics", ".csv", lambda p: _fill(p, H, b"x\n", 50 * MB)),
    "one good row, then 50 MB of bad rows": (
        "metrics",
        ".csv",
        lambda p: _fill(p, H + GOOD, b"S001,d,m,1\n", 50 * MB),
    ),
    "50 MB of blank lines": ("metrics", ".csv", lambda p: _fill(p, H + GOOD, b"\r\n", 50 * MB)),
    "50 MB of empty JSON records": (
        "metrics",
        ".json",
        lambda p: _fill(
            p,
            b'[{"store_id":"S001","date":"2026-11-24","metric":"m","value":1}',
            b",{}",
            50 * MB,
            b"]",
        ),
    ),
    "50 MB of random bytes without NUL": ("metrics", ".csv", _random_no_nul),
}


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss:
    """The highest RSS seen while the block runs, sampled on a thread every 2 ms."""

    def __init__(self) -> None:
        self.peak = self.start = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _trim() -> None:
    gc.collect()
    # Not glibc (no malloc_trim): growth may then be under-measured.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def run(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            kind, suffix, write = CASES[name]
            path = Path(folder) / f"feed{suffix}"
            write(path)
            db = open_database(Path(folder) / f"{len(os.listdir(folder))}.db")
            spec = FeedSpec(name="hostile", kind=kind, url=str(path))
            service = SyncService(db, "S001", [spec])
            _trim()
            started = time.monotonic()
            with PeakRss() as rss:
                report = service.pull(spec)
            seconds = time.monotonic() - started
            service.close()
            db.dispose()
            size = path.stat().st_size
            path.unlink()
            print(
                json.dumps(
                    {
                        "case": name,
                        "bytes": size,
                        "outcome": report.outcome,
                        "error": report.error,
                        "rows_applied": report.rows_applied,
                        "rows_rejected": report.rows_rejected,
                        "seconds": round(seconds, 3),
                        "rss_growth_mb": round((rss.peak - rss.start) / MB, 1),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    run(sys.argv[1:] or list(CASES))
