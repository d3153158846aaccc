"""Config loading: every problem named by its key, relative paths, secrets from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, default_config_path, load_config

GOOD = """
[store]
id = "S001"
name = "Downtown"
timezone = "America/Chicago"

[database]
path = "var/kiosk.db"

[[feeds]]
name = "metrics"
kind = "metrics"
url = "feeds/metrics.csv"
every_minutes = 15

[[screens]]
name = "scoreboard"
seconds = 20
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return info.value.problems


def test_good_config_resolves_paths_against_the_config_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.store.id == "S001"
    assert config.database_path == (tmp_path / "conf" / "var" / "kiosk.db").resolve()
    assert config.feeds[0].url == str((tmp_path / "conf" / "feeds" / "metrics.csv").resolve())
    assert config.feeds[0].every_minutes == 15
    assert [s.name for s in config.screens] == ["scoreboard"]


def test_file_url_and_http_url(tmp_path: Path) -> None:
    text = GOOD.replace('url = "feeds/metrics.csv"', 'url = "file:///srv/feeds/m.csv"')
    text += '\n[[feeds]]\nname = "t"\nkind = "targets"\nurl = "https://hq.example.com/t.csv"\n'
    config = load_config(write(tmp_path, text))
    assert config.feeds[0].url == "/srv/feeds/m.csv"
    assert config.feeds[1].url == "https://hq.example.com/t.csv"
    assert config.feeds[1].is_http


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('id = "S001"', ""), "[store] id: is required"),
        (
            ('timezone = "America/Chicago"', 'timezone = "Mars/Olympus"'),
            "[store] timezone: 'Mars/Olympus' is not a known time zone",
        ),
        (
            ("every_minutes = 15", 'every_minutes = "often"'),
            "[[feeds]] #1 ('metrics') every_minutes: must be a number, not a string",
        ),
        (('kind = "metrics"', 'kind = "sales"'), "[[feeds]] #1 ('metrics') kind: must be one of"),
        (
            ('url = "feeds/metrics.csv"', 'url = "ftp://hq/m.csv"'),
            "[[feeds]] #1 ('metrics') url: 'ftp://hq/m.csv': unsupported URL scheme 'ftp'",
        ),
        (
            ('url = "feeds/metrics.csv"', 'url = "https:///m.csv"'),
            "url: 'https:///m.csv' is not a valid URL: it has no host",
        ),
        (
            ('name = "scoreboard"', 'name = "weather"'),
            "[[screens]] #1 name: unknown screen 'weather'",
        ),
        (('name = "scoreboard"', 'name = "entry"'), "[[screens]] #1 name: 'entry' opens by touch"),
        (("seconds = 20", 'seconds = 20\ncolour = "red"'), "[[screens]] #1 colour: unknown key"),
        (("[database]", "[databse]"), "[databse]: unknown section"),
    ],
)
def test_each_problem_names_its_key(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    lines = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in line for line in lines), lines


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('id = "S001"', "").replace('"America/Chicago"', '"Nowhere"')
    text = text.replace('name = "scoreboard"', 'name = "weather"')
    lines = problems(tmp_path, text)
    assert len(lines) == 3
    assert all(line.startswith(str(tmp_path / "conf" / "config.toml")) for line in lines)


def test_duplicate_feed_names(tmp_path: Path) -> None:
    text = GOOD + '\n[[feeds]]\nname = "metrics"\nkind = "targets"\nurl = "t.csv"\n'
    assert any("'metrics' is used by another feed" in p for p in problems(tmp_path, text))


def test_token_from_environment_never_in_repr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HQ_TOKEN", "s3cr3t-value")
    text = GOOD.replace("every_minutes = 15", 'every_minutes = 15\ntoken_env = "HQ_TOKEN"')
    config = load_config(write(tmp_path, text))
    assert config.feeds[0].auth is not None
    assert config.feeds[0].auth.bearer_token == "s3cr3t-value"
    assert "s3cr3t" not in repr(config)


def test_missing_token_variable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    text = GOOD.replace("every_minutes = 15", 'every_minutes = 15\ntoken_env = "NOPE_TOKEN"')
    assert any("environment variable NOPE_TOKEN is not set" in p for p in problems(tmp_path, text))


def test_not_toml(tmp_path: Path) -> None:
    lines = problems(tmp_path, "[store\nid=")
    assert len(lines) == 1 and "not valid TOML" in lines[0]


def test_config_path_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", "/etc/kiosk/a.toml")
    assert default_config_path("b.toml") == Path("b.toml")
    assert default_config_path(None) == Path("/etc/kiosk/a.toml")
    monkeypatch.delenv("KIOSK_CONFIG")
    assert default_config_path(None) == Path("config.toml")


def run_kiosk(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_bad_config_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD.replace('"America/Chicago"', '"Nowhere"').replace(
            'name = "scoreboard"', 'name = "weather"'
        ),
    )
    result = run_kiosk("status", "--config", str(path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "[store] timezone" in lines[0]
    assert "[[screens]] #1 name" in lines[1]


def test_kiosk_config_environment_variable_is_used(tmp_path: Path) -> None:
    import os

    path = write(tmp_path, GOOD.replace('"America/Chicago"', '"Nowhere"'))
    env = {**os.environ, "KIOSK_CONFIG": str(path)}
    result = run_kiosk("status", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "[store] timezone" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screenshot", "weather", "--out", "x.png"], "invalid choice: 'weather'"),
        (["screenshot", "scoreboard", "--out", "x.png", "--size", "big"], "is not a size"),
        (["scoreboard", "--date", "11/24/2026"], "is not a date in YYYY-MM-DD form"),
        (["scoreboard", "--date", "2026-02-30"], "is not a real date"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    path = write(tmp_path, GOOD)
    result = run_kiosk(*args, "--config", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
