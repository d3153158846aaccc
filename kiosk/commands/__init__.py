"""What each `kiosk` command does once its arguments are parsed: one module per command.

`dispatch` imports only the module of the command asked for, so `kiosk status` never loads Qt
and `kiosk scoreboard` never loads the scheduler.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from kiosk.config import Config, default_config_path, load_config
from kiosk.exits import EXIT_FAILED
from kiosk.logs import setup_logging
from sync.store.recovery import DatabaseDamaged, describe_db_error

log = logging.getLogger(__name__)

Handler = Callable[[Config, argparse.Namespace], int]


def handler_for(command: str) -> Handler:
    """The function of `command`; each takes (config, args) and returns the exit code."""
    if command == "run":
        from kiosk.commands.run import run

        return run
    if command == "sync":
        from kiosk.commands.sync_feeds import sync_feeds

        return sync_feeds
    if command == "status":
        from kiosk.commands.status import status

        return status
    if command == "scoreboard":
        from kiosk.commands.scoreboard import scoreboard

        return scoreboard
    if command == "screenshot":
        from kiosk.commands.screenshot import screenshot

        return screenshot
    if command == "pin":
        from kiosk.commands.pin import pin

        return pin
    if command == "repair":
        from kiosk.commands.repair import repair

        return repair
    if command == "doctor":
        from kiosk.commands.doctor import doctor

        return doctor
    raise ValueError(f"no handler for command {command!r}")


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "feeds":
        # An HQ analyst checking a file may have no kiosk config at all: it loads its own.
        from kiosk.commands.feeds_check import feeds_check

        return feeds_check(args)
    if args.command == "init":
        # It writes the config, so it cannot start by reading one.
        from kiosk.commands.init import init

        return init(args)
    config = load_config(default_config_path(args.config))
    long_running = args.command in ("run", "sync") and not getattr(args, "once", False)
    setup_logging(
        config.logging,
        console_level="INFO" if long_running else "ERROR",
        console_tracebacks=long_running,
    )
    try:
        return handler_for(args.command)(config, args)
    except DatabaseDamaged as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        # A full or read-only disk, a replaced database: one line naming the cause, never a
        # traceback at the terminal (the log file keeps it).
        known = describe_db_error(exc, config.database_path)
        if known is None:
            raise
        log.error("%s", known, exc_info=exc)
        return EXIT_FAILED
