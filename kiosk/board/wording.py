"""The board's words: status, pace, budgets, periods, perspectives. Plain Python, no Qt.

The screen and `kiosk scoreboard` say the same things ("▼ Behind", "on pace for 104%",
"$30 under"), but the screen says them in the store's language and the command line, which
is ops output, in English. So the board never bakes a language in: every sentence is built
by a `Wording`, which holds how to translate (`translate(context, source)`) and how to write
numbers (`kiosk.board.formatting.Formats`).

- `ENGLISH` writes the source strings as they are, with en_US numbers (the command line).
- The screens use `kiosk.ui.i18n.words()`: the same functions with Qt's translator
  (`QCoreApplication.translate`) and the store's locale.

Each sentence is one whole template ("{amount} to go"), never words glued together, so a
translator can put the amount where the language wants it. The templates are marked with
`QT_TRANSLATE_NOOP("Board", ...)`, a no-op here that pyside6-lupdate finds (see
docs/translations.md); `#:` comments above them are notes for the translator.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.board.formatting import (
    ENGLISH_FORMATS,
    MISSING,
    Formats,
    budget_over,
    budget_used,
    is_budget,
    round_half_up,
    used_pace_share,
)
from kiosk.board.model import MetricEntry

BOARD = "Board"  # the translation context of every template in this module

Translate = Callable[[str, str], str]  # (context, source) -> the text to show


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark `source` for translation in `context` without translating it: pyside6-lupdate
    extracts the call (by this name, Qt's), and a `Wording` translates the source where it
    is said."""
    return source


def as_written(context: str, source: str) -> str:
    """The `Translate` of the source language: every source string as it is written."""
    return source


@dataclass(frozen=True)
class Wording:
    """How the board says things: its translator and its number formats.

    Frozen and hashable, so the screens can cache what they measured per wording.
    """

    formats: Formats = ENGLISH_FORMATS
    translate: Translate = as_written

    def say(self, source: str, **fields: object) -> str:
        """The board template `source`, translated, with `fields` filled in
        ("{amount} to go", amount="$770")."""
        text = self.translate(BOARD, source)
        return text.format(**fields) if fields else text


ENGLISH = Wording()


# --- status ----------------------------------------------------------------------------------
# Each status carries a glyph and a word as well as its colour: colour is never the only cue.
STATUS_GLYPHS: dict[str | None, str] = {"met": "✓", "on_track": "▲", "behind": "▼", None: "○"}
STATUS_WORDS: dict[str | None, str] = {
    #: A goal's status on a scoreboard card, after a check mark: the goal is reached.
    "met": QT_TRANSLATE_NOOP("Board", "Met"),
    #: A goal's status: not reached yet, but the week's or month's pace will reach it.
    "on_track": QT_TRANSLATE_NOOP("Board", "On track"),
    #: A goal's status: below the goal and below the pace to reach it.
    "behind": QT_TRANSLATE_NOOP("Board", "Behind"),
    #: A goal with no number yet today.
    None: QT_TRANSLATE_NOOP("Board", "No data yet"),
}


def status_text(status: str | None, words: Wording = ENGLISH) -> str:
    """ "✓ Met", "▲ On track", "▼ Behind", "○ No data yet"."""
    return f"{STATUS_GLYPHS[status]} {words.say(STATUS_WORDS[status])}"


# --- periods and perspectives ----------------------------------------------------------------
PERIOD_WORDS: dict[str, str] = {
    #: The period of a goal, inside a sentence ("Goal met today!").
    "day": QT_TRANSLATE_NOOP("Board", "today"),
    "week": QT_TRANSLATE_NOOP("Board", "this week"),
    "month": QT_TRANSLATE_NOOP("Board", "this month"),
}
PERIOD_TITLES: dict[str, str] = {
    #: The period at the start of a card's line: "Week $18,010 / $60,000".
    "day": QT_TRANSLATE_NOOP("Board", "Today"),
    "week": QT_TRANSLATE_NOOP("Board", "Week"),
    "month": QT_TRANSLATE_NOOP("Board", "Month"),
}
PERSPECTIVE_LABELS: dict[str, str] = {
    #: The four balanced-scorecard perspectives: the headings of the scoreboard's columns.
    "financial": QT_TRANSLATE_NOOP("Board", "Financial"),
    "customer": QT_TRANSLATE_NOOP("Board", "Customer"),
    "process": QT_TRANSLATE_NOOP("Board", "Internal process"),
    "learning": QT_TRANSLATE_NOOP("Board", "Learning & growth"),
}


