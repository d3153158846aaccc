"""The database writable and the free disk. The database is opened with sqlite3 itself (no
migration, no recovery); a write lock is taken and given back at once."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from kiosk.doctor.finding import Finding, size_text

FREE_FAIL_BYTES = 100 * 1024 * 1024
FREE_WARN_BYTES = 500 * 1024 * 1024


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
    return Finding("ok", "database", f"{path} is writable ({size_text(size)})")


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
        text = f"{size_text(usage.free)} free of {size_text(usage.total)} at {existing}"
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
