"""docs/feeds.md against real exports: every file under tests/contract/exports (made once by
LibreOffice, pandas, Python's csv module and csv-spectrum; see its README.md) through a real pull
into a real SQLite file and through `kiosk feeds check`, compared with the file's sidecar
`<file>.expect.json`, which says what the HQ feed contract makes of it.

The expectations come from the contract, not from what the code does today: what is stored
(exactly: floats compared with ==, the point being never a wrong number), which lines are bad
rows and why, whether the feed is rejected whole, and what `kiosk feeds check` must say.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync.service import SyncService
from sync.spec import FeedSpec
from sync.store.db import open_database

REPO = Path(__file__).resolve().parents[2]
EXPORTS = Path(__file__).resolve().parent / "exports"
SIDECAR = ".expect.json"
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".txt")
UPSTREAM = "_upstream"  # csv-spectrum's own package.json and readme, kept for the licence

# What is stored, per kind, in a stable order: the columns a sidecar's "stored" rows list.
STORED_SQL = {
    "metrics": "SELECT store_id, day, metric, value FROM metric_values"
    " ORDER BY store_id, day, metric",
    "targets": "SELECT store_id, metric, period, start, target FROM targets"
    " ORDER BY store_id, metric, period, start",
    "comments": "SELECT store_id, day, text, rating FROM comments ORDER BY id",
    "messages": 'SELECT store_id, start, "end", kind, title, body FROM messages ORDER BY id',
    "stores": "SELECT store_id, name, region FROM stores ORDER BY store_id",
    "catalog": "SELECT metric, label, unit, perspective, direction, aggregate, decimals, entry"
    " FROM catalog ORDER BY position",
}


def _is_data_file(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix in DATA_SUFFIXES
        and not path.name.endswith(SIDECAR)
        and UPSTREAM not in path.relative_to(EXPORTS).parts
    )


def _sidecars() -> list[Path]:
    return sorted(EXPORTS.rglob(f"*{SIDECAR}"))


def _data_file(sidecar: Path) -> Path:
    return sidecar.with_name(sidecar.name[: -len(SIDECAR)])


def test_every_export_has_a_sidecar_and_every_sidecar_its_export() -> None:
    data = sorted(p for p in EXPORTS.rglob("*") if _is_data_file(p))
    assert len(data) >= 40, data
    missing = [str(p.relative_to(EXPORTS)) for p in data if not Path(f"{p}{SIDECAR}").exists()]
    assert not missing, f"corpus files without a {SIDECAR}: {missing}"
    orphans = [str(s.relative_to(EXPORTS)) for s in _sidecars() if not _data_file(s).exists()]
    assert not orphans, f"sidecars without their file: {orphans}"


def _stored(db_file: Path, kind: str) -> list[list[Any]]:
    with sqlite3.connect(db_file) as conn:
        return [list(row) for row in conn.execute(STORED_SQL[kind])]


def _check_pull(path: Path, expect: dict[str, Any], tmp_path: Path) -> list[str]:
    """A real pull of `path` into a new SQLite file; the differences from `expect`."""
    feed = expect.get("feed", {})
    kind = expect["kind"]
    db_file = tmp_path / "kiosk.db"
    db = open_database(db_file)
    spec = FeedSpec(
        name="feed",
        kind=kind,
        url=str(path),
        decimal=feed.get("decimal", "."),
        encoding=feed.get("encoding"),
        format=feed.get("format"),
    )
    service = SyncService(db, expect["own_store"], [spec])
    try:
        report = service.pull(spec)
    finally:
        service.close()
        db.dispose()

    problems: list[str] = []
    if report.outcome != expect["outcome"]:
        problems.append(
            f"pull: outcome {report.outcome!s} (error: {report.error}), "
            f"expected {expect['outcome']}"
        )
    if expect["outcome"] == "rejected":
        wanted = expect["reject_contains"]
        if wanted.lower() not in (report.error or "").lower():
            problems.append(f"pull: rejection reason {report.error!r} lacks {wanted!r}")

    stored = _stored(db_file, kind)
    if stored != expect["stored"]:
        problems.append(f"pull: stored {stored}\n      expected {expect['stored']}")

    got = {(r.line, r.field): r.reason for r in report.rejects}
    wanted_bad = {(b["line"], b["field"]): b["contains"] for b in expect["bad"]}
    if set(got) != set(wanted_bad):
        problems.append(
            f"pull: bad rows (line, field) {sorted(got, key=str)}, expected "
            f"{sorted(wanted_bad, key=str)}; reasons: {[str(r) for r in report.rejects]}"
        )
    for key, word in wanted_bad.items():
        reason = got.get(key)
        if reason is not None and word.lower() not in reason.lower():
            problems.append(f"pull: line {key[0]}, field {key[1]}: {reason!r} lacks {word!r}")

    if "other_stores" in expect and report.rows_other_stores != expect["other_stores"]:
        problems.append(
            f"pull: rows_other_stores {report.rows_other_stores}, expected {expect['other_stores']}"
        )
    return problems


def _start_command(path: Path, expect: dict[str, Any], tmp_path: Path) -> subprocess.Popen[str]:
    """`python -m kiosk feeds check` as HQ runs it: no config, no $KIOSK_CONFIG. Started before
    the in-process pull and read after it, so the two use both cores."""
    feed = expect.get("feed", {})
    args = [sys.executable, "-m", "kiosk", "feeds", "check", str(path), "--kind", expect["kind"]]
    if "decimal" in feed:
        args += ["--decimal", feed["decimal"]]
    if "encoding" in feed:
        args += ["--encoding", feed["encoding"]]
    if "format" in feed:
        args += ["--format", feed["format"]]
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    # The code under test is this checkout's, whatever the venv has installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _check_command(command: subprocess.Popen[str], path: Path, expect: dict[str, Any]) -> list[str]:
    try:
        stdout, stderr = command.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        command.kill()
        command.communicate()
        return ["feeds check: still running after 60 s"]
    shown = f"\n      stdout: {stdout.strip()!r}\n      stderr: {stderr.strip()!r}"
    problems: list[str] = []
    if command.returncode != expect["check_exit"]:
        problems.append(
            f"feeds check: exit {command.returncode}, expected {expect['check_exit']}{shown}"
        )
    # The file's own name must not answer for the output ("..._cp1252.csv" holds "1252").
    out = stdout.replace(str(path), "<file>").lower()
    lacking = [s for s in expect["check_contains"] if s.lower() not in out]
    if lacking:
        problems.append(f"feeds check: output lacks {lacking}{shown}")
    return problems


@pytest.mark.parametrize(
    "sidecar", _sidecars(), ids=lambda s: str(_data_file(s).relative_to(EXPORTS))
)
def test_real_export(sidecar: Path, tmp_path: Path) -> None:
    expect = json.loads(sidecar.read_text(encoding="utf-8"))
    path = _data_file(sidecar)
    command = _start_command(path, expect, tmp_path)
    try:
        problems = _check_pull(path, expect, tmp_path)
    finally:
        problems_of_command = _check_command(command, path, expect)
    problems += problems_of_command
    made = f"{expect['tool']}: {expect['settings']}"
    assert not problems, f"{made}\n  - " + "\n  - ".join(problems)
