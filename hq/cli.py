"""`kiosk-hq`: serve the fleet service, or mint a store's upload token.

    kiosk-hq serve [--config PATH]
    kiosk-hq token STORE_ID [--config PATH]

Exit status: 0 ok, 1 a runtime failure (the database cannot be opened), 2 a bad argument or a
bad config, with one line per problem on stderr (as the kiosk does).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from hq import __version__
from hq.config import DEFAULT_CONFIG, ConfigError, HqConfig, load_config
from hq.status import utc_now
from hq.tokens import store_id_problem

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
PROG = "kiosk-hq"
log = logging.getLogger("hq")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints a usage block; the contract is one line per problem.
        print(f"{PROG}: error: {message} (see '{PROG} --help')", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="The HQ-side fleet service for the store kiosks.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    serve = commands.add_parser("serve", help="run the service (uvicorn) on [server] host:port")
    token = commands.add_parser(
        "token", help="print a new upload token for a store; its previous token stops working"
    )
    token.add_argument("store_id", metavar="STORE_ID")
    for command in (serve, token):
        command.add_argument(
            "--config",
            type=Path,
            default=DEFAULT_CONFIG,
            metavar="PATH",
            help=f"the config file (default: ./{DEFAULT_CONFIG})",
        )
    return parser


def setup_logging() -> None:
    # One line per event on stderr; under systemd, journald adds the time and keeps it.
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic says which plugins it loaded at every start: not a problem, not worth a line.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _serve(config: HqConfig) -> int:
    import uvicorn

    from hq.app import build_app

    app = build_app(config)
    shown_url = config.database_url.render_as_string(hide_password=True)
    log.info(
        "%s %s: http://%s:%d, database %s",
        PROG,
        __version__,
        config.server.host,
        config.server.port,
        shown_url,
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=config.server.host,
            port=config.server.port,
            proxy_headers=config.server.proxy_headers,
            forwarded_allow_ips=config.server.forwarded_allow_ips,
            access_log=config.server.access_log,
            log_config=None,  # keep the logging set up above
            server_header=False,
            date_header=False,  # the app sends Date itself (hq.app.ResponseHeaders)
            timeout_graceful_shutdown=10,
        )
    )
    server.run()
    return EXIT_OK if server.started else EXIT_FAILURE


def _token(config: HqConfig, store_id: str) -> int:
    from hq.store.database import open_database
    from hq.store.writes import mint_token

    db = open_database(config.database_url)
    try:
        token = mint_token(db, store_id, utc_now())
    finally:
        db.dispose()
    print(token)
    print(
        f"{PROG}: new upload token for store {store_id}; its previous token no longer works. "
        "Give it to the kiosk as its [hq] token (docs/hq.md).",
        file=sys.stderr,
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "token":
        problem = store_id_problem(args.store_id)
        if problem is not None:
            print(f"{PROG}: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    try:
        # Minting a token needs the database, not the admin password's environment.
        config = load_config(args.config, need_password=args.command == "serve")
    except ConfigError as exc:
        for line in exc.problems:
            print(f"{PROG}: config: {line}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging()
    try:
        if args.command == "serve":
            return _serve(config)
        return _token(config, args.store_id)
    except (SQLAlchemyError, OSError) as exc:
        # The database cannot be opened (PostgreSQL down, a read-only folder...): one line.
        # The URL is not repeated: it may hold a password.
        first = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        print(f"{PROG}: error: {first}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
