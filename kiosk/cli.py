"""The `kiosk` command line: argument parsing and dispatch.

Commands import what they need lazily, so `kiosk status` never pays for Qt and `kiosk
screenshot` never pays for the scheduler. Exit codes follow docs/cli.md: 2 for a bad config or a
bad argument, with one line per problem on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from kiosk import __version__
from kiosk.config import ALL_SCREENS, ConfigError
from kiosk.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError

# ASCII digits only: `\d` would also take fullwidth or Arabic-Indic digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SIZE = re.compile(r"([0-9]{2,5})x([0-9]{2,5})")
MIN_SIDE, MAX_SIDE = 64, 8192
DEFAULT_SIZE = "1920x1080"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block; the contract wants one line per problem.
        print(f"kiosk: error: {message} (see 'kiosk --help')", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parse_date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a real date") from None
    from sync.parse.fields import MAX_DATE, MIN_DATE

    if not MIN_DATE <= day <= MAX_DATE:  # the feeds' own bounds; week maths near date.max fail
        raise argparse.ArgumentTypeError(
            f"{value!r} is out of range ({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})"
        )
    return day


def parse_encoding(value: str) -> str:
    import codecs

    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a known text encoding (e.g. cp1250, cp1251)"
        ) from None


def parse_size(value: str) -> tuple[int, int]:
    match = _SIZE.fullmatch(value.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size like 1920x1080")
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise argparse.ArgumentTypeError(
            f"{value!r}: width and height must be between {MIN_SIDE} and {MAX_SIDE}"
        )
    return width, height


def _config_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (default: $KIOSK_CONFIG, then ./config.toml)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Store scoreboard kiosk.")
    _config_option(parser, None)
    # Sub-commands take --config too; SUPPRESS keeps their unset default from overwriting a
    # --config given before the command name (an argparse quirk).
    common = argparse.ArgumentParser(add_help=False)
    _config_option(common, argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    run = sub.add_parser("run", parents=[common], help="the kiosk, fullscreen, syncing on schedule")
    run.add_argument("--windowed", action="store_true", help="a normal window (development)")

    sync = sub.add_parser("sync", parents=[common], help="pull HQ feeds")
    sync.add_argument("--once", action="store_true", help="pull every feed once and exit")

    status = sub.add_parser("status", parents=[common], help="per-feed sync status")
    status.add_argument("--json", action="store_true")

    # SCREEN, --out, --date, --size and --page are taken as text here and checked together in
    # `check_arguments`, so that every bad one gets its line (argparse stops at the first).
    board = sub.add_parser("scoreboard", parents=[common], help="the scoreboard model")
    board.add_argument("--json", action="store_true")
    board.add_argument("--date", metavar="YYYY-MM-DD")

    shot = sub.add_parser("screenshot", parents=[common], help="render one screen to PNG")
    shot.add_argument("screen", metavar="SCREEN", help=f"one of {', '.join(ALL_SCREENS)}")
    shot.add_argument("--out", metavar="FILE.png", help="the PNG file to write (required)")
    shot.add_argument("--size", default=DEFAULT_SIZE, metavar="WxH")
    shot.add_argument("--date", metavar="YYYY-MM-DD")
    shot.add_argument(
        "--page", default="1", metavar="N", help="which page of a screen that pages (default 1)"
    )

    feeds = sub.add_parser("feeds", parents=[common], help="work with feed files")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", parser_class=_Parser)
    feeds_sub.required = True
    check = feeds_sub.add_parser(
        "check", parents=[common], help="validate a feed before publishing it"
    )
    check.add_argument("source", metavar="PATH_OR_URL")
    from sync.spec import FEED_KINDS

    check.add_argument("--kind", required=True, choices=FEED_KINDS)
    check.add_argument("--format", choices=("csv", "json"))
    check.add_argument("--decimal", choices=(".", ","), default=".")
    check.add_argument(
        "--encoding",
        metavar="CODEC",
        help="the code page of a file that is not UTF-8 (default Windows-1252), e.g. cp1250",
    )
    check.add_argument("--store", metavar="ID", help="preview what this store's kiosk keeps")
    check.add_argument(
        "--stores",
        metavar="PATH_OR_URL",
        help="the stores feed that gives --store its region",
    )

    sub.add_parser(
        "repair",
        parents=[common],
        help="check the database and rebuild it if damaged (with the kiosk stopped)",
    )

    init = sub.add_parser(
        "init", parents=[common], help="this store's config, secrets and PIN (asked on stdin)"
    )
    init.add_argument("--template", metavar="PATH", help="default: deploy/config.example.toml")
    init.add_argument("--env-file", metavar="PATH", help="default: kiosk.env beside the config")
    init.add_argument("--state-dir", metavar="DIR", help="instead of /var/lib/kiosk")
    init.add_argument("--log-dir", metavar="DIR", help="instead of /var/log/kiosk")
    init.add_argument("--force", action="store_true", help="replace a config that was edited")

    sub.add_parser("doctor", parents=[common], help="check what breaks in the field: a checklist")

    pin = sub.add_parser("pin", parents=[common], help="the manager PIN")
    pin_sub = pin.add_subparsers(dest="pin_command", metavar="ACTION", parser_class=_Parser)
    pin_sub.required = True
    pin_sub.add_parser("set", parents=[common], help="set the PIN (read from stdin)")
    return parser


def _check(problems: list[str], name: str, value: str, parse: Callable[[str], object]) -> object:
    try:
        return parse(value)
    except argparse.ArgumentTypeError as exc:
        problems.append(f"argument {name}: {exc}")
        return None


def _page(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def check_arguments(args: argparse.Namespace) -> list[str]:
    """Convert the arguments argparse took as text (dates, sizes, the screen name) in place;
    one line per bad one. Problems argparse finds itself still stop it at the first."""
    problems: list[str] = []
    if args.command == "screenshot":
        if args.screen not in ALL_SCREENS:
            choices = ", ".join(repr(name) for name in ALL_SCREENS)
            problems.append(
                f"argument SCREEN: invalid choice: {args.screen!r} (choose from {choices})"
            )
        if args.out is None:
            problems.append("the following arguments are required: --out")
        args.size = _check(problems, "--size", args.size, parse_size)
        args.page = _check(problems, "--page", args.page, _page)
    if args.command == "feeds" and getattr(args, "encoding", None) is not None:
        args.encoding = _check(problems, "--encoding", args.encoding, parse_encoding)
    if args.command in ("scoreboard", "screenshot") and args.date is not None:
        args.date = _check(problems, "--date", args.date, parse_date)
    return problems


def _config_problems(args: argparse.Namespace) -> list[str]:
    """The config's problems too, when the arguments are already bad: one run shows them all."""
    from kiosk.config import default_config_path, load_config

    try:
        load_config(default_config_path(args.config))
    except ConfigError as exc:
        return exc.problems
    return []


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problems = check_arguments(args)
    if problems:
        for line in problems:
            print(f"kiosk: error: {line} (see 'kiosk --help')", file=sys.stderr)
        for line in _config_problems(args):
            print(f"kiosk: config: {line}", file=sys.stderr)
        return EXIT_USAGE
    from kiosk import commands

    try:
        return commands.dispatch(args)
    except ConfigError as exc:
        for line in exc.problems:
            print(f"kiosk: config: {line}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"kiosk: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line here, the traceback in the log file
        logging.getLogger("kiosk").error("internal error: %r", exc, exc_info=exc)
        return EXIT_FAILED
    except BrokenPipeError:
        # `kiosk scoreboard | head`: the reader left. Point stdout at /dev/null so Python's
        # final flush does not print a traceback (the recipe in the signal module's docs).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
