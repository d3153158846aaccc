"""deploy/: the systemd unit, the example config and the scripts (issue 7, item 8; issue 14).

The unit is read as systemd reads it (every directive, repeated ones kept) and checked for
what keeps a kiosk up: started at boot in cage on tty1 under the `kiosk` user after the clock
is set, `Type=notify` with the GUI-thread watchdog, restarted forever, sandboxed without
losing the display. `systemd-analyze verify` runs when the machine has it; the unit's command
line itself runs under cage in tests/deploy/test_cage_wayland.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.config import load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REPO = DEPLOY.parent


def directives(path: Path) -> dict[str, list[str]]:
    """`Key=value` lines of a unit file, by key, in order (systemd allows repeats)."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.fixture(scope="module")
def unit() -> dict[str, list[str]]:
    return directives(DEPLOY / "kiosk.service")


def one(unit: dict[str, list[str]], key: str) -> str:
    values = unit.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


def words(unit: dict[str, list[str]], key: str) -> set[str]:
    return {word for value in unit.get(key, []) for word in value.split()}


def test_the_unit_starts_kiosk_run_in_cage_at_boot_under_the_kiosk_user(unit) -> None:
    command = one(unit, "ExecStart").split()
    # cage, without -s (no switching to a console), with the kiosk as its one application;
    # the kiosk pings the watchdog itself (WATCHDOG_PID names cage, the main process).
    cage = command.index("/usr/bin/cage")
    assert "-s" not in command[cage : command.index("--")]
    assert command[-4:] == ["-u", "WATCHDOG_PID", "/opt/kiosk/.venv/bin/kiosk", "run"]
    assert "XDG_RUNTIME_DIR=/run/kiosk" in command[:cage]  # writable: RuntimeDirectory
    assert one(unit, "RuntimeDirectory") == "kiosk"
    assert one(unit, "User") == "kiosk" and one(unit, "Group") == "kiosk"
    # A logind session on tty1 for cage's seat, and no login prompt there.
    assert one(unit, "PAMName") == "kiosk" and (DEPLOY / "pam-kiosk").is_file()
    assert one(unit, "TTYPath") == "/dev/tty1"
    assert "getty@tty1.service" in words(unit, "Conflicts")
    assert one(unit, "WantedBy") == "multi-user.target"
    assert {"time-sync.target", "network-online.target"} <= words(unit, "After")
    assert {"time-sync.target", "network-online.target"} <= words(unit, "Wants")
    assert "KIOSK_CONFIG=/etc/kiosk/config.toml" in unit["Environment"]
    assert {"video", "render", "input"} <= words(unit, "SupplementaryGroups")


def test_the_unit_restarts_forever_and_has_the_gui_watchdog(unit) -> None:
    assert one(unit, "Type") == "notify"
    assert one(unit, "NotifyAccess") == "all"  # the kiosk is cage's child
    assert one(unit, "WatchdogSec") == "30"
    assert one(unit, "Restart") == "always"
    assert 1 <= int(one(unit, "RestartSec")) <= 30
    assert one(unit, "StartLimitIntervalSec") == "0"
    assert "PYTHONFAULTHANDLER=1" in unit["Environment"]


def test_the_sandbox_keeps_the_display(unit) -> None:
    assert one(unit, "ProtectSystem") == "strict"
    assert words(unit, "ReadWritePaths") == {"/var/lib/kiosk", "/var/log/kiosk"}
    assert one(unit, "PrivateTmp") == "yes"
    assert one(unit, "NoNewPrivileges") == "yes"
    assert "QT_QPA_PLATFORM=wayland" in unit["Environment"]
    assert "QT_WAYLAND_DISABLE_WINDOWDECORATION=1" in unit["Environment"]
    # Each of these would take /dev/dri or /dev/input away, or break Mesa's shader compiler.
    for key in ("PrivateDevices", "ProtectClock", "ProtectKernelLogs", "DevicePolicy"):
        assert key not in unit, key
    assert "DeviceAllow" not in unit and "MemoryDenyWriteExecute" not in unit


def test_the_example_config_writes_only_where_the_unit_allows(
    monkeypatch: pytest.MonkeyPatch, unit
) -> None:
    monkeypatch.setenv("HQ_FEED_TOKEN", "t" * 20)
    monkeypatch.setenv("HQ_FEED_SECRET", "s" * 32)
    monkeypatch.setenv("KIOSK_HQ_TOKEN", "k" * 43)
    config = load_config(DEPLOY / "config.example.toml")
    writable = [Path(p) for p in words(unit, "ReadWritePaths")]
    for path in (
        config.database_path,
        config.logging.dir / "kiosk.log",
        config.manager.pin_file,
        config.manager.key_file,
    ):
        assert any(path.is_relative_to(root) for root in writable), path
    assert all(spec.signature is not None for spec in config.feeds)


@pytest.mark.parametrize("script", ["install.sh", "kiosk-admin", "check-target"])
def test_the_scripts_parse(script: str) -> None:
    subprocess.run(["sh", "-n", str(DEPLOY / script)], check=True)
    if shutil.which("shellcheck"):
        subprocess.run(["shellcheck", "-s", "sh", str(DEPLOY / script)], check=True)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    # As install.sh installs it: /opt/kiosk replaced by where the code is (here: this
    # checkout, whose .venv has the `kiosk` command, which verify checks is executable).
    text = (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
    (tmp_path / "kiosk.service").write_text(text.replace("/opt/kiosk", str(REPO)))
    if not (REPO / ".venv" / "bin" / "kiosk").exists():
        pytest.skip("the checkout has no .venv/bin/kiosk for ExecStart")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "kiosk.service")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify exits 0 even for a directive it ignores; it says so on stderr, naming the file.
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines() if "kiosk.service" in line
    ]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr
