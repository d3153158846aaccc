"""The composition root of `kiosk run`: it builds the parts and wires them, nothing else.

config -> database -> writer -> sync service -> scheduler -> bridge -> snapshot loader ->
screens (the window, with its opening hours) -> board controller -> manager area; shutdown
hangs off `QApplication.aboutToQuit`. What each part does is in its own module: the board's
threads and celebrations in `kiosk.ui.board_controller`, the window in `kiosk.ui.window`,
the QApplication, signals and quit shortcut in `kiosk.ui.application`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from kiosk.board.display_schedule import schedule_from_display
from kiosk.clock_watch import ClockWatch
from kiosk.config import Config
from kiosk.control import running_kiosk, serve_control
from kiosk.scheduling import build_kiosk_scheduler, pull_lines
from kiosk.screen_power import screen_power_for
from kiosk.ui.application import (
    RestartRequest,
    ensure_app,
    install_quit_shortcut,
    install_signal_handlers,
    route_qt_messages,
)
from kiosk.ui.board_controller import BoardController, SnapshotLoader, SyncBridge, record_on_writer
from kiosk.ui.fullscreen import ScreenFollower
from kiosk.ui.manager import install_manager_area
from kiosk.ui.sound import CelebrationSound
from kiosk.ui.thumbnail import ScreenThumbnails
from kiosk.ui.watchdog import install_systemd_watchdog
from kiosk.ui.window import KioskWindow
from sync.service import SyncService
from sync.store.db import open_database
from sync.store.writer import Writer

log = logging.getLogger(__name__)


def run_kiosk(config: Config, *, windowed: bool = False) -> int:
    """Run the kiosk until it is told to stop; returns the process exit code."""
    started = time.monotonic()  # the heartbeat's uptime
    other = running_kiosk(config.database_path)
    if other is not None:
        log.error("another kiosk (process %d) is already running on this database", other)
        return 1
    route_qt_messages()  # first: the platform plugin speaks while the application starts
    app = ensure_app(keyboard=True, decorations=windowed, locale=config.store.locale)
    restart = RestartRequest(app)
    # Only `kiosk run` (at start) and `kiosk repair` may move a damaged database aside.
    db = open_database(config.database_path, repair=True, on_replaced=restart.request)
    writer = Writer()
    service = SyncService(db, config.store.id, config.feeds, writer=writer)
    bridge = SyncBridge(app)
    loader = SnapshotLoader(db, config, parent=app)

    tz = config.store.tz

    def store_now() -> dt.datetime:
        return dt.datetime.now(tz)

    sound = None
    if config.celebration.sound:
        sound = CelebrationSound(config.celebration, store_now, parent=app)
    power = screen_power_for(config.display.off_mode, config.display.cec_tool)
    window = KioskWindow(
        config.screens,
        config.display,
        now=store_now,
        celebration=config.celebration,
        schedule=schedule_from_display(config.display, tz),
        sound=sound,
        screen_power=power,
    )
    controller = BoardController(
        window,
        loader,
        bridge,
        parent=app,
        record=record_on_writer(db, config.store.id, writer),
    )
    manager = install_manager_area(window, config, db, writer, now=store_now)
    manager.data_changed.connect(controller.refresh)
    manager.opened.connect(window.manager_opened)  # a TV in CEC standby wakes for a manager
    manager.closed.connect(window.manager_closed)
    # The first snapshot goes through the detector too: goals met before the start are
    # recorded, not celebrated. (`kiosk run` wrote the demo's feeds below its goal.)
    controller.present(loader.load_now())

    # A new day: the day's demo feeds (with `[demo]`), then a pull of every feed. With
    # `[hq] url`, the outbox and the heartbeat (with a thumbnail of the window).
    scheduler, hq = build_kiosk_scheduler(
        config,
        service,
        db,
        writer,
        bridge.emit_report,
        thumbnail=ScreenThumbnails(window, parent=app).take,
        started=started,
    )
    # `kiosk sync --once` beside a running kiosk asks it to pull instead of writing itself.
    control = serve_control(config.database_path, pull_lines(service, bridge.emit_report))
    if hq is not None:
        manager.data_changed.connect(hq.upload_soon)
    quitter = install_signal_handlers(app)
    install_quit_shortcut(window, app)
    # systemd (deploy/kiosk.service): READY=1 after the first paint, WATCHDOG=1 from this
    # (the GUI) thread, so a frozen event loop gets the kiosk restarted. A no-op elsewhere.
    watchdog = install_systemd_watchdog(
        window, app, status=f"showing the board of store {config.store.id}"
    )

    def shutdown() -> None:
        log.info("kiosk stopping")
        watchdog.stopping()
        control.close()
        clock_watch.stop()
        scheduler.shutdown(wait=False)
        loader.shutdown()
        manager.shutdown()
        if hq is not None:
            hq.close()
        if power is not None:
            power.close()
        # A pull in progress finishes its transaction on the writer; then we close.
        threading.Thread(target=service.close, daemon=True).start()

    app.aboutToQuit.connect(shutdown)
    scheduler.start()
    clock_watch = ClockWatch(scheduler).start()  # a clock set back re-arms every job
    follower = None
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        follower = ScreenFollower(window, app)
        follower.show()
    log.info("kiosk started for store %s with %d feeds", config.store.id, len(config.feeds))
    code = app.exec()
    del controller, quitter, follower
    writer.shutdown(wait=True)
    db.dispose()
    return code
