"""The bundled DejaVu fonts, loaded once per process so every machine renders the same.

Relying on system fonts would make a store's screen depend on what the OS ships (and on
fontconfig's fallback rules); the board has to read the same in every store.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_FILES: tuple[str, ...] = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold.ttf",
)
FAMILY = "DejaVu Sans"
CONDENSED_FAMILY = "DejaVu Sans Condensed"

_loaded: list[str] | None = None


def load_fonts() -> list[str]:
    """Register the bundled fonts with Qt (idempotent); returns the families now available.

    Needs a QGuiApplication. A missing file is logged, not fatal: the board still runs on the
    closest system font.
    """
    global _loaded
    if _loaded is not None:
        return _loaded
    families: list[str] = []
    for name in FONT_FILES:
        path = FONTS_DIR / name
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            log.warning("font %s could not be loaded; using a system font instead", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    _loaded = families
    return families


def make_font(pixel_size: int, *, bold: bool = False, condensed: bool = False) -> QFont:
    """A DejaVu font sized in pixels (not points, which depend on the screen's DPI)."""
    font = QFont(CONDENSED_FAMILY if condensed else FAMILY)
    font.setPixelSize(max(1, int(pixel_size)))
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font
