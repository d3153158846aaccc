"""The clock (NTP's verdict, and HQ's clock from the feeds' `Date`) and the store's time zone."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Sequence

from kiosk.config import StoreConfig
from kiosk.doctor.feeds import HqTime
from kiosk.doctor.finding import Finding, Status

CLOCK_FAIL_SECONDS = 120.0
CLOCK_WARN_SECONDS = 10.0


def ntp_synchronized() -> bool | None:
    """systemd's verdict (timedatectl); None when it cannot tell."""
    timedatectl = shutil.which("timedatectl")
    if timedatectl is None:
        return None
    try:
        done = subprocess.run(
            [timedatectl, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    value = done.stdout.strip()
    return {"yes": True, "no": False}.get(value) if done.returncode == 0 else None


def check_clock(hq_times: Sequence[HqTime], synchronized: bool | None, now: dt.datetime) -> Finding:
    """The clock against HQ's (`Date` of the feeds' answers) and NTP's verdict."""
    if now.year < 2025:
        return Finding(
            "FAIL",
            "clock",
            f"it says {now:%Y-%m-%d %H:%M} UTC: not set (no battery clock, no NTP yet?); "
            '"today" and every goal period are wrong',
        )
    ntp = {True: "synchronised (NTP)", False: "NOT synchronised (NTP)", None: "NTP state unknown"}[
        synchronized
    ]
    if not hq_times:
        status: Status = "FAIL" if synchronized is False else "warn"
        return Finding(
            status, "clock", f"{ntp}; cannot compare with HQ's: no feed answered with a Date"
        )
    skews = sorted((t.ours - t.hq).total_seconds() for t in hq_times)
    skew = skews[len(skews) // 2]
    against = f"{_duration(abs(skew))} {'ahead of' if skew > 0 else 'behind'} HQ's"
    if abs(skew) > CLOCK_FAIL_SECONDS:
        return Finding(
            "FAIL",
            "clock",
            f'{against} ({ntp}): "today" and the goals\' periods are off; check NTP '
            "(timedatectl; the network must reach an NTP server)",
        )
    if synchronized is False:
        return Finding("warn", "clock", f"{ntp}, but {against}: it will drift")
    if abs(skew) > CLOCK_WARN_SECONDS:
        return Finding("warn", "clock", f"{ntp}, {against}")
    return Finding("ok", "clock", f"{ntp}, within {_duration(abs(skew))} of HQ's")


def _duration(seconds: float) -> str:
    if seconds >= 3600:  # HTTP dates have whole seconds: to the minute is all that means
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h {minutes} min"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def check_timezone(store: StoreConfig, now: dt.datetime) -> Finding:
    local = now.astimezone(store.tz)
    offset = local.strftime("%z")
    return Finding(
        "ok",
        "time zone",
        f"{store.timezone}: store time {local:%a %H:%M} (UTC{offset[:3]}:{offset[3:]}); "
        '"today" follows it, whatever the machine\'s own zone',
    )
