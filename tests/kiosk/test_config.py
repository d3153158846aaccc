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
        (["scoreboard", "--date", "9999-12-31"], "is out of range"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    path = write(tmp_path, GOOD)
    result = run_kiosk(*args, "--config", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


# --- [display] opening hours and burn-in, [celebration] ------------------------------------


def test_display_and_celebration_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.display.open_at is None and config.display.close_at is None  # always on
    assert config.display.off_mode == "black"
    assert (config.display.shift_pixels, config.display.shift_minutes) == (4, 10)
    assert config.celebration.sound is False  # quiet unless asked for
    assert config.celebration.confetti is True
    assert config.celebration.sound_file.name == "celebration.wav"
    assert config.celebration.sound_file.is_file()  # the bundled chime ships
    assert config.celebration.quiet_start is None


def test_opening_hours_quiet_window_and_sound_file(tmp_path: Path) -> None:
    import datetime as dt

    sound = tmp_path / "conf" / "sounds" / "ding.wav"
    sound.parent.mkdir(parents=True)
    sound.write_bytes(b"RIFF")
    text = GOOD + (
        '\n[display]\nopen = "07:00"\nclose = "01:30"\noff_mode = "clock"\n'
        "shift_pixels = 0\nshift_minutes = 5\n"
        '\n[celebration]\nsound = true\nsound_file = "sounds/ding.wav"\nvolume = 0.3\n'
        'quiet_start = "21:00"\nquiet_end = "08:00"\nconfetti = false\n'
    )
    config = load_config(write(tmp_path, text))
    assert (config.display.open_at, config.display.close_at) == (dt.time(7), dt.time(1, 30))
    assert config.display.off_mode == "clock"
    assert (config.display.shift_pixels, config.display.shift_minutes) == (0, 5)
    assert config.celebration.sound and not config.celebration.confetti
    assert config.celebration.sound_file == sound.resolve()
    assert config.celebration.volume == 0.3
    assert (config.celebration.quiet_start, config.celebration.quiet_end) == (
        dt.time(21),
        dt.time(8),
    )


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('[display]\nopen = "7am"\nclose = "22:00"', "[display] open: '7am' is not a time"),
        ('[display]\nopen = "07:00"', "[display] close: is required when open is given"),
        ('[display]\nclose = "22:00"', "[display] open: is required when close is given"),
        ('[display]\nopen = "07:00"\nclose = "07:00"', "[display] close: must differ from open"),
        ('[display]\noff_mode = "dim"', "[display] off_mode: must be one of black, clock"),
        ("[display]\nshift_pixels = 50", "[display] shift_pixels: must be at most 20"),
        ("[display]\nshift_minutes = 0", "[display] shift_minutes: must be at least 1"),
        ("[display]\nopening = 7", "[display] opening: unknown key"),
        ('[celebration]\nsound = "yes"', "[celebration] sound: must be true or false"),
        (
            '[celebration]\nsound = true\nsound_file = "nope.wav"',
            "[celebration] sound_file: file",
        ),
        ("[celebration]\nvolume = 2", "[celebration] volume: must be at most 1"),
        (
            '[celebration]\nquiet_start = "22:00"',
            "[celebration] quiet_end: is required when quiet_start is given",
        ),
        ('[celebration]\nquiet_start = "25:00"\nquiet_end = "07:00"', "[celebration] quiet_start"),
        ("[celebration]\nfireworks = true", "[celebration] fireworks: unknown key"),
    ],
)
def test_display_and_celebration_problems_name_their_key(
    tmp_path: Path, section: str, expected: str
) -> None:
    lines = problems(tmp_path, GOOD + "\n" + section + "\n")
    assert any(expected in line for line in lines), lines


# --- [hq]: the HQ service's base URL, its token, the heartbeat ------------------------------


