"""Black-box helpers for the contract tests: a store folder with its own config.toml and feeds,
and `python -m kiosk` run as a subprocess, the way an HQ or a store technician runs it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import configs
from tests.configs import Feed, run_kiosk


def config_text(
    store_id: str,
    timezone: str,
    feeds: Sequence[Feed],
    *,
    extra: str = "",
    feed_extra: Mapping[str, str] | None = None,
) -> str:
    """A contract store: its own id and zone, the database under var/, no retries."""
    return configs.config_text(
        feeds,
        store=configs.store_section(store_id, f"Test {store_id}", timezone),
        database="var/kiosk.db",
        log_dir=None,
        sync="retries = 0\ndeadline_seconds = 10\nstart_delay_seconds = 0\n",
        extra=extra,
        feed_extra=feed_extra,
    )


@dataclass
class Store:
    """A scratch store folder: config.toml, feeds/ and var/ (the database), all relative."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    def write_config(self, text: str) -> Path:
        self.config.write_text(text, encoding="utf-8")
        return self.config

    def feed(self, name: str, body: str | bytes) -> Path:
        path = self.root / "feeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, str):
            path.write_text(body, encoding="utf-8", newline="")
        else:
            path.write_bytes(body)
        return path

    def kiosk(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_kiosk(*args, "--config", str(self.config), cwd=self.root, stdin=stdin)

    def sync(self) -> subprocess.CompletedProcess[str]:
        return self.kiosk("sync", "--once")

    def status(self) -> dict[str, dict[str, Any]]:
        result = self.kiosk("status", "--json")
        assert result.returncode == 0, result.stderr
        return {feed["name"]: feed for feed in json.loads(result.stdout)["feeds"]}

    def scoreboard(self, day: str | None = None) -> dict[str, Any]:
        args = ["scoreboard", "--json"] + (["--date", day] if day else [])
        result = self.kiosk(*args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def entries(board: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The scoreboard's entries by (metric, period)."""
    return {(m["metric"], m["period"]): m for m in board["metrics"]}
