"""`kiosk doctor`: a checklist of what breaks a kiosk in the field, one line each.

display and fonts, the database writable, free disk, each feed reachable (with its token),
the clock synchronised and agreeing with HQ's (the `Date` of HQ's answers), the time zone,
the manager PIN, and with `off_mode = "cec"` the TV's power control. Every line starts with
ok, warn or FAIL and says what to do; the exit code is 1 when a line says FAIL. The checks
are in `kiosk.doctor`; nothing is changed.
"""

from __future__ import annotations

import argparse
import os

from kiosk.config import Config
from kiosk.doctor import run_checks
from kiosk.exits import EXIT_FAILED, EXIT_OK


def doctor(config: Config, args: argparse.Namespace) -> int:
    print(f"kiosk doctor: store {config.store.id} ({config.store.name}), config {config.path}")
    findings = run_checks(config, os.environ)
    for finding in findings:
        print(finding.line(), flush=True)
    failed = sum(1 for finding in findings if finding.status == "FAIL")
    warned = sum(1 for finding in findings if finding.status == "warn")
    if failed:
        print(f"{failed} to fix, {warned} to look at")
        return EXIT_FAILED
    print(f"nothing to fix{f', {warned} to look at' if warned else ''}")
    return EXIT_OK
