"""The HQ database: SQLAlchemy 2 typed models. One schema for SQLite and PostgreSQL.

Tables and what bounds them:
- `stores`: one row per store (minted a token, or heard from), with its latest heartbeat
  flattened into columns so the fleet page is one query with no join;
- `uploads`: the idempotency ledger of every outbox item (the unique key is what stops a
  repeat being applied twice); kept as long as the entries: at least a year, never pruned;
- `entries` (every manager entry, corrections included), `current_entries` (the one with the
  latest `entered_at` per store/date/metric: what the CSV export serves), `shoutouts`,
  `shoutout_deletions` (kept even before their shout-out arrives);
- `heartbeats`: the rolling history, pruned on insert to `[fleet] history_hours` and at most
  `history_max_per_store` rows per store; a heartbeat's idempotency key lives as long as it;
- `thumbnails`: the latest screen thumbnail per store (one row, replaced).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hq.store.types import UtcDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
Id = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UtcDateTime()}  # noqa: RUF012 - SQLAlchemy's API


class Store(Base):
    __tablename__ = "stores"

    store_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_created_at: Mapped[dt.datetime | None]
    # From the latest heartbeat (None until the first one).
    name: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    last_seen: Mapped[dt.datetime | None]  # HQ's clock when it arrived
    sent_at: Mapped[dt.datetime | None]  # the kiosk's clock when it was sent
    app_version: Mapped[str | None] = mapped_column(String(100))
    uptime_seconds: Mapped[float | None] = mapped_column(Double)
    failing_feeds: Mapped[int] = mapped_column(Integer, default=0)
    data_stale: Mapped[bool] = mapped_column(Boolean, default=False)
    data_last_success: Mapped[dt.datetime | None]
    display_on: Mapped[bool | None] = mapped_column(Boolean)
    display_reason: Mapped[str | None] = mapped_column(String(200))
    outbox_pending: Mapped[int | None] = mapped_column(BigInteger)
    outbox_oldest: Mapped[dt.datetime | None]
    database_bytes: Mapped[int | None] = mapped_column(BigInteger)
    free_disk_bytes: Mapped[int | None] = mapped_column(BigInteger)
    clock_offset_seconds: Mapped[float | None] = mapped_column(Double)
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))  # the screen shown now
    problem: Mapped[str | None] = mapped_column(String(300))  # one line: what is wrong
    feeds_json: Mapped[str | None] = mapped_column(Text)  # the latest feeds list, as sent
    # Rows of this store in `heartbeats`, kept exact on insert and prune (under the row's lock),
    # so the per-store cap costs nothing until a store goes over it.
    history_rows: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UploadRecord(Base):
    """The idempotency ledger: one row per outbox item ever applied."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    kind: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[dt.datetime]


class Entry(Base):
    """Every manager entry as received (a correction is another row)."""

    __tablename__ = "entries"
    __table_args__ = (Index(None, "store_id", "received_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(ForeignKey("uploads.idempotency_key"), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    metric: Mapped[str] = mapped_column(String(64))
    day: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Double)
    previous_value: Mapped[float | None] = mapped_column(Double)
    entered_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]


class CurrentEntry(Base):
    """Per store/date/metric, the entry with the latest `entered_at` (ties: the larger key,
    so the result does not depend on the order the uploads arrived in)."""

    __tablename__ = "current_entries"

    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float] = mapped_column(Double)
    entered_at: Mapped[dt.datetime]
    idempotency_key: Mapped[str] = mapped_column(String(64))


class Shoutout(Base):
    __tablename__ = "shoutouts"
    __table_args__ = (
        Index(None, "store_id", "shoutout_id"),
        Index(None, "store_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    # Its identity: the idempotency key of the upload that created it (docs/feeds.md).
    shoutout_key: Mapped[str] = mapped_column(ForeignKey("uploads.idempotency_key"), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    shoutout_id: Mapped[int] = mapped_column(BigInteger)  # the kiosk's local number
    text: Mapped[str] = mapped_column(Text)
    day: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]
    deleted_at: Mapped[dt.datetime | None]


class ShoutoutDeletion(Base):
    """A `shoutout_deleted` upload; kept, so one that arrives first applies later."""

    __tablename__ = "shoutout_deletions"
    __table_args__ = (Index(None, "shoutout_key"), Index(None, "store_id", "shoutout_id"))

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(ForeignKey("uploads.idempotency_key"), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    shoutout_id: Mapped[int] = mapped_column(BigInteger)
    shoutout_key: Mapped[str | None] = mapped_column(String(64))
    deleted_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]


class HeartbeatRecord(Base):
    """One heartbeat in the rolling history: what the store page's table shows, no more."""

    __tablename__ = "heartbeats"
    __table_args__ = (Index(None, "store_id", "received_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"))
    received_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime]
    app_version: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))  # ok, stale or error, by this heartbeat
    display_on: Mapped[bool | None] = mapped_column(Boolean)
    outbox_pending: Mapped[int | None] = mapped_column(BigInteger)
    clock_offset_seconds: Mapped[float | None] = mapped_column(Double)
    problem: Mapped[str | None] = mapped_column(String(300))


class Thumbnail(Base):
    __tablename__ = "thumbnails"

    store_id: Mapped[str] = mapped_column(ForeignKey("stores.store_id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime]
