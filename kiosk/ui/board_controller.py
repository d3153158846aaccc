"""The board's controller: what moves data between the threads and the window that shows it.

- `SyncBridge`: pull reports from scheduler threads to the GUI thread.
- `SnapshotLoader`: the `BoardSnapshot` read on a `db-reader` thread (through `Jobs`), handed
  to the GUI thread; requests made during a read collapse into one more read.
- `BoardController`: re-reads the board after pulls and as minutes pass, and turns goals just
  met into celebrations on the window (`BoardWindow`: `KioskWindow` satisfies it).
- `record_on_writer`: how the controller stores the goals it saw met, on the single writer.

Nothing here decides what is on screen: the window's rotator does, and the plain-Python
`CelebrationDetector` decides what to celebrate.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance, Slot

from kiosk.board.celebrations import CelebrationDetector, record_celebrated
from kiosk.board.model import BoardSnapshot, GoalPeriod, MetricEntry
from kiosk.board.snapshot import load_snapshot
from kiosk.config import Config
from kiosk.ui.jobs import Jobs
from sync.clock import utc_now
from sync.service import PullReport
from sync.store.db import Database
from sync.store.writer import Writer

log = logging.getLogger(__name__)

Now = Callable[[], dt.datetime]
RecordGoals = Callable[[tuple[GoalPeriod, ...]], object]


class SyncBridge(QObject):
    """Carries pull reports from scheduler threads to the GUI thread.

    Signals: `report_ready(PullReport)`, emitted from any thread; Qt queues it to the
    receivers' (GUI) thread because the bridge lives there.
    """

    report_ready = Signal(object)

    def emit_report(self, report: PullReport) -> None:
        self.report_ready.emit(report)


class SnapshotLoader(QObject):
    """Reads a BoardSnapshot on a worker thread and hands it to the GUI thread.

    A 200-store leaderboard takes tens of milliseconds to read, too long for the GUI thread.
    Requests made while a read is running are coalesced into one more read. A failed read is
    logged and the last snapshot stays on screen (nothing is emitted).

    Signals: `loaded(BoardSnapshot)`, in the GUI thread.
    """

    loaded = Signal(object)

    def __init__(
        self, db: Database, config: Config, now: Now = utc_now, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._config = config
        self._now = now
        self._jobs = Jobs(self, name="db-reader")
        self._running = False
        self._again = False

    def request(self) -> None:
        """Read the board soon; during a read, once more after it."""
        if self._running:
            self._again = True
            return
        self._running = True
        now = self._now()
        day = self._config.store.today(now)
        self._jobs.run(self._on_read, load_snapshot, self._db, self._config, day, now)

    def load_now(self) -> BoardSnapshot:
        """A synchronous read, for start-up before the window first paints."""
        now = self._now()
        return load_snapshot(self._db, self._config, self._config.store.today(now), now)

    def _on_read(self, future: Future[BoardSnapshot]) -> None:
        self._running = False
        try:
            snapshot = future.result()
        except Exception:
            # Keep showing the last good snapshot: a failed read never blanks the screen.
            log.exception("reading the board from the database failed")
        else:
            self.loaded.emit(snapshot)
        if self._again:
            self._again = False
            self.request()

    def shutdown(self) -> None:
        self._jobs.shutdown(wait=False)


class BoardWindow(Protocol):
    """What `BoardController` needs of the window that shows the board (`KioskWindow`)."""

    @property
    def display_changed(self) -> SignalInstance:
        """Emits True when the display switches on (opening time), False when off."""
        ...

    @property
    def display_on(self) -> bool: ...

    def set_snapshot(self, snapshot: BoardSnapshot) -> None: ...

    def celebrate(self, goals: Sequence[MetricEntry] = ()) -> bool: ...


class BoardController(QObject):
    """Refreshes what the window shows after pulls and as minutes pass, and turns goals
    just met into celebrations.

    Every snapshot goes through the `CelebrationDetector` on the GUI thread (a few set
    operations); the goals it says to store go to `record` (in `run_kiosk`, a job on the
    single writer thread: the GUI thread never writes), the ones to celebrate to
    `window.celebrate()`. While the display is off (outside opening hours) the controller
    reads nothing: the minute refresh stops, pulls only mark the board out of date, and one
    read at opening catches up (a goal met overnight is celebrated then).

    Emits no signals.
    """

    def __init__(
        self,
        window: BoardWindow,
        loader: SnapshotLoader,
        bridge: SyncBridge,
        parent: QObject | None = None,
        *,
        detector: CelebrationDetector | None = None,
        record: RecordGoals | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._loader = loader
        self._detector = detector or CelebrationDetector()
        self._record = record
        loader.loaded.connect(self._on_loaded)
        bridge.report_ready.connect(self._on_report)
        window.display_changed.connect(self._on_display_changed)
        self._asleep = not window.display_on
        # Freshness ("updated 10:42", stale warnings) and the date move with the clock.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(60_000)
        self._refresh_timer.timeout.connect(loader.request)
        if not self._asleep:
            self._refresh_timer.start()

    def refresh_timer(self) -> QTimer:
        return self._refresh_timer

    @Slot()
    def refresh(self) -> None:
        """Read the board again now (a pull applied, a manager saved a number). While the
        display is off this waits: waking up reads the board anyway."""
        if not self._asleep:
            self._loader.request()

    def present(self, snapshot: BoardSnapshot) -> None:
        """Show `snapshot`, storing and celebrating the goals it newly meets."""
        seen = self._detector.observe(snapshot.scoreboard, snapshot.celebrated)
        if seen.record and self._record is not None:
            self._record(seen.record)
        self._window.set_snapshot(snapshot)
        if seen.celebrate:
            names = ", ".join(f"{e.metric} ({e.period})" for e in seen.celebrate)
            log.info("goal met: %s", names)
            self._window.celebrate(seen.celebrate)

    @Slot(object)
    def _on_report(self, report: PullReport) -> None:
        self.refresh()

    @Slot(object)
    def _on_loaded(self, snapshot: BoardSnapshot) -> None:
        self.present(snapshot)

    @Slot(bool)
    def _on_display_changed(self, on: bool) -> None:
        self._asleep = not on
        if on:
            self._refresh_timer.start()
            self._loader.request()
        else:
            self._refresh_timer.stop()


def record_on_writer(
    db: Database, store_id: str, writer: Writer, now: Now = utc_now
) -> RecordGoals:
    """A `record` for BoardController: queue the write on the single writer thread and
    return at once; a failure is logged (the goal may then celebrate once more after a
    restart, which beats blocking the screen)."""

    def record(goals: tuple[GoalPeriod, ...]) -> Future[int]:
        future = writer.submit(record_celebrated, db, store_id, goals, now())
        future.add_done_callback(_log_record_failure)
        return future

    return record


def _log_record_failure(future: Future[int]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("storing celebrated goals failed: %r", future.exception())
