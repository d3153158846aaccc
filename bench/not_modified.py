"""Not modified: what a poll of an unchanged feed costs (issue 6 item 4, issue 3 item 5).

In-process, on a kiosk database on the real disk: `SyncService.pull(spec)` of the demo metrics
feed (kiosk/demo/feeds.py) after a first pull applied it,
(a) from a local file whose size and mtime did not change, and
(b) over HTTP from nginx on 127.0.0.1 (bench/_nginx.py), which answers 304 to the validators
    the first pull stored.
Median of many pulls; every one must come back "unchanged".

"No write": the bench database gets triggers (in this copy only) that count every row inserted,
updated or deleted in the feed data tables; the count must not move. Each pull still records
its attempt (feed_state and a sync_runs row, as issue 3 item 6 asks): one small bookkeeping
commit per pull is expected, and the sync_runs count reports it.

Baselines: (a) `os.stat` of the file plus one SELECT of the stored size and mtime, the least an
"unchanged?" check can do; (b) a bare `requests` GET with If-None-Match on a kept-alive session
to the same nginx, the least an HTTP client can do.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3

from bench import Result, skipped
from bench._nginx import INSTALL_HINT, Nginx, find_nginx
from bench._util import KIOSK_PRAGMAS, Timing, scratch_dir, time_calls

STORE = "S001"
TARGET_MS = 20.0
DATA_TABLES = ("metric_values", "targets", "catalog", "stores", "comments", "messages")


def _count_writes(db_path: os.PathLike[str]) -> None:
    """Triggers that count every data row written, in bench_writes (this database only)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE bench_writes (n INTEGER NOT NULL)")
    conn.execute("INSERT INTO bench_writes VALUES (0)")
    for table in DATA_TABLES:
        for op in ("INSERT", "UPDATE", "DELETE"):
            conn.execute(
                f"CREATE TRIGGER bench_{table}_{op.lower()} AFTER {op} ON {table} "
                "BEGIN UPDATE bench_writes SET n = n + 1; END"
            )
    conn.close()


def _disk_writes() -> int:
    """Bytes this process (all its threads) sent to storage so far; -1 where unknown."""
    try:
        with open("/proc/self/io", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("write_bytes:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def run(quick: bool) -> list[Result]:
    import requests

    from kiosk.demo.feeds import metrics_csv
    from sync.fetch.http_download import ACCEPT, ACCEPT_ENCODING
    from sync.service import SyncService
    from sync.spec import FeedSpec
    from sync.store.db import open_database

    n = 40 if quick else 300
    work = scratch_dir("not-modified")
    feeds = work / "feeds"
    feeds.mkdir()
    (feeds / "metrics.csv").write_text(metrics_csv(dt.date(2026, 11, 18)), encoding="utf-8")
    db_path = work / "kiosk.db"
    db = open_database(db_path)
    _count_writes(db_path)
    watcher = sqlite3.connect(db_path, isolation_level=None)

    def data_writes() -> int:
        return int(watcher.execute("SELECT n FROM bench_writes").fetchone()[0])

    def attempts_recorded() -> int:
        return int(watcher.execute("SELECT count(*) FROM sync_runs").fetchone()[0])

    results: list[Result] = []
    server: Nginx | None = None
    service: SyncService | None = None
    try:
        specs = [FeedSpec("file", "metrics", str(feeds / "metrics.csv"))]
        if find_nginx() is not None:
            server = Nginx(work / "nginx", feeds)
            server.start()
            specs.append(FeedSpec("http", "metrics", f"{server.base_url}/metrics.csv"))
        service = SyncService(db, STORE, specs)

        for spec in specs:
            first = service.pull(spec)
            if first.outcome != "applied" or not first.rows_applied:
                raise RuntimeError(f"the first pull of {spec.name} did not apply: {first.line()}")
            writes, runs = data_writes(), attempts_recorded()
            outcomes: set[str] = set()

            def pull(spec: FeedSpec = spec, outcomes: set[str] = outcomes) -> None:
                outcomes.add(service.pull(spec).outcome)

            disk_before = _disk_writes()
            timing = time_calls(pull, n)
            disk = _disk_writes() - disk_before if disk_before >= 0 else None
            rows_written = data_writes() - writes
            runs = attempts_recorded() - runs
            if outcomes != {"unchanged"}:
                raise RuntimeError(f"{spec.name}: expected only 'unchanged', got {outcomes}")
            base, base_is = _baseline(spec, db_path, n, requests, ACCEPT, ACCEPT_ENCODING)
            what = "local file, same size+mtime" if spec.name == "file" else "HTTP 304 (nginx)"
            ms = timing.median_s * 1000
            results.append(
                Result(
                    name=f"not modified: {what}, pull()",
                    figure=ms,
                    unit="ms",
                    baseline=base.median_s * 1000,
                    baseline_is=base_is,
                    target=f"< {TARGET_MS:g} ms",
                    ok=ms < TARGET_MS,
                    note=f"median of {timing.n}, p95 {timing.p95_s * 1000:.2f} ms",
                )
            )
            results.append(
                Result(
                    name=f"not modified: {what}, data rows written",
                    figure=rows_written,
                    unit="rows",
                    target="0 rows",
                    ok=rows_written == 0,
                    note=f"{timing.n + 3} pulls recorded {runs} attempts: one bookkeeping commit "
                    "per pull (feed_state + a sync_runs row), no feed data"
                    + (
                        f"; the process wrote {disk / (timing.n + 3) / 1024:.1f} KB to disk per "
                        "pull (/proc/self/io)"
                        if disk is not None
                        else ""
                    ),
                )
            )
        if server is None:
            results.append(skipped("not modified: HTTP 304", INSTALL_HINT))
    finally:
        if service is not None:
            service.close()
        if server is not None:
            server.stop()
        watcher.close()
        db.dispose()
        shutil.rmtree(work, ignore_errors=True)
    return results


def _baseline(spec, db_path, n, requests, accept, accept_encoding):
    """The least work that answers "unchanged?" the same way; see the module docstring."""
    if spec.name == "file":
        conn = sqlite3.connect(db_path, isolation_level=None)
        for pragma in KIOSK_PRAGMAS:
            conn.execute(pragma)
        path = spec.url

        def check() -> bool:
            info = os.stat(path)
            row = conn.execute(
                "SELECT source_size, source_mtime_ns FROM feed_state WHERE name = ?", (spec.name,)
            ).fetchone()
            return tuple(row) == (info.st_size, info.st_mtime_ns)

        assert check()
        try:
            return time_calls(check, n), "os.stat + 1 SELECT of the stored size/mtime"
        finally:
            conn.close()
    session = requests.Session()
    first = session.get(spec.url, headers={"Accept-Encoding": accept_encoding})
    etag = first.headers["ETag"]
    headers = {"If-None-Match": etag, "Accept": accept, "Accept-Encoding": accept_encoding}

    def get() -> None:
        response = session.get(spec.url, headers=headers)
        assert response.status_code == 304

    try:
        timing: Timing = time_calls(get, n)
    finally:
        session.close()
    return timing, "bare requests GET with If-None-Match, kept-alive session"
