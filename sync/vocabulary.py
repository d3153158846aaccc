"""The words of the HQ feed contract (docs/feeds.md), once: periods, perspectives, directions,
aggregates, message kinds, and the status a feed's last pull left.

StrEnums whose member names are their values, so a member equals, hashes and prints as its
word: rows read back from SQLite (plain strings) compare and look up the same, and JSON shows
the word.
"""

from __future__ import annotations

from enum import StrEnum


class Period(StrEnum):
    """What a goal covers: one day, a Monday-to-Sunday week, or a calendar month."""

    day = "day"
    week = "week"
    month = "month"


class Perspective(StrEnum):
    """The four balanced-scorecard perspectives a metric belongs to."""

    financial = "financial"
    customer = "customer"
    process = "process"
    learning = "learning"


class Direction(StrEnum):
    """`up`: higher is better; `down`: a cost or a budget, lower is better."""

    up = "up"
    down = "down"


class Aggregate(StrEnum):
    """How a metric's days roll up into a week or a month."""

    sum = "sum"
    mean = "mean"
    last = "last"


class MessageKind(StrEnum):
    """What an HQ message is; recognitions go to the celebration screen."""

    news = "news"
    story = "story"
    lesson = "lesson"
    expectation = "expectation"
    recognition = "recognition"


class FeedStatus(StrEnum):
    """How a feed's last pull went: `never` pulled, `ok` (applied or unchanged), or `error`."""

    ok = "ok"
    error = "error"
    never = "never"


def words(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The plain words of a vocabulary, in order (for feed validation and messages)."""
    return tuple(member.value for member in vocabulary)
