"""`kiosk screenshot SCREEN --out FILE.png`: one screen rendered offscreen to PNG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.board.snapshot import load_snapshot
from kiosk.config import Config
from kiosk.demo.hooks import first_look
from kiosk.exits import EXIT_FAILED, EXIT_OK, UsageError
from sync.clock import utc_now
from sync.store.quick_open import open_reader


def screenshot(config: Config, args: argparse.Namespace) -> int:
    day = args.date or config.store.today()
    # Read with sqlite3 alone when the database needs nothing done (no SQLAlchemy to import).
    db = open_reader(config.database_path)
    try:
        with first_look(config, db) as (shown, note):
            snapshot = load_snapshot(shown, config, day, utc_now())
    finally:
        db.dispose()
    if note:
        print(f"kiosk: {note}", file=sys.stderr)

    from kiosk.ui.render import save_png  # Qt: only this command pays for it

    width, height = args.size
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk: cannot create {out.parent}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    try:
        saved = save_png(
            args.screen,
            snapshot,
            width,
            height,
            str(out),
            max(0, args.page - 1),
            locale=config.store.locale,  # the picture is the store's screen, in its language
        )
    except ValueError as exc:  # a page the screen does not have
        raise UsageError(str(exc)) from None
    if not saved:
        print(f"kiosk: cannot write {out}", file=sys.stderr)
        return EXIT_FAILED
    print(out)
    return EXIT_OK
