"""The manager PIN and the audit log (issue 7, item 6).

- Brute force: an attacker at the screen who waits out every lockout, and a kiosk restarted in
  the middle of a count or a lockout (a power cut, `systemctl restart`, a crash), still gets
  only a few dozen guesses a week at a 10,000-value PIN.
- The PIN's hash is not in the database, and no feed can reach it: feeds never write files,
  and every statement a pull of every kind runs touches feed tables only (traced in SQLite).
  The pin_attempts table holds times and outcomes, never digits.
- The audit log cannot be edited: `kiosk.manager.entries` offers no way to change or delete an audit
  row, no statement the app runs updates or deletes one, and a random walk of 600 taps
  over the whole manager area only ever appends to it.
"""

from __future__ import annotations

import ast
import base64
import datetime as dt
import inspect
import json
import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect

import kiosk.manager.entries
import kiosk.manager.pin
import sync.service
from kiosk.config import ManagerConfig, load_config
from kiosk.manager.pin import PinStore, save_pin
from sync.service import SyncService
from sync.store.db import Database, open_database
from sync.store.models import EntryAudit, PinAttempt
from tests.demo_env import DEMO_NOW, demo_env
from tests.kiosk.ui.conftest import FakeClock
from tests.kiosk.ui.manager_kit import PIN as KIT_PIN
from tests.kiosk.ui.manager_kit import close_kit, make_kit

SYNC_DIR = Path(sync.service.__file__).parent

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECRET_PIN = "5868"
# The store's own tables: nothing a feed pulls may write them.
PRIVATE_TABLES = {
    "pin_attempts",
    "manager_entries",
    "entry_audit",
    "outbox",
    "shoutouts",
    "celebrated",
}
_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


