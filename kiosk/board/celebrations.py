"""Goal-met moments: which goals just moved from below to met, each celebrated once.

Plain Python with no Qt, so the rules are tested without a screen (the same split as the
rotator). The app feeds the detector every new snapshot on the GUI thread; the detector
answers which goals to store (`record`, written on the single writer thread by
`record_celebrated`) and which to celebrate on screen now (`celebrate`).

A goal is one metric's target for one period, keyed by the period's first day
(`GoalPeriod`): "sales today", "sales this week". The rules (issue 5):

- It celebrates when an observed scoreboard shows it met and the previous observation showed
  it below goal: its target known and not met (no number yet counts as below: the manager's
  first entry of the day can meet a goal).
- The first observation after start only records: a goal already met when the kiosk starts
  is not a moment anyone just saw happen.
- A goal that shows up already met (its target arrived after the number, as on a fresh
  install's first sync) is recorded silently for the same reason.
- Every met goal is stored in `celebrated`, so after a restart, a re-sync, or a correction
  below the goal and back in the same period, it never celebrates again. A new period is a
  new goal and can celebrate again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.board.model import GoalPeriod, MetricEntry, Scoreboard, Status
from kiosk.board.periods import PERIODS, period_end, period_start
from sync.store.reading import connection_of, iso, marks, to_date

if TYPE_CHECKING:
    from sync.store.db import Database


def goal_of(entry: MetricEntry, day: dt.date) -> GoalPeriod:
    """The goal an entry of the scoreboard of `day` measures."""
    return GoalPeriod(entry.metric, entry.period, period_start(entry.period, day))


@dataclass(frozen=True)
class Observation:
    """What one new scoreboard means: goals to store, and the entries to celebrate now."""

    record: tuple[GoalPeriod, ...] = ()
    celebrate: tuple[MetricEntry, ...] = ()  # in scoreboard order


class CelebrationDetector:
    """Remembers the last scoreboard it saw and the goals already met; see the module text."""

    def __init__(self) -> None:
        self._known: set[GoalPeriod] = set()  # stored, or decided in this process
        self._below: set[GoalPeriod] | None = None  # None: nothing observed yet

    @property
    def started(self) -> bool:
        return self._below is not None

    def observe(self, scoreboard: Scoreboard, stored: Iterable[GoalPeriod] = ()) -> Observation:
        """Compare `scoreboard` with the previous one; `stored` is what `celebrated` holds.

        The in-memory set covers a write still queued on the writer when the next snapshot
        was read, so a fact is never decided twice.
        """
        day = scoreboard.date
        self._known.update(stored)
        # A finished period can never be met again: forget it, so months of uptime do not
        # grow the set.
        self._known = {g for g in self._known if period_end(g.period, g.start) >= day}
        met: dict[GoalPeriod, MetricEntry] = {}
        below: set[GoalPeriod] = set()
        for entry in scoreboard.metrics:
            if entry.target is None:
                continue
            goal = goal_of(entry, day)
            if entry.status == Status.met:
                met.setdefault(goal, entry)
            else:
                below.add(goal)
        previous, self._below = self._below, below
        new = [goal for goal in met if goal not in self._known]
        self._known.update(new)
        if previous is None:
            return Observation(record=tuple(new))
        return Observation(
            record=tuple(new),
            celebrate=tuple(met[goal] for goal in new if goal in previous),
        )


# --- storage ------------------------------------------------------------------------------


def load_celebrated(source: object, store_id: str, day: dt.date) -> frozenset[GoalPeriod]:
    """The stored goals of the periods holding `day` (today, this week, this month)."""
    starts = {period: period_start(period, day) for period in PERIODS}
    start_days = sorted(set(starts.values()))
    rows = connection_of(source).execute(
        "SELECT metric, period, start FROM celebrated WHERE store_id = ? "
        f"AND period IN ({marks(len(PERIODS))}) AND start IN ({marks(len(start_days))})",
        [store_id, *PERIODS, *(iso(d) for d in start_days)],
    )
    found = ((metric, period, to_date(start)) for metric, period, start in rows)
    return frozenset(
        GoalPeriod(metric, period, start)
        for metric, period, start in found
        if starts.get(period) == start
    )


def record_celebrated(
    db: Database, store_id: str, goals: Iterable[GoalPeriod], at: dt.datetime
) -> int:
    """Store `goals` as celebrated (an existing row is kept); returns how many were new.

    A write: call it on the writer thread (`Writer.submit`), never on the GUI thread.
    """
    rows = [
        {"store_id": store_id, "metric": g.metric, "period": g.period, "start": g.start, "at": at}
        for g in goals
    ]
    if not rows:
        return 0
    from sqlalchemy.dialects.sqlite import insert  # a write: only `kiosk run` makes one

    from sync.store.models import Celebrated

    with db.write.begin() as session:
        # Core executemany: sqlite3 sums the rows each insert changed (0 for a conflict).
        result = session.connection().execute(insert(Celebrated).on_conflict_do_nothing(), rows)
        return max(0, result.rowcount)
