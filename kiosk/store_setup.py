"""A store's config from the installer's example: the answers `kiosk init` asks for, checked
one by one, and the texts it writes (the config, with the template's comments kept, and the
environment file with the secrets). Plain Python: no prompts, no files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.config import MIN_SIGNATURE_SECRET_BYTES

TOKEN_VARIABLE = "HQ_FEED_TOKEN"
SECRET_VARIABLE = "HQ_FEED_SECRET"
HQ_TOKEN_VARIABLE = "KIOSK_HQ_TOKEN"  # the store's token for kiosk-hq ([hq] token_env)
# What a bearer token or an HMAC secret looks like (hex, base64, base64url, JWT): nothing that
# a shell (kiosk-admin sources the env file) or an HTTP header would take differently.
_SECRET_TEXT = re.compile(r"[A-Za-z0-9._~+/=-]+")
_STORE_ID = re.compile(r"[^\s,;\"']{1,64}")


class BadAnswer(Exception):
    """An answer that cannot be used; the message says what would fix it."""


@dataclass(frozen=True)
class StoreAnswers:
    store_id: str
    name: str
    timezone: str
    feed_urls: dict[str, str]  # feed name -> URL
    token: str
    secret: str
    pin: str
    hq_url: str = ""  # kiosk-hq's base URL; empty: no [hq] (no heartbeat, no uploads)
    hq_token: str = ""  # `kiosk-hq token STORE_ID` gives it


# --- checking answers -------------------------------------------------------------------


def check_store_id(text: str) -> str:
    if not _STORE_ID.fullmatch(text):
        raise BadAnswer("a store id is the store_id HQ's feeds use, e.g. S001 (no spaces)")
    return text


def check_timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadAnswer(
            f"{text!r} is not a time zone; use a name like America/Chicago or Europe/Paris"
        ) from None
    return text


def check_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadAnswer(f"{text!r} is not an http(s) URL, e.g. https://hq.example.com/feeds/")
    return text


def check_optional_url(text: str) -> str:
    return check_url(text) if text else text


def check_hq_token(text: str) -> str:
    if not text:
        raise BadAnswer("kiosk-hq takes nothing without the store's token; ask HQ for it")
    return check_secret(text)


def check_secret(text: str) -> str:
    if text and not _SECRET_TEXT.fullmatch(text):
        raise BadAnswer(
            "use letters, digits and . _ ~ + / = - only (as HQ gives it; no spaces or quotes)"
        )
    return text


def check_signature_secret(text: str) -> str:
    if text and len(text) < MIN_SIGNATURE_SECRET_BYTES:
        raise BadAnswer(f"a signature secret has at least {MIN_SIGNATURE_SECRET_BYTES} characters")
    return check_secret(text)


def feed_url(base: str, template_url: str) -> str:
    """`base` + the file name of the template's URL: .../feeds/ + metrics.csv."""
    return base.rstrip("/") + "/" + template_url.rsplit("/", 1)[-1]


def store_config_text(
    template: str,
    answers: StoreAnswers,
    *,
    state_dir: Path | None = None,
    log_dir: Path | None = None,
) -> str:
    """The template with the answers in, its comments kept (tomlkit)."""
    import tomlkit

    doc = tomlkit.parse(template)
    store = doc["store"]
    store["id"] = answers.store_id
    store["name"] = answers.name
    store["timezone"] = answers.timezone
    for feed in doc.get("feeds", []):
        feed["url"] = answers.feed_urls.get(feed["name"], feed["url"])
        if not answers.token:
            feed.pop("token_env", None)
        if not answers.secret:
            feed.pop("signature", None)
            feed.pop("signature_secret_env", None)
    if answers.hq_url:
        hq = doc.setdefault("hq", tomlkit.table())
        hq["url"] = answers.hq_url.rstrip("/")
        if answers.hq_token:
            hq["token_env"] = HQ_TOKEN_VARIABLE
        else:
            hq.pop("token_env", None)
    else:
        doc.pop("hq", None)  # no HQ service: nothing to send to
    moves = [("/var/lib/kiosk", state_dir), ("/var/log/kiosk", log_dir)]
    for table, key in (
        ("database", "path"),
        ("manager", "pin_file"),
        ("manager", "key_file"),
        ("logging", "dir"),
    ):
        if table in doc and key in doc[table]:
            value = str(doc[table][key])
            for old, new in moves:
                if new is not None and (value == old or value.startswith(old + "/")):
                    value = str(new) + value[len(old) :]
            doc[table][key] = value
    return tomlkit.dumps(doc)


def env_file_text(existing: str, answers: StoreAnswers) -> str:
    """The environment file with the token and the secret set (or removed when empty);
    other variables (an upload token...) kept."""
    values = {
        TOKEN_VARIABLE: answers.token,
        SECRET_VARIABLE: answers.secret,
        HQ_TOKEN_VARIABLE: answers.hq_token if answers.hq_url else "",
    }
    lines = [line for line in existing.splitlines() if line.partition("=")[0].strip() not in values]
    lines += [f"{name}={value}" for name, value in values.items() if value]
    return "\n".join(lines) + "\n"
