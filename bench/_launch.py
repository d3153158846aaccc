"""Run one command and write its wall time and peak RSS as JSON:
`_launch.py OUT.json [--cgroup PROCS_FILE] -- CMD...`.

Why a separate small launcher: Linux folds the parent's memory high-water mark into a child's
`ru_maxrss` when the child calls exec (fs/exec.c, `setmax_mm_hiwater_rss` on the old mm, which
after fork or vfork is the parent's). The bench process grows to hundreds of MB while it builds
data, so a command started from it directly would report at least that. This launcher is started
with `python -I -S` (a few MB), so the floor it leaves under the command's figure is small.
`os.wait4` gives the rusage of exactly that one child (and whatever it waited for).

With `--cgroup`, the launcher first moves itself into that cgroup (writing its pid to the
group's `cgroup.procs`), so the command and everything it starts run under the group's limits
(bench/_cpu_quota.py: the Pi-class CPU quota).
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, *rest = sys.argv[1:]
    if rest[:1] == ["--cgroup"]:
        with open(rest[1], "w", encoding="ascii") as procs:
            procs.write(str(os.getpid()))
        rest = rest[2:]
    sep, *cmd = rest
    assert sep == "--" and cmd, "usage: _launch.py OUT.json [--cgroup PROCS_FILE] -- CMD..."
    started = time.perf_counter()
    # stdout/stderr are inherited: the caller points them at files.
    child = subprocess.Popen(cmd)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "wall_s": wall,
                "maxrss_kb": usage.ru_maxrss,
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
                "returncode": child.returncode,
            },
            fh,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
