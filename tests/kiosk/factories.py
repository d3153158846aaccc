"""Builders for database rows in kiosk tests: short calls with sensible defaults.

Each builder returns unsaved ORM objects; `insert(db, ...)` writes them in one transaction,
the way a feed pull would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sync.store.db import Database
from sync.store.models import (
    Base,
    CatalogMetric,
    Comment,
    FeedState,
    ManagerEntry,
    Message,
    MetricValue,
    ShoutOut,
    Store,
    Target,
)

D = dt.date
UTC = dt.UTC


def insert(db: Database, *rows: Base | Iterable[Base]) -> None:
    """Write `rows` (objects or lists of them) in one write transaction."""
    flat: list[Base] = []
    for row in rows:
        if isinstance(row, Base):
            flat.append(row)
        else:
            flat.extend(row)
    with db.write.begin() as session:
        session.add_all(flat)


def catalog(
    metric: str,
    *,
    position: int = 0,
    label: str | None = None,
    unit: str = "",
    perspective: str = "financial",
    direction: str = "up",
    aggregate: str = "sum",
    decimals: int = 0,
    entry: bool = False,
    feed: str = "catalog",
) -> CatalogMetric:
    return CatalogMetric(
        metric=metric,
        label=label or metric.title(),
        unit=unit,
        perspective=perspective,
        direction=direction,
        aggregate=aggregate,
        decimals=decimals,
        entry=entry,
        position=position,
        feed=feed,
    )


def values(store_id: str, metric: str, by_day: Mapping[dt.date, float]) -> list[MetricValue]:
    """HQ `metrics` feed rows."""
    return [
        MetricValue(store_id=store_id, metric=metric, day=day, value=value, feed="metrics")
        for day, value in by_day.items()
    ]


def entries(store_id: str, metric: str, by_day: Mapping[dt.date, float]) -> list[ManagerEntry]:
    """Numbers a store manager typed in."""
    at = dt.datetime(2024, 1, 1, tzinfo=UTC)
    return [
        ManagerEntry(store_id=store_id, metric=metric, day=day, value=value, entered_at=at)
        for day, value in by_day.items()
    ]


def target(store_id: str, metric: str, period: str, start: dt.date, value: float) -> Target:
    return Target(
        store_id=store_id, metric=metric, period=period, start=start, target=value, feed="targets"
    )


def store(store_id: str, name: str, region: str) -> Store:
    return Store(store_id=store_id, name=name, region=region, feed="stores")


def comment(
    store_id: str, day: dt.date, text: str, rating: float | None = None, source: str | None = None
) -> Comment:
    return Comment(
        store_id=store_id, day=day, text=text, rating=rating, source=source, feed="comments"
    )


def message(
    store_id: str,
    start: dt.date,
    title: str,
    *,
    end: dt.date | None = None,
    kind: str = "news",
    body: str = "",
) -> Message:
    return Message(
        store_id=store_id,
        start=start,
        end=end,
        title=title,
        kind=kind,
        body=body,
        feed="messages",
    )


def shoutout(
    store_id: str,
    text: str,
    day: dt.date,
    until: dt.date,
    *,
    deleted: bool = False,
    created_at: dt.datetime | None = None,
) -> ShoutOut:
    moment = created_at or dt.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return ShoutOut(
        store_id=store_id, text=text, day=day, until=until, deleted=deleted, created_at=moment
    )


def feed_state(
    name: str,
    *,
    last_success: dt.datetime | None,
    status: str = "ok",
    kind: str = "metrics",
) -> FeedState:
    return FeedState(
        name=name,
        kind=kind,
        url=f"/feeds/{name}.csv",
        last_attempt=last_success,
        last_success=last_success,
        status=status,
    )