class Clock:
    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper hash for the long brute-force runs: the lockout, not the hash, is under test
    (the parameters are stored in the PIN file, so verify uses what set_pin used)."""
    monkeypatch.setattr(kiosk.manager.pin, "SCRYPT_N", 2**8)


@pytest.fixture
def manager(tmp_path: Path) -> ManagerConfig:
    return ManagerConfig(
        pin_file=tmp_path / "secrets" / "manager-pin.json",
        key_file=tmp_path / "keys" / "manager-pin.key",
    )


class Kiosk:
    """One "process": its own engine on the database file, its own PinStore."""

    def __init__(self, path: Path, manager: ManagerConfig, clock: Clock) -> None:
        self.db = open_database(path)
        self.pins = PinStore(manager, self.db, clock)

    def stop(self) -> None:
        self.db.dispose()


# --- brute force and restarts --------------------------------------------------------------


def test_a_restart_in_the_middle_of_the_count_keeps_it(
    tmp_path: Path, manager: ManagerConfig, cheap_scrypt: None
) -> None:
    clock = Clock()
    first = Kiosk(tmp_path / "kiosk.db", manager, clock)
    first.pins.set_pin(SECRET_PIN)
    for _ in range(3):
        assert not first.pins.verify("1357").ok
    first.stop()  # power cut after three wrong PINs

    second = Kiosk(tmp_path / "kiosk.db", manager, clock)
    assert second.pins.state().attempts_left == 2
    assert second.pins.verify("2468").attempts_left == 1
    second.stop()

    third = Kiosk(tmp_path / "kiosk.db", manager, clock)
    locked = third.pins.verify("9753")  # the fifth wrong PIN, in the third process
    assert locked.locked_until == T0 + dt.timedelta(minutes=5)
    assert not third.pins.verify(SECRET_PIN).ok  # refused unchecked while locked
    third.stop()


def test_a_restart_during_a_doubled_lockout_keeps_its_length(
    tmp_path: Path, manager: ManagerConfig, cheap_scrypt: None
) -> None:
    clock = Clock()
    kiosk_ = Kiosk(tmp_path / "kiosk.db", manager, clock)
    kiosk_.pins.set_pin(SECRET_PIN)
    for _ in range(5):
        kiosk_.pins.verify("1357")
    clock.advance(minutes=5)
    for _ in range(5):
        kiosk_.pins.verify("1357")
    assert kiosk_.pins.lock_state() == 600  # the second lockout: twice as long
    kiosk_.stop()
    clock.advance(minutes=3)
    restarted = Kiosk(tmp_path / "kiosk.db", manager, clock)
    assert restarted.pins.lock_state() == 420
    restarted.stop()


def test_brute_force_with_restarts_gets_a_few_dozen_guesses_a_week(
    tmp_path: Path, manager: ManagerConfig, cheap_scrypt: None
) -> None:
    """An attacker tries every PIN in order, waits out each lockout to the second, and pulls
    the plug every third guess. A week later the PIN is still not found."""
    clock = Clock()
    kiosk_ = Kiosk(tmp_path / "kiosk.db", manager, clock)
    kiosk_.pins.set_pin(SECRET_PIN)
    end = T0 + dt.timedelta(days=7)
    checked = refused = restarts = 0
    candidates = (f"{n:04d}" for n in range(10_000))
    guess = next(candidates)
    while clock.now < end:
        state = kiosk_.pins.state()
        if state.locked:
            # Tapping during the lockout is refused unchecked and does not extend it.
            assert not kiosk_.pins.verify(SECRET_PIN).ok
            assert kiosk_.pins.state().locked_until == state.locked_until
            refused += 1
            assert state.locked_until is not None
            clock.now = state.locked_until + dt.timedelta(seconds=1)
            continue
        assert not kiosk_.pins.verify(guess).ok, "the brute force found the PIN"
        checked += 1
        guess = next(candidates)
        if checked % 3 == 0:  # pull the plug
            kiosk_.stop()
            kiosk_ = Kiosk(tmp_path / "kiosk.db", manager, clock)
            restarts += 1
    kiosk_.stop()
    with open_database(tmp_path / "kiosk.db").read() as session:
        recorded = len(session.scalars(select(PinAttempt)).all())
    assert recorded == checked  # refused taps are not recorded
    # 5 guesses per lockout; lockouts of 5, 10, 20 ... minutes, capped at a day: about 15
    # lockouts in a week. With a fixed 5-minute lockout it would be over 10,000 (all of them).
    assert checked <= 100, checked
    assert restarts > 20 and refused > 10
    print(f"\nbrute force: {checked} PINs checked in 7 days, {restarts} restarts")


# --- the hash never in the database, never reachable by a feed -----------------------------


def test_the_pin_attempts_table_holds_times_and_outcomes_only() -> None:
    columns = {c.name for c in sa_inspect(PinAttempt).columns}
    assert columns == {"id", "at", "ok"}


def _all_cells(db: Database) -> Iterator[str]:
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in raw.execute(f'SELECT * FROM "{table}"'):
                for cell in row:
                    if cell is not None:
                        yield cell.hex() if isinstance(cell, bytes) else str(cell)


def test_the_pin_hash_salt_and_key_are_not_in_the_database(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    env.sync()
    config = env.config.manager
    # Apart from the database: other files, outside the database's file set.
    database = env.config.database_path
    for path in (config.pin_file, config.key_file):
        assert path.resolve() != database.resolve()
        assert not path.name.startswith(database.name)
    pins = PinStore(config, env.db, Clock(DEMO_NOW))
    pins.set_pin(SECRET_PIN)
    for guess in ("1111", "9021", SECRET_PIN):
        pins.verify(guess)
    document = json.loads(config.pin_file.read_text())
    secrets_ = {
        document["hash"],
        document["salt"],
        base64.b64decode(document["hash"]).hex(),
        base64.b64decode(document["salt"]).hex(),
        config.key_file.read_bytes().hex(),
        base64.b64encode(config.key_file.read_bytes()).decode(),
    }
    cells = list(_all_cells(env.db))
    assert cells, "the demo database has rows"
    for cell in cells:
        for secret in secrets_:
            assert secret not in cell
        assert SECRET_PIN not in cell and "9021" not in cell
    # Nor in the raw files (free pages and the WAL included).
    raw = b"".join(
        p.read_bytes() for p in database.parent.iterdir() if p.name.startswith(database.name)
    )
    for secret in secrets_:
        assert secret.encode() not in raw
    assert base64.b64decode(document["hash"]) not in raw
    assert config.key_file.read_bytes() not in raw
    env.db.dispose()


def test_no_feed_kind_writes_a_table_of_the_stores_own_data(tmp_path: Path) -> None:
    """Trace every statement SQLite runs during a pull of every feed kind: only feed tables
    and the sync bookkeeping are written; PIN attempts, entries, the audit log, the outbox,
    shout-outs and celebrations never."""
    env = demo_env(tmp_path)
    env.db.engine.dispose()  # new connections from here on, each traced
    statements: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(env.db.engine, "connect", trace)
    written: set[str] = set()
    # Even a feed that names itself like a private table is just a feed.
    feeds = [
        *env.config.feeds,
        *(
            type(spec)(name=table, kind=spec.kind, url=spec.url)
            for spec, table in zip(env.config.feeds, sorted(PRIVATE_TABLES), strict=False)
        ),
    ]
    service = SyncService(env.db, env.config.store.id, feeds)
    try:
        reports = service.pull_all()
    finally:
        service.close()
    assert all(r.ok for r in reports), [r.line() for r in reports]
    assert {r.kind for r in reports} == {
        "stores",
        "catalog",
        "metrics",
        "targets",
        "comments",
        "messages",
    }
    for sql in statements:
        match = _WRITE.match(sql)
        if match:
            written.add(match.group(1).lower())
    assert written, "the trace saw the pulls' writes"
    assert not written & PRIVATE_TABLES, written & PRIVATE_TABLES
    assert written <= {
        "stores",
        "catalog",
        "metric_values",
        "targets",
        "comments",
        "messages",
        "feed_state",
        "sync_runs",
    }, written
    env.db.dispose()


# The modules a feed's bytes pass through, from the download to the database: every module of
# the fetch and parse layers, and the ones that apply a pull.
FEED_PATH = (
    "spec.py",
    *(f"fetch/{p.name}" for p in sorted((SYNC_DIR / "fetch").glob("*.py"))),
    *(f"parse/{p.name}" for p in sorted((SYNC_DIR / "parse").glob("*.py"))),
    "ingest.py",
    "service.py",
)


def test_feeds_never_write_files() -> None:
    """The code a feed goes through writes no file (a feed cannot plant or replace the PIN
    file or its key): no `open(..., "w")`, `write_bytes`, `os.replace`, `shutil` and so on.
    Bodies go to an anonymous SpooledTemporaryFile; everything else goes to the database."""
    root = SYNC_DIR
    path_writers = {"write_text", "write_bytes", "unlink", "rename", "touch", "mkdir", "chmod"}
    os_writers = {"replace", "rename", "remove", "unlink", "chmod", "makedirs", "mkdir", "link"}
    found = []
    for name in FEED_PATH:
        path = root / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "shutil"
                and node.attr != "copyfileobj"  # stream to stream (a temporary file)
            ):
                found.append(f"{name}:{node.lineno} shutil.{node.attr}")
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if func.attr in path_writers or (owner == "os" and func.attr in os_writers):
                    found.append(f"{name}:{node.lineno} {owner}.{func.attr}")
            elif isinstance(func, ast.Name) and func.id == "open" and len(node.args) > 1:
                mode = node.args[1]
                if not (isinstance(mode, ast.Constant) and set(str(mode.value)) <= set("rbt")):
                    found.append(f"{name}:{node.lineno} open(..., {ast.unparse(mode)})")
    assert not found, found


# --- the audit log cannot be edited ---------------------------------------------------------


def test_kiosk_entries_offers_no_way_to_change_an_audit_row() -> None:
    public = {
        name: member
        for name, member in inspect.getmembers(kiosk.manager.entries, inspect.isfunction)
        if member.__module__ == "kiosk.manager.entries" and not name.startswith("_")
    }
    assert "audit_trail" in public  # reading it is the only audit API
    for name in public:
        assert not re.search(r"(update|delete|edit|remove|clear|purge).*audit", name), name
        assert not re.search(r"audit.*(update|delete|edit|remove|clear|purge)", name), name
    source = inspect.getsource(kiosk.manager.entries)
    assert not re.search(r"(update|delete)\(\s*EntryAudit", source)
    assert not re.search(r"session\.delete\(", source)
    # Inserted in save_entry, read in audit_trail; nothing else touches the model.
    uses = [name for name, member in public.items() if "EntryAudit" in inspect.getsource(member)]
    assert sorted(uses) == ["audit_trail", "save_entry"]


@pytest.fixture
def kit(qtbot, tmp_path, kiosk_app):
    made = make_kit(qtbot, tmp_path, FakeClock(), (1920, 1080))
    made.set_pin()
    yield made
    close_kit(made)


def _audit_rows(db: Database) -> list[tuple[object, ...]]:
    with db.read() as session:
        return [
            (a.id, a.store_id, a.metric, a.day, a.old_value, a.new_value, a.at)
            for a in session.scalars(select(EntryAudit).order_by(EntryAudit.id))
        ]


def _visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [
        b
        for b in root.findChildren(QAbstractButton)
        if b.isVisible() and b.isEnabled() and b.accessibleName() != "Manager"
    ]


@pytest.mark.qt_log_ignore(
    r"qt\.multimedia",
    r"Couldn't (load|resolve) pipewire",
    r"overrides a member of the base object",
    r"depends on non-bindable properties",
    r"QLineEdit::echoMode",
)
def test_random_taps_never_change_or_delete_an_audit_row(kit, qtbot) -> None:
    db = kit.env.db
    db.engine.dispose()
    statements: list[str] = []
    event.listen(
        db.engine,
        "connect",
        lambda conn, _record: conn.set_trace_callback(statements.append),
    )
    kit.log_in()
    kit.enter_value("Training hours", "6.5")  # something in the audit log to begin with
    before = _audit_rows(db)
    assert before
    rng = random.Random(7)
    pages_seen: dict[str, int] = {}
    for _ in range(600):
        if kit.manager.state == "closed":  # "Done" was tapped: in again, through the PIN pad
            pages_seen["PinPad"] = pages_seen.get("PinPad", 0) + 1
            kit.log_in(KIT_PIN)
        current = kit.manager.overlay.current()
        page = type(current).__name__ if current is not None else "EntryScreen"
        pages_seen[page] = pages_seen.get(page, 0) + 1
        root = current if current is not None else kit.window.entry
        # Nothing on the audit page can take text or change anything: Back is all there is.
        if page == "AuditPage":
            for editable in (QLineEdit, QTextEdit, QPlainTextEdit):
                assert not root.findChildren(editable)
            assert [b.accessibleName() for b in _visible_buttons(root)] == ["Back"]
        buttons = _visible_buttons(root)
        if not buttons:
            kit.settle()
            continue
        button = rng.choice(buttons)
        if isinstance(button, QAbstractButton) and button.accessibleName() == "Add shout-out":
            kit.tap(button)
            kit.manager.overlay.editor.field.setText(f"Thanks {rng.randint(1, 99)}")
        else:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        kit.settle()
        after = _audit_rows(db)
        assert after[: len(before)] == before, "an audit row changed or went away"
        before = after
    assert {"PinPad", "EntryScreen", "NumberPad", "AuditPage", "ShoutOutsPage"} <= set(pages_seen)
    touched = {
        m.group(0).split()[0].upper()
        for sql in statements
        if (m := _WRITE.match(sql)) and m.group(1).lower() == "entry_audit"
    }
    assert touched <= {"INSERT"}, touched
    assert len(_audit_rows(db)) > 1, "the walk saved some numbers too"
    print(f"\naudit walk: taps per page {pages_seen}, {len(_audit_rows(db))} audit rows")


def test_manager_config_keeps_the_pin_files_out_of_the_database(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    config = load_config(env.config.path)
    assert config.manager.pin_file.suffix == ".json"
    assert config.manager.pin_file != config.database_path
    assert config.manager.key_file != config.database_path
    save_pin(config.manager, SECRET_PIN, DEMO_NOW)
    with env.db.read() as session:
        tables = set(sa_inspect(session.connection()).get_table_names())
    assert not {t for t in tables if "pin" in t} - {"pin_attempts"}
    env.db.dispose()
