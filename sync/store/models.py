"""The local database schema: HQ feed data, sync bookkeeping and the store's own entries.

Feed tables carry the name of the feed that brought each row (`feed`), so a snapshot feed can
replace exactly what its previous pull brought. Schema changes ship as Alembic migrations under
`sync/migrations/versions`; never edit a released migration, add a new one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sync.vocabulary import FeedStatus


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as naive UTC; read back as aware UTC.

    SQLite has no time zone type, and SQLAlchemy's DateTime drops the offset there.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


# --- HQ feed data -------------------------------------------------------------------------


class Store(Base):
    __tablename__ = "stores"

    store_id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    region: Mapped[str] = mapped_column(String)
    feed: Mapped[str] = mapped_column(String, index=True)


class CatalogMetric(Base):
    __tablename__ = "catalog"

    metric: Mapped[str] = mapped_column(String, primary_key=True)
    label: Mapped[str] = mapped_column(String)
    unit: Mapped[str] = mapped_column(String, default="")
    perspective: Mapped[str] = mapped_column(String)
    direction: Mapped[str] = mapped_column(String)
    aggregate: Mapped[str] = mapped_column(String)
    decimals: Mapped[int] = mapped_column(Integer, default=0)
    entry: Mapped[bool] = mapped_column(Boolean, default=False)
    # Order of the row in its feed: the scoreboard lists metrics in catalog order.
    position: Mapped[int] = mapped_column(Integer)
    feed: Mapped[str] = mapped_column(String, index=True)


class MetricValue(Base):
    __tablename__ = "metric_values"

    store_id: Mapped[str] = mapped_column(String, primary_key=True)
    metric: Mapped[str] = mapped_column(String, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    feed: Mapped[str] = mapped_column(String)


class Target(Base):
    __tablename__ = "targets"

    store_id: Mapped[str] = mapped_column(String, primary_key=True)
    metric: Mapped[str] = mapped_column(String, primary_key=True)
    period: Mapped[str] = mapped_column(String, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    target: Mapped[float] = mapped_column(Float)
    feed: Mapped[str] = mapped_column(String)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_store_day", "store_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store_id: Mapped[str] = mapped_column(String)
    day: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str | None] = mapped_column(String, nullable=True)
    feed: Mapped[str] = mapped_column(String, index=True)


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store_id: Mapped[str] = mapped_column(String, index=True)  # "*" means every store
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String)
    body: Mapped[str] = mapped_column(Text, default="")
    feed: Mapped[str] = mapped_column(String, index=True)


# --- sync bookkeeping ---------------------------------------------------------------------


class FeedState(Base):
    """The latest state of one configured feed, by name: validators and the last outcome."""

    __tablename__ = "feed_state"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    url: Mapped[str] = mapped_column(Text)
    # Validators of the last successfully applied pull (HTTP) or the file's size and mtime.
    etag: Mapped[str | None] = mapped_column(String, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String, nullable=True)
    source_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_mtime_ns: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_attempt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_success: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_change: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[str] = mapped_column(String, default=FeedStatus.never.value)  # FeedStatus
    outcome: Mapped[str | None] = mapped_column(String, nullable=True)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_applied: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # JSON list of {line, field, reason}: at most 100 bad rows of the last pull that had a body.
    rejects_json: Mapped[str] = mapped_column(Text, default="[]")
    # How the last body was read ("utf-8", "utf-8-sig", "cp1252"...; "," ";" or a tab, None for
    # JSON), and the good rows it had for stores outside the region, with one of their ids.
    encoding: Mapped[str | None] = mapped_column(String, nullable=True)
    delimiter: Mapped[str | None] = mapped_column(String, nullable=True)
    rows_other_stores: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    other_store_example: Mapped[str | None] = mapped_column(String, nullable=True)


class SyncRun(Base):
    """One attempt to pull one feed."""

    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_feed_started", "feed", "started"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed: Mapped[str] = mapped_column(String)
    started: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String)  # applied / unchanged / rejected / failed
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows_applied: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    rejects_json: Mapped[str] = mapped_column(Text, default="[]")


# --- the store's own data -----------------------------------------------------------------


class ManagerEntry(Base):
    """The current value a store manager typed for a metric and day (HQ values win)."""

    __tablename__ = "manager_entries"

    store_id: Mapped[str] = mapped_column(String, primary_key=True)
    metric: Mapped[str] = mapped_column(String, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class EntryAudit(Base):
    """Every saved manager entry, old and new value; never updated or deleted by the app."""

    __tablename__ = "entry_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store_id: Mapped[str] = mapped_column(String)
    metric: Mapped[str] = mapped_column(String)
    day: Mapped[dt.date] = mapped_column(Date)
    old_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    new_value: Mapped[float] = mapped_column(Float)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ShoutOut(Base):
    """A recognition typed by the manager, shown on the celebration screen until `until`."""

    __tablename__ = "shoutouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    store_id: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    day: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Outbox(Base):
    """Entries and shout-outs waiting to be POSTed to HQ, written with the entry itself."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)
    payload_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Celebrated(Base):
    """A goal-met moment already celebrated, so restarts and re-syncs do not repeat it."""

    __tablename__ = "celebrated"

    store_id: Mapped[str] = mapped_column(String, primary_key=True)
    metric: Mapped[str] = mapped_column(String, primary_key=True)
    period: Mapped[str] = mapped_column(String, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PinAttempt(Base):
    """Failed and successful PIN attempts (never the digits), for the lockout across restarts."""

    __tablename__ = "pin_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
