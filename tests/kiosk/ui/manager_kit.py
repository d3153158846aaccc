"""A kiosk window on real demo data with the manager area installed, driven by taps.

Shared by the tests/ui/test_manager_*.py modules. Everything a test does goes through
`tap()` (a mouse click on a widget found by its accessible name), as a manager's finger would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.board.model import BoardSnapshot
from kiosk.board.snapshot import load_snapshot
from kiosk.config import DisplayConfig
from kiosk.manager.pin import save_pin
from kiosk.ui.board_controller import SnapshotLoader
from kiosk.ui.manager import install_manager_area
from kiosk.ui.manager.area import ManagerAreaController
from kiosk.ui.window import KioskWindow
from sync.store.writer import Writer
from tests.demo_env import DEMO_DAY, DEMO_NOW, DemoEnv, demo_env

PIN = "5868"  # no digit of "tries left" or of the countdown's first minute: see the tests


class WallClock:
    """An aware UTC clock the test moves by hand (the PIN lockout, the store's date)."""

    def __init__(self, start: dt.datetime = DEMO_NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@dataclass
class Kit:
    qtbot: object
    env: DemoEnv
    window: KioskWindow
    manager: ManagerAreaController
    writer: Writer
    loader: SnapshotLoader
    wall: WallClock
    clock: object
    snapshots: list[BoardSnapshot] = field(default_factory=list)

    # --- set-up ---------------------------------------------------------------------------

    def set_pin(self, pin: str = PIN) -> None:
        save_pin(self.env.config.manager, pin, self.wall() - dt.timedelta(hours=1))

    # --- touching -------------------------------------------------------------------------

    def tap(self, widget: QWidget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    def button(self, root: QWidget, name: str) -> QAbstractButton:
        found = [
            b
            for b in root.findChildren(QAbstractButton)
            if b.accessibleName() == name and b.isVisibleTo(root)
        ]
        assert len(found) == 1, (name, [b.accessibleName() for b in self.buttons(root)])
        return found[0]

    def buttons(self, root: QWidget) -> list[QAbstractButton]:
        return [b for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)]

    def press(self, root: QWidget, *names: str) -> None:
        for name in names:
            self.tap(self.button(root, name))
        self.settle()

    def settle(self) -> None:
        """Wait until every read, PIN check and save came back to the GUI thread."""
        self.qtbot.waitUntil(lambda: not self.manager.busy, timeout=10_000)  # type: ignore[attr-defined]

    def row(self, prefix: str) -> QAbstractButton:
        """The entry screen's row whose accessible name starts with `prefix`."""
        rows = [
            b for b in self.window.entry.touch_targets() if b.accessibleName().startswith(prefix)
        ]
        assert len(rows) == 1, [b.accessibleName() for b in self.window.entry.touch_targets()]
        return rows[0]

    # --- flows ----------------------------------------------------------------------------

    def open_pad(self) -> None:
        self.tap(self.manager.tab)
        self.settle()

    def type_pin(self, pin: str) -> None:
        pad = self.manager.overlay.pin_pad
        self.press(pad, *pin, "OK")

    def log_in(self, pin: str = PIN) -> None:
        self.open_pad()
        self.type_pin(pin)
        assert self.manager.state == "entry"
        self.settle()

    def enter_value(self, row_prefix: str, keys: str) -> None:
        """Tap the row, clear the pad, type `keys` ("." is the decimal point), tap OK."""
        self.tap(self.row(row_prefix))
        names = ["Decimal point" if key == "." else key for key in keys]
        self.press(self.manager.overlay.keypad, "Clear", *names, "OK")

    def wait_for_snapshot(self, count: int) -> BoardSnapshot:
        self.qtbot.waitUntil(lambda: len(self.snapshots) >= count, timeout=10_000)  # type: ignore[attr-defined]
        return self.snapshots[-1]


def make_kit(qtbot: object, folder: Path, clock: object, size: tuple[int, int]) -> Kit:
    env = demo_env(folder)
    env.sync()
    wall = WallClock()
    tz = env.config.store.tz
    window = KioskWindow(
        env.config.screens,
        DisplayConfig(transition_ms=0, cursor_hide_seconds=3),
        clock=clock,  # type: ignore[arg-type]
        now=lambda: wall().astimezone(tz),
    )
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.resize(*size)
    window.set_snapshot(load_snapshot(env.db, env.config, DEMO_DAY, wall()))
    window.show()
    qtbot.waitExposed(window)  # type: ignore[attr-defined]
    window.activateWindow()
    writer = Writer()
    manager = install_manager_area(
        window,
        env.config,
        env.db,
        writer,
        clock=clock,  # type: ignore[arg-type]
        now=wall,
        long_press_seconds=0.2,
    )
    # As the app wires it: a save makes the loader re-read the board at once.
    loader = SnapshotLoader(env.db, env.config, now=wall)
    kit = Kit(qtbot, env, window, manager, writer, loader, wall, clock)
    loader.loaded.connect(window.set_snapshot)
    loader.loaded.connect(kit.snapshots.append)
    manager.data_changed.connect(loader.request)
    return kit


def close_kit(kit: Kit) -> None:
    kit.manager.close_area()
    kit.manager.shutdown()
    kit.loader.shutdown()
    kit.writer.shutdown(wait=True)
    kit.env.db.dispose()
