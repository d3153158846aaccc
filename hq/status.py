"""The fleet status rule: one word per store, from its latest heartbeat and the time.

Plain Python on purpose: the pages, the JSON and the tests share it, and the caller passes
`now`, so a test (or the browser test's server) decides what time it is.

In order, the first that applies:
- `never`: HQ knows the store (a token was minted) but has never had a heartbeat from it;
- `offline`: no heartbeat for `stale_after` (HQ's clock: the kiosk's may be wrong);
- `error`: the kiosk says a feed is failing (its latest pull of that feed failed);
- `stale`: the kiosk says its data is older than its own stale threshold (the header warning
  the store sees);
- `ok`.

"Display off" (outside opening hours) is not a status: a kiosk whose screen is dark on purpose
still heartbeats, so it is `ok` (or whatever applies) and the pages show "display off" beside it,
never mistaken for `offline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Status(StrEnum):
    OFFLINE = "offline"
    ERROR = "error"
    STALE = "stale"
    NEVER = "never"
    OK = "ok"


# Worst first: the fleet page sorts by this, so problems are on top.
SEVERITY: dict[Status, int] = {status: rank for rank, status in enumerate(Status)}

MEANING: dict[Status, str] = {
    Status.OFFLINE: "no heartbeat for longer than the offline threshold",
    Status.ERROR: "the kiosk reports a feed failing",
    Status.STALE: "the kiosk's data is older than its stale threshold",
    Status.NEVER: "known to HQ (token minted) but never heard from",
    Status.OK: "heartbeating, feeds fine, data fresh",
}


# What the ops person can do about it (the store page shows it under the problem).
ACTION: dict[Status, str] = {
    Status.OFFLINE: "Is the kiosk powered on and on the network? What it last said is below.",
    Status.ERROR: "A feed the kiosk pulls is failing (see Feeds); its screen keeps the last data.",
    Status.STALE: "The screen shows old numbers: a feed failing quietly, or HQ's files not new?",
    Status.NEVER: "Has the kiosk been given its token ([hq] token) and HQ's address ([hq] url)?",
    Status.OK: "",
}


def heartbeat_status(failing_feeds: int, data_stale: bool) -> Status:
    """What one heartbeat says on its own (no clock involved): error, stale or ok."""
    if failing_feeds > 0:
        return Status.ERROR
    if data_stale:
        return Status.STALE
    return Status.OK


def store_status(
    last_seen: dt.datetime | None,
    failing_feeds: int,
    data_stale: bool,
    *,
    now: dt.datetime,
    stale_after: dt.timedelta,
) -> Status:
    """The store's status at `now`; `last_seen` is HQ's time of its latest heartbeat."""
    if last_seen is None:
        return Status.NEVER
    if now - last_seen > stale_after:
        return Status.OFFLINE
    return heartbeat_status(failing_feeds, data_stale)
