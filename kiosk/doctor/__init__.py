"""What breaks a kiosk in the field, checked one thing at a time for `kiosk doctor`.

Each check returns `Finding`s: ok, warn or FAIL, a topic and one line of text that says what
is wrong and what to do. Nothing here changes anything. One module per kind of check:
`display` (the display stack, fonts), `storage` (database, disk), `feeds`, `clock` (and the
time zone), `store` (the PIN, the TV's power).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kiosk.config import Config
from kiosk.doctor.clock import check_clock, check_timezone, ntp_synchronized
from kiosk.doctor.display import check_display_and_fonts
from kiosk.doctor.feeds import check_feeds
from kiosk.doctor.finding import Finding, Status
from kiosk.doctor.storage import check_database, check_disk
from kiosk.doctor.store import check_pin, check_screen_power

__all__ = ["Finding", "Status", "run_checks"]


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
