"""`kiosk pin set` as a person or a provisioning script runs it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.manager.pin import PinStore
from sync.store.db import open_database

CONFIG = '[store]\nid = "S001"\nname = "Downtown"\ntimezone = "America/Chicago"\n'


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


def kiosk_pin_set(config: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "pin", "set", "--config", str(config)],
        input=stdin,
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def verifies(config_path: Path, pin: str) -> bool:
    config = load_config(config_path)
    db = open_database(config.database_path)
    try:
        return PinStore(config.manager, db).verify(pin).ok
    finally:
        db.dispose()


def test_piped_pin_is_set(config_path: Path, tmp_path: Path) -> None:
    result = kiosk_pin_set(config_path, "483920\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "PIN set"
    assert "483920" not in result.stdout + result.stderr
    # The default places, relative to the config's folder.
    assert (tmp_path / "var" / "manager-pin.json").is_file()
    assert (tmp_path / "var" / "manager-pin.key").is_file()
    assert verifies(config_path, "483920")
    assert not verifies(config_path, "483921")


def test_windows_line_ending_is_fine(config_path: Path) -> None:
    assert kiosk_pin_set(config_path, "483920\r\n").returncode == 0
    assert verifies(config_path, "483920")


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [
        ("345678\n", "in order"),
        ("5555\n", "same"),
        ("48a920\n", "digits only"),
        ("", "no PIN on stdin"),
    ],
)
def test_weak_or_missing_pin_exits_1(
    config_path: Path, tmp_path: Path, stdin: str, reason: str
) -> None:
    result = kiosk_pin_set(config_path, stdin)
    assert result.returncode == 1
    assert reason in result.stderr and result.stderr.startswith("kiosk: PIN not set: ")
    assert stdin.strip() == "" or stdin.strip() not in result.stderr
    assert not (tmp_path / "var" / "manager-pin.json").exists()


def test_a_bad_config_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\nid = "S001"\ntimezone = "Mars/Olympus"\n')
    assert kiosk_pin_set(path, "483920\n").returncode == 2


# --- at a terminal ------------------------------------------------------------------------


def run_on_terminal(config: Path, answers: list[str]) -> tuple[int, str]:
    """Run `kiosk pin set` with a pseudo-terminal as stdin, typing `answers` at each prompt.

    The child gets its own session and so no controlling terminal: getpass then reads the
    pty on stdin (with echo off) and writes its prompts to stderr, where we wait for them.
    Typing before a prompt would be lost: getpass flushes pending input when it turns echo off.
    """
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "pin", "set", "--config", str(config)],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=config.parent,
        start_new_session=True,
    )
    os.close(slave)
    assert process.stderr is not None and process.stdout is not None
    seen = b""
    try:
        for answer in answers:
            prompts = seen.count(b": ")
            deadline = time.monotonic() + 60
            while seen.count(b": ") == prompts:
                ready, _, _ = select.select([process.stderr], [], [], 1)
                if ready:
                    chunk = os.read(process.stderr.fileno(), 4096)
                    assert chunk, f"kiosk exited before asking: {seen!r}"
                    seen += chunk
                assert time.monotonic() < deadline, f"no prompt: {seen!r}"
            os.write(master, answer.encode() + b"\r")
        out, err = process.communicate(timeout=60)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, (out + seen + err).decode()


def test_terminal_asks_twice_and_sets_the_pin(config_path: Path) -> None:
    code, output = run_on_terminal(config_path, ["483920", "483920"])
    assert code == 0, output
    assert "PIN set" in output and "483920" not in output  # no echo
    assert verifies(config_path, "483920")


def test_terminal_mismatch_exits_1(config_path: Path, tmp_path: Path) -> None:
    code, output = run_on_terminal(config_path, ["483920", "483921"])
    assert code == 1
    assert "do not match" in output and "48392" not in output
    assert not (tmp_path / "var" / "manager-pin.json").exists()
