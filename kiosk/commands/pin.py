"""`kiosk pin set`: read the manager PIN from stdin and store its salted hash.

At a terminal the PIN is asked twice without echo (getpass) and must match; piped in
(`echo 483920 | kiosk pin set`, a provisioning script), one line is read. The PIN is never
printed, logged or put in an error message.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import TYPE_CHECKING, TextIO

from kiosk.exits import EXIT_FAILED, EXIT_OK
from kiosk.manager.pin import PinError, WeakPinError, last_attempt_id, save_pin
from sync.store.db import open_database

if TYPE_CHECKING:
    import argparse

    from kiosk.config import Config

# Longer than any allowed PIN: stops a mistakenly piped file from being read whole.
_MAX_LINE = 256


class _Refused(Exception):
    """A reason to stop, already worded for the person at the terminal."""


def _read_interactive() -> str:
    # getpass reads the terminal itself (/dev/tty, or stdin when there is none) with echo off.
    try:
        first = getpass.getpass("New manager PIN (digits): ", stream=sys.stderr)
        second = getpass.getpass("Type it again: ", stream=sys.stderr)
    except EOFError:
        raise _Refused("no PIN given") from None
    if first != second:
        raise _Refused("the two PINs do not match; nothing was changed")
    return first


def _read_piped(stdin: TextIO) -> str:
    line = stdin.readline(_MAX_LINE)
    if not line:
        raise _Refused("no PIN on stdin (pipe one line with the digits)")
    # Only the line ending and surrounding blanks: anything else is for the policy to judge.
    return line.rstrip("\r\n").strip()


def set_pin_from_stdin(config: Config, *, stdin: TextIO | None = None) -> int:
    """Set the manager PIN from stdin; 0 and "PIN set" on success, 1 with a reason otherwise."""
    source = stdin if stdin is not None else sys.stdin
    try:
        interactive = source.isatty()
        pin = _read_interactive() if interactive else _read_piped(source)
        save_pin(
            config.manager,
            pin,
            dt.datetime.now(dt.UTC),
            last_attempt_id=_last_attempt_id(config),
        )
    except (_Refused, WeakPinError, PinError) as exc:
        print(f"kiosk: PIN not set: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        # The message names the file, never the PIN.
        where = exc.filename or config.manager.pin_file
        print(f"kiosk: PIN not set: cannot write {where}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print("PIN set")
    return EXIT_OK


def _last_attempt_id(config: Config) -> int | None:
    """The newest PIN attempt's id, so the new PIN ends a lockout whatever the clock said when
    those attempts were typed; None when the database cannot be read (then by time)."""
    try:
        db = open_database(config.database_path)
    except Exception:
        return None
    try:
        return last_attempt_id(db)
    finally:
        db.dispose()


def pin(config: Config, args: argparse.Namespace) -> int:
    """`kiosk pin set` (the only action so far)."""
    return set_pin_from_stdin(config)
