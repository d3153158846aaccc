"""The kiosk's heartbeat to HQ: its body, and what one heartbeat leaves for the next.

The body is the one docs/hq.md defines ("POST /api/v1/heartbeat"): the store, the app's
version and uptime, each feed's last pull, the data's freshness, whether the screen is on,
the outbox, the database's size, the free disk, the clock's offset against HQ, and the screen's
thumbnail. The kiosk layer supplies what only it knows (freshness, opening hours, the picture);
the rest is read here from the database and the file system. It goes through the outbox
(`sync.upload.replace_heartbeat`), so it is delivered like an entry: idempotent, with backoff,
on a pool thread; only the latest undelivered heartbeat is kept.

`HeartbeatLink` is the memory between heartbeats, fed by HQ's acknowledgements:

- the clock offset: the kiosk's clock minus HQ's, measured on the previous acknowledgement
  (its `server_time`, to the microsecond; else its `Date` header, to the second), at the
  middle of the request, so the network's round trip cancels out;
- which thumbnail HQ has: the picture's bytes go up only when its SHA-256 differs from the
  last one HQ acknowledged (or HQ's acknowledgement asked for it with `send_thumbnail`); every
  heartbeat carries `thumbnail_sha256`, the screen shown now.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.spec import FeedSpec
from sync.status import feed_statuses
from sync.store.models import Store
from sync.upload import KIND_HEARTBEAT, Acknowledgement, iso, outbox_status

log = logging.getLogger(__name__)

THUMBNAIL_MEDIA_TYPES = ("image/jpeg", "image/webp")
# The picture's bytes: a 480x270 JPEG of the board is 10-20 KB; HQ's heartbeat limit is 256 KiB.
THUMBNAIL_MAX_BYTES = 40_000
# HQ's limits on what it stores (hq/wire.py): longer values would be refused, not cut.
MAX_FEEDS = 100
_MAX_CHARS = {"feed_name": 100, "feed_kind": 40, "app_version": 100, "store_name": 200}
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Thumbnail:
    """The encoded picture of the screen on show."""

    data: bytes
    media_type: str  # image/jpeg or image/webp

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class DisplayState:
    """Whether the screen is on, and why not (e.g. outside opening hours)."""

    on: bool
    reason: str | None = None


@dataclass(frozen=True)
class FreshnessState:
    """The board's data: its newest successful pull, and whether the store sees it as stale."""

    last_success: dt.datetime | None
    stale: bool


class HeartbeatLink:
    """HQ's clock and the thumbnail HQ has, as the latest acknowledgements left them.

    `acknowledged` runs on the delivering thread, the reads on the heartbeat job's: a lock
    keeps each read whole.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset: float | None = None
        self._hq_has: str | None = None
        self._hq_wants = False
        self._acknowledged = 0

    @property
    def clock_offset_seconds(self) -> float | None:
        with self._lock:
            return self._offset

    @property
    def thumbnail_at_hq(self) -> str | None:
        """The SHA-256 of the last thumbnail HQ acknowledged receiving."""
        with self._lock:
            return self._hq_has

    def acknowledged(self, ack: Acknowledgement) -> None:
        """Learn from HQ's acknowledgement of a heartbeat (other kinds are ignored)."""
        if ack.kind != KIND_HEARTBEAT:
            return
        try:
            sent = json.loads(ack.body)
        except ValueError:  # our own body: cannot happen, and must not stop the delivery
            sent = {}
        thumbnail = sent.get("thumbnail") if isinstance(sent, dict) else None
        offset = clock_offset(ack)
        with self._lock:
            if isinstance(thumbnail, dict) and isinstance(thumbnail.get("sha256"), str):
                self._hq_has = thumbnail["sha256"]
            self._hq_wants = ack.answer.get("send_thumbnail") is True
            if offset is not None:
                self._offset = offset
            self._acknowledged += 1
            first = self._acknowledged == 1
        if first:  # the log says once that HQ is reached; `kiosk status` says the rest
            log.info("heartbeat: HQ acknowledged the first heartbeat (clock offset %s s)", offset)

    def thumbnail_fields(self, thumbnail: Thumbnail | None) -> dict[str, Any]:
        """`thumbnail` (with the bytes, only when HQ lacks them) and `thumbnail_sha256`."""
        if thumbnail is None:
            return {"thumbnail": None, "thumbnail_sha256": None}
        sha = thumbnail.sha256
        with self._lock:
            send = sha != self._hq_has or self._hq_wants
        picture = None
        if send:
            picture = {
                "sha256": sha,
                "media_type": thumbnail.media_type,
                "data": base64.b64encode(thumbnail.data).decode("ascii"),
            }
        return {"thumbnail": picture, "thumbnail_sha256": sha}


