"""Plain, frozen data the screens render: the contract between the database and the widgets.

Everything here is built off the GUI thread or in a quick read, then handed to widgets; no
ORM objects and no Qt types cross this line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Period = Literal["day", "week", "month"]
Status = Literal["met", "on_track", "behind"]
Source = Literal["hq", "store"]
PERSPECTIVES: tuple[str, ...] = ("financial", "customer", "process", "learning")
PERSPECTIVE_LABELS: dict[str, str] = {
    "financial": "Financial",
    "customer": "Customer",
    "process": "Internal process",
    "learning": "Learning & growth",
}


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
    direction: Literal["up", "down"] = "up"
    aggregate: Literal["sum", "mean", "last"] = "sum"

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
    kind: Literal["news", "story", "lesson", "expectation", "recognition"]
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class LeaderRow:
    rank: int | None  # None: no data; ties share a rank
    store_id: str
    name: str
    percent: float | None
    is_self: bool


@dataclass(frozen=True)
class Leaderboard:
    metric: str
    label: str
    period: Period
    region: str
    rows: tuple[LeaderRow, ...]


@dataclass(frozen=True)
class Recognition:
    """A shout-out: an HQ message of kind recognition, or one the manager typed."""

    title: str
    body: str
    day: dt.date
    origin: Literal["hq", "store"]


@dataclass(frozen=True)
class Celebration:
    goals_met: tuple[MetricEntry, ...]  # status met, today / this week / this month
    recognitions: tuple[Recognition, ...]  # newest first

    @property
    def is_empty(self) -> bool:
        return not self.goals_met and not self.recognitions


@dataclass(frozen=True)
class Freshness:
    """When data last arrived from HQ, for the header's "updated 10:42" mark."""

    last_success: dt.datetime | None  # aware, in the store's timezone
    stale: bool  # older than the configured limit, or never synced
    failing_feeds: tuple[str, ...] = ()


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
