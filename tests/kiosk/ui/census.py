"""Counting live Qt objects two ways, for leak tests.

- Qt's side: every QObject under the window (`findChildren(QObject)`, recursive) and every
  widget of the application (`QApplication.allWidgets()`, parentless ones included).
- Python's side: every shiboken wrapper the garbage collector can see (QObjects, but also
  value types such as QPixmap, QTransform and QColor that a per-frame allocation would leak).

Deferred deletions are delivered first, so an object that was `deleteLater()`'d counts as
gone, as it will be one event-loop turn later.
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import Shiboken


@dataclass(frozen=True)
class Census:
    children: int  # QObjects under the window
    widgets: int  # every QWidget of the application
    wrappers: int  # live shiboken wrappers seen by the garbage collector
    by_type: Counter[str]

    def growth(self, before: Census) -> dict[str, int]:
        """Types whose wrapper count grew, for a readable failure message."""
        return {
            name: count - before.by_type.get(name, 0)
            for name, count in self.by_type.items()
            if count > before.by_type.get(name, 0)
        }


def settle() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    gc.collect()


def take(window: QWidget) -> Census:
    settle()
    # Asking Qt for its objects first: findChildren() gives a wrapper to every child that had
    # none, which would otherwise show up as "growth" in the next census.
    children = window.findChildren(QObject)
    widgets = QApplication.allWidgets()
    wrappers = [o for o in gc.get_objects() if isinstance(o, Shiboken.Object)]
    return Census(
        children=len(children),
        widgets=len(widgets),
        wrappers=len(wrappers),
        by_type=Counter(type(o).__name__ for o in wrappers),
    )
