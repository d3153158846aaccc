"""A CPU quota for the Pi-class runs: a child cgroup that lets its processes use a share of one
core, whatever the machine has (issue 18 item 5).

A Raspberry Pi 4 core is several times slower than a core of a development machine or a CI VM;
a quarter of one core here is a fair stand-in for a Pi-class CPU running the kiosk (and is the
budget the kiosk should live within on one). The quota is the kernel's CFS bandwidth control:
in each period (`PERIOD_US`) the group's threads together run at most `share` of it. This is
not a slower CPU: a short piece of work still runs at full speed, until the group's share of
the period is used up and it waits for the next one. So figures taken under it are means over
many frames (a run of frames back to back takes about 1/share as long as unconstrained), and
their maxima include a wait of up to one period.

- cgroup v2 (a unified hierarchy with the `cpu` controller): `cpu.max` = "QUOTA PERIOD" in a
  child of the cgroup this process is in, the controller enabled in that parent's
  `cgroup.subtree_control` if need be.
- cgroup v1 (a `cpu` hierarchy mounted on its own, e.g. /sys/fs/cgroup/cpu): `cpu.cfs_period_us`
  and `cpu.cfs_quota_us` in a child of the root.

It needs root (or a delegated cgroup). A process is put in the group by writing its pid to
`procs` (bench/_launch.py does that for itself before it starts the command, so everything the
command starts inherits the group). `QuotaGroup.unavailable()` says why not, when not.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
# A short period: with systemd's default (100 ms) a group that used its quarter stalls for
# up to 75 ms at a time, which no slower CPU does; with 10 ms the stalls are short and the
# work is spread over time about as a CPU of a quarter of the speed would spread it.
PERIOD_US = 10_000


def _v2_parent() -> Path | None:
    """This process's cgroup in a unified hierarchy with the cpu controller, or None."""
    if not (CGROUP_ROOT / "cgroup.controllers").is_file():
        return None
    if "cpu" not in (CGROUP_ROOT / "cgroup.controllers").read_text().split():
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            return CGROUP_ROOT / line[3:].lstrip("/")
    return CGROUP_ROOT


def _v1_root() -> Path | None:
    for candidate in (CGROUP_ROOT / "cpu", CGROUP_ROOT / "cpu,cpuacct"):
        if (candidate / "cpu.cfs_quota_us").is_file():
            return candidate
    return None


class QuotaGroup:
    """`with QuotaGroup(0.25) as group:` a fresh cgroup limited to a quarter of one core;
    `group.procs` is the file a pid is written to. Removed on exit (its processes must have
    ended: the bench waits for every command it starts)."""

    def __init__(self, share: float) -> None:
        self.share = share
        self.path: Path | None = None
        self.kind = ""

    @staticmethod
    def unavailable() -> str | None:
        """Why no quota group can be made here, or None when one can."""
        if _v2_parent() is None and _v1_root() is None:
            return "no cgroup cpu controller (cgroup v2 cpu.max or v1 cpu.cfs_quota_us)"
        if os.geteuid() != 0:
            return "making a cgroup needs root (or a delegated cgroup)"
        return None

    @property
    def procs(self) -> Path:
        assert self.path is not None, "use QuotaGroup as a context manager"
        return self.path / "cgroup.procs"

    def describe(self) -> str:
        quota = round(self.share * PERIOD_US)
        if self.kind == "v2":
            return f"cgroup v2 cpu.max {quota} {PERIOD_US}"
        return f"cgroup v1 cpu.cfs_quota_us={quota} cpu.cfs_period_us={PERIOD_US}"

    def throttled(self) -> tuple[int, float]:
        """(periods throttled, seconds throttled) so far, from the group's cpu.stat."""
        assert self.path is not None
        stat = dict(
            line.split(None, 1) for line in (self.path / "cpu.stat").read_text().splitlines()
        )
        if self.kind == "v2":
            return int(stat.get("nr_throttled", 0)), int(stat.get("throttled_usec", 0)) / 1e6
        return int(stat.get("nr_throttled", 0)), int(stat.get("throttled_time", 0)) / 1e9

    def __enter__(self) -> QuotaGroup:
        name = f"kiosk-bench-quota-{os.getpid()}"
        quota = round(self.share * PERIOD_US)
        parent = _v2_parent()
        if parent is not None:
            control = parent / "cgroup.subtree_control"
            if "cpu" not in control.read_text().split():
                control.write_text("+cpu")
            self.path, self.kind = parent / name, "v2"
            self.path.mkdir()
            (self.path / "cpu.max").write_text(f"{quota} {PERIOD_US}")
            return self
        root = _v1_root()
        if root is None:
            raise RuntimeError(self.unavailable() or "no cgroup cpu controller")
        self.path, self.kind = root / name, "v1"
        self.path.mkdir()
        (self.path / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (self.path / "cpu.cfs_quota_us").write_text(str(quota))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path is None:
            return
        # A cgroup is removed with rmdir once empty; its last process may take a moment to
        # be reaped after the bench saw it exit.
        for _ in range(50):
            try:
                self.path.rmdir()
                break
            except OSError:
                time.sleep(0.1)
        self.path = None
