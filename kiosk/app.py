"""The composition root of `kiosk run`.

config -> database -> writer -> sync service -> scheduler -> bridge -> snapshot loader ->
window; shutdown hangs off `QApplication.aboutToQuit`. Nothing here decides what is on screen:
the window's rotator does. This module only wires the parts and moves data between threads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.snapshot import load_snapshot
from kiosk.views import BoardSnapshot
from sync.db import Database, open_database
from sync.service import PullReport, SyncService
from sync.writer import Writer

log = logging.getLogger(__name__)

Now = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
    Requests made while a read is running are coalesced into one more read.

    Signals: `loaded(BoardSnapshot)`, in the GUI thread.
    """

    loaded = Signal(object)
    _finished = Signal(object)

    def __init__(self, db: Database, config: Config, now: Now = utc_now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._config = config
        self._now = now
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-reader")
        self._running = False
        self._again = False
        self._finished.connect(self._on_finished)

    def request(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        now = self._now()
        day = self._config.store.today(now)
        future = self._pool.submit(load_snapshot, self._db, self._config, day, now)
        future.add_done_callback(self._finished.emit)  # worker thread -> queued to GUI

    def load_now(self) -> BoardSnapshot:
        """A synchronous read, for start-up before the window first paints."""
        now = self._now()
        return load_snapshot(self._db, self._config, self._config.store.today(now), now)

    @Slot(object)
    def _on_finished(self, future: Future[BoardSnapshot]) -> None:
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
        self._pool.shutdown(wait=False, cancel_futures=True)


class KioskController(QObject):
    """Reacts to pulls and the passing minutes by refreshing what the window shows."""

    def __init__(self, window: object, loader: SnapshotLoader, bridge: SyncBridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._loader = loader
        loader.loaded.connect(self._on_loaded)
        bridge.report_ready.connect(self._on_report)
        # Freshness ("updated 10:42", stale warnings) and the date move with the clock.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(60_000)
        self._refresh_timer.timeout.connect(loader.request)
        self._refresh_timer.start()

    @Slot(object)
    def _on_report(self, report: PullReport) -> None:
        self._loader.request()

    @Slot(object)
    def _on_loaded(self, snapshot: BoardSnapshot) -> None:
        self._window.set_snapshot(snapshot)  # type: ignore[attr-defined]


def _install_signal_handlers(app: QApplication) -> QSocketNotifier:
    """Quit cleanly on SIGTERM/SIGINT while the Qt event loop runs.

    Python runs signal handlers only when the interpreter gets control; a wake-up socket
    watched by Qt gives it control without a polling timer (which would cost idle CPU).
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def on_signal() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        log.info("stop requested by signal; quitting")
        app.quit()

    notifier.activated.connect(on_signal)
    notifier._sockets = (reader, writer)  # type: ignore[attr-defined]  # keep them open
    return notifier


def run_kiosk(config: Config, *, windowed: bool = False) -> int:
    """Run the kiosk until it is told to stop; returns the process exit code."""
    from kiosk.scheduling import build_scheduler
    from kiosk.ui.render import ensure_app
    from kiosk.ui.window import KioskWindow

    app = ensure_app()
    db = open_database(config.database_path)
    writer = Writer()
    service = SyncService(db, config.store.id, config.feeds, writer=writer)
    bridge = SyncBridge(app)
    loader = SnapshotLoader(db, config, parent=app)

    tz = config.store.tz
    window = KioskWindow(config.screens, config.display, now=lambda: dt.datetime.now(tz))
    controller = KioskController(window, loader, bridge, parent=app)
    window.set_snapshot(loader.load_now())

    def new_day() -> None:
        if config.demo_feeds_dir is not None:
            from kiosk.commands import prepare_demo

            prepare_demo(config)
        for spec in service.ordered_feeds():
            bridge.emit_report(service.pull(spec))

    scheduler = build_scheduler(config, service, bridge.emit_report, on_new_day=new_day)
    notifier = _install_signal_handlers(app)

    def shutdown() -> None:
        log.info("kiosk stopping")
        scheduler.shutdown(wait=False)
        loader.shutdown()
        # A pull in progress finishes its transaction on the writer; then we close.
        threading.Thread(target=service.close, daemon=True).start()

    app.aboutToQuit.connect(shutdown)
    scheduler.start()
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.showFullScreen()
    log.info("kiosk started for store %s with %d feeds", config.store.id, len(config.feeds))
    code = app.exec()
    del controller, notifier
    writer.shutdown(wait=True)
    db.dispose()
    return code
