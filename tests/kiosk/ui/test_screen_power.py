"""`off_mode = "cec"`: outside opening hours the TV itself goes to standby over HDMI-CEC and
wakes at opening (issue 14, item 7). HDMI-CEC hardware cannot exist here: a stand-in `cec-ctl`
(or `cec-client`) on PATH records how it was called; everything else is real (the window,
its opening hours, the power thread, the subprocess)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import time
from pathlib import Path

import pytest

from kiosk.config import DisplayConfig, ScreenSlot
from kiosk.screen_power import ScreenPower, find_cec_tool, screen_power_for
from kiosk.ui.window import KioskWindow
from tests.kiosk.ui import snapshots

TZ = snapshots.TZ
SLOTS = (ScreenSlot("scoreboard", 20),)


class StandIn:
    """A fake CEC tool on PATH: each call appends its arguments and stdin to a JSON-lines file."""

    def __init__(self, folder: Path, name: str, exit_code: int = 0, delay_s: float = 0) -> None:
        self.log = folder / f"{name}.calls"
        self.path = folder / name
        self.path.write_text(
            "#!/bin/sh\n"
            'input=""\n'
            "[ -t 0 ] || input=$(cat)\n"
            f'printf \'{{"argv": "%s", "stdin": "%s"}}\\n\' "$*" "$input" >> {self.log}\n'
            f"sleep {delay_s}\n"
            f"exit {exit_code}\n"
        )
        self.path.chmod(self.path.stat().st_mode | stat.S_IXUSR)

    def calls(self) -> list[dict[str, str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


class Wall:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 24, 21, 58, tzinfo=TZ)

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, hour: int, day: int = 24) -> None:
        self.moment = dt.datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def make_window(qtbot, power: ScreenPower, wall: Wall) -> KioskWindow:
    display = DisplayConfig(
        transition_ms=0, open_at=dt.time(7), close_at=dt.time(22), off_mode="cec"
    )
    window = KioskWindow(SLOTS, display, now=wall, screen_power=power)
    qtbot.addWidget(window)
    window.resize(640, 360)
    window.set_snapshot(snapshots.full_snapshot())
    window.show()
    return window


def test_the_tv_sleeps_at_closing_and_wakes_at_opening(qtbot, bin_dir: Path) -> None:
    cec = StandIn(bin_dir, "cec-ctl")
    power = screen_power_for("cec", "auto")
    assert power is not None and power.tool.name == "cec-ctl"
    wall = Wall()
    window = make_window(qtbot, power, wall)
    # At start, in opening hours: the TV is woken (it may have stayed off after a power cut).
    qtbot.waitUntil(lambda: len(cec.calls()) == 1)
    assert cec.calls()[0]["argv"] == "--playback --to 0 --image-view-on"

    wall.set(22)
    window.power_timer().timeout.emit()
    assert not window.display_on
    qtbot.waitUntil(lambda: len(cec.calls()) == 2)
    assert cec.calls()[1]["argv"] == "--playback --to 0 --standby"

    # A manager comes in at night: the TV wakes for the manager area, and sleeps after.
    window.manager_opened()
    qtbot.waitUntil(lambda: len(cec.calls()) == 3)
    window.manager_closed()
    qtbot.waitUntil(lambda: len(cec.calls()) == 4)
    assert [c["argv"].split()[-1] for c in cec.calls()[2:]] == ["--image-view-on", "--standby"]

    wall.set(7, day=25)
    window.power_timer().timeout.emit()
    assert window.display_on
    qtbot.waitUntil(lambda: len(cec.calls()) == 5)
    assert cec.calls()[4]["argv"].endswith("--image-view-on")
    # Nothing more: a timer that fires again with nothing changed sends nothing.
    window.power_timer().timeout.emit()
    qtbot.wait(300)
    assert len(cec.calls()) == 5
    power.close()


def test_a_slow_tv_never_holds_the_caller(bin_dir: Path) -> None:
    """A TV can take seconds to answer over CEC: switch() only queues the command (the GUI
    thread calls it), one worker thread runs it."""
    cec = StandIn(bin_dir, "cec-ctl", delay_s=2)
    tool = find_cec_tool("cec-ctl")
    assert tool is not None
    power = ScreenPower(tool)
    started = time.monotonic()
    first = power.switch(False)
    second = power.switch(True)
    assert time.monotonic() - started < 0.5
    assert first is not None and second is not None
    assert first.result(timeout=30) and second.result(timeout=30)
    # In order, one at a time.
    assert [c["argv"].split()[-1] for c in cec.calls()] == ["--standby", "--image-view-on"]
    power.close()


def test_cec_client_gets_its_command_on_stdin(bin_dir: Path) -> None:
    cec = StandIn(bin_dir, "cec-client")
    power = screen_power_for("cec", "auto")  # no cec-ctl here: cec-client is found
    assert power is not None and power.tool.name == "cec-client"
    assert power.switch(False).result(timeout=30)  # type: ignore[union-attr]
    assert power.switch(True).result(timeout=30)  # type: ignore[union-attr]
    assert [(c["argv"], c["stdin"]) for c in cec.calls()] == [
        ("-s -d 1", "standby 0"),
        ("-s -d 1", "on 0"),
    ]
    power.close()


def test_a_failing_tool_is_logged_and_tried_again(bin_dir: Path, caplog) -> None:
    cec = StandIn(bin_dir, "cec-ctl", exit_code=1)
    power = screen_power_for("cec", "cec-ctl")
    assert power is not None
    assert power.switch(False).result(timeout=30) is False  # type: ignore[union-attr]
    assert "could not switch the TV to standby: cec-ctl exited with 1" in caplog.text
    # The state is unknown after a failure, so asking again sends the command again.
    again = power.switch(False)
    assert again is not None and again.result(timeout=30) is False
    assert len(cec.calls()) == 2
    power.close()


def test_without_a_cec_tool_the_kiosk_only_goes_black(bin_dir: Path, monkeypatch, caplog) -> None:
    monkeypatch.setenv("PATH", str(bin_dir))  # nothing in it
    assert screen_power_for("cec", "auto") is None
    assert 'off_mode = "cec" but no cec-ctl or cec-client on PATH' in caplog.text
    assert screen_power_for("black", "auto") is None
