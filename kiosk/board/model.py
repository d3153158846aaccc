"""Plain, frozen data the screens render: the contract between the database and the widgets.

Everything here is built off the GUI thread or in a quick read, then handed to widgets; no
ORM objects and no Qt types cross this line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sync.vocabulary import Aggregate, Direction, MessageKind, Period, Perspective, words


class Status(StrEnum):
    """Where a goal stands (docs/cli.md, "status"): met, on track by pace, or behind."""

    met = "met"
    on_track = "on_track"
    behind = "behind"


class Source(StrEnum):
    """Where a number came from: HQ's feeds, or a manager's entry at the store."""

    hq = "hq"
    store = "store"


PERSPECTIVES: tuple[str, ...] = words(Perspective)  # their names: kiosk.board.wording


@dataclass(frozen=True)
class MetricEntry:
    """One metric over one period, as `kiosk scoreboard --json` prints it (first ten fields)."""

    metric: str
    label: str
    perspective: str
    period: Period
    actual: float | None
    target: float | None
    percent: float | None  # rounded half-up to 0.1
    pace: float | None  # rounded half-up to 0.1; None for day
    status: Status | None
    source: Source | None
    # Display details from the catalog (not part of the JSON contract).
    unit: str = ""
    decimals: int = 0
    direction: Direction = Direction.up
    aggregate: Aggregate = Aggregate.sum

    def as_json(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "label": self.label,
            "perspective": self.perspective,
            "period": self.period,
            "actual": self.actual,
            "target": self.target,
            "percent": self.percent,
            "pace": self.pace,
            "status": self.status,
            "source": self.source,
        }


@dataclass(frozen=True)
class Scoreboard:
    store_id: str
    date: dt.date
    metrics: tuple[MetricEntry, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "store_id": self.store_id,
            "date": self.date.isoformat(),
            "metrics": [m.as_json() for m in self.metrics],
        }


@dataclass(frozen=True)
class CommentView:
    day: dt.date
    text: str
    rating: float | None
    source: str | None


@dataclass(frozen=True)
class MessageView:
    title: str
    body: str
    kind: MessageKind
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class LeaderRow:
    """One store on the leaderboard: its rank, and the figures its own scoreboard shows."""

    rank: int | None  # None: no data; ties share a rank
    store_id: str
    name: str
    percent: float | None  # the period so far, as percent of goal
    is_self: bool
    pace: float | None = None  # week and month: the projected end of the period (docs/cli.md)

    def figure(self, period: Period) -> float | None:
        """What the store is ranked by and shown with: the pace for a week or a month (a
        month's 6th day reads 20% of goal for everyone), the percent for a day."""
        return self.percent if period == Period.day else self.pace


@dataclass(frozen=True)
class Leaderboard:
    metric: str
    label: str
    period: Period
    region: str
    rows: tuple[LeaderRow, ...]

    @property
    def ranks_by_pace(self) -> bool:
        return self.period != Period.day


@dataclass(frozen=True)
class Recognition:
    """A shout-out: an HQ message of kind recognition, or one the manager typed."""

    title: str
    body: str
    day: dt.date
    origin: Source


@dataclass(frozen=True)
class Celebration:
    goals_met: tuple[MetricEntry, ...]  # status met, today / this week / this month
    recognitions: tuple[Recognition, ...]  # newest first

    @property
    def is_empty(self) -> bool:
        return not self.goals_met and not self.recognitions


@dataclass(frozen=True)
class GoalPeriod:
    """One goal of one metric in one period: what the `celebrated` table keys on.

    `start` is the period's first day (the day itself, its Monday, or the 1st), so "sales this
    week" is the same goal all week and a new week is a new goal.
    """

    metric: str
    period: Period
    start: dt.date


@dataclass(frozen=True)
class TrendDay:
    """One day of a metric's trend: the day's value and its day goal (either may be missing)."""

    day: dt.date
    value: float | None
    goal: float | None


@dataclass(frozen=True)
class Trend:
    """The last days (oldest first, the board's date last) of a metric with a day goal."""

    metric: str
    direction: Direction
    days: tuple[TrendDay, ...]

    def met(self, item: TrendDay) -> bool | None:
        """Whether `item`'s value reached its goal (at most the goal for a `down` metric)."""
        if item.value is None or item.goal is None:
            return None
        if self.direction == Direction.down:
            return item.value <= item.goal
        return item.value >= item.goal


@dataclass(frozen=True)
class Freshness:
    """When data last arrived from HQ, for the header's "updated 10:42" mark."""

    last_success: dt.datetime | None  # aware, in the store's timezone
    stale: bool  # older than the configured limit, or never synced
    failing_feeds: tuple[str, ...] = ()
    # "Disk full: nothing can be saved" when the database's disk is full or read-only.
    storage_problem: str | None = None

    @property
    def warning(self) -> bool:
        """Whether the header shows its warning band (stale data, or a disk that cannot save)."""
        return self.stale or self.storage_problem is not None


@dataclass(frozen=True)
class EntryRow:
    """A metric the manager types in (catalog `entry = yes`), with its value on one day."""

    metric: str
    label: str
    unit: str
    decimals: int
    day: dt.date
    value: float | None  # what the board uses for that day (HQ wins over the entry)
    source: Source | None
    # What the keypad shows beside the number being typed: the goal in force that day (the
    # day's, else the week's, else the month's) and the value of the day before.
    goal: float | None = None
    goal_period: Period | None = None
    previous: float | None = None
    direction: Direction = Direction.up  # down: the goal is a budget (a sum) or a limit
    aggregate: Aggregate = Aggregate.sum


class WinKind(StrEnum):
    """What a day goal not yet met still needs (see `kiosk.board.to_win`)."""

    to_go = "to_go"  # a sum: this much more today
    left_to_spend = "left_to_spend"  # a budget (down, sum): at most this much more today
    score_needed = "score_needed"  # a mean or a latest value: the day's number must reach this


@dataclass(frozen=True)
class ToWin:
    """How a metric's day goal can still be won: "$770 to go", "$257 an hour"."""

    metric: str
    kind: WinKind
    amount: float  # rounded to the catalog's decimals, in the direction that keeps it honest
    per_hour: float | None  # a sum with opening hours known and an hour or more left
    unit: str = ""
    decimals: int = 0
    direction: Direction = Direction.up


@dataclass(frozen=True)
class BoardSnapshot:
    """Everything the rotating screens show, read in one go."""

    store_id: str
    store_name: str
    date: dt.date
    scoreboard: Scoreboard
    comments: tuple[CommentView, ...] = ()
    messages: tuple[MessageView, ...] = ()
    leaderboard: Leaderboard | None = None
    celebration: Celebration = field(default_factory=lambda: Celebration((), ()))
    freshness: Freshness = field(default_factory=lambda: Freshness(None, True))
    entries: tuple[EntryRow, ...] = ()  # today's manager-entry metrics
    # The last 14 days of each metric with a day goal today, by metric (scoreboard cards).
    trends: tuple[Trend, ...] = ()
    # Goals of the periods holding `date` already celebrated (or recorded silently): the
    # celebration detector never celebrates these again, whatever restarts in between.
    celebrated: frozenset[GoalPeriod] = frozenset()
    # How each day goal not yet met can still be won, at the moment the snapshot was read.
    to_win: tuple[ToWin, ...] = ()

    def trend(self, metric: str) -> Trend | None:
        return next((t for t in self.trends if t.metric == metric), None)

    def win(self, metric: str) -> ToWin | None:
        return next((w for w in self.to_win if w.metric == metric), None)
