"""What the kiosk tells HQ in each heartbeat (plain Python; runs on a scheduler thread).

`sync.heartbeat` has the body and the outbox's rules; this adds what only the kiosk knows:
the board's freshness as the header judges it, whether the screen is on (opening hours), the
uptime, and the thumbnail (a callable the window provides; it grabs on the GUI thread and
encodes on the caller's). `kiosk.scheduling` runs `KioskHeartbeat.send` at start and every
`[hq] heartbeat_minutes`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk import __version__
from kiosk.board.display_schedule import schedule_from_display
from kiosk.board.snapshot import load_freshness
from kiosk.config import Config
from sync.clock import utc_now
from sync.heartbeat import (
    DisplayState,
    FreshnessState,
    HeartbeatLink,
    Thumbnail,
    heartbeat_payload,
)
from sync.store.db import Database
from sync.store.writer import Writer
from sync.upload import OutboxUploader, replace_heartbeat

log = logging.getLogger(__name__)

ThumbnailSource = Callable[[], Thumbnail | None]
OUTSIDE_OPENING_HOURS = "outside opening hours"


class KioskHeartbeat:
    """Builds, queues and sends one heartbeat per `send()` (never on the GUI thread)."""

    def __init__(
        self,
        config: Config,
        db: Database,
        writer: Writer,
        uploader: OutboxUploader,
        link: HeartbeatLink,
        *,
        thumbnail: ThumbnailSource | None = None,
        started: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._db = db
        self._writer = writer
        self._uploader = uploader
        self._link = link
        self._thumbnail = thumbnail
        self._monotonic = monotonic
        self._started = monotonic() if started is None else started
        self._display = schedule_from_display(config.display, config.store.tz)

    def payload(self) -> dict[str, object]:
        now = utc_now()
        on = self._display.is_on(now)
        picture = self._take_thumbnail()
        with self._db.read() as session:
            board = load_freshness(session, self._config, now)
            return heartbeat_payload(
                session,
                store_id=self._config.store.id,
                store_name=self._config.store.name,
                app_version=__version__,
                feeds=self._config.feeds,
                database_path=self._config.database_path,
                uptime_seconds=self._monotonic() - self._started,
                freshness=FreshnessState(board.last_success, board.stale),
                display=DisplayState(on, None if on else OUTSIDE_OPENING_HOURS),
                thumbnail=picture,
                link=self._link,
                now=now,
            )

    def send(self) -> None:
        """Queue this moment's heartbeat in place of an undelivered one, then deliver."""
        body = self.payload()
        self._writer.call(self._queue, body)
        self._uploader.deliver_due()

    def _queue(self, body: dict[str, object]) -> None:
        with self._db.write.begin() as session:
            replace_heartbeat(session, body, utc_now())

    def _take_thumbnail(self) -> Thumbnail | None:
        if self._thumbnail is None:
            return None
        try:
            return self._thumbnail()
        except Exception:  # a picture is a nicety: the heartbeat goes without it
            log.exception("heartbeat: could not take the screen's thumbnail")
            return None
