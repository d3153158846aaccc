"""Colours and sizes. Dark and high-contrast, for a break-room TV read from 4 metres.

Every size derives from the screen height (`unit = height / 1080`), so a 720p, 1080p and 4K
screen show the same board, only sharper. The base sizes below are the 1080p pixel sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from kiosk.ui.fonts import make_font

BASE_HEIGHT = 1080

# Colours. Text on BACKGROUND / SURFACE stays above 7:1 contrast (WCAG AAA), dim text included.
BACKGROUND = "#0a0e14"
SURFACE = "#151c26"
SURFACE_HIGH = "#1f2935"
TRACK = "#2c3846"
TEXT = "#ffffff"
TEXT_DIM = "#b4c0cc"
DIVIDER = "#2c3846"

# Status colours: green / blue / orange-red are told apart by most colour-blind viewers, and
# each status also carries a glyph and a word (`kiosk.board.wording.STATUS_GLYPHS`, _WORDS),
# so colour is never the only cue.
STATUS_COLORS: dict[str | None, str] = {
    "met": "#3ddc84",
    "on_track": "#5cb3ff",
    "behind": "#ff6b5b",
    None: "#8a97a6",
}
PERSPECTIVE_COLORS: dict[str, str] = {
    "financial": "#f5c451",
    "customer": "#ff85c0",
    "process": "#34d1bf",
    "learning": "#a98bfa",
}
OTHER_PERSPECTIVE_COLOR = "#8a97a6"

MESSAGE_KIND_COLORS: dict[str, str] = {
    "news": "#5cb3ff",
    "story": "#c38cff",
    "lesson": "#34d1bf",
    "expectation": "#ffb020",
    "recognition": "#f5c451",
}

GOOD_COMMENT = "#3ddc84"
BAD_COMMENT = "#ff6b5b"
NEUTRAL_COMMENT = "#8a97a6"
STAR_COLOR = "#ffc83d"
CELEBRATION = "#f5c451"

NEUTRAL_BAR = "#9fb3c8"
SELF_ROW = "#1d3a5c"
SELF_ROW_BORDER = "#5cb3ff"

WARNING_BAND = "#ffb020"
WARNING_TEXT = "#1a1200"


def qcolor(name: str) -> QColor:
    """An opaque colour from a "#rrggbb" name."""
    color = QColor(name)
    color.setAlpha(255)
    return color


# Font roles: (pixel size at 1080p, bold, condensed).
FONT_ROLES: dict[str, tuple[int, bool, bool]] = {
    "hero": (96, True, True),  # today's key numbers
    "title": (50, True, True),  # a screen's title, in the header
    "heading": (44, True, True),  # perspective columns, section headings, message titles
    "label": (40, True, True),  # metric names, status words
    "body": (40, False, False),  # comment and message text
    "value": (56, True, True),  # entry screen values, leaderboard percents
    "meta": (34, False, True),  # goal lines, week/month lines, sources, dates
    "meta_bold": (34, True, True),
    "rank": (64, True, True),
    "store": (48, True, False),  # the header's store name
    "clock": (56, True, True),
    "button": (40, True, False),
}
MIN_TEXT_PX = 34  # nothing on a rotating screen is smaller than this at 1080p
# Read from 4 m: a capital about 21 mm tall on a 55-inch panel (34 px at 1080p). The
# scoreboard grows its metric names to this whenever the cards leave room.
READ_FROM_DOOR_CAP_PX = 34


@dataclass(frozen=True)
class Theme:
    """Sizes for one screen height. Equal heights give equal themes (cheap to compare)."""

    height: int = BASE_HEIGHT

    @property
    def unit(self) -> float:
        return max(self.height, 1) / BASE_HEIGHT

    def px(self, base: float) -> int:
        """A 1080p size in pixels at this height (at least 1)."""
        return max(1, round(base * self.unit))

    def font(self, role: str, scale: float = 1.0) -> QFont:
        """The font of `role`; `scale` grows it (never below the role's size) where a screen
        has room to spare."""
        size, bold, condensed = FONT_ROLES[role]
        return make_font(self.px(size * max(1.0, scale)), bold=bold, condensed=condensed)

    # Layout sizes, in 1080p pixels scaled.
    @property
    def header_height(self) -> int:
        return self.px(100)

    @property
    def margin(self) -> int:
        return self.px(28)

    @property
    def gap(self) -> int:
        return self.px(20)

    @property
    def padding(self) -> int:
        return self.px(18)

    @property
    def radius(self) -> int:
        return self.px(14)

    @property
    def band(self) -> int:
        return self.px(10)

    @property
    def touch_target(self) -> int:
        # Big enough for a hurried finger: 126 px at 1080p is about 80 mm on a 55" panel,
        # far above the 15 mm minimum.
        return self.px(126)
