"""The last 14 days of each metric that has a day goal: the small charts on scoreboard cards.

Plain Python. Two statements per snapshot, both seeking primary keys: the day values come
from the scoreboard's own query (`load_day_values`, HQ winning over manager entries, so a
chart bar and the card's number never disagree), the day goals from a range read of
`targets` that constrains store, metric and period by equality and seeks the start range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from kiosk.board.model import Period, Trend, TrendDay
from kiosk.board.scoreboard import CatalogInfo, load_day_values
from sync.store.reading import connection_of, iso, marks, to_date

TREND_DAYS = 14


def _day_targets_sql(metrics: int) -> str:
    return (
        "SELECT metric, start, target FROM targets "
        f"WHERE store_id = ? AND metric IN ({marks(metrics)}) AND period = ? "
        "AND start >= ? AND start <= ?"
    )


def trend_metrics(
    catalog: Sequence[CatalogInfo], targets: Mapping[tuple[str, Period], float]
) -> list[CatalogInfo]:
    """The catalog metrics (in order) with a day goal in force today."""
    return [info for info in catalog if (info.metric, "day") in targets]


def load_trends(
    source: object,
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
    conn = connection_of(source)
    values = load_day_values(conn, [store_id], names, first, day)
    params = [store_id, *names, Period.day.value, iso(first), iso(day)]
    goals: dict[tuple[str, dt.date], float] = {
        (metric, to_date(start)): target
        for metric, start, target in conn.execute(_day_targets_sql(len(names)), params)
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
