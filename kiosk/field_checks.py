"""What breaks a kiosk in the field, checked one thing at a time for `kiosk doctor`.

Each check returns `Finding`s: ok, warn or FAIL, a topic and one line of text that says what
is wrong and what to do. Nothing here changes anything: the database is opened with sqlite3
itself (no migration, no recovery), a write lock is taken and given back at once, a feed is
asked for its headers only. Qt is probed in a process of its own (`kiosk.ui.probe`), because a
platform plugin that cannot start aborts its process.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from kiosk.config import Config, DisplayConfig, ManagerConfig, StoreConfig
from sync.spec import FeedSpec

Status = Literal["ok", "warn", "FAIL"]
MIN_CAGE = (0, 1, 5)
FREE_FAIL_BYTES = 100 * 1024 * 1024
FREE_WARN_BYTES = 500 * 1024 * 1024
CLOCK_FAIL_SECONDS = 120.0
CLOCK_WARN_SECONDS = 10.0
PROBE_TIMEOUT = 60.0


@dataclass(frozen=True)
class Finding:
    status: Status
    topic: str
    text: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.topic}: {self.text}"


@dataclass(frozen=True)
class HqTime:
    """HQ's clock as a feed response's `Date` header gave it, and ours when it arrived."""

    hq: dt.datetime
    ours: dt.datetime


# --- display and fonts --------------------------------------------------------------------


def _version(text: str) -> tuple[int, ...] | None:
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(part) for part in match.groups()) if match else None


def cage_version() -> tuple[int, ...] | None:
    cage = shutil.which("cage")
    if cage is None:
        return None
    done = subprocess.run([cage, "-v"], capture_output=True, text=True, timeout=30, check=False)
    return _version(done.stdout + done.stderr)


def service_state(unit: str = "kiosk.service") -> str | None:
    """systemd's ActiveState of the unit ("active", "failed"...), None without the unit."""
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        return None
    done = subprocess.run(
        [systemctl, "show", "-p", "LoadState,ActiveState", "--value", unit],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    values = done.stdout.split()
    if done.returncode != 0:
        # No systemd to ask (a container, a chroot being prepared): installed or not.
        installed = Path("/etc/systemd/system", unit).exists()
        return "not running under systemd here" if installed else None
    if len(values) != 2 or values[0] != "loaded":
        return None
    return values[1]


def probe_qt(env: Mapping[str, str]) -> tuple[dict[str, object] | None, str]:
    """`python -m kiosk.ui.probe` in `env`: its report, or None and the reason it failed."""
    try:
        done = subprocess.run(
            # -P: the kiosk that runs this, not a `kiosk` folder in the current directory.
            [sys.executable, "-P", "-m", "kiosk.ui.probe"],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"Qt did not start within {PROBE_TIMEOUT:.0f} s"
    if done.returncode == 0:
        try:
            return json.loads(done.stdout.strip().splitlines()[-1]), ""
        except (ValueError, IndexError):
            pass
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    # Qt says the useful part first ("could not connect to display", "Could not load the Qt
    # platform plugin ..."); Python's traceback, if any, ends with it.
    reason = next((line for line in lines if "qt" in line.lower()), lines[-1] if lines else "")
    return None, reason.strip() or f"the probe exited with {done.returncode}"


def check_display_and_fonts(env: Mapping[str, str]) -> list[Finding]:
    session = env.get("WAYLAND_DISPLAY") or env.get("DISPLAY")
    platform = env.get("QT_QPA_PLATFORM", "")
    report, failure = probe_qt(env)
    findings: list[Finding] = []
    if platform.startswith("offscreen"):
        findings.append(
            Finding("warn", "display", "QT_QPA_PLATFORM=offscreen: the board would show nowhere")
        )
    elif session:
        if report is None:
            findings.append(Finding("FAIL", "display", f"Qt cannot open {session}: {failure}"))
            report, _ = probe_qt({**env, "QT_QPA_PLATFORM": "offscreen", "DISPLAY": ""})
        else:
            screens = ", ".join(
                f"{screen[0] or '?'} {screen[1]}x{screen[2]}"
                for screen in report.get("screens", [])  # type: ignore[union-attr]
            )
            findings.append(
                Finding("ok", "display", f"{report['platform']} on {session}: {screens}")
            )
    else:
        findings.append(_store_display(report))
    findings.append(_fonts(report, failure))
    return findings


def _store_display(report: Mapping[str, object] | None) -> Finding:
    """No session to open from here (cage holds the screen): is the store's stack ready?"""
    version = cage_version()
    if version is None:
        return Finding(
            "FAIL",
            "display",
            "cage is not installed: sudo apt-get install cage (or deploy/install.sh)",
        )
    shown = ".".join(map(str, version))
    if version < MIN_CAGE:
        return Finding(
            "FAIL",
            "display",
            f"cage {shown} is too old (0.1.5+): it stops updating a fullscreen window; "
            "install Debian 13, Raspberry Pi OS Trixie or Ubuntu 24.04 (deploy/README.md)",
        )
    plugin = report.get("wayland_plugin") if report else "Qt did not start"
    if plugin:
        return Finding(
            "FAIL", "display", f"{plugin}: run scripts/install-system-deps (Qt's wayland plugin)"
        )
    state = service_state()
    if state == "failed":
        return Finding(
            "FAIL", "display", f"kiosk.service has failed: journalctl -u kiosk -b (cage {shown})"
        )
    where = {
        "active": "kiosk.service is showing it",
        None: "kiosk.service is not installed (deploy/install.sh)",
    }.get(state, f"kiosk.service is {state}")
    status: Status = "ok" if state == "active" else "warn"
    return Finding(status, "display", f"cage {shown} and Qt's wayland plugin ready; {where}")


def _fonts(report: Mapping[str, object] | None, failure: str) -> Finding:
    if report is None:
        return Finding("FAIL", "fonts", f"Qt did not start to load them: {failure}")
    expected = [str(family) for family in _strings(report.get("fonts_expected"))]
    loaded = set(_strings(report.get("fonts")))
    missing = _strings(report.get("font_files_missing")) or [
        family for family in expected if family not in loaded
    ]
    if missing:
        return Finding(
            "FAIL",
            "fonts",
            f"the bundled fonts did not load from {report.get('fonts_dir')} "
            f"(missing: {', '.join(missing)}); the board would use a system font",
        )
    return Finding("ok", "fonts", f"{', '.join(expected)} (bundled) load")


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


# --- database and disk --------------------------------------------------------------------


def check_database(path: Path) -> Finding:
    if not path.exists():
        folder = next(parent for parent in path.parents if parent.exists())
        if os.access(folder, os.W_OK | os.X_OK):
            return Finding("ok", "database", f"{path} not created yet; {folder} is writable")
        return Finding(
            "FAIL", "database", f"cannot create {path}: {folder} is not writable for this user"
        )
    folder = path.parent
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return Finding(
            "FAIL",
            "database",
            f"{path} is on a file system mounted read-only: pulls and manager entries cannot "
            "be saved (an SD card the kernel remounted after errors? dmesg; fsck, or replace it)",
        )
    if not (os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)):
        return Finding(
            "FAIL",
            "database",
            f"{path} is read-only for this user ({_user()}): pulls and manager entries cannot "
            f"be saved; give it back to the kiosk user (chown -R kiosk:kiosk {folder})",
        )
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=5)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except sqlite3.OperationalError as exc:
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            return Finding(
                "warn", "database", f"{path} is busy: a write held it over 5 s ({reason})"
            )
        return Finding(
            "FAIL",
            "database",
            f"{path} is not writable ({reason}): pulls and manager entries cannot be saved; "
            "check its owner (the kiosk user) and whether the disk went read-only (dmesg)",
        )
    except sqlite3.DatabaseError as exc:
        return Finding(
            "FAIL", "database", f"{path} is damaged ({exc}): the kiosk moves it aside at start"
        )
    size = path.stat().st_size
    return Finding("ok", "database", f"{path} is writable ({_size(size)})")


