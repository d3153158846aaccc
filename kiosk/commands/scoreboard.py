"""`kiosk scoreboard [--json] [--date D]`: the model the screen renders, as JSON or text."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.board.formatting import format_value
from kiosk.board.scoreboard import build_scoreboard
from kiosk.config import Config
from kiosk.demo.hooks import first_look
from kiosk.exits import EXIT_OK
from sync.store.db import open_database


def scoreboard(config: Config, args: argparse.Namespace) -> int:
    day = args.date or config.store.today()
    db = open_database(config.database_path)
    try:
        with first_look(config, db) as (shown, note), shown.read() as session:
            board = build_scoreboard(session, config.store.id, day)
    finally:
        db.dispose()
    if note:
        print(f"kiosk: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(board.as_json(), indent=2))
        return EXIT_OK
    print(f"{config.store.name} ({config.store.id}), {day.isoformat()}")
    for m in board.metrics:
        actual = format_value(m.actual, m.unit, m.decimals)
        goal = format_value(m.target, m.unit, m.decimals) if m.target is not None else "no goal"
        pct = f"{m.percent:.1f}%" if m.percent is not None else "-"
        pace = f"pace {m.pace:.1f}%" if m.pace is not None else ""
        print(
            f"  {m.label:<24} {m.period:<5} {actual:>12} / {goal:<12} {pct:>7} "
            f"{(m.status or '-'):<8} {pace}"
        )
    return EXIT_OK
