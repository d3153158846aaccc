"""A kiosk config and database filled from the demo feeds, for tests that need real data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, load_config
from kiosk.demo.feeds import write_demo_feeds
from sync.service import SyncService
from sync.store.db import Database, open_database
from tests import configs

DEMO_DAY = dt.date(2026, 11, 24)  # a Tuesday
# 15:00 in Chicago on DEMO_DAY.
DEMO_NOW = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)

CONFIG = configs.config_text(sync="start_delay_seconds = 0\njitter_seconds = 0\n")

FEEDS = (
    ("stores", "stores", "stores.csv"),
    ("catalog", "catalog", "catalog.csv"),
    ("metrics", "metrics", "metrics.csv"),
    ("targets", "targets", "targets.csv"),
    ("comments", "comments", "comments.csv"),
    ("messages", "messages", "messages.json"),
)


@dataclass
class DemoEnv:
    config: Config
    db: Database
    feeds_dir: Path

    def sync(self) -> None:
        service = SyncService(self.db, self.config.store.id, self.config.feeds)
        try:
            reports = service.pull_all()
        finally:
            service.close()
        bad = [r.line() for r in reports if not r.ok]
        assert not bad, bad


def demo_env(folder: Path, day: dt.date = DEMO_DAY, *, extra: str = "") -> DemoEnv:
    """Demo feeds for `day` in `folder`, a config reading them, a migrated database."""
    feeds_dir = folder / "feeds"
    text = CONFIG + extra + configs.feed_tables((n, k, f"feeds/{f}") for n, k, f in FEEDS)
    config = load_config(configs.write_config(folder, text))
    write_demo_feeds(feeds_dir, config.store, day)
    return DemoEnv(config=config, db=open_database(config.database_path), feeds_dir=feeds_dir)
