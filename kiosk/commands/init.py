"""`kiosk init`: from the demo (or the installer's example) to this store's config.

It asks, one answer a line, for the store id and name, its time zone, where HQ publishes the
feeds and the token and signature secret that go with them, and the manager PIN; it writes
the config from a template (`deploy/config.example.toml`: absolute paths under /var/lib/kiosk
and /var/log/kiosk, every feed signed), keeping its comments, checks it exactly as `kiosk
run` will (`load_config`), and only then replaces the old one. The token and the secret go
to an environment file (`--env-file`, mode 0600; systemd reads it, `kiosk-admin` too), never
into the config. Then it sets the PIN.

At a terminal each question shows its default in brackets and a bad answer is asked again;
the token, the secret and the PIN are typed without echo. Piped (`kiosk init < answers`), the
answers are read in order, an empty line takes the default, and a bad answer stops it (exit
2) naming the line. Nothing is written until every answer is good.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from kiosk.config import ConfigError, default_config_path, load_config
from kiosk.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from kiosk.manager.pin import PinError, WeakPinError, check_pin_policy, save_pin
from kiosk.store_setup import (
    HQ_TOKEN_VARIABLE,
    SECRET_VARIABLE,
    TOKEN_VARIABLE,
    BadAnswer,
    StoreAnswers,
    check_hq_token,
    check_optional_url,
    check_secret,
    check_signature_secret,
    check_store_id,
    check_timezone,
    check_url,
    env_file_text,
    feed_url,
    store_config_text,
)

if TYPE_CHECKING:
    import argparse

_MAX_LINE = 4096  # longer than any answer: a file piped by mistake is not read whole

TEMPLATE_NAME = "config.example.toml"


class _NoMoreAnswers(Exception):
    pass


# --- asking -----------------------------------------------------------------------------


class Asker:
    """Questions on stderr and answers from `stdin`: re-asked at a terminal, fatal piped."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin
        self._interactive = stdin.isatty()
        self._line = 0

    def ask(
        self,
        question: str,
        default: str | None = None,
        check: Callable[[str], str] = str,
        *,
        secret: bool = False,
    ) -> str:
        shown = f"{question} [{default}]: " if default else f"{question}: "
        for _attempt in range(5 if self._interactive else 1):
            answer = self._read(shown, secret=secret)
            if not answer and default is not None:
                answer = default
            try:
                if not answer and default is None:
                    raise BadAnswer("an answer is needed")
                return check(answer)
            except BadAnswer as exc:
                if not self._interactive:
                    raise BadAnswer(f"line {self._line} ({question}): {exc}") from None
                print(f"  {exc}", file=sys.stderr)
        raise BadAnswer(f"{question}: no usable answer")

    def ask_pin(self, min_length: int) -> str:
        def policy(pin: str) -> str:
            try:
                check_pin_policy(pin, min_length)
            except WeakPinError as exc:
                raise BadAnswer(str(exc)) from None
            return pin

        pin = self.ask("Manager PIN (digits)", None, policy, secret=True)
        if self._interactive and self._read("Type it again: ", secret=True) != pin:
            raise BadAnswer("the two PINs do not match")
        return pin

    def _read(self, prompt: str, *, secret: bool) -> str:
        self._line += 1
        if self._interactive:
            if secret:
                try:
                    return getpass.getpass(prompt, stream=sys.stderr).strip()
                except EOFError:
                    raise _NoMoreAnswers(prompt) from None
            print(prompt, end="", file=sys.stderr, flush=True)
        line = self._stdin.readline(_MAX_LINE)
        if not line:
            raise _NoMoreAnswers(prompt)
        return line.strip()


def system_timezone() -> str | None:
    """The machine's zone name (/etc/localtime's link), the default answer."""
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


def ask_everything(asker: Asker, feeds: list[dict[str, Any]], min_pin: int) -> StoreAnswers:
    store_id = asker.ask("Store id (its store_id in HQ's feeds)", None, check_store_id)
    name = asker.ask("Store name on the screen", store_id)
    zone = asker.ask("Time zone", system_timezone(), check_timezone)
    base = asker.ask("Where HQ publishes the feeds (a base URL)", None, check_url)
    urls: dict[str, str] = {}
    for feed in feeds:
        urls[feed["name"]] = asker.ask(
            f"  {feed['name']} feed URL", feed_url(base, feed["url"]), check_url
        )
    token = asker.ask("HQ feed token (empty: none)", "", check_secret, secret=True)
    secret = asker.ask(
        "Feed signature secret from HQ (empty: feeds are not signed)",
        "",
        check_signature_secret,
        secret=True,
    )
    hq_url = asker.ask(
        "HQ's fleet service, kiosk-hq (a base URL; empty: none)", "", check_optional_url
    )
    hq_token = ""
    if hq_url:
        hq_token = asker.ask(
            f"Its token for this store (`kiosk-hq token {store_id}` prints one)",
            None,
            check_hq_token,
            secret=True,
        )
    pin = asker.ask_pin(min_pin)
    return StoreAnswers(store_id, name, zone, urls, token, secret, pin, hq_url, hq_token)


