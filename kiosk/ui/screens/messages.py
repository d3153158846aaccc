"""Messages from HQ in force today: news, service stories, lessons learned, expectations.

Which messages are in force is the snapshot's (`kiosk.board.snapshot.load_messages`): this
screen shows `snapshot.messages` as they come.

Each kind has its own colour band and says its kind in words ("LESSON LEARNED"), so the look
is a cue, not the only one. Recognitions are shown by the celebration screen instead. A
message's title and text are shown as HQ wrote them, in whatever language HQ wrote them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot, MessageView
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

MAX_TITLE_LINES = 2
MAX_BODY_LINES = 5
KIND_WORDS: dict[str, str] = {
    #: The kind of an HQ message, in capitals above its title.
    "news": QT_TRANSLATE_NOOP("Messages", "NEWS"),
    #: A story of great customer service, told to the whole chain.
    "story": QT_TRANSLATE_NOOP("Messages", "SERVICE STORY"),
    "lesson": QT_TRANSLATE_NOOP("Messages", "LESSON LEARNED"),
    #: What HQ expects of every store (a standard, a rule).
    "expectation": QT_TRANSLATE_NOOP("Messages", "EXPECTATION"),
    #: A thank-you to a person or a team.
    "recognition": QT_TRANSLATE_NOOP("Messages", "SHOUT-OUT"),
}


def kind_text(message: MessageView) -> str:
    source = KIND_WORDS.get(message.kind)
    return translate("Messages", source) if source is not None else message.kind.upper()


def dates_text(message: MessageView) -> str:
    """ "until Tue, Dec 1" for a message with an end, else "since Mon, Nov 23"."""
    formats = words().formats
    if message.end:
        #: The last day an HQ message shows ("Tue, Dec 1").
        return translate("Messages", "until {date}").format(date=formats.date(message.end))
    #: The day an HQ message without an end started to show.
    return translate("Messages", "since {date}").format(date=formats.date(message.start))


class MessageCard(Panel):
    """One message laid out for a fixed width; `content_height` is its exact height."""

    def __init__(self, message: MessageView, theme: Theme, width: int, max_height: int) -> None:
        color = th.MESSAGE_KIND_COLORS.get(message.kind, th.NEUTRAL_COMMENT)
        super().__init__(th.SURFACE, radius=theme.radius, band_color=color, band_width=theme.band)
        self.message = message
        t = theme
        pad = t.padding
        x = t.band + pad
        inner = max(1, width - x - pad)
        y = pad
        chunks = [
            Chunk(kind_text(message), t.font("meta_bold"), color),
            Chunk(dates_text(message), t.font("meta"), th.TEXT_DIM),
        ]
        used = place_chunks(self, chunks, x, y, inner, t.px(24))
        y += used + t.px(4)
        title_font = t.font("heading")
        title_lines = len(wrap_text(message.title, title_font, inner, MAX_TITLE_LINES))
        self.title = plain_label(
            message.title, title_font, th.TEXT, max_lines=title_lines, parent=self
        )
        title_h = title_lines * line_height(title_font)
        self.title.setGeometry(x, y, inner, title_h)
        y += title_h
        body_font = t.font("body")
        spacing = line_height(body_font)
        room = (max_height - y - pad - t.px(6)) // spacing
        if message.body.strip() and room >= 1:
            lines = len(wrap_text(message.body, body_font, inner, min(MAX_BODY_LINES, room)))
            y += t.px(6)
            self.body = plain_label(
                message.body, body_font, th.TEXT_DIM, max_lines=lines, parent=self
            )
            self.body.setGeometry(x, y, inner, lines * spacing)
            y += lines * spacing
        self.content_height = y + pad


class MessagesScreen(Screen):
    """HQ messages in force, in columns of cards; pages when they do not fit."""

    name = "messages"

    def content_key(self, snapshot: BoardSnapshot) -> object:
        return (snapshot.date, snapshot.messages)

    def title(self) -> str:
        #: The title of the screen of messages from headquarters.
        return translate("Messages", "News from HQ")

    def _messages(self) -> tuple[MessageView, ...]:
        snapshot = self.snapshot
        return snapshot.messages if snapshot else ()

    def has_content(self) -> bool:
        return bool(self._messages())

    def build_pages(self, area: QSize) -> list[QWidget]:
        messages = self._messages()
        if not messages:
            return [self.empty_page(translate("Messages", "No messages from HQ right now."))]
        return self.card_pages(
            area,
            lambda width: [MessageCard(m, self.theme, width, area.height()) for m in messages],
            self.theme.px(760),
        )
