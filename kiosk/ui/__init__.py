"""The Qt front end: everything of the kiosk that imports Qt (with `kiosk.app`, which wires it).

- application.py: the QApplication, quitting on signals and Ctrl+Alt+Q; jobs.py: work off
  the GUI thread, results back on it; watchdog.py: systemd's pings from the GUI thread.
- board_controller.py: pull reports and snapshots between threads, goals met -> celebrations.
- window.py: the board on screen, composing off_hours.py (night cover, power timer),
  burn_in.py (the content's shift) and cursor.py (the hidden pointer); header.py,
  screens/, widgets/, theme.py, fonts.py, confetti.py, sparkline.py, off_cover.py, sound.py.
- render.py: one screen to an image (`kiosk screenshot`).
- manager/: the manager area on the touch screen.
- i18n/: the store's language: Qt's translator for the words, `words()` for the board's
  sentences and the locale's number formats.

Widgets only paint what the frozen view dataclasses (`kiosk.board.model`) hold; the rotation, the
formatting and the scoreboard maths live in plain Python modules.

Importing this package applies `guard_none_refcount()` (see there): PySide6 6.12.0 on
Python 3.11 otherwise aborts the process after a few thousand Qt calls.
"""

from __future__ import annotations

import ctypes
import sys


def guard_none_refcount() -> bool:
    """Keep shiboken6 6.12.0 from freeing `None` on Python < 3.12; True when applied.

    shiboken6 6.12.0 (abi3 wheels) returns None from every void Qt method without taking a
    new reference. From Python 3.12 None is immortal (PEP 683) and nothing happens; on 3.11
    each call drops None's count by one, and after a few thousand calls (one screen build)
    the interpreter aborts with "Fatal Python error: none_dealloc". 6.11.3 is not affected.

    The bug is detected, not assumed: a void call is made and None's count compared. When it
    falls, None's count is raised by 2**40, which no run will use up: None is never freed
    anyway, so this only restores what Python 3.12 guarantees. Remove when the project pins a
    fixed PySide6 or moves to Python 3.12.
    """
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    if sys.getrefcount(None) - before > -32:
        return False
    # ob_refcnt is the first field of every object in a release build of CPython 3.11.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


NONE_REFCOUNT_GUARDED = guard_none_refcount()
