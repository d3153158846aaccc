"""hq.toml: defaults, relative paths, the database URL, the admin password's sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from hq.config import ConfigError, load_config


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hq.toml"
    path.write_text(text, encoding="utf-8")
    return path


ADMIN = '[admin]\nusername = "ops"\npassword = "long-enough"\n'


def test_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "etc", ADMIN))
    assert (config.server.host, config.server.port) == ("127.0.0.1", 8750)
    assert config.database_url.drivername == "sqlite"
    assert config.database_url.database == str((tmp_path / "etc" / "hq.db").resolve())
    assert config.fleet.stale_after_minutes == 10
    assert config.limits.requests_per_minute == 120
    assert (config.limits.upload_bytes, config.limits.heartbeat_bytes) == (65536, 262144)


def test_a_relative_sqlite_path_is_the_config_folders_not_the_working_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "etc" / "hq", ADMIN + '[database]\nurl = "sqlite:///var/hq.db"\n')
    config = load_config(path)
    assert config.database_url.database == str(tmp_path / "etc" / "hq" / "var" / "hq.db")


def test_postgresql_urls_use_psycopg_3(tmp_path: Path) -> None:
    path = write(tmp_path, ADMIN + '[database]\nurl = "postgresql://hq@/kiosk_hq"\n')
    assert load_config(path).database_url.drivername == "postgresql+psycopg"
    path = write(tmp_path, ADMIN + '[database]\nurl = "postgresql+psycopg2://hq@/kiosk_hq"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.problems == [
        "[database] url: use the psycopg driver (postgresql+psycopg://), not psycopg2"
    ]


def test_a_bad_url_is_reported_without_repeating_it(tmp_path: Path) -> None:
    path = write(tmp_path, ADMIN + '[database]\nurl = "://hq:s3cret-pw@nowhere"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "s3cret-pw" not in str(error.value)
    assert error.value.problems[0].startswith("[database] url: is not a database URL")


def test_the_password_comes_from_the_environment_only_when_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[admin]\nusername = "ops"\npassword_env = "HQ_TEST_PASSWORD"\n')
    monkeypatch.delenv("HQ_TEST_PASSWORD", raising=False)
    assert load_config(path, need_password=False).admin.password is None  # kiosk-hq token
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.problems == [
        "[admin] password_env: the environment variable HQ_TEST_PASSWORD is not set"
    ]
    monkeypatch.setenv("HQ_TEST_PASSWORD", "from-the-environment")
    assert load_config(path).admin.password == "from-the-environment"
    assert "from-the-environment" not in repr(load_config(path))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "[admin]: section is required (username, and password_env or password)"),
        ('[admin]\nusername = "ops"\n', "[admin] password_env: is required"),
        (
            '[admin]\nusername = "ops"\npassword = "short"\n',
            "[admin] password: must be at least 8 characters",
        ),
        (ADMIN + "[limits]\nupload_bytes = 10\n", "[limits] upload_bytes: must be between"),
        (ADMIN + '[fleet]\ntimezone = "Mars/Base"\n', "[fleet] timezone: 'Mars/Base' is not"),
        (ADMIN + "[metrics]\n", "[metrics]: unknown section"),
        ("server = 3\n" + ADMIN, "[server]: must be a table"),
        (ADMIN + '[database]\nurl = "sqlite://"\n', "[database] url: an SQLite database must"),
        ("[admin\n", "not valid TOML"),
    ],
)
def test_each_problem_is_one_line_naming_the_key(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert any(problem in line for line in error.value.problems), error.value.problems
