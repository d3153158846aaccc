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
from functools import partial

from kiosk.board.display_schedule import schedule_from_display
from kiosk.clock_watch import ClockWatch
from kiosk.config import Config
from kiosk.control import running_kiosk, serve_control
from kiosk.demo.hooks import add_goal_job, prepare_demo
from kiosk.scheduling import add_upload_job, build_scheduler, pull_lines, upload_soon
from kiosk.ui.application import (
    RestartRequest,
    ensure_app,
    install_quit_shortcut,
    install_signal_handlers,
)
from kiosk.ui.board_controller import BoardController, SnapshotLoader, SyncBridge, record_on_writer
from kiosk.ui.manager import install_manager_area
from kiosk.ui.sound import CelebrationSound
from kiosk.ui.watchdog import install_systemd_watchdog
from kiosk.ui.window import KioskWindow
from sync.service import SyncService
from sync.store.db import open_database
from sync.store.writer import Writer

log = logging.getLogger(__name__)


def run_kiosk(config: Config, *, windowed: bool = False) -> int:
    """Run the kiosk until it is told to stop; returns the process exit code."""
    other = running_kiosk(config.database_path)
    if other is not None:
        log.error("another kiosk (process %d) is already running on this database", other)
        return 1
    app = ensure_app(keyboard=True, locale=config.store.locale)
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
    window = KioskWindow(
        config.screens,
        config.display,
        now=store_now,
        celebration=config.celebration,
        schedule=schedule_from_display(config.display, tz),
        sound=sound,
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
    # The first snapshot goes through the detector too: goals met before the start are
    # recorded, not celebrated. (The demo's feeds were written below its goal by dispatch.)
    controller.present(loader.load_now())

    # A new day: the day's demo feeds (with `[demo]`), then a pull of every feed.
    scheduler = build_scheduler(
        config,
        service,
        bridge.emit_report,
        on_new_day=partial(prepare_demo, config),
        pull_on_new_day=True,
    )
    add_goal_job(scheduler, config, service, bridge.emit_report)
    # `kiosk sync --once` beside a running kiosk asks it to pull instead of writing itself.
    control = serve_control(config.database_path, pull_lines(service, bridge.emit_report))
    uploader = add_upload_job(scheduler, config, db, writer)
    if uploader is not None:
        manager.data_changed.connect(lambda: upload_soon(scheduler))
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
        if uploader is not None:
            uploader.close()
        # A pull in progress finishes its transaction on the writer; then we close.
        threading.Thread(target=service.close, daemon=True).start()

    app.aboutToQuit.connect(shutdown)
    scheduler.start()
    clock_watch = ClockWatch(scheduler).start()  # a clock set back re-arms every job
    if windowed:
        window.resize(1280, 720)
        window.show()
    else:
        window.showFullScreen()
    log.info("kiosk started for store %s with %d feeds", config.store.id, len(config.feeds))
    code = app.exec()
    del controller, quitter
    writer.shutdown(wait=True)
    db.dispose()
    return code
