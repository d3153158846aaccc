"""`kiosk init` (what `sudo kiosk-admin setup` runs): from the example config to this store's,
answers piped in as a provisioning script would (issue 14, item 6)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.manager.pin import PinStore
from sync.store.db import open_database
from tests import configs

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "deploy" / "config.example.toml"
FEEDS = ("stores", "catalog", "metrics", "targets", "comments", "messages")
TOKEN = "tok_3f9a8b7c6d5e4f3a2b1c"
SECRET = "c2VjcmV0LXNpZ25pbmcta2V5LWZyb20taHE="


def answers(
    *,
    store: str = "S042",
    name: str = "Uptown",
    zone: str = "Europe/Paris",
    base: str = "https://feeds.hq.example.org/v1/",
    urls: dict[str, str] | None = None,
    token: str = TOKEN,
    secret: str = SECRET,
    hq_url: str = "",
    hq_token: str = "",
    pin: str = "483920",
) -> str:
    lines = [store, name, zone, base]
    lines += [(urls or {}).get(feed, "") for feed in FEEDS]  # empty: the URL from the base
    lines += [token, secret, hq_url] + ([hq_token] if hq_url else []) + [pin]
    return "\n".join(lines) + "\n"


def init(folder: Path, stdin: str, *extra: str):
    return configs.run_kiosk(
        "init",
        "--config",
        str(folder / "etc" / "config.toml"),
        "--template",
        str(TEMPLATE),
        "--state-dir",
        str(folder / "state"),
        "--log-dir",
        str(folder / "log"),
        *extra,
        cwd=folder,
        stdin=stdin,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_store_is_set_up_from_piped_answers(tmp_path: Path, monkeypatch) -> None:
    special = "https://other.example.org/messages.json"
    result = init(tmp_path, answers(urls={"messages": special}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path}/etc/config.toml: store S042 (Uptown), Europe/Paris, 6 feeds from "
        "feeds.hq.example.org, other.example.org",
        f"wrote {tmp_path}/etc/kiosk.env (mode 0600): the feed token, the signature secret",
        "PIN set",
    ]
    for secret in (TOKEN, SECRET, "483920"):
        assert secret not in result.stdout + result.stderr

    config_path = tmp_path / "etc" / "config.toml"
    env_path = tmp_path / "etc" / "kiosk.env"
    assert mode(config_path) == 0o640 and mode(env_path) == 0o600
    text = config_path.read_text()
    assert TOKEN not in text and SECRET not in text  # secrets only in the env file
    assert "# /etc/kiosk/config.toml for a store kiosk" in text  # the template's comments kept
    assert env_path.read_text().splitlines() == [
        f"HQ_FEED_TOKEN={TOKEN}",
        f"HQ_FEED_SECRET={SECRET}",
    ]

    # What the service will read, with the env file's variables (as systemd passes them).
    monkeypatch.setenv("HQ_FEED_TOKEN", TOKEN)
    monkeypatch.setenv("HQ_FEED_SECRET", SECRET)
    config = load_config(config_path)
    assert (config.store.id, config.store.name, config.store.timezone) == (
        "S042",
        "Uptown",
        "Europe/Paris",
    )
    urls = {spec.name: spec.url for spec in config.feeds}
    assert urls["metrics"] == "https://feeds.hq.example.org/v1/metrics.csv"
    assert urls["messages"] == special
    assert all(spec.auth is not None and spec.auth.bearer_token == TOKEN for spec in config.feeds)
    assert all(spec.signature is not None for spec in config.feeds)
    assert config.database_path == tmp_path / "state" / "kiosk.db"
    assert config.logging.dir == tmp_path / "log"
    db = open_database(config.database_path)
    try:
        store = PinStore(config.manager, db)
        assert store.verify("483920").ok
    finally:
        db.dispose()


def test_a_store_that_reports_to_kiosk_hq(tmp_path: Path) -> None:
    result = init(tmp_path, answers(hq_url="https://fleet.hq.example.org/", hq_token="hq-tok-9"))
    assert result.returncode == 0, result.stderr
    env = (tmp_path / "etc" / "kiosk.env").read_text()
    assert "KIOSK_HQ_TOKEN=hq-tok-9" in env.splitlines()
    for name, value in (line.split("=", 1) for line in env.splitlines() if line):
        os.environ[name] = value
    try:
        config = load_config(tmp_path / "etc" / "config.toml")
    finally:
        for line in env.splitlines():
            os.environ.pop(line.partition("=")[0], None)
    assert (config.hq.url, config.hq.token) == ("https://fleet.hq.example.org", "hq-tok-9")
    assert "hq-tok-9" not in (tmp_path / "etc" / "config.toml").read_text()


def test_without_token_or_secret_the_feeds_are_plain(tmp_path: Path) -> None:
    result = init(tmp_path, answers(token="", secret=""))
    assert result.returncode == 0, result.stderr
    assert "no feed token, no signature secret (unsigned feeds)" in result.stdout
    config = load_config(tmp_path / "etc" / "config.toml")  # no variables needed
    assert all(spec.auth is None and spec.signature is None for spec in config.feeds)
    assert config.hq.url is None  # no kiosk-hq given: no [hq] section
    assert (tmp_path / "etc" / "kiosk.env").read_text() == "\n"


@pytest.mark.parametrize(
    ("bad", "line", "says"),
    [
        (answers(zone="Mars/Olympus_Mons"), 3, "'Mars/Olympus_Mons' is not a time zone"),
        (answers(store="S 42"), 1, "no spaces"),
        (answers(base="hq.example.org/feeds"), 4, "is not an http(s) URL"),
        (answers(token="abc def"), 11, "no spaces or quotes"),
        (answers(secret="short"), 12, "at least 16 characters"),
        (answers(hq_url="hq.example.org"), 13, "is not an http(s) URL"),
        (answers(hq_url="https://hq.example.org", hq_token=""), 14, "an answer is needed"),
        (answers(pin="1234"), 14, "run in order"),
    ],
)
def test_a_bad_answer_stops_it_and_writes_nothing(tmp_path: Path, bad, line, says) -> None:
    result = init(tmp_path, bad)
    assert result.returncode == 2
    assert result.stderr.startswith(f"kiosk: nothing written: line {line} (")
    assert says in result.stderr
    assert not (tmp_path / "etc").exists() and not (tmp_path / "state").exists()


def test_too_few_answers_say_which_question_was_left(tmp_path: Path) -> None:
    result = init(tmp_path, "S042\nUptown\n")
    assert result.returncode == 2
    assert "no answer to 'Time zone" in result.stderr
    assert not (tmp_path / "etc").exists()


def test_an_edited_config_is_replaced_only_with_force(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    edited = tmp_path / "etc" / "config.toml"
    edited.write_text('[store]\nid = "S001"\ntimezone = "UTC"\n')
    refused = init(tmp_path, answers())
    assert refused.returncode == 2 and "pass --force" in refused.stderr
    assert edited.read_text() == '[store]\nid = "S001"\ntimezone = "UTC"\n'

    forced = init(tmp_path, answers(), "--force")
    assert forced.returncode == 0, forced.stderr
    assert 'id = "S042"' in edited.read_text()
    assert (tmp_path / "etc" / "config.toml.bak").read_text().startswith('[store]\nid = "S001"')


def test_the_installers_untouched_example_is_replaced_without_force(tmp_path: Path) -> None:
    """install.sh copies the example to /etc/kiosk/config.toml; setup then fills it in."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "config.toml").write_text(TEMPLATE.read_text())
    (tmp_path / "etc" / "kiosk.env").write_text("HQ_FEED_TOKEN=old\nHQ_UPLOAD_TOKEN=keep-me\n")
    result = init(tmp_path, answers())
    assert result.returncode == 0, result.stderr
    env = (tmp_path / "etc" / "kiosk.env").read_text().splitlines()
    assert env == ["HQ_UPLOAD_TOKEN=keep-me", f"HQ_FEED_TOKEN={TOKEN}", f"HQ_FEED_SECRET={SECRET}"]
    assert os.access(tmp_path / "state" / "manager-pin.json", os.R_OK)
