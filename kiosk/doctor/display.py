"""The display stack and the fonts: in a session (WAYLAND_DISPLAY or DISPLAY) Qt opens it;
without one (a technician over SSH while cage holds the screen) cage's version, Qt's wayland
plugin and the service's state. Qt is probed in a process of its own (`kiosk.ui.probe`),
because a platform plugin that cannot start aborts its process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.doctor.finding import Finding, Status

MIN_CAGE = (0, 1, 5)
PROBE_TIMEOUT = 60.0


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
