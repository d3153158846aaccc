"""Applying one parsed feed to the database, inside the caller's write transaction.

`metrics` and `targets` are upserts by key; `catalog`, `comments`, `messages` and `stores` are
snapshots that replace what the previous pull of the same feed brought (except that a bad row of
a catalog or stores feed keeps the row it would have replaced). Only this store's rows
and its region's are kept (the region is this store's row in `stores`). The caller commits, so a
store sees all of a pull or none of it; raising FeedRejected here rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from sync.errors import FeedRejected, Reject
from sync.spec import FeedKind
from sync.store.models import CatalogMetric, Comment, FeedState, Message, MetricValue, Store, Target

BATCH_ROWS = 5000
# The tables whose rows belong to one store; pruned when a store leaves the region.
_PER_STORE_TABLES = (MetricValue, Target, Comment)


class RowSource(Protocol):
    """What ingest needs from a parsed feed (sync.parse.feed.ParsedFeed)."""

    row_count: int
    reject_count: int
    rejects: list[Reject]
    # catalog and stores: key of a bad row -> its place among the good rows (final once the
    # batches are read). The stored row it would have replaced is kept.
    bad_keys: dict[tuple[str, ...], int]

    def batches(self, size: int = ...) -> Iterator[list[dict[str, object]]]: ...

    def column_batches(self, columns: tuple[str, ...], size: int = ...) -> Iterator[Any]: ...


@dataclass(frozen=True)
class ApplyResult:
    rows_applied: int  # rows written (this store's and its region's)
    rows_other_stores: int  # good rows for stores outside the region, dropped on purpose
    region_changed: bool
    # One store id of those rows, so a mismatch (`1001.0` for `1001`) shows at once.
    other_store_example: str | None = None


@dataclass
class _Counts:
    """What an applier wrote, and what it dropped for stores outside the region."""

    applied: int = 0
    other: int = 0
    other_example: str | None = None

    def dropped(self, store_ids: Iterable[Any], kept: Callable[[Any], bool]) -> None:
        """Count the rows whose store (in `store_ids`) is not kept; remember the first such
        store."""
        for store_id in store_ids:
            if not kept(store_id):
                self.other += 1
                if self.other_example is None:
                    self.other_example = str(store_id)


def kept_stores(session: Session, own_store: str) -> frozenset[str]:
    """This store and the stores of its region, per the `stores` table."""
    region = session.scalar(select(Store.region).where(Store.store_id == own_store))
    if region is None:
        return frozenset({own_store})
    members = session.scalars(select(Store.store_id).where(Store.region == region))
    return frozenset({own_store, *members})


def apply_feed(
    session: Session, feed_name: str, kind: FeedKind, parsed: RowSource, own_store: str
) -> ApplyResult:
    """Write `parsed` into the tables of `kind`; raise FeedRejected to keep the old data."""
    before = kept_stores(session, own_store)
    if kind == "stores":
        counts = _apply_stores(session, feed_name, parsed, own_store)
    else:
        applier = _APPLIERS[kind]
        counts = applier(session, feed_name, parsed, before)
    _check_not_all_bad(kind, parsed)

    region_changed = False
    if kind == "stores":
        after = kept_stores(session, own_store)
        if after != before:
            region_changed = True
            _prune_stores(session, before - after)
            # Rows of stores that just joined were skipped by earlier conditional pulls.
            session.execute(
                update(FeedState)
                .where(FeedState.name != feed_name)
                .values(etag=None, last_modified=None, source_size=None, source_mtime_ns=None)
            )
    return ApplyResult(
        rows_applied=counts.applied,
        rows_other_stores=counts.other,
        region_changed=region_changed,
        other_store_example=counts.other_example,
    )


def whole_feed_problem(kind: FeedKind, parsed: RowSource) -> str | None:
    """Why a read feed is rejected whole for its rows, or None: a `catalog` or `stores` feed
    without data rows, or data rows that are all bad (docs/feeds.md, "How a feed is applied")."""
    if parsed.row_count == 0:
        if kind in ("catalog", "stores"):
            return f"the {kind} feed has no data rows; refusing to replace the {kind} with nothing"
        return None
    if parsed.reject_count >= parsed.row_count:
        return f"every one of the {parsed.row_count} data rows is bad"
    return None


def _check_not_all_bad(kind: FeedKind, parsed: RowSource) -> None:
    problem = whole_feed_problem(kind, parsed)
    if problem is not None:
        first = f"; first: {parsed.rejects[0]}" if parsed.rejects else ""
        raise FeedRejected(problem + first)


def _rows(parsed: RowSource) -> Iterator[list[dict[str, Any]]]:
    yield from parsed.batches(BATCH_ROWS)


def _kept_by_bad_rows(parsed: RowSource, good: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Single-column keys of bad rows that no good row of the feed replaces -> their place."""
    return {key[0]: place for key, place in parsed.bad_keys.items() if key[0] not in good}


