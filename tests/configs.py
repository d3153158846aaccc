"""Config files and `python -m kiosk` runs for tests: one place that writes a store's
config.toml, so the sections and feed tables are spelled once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

Feed = tuple[str, str, str]  # (name, kind, url or path relative to the config's folder)

DEMO_STORE = ("S001", "Downtown", "America/Chicago")


def store_section(
    store_id: str = DEMO_STORE[0], name: str = DEMO_STORE[1], timezone: str = DEMO_STORE[2]
) -> str:
    return f'[store]\nid = "{store_id}"\nname = "{name}"\ntimezone = "{timezone}"\n'


def feed_tables(feeds: Iterable[Feed], extra: Mapping[str, str] | None = None) -> str:
    """One `[[feeds]]` table per feed; `extra` adds lines to the feed of that name."""
    return "".join(
        f'\n[[feeds]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n'
        + (extra or {}).get(name, "")
        for name, kind, url in feeds
    )


def config_text(
    feeds: Iterable[Feed] = (),
    *,
    store: str | None = None,
    database: str = "kiosk.db",
    log_dir: str | None = "log",
    sync: str = "",
    extra: str = "",
    feed_extra: Mapping[str, str] | None = None,
) -> str:
    """A whole config: [store] (the demo store by default), [database], [logging], [sync]
    lines, `extra` sections, then the feeds."""
    text = (store or store_section()) + f'\n[database]\npath = "{database}"\n'
    if log_dir is not None:
        text += f'\n[logging]\ndir = "{log_dir}"\n'
    if sync:
        text += f"\n[sync]\n{sync}"
    return text + extra + feed_tables(feeds, feed_extra)


def write_config(folder: Path, text: str) -> Path:
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_kiosk(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk ARGS` in `cwd` to the end, without any KIOSK_CONFIG of the test
    runner's own."""
    base = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
        input=stdin,
    )
