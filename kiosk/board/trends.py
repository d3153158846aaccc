"""The last 14 days of each metric that has a day goal: the small charts on scoreboard cards.

Plain Python. Two statements per snapshot, both seeking primary keys: the day values come
from the scoreboard's own query (`load_day_values`, HQ winning over manager entries, so a
chart bar and the card's number never disagree), the day goals from a range read of
`targets` that constrains store, metric and period by equality and seeks the start range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kiosk.board.model import Period, Trend, TrendDay
from kiosk.board.scoreboard import CatalogInfo, load_day_values
from sync.store.models import Target

TREND_DAYS = 14

_DAY_TARGETS = select(Target.metric, Target.start, Target.target).where(
    Target.store_id == bindparam("store_id"),
    Target.metric.in_(bindparam("metrics", expanding=True)),
    Target.period == Period.day.value,
    Target.start >= bindparam("first"),
    Target.start <= bindparam("last"),
)


def trend_metrics(
    catalog: Sequence[CatalogInfo], targets: Mapping[tuple[str, Period], float]
) -> list[CatalogInfo]:
    """The catalog metrics (in order) with a day goal in force today."""
    return [info for info in catalog if (info.metric, "day") in targets]


def load_trends(
    session: Session,
    store_id: str,
    day: dt.date,
    metrics: Sequence[CatalogInfo],
    days: int = TREND_DAYS,
) -> tuple[Trend, ...]:
    """`days` days up to and including `day` for each of `metrics`, oldest first."""
    if not metrics:
        return ()
    first = day - dt.timedelta(days=days - 1)
    names = [info.metric for info in metrics]
    values = load_day_values(session, [store_id], names, first, day)
    goals: dict[tuple[str, dt.date], float] = {
        (metric, start): target
        for metric, start, target in session.execute(
            _DAY_TARGETS, {"store_id": store_id, "metrics": names, "first": first, "last": day}
        ).all()
    }
    calendar = [first + dt.timedelta(days=n) for n in range(days)]
    trends = []
    for info in metrics:
        per_day = values.get((store_id, info.metric), {})
        trends.append(
            Trend(
                metric=info.metric,
                direction=info.direction,
                days=tuple(
                    TrendDay(
                        d,
                        per_day[d].value if d in per_day else None,
                        goals.get((info.metric, d)),
                    )
                    for d in calendar
                ),
            )
        )
    return tuple(trends)
