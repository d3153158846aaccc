"""The TV itself off and on over HDMI-CEC, outside opening hours (`[display] off_mode = "cec"`).

A black screen still lights a TV's backlight all night; CEC puts the set in standby and
wakes it at opening time, through one of the two common command-line tools:

- `cec-ctl` (Debian's v4l-utils; the kernel's CEC framework, /dev/cec0 on a Raspberry Pi):
  `cec-ctl --playback --to 0 --standby`, then `--image-view-on` to wake it;
- `cec-client` (libCEC's cec-utils; Pulse-Eight USB adapters too): `standby 0` / `on 0` on
  its standard input, with `-s` (one command, then exit).

Plain Python, no Qt: `ScreenPower.switch()` only queues the command; one worker thread runs
them in order, each with a timeout, so the GUI thread never waits on a TV. A command that
fails is logged (the display's black cover is still there); the next switch tries again.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger(__name__)

TOOLS = ("cec-ctl", "cec-client")
COMMAND_TIMEOUT_S = 15.0
# TV address 0 is the television itself in CEC's logical addressing.
_TV = "0"


@dataclass(frozen=True)
class CecTool:
    name: str  # "cec-ctl" or "cec-client"
    path: str

    def command(self, on: bool) -> tuple[list[str], str | None]:
        """(argv, standard input) that wakes the TV (`on`) or puts it in standby."""
        if self.name == "cec-ctl":
            action = "--image-view-on" if on else "--standby"
            return [self.path, "--playback", "--to", _TV, action], None
        return [self.path, "-s", "-d", "1"], f"{'on' if on else 'standby'} {_TV}\n"


def find_cec_tool(preferred: str = "auto") -> CecTool | None:
    """The tool named by `[display] cec_tool`, or with "auto" the first of TOOLS on PATH."""
    for name in TOOLS if preferred == "auto" else (preferred,):
        path = shutil.which(name)
        if path is not None:
            return CecTool(name, path)
    return None


class ScreenPower:
    """Runs the CEC commands on a thread of its own. `switch(on)` returns at once."""

    def __init__(self, tool: CecTool, *, timeout_s: float = COMMAND_TIMEOUT_S) -> None:
        self.tool = tool
        self._timeout_s = timeout_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screen-power")
        self._wanted: bool | None = None

    def switch(self, on: bool) -> Future[bool] | None:
        """Queue the TV on (True) or off; None when that is already what was last asked."""
        if on == self._wanted:
            return None
        self._wanted = on
        return self._pool.submit(self._run, on)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, on: bool) -> bool:
        argv, stdin = self.tool.command(on)
        what = "on" if on else "to standby"
        try:
            done = subprocess.run(
                argv,
                input=stdin,
                capture_output=True,
                text=True,
                timeout=self._timeout_s,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._wanted = None  # unknown: the next switch sends its command again
            log.warning("could not switch the TV %s with %s: %s", what, self.tool.name, exc)
            return False
        if done.returncode != 0:
            self._wanted = None
            detail = (done.stderr or done.stdout).strip().splitlines()
            log.warning(
                "could not switch the TV %s: %s exited with %d%s",
                what,
                self.tool.name,
                done.returncode,
                f" ({detail[-1]})" if detail else "",
            )
            return False
        log.info("TV switched %s over HDMI-CEC (%s)", what, self.tool.name)
        return True


def screen_power_for(off_mode: str, cec_tool: str) -> ScreenPower | None:
    """A ScreenPower with `off_mode = "cec"`, None otherwise; logs when no tool is found
    (the display still goes black: `kiosk doctor` says what to install)."""
    if off_mode != "cec":
        return None
    tool = find_cec_tool(cec_tool)
    if tool is None:
        log.warning(
            'off_mode = "cec" but no %s on PATH: the screen only goes black at night',
            " or ".join(TOOLS) if cec_tool == "auto" else cec_tool,
        )
        return None
    return ScreenPower(tool)
