"""The bare PySide6 program the Qt benchmarks measure the kiosk against.

`python bench/_qt_bare.py shot OUT.png [WxH]`: one window with a few labels (a store name, a
title, a big number, a goal line, a clock), shown, grabbed to a PNG of that size, exit. The
start-up baseline: what any PySide6 program pays before it can show a picture.

`python bench/_qt_bare.py idle`: the same window with its clock label set by a 1 s QTimer,
until SIGTERM. The idle baseline: the least a PySide6 window with a ticking clock costs.

Run as a script, never imported: it must stay as small as a PySide6 program can be (it imports
nothing of the kiosk and nothing of bench/).
"""

from __future__ import annotations

import signal
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget


def make_window() -> tuple[QWidget, QLabel]:
    window = QWidget()
    window.setWindowTitle("bare")
    layout = QVBoxLayout(window)
    for text, size in (
        ("Downtown", 28),
        ("Today's score", 36),
        ("$11,251", 120),
        ("Goal $12,000  94%", 28),
    ):
        label = QLabel(text)
        font = QFont()
        font.setPointSize(size)
        label.setFont(font)
        layout.addWidget(label)
    clock = QLabel(time.strftime("%H:%M:%S"))
    layout.addWidget(clock)
    return window, clock


def shot(out: str, size: str) -> int:
    app = QApplication(sys.argv[:1])
    window, _clock = make_window()
    width, height = (int(n) for n in size.split("x"))
    window.resize(width, height)
    window.show()
    app.processEvents()
    return 0 if window.grab().save(out, "PNG") else 1


def idle() -> int:
    app = QApplication(sys.argv[:1])
    window, clock = make_window()
    timer = QTimer()
    timer.setInterval(1000)
    timer.timeout.connect(lambda: clock.setText(time.strftime("%H:%M:%S")))
    timer.start()
    window.resize(1280, 720)
    window.show()
    # SIGTERM quits; Python runs the handler when the 1 s timer hands it control.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    return app.exec()


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "shot":
        sys.exit(shot(rest[0], rest[1] if len(rest) > 1 else "1920x1080"))
    sys.exit(idle())