def _apply_stores(session: Session, feed_name: str, parsed: RowSource, own_store: str) -> _Counts:
    # A stores feed is small (one row per store) and the region is only known once this
    # store's own row has been seen, so it is read whole before filtering.
    latest: dict[str, dict[str, Any]] = {}
    for batch in _rows(parsed):
        for row in batch:
            latest[str(row["store_id"])] = row  # a later row wins
    # A bad row never changes stored data: the row it would have replaced stays, and counts
    # (for the region too) as if the feed still said so.
    kept = _kept_by_bad_rows(parsed, latest)
    previous: dict[str, dict[str, Any]] = {}
    if kept:
        stored = session.execute(
            select(Store.store_id, Store.name, Store.region).where(
                Store.feed == feed_name, Store.store_id.in_(list(kept))
            )
        )
        previous = {
            sid: {"store_id": sid, "name": name, "region": region} for sid, name, region in stored
        }
    candidates = {**previous, **latest}
    own = candidates.get(own_store)
    if own is None:
        keep = {}
    else:
        keep = {sid: row for sid, row in candidates.items() if row["region"] == own["region"]}
    session.execute(delete(Store).where(Store.feed == feed_name))
    if keep:
        stmt = insert(Store)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Store.store_id],
                set_={
                    "name": stmt.excluded.name,
                    "region": stmt.excluded.region,
                    "feed": stmt.excluded.feed,
                },
            ),
            [{**row, "feed": feed_name} for row in keep.values()],
        )
    counts = _Counts(applied=sum(1 for sid in keep if sid in latest))
    counts.dropped((row["store_id"] for row in latest.values()), lambda sid: sid in keep)
    return counts


def _apply_catalog(
    session: Session, feed_name: str, parsed: RowSource, _stores: frozenset[str]
) -> _Counts:
    latest: dict[str, dict[str, Any]] = {}
    for batch in _rows(parsed):
        for row in batch:
            latest[str(row["metric"])] = {**row, "feed": feed_name}
    # A bad row never changes stored data: the metric it would have replaced stays.
    kept = _kept_by_bad_rows(parsed, latest)
    session.execute(
        delete(CatalogMetric).where(
            CatalogMetric.feed == feed_name, CatalogMetric.metric.not_in(list(kept))
        )
    )
    if kept:
        _renumber_catalog(session, feed_name, latest, kept)
    if latest:
        stmt = insert(CatalogMetric)
        columns = (
            "label",
            "unit",
            "perspective",
            "direction",
            "aggregate",
            "decimals",
            "entry",
            "position",
            "feed",
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=[CatalogMetric.metric],
                set_={c: getattr(stmt.excluded, c) for c in columns},
            ),
            list(latest.values()),
        )
    return _Counts(applied=len(latest))


def _renumber_catalog(
    session: Session, feed_name: str, latest: dict[str, dict[str, Any]], kept: dict[str, int]
) -> None:
    """Positions in feed order for the good rows and the kept rows of bad ones together (a
    kept row takes the place of its bad row, before the good row that came after it)."""
    stored = set(
        session.scalars(
            select(CatalogMetric.metric).where(
                CatalogMetric.feed == feed_name, CatalogMetric.metric.in_(list(kept))
            )
        )
    )
    order = sorted(
        [(kept[metric], 0, metric) for metric in stored]
        + [(int(row["position"]), 1, metric) for metric, row in latest.items()]
    )
    for position, (_, is_good, metric) in enumerate(order):
        if is_good:
            latest[metric]["position"] = position
        else:
            session.execute(
                update(CatalogMetric)
                .where(CatalogMetric.metric == metric)
                .values(position=position)
            )


# metrics and targets can be a million rows: plain DB-API executemany with tuples and ISO date
# strings (the format SQLAlchemy's Date uses on SQLite) skips per-row ORM and bind processing.
_METRICS_UPSERT = (
    "INSERT INTO metric_values (store_id, metric, day, value, feed) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (store_id, metric, day) DO UPDATE SET value = excluded.value, "
    "feed = excluded.feed"
)
_TARGETS_UPSERT = (
    "INSERT INTO targets (store_id, metric, period, start, target, feed) "
    "VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (store_id, metric, period, start) DO UPDATE SET target = excluded.target, "
    "feed = excluded.feed"
)


