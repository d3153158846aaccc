"""`kiosk scoreboard [--json] [--date D]`: the model the screen renders, as JSON or text.

The JSON is the contract (docs/cli.md); the text reads like the screen: "94%" and "▼ Behind"
for a goal, "80% used" and "✓ $30 under" for a budget (its contract percent, 125, would read
as if the budget were beaten by a quarter), the pace of a week or a month, and how to win
today ("$770 to go · $257 an hour"). It is ops output: English with en_US numbers whatever
the store's `[store] locale` (the board's `ENGLISH` wording).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from kiosk.board.display_schedule import schedule_from_display
from kiosk.board.formatting import ENGLISH_FORMATS, MISSING, is_budget
from kiosk.board.model import MetricEntry, Scoreboard, ToWin
from kiosk.board.scoreboard import build_scoreboard
from kiosk.board.to_win import board_to_win, to_win_text
from kiosk.board.wording import entry_status_text, pace_text, used_pace_text, used_text
from kiosk.config import Config
from kiosk.demo.hooks import first_look
from kiosk.exits import EXIT_OK
from sync.clock import utc_now
from sync.store.quick_open import open_reader


def scoreboard(config: Config, args: argparse.Namespace) -> int:
    day = args.date or config.store.today()
    # Read with sqlite3 alone when the database needs nothing done (no SQLAlchemy to import).
    db = open_reader(config.database_path)
    try:
        with first_look(config, db) as (shown, note), shown.reading() as conn:
            board = build_scoreboard(conn, config.store.id, day)
    finally:
        db.dispose()
    if note:
        print(f"kiosk: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(board.as_json(), indent=2))
        return EXIT_OK
    hours = schedule_from_display(config.display, config.store.tz).hours
    wins = board_to_win(board.metrics, utc_now().astimezone(config.store.tz), day, hours)
    print(f"{config.store.name} ({config.store.id}), {day.isoformat()}")
    for line in scoreboard_lines(board, wins):
        print(f"  {line}")
    return EXIT_OK


def entry_columns(entry: MetricEntry, win: ToWin | None = None) -> list[str]:
    """One entry as the screen says it: value against goal, percent (or share of a budget
    used), status, and the pace or how to win."""
    fmt = ENGLISH_FORMATS
    actual = fmt.value(entry.actual, entry.unit, entry.decimals)
    if entry.target is None:
        return [actual, MISSING, "no goal", ""]
    goal = fmt.value(entry.target, entry.unit, entry.decimals)
    budget = is_budget(entry)
    if budget:
        against = f"{actual} of {goal} {'budget' if entry.aggregate == 'sum' else 'limit'}"
        share = used_text(entry)
    else:
        against = f"{actual} of {goal}"
        share = fmt.percent(entry.percent)
    note = ""
    if win is not None:
        note = to_win_text(win)
    elif entry.status != "met" and entry.pace is not None:
        note = used_pace_text(entry) if budget else pace_text(entry.pace)
    return [against, share, entry_status_text(entry), note]


def scoreboard_lines(board: Scoreboard, wins: Sequence[ToWin] = ()) -> list[str]:
    """The board as aligned text lines: the metric's name on its first period's line."""
    by_metric = {win.metric: win for win in wins}
    rows = []
    seen: set[str] = set()
    for entry in board.metrics:
        name = "" if entry.metric in seen else entry.label
        seen.add(entry.metric)
        win = by_metric.get(entry.metric) if entry.period == "day" else None
        rows.append([name, entry.period, *entry_columns(entry, win)])
    if not rows:
        return ["no metrics yet"]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
