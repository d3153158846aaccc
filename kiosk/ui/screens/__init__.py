"""The screens, by name. Each is a `kiosk.ui.widgets.Screen`:
`set_snapshot(snapshot)`, `page_count()`, `show_page(i)`, `has_content()`, `title()`."""

from __future__ import annotations

from kiosk.ui.screens.celebration import CelebrationScreen
from kiosk.ui.screens.comments import CommentsScreen
from kiosk.ui.screens.entry import EntryScreen
from kiosk.ui.screens.leaderboard import LeaderboardScreen
from kiosk.ui.screens.messages import MessagesScreen
from kiosk.ui.screens.scoreboard import ScoreboardScreen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Screen

SCREEN_TYPES: dict[str, type[Screen]] = {
    "scoreboard": ScoreboardScreen,
    "comments": CommentsScreen,
    "celebration": CelebrationScreen,
    "messages": MessagesScreen,
    "leaderboard": LeaderboardScreen,
    "entry": EntryScreen,
}


def create_screen(name: str, theme: Theme | None = None) -> Screen:
    """A new screen widget by name; ValueError for an unknown name."""
    try:
        screen_type = SCREEN_TYPES[name]
    except KeyError:
        known = ", ".join(SCREEN_TYPES)
        raise ValueError(f"unknown screen {name!r} (one of {known})") from None
    return screen_type(theme)


__all__ = [
    "SCREEN_TYPES",
    "CelebrationScreen",
    "CommentsScreen",
    "EntryScreen",
    "LeaderboardScreen",
    "MessagesScreen",
    "ScoreboardScreen",
    "create_screen",
]
