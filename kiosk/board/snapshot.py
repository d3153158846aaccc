"""Everything the rotating screens show, read in one transaction: the `BoardSnapshot`.

One read transaction means every screen of a rotation shows the same moment of the database,
even when a sync commits half-way through the read. Only frozen view objects leave here. The
queries are plain SQL on sqlite3 (sync/store/reading.py): `db` is a `Database` (`kiosk run`)
or the `SqliteReader` of a read-only command, and each `load_*` takes a sqlite3 connection or
a SQLAlchemy session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kiosk.board.celebrations import load_celebrated
from kiosk.board.display_schedule import schedule_from_display
from kiosk.board.leaderboard import build_leaderboard
from kiosk.board.model import (
    BoardSnapshot,
    Celebration,
    CommentView,
    Freshness,
    MessageView,
    MetricEntry,
    Period,
    Recognition,
    Scoreboard,
    Source,
    Status,
)
from kiosk.board.scoreboard import entry_rows, load_store_data, scoreboard_from_data
from kiosk.board.to_win import board_to_win
from kiosk.board.trends import load_trends, trend_metrics
from kiosk.config import Config
from sync.spec import FeedSpec
from sync.store.reading import Readable, connection_of, iso, marks, to_date, to_utc
from sync.store.storage import disk_problem
from sync.vocabulary import FeedStatus, MessageKind

COMMENT_DAYS = 14  # "the last 14 days' comments up to the date"
# A last success this far in the future is a clock set back, not a fast clock's rounding.
CLOCK_SLACK = dt.timedelta(minutes=2)
EVERY_STORE = "*"


def load_snapshot(db: Readable, config: Config, day: dt.date, now: dt.datetime) -> BoardSnapshot:
    """The board of the configured store on its date `day`; `now` (aware) judges freshness
    and how many opening hours are left to win the day."""
    store_id = config.store.id
    hours = schedule_from_display(config.display, config.store.tz).hours
    with db.reading() as conn:
        data = load_store_data(conn, store_id, day)
        scoreboard = scoreboard_from_data(data)
        messages, hq_recognitions = load_messages(conn, store_id, day)
        recognitions = merge_recognitions(load_shoutouts(conn, store_id, day), hq_recognitions)
        return BoardSnapshot(
            store_id=store_id,
            store_name=config.store.name,
            date=day,
            scoreboard=scoreboard,
            comments=load_comments(conn, store_id, day),
            messages=messages,
            leaderboard=build_leaderboard(
                conn,
                store_id,
                day,
                config.leaderboard.metric,
                Period(config.leaderboard.period),
                catalog=data.catalog,
            ),
            celebration=Celebration(goals_met=goals_met(scoreboard), recognitions=recognitions),
            freshness=load_freshness(conn, config, now, storage_problem(db)),
            entries=entry_rows(data),
            trends=load_trends(conn, store_id, day, trend_metrics(data.catalog, data.targets)),
            celebrated=load_celebrated(conn, store_id, day),
            to_win=board_to_win(scoreboard.metrics, now.astimezone(config.store.tz), day, hours),
        )


def load_comments(source: object, store_id: str, day: dt.date) -> tuple[CommentView, ...]:
    """This store's comments of the 14 days up to and including `day`, newest first."""
    first = day - dt.timedelta(days=COMMENT_DAYS - 1)
    rows = connection_of(source).execute(
        "SELECT day, text, rating, source FROM comments "
        "WHERE store_id = ? AND day >= ? AND day <= ? ORDER BY day DESC, id DESC",
        (store_id, iso(first), iso(day)),
    )
    return tuple(
        CommentView(to_date(when), text, rating, origin) for when, text, rating, origin in rows
    )


