"""The manager area on the touch screen: way in, PIN pad, keypad, changes, shout-outs.

`install_manager_area(window, config, db, writer)` is the one entry point (see `area.py`,
the coordinator; each flow has its own module); `enable_virtual_keyboard()` (in
`keyboard.py`) must run before the QApplication exists. The coordinator is imported on first
use, so `ensure_app` can reach `keyboard.py` without loading the database side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.ui.manager.area import ManagerAreaController, install_manager_area

__all__ = ["ManagerAreaController", "install_manager_area"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.ui.manager import area

        return getattr(area, name)
    raise AttributeError(name)
