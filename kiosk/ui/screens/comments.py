"""What customers said: the last 14 days' comments, newest first, good and bad alike.

Which comments and in what order is the snapshot's (`kiosk.board.snapshot.load_comments`):
this screen shows `snapshot.comments` as they come.

Each card shows the stars (or "no rating"), the source and day, and the text (as the customer
wrote it, in the quotation marks of the store's language). Good comments
(4-5 stars) carry a green band and tint, bad ones (1-2) a red band and tint, so the two read
apart at a glance; the stars say the same without colour. Long text ends with "…" after its
last whole line; cards that do not fit go to the next page.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot, CommentView
from kiosk.board.wording import stars_text
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    Chunk,
    Panel,
    Screen,
    line_height,
    place_chunks,
    plain_label,
    wrap_text,
)

MAX_TEXT_LINES = 7  # a long complaint is shown, but it does not take the whole screen


def tone(rating: float | None) -> str:
    """ "good" (4 or more stars), "bad" (2 or fewer) or "neutral"."""
    if rating is None:
        return "neutral"
    if rating >= 4:
        return "good"
    if rating <= 2:
        return "bad"
    return "neutral"


_TONE_COLORS = {"good": th.GOOD_COMMENT, "bad": th.BAD_COMMENT, "neutral": th.NEUTRAL_COMMENT}
_TONE_SURFACES = {"good": "#13251c", "bad": "#2a1719", "neutral": th.SURFACE}


class CommentCard(Panel):
    """One comment laid out for a fixed width; `content_height` is its exact height."""

    def __init__(self, comment: CommentView, theme: Theme, width: int, max_height: int) -> None:
        kind = tone(comment.rating)
        super().__init__(
            _TONE_SURFACES[kind],
            radius=theme.radius,
            band_color=_TONE_COLORS[kind],
            band_width=theme.band,
        )
        self.comment = comment
        self.tone = kind
        t = theme
        pad = t.padding
        x = t.band + pad
        inner = max(1, width - x - pad)
        y = pad
        rated = comment.rating is not None
        wording = words()
        meta = " · ".join(p for p in (comment.source, wording.formats.date(comment.day)) if p)
        chunks = [
            Chunk(
                stars_text(comment.rating, words=wording),
                t.font("label" if rated else "meta"),
                th.STAR_COLOR if rated else th.TEXT_DIM,
            ),
            Chunk(meta, t.font("meta"), th.TEXT_DIM),
        ]
        used = place_chunks(self, chunks, x, y, inner, t.px(24))
        y += used + t.px(6)
        body_font = t.font("body")
        spacing = line_height(body_font)
        room = max(1, (max_height - y - pad) // spacing)
        #: A customer's comment, in the quotation marks of your language (French: « {text} »).
        quoted = translate("Comments", "“{text}”").format(text=comment.text)
        lines = wrap_text(quoted, body_font, inner, min(MAX_TEXT_LINES, room))
        self.text = plain_label(quoted, body_font, th.TEXT, max_lines=len(lines), parent=self)
        self.text.setGeometry(x, y, inner, len(lines) * spacing)
        y += len(lines) * spacing
        self.content_height = y + pad


class CommentsScreen(Screen):
    """Recent customer comments in columns of cards; pages when they do not fit."""

    name = "comments"

    def content_key(self, snapshot: BoardSnapshot) -> object:
        return (snapshot.date, snapshot.comments)

    def title(self) -> str:
        #: The title of the screen of customer comments.
        return translate("Comments", "What customers said")

    def _comments(self) -> tuple[CommentView, ...]:
        snapshot = self.snapshot
        return snapshot.comments if snapshot else ()

    def has_content(self) -> bool:
        return bool(self._comments())

    def build_pages(self, area: QSize) -> list[QWidget]:
        comments = self._comments()
        if not comments:
            return [
                self.empty_page(
                    translate("Comments", "No customer comments in the last two weeks.")
                )
            ]
        return self.card_pages(
            area,
            lambda width: [CommentCard(c, self.theme, width, area.height()) for c in comments],
            self.theme.px(760),
        )