def clock_offset(ack: Acknowledgement) -> float | None:
    """The kiosk's clock minus HQ's, in seconds (3 decimals), from one acknowledgement."""
    hq_time: dt.datetime | None = None
    server_time = ack.answer.get("server_time")
    if isinstance(server_time, str):
        try:
            hq_time = dt.datetime.fromisoformat(server_time)
        except ValueError:
            hq_time = None
        if hq_time is not None and hq_time.tzinfo is None:
            hq_time = None
    if hq_time is None and ack.date_header:
        try:
            # Whole seconds, cut down: the true time is on average half a second later.
            hq_time = email.utils.parsedate_to_datetime(ack.date_header) + dt.timedelta(seconds=0.5)
        except (TypeError, ValueError, IndexError):
            hq_time = None
        if hq_time is not None and hq_time.tzinfo is None:
            hq_time = None
    if hq_time is None:
        return None
    return round((ack.midpoint - hq_time).total_seconds(), 3) + 0.0  # never "-0.0"


def _cut(text: str | None, key: str) -> str | None:
    limit = _MAX_CHARS[key]
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _region(session: Session, store_id: str) -> str | None:
    """This store's region, from the stores feed (None until that feed arrived)."""
    return session.scalar(select(Store.region).where(Store.store_id == store_id))


def database_bytes(path: Path) -> int | None:
    """The database file with its write-ahead log: what it takes on disk."""
    total, found = 0, False
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            total += os.stat(part).st_size
            found = True
        except OSError:
            continue
    return total if found else None


def free_disk_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None


def heartbeat_payload(
    session: Session,
    *,
    store_id: str,
    store_name: str | None,
    app_version: str,
    feeds: Sequence[FeedSpec],
    database_path: Path,
    uptime_seconds: float,
    freshness: FreshnessState,
    display: DisplayState,
    thumbnail: Thumbnail | None,
    link: HeartbeatLink,
    now: dt.datetime,
) -> dict[str, Any]:
    """The heartbeat's fields (the outbox adds `kind`, `schema_version`, `idempotency_key`)."""
    feed_states = [
        {
            "name": _cut(str(feed["name"]), "feed_name"),
            "kind": _cut(str(feed["kind"]), "feed_kind"),
            "status": feed["status"],
            "last_success": feed["last_success"],
            "last_attempt": feed["last_attempt"],
            "error": feed["error"],
        }
        for feed in feed_statuses(session, feeds[:MAX_FEEDS], _UTC)
    ]
    box = outbox_status(session)
    if thumbnail is not None and (
        len(thumbnail.data) > THUMBNAIL_MAX_BYTES
        or thumbnail.media_type not in THUMBNAIL_MEDIA_TYPES
    ):
        log.warning(
            "heartbeat: thumbnail left out (%d bytes of %s)",
            len(thumbnail.data),
            thumbnail.media_type,
        )
        thumbnail = None
    return {
        "store_id": store_id,
        "sent_at": iso(now),
        "app_version": _cut(app_version, "app_version"),
        "store_name": _cut(store_name, "store_name"),
        "region": _cut(_region(session, store_id), "store_name"),
        "uptime_seconds": round(max(0.0, uptime_seconds), 1),
        "feeds": feed_states,
        "freshness": {
            "last_success": None if freshness.last_success is None else iso(freshness.last_success),
            "stale": freshness.stale,
        },
        "display": {"on": display.on, "reason": display.reason},
        "outbox": {
            "pending": box.pending,
            "oldest": None if box.oldest is None else iso(box.oldest),
        },
        "database_bytes": database_bytes(database_path),
        "free_disk_bytes": free_disk_bytes(database_path),
        "clock_offset_seconds": link.clock_offset_seconds,
        **link.thumbnail_fields(thumbnail),
    }
