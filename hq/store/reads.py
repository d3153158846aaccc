"""The queries behind the pages, the JSON and the export. Read sessions only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from hq.store.models import (
    CurrentEntry,
    Entry,
    HeartbeatRecord,
    Shoutout,
    Store,
    Thumbnail,
)
from hq.tokens import same_hash, token_hash

# Built once: every kiosk request starts with it.
_BY_TOKEN_HASH = select(Store.store_id, Store.token_hash).where(
    Store.token_hash == bindparam("b_hash")
)


def store_for_token(session: Session, token: str) -> str | None:
    """The store a bearer token speaks for, or None (unknown, or replaced by a newer one)."""
    presented = token_hash(token)
    row = session.execute(_BY_TOKEN_HASH, {"b_hash": presented}).first()
    if row is None or row.token_hash is None or not same_hash(row.token_hash, presented):
        return None
    return str(row.store_id)


@dataclass(frozen=True)
class StoreSummary:
    """One store as the fleet page shows it: its row, its latest heartbeat flattened."""

    store_id: str
    name: str | None
    region: str | None
    created_at: dt.datetime
    token_created_at: dt.datetime | None
    last_seen: dt.datetime | None
    sent_at: dt.datetime | None
    app_version: str | None
    failing_feeds: int
    data_stale: bool
    data_last_success: dt.datetime | None
    display_on: bool | None
    display_reason: str | None
    outbox_pending: int | None
    problem: str | None
    thumbnail_sha256: str | None  # the screen the kiosk says it shows
    stored_thumbnail_sha256: str | None  # the thumbnail HQ has (None: none yet)
    thumbnail_received_at: dt.datetime | None


_SUMMARY_COLUMNS = (
    Store.store_id,
    Store.name,
    Store.region,
    Store.created_at,
    Store.token_created_at,
    Store.last_seen,
    Store.sent_at,
    Store.app_version,
    Store.failing_feeds,
    Store.data_stale,
    Store.data_last_success,
    Store.display_on,
    Store.display_reason,
    Store.outbox_pending,
    Store.problem,
    Store.thumbnail_sha256,
    Thumbnail.sha256.label("stored_thumbnail_sha256"),
    Thumbnail.received_at.label("thumbnail_received_at"),
)


def _summaries(session: Session, *where: Any) -> list[StoreSummary]:
    rows = session.execute(
        select(*_SUMMARY_COLUMNS)
        .outerjoin(Thumbnail, Thumbnail.store_id == Store.store_id)
        .where(*where)
        .order_by(Store.store_id)
    )
    return [StoreSummary(**row._asdict()) for row in rows]


def fleet(session: Session) -> list[StoreSummary]:
    """Every store HQ knows, by store id."""
    return _summaries(session)


@dataclass(frozen=True)
class StoreDetail:
    summary: StoreSummary
    uptime_seconds: float | None
    outbox_oldest: dt.datetime | None
    database_bytes: int | None
    free_disk_bytes: int | None
    clock_offset_seconds: float | None
    feeds: list[dict[str, Any]]
    heartbeats: list[dict[str, Any]]
    heartbeat_count: int
    entries: list[dict[str, Any]]
    shoutouts: list[dict[str, Any]]


def _dicts(session: Session, query: Any) -> list[dict[str, Any]]:
    return [row._asdict() for row in session.execute(query)]


def store_detail(session: Session, store_id: str, *, recent: int = 50) -> StoreDetail | None:
    """One store's page: its latest state, feeds, and the most recent history of each kind."""
    found = _summaries(session, Store.store_id == store_id)
    if not found:
        return None
    extra = session.execute(
        select(
            Store.uptime_seconds,
            Store.outbox_oldest,
            Store.database_bytes,
            Store.free_disk_bytes,
            Store.clock_offset_seconds,
            Store.feeds_json,
        ).where(Store.store_id == store_id)
    ).one()
    heartbeats = _dicts(
        session,
        select(
            HeartbeatRecord.received_at,
            HeartbeatRecord.sent_at,
            HeartbeatRecord.app_version,
            HeartbeatRecord.status,
            HeartbeatRecord.display_on,
            HeartbeatRecord.outbox_pending,
            HeartbeatRecord.clock_offset_seconds,
            HeartbeatRecord.problem,
        )
        .where(HeartbeatRecord.store_id == store_id)
        .order_by(HeartbeatRecord.received_at.desc(), HeartbeatRecord.id.desc())
        .limit(recent),
    )
    count = session.scalar(
        select(func.count())
        .select_from(HeartbeatRecord)
        .where(HeartbeatRecord.store_id == store_id)
    )
    entries = _dicts(
        session,
        select(
            Entry.day.label("date"),
            Entry.metric,
            Entry.value,
            Entry.previous_value,
            Entry.entered_at,
            Entry.received_at,
            Entry.idempotency_key,
        )
        .where(Entry.store_id == store_id)
        .order_by(Entry.received_at.desc(), Entry.id.desc())
        .limit(recent),
    )
    shoutouts = _dicts(
        session,
        select(
            Shoutout.text,
            Shoutout.day,
            Shoutout.until,
            Shoutout.created_at,
            Shoutout.deleted_at,
            Shoutout.shoutout_id,
            Shoutout.shoutout_key,
        )
        .where(Shoutout.store_id == store_id)
        .order_by(Shoutout.created_at.desc(), Shoutout.id.desc())
        .limit(recent),
    )
    return StoreDetail(
        summary=found[0],
        uptime_seconds=extra.uptime_seconds,
        outbox_oldest=extra.outbox_oldest,
        database_bytes=extra.database_bytes,
        free_disk_bytes=extra.free_disk_bytes,
        clock_offset_seconds=extra.clock_offset_seconds,
        feeds=_feeds(extra.feeds_json),
        heartbeats=heartbeats,
        heartbeat_count=int(count or 0),
        entries=entries,
        shoutouts=shoutouts,
    )


def _feeds(feeds_json: str | None) -> list[dict[str, Any]]:
    """The latest heartbeat's feeds, with their times as datetimes again."""
    feeds: list[dict[str, Any]] = json.loads(feeds_json) if feeds_json else []
    for feed in feeds:
        for key in ("last_success", "last_attempt"):
            if feed.get(key):
                feed[key] = dt.datetime.fromisoformat(feed[key])
    return feeds


@dataclass(frozen=True)
class StoredThumbnail:
    sha256: str
    media_type: str
    data: bytes


def thumbnail(session: Session, store_id: str) -> StoredThumbnail | None:
    row = session.get(Thumbnail, store_id)
    if row is None:
        return None
    return StoredThumbnail(sha256=row.sha256, media_type=row.media_type, data=row.data)


def current_entries(
    session: Session, batch: int = 2000
) -> Iterator[tuple[str, dt.date, str, float]]:
    """(store_id, date, metric, value) of every current entry, in feed order, streamed."""
    result = session.execute(
        select(CurrentEntry.store_id, CurrentEntry.day, CurrentEntry.metric, CurrentEntry.value)
        .order_by(CurrentEntry.store_id, CurrentEntry.day, CurrentEntry.metric)
        .execution_options(yield_per=batch)
    )
    for row in result:
        yield row.store_id, row.day, row.metric, row.value
