"""The regional leaderboard: how the stores of this store's region do on one metric.

Stores are ranked by pace for a week or a month (the projected end-of-period percent of goal)
and by percent for a day: on the 6th of a month every store is near 20% of its month goal,
which says nothing about who is winning, while the pace does. Each store's figures are the
very same `compute_entry` the scoreboard uses, so the numbers next to this store on the
leaderboard always match its own scoreboard. The queries are batched:
one for all the region's targets, one for all their values in the period window.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.board.model import Leaderboard, LeaderRow, MetricEntry, Period
from kiosk.board.periods import period_start
from kiosk.board.scoreboard import (
    CatalogInfo,
    compute_entry,
    load_catalog,
    load_day_values,
    load_targets,
)
from sync.store.reading import connection_of
from sync.vocabulary import Direction


def pick_metric(catalog: Sequence[CatalogInfo], metric: str | None) -> CatalogInfo | None:
    """The named metric, or without a name the first financial one, in catalog order."""
    if metric is None:
        return next((info for info in catalog if info.perspective == "financial"), None)
    return next((info for info in catalog if info.metric == metric), None)


@dataclass(frozen=True)
class _Standing:
    store_id: str
    name: str
    entry: MetricEntry | None  # None: no target of that period in force (else it has one)

    @property
    def score(self) -> float | None:
        """What the ranking compares: the pace for a week or a month, the percent for a day
        (docs/cli.md); None for a store without data (no number: no percent, no pace)."""
        entry = self.entry
        if entry is None:
            return None
        figure = entry.percent if entry.period == Period.day else entry.pace
        if figure is not None:
            # The displayed (rounded) figure: two stores showing 101.2 % share a rank.
            return figure
        if entry.direction == Direction.down and entry.actual == 0:
            # Nothing spent against a budget counts as above any percent (docs/cli.md,
            # "percent"), and so does its projection.
            return math.inf
        return None  # up with a target of 0: no meaningful percent


def rank_rows(standings: Sequence[_Standing], self_id: str) -> tuple[LeaderRow, ...]:
    """Best first with competition ranking (1, 2, 2, 4); stores without data last, by name."""
    with_scores = [(s.score, s) for s in standings]
    scored = sorted(
        ((score, s) for score, s in with_scores if score is not None),
        key=lambda pair: (-pair[0], pair[1].name, pair[1].store_id),
    )
    unscored = sorted(
        (s for score, s in with_scores if score is None), key=lambda s: (s.name, s.store_id)
    )
    rows: list[LeaderRow] = []
    for index, (score, standing) in enumerate(scored):
        tied = index > 0 and scored[index - 1][0] == score
        rank = rows[-1].rank if tied else index + 1
        rows.append(_row(standing, rank, self_id))
    rows.extend(_row(standing, None, self_id) for standing in unscored)
    return tuple(rows)


def _row(standing: _Standing, rank: int | None, self_id: str) -> LeaderRow:
    entry = standing.entry
    return LeaderRow(
        rank=rank,
        store_id=standing.store_id,
        name=standing.name,
        percent=None if entry is None else entry.percent,
        is_self=standing.store_id == self_id,
        pace=None if entry is None else entry.pace,
    )


def build_leaderboard(
    source: object,
    store_id: str,
    day: dt.date,
    metric: str | None,
    period: Period,
    *,
    catalog: Sequence[CatalogInfo] | None = None,
) -> Leaderboard | None:
    """The leaderboard of `store_id`'s region on `metric` over the `period` holding `day`.

    None when this store has no `stores` row (so no region) or the catalog has no such metric
    (or, with `metric` None, no financial metric). Pass `catalog` when already loaded;
    `source` is a sqlite3 connection or a SQLAlchemy session.
    """
    conn = connection_of(source)
    found = conn.execute("SELECT region FROM stores WHERE store_id = ?", (store_id,)).fetchone()
    region = None if found is None else found[0]
    if region is None:
        return None
    info = pick_metric(catalog if catalog is not None else load_catalog(conn), metric)
    if info is None:
        return None

    stores = conn.execute(
        "SELECT store_id, name FROM stores WHERE region = ?", (region,)
    ).fetchall()
    # One bound id per store: far below SQLite's 32,766-parameter limit for any real region.
    region_ids = [sid for sid, _ in stores]
    targets = load_targets(conn, region_ids, [info.metric], day, (period,))
    values = load_day_values(conn, region_ids, [info.metric], period_start(period, day), day)

    standings = []
    for sid, name in stores:
        target = targets.get((sid, info.metric, period))
        entry = None
        if target is not None:
            entry = compute_entry(info, period, day, values.get((sid, info.metric), {}), target)
        standings.append(_Standing(sid, name, entry))
    return Leaderboard(
        metric=info.metric,
        label=info.label,
        period=period,
        region=region,
        rows=rank_rows(standings, store_id),
    )
