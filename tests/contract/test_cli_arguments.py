"""docs/cli.md, "Common rules": `--config`, then `$KIOSK_CONFIG`, then ./config.toml;
exit 2 on a bad config or a bad argument (an unknown screen, a malformed `--date` or
`--size`), with one line per problem on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.helpers import Store, config_text, run_kiosk

BAD_CONFIG = '[store]\nid = "S1"\ntimezone = "Atlantis/Lost"\nshoe_size = 9\n'
METRICS = "store_id,date,metric,value\nS1,2026-03-02,sales,10\n"


def stderr_lines(result: object) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]  # type: ignore[attr-defined]


# --- every bad argument on its own line ---------------------------------------------------


def test_screenshot_reports_every_bad_argument_on_its_own_line(store: Store) -> None:
    store.write_config(config_text("S1", "UTC", []))
    result = store.kiosk(
        "screenshot", "weather", "--out", "x.png", "--size", "big", "--date", "2026-13-45"
    )
    assert result.returncode == 2
    lines = stderr_lines(result)
    assert len(lines) == 3, lines
    assert any("'weather'" in line for line in lines)
    assert any("'big'" in line and "size" in line for line in lines)
    assert any("'2026-13-45'" in line for line in lines)
    assert not (store.root / "x.png").exists()


def test_a_missing_out_is_reported_with_the_other_problems(store: Store) -> None:
    store.write_config(config_text("S1", "UTC", []))
    result = store.kiosk("screenshot", "weather", "--date", "11/03/2026")
    assert result.returncode == 2
    lines = stderr_lines(result)
    assert len(lines) == 3, lines
    assert any("--out" in line for line in lines)
    assert any("'weather'" in line for line in lines)
    assert any("'11/03/2026'" in line for line in lines)


@pytest.mark.parametrize("size", ["８００x６００", "800x600x2", "800 x 600", "800*600", "x600"])
def test_a_size_in_anything_but_ascii_digits_is_malformed(store: Store, size: str) -> None:
    store.write_config(config_text("S1", "UTC", []))
    result = store.kiosk("screenshot", "scoreboard", "--out", "x.png", "--size", size)
    assert result.returncode == 2
    assert len(stderr_lines(result)) == 1
    assert not (store.root / "x.png").exists()


@pytest.mark.parametrize(
    "day", ["２０２６-03-11", "2026-3-11", "20260311", "2026-03-11T00:00", "11.03.2026", ""]
)
def test_a_malformed_date_exits_2_with_one_line(store: Store, day: str) -> None:
    store.write_config(config_text("S1", "UTC", []))
    for args in (["scoreboard", "--json"], ["screenshot", "scoreboard", "--out", "x.png"]):
        result = store.kiosk(*args, "--date", day)
        assert result.returncode == 2, (args, result.stdout)
        lines = stderr_lines(result)
        assert len(lines) == 1, lines
        assert "--date" in lines[0]


def test_a_bad_argument_and_a_bad_config_are_all_reported(store: Store) -> None:
    store.write_config(BAD_CONFIG)
    result = store.kiosk("scoreboard", "--date", "2026-02-30")
    assert result.returncode == 2
    lines = stderr_lines(result)
    assert len(lines) == 3, lines
    assert any("--date" in line and "2026-02-30" in line for line in lines)
    assert any("timezone" in line for line in lines)
    assert any("shoe_size" in line for line in lines)


def test_a_good_screenshot_still_renders_all_six_screens(store: Store) -> None:
    store.feed("metrics.csv", METRICS)
    store.write_config(config_text("S1", "Pacific/Auckland", [("m", "metrics", "feeds/m.csv")]))
    for screen in ("scoreboard", "comments", "celebration", "messages", "leaderboard", "entry"):
        out = store.root / "shots" / f"{screen}.png"
        result = store.kiosk(
            "screenshot", screen, "--out", str(out), "--size", "640x360", "--date", "2026-03-02"
        )
        assert result.returncode == 0, result.stderr
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- where the config comes from ----------------------------------------------------------


def test_config_is_found_by_option_then_environment_then_current_folder(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "config.toml").write_text(config_text(name.upper(), "UTC", []))
    env = {"KIOSK_CONFIG": str(tmp_path / "b" / "config.toml")}

    def store_id(*args: str, **kw: object) -> str:
        result = run_kiosk("scoreboard", "--json", "--date", "2026-03-02", *args, **kw)  # type: ignore[arg-type]
        assert result.returncode == 0, result.stderr
        return result.stdout.split('"store_id": "')[1].split('"')[0]

    a_config = str(tmp_path / "a" / "config.toml")
    assert store_id("--config", a_config, cwd=tmp_path / "c", env=env) == "A"
    assert store_id(cwd=tmp_path / "c", env=env) == "B"
    assert store_id(cwd=tmp_path / "c") == "C"
    # Relative paths resolve against the config's folder, not the working directory.
    assert (tmp_path / "a" / "var" / "kiosk.db").exists()
    assert not (tmp_path / "c" / "a").exists()


# --- feeds check and the config ------------------------------------------------------------


def test_feeds_check_needs_no_config(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(METRICS)
    result = run_kiosk("feeds", "check", "m.csv", "--kind", "metrics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_feeds_check_refuses_a_bad_config_named_by_kiosk_config(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(METRICS)
    (tmp_path / "bad.toml").write_text(BAD_CONFIG)
    result = run_kiosk(
        "feeds",
        "check",
        "m.csv",
        "--kind",
        "metrics",
        cwd=tmp_path,
        env={"KIOSK_CONFIG": str(tmp_path / "bad.toml")},
    )
    assert result.returncode == 2
    lines = stderr_lines(result)
    assert len(lines) == 2, lines
    assert "timezone" in lines[0] and "shoe_size" in lines[1]


def test_feeds_check_refuses_a_bad_config_toml_in_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(METRICS)
    (tmp_path / "config.toml").write_text(BAD_CONFIG)
    result = run_kiosk("feeds", "check", "m.csv", "--kind", "metrics", cwd=tmp_path)
    assert result.returncode == 2
    assert len(stderr_lines(result)) == 2
