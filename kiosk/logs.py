"""Logging: a size-capped rotating file in `[logging] dir`, plus stderr.

The files never total more than `max_megabytes` x (`backups` + 1), so a kiosk left alone for
years cannot fill its disk with logs (`BoundedRotatingFileHandler`, which closes three ways the
standard handler lets a file grow). Secrets and PINs are never passed to a logger.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

from kiosk.config import LoggingConfig

LOG_FILE_NAME = "kiosk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
# One record (a message, a traceback) at most this long, and at most a quarter of a file.
MAX_RECORD_BYTES = 64 * 1024


class BoundedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files really stay under `maxBytes` each.

    The standard one (Python 3.11) lets the disk fill in three ways, all reachable from a
    kiosk (issue 7, item 8):

    - with `backupCount=0` it never rolls over: it "rotates" by reopening the same file in
      append mode, which then grows without end ("[logging] backups = 0");
    - it measures the next record in characters but the file in bytes, so UTF-8 text (feed
      reasons quoting right-to-left or emoji text) overshoots the limit;
    - a record longer than `maxBytes` (a huge traceback, an error quoting a huge value) is
      written whole into a fresh file, and every further one rotates the backups away.

    Here a record is cut to `MAX_RECORD_BYTES` (and to a quarter of `maxBytes`) with a note
    saying so, sizes are counted in encoded bytes, and with no backups the file is emptied
    instead. So the files never total more than `maxBytes` x (`backupCount` + 1).
    """

    def record_limit(self) -> int:
        return max(256, min(MAX_RECORD_BYTES, self.maxBytes // 4))

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        limit = self.record_limit()
        encoded = text.encode(self.encoding or "utf-8", errors="replace")
        if len(encoded) <= limit:
            return text
        note = f" … [cut: {len(encoded):,} bytes in all]"
        keep = encoded[: limit - len(note.encode("utf-8")) - 1]
        return keep.decode(self.encoding or "utf-8", errors="ignore") + note

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.maxBytes <= 0:
            return False
        # As the standard handler (bpo-45401): never roll over anything but a regular file.
        if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        size = len((self.format(record) + "\n").encode(self.encoding or "utf-8", "replace"))
        self.stream.seek(0, 2)
        return self.stream.tell() + size > self.maxBytes

    def doRollover(self) -> None:
        if self.backupCount > 0:
            super().doRollover()
            return
        if self.stream:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        # No backups wanted: start the one file again.
        with open(self.baseFilename, "w", encoding=self.encoding):
            pass
        if not self.delay:
            self.stream = self._open()


class _OneLineFormatter(logging.Formatter):
    """For a terminal: the message without a traceback (the log file keeps it)."""

    def formatException(self, ei: object) -> str:
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""


def setup_logging(
    config: LoggingConfig, *, console_level: str = "INFO", console_tracebacks: bool = True
) -> None:
    """Log to stderr at `console_level` and to the rotating file at `[logging] level`. Without
    `console_tracebacks` (the one-shot commands) stderr gets one line per record: a person at a
    terminal reads the cause; the file has the traceback for whoever debugs it."""
    root = logging.getLogger()
    root.setLevel(config.level)
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(
        logging.Formatter(_FORMAT) if console_tracebacks else _OneLineFormatter(_FORMAT)
    )
    console._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(console)
    try:
        config.dir.mkdir(parents=True, exist_ok=True)
        file_handler = BoundedRotatingFileHandler(
            config.dir / LOG_FILE_NAME,
            maxBytes=int(config.max_megabytes * 2**20),
            backupCount=config.backups,
            encoding="utf-8",
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write logs to %s: %s", config.dir, exc)
        return
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    # urllib3 logs every retry at WARNING with the full URL; ours say it once, redacted.
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
