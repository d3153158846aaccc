"""What the manager area on the touch screen reads and writes, in plain Python.

`ManagerData` is the database side of the area's three flows (the PIN, the numbers with
their corrections' trail, the shout-outs); the Qt side (`kiosk.ui.manager`) calls it through
`kiosk.ui.jobs.Jobs` and never opens a session itself.

Threads, as the kiosk uses it:
- reads and PIN checks block (a read; scrypt takes ~0.1 s): the caller runs them on a
  worker thread, never the GUI thread;
- writes are queued on the single `Writer` and return its Future at once, so nobody waits
  on a write; each is one transaction (with its audit row and outbox item for HQ).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import Future

from kiosk.board.model import EntryRow
from kiosk.config import Config
from kiosk.manager.entries import (
    AuditRow,
    SavedEntry,
    ShoutOutRow,
    ValidationError,
    active_shoutouts,
    add_shoutout,
    audit_trail,
    delete_shoutout,
    entry_rows_for_day,
    save_entry,
)
from kiosk.manager.pin import PinState, PinStore, VerifyResult
from sync.clock import utc_now
from sync.store.db import Database
from sync.store.writer import Writer

LAST_DAYS = 7  # "Last 7 days" on the entry screen: today and the six days before


def entry_days(key: str, today: dt.date) -> list[dt.date]:
    """The days the entry screen lists for its day button `key`, newest first: "yesterday",
    "last7" (today and the six days before) or, for anything else, today."""
    if key == "yesterday":
        return [today - dt.timedelta(days=1)]
    if key == "last7":
        return [today - dt.timedelta(days=n) for n in range(LAST_DAYS)]
    return [today]


class ManagerData:
    """The manager area's reads and writes for the configured store.

    `now` (aware) is the PIN lockout's clock; `pins` defaults to the configured PIN, whose
    attempt records go to `writer` too.
    """

    def __init__(
        self,
        config: Config,
        db: Database,
        writer: Writer,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        pins: PinStore | None = None,
    ) -> None:
        self._db = db
        self._writer = writer
        self._store_id = config.store.id
        self._shoutout_days = config.manager.shoutout_days
        self._pins = pins or PinStore(config.manager, db, now, writer=writer)

    # --- the PIN (blocking: call from a worker) ---------------------------------------------

    def pin_status(self) -> tuple[bool, PinState | None]:
        """Is a PIN set, and is entry locked (a lockout survives restarts)?"""
        if not self._pins.has_pin():
            return False, None
        return True, self._pins.state()

    def verify_pin(self, pin: str) -> VerifyResult:
        """Check `pin` and record the attempt (time and outcome, never the digits); ~0.1 s.

        Raises `PinError` when no usable PIN is set."""
        return self._pins.verify(pin)

    # --- reads (blocking: call from a worker) -----------------------------------------------

    def entry_rows(self, days: Sequence[dt.date]) -> list[EntryRow]:
        """The manager-entry metrics of each day in `days`, in that order, with their values."""
        with self._db.read() as session:
            return [row for day in days for row in entry_rows_for_day(session, self._store_id, day)]

    def audit(self, metric: str, day: dt.date) -> list[AuditRow]:
        """The changes of `metric` on `day`, for the corrections' trail."""
        with self._db.read() as session:
            return audit_trail(session, self._store_id, metric, day)

    def shoutouts(self, day: dt.date) -> list[ShoutOutRow]:
        """The shout-outs not deleted and not over on `day`, newest first."""
        with self._db.read() as session:
            return active_shoutouts(session, self._store_id, day)

    # --- writes (queued on the writer; they return its Future) ------------------------------

    def save_entry(
        self, metric: str, day: dt.date, text: str, now: dt.datetime, *, allow_outlier: bool
    ) -> Future[SavedEntry | ValidationError]:
        """The entry, its audit row and its outbox item, in one transaction; every check is
        made again there (the catalog may have changed since the pad showed)."""
        return self._writer.submit(self._save_entry, metric, day, text, now, allow_outlier)

    def add_shoutout(
        self, text: str, day: dt.date, now: dt.datetime
    ) -> Future[int | ValidationError]:
        """A shout-out shown from `day` for `[manager] shoutout_days`; its id when saved."""
        return self._writer.submit(self._add_shoutout, text, day, now)

    def delete_shoutout(self, shoutout_id: int, now: dt.datetime) -> Future[bool]:
        """Hide a shout-out (HQ is told); False when there was none to delete."""
        return self._writer.submit(self._delete_shoutout, shoutout_id, now)

    # --- on the writer thread -----------------------------------------------------------------

    def _save_entry(
        self, metric: str, day: dt.date, text: str, now: dt.datetime, allow_outlier: bool
    ) -> SavedEntry | ValidationError:
        with self._db.write.begin() as session:
            return save_entry(
                session, self._store_id, metric, day, text, now, allow_outlier=allow_outlier
            )

    def _add_shoutout(self, text: str, day: dt.date, now: dt.datetime) -> int | ValidationError:
        with self._db.write.begin() as session:
            return add_shoutout(
                session, self._store_id, text, day=day, now=now, days=self._shoutout_days
            )

    def _delete_shoutout(self, shoutout_id: int, now: dt.datetime) -> bool:
        with self._db.write.begin() as session:
            return delete_shoutout(session, shoutout_id, now)