def _user() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def check_disk(paths: Iterable[Path]) -> list[Finding]:
    """Free space where the kiosk writes, once per file system."""
    findings: list[Finding] = []
    seen: set[int] = set()
    for path in paths:
        existing = next(p for p in (path, *path.parents) if p.exists())
        device = existing.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        usage = shutil.disk_usage(existing)
        text = f"{_size(usage.free)} free of {_size(usage.total)} at {existing}"
        if usage.free < FREE_FAIL_BYTES:
            findings.append(
                Finding(
                    "FAIL",
                    "free disk",
                    f"{text}: pulls will fail; make room (journalctl --vacuum-size=100M)",
                )
            )
        elif usage.free < FREE_WARN_BYTES:
            findings.append(Finding("warn", "free disk", f"{text}: little room left"))
        else:
            findings.append(Finding("ok", "free disk", text))
    return findings


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


# --- feeds and the clock ------------------------------------------------------------------


def check_feeds(
    feeds: Sequence[FeedSpec], demo_dir: Path | None = None
) -> tuple[list[Finding], list[HqTime]]:
    """Each feed asked for its headers, all at once (a dead network costs one timeout)."""
    if not feeds:
        return [Finding("warn", "feeds", "none configured: the board will stay empty")], []
    with ThreadPoolExecutor(max_workers=min(8, len(feeds))) as pool:
        results = list(pool.map(lambda spec: check_feed(spec, demo_dir), feeds))
    return [finding for finding, _ in results], [t for _, t in results if t is not None]