def _upsert(
    session: Session,
    sql: str,
    parsed: RowSource,
    stores: frozenset[str],
    columns: tuple[str, ...],
    dates: tuple[int, ...],
    feed_name: str,
) -> _Counts:
    """Run `sql` for every row of a kept store, a batch at a time, with the parameters
    `columns` (the first is the store id) and then `feed_name`; the columns at `dates` hold
    dates, stored as their ISO text."""
    conn = session.connection()
    counts = _Counts()
    iso = _Iso()
    with _collector_paused():
        return _upsert_batches(conn, sql, parsed, stores, columns, dates, feed_name, counts, iso)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a feed's rows are upserted, back as it was after.

    A batch holds thousands of row lists and parameter tuples at once, so the collector runs
    every few hundred of them and promotes them until full collections walk the whole heap
    (SQLAlchemy's included): a tenth of a million-row ingest (bench ingest). The loop makes no
    reference cycles; the objects of any other thread's cycles are freed once it is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _upsert_batches(
    conn: Any,
    sql: str,
    parsed: RowSource,
    stores: frozenset[str],
    columns: tuple[str, ...],
    dates: tuple[int, ...],
    feed_name: str,
    counts: _Counts,
    iso: _Iso,
) -> _Counts:
    for batch in parsed.column_batches(columns, BATCH_ROWS):
        for index in dates:
            batch[index] = list(map(iso.__getitem__, batch[index]))
        # The parameters of a million rows are zipped from the columns in C: no Python step
        # per row (bench ingest).
        store_ids = batch[0]
        rows = zip(*batch, itertools.repeat(feed_name, len(store_ids)), strict=True)
        if stores.issuperset(store_ids):
            params = list(rows)
        else:
            params = list(itertools.compress(rows, map(stores.__contains__, store_ids)))
            counts.dropped(store_ids, stores.__contains__)
        if params:
            conn.exec_driver_sql(sql, params)
            counts.applied += len(params)
    return counts


def _apply_metrics(
    session: Session, feed_name: str, parsed: RowSource, stores: frozenset[str]
) -> _Counts:
    columns = ("store_id", "metric", "day", "value")
    return _upsert(session, _METRICS_UPSERT, parsed, stores, columns, (2,), feed_name)


def _apply_targets(
    session: Session, feed_name: str, parsed: RowSource, stores: frozenset[str]
) -> _Counts:
    columns = ("store_id", "metric", "period", "start", "target")
    return _upsert(session, _TARGETS_UPSERT, parsed, stores, columns, (3,), feed_name)


def _apply_comments(
    session: Session, feed_name: str, parsed: RowSource, stores: frozenset[str]
) -> _Counts:
    session.execute(delete(Comment).where(Comment.feed == feed_name))
    return _insert_filtered(session, Comment, feed_name, _rows(parsed), lambda r: r in stores)


def _apply_messages(
    session: Session, feed_name: str, parsed: RowSource, stores: frozenset[str]
) -> _Counts:
    session.execute(delete(Message).where(Message.feed == feed_name))
    return _insert_filtered(
        session, Message, feed_name, _rows(parsed), lambda r: r == "*" or r in stores
    )


def _insert_filtered(
    session: Session,
    model: type[Comment] | type[Message],
    feed_name: str,
    batches: Iterable[list[dict[str, Any]]],
    keep: Any,
) -> _Counts:
    counts = _Counts()
    for batch in batches:
        rows = [{**r, "feed": feed_name} for r in batch if keep(r["store_id"])]
        if len(rows) < len(batch):
            counts.dropped((r["store_id"] for r in batch), keep)
        if rows:
            session.execute(insert(model), rows)
            counts.applied += len(rows)
    return counts


def _prune_stores(session: Session, gone: Iterable[str]) -> None:
    gone = list(gone)
    if not gone:
        return
    for model in _PER_STORE_TABLES:
        session.execute(delete(model).where(model.store_id.in_(gone)))
    session.execute(delete(Message).where(Message.store_id.in_(gone)))


class _Iso(dict[object, str]):
    """A parsed date -> the text the database stores (SQLAlchemy's SQLite Date: YYYY-MM-DD),
    each distinct date converted once: `iso[day]`."""

    def __missing__(self, value: object) -> str:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if len(self) < _ISO_CACHE_SIZE:  # a feed's distinct dates: a few thousand at most
            self[value] = text
        return text


_ISO_CACHE_SIZE = 100_000


_APPLIERS = {
    "catalog": _apply_catalog,
    "metrics": _apply_metrics,
    "targets": _apply_targets,
    "comments": _apply_comments,
    "messages": _apply_messages,
}
