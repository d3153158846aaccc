"""`kiosk sync`: pull every feed once (`--once`), or keep pulling on schedule without a screen.

While a kiosk runs on the same database, `--once` asks it to pull (its control socket) rather
than becoming a second writer: a big feed applied here would hold the write lock long enough
to make a manager's save at the screen fail.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.config import Config
from kiosk.control import ask_to_sync, running_kiosk
from kiosk.exits import EXIT_FAILED, EXIT_OK
from sync.service import SyncService
from sync.store.db import open_database


def sync_feeds(config: Config, args: argparse.Namespace) -> int:
    if args.once and config.feeds:
        reply = ask_to_sync(config.database_path)
        if reply is not None:
            print("kiosk: the running kiosk pulled the feeds", file=sys.stderr)
            for line in reply.lines:
                print(line)
            return EXIT_OK if reply.ok else EXIT_FAILED
    elif not args.once:
        other = running_kiosk(config.database_path)
        if other is not None:
            print(
                f"kiosk: a kiosk (process {other}) already syncs this database; "
                "`kiosk sync --once` asks it to pull now",
                file=sys.stderr,
            )
            return EXIT_FAILED
    db = open_database(config.database_path)
    service = SyncService(db, config.store.id, config.feeds)
    try:
        if not args.once:
            from kiosk.scheduling import run_headless  # APScheduler: only the scheduled mode

            return run_headless(config, service)
        if not config.feeds:
            print("no feeds configured in", config.path)
            return EXIT_OK
        reports = service.pull_all()
    finally:
        service.close()
        db.dispose()
    for report in reports:
        print(report.line())
    if config.demo_feeds_dir is not None and not any(config.demo_feeds_dir.glob("*.csv")):
        print(
            f"kiosk: `kiosk run` publishes the demo's feeds (in {config.demo_feeds_dir}): "
            "start it once",
            file=sys.stderr,
        )
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED
