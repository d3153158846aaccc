"""What the kiosks send, applied to the database; and minting tokens.

Each function runs one write transaction (`with db.write.begin()`). Idempotency rests on the
unique idempotency key: a repeat finds its key and is not applied again; two copies of the
same request racing each other both try to insert it, one fails on the constraint, and is
answered as the repeat it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hq.status import heartbeat_status
from hq.store.database import Database
from hq.store.models import (
    CurrentEntry,
    Entry,
    HeartbeatRecord,
    Shoutout,
    ShoutoutDeletion,
    Store,
    Thumbnail,
    UploadRecord,
)
from hq.store.types import UtcDateTime
from hq.tokens import new_token, token_hash
from hq.wire import (
    EntryUpload,
    Heartbeat,
    ShoutoutDeletedUpload,
    ShoutoutUpload,
    Upload,
)

T = TypeVar("T")

KIND_OF: dict[type, str] = {
    EntryUpload: "entry",
    ShoutoutUpload: "shoutout",
    ShoutoutDeletedUpload: "shoutout_deleted",
}


@dataclass(frozen=True)
class Applied:
    """The outcome of one upload or heartbeat."""

    duplicate: bool = False  # the key was known: acknowledged, not applied again
    conflict: str | None = None  # the key is another store's or another kind's: refused
    want_thumbnail: bool = False  # (heartbeats) HQ lacks the screen the kiosk says it shows


@dataclass(frozen=True)
class HistoryBound:
    """How much heartbeat history to keep per store."""

    window: dt.timedelta
    max_rows: int


def mint_token(db: Database, store_id: str, now: dt.datetime) -> str:
    """A new token for `store_id` (created if new); its previous token stops working."""
    token = new_token()
    with db.write.begin() as session:
        store = session.get(Store, store_id)
        if store is None:
            session.add(
                Store(
                    store_id=store_id,
                    created_at=now,
                    token_hash=token_hash(token),
                    token_created_at=now,
                )
            )
        else:
            store.token_hash = token_hash(token)
            store.token_created_at = now
    return token


def _once(db: Database, apply: Callable[[Session], T], repeat: Callable[[Session], T]) -> T:
    """Run `apply` in a write transaction; if the unique key refused its insert (a repeat,
    or a concurrent copy of the same request that won the race), answer with `repeat`, which
    finds the key, instead."""
    try:
        with db.write.begin() as session:
            return apply(session)
    except IntegrityError:
        with db.write.begin() as session:
            return repeat(session)


# --- uploads -----------------------------------------------------------------------------------


def _known_upload(session: Session, upload: Upload) -> Applied | None:
    row = session.execute(
        select(UploadRecord.store_id, UploadRecord.kind).where(
            UploadRecord.idempotency_key == upload.idempotency_key
        )
    ).first()
    if row is None:
        return None
    if row.store_id != upload.store_id or row.kind != KIND_OF[type(upload)]:
        return Applied(conflict="idempotency_key: already used by another upload")
    return Applied(duplicate=True)


def ingest_upload(db: Database, upload: Upload, now: dt.datetime) -> Applied:
    """Apply one outbox item once; a repeat of its key is reported, not applied."""

    def apply(session: Session) -> Applied:
        known = _known_upload(session, upload)
        if known is not None:
            return known
        session.add(
            UploadRecord(
                idempotency_key=upload.idempotency_key,
                store_id=upload.store_id,
                kind=KIND_OF[type(upload)],
                received_at=now,
            )
        )
        session.flush()  # the unique key is checked here, before anything else is written
        if isinstance(upload, EntryUpload):
            _apply_entry(session, upload, now)
        elif isinstance(upload, ShoutoutUpload):
            _apply_shoutout(session, upload, now)
        else:
            _apply_deletion(session, upload, now)
        return Applied()

    def repeat(session: Session) -> Applied:
        known = _known_upload(session, upload)
        if known is None:  # not our key after all: a real integrity problem
            raise RuntimeError(f"upload {upload.idempotency_key} failed a database constraint")
        return known

    return _once(db, apply, repeat)


def _insert_for(dialect: str) -> Any:
    """The dialect's INSERT that has ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _apply_entry(session: Session, upload: EntryUpload, now: dt.datetime) -> None:
    session.add(
        Entry(
            idempotency_key=upload.idempotency_key,
            store_id=upload.store_id,
            metric=upload.metric,
            day=upload.day,
            value=upload.value,
            previous_value=upload.previous_value,
            entered_at=upload.entered_at,
            received_at=now,
        )
    )
    stmt = _insert_for(session.get_bind().dialect.name)(CurrentEntry).values(
        store_id=upload.store_id,
        day=upload.day,
        metric=upload.metric,
        value=upload.value,
        entered_at=upload.entered_at,
        idempotency_key=upload.idempotency_key,
    )
    new = stmt.excluded
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[CurrentEntry.store_id, CurrentEntry.day, CurrentEntry.metric],
            set_={
                "value": new.value,
                "entered_at": new.entered_at,
                "idempotency_key": new.idempotency_key,
            },
            # Latest entered_at wins, whatever order the uploads arrive in.
            where=or_(
                CurrentEntry.entered_at < new.entered_at,
                and_(
                    CurrentEntry.entered_at == new.entered_at,
                    CurrentEntry.idempotency_key < new.idempotency_key,
                ),
            ),
        )
    )


def _apply_shoutout(session: Session, upload: ShoutoutUpload, now: dt.datetime) -> None:
    # A deletion that arrived first: by the shout-out's key, or (a kiosk that had lost the
    # key) by its local id among deletions made after it was created.
    deleted_at = session.scalar(
        select(ShoutoutDeletion.deleted_at)
        .where(
            ShoutoutDeletion.store_id == upload.store_id,
            or_(
                ShoutoutDeletion.shoutout_key == upload.idempotency_key,
                and_(
                    ShoutoutDeletion.shoutout_key.is_(None),
                    ShoutoutDeletion.shoutout_id == upload.shoutout_id,
                    ShoutoutDeletion.deleted_at >= upload.created_at,
                ),
            ),
        )
        .order_by(ShoutoutDeletion.deleted_at)
        .limit(1)
    )
    session.add(
        Shoutout(
            shoutout_key=upload.idempotency_key,
            store_id=upload.store_id,
            shoutout_id=upload.shoutout_id,
            text=upload.text,
            day=upload.day,
            until=upload.until,
            created_at=upload.created_at,
            received_at=now,
            deleted_at=deleted_at,
        )
    )


def _apply_deletion(session: Session, upload: ShoutoutDeletedUpload, now: dt.datetime) -> None:
    session.add(
        ShoutoutDeletion(
            idempotency_key=upload.idempotency_key,
            store_id=upload.store_id,
            shoutout_id=upload.shoutout_id,
            shoutout_key=upload.shoutout_key,
            deleted_at=upload.deleted_at,
            received_at=now,
        )
    )
    # Only this store's shout-outs: a token speaks for its own store alone.
    query = select(Shoutout).where(
        Shoutout.store_id == upload.store_id, Shoutout.deleted_at.is_(None)
    )
    if upload.shoutout_key is not None:
        query = query.where(Shoutout.shoutout_key == upload.shoutout_key)
    else:
        query = query.where(
            Shoutout.shoutout_id == upload.shoutout_id,
            Shoutout.created_at <= upload.deleted_at,
        ).order_by(Shoutout.created_at.desc())
    target = session.scalars(query.limit(1)).first()
    if target is not None:
        target.deleted_at = upload.deleted_at


# --- heartbeats --------------------------------------------------------------------------------


def feed_problem(heartbeat: Heartbeat) -> str | None:
    """One line naming the failing feeds and the first one's error, for the pages."""
    failing = heartbeat.failing_feeds
    if not failing:
        return None
    first = failing[0]
    text = f"feed {first.name} failing"
    if first.error:
        text += f": {' '.join(first.error.split())}"
    if len(failing) > 1:
        text += f" (+{len(failing) - 1} more)"
    return text if len(text) <= 300 else text[:299] + "…"


def _feeds_json(heartbeat: Heartbeat) -> str:
    def iso(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return json.dumps(
        [
            {
                "name": feed.name,
                "kind": feed.kind,
                "status": feed.status,
                "last_success": iso(feed.last_success),
                "last_attempt": iso(feed.last_attempt),
                "error": feed.error,
            }
            for feed in heartbeat.feeds
        ],
        ensure_ascii=False,
    )


# The heartbeat's statements, built once: every store sends one a minute, and building a
# statement costs more Python than running a cached one. Parameters named like a column set
# that column (SQLAlchemy's executemany-style UPDATE/INSERT); b_* are the others.
_LOCK_STORE = (
    select(Store.history_rows, Thumbnail.sha256)
    .outerjoin(Thumbnail, Thumbnail.store_id == Store.store_id)
    .where(Store.store_id == bindparam("b_store_id"))
    .with_for_update(of=Store.__table__)
)
_INSERT_HEARTBEAT = insert(HeartbeatRecord)
_UPDATE_STORE = (
    update(Store)
    .where(Store.store_id == bindparam("b_store_id"))
    .values(
        # A heartbeat without a name or region keeps what HQ has.
        name=func.coalesce(bindparam("b_name", type_=String()), Store.name),
        region=func.coalesce(bindparam("b_region", type_=String()), Store.region),
    )
)
_EXPIRE_HISTORY = delete(HeartbeatRecord).where(
    HeartbeatRecord.store_id == bindparam("b_store_id"),
    HeartbeatRecord.received_at < bindparam("b_cutoff", type_=UtcDateTime()),
)


def ingest_heartbeat(
    db: Database, heartbeat: Heartbeat, now: dt.datetime, bound: HistoryBound
) -> Applied:
    """Record a heartbeat: the store's latest state, a history row, the thumbnail if sent.

    A few statements, no ORM objects: this runs once a minute for every store. A repeat is
    found by the unique key on insert (a failed insert, answered as a duplicate) rather than
    by a look-up first, which every heartbeat would pay for.
    """
    store_id = heartbeat.store_id

    def apply(session: Session) -> Applied:
        conn = session.connection()  # Core statements: no ORM bookkeeping for a hot path
        # The store's row first, locked: one heartbeat of a store at a time (PostgreSQL; SQLite
        # writes one at a time anyway), so its history count stays exact. The thumbnail's hash
        # comes along: HQ asks again for a screen it does not have.
        locked = conn.execute(_LOCK_STORE, {"b_store_id": store_id}).one()
        problem = feed_problem(heartbeat)
        conn.execute(
            _INSERT_HEARTBEAT,
            {
                "idempotency_key": heartbeat.idempotency_key,
                "store_id": store_id,
                "received_at": now,
                "sent_at": heartbeat.sent_at,
                "app_version": heartbeat.app_version,
                "status": heartbeat_status(
                    len(heartbeat.failing_feeds), heartbeat.data_stale
                ).value,
                "display_on": heartbeat.display_on,
                "outbox_pending": heartbeat.outbox_pending,
                "clock_offset_seconds": heartbeat.clock_offset_seconds,
                "problem": problem,
            },
        )
        kept = _prune_history(conn, store_id, now, bound, locked.history_rows + 1)
        have = _save_thumbnail(conn, heartbeat, now) or locked.sha256
        conn.execute(
            _UPDATE_STORE,
            {
                "b_store_id": store_id,
                "b_name": heartbeat.store_name,
                "b_region": heartbeat.region,
                "last_seen": now,
                "sent_at": heartbeat.sent_at,
                "app_version": heartbeat.app_version,
                "uptime_seconds": heartbeat.uptime_seconds,
                "failing_feeds": len(heartbeat.failing_feeds),
                "data_stale": heartbeat.data_stale,
                "data_last_success": heartbeat.data_last_success,
                "display_on": heartbeat.display_on,
                "display_reason": heartbeat.display_reason,
                "outbox_pending": heartbeat.outbox_pending,
                "outbox_oldest": heartbeat.outbox_oldest,
                "database_bytes": heartbeat.database_bytes,
                "free_disk_bytes": heartbeat.free_disk_bytes,
                "clock_offset_seconds": heartbeat.clock_offset_seconds,
                "thumbnail_sha256": heartbeat.thumbnail_sha256,
                "problem": problem,
                "feeds_json": _feeds_json(heartbeat),
                "history_rows": kept,
            },
        )
        wanted = heartbeat.thumbnail_sha256
        return Applied(want_thumbnail=wanted is not None and wanted != have)

    def repeat(session: Session) -> Applied:
        known = session.scalar(
            select(HeartbeatRecord.id).where(
                HeartbeatRecord.idempotency_key == heartbeat.idempotency_key
            )
        )
        if known is None:
            raise RuntimeError(f"heartbeat {heartbeat.idempotency_key} failed a constraint")
        return Applied(duplicate=True)

    return _once(db, apply, repeat)


def _save_thumbnail(conn: Connection, heartbeat: Heartbeat, now: dt.datetime) -> str | None:
    """Keep the thumbnail if one came (replacing the store's last); its sha256, or None."""
    sent = heartbeat.thumbnail
    if sent is None:
        return None
    stmt = _insert_for(conn.dialect.name)(Thumbnail).values(
        store_id=heartbeat.store_id,
        sha256=sent.sha256,
        media_type=sent.media_type,
        data=sent.data,
        received_at=now,
    )
    new = stmt.excluded
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[Thumbnail.store_id],
            set_={
                "sha256": new.sha256,
                "media_type": new.media_type,
                "data": new.data,
                "received_at": new.received_at,
            },
        )
    )
    return sent.sha256


def _prune_history(
    conn: Connection, store_id: str, now: dt.datetime, bound: HistoryBound, kept: int
) -> int:
    """Keep the store's heartbeats of the last `window`, and at most `max_rows` of them;
    `kept` is how many it has with the new one; returns how many it keeps.

    The window delete walks the (store_id, received_at) index from the store's oldest row and
    stops at the cut-off: usually one row a minute. The cap costs a query only when a store
    sends more often than the window can hold.
    """
    expired = conn.execute(
        _EXPIRE_HISTORY, {"b_store_id": store_id, "b_cutoff": now - bound.window}
    )
    kept = max(0, kept - _rowcount(expired))
    excess = kept - bound.max_rows
    if excess > 0:
        oldest = (
            select(HeartbeatRecord.id)
            .where(HeartbeatRecord.store_id == store_id)
            .order_by(HeartbeatRecord.received_at, HeartbeatRecord.id)
            .limit(excess)
        )
        capped = conn.execute(delete(HeartbeatRecord).where(HeartbeatRecord.id.in_(oldest)))
        kept -= _rowcount(capped)
    return kept


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
