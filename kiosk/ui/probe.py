"""What Qt can do on this machine, for `kiosk doctor`: run as `python -m kiosk.ui.probe`, in a
process of its own, because a Qt platform that cannot start aborts the whole process.

It prints one JSON object: the platform Qt started on and its screens (name, width, height),
the bundled font families that loaded, and whether Qt's wayland platform plugin (the one the
store display uses under cage) finds every library it links. Without a display session
(`WAYLAND_DISPLAY` / `DISPLAY` unset: a technician over SSH while cage holds the screen) it
starts on the offscreen platform, which is enough for the fonts and the plugin.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path


def wayland_plugin_problem() -> str | None:
    """None when Qt's wayland platform plugin loads with all its libraries, else why not."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqwayland.so"
    if not plugin.is_file():
        return f"Qt's wayland platform plugin is missing ({plugin})"
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        # "libwayland-cursor.so.0: cannot open shared object file: ..." names what to install.
        return str(exc).split(": cannot open")[0].rsplit("/", 1)[-1] + " is missing"
    return None


def main() -> int:
    if not (os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    from kiosk.ui.fonts import CONDENSED_FAMILY, FAMILY, FONT_FILES, FONTS_DIR, load_fonts

    app = QGuiApplication(sys.argv[:1])
    report = {
        "platform": app.platformName(),
        "screens": [
            [screen.name(), screen.geometry().width(), screen.geometry().height()]
            for screen in app.screens()
        ],
        "fonts_dir": str(FONTS_DIR),
        "font_files_missing": [name for name in FONT_FILES if not (FONTS_DIR / name).is_file()],
        "fonts_expected": [FAMILY, CONDENSED_FAMILY],
        "fonts": sorted(set(load_fonts()) & set(QFontDatabase.families())),
        "wayland_plugin": wayland_plugin_problem(),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