def test_hq_defaults_and_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config(write(tmp_path, GOOD)).hq.url is None  # HQ off
    monkeypatch.setenv("KIOSK_HQ_TOKEN", "t0k-s3cret")
    text = GOOD + (
        '\n[hq]\nurl = "https://hq.example.com/kiosk-hq/"\ntoken_env = "KIOSK_HQ_TOKEN"\n'
        "heartbeat_minutes = 0.5\n"
    )
    hq = load_config(write(tmp_path, text)).hq
    assert hq.url == "https://hq.example.com/kiosk-hq"  # a path prefix is kept, "/" is not
    assert hq.token == "t0k-s3cret" and hq.heartbeat_minutes == 0.5
    assert "t0k" not in repr(hq)
    plain = load_config(write(tmp_path, GOOD + '\n[hq]\nurl = "http://127.0.0.1:8750"\n')).hq
    assert plain.heartbeat_minutes == 5 and plain.token is None


@pytest.mark.parametrize(
    ("hq", "expected"),
    [
        (  # the old key, pointing at a receiver of its own
            'upload_url = "https://hq.example.com/kiosk/uploads"',
            "[hq] upload_url: was replaced by url, the base URL of the HQ service (kiosk-hq): "
            'write url = "https://hq.example.com" instead (uploads go to <url>/api/v1/uploads, '
            "heartbeats to <url>/api/v1/heartbeat; see docs/hq.md)",
        ),
        (  # the old key, already pointing at kiosk-hq behind a path prefix
            'upload_url = "https://example.com:8443/hq/api/v1/uploads"',
            "[hq] upload_url: was replaced by url, the base URL of the HQ service (kiosk-hq): "
            'write url = "https://example.com:8443/hq" instead',
        ),
        ('url = "hq.example.com"', "[hq] url: 'hq.example.com' is not an http(s) URL with a host"),
        (
            'url = "https://hq.example.com/api/v1/heartbeat"',
            "[hq] url: 'https://hq.example.com/api/v1/heartbeat' is an API route: give the "
            'service\'s base URL (url = "https://hq.example.com")',
        ),
        (
            'url = "https://hq.example.com/?token=abc"',
            "[hq] url: 'https://hq.example.com/?token=abc': give the service's base URL only",
        ),
        ("heartbeat_minutes = 0", "[hq] heartbeat_minutes: must be at least 0.1, not 0"),
        ('heartbeat_minutes = "5"', "[hq] heartbeat_minutes: must be a number, not a string"),
        ('token = "a"\ntoken_env = "B"', "[hq] token: give either token or token_env, not both"),
        ('upload_token = "a"', "[hq] upload_token: unknown key"),
    ],
)
def test_hq_problems_name_their_key(tmp_path: Path, hq: str, expected: str) -> None:
    lines = problems(tmp_path, GOOD + f"\n[hq]\n{hq}\n")
    assert any(line.endswith(expected) or expected in line for line in lines), lines


def test_the_old_upload_url_exits_2_with_the_line_to_write(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD + '\n[hq]\nupload_url = "https://hq.example.com/kiosk/uploads"\ntoken = "t"\n',
    )
    result = run_kiosk("status", "--config", str(path), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"kiosk: config: {path}: [hq] upload_url: was replaced by url")
    assert 'write url = "https://hq.example.com" instead' in line


def test_the_store_speaks_english_unless_told(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, GOOD)).store.locale == "en_US"
    french = GOOD.replace(
        'timezone = "America/Chicago"', 'timezone = "America/Toronto"\nlocale = "fr_CA"'
    )
    assert load_config(write(tmp_path, french)).store.locale == "fr_CA"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"fr_FR"', "[store] locale: must be one of en_US, fr_CA, es_MX, de_DE, not 'fr_FR'"),
        ('"fr-CA"', "[store] locale: must be one of en_US, fr_CA, es_MX, de_DE, not 'fr-CA'"),
        ("1", "[store] locale: must be a string, not an integer"),
    ],
)
def test_an_unknown_locale_names_the_key_and_the_supported_ones(
    tmp_path: Path, value: str, expected: str
) -> None:
    text = GOOD.replace(
        'timezone = "America/Chicago"', f'timezone = "America/Chicago"\nlocale = {value}'
    )
    assert any(line.endswith(expected) for line in problems(tmp_path, text))