def load_messages(
    source: object, store_id: str, day: dt.date
) -> tuple[tuple[MessageView, ...], tuple[Recognition, ...]]:
    """Messages in force on `day` for this store or every store: (the rest, recognitions).

    Ordered by start, newest first, then feed order. Recognitions go to the celebration
    screen instead of the messages screen.
    """
    rows = connection_of(source).execute(
        'SELECT title, body, kind, start, "end" FROM messages '
        f"WHERE store_id IN ({marks(2)}) AND start <= ? "
        'AND ("end" IS NULL OR "end" >= ?) ORDER BY start DESC, id',
        (store_id, EVERY_STORE, iso(day), iso(day)),
    )
    messages: list[MessageView] = []
    recognitions: list[Recognition] = []
    for title, body, kind_name, start_text, end_text in rows:
        kind = MessageKind(kind_name)
        start = to_date(start_text)
        if kind is MessageKind.recognition:
            recognitions.append(Recognition(title, body or "", start, Source.hq))
        else:
            end = None if end_text is None else to_date(end_text)
            messages.append(MessageView(title, body or "", kind, start, end))
    return tuple(messages), tuple(recognitions)


def load_shoutouts(source: object, store_id: str, day: dt.date) -> tuple[Recognition, ...]:
    """The manager's shout-outs showing on `day` (day <= `day` <= until), newest first."""
    rows = connection_of(source).execute(
        "SELECT text, day FROM shoutouts "
        "WHERE store_id = ? AND deleted IS 0 AND day <= ? AND until >= ? "
        "ORDER BY day DESC, created_at DESC, id DESC",
        (store_id, iso(day), iso(day)),
    )
    return tuple(Recognition(text, "", to_date(when), Source.store) for text, when in rows)


def merge_recognitions(
    store: Sequence[Recognition], hq: Sequence[Recognition]
) -> tuple[Recognition, ...]:
    """Newest first by day; on the same day the store's own shout-outs lead.

    Both inputs are already newest first; Python's sort is stable, so each keeps its order.
    """
    return tuple(sorted([*store, *hq], key=lambda r: r.day, reverse=True))


def goals_met(scoreboard: Scoreboard) -> tuple[MetricEntry, ...]:
    """The scoreboard entries whose goal is met, in scoreboard order."""
    return tuple(entry for entry in scoreboard.metrics if entry.status == Status.met)


def storage_problem(db: Readable) -> str | None:
    """What the header says when nothing can be saved: the disk under the database is full or
    read-only (found at open, or now: a disk can fill up while the kiosk runs)."""
    problem = db.disk_problem or (disk_problem(db.path) if db.path is not None else None)
    return problem.short if problem is not None else None


def load_freshness(
    source: object, config: Config, now: dt.datetime, storage: str | None = None
) -> Freshness:
    """How fresh the board is: as fresh as its stalest configured feed; `storage` says why
    nothing can be saved, if so."""
    if now.tzinfo is None:
        raise ValueError("load_freshness needs an aware `now`")
    feeds = config.feeds
    if not feeds:
        return Freshness(last_success=None, stale=False, storage_problem=storage)
    rows = connection_of(source).execute(
        f"SELECT name, last_success, status FROM feed_state WHERE name IN ({marks(len(feeds))})",
        [feed.name for feed in feeds],
    )
    # A configured feed without a state row has never been pulled: no success, no status.
    state = {name: (to_utc(last_success), status) for name, last_success, status in rows}
    per_feed: list[tuple[FeedSpec, dt.datetime | None, str]] = [
        (feed, *state.get(feed.name, (None, FeedStatus.never))) for feed in feeds
    ]
    oldest = min((moment for _, moment, _ in per_feed if moment is not None), default=None)
    limit = config.display.stale_after_minutes
    return Freshness(
        last_success=None if oldest is None else oldest.astimezone(config.store.tz),
        stale=any(_feed_is_stale(f, moment, limit, now) for f, moment, _ in per_feed),
        failing_feeds=tuple(f.name for f, _, status in per_feed if status == FeedStatus.error),
        storage_problem=storage,
    )


def _feed_is_stale(
    feed: FeedSpec, last_success: dt.datetime | None, stale_after_minutes: float, now: dt.datetime
) -> bool:
    """Never succeeded, or older than the display limit or two of the feed's own intervals.

    A feed polled daily is not stale after two hours: the limit stretches to twice its
    interval so one late or missed poll does not flag the board. A last success later than now
    (the clock was set back since) says nothing about how old the data is: stale until a pull
    under the corrected clock succeeds.
    """
    if last_success is None or last_success > now + CLOCK_SLACK:
        return True
    limit = dt.timedelta(minutes=max(stale_after_minutes, 2 * feed.every_minutes))
    return now - last_success > limit