# --- writing ------------------------------------------------------------------------------


def write_atomically(path: Path, text: str, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_template() -> Path | None:
    """deploy/config.example.toml of the checkout this package runs from (an editable
    install); an installed copy passes --template (kiosk-admin setup does)."""
    here = Path(__file__).resolve().parents[2] / "deploy" / TEMPLATE_NAME
    return here if here.is_file() else None


def default_env_file(config_path: Path) -> Path:
    return config_path.parent / "kiosk.env"


def init(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """`kiosk init`: see the module docstring."""
    source = stdin if stdin is not None else sys.stdin
    config_path = default_config_path(args.config)
    template_path = Path(args.template) if args.template else default_template()
    if template_path is None or not template_path.is_file():
        print(f"kiosk: no config template at {template_path}: pass --template", file=sys.stderr)
        return EXIT_USAGE
    env_path = Path(args.env_file) if args.env_file else default_env_file(config_path)
    template = template_path.read_text(encoding="utf-8")
    if config_path.exists() and not args.force:
        current = config_path.read_text(encoding="utf-8", errors="replace")
        if current != template:
            print(
                f"kiosk: {config_path} exists and is not the untouched example: "
                "pass --force to replace it (the old one is kept as .bak)",
                file=sys.stderr,
            )
            return EXIT_USAGE

    import tomlkit

    feeds = [dict(feed) for feed in tomlkit.parse(template).get("feeds", [])]
    try:
        answers = ask_everything(Asker(source), feeds, _min_pin_length(template))
    except BadAnswer as exc:
        print(f"kiosk: nothing written: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except _NoMoreAnswers as exc:
        print(f"kiosk: nothing written: no answer to {str(exc).strip()!r}", file=sys.stderr)
        return EXIT_USAGE

    text = store_config_text(
        template,
        answers,
        state_dir=Path(args.state_dir) if args.state_dir else None,
        log_dir=Path(args.log_dir) if args.log_dir else None,
    )
    try:
        config = _validated(text, config_path, answers)
    except ConfigError as exc:
        for line in exc.problems:
            print(f"kiosk: config: {line}", file=sys.stderr)
        print("kiosk: nothing written", file=sys.stderr)
        return EXIT_USAGE
    try:
        if config_path.exists():
            backup = config_path.with_name(config_path.name + ".bak")
            backup.write_bytes(config_path.read_bytes())
        write_atomically(config_path, text, 0o640)
        existing = env_path.read_text(encoding="utf-8") if env_path.exists() else ""
        write_atomically(env_path, env_file_text(existing, answers), 0o600)
        save_pin(config.manager, answers.pin, dt.datetime.now(dt.UTC))
    except (OSError, PinError) as exc:
        where = getattr(exc, "filename", None) or ""
        print(f"kiosk: setup failed: {where} {getattr(exc, 'strerror', exc)}", file=sys.stderr)
        return EXIT_FAILED
    hosts = sorted({urlsplit(url).hostname or "?" for url in answers.feed_urls.values()})
    print(
        f"wrote {config_path}: store {answers.store_id} ({answers.name}), {answers.timezone}, "
        f"{len(config.feeds)} feeds from {', '.join(hosts)}"
    )
    token = "the feed token" if answers.token else "no feed token"
    signed = "the signature secret" if answers.secret else "no signature secret (unsigned feeds)"
    print(f"wrote {env_path} (mode 0600): {token}, {signed}")
    print("PIN set")
    return EXIT_OK


def _min_pin_length(template: str) -> int:
    import tomlkit

    from kiosk.config import ManagerConfig

    manager = tomlkit.parse(template).get("manager", {})
    return int(manager.get("min_pin_length", ManagerConfig.min_pin_length))


def _validated(text: str, config_path: Path, answers: StoreAnswers) -> Any:
    """`load_config` on the new text, as `kiosk run` will read it: in the config's folder (its
    relative paths), with the secrets in the environment the service will have."""
    config_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=config_path.parent, prefix=".check.", suffix=".toml")
    names = (TOKEN_VARIABLE, SECRET_VARIABLE, HQ_TOKEN_VARIABLE)
    saved = {name: os.environ.get(name) for name in names}
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.environ[TOKEN_VARIABLE] = answers.token
        os.environ[SECRET_VARIABLE] = answers.secret
        os.environ[HQ_TOKEN_VARIABLE] = answers.hq_token
        return load_config(Path(tmp))
    finally:
        Path(tmp).unlink(missing_ok=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
