"""The manager area on the touch screen: way in, PIN pad, keypad, changes, shout-outs.

`install_manager_area(window, config, db, writer)` is the one entry point (see
`controller.py`); `enable_virtual_keyboard()` (in `keyboard.py`) must run before the
QApplication exists. The controller is imported on first use, so `ensure_app` can reach
`keyboard.py` without loading the database side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.ui.manager.controller import ManagerController, install_manager_area

__all__ = ["ManagerController", "install_manager_area"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.ui.manager import controller

        return getattr(controller, name)
    raise AttributeError(name)
