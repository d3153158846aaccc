"""Logging: a size-capped rotating file in `[logging] dir`, plus stderr.

The file never grows past `max_megabytes` x (`backups` + 1), so a kiosk left alone for years
cannot fill its disk with logs. Secrets and PINs are never passed to a logger.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys

from kiosk.config import LoggingConfig

LOG_FILE_NAME = "kiosk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(config: LoggingConfig, *, console_level: str = "INFO") -> None:
    root = logging.getLogger()
    root.setLevel(config.level)
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter(_FORMAT))
    console._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(console)
    try:
        config.dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
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
