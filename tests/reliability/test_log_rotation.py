"""A log that rotates and never fills the disk (issue 7, item 8).

Logging goes through the real `kiosk.logs.setup_logging` with a small `max_megabytes`; the
files must never total more than max x (backups + 1), whatever is logged: plain lines,
UTF-8 text (feed reasons quote right-to-left and emoji text), huge records (a traceback, an
error quoting a huge value), and with `backups = 0`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import LoggingConfig
from kiosk.logs import LOG_FILE_NAME, setup_logging


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    yield tmp_path / "log"
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def total(folder: Path) -> tuple[int, list[Path]]:
    files = sorted(folder.glob(LOG_FILE_NAME + "*"))
    return sum(p.stat().st_size for p in files), files


RTL = "مرحبا 👨\u200d👩\u200d👧 שלום "


def flood(log: logging.Logger, content: str, check) -> None:
    for n in range(3000):
        if content == "huge" and n % 500 == 0:
            log.error("a huge record %d: %s", n, "x" * 3_000_000)
        elif content == "utf8":
            log.warning("feed %d: %s", n, RTL * 20)
        else:
            log.info("pull %d applied %d rows", n, n * 7)
        if n % 50 == 0:
            check()


@pytest.mark.parametrize("content", ["plain", "utf8", "huge"])
@pytest.mark.parametrize("backups", [0, 1, 3])
def test_the_log_files_never_total_more_than_max_times_backups_plus_one(
    logs: Path, backups: int, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    max_megabytes = 0.05  # 52,428 bytes: rotates every few hundred lines
    setup_logging(
        LoggingConfig(dir=logs, level="INFO", max_megabytes=max_megabytes, backups=backups),
        console_level="CRITICAL",
    )
    limit = int(max_megabytes * 2**20)
    bound = limit * (backups + 1)
    seen = {"max": 0}

    def check() -> None:
        size, files = total(logs)
        seen["max"] = max(seen["max"], size)
        assert size <= bound, f"{size:,} bytes in {len(files)} files > {bound:,}"
        assert len(files) <= backups + 1, [f.name for f in files]
        for file in files:
            assert file.stat().st_size <= limit, f"{file.name}: {file.stat().st_size:,} bytes"

    flood(logging.getLogger("kiosk.test"), content, check)
    check()
    logging.getLogger("kiosk.test").info("the last line")
    newest = (logs / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "the last line" in newest
    if content == "huge" and backups > 0:  # (with none, later lines emptied the file)
        # Cut, and saying so, rather than pushing a file past its size.
        everything = "".join(p.read_text(encoding="utf-8") for p in logs.glob(LOG_FILE_NAME + "*"))
        assert "[cut: 3,000," in everything
    assert seen["max"] > limit * backups  # it really filled them
    capsys.readouterr()