def check_feed(spec: FeedSpec, demo_dir: Path | None = None) -> tuple[Finding, HqTime | None]:
    topic = f"feed {spec.name}"
    if not spec.is_http:
        is_file_url = spec.url.startswith("file:")
        path = Path(unquote(urlsplit(spec.url).path)) if is_file_url else Path(spec.url)
        try:
            size = path.stat().st_size
            with path.open("rb"):
                pass
        except FileNotFoundError:
            if demo_dir is not None and path.parent == demo_dir:
                text = f"{path} not published yet: `kiosk run` writes the demo's feeds"
                return Finding("warn", topic, text), None
            return Finding("FAIL", topic, f"{path} does not exist"), None
        except OSError as exc:
            return Finding("FAIL", topic, f"cannot read {path}: {exc.strerror}"), None
        return Finding("ok", topic, f"{path} readable ({_size(size)})"), None

    import requests

    from sync.errors import FetchError
    from sync.fetch.http_download import basic_auth, request_headers, tls_verify
    from sync.fetch.wording import (
        describe_connection_error,
        describe_tls_error,
        host_of,
        status_error,
    )

    opts = spec.fetch
    timeouts = (opts.connect_timeout_s, opts.read_timeout_s)
    try:
        headers = request_headers(spec, None)
        verify = tls_verify(opts)
        with requests.get(
            spec.url,
            headers=headers,
            auth=basic_auth(spec.auth),
            verify=verify,
            timeout=timeouts,
            stream=True,  # the headers only: the body is left unread
            allow_redirects=True,
        ) as response:
            ours = dt.datetime.now(dt.UTC)
            status = response.status_code
            hq_time = _hq_time(response.headers.get("Date"), ours)
            if 200 <= status < 300:
                return Finding("ok", topic, f"HTTP {status} from {host_of(spec.url)}"), hq_time
            return Finding("FAIL", topic, status_error(spec, response)), hq_time
    except FetchError as exc:
        return Finding("FAIL", topic, str(exc)), None
    except requests.exceptions.SSLError as exc:
        return Finding("FAIL", topic, describe_tls_error(exc, spec.url)), None
    except requests.RequestException as exc:
        return Finding("FAIL", topic, describe_connection_error(exc, spec.url, timeouts)), None


def _hq_time(header: str | None, ours: dt.datetime) -> HqTime | None:
    if not header:
        return None
    try:
        hq = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if hq.tzinfo is None:
        return None
    return HqTime(hq=hq, ours=ours)


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


# --- the PIN and screen power -------------------------------------------------------------


def check_pin(manager: ManagerConfig) -> Finding:
    from kiosk.manager.pin import PinError, load_key

    fix = "sudo kiosk-admin pin set (or kiosk pin set)"
    try:
        record = json.loads(manager.pin_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Finding("FAIL", "PIN", f"no manager PIN: nobody can enter numbers; {fix}")
    except (OSError, ValueError) as exc:
        return Finding("FAIL", "PIN", f"cannot read {manager.pin_file} ({exc}); {fix}")
    try:
        load_key(manager.key_file, create=False)
    except PinError as exc:
        return Finding("FAIL", "PIN", f"{exc}; {fix}")
    since = str(record.get("created", ""))[:10]
    return Finding("ok", "PIN", f"set{f' on {since}' if since else ''}")


def check_screen_power(display: DisplayConfig) -> Finding | None:
    """With `off_mode = "cec"`: the CEC tool and a CEC device."""
    if display.off_mode != "cec":
        return None
    from kiosk.screen_power import find_cec_tool

    tool = find_cec_tool(display.cec_tool)
    if tool is None:
        return Finding(
            "FAIL",
            "screen power",
            'off_mode = "cec" but neither cec-ctl (apt-get install v4l-utils) nor '
            "cec-client (cec-utils) is installed",
        )
    devices = sorted(str(p) for p in Path("/dev").glob("cec*"))
    if not devices:
        return Finding(
            "FAIL",
            "screen power",
            f"{tool.name} is installed, but there is no /dev/cec*: no HDMI-CEC on this port "
            "(on a Pi: the HDMI port next to the power socket)",
        )
    return Finding("ok", "screen power", f"{tool.name} over {', '.join(devices)}")


# --- all of it ----------------------------------------------------------------------------


def run_checks(config: Config, env: Mapping[str, str]) -> list[Finding]:
    findings = check_display_and_fonts(env)
    findings.append(check_database(config.database_path))
    findings += check_disk([config.database_path.parent, config.logging.dir])
    feed_findings, hq_times = check_feeds(config.feeds, config.demo_feeds_dir)
    findings += feed_findings
    now = dt.datetime.now(dt.UTC)
    findings.append(check_clock(hq_times, ntp_synchronized(), now))
    findings.append(check_timezone(config.store, now))
    findings.append(check_pin(config.manager))
    power = check_screen_power(config.display)
    if power is not None:
        findings.append(power)
    return findings