def period_word(period: str, words: Wording = ENGLISH) -> str:
    """ "today", "this week", "this month"."""
    source = PERIOD_WORDS.get(period)
    return words.say(source) if source is not None else period


def period_title(period: str, words: Wording = ENGLISH) -> str:
    """ "Today", "Week", "Month"."""
    source = PERIOD_TITLES.get(period)
    return words.say(source) if source is not None else period.capitalize()


def perspective_label(perspective: str, words: Wording = ENGLISH) -> str:
    """ "Financial", ...; a perspective the catalog invented is shown as HQ named it."""
    source = PERSPECTIVE_LABELS.get(perspective)
    if source is None:
        return perspective.replace("_", " ").capitalize()
    return words.say(source)


# --- percents and pace -----------------------------------------------------------------------


def pace_text(pace: float | None, words: Wording = ENGLISH) -> str:
    """`104.0` -> "on pace for 104%"; None -> "" (a day has no pace)."""
    if pace is None or not math.isfinite(pace):
        return ""
    #: Where a week's or month's goal will end if the days go on like this: "on pace for 104%".
    return words.say(
        QT_TRANSLATE_NOOP("Board", "on pace for {percent}"), percent=words.formats.percent(pace)
    )


def stars_text(rating: float | None, out_of: int = 5, words: Wording = ENGLISH) -> str:
    """`4` -> "★★★★☆"; None -> "no rating". Half stars round up (4.5 -> 5 stars)."""
    if rating is None or not math.isfinite(rating):
        #: A customer comment that came without a star rating.
        return words.say(QT_TRANSLATE_NOOP("Board", "no rating"))
    filled = int(round_half_up(min(max(rating, 0), out_of), 0))
    return "★" * filled + "☆" * (out_of - filled)


# --- budgets (direction down) ----------------------------------------------------------------
# A `down` metric is a budget (shrink) or a limit (a mean wait time): "506%" of goal confused
# staff, so the board says how much of the budget is used and by how much it is under or over.


def budget_margin(entry: MetricEntry, words: Wording = ENGLISH) -> str:
    """ "$30 under" or "over by $40": how far the actual is from the budget."""
    if entry.actual is None or entry.target is None:
        return ""
    difference = entry.target - entry.actual
    amount = words.formats.value(abs(difference), entry.unit, entry.decimals)
    if difference < 0:
        #: A budget (shrink) or limit passed by this much.
        return words.say(QT_TRANSLATE_NOOP("Board", "over by {amount}"), amount=amount)
    #: A budget (shrink) or limit not reached: this much is still unused.
    return words.say(QT_TRANSLATE_NOOP("Board", "{amount} under"), amount=amount)


def used_text(entry: MetricEntry, words: Wording = ENGLISH) -> str:
    """ "80% used" (of a budget); "–" without an actual."""
    share = budget_used(entry)
    if share is None:
        return MISSING
    #: The share of a budget (shrink) used so far: "80% used".
    return words.say(
        QT_TRANSLATE_NOOP("Board", "{percent} used"), percent=words.formats.percent(share)
    )


def used_pace_text(entry: MetricEntry, words: Wording = ENGLISH) -> str:
    """ "on pace to use 92%"; "" without a pace."""
    share = used_pace_share(entry)
    if share is None:
        return ""
    #: How much of a week's or month's budget it will have used at the end, at this pace.
    return words.say(
        QT_TRANSLATE_NOOP("Board", "on pace to use {percent}"),
        percent=words.formats.percent(share),
    )


def entry_status_text(entry: MetricEntry, words: Wording = ENGLISH) -> str:
    """The status as the card says it: "✓ Met", "▼ Behind"; a budget says how far it is from
    the budget ("✓ $30 under", "▼ over by $40")."""
    if not is_budget(entry) or entry.actual is None or entry.target is None:
        return status_text(entry.status, words)
    glyph = STATUS_GLYPHS["behind"] if budget_over(entry) else STATUS_GLYPHS[entry.status]
    return f"{glyph} {budget_margin(entry, words)}"
