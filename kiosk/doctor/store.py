"""The manager PIN, and with `off_mode = "cec"` the TV's power control."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.config import DisplayConfig, ManagerConfig
from kiosk.doctor.finding import Finding


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
