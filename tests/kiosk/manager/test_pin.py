"""The manager PIN: salted slow hash on disk, lockout from the database, nothing in clear."""

from __future__ import annotations

import datetime as dt
import json
import logging
import stat
from pathlib import Path

import pytest

from kiosk.config import ManagerConfig
from kiosk.manager.pin import PinError, PinStore, WeakPinError, check_pin_policy
from sync.store.db import Database, open_database

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PIN = "908172"  # unusual on purpose: it cannot show up by accident in a file or a log


class Clock:
    """An injectable wall clock that only moves when told."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(manager: ManagerConfig, db: Database, clock: Clock) -> PinStore:
    pins = PinStore(manager, db, clock)
    pins.set_pin(PIN)
    return pins


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fail(pins: PinStore, times: int) -> None:
    for _ in range(times):
        assert not pins.verify("111222").ok


# --- set and verify -----------------------------------------------------------------------


def test_no_pin_until_one_is_set(manager: ManagerConfig, db: Database, clock: Clock) -> None:
    pins = PinStore(manager, db, clock)
    assert not pins.has_pin()
    with pytest.raises(PinError, match="kiosk pin set"):
        pins.verify(PIN)
    pins.set_pin(PIN)
    assert pins.has_pin()


def test_right_and_wrong_pin(store: PinStore) -> None:
    right = store.verify(PIN)
    assert right.ok and right.locked_until is None and right.attempts_left == 5
    wrong = store.verify("908173")
    assert not wrong.ok and wrong.locked_until is None and wrong.attempts_left == 4


def test_pin_file_holds_a_salted_scrypt_hash_only(store: PinStore, manager: ManagerConfig) -> None:
    first = manager.pin_file.read_text()
    document = json.loads(first)
    assert document["algorithm"] == "scrypt"
    assert {"n", "r", "p", "salt", "hash", "created"} <= document.keys()
    assert PIN not in first
    assert PIN.encode() not in manager.key_file.read_bytes()

    store.set_pin(PIN)  # the same PIN again: a new salt, so a different file
    second = json.loads(manager.pin_file.read_text())
    assert second["salt"] != document["salt"] and second["hash"] != document["hash"]
    assert store.verify(PIN).ok


def test_key_and_pin_files_are_private(store: PinStore, manager: ManagerConfig) -> None:
    assert mode(manager.key_file) == 0o600
    assert mode(manager.pin_file) == 0o600
    assert len(manager.key_file.read_bytes()) == 32
    # No temporary file left next to the PIN file by the atomic write.
    assert [p.name for p in manager.pin_file.parent.iterdir()] == [manager.pin_file.name]


def test_the_key_is_part_of_the_hash(store: PinStore, manager: ManagerConfig) -> None:
    manager.key_file.write_bytes(b"\x00" * 32)  # someone copied the PIN file without its key
    assert not store.verify(PIN).ok


def test_a_missing_key_means_no_usable_pin(store: PinStore, manager: ManagerConfig) -> None:
    manager.key_file.unlink()
    assert not store.has_pin()
    with pytest.raises(PinError, match="key file"):
        store.verify(PIN)


def test_a_damaged_pin_file_is_reported(store: PinStore, manager: ManagerConfig) -> None:
    manager.pin_file.write_text('{"algorithm": "scrypt", "n": 1073741824, "r": 8, "p": 1}')
    assert not store.has_pin()
    with pytest.raises(PinError, match="damaged"):
        store.verify(PIN)


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("", "empty"),
        ("123", "at least 4 digits"),
        ("12a4", "digits only"),
        ("12 34", "digits only"),
        ("١٢٣٤٥", "digits only"),  # Arabic-Indic digits: isdigit() but not on the pad
        ("1234567890123", "at most 12 digits"),
        ("0000", "same"),
        ("777777", "same"),
        ("1234", "in order"),
        ("123456", "in order"),
        ("987654", "in order"),
        ("1212", "repeats"),
        ("909090", "repeats"),
    ],
)
def test_weak_pins_are_refused(
    manager: ManagerConfig, db: Database, clock: Clock, pin: str, message: str
) -> None:
    pins = PinStore(manager, db, clock)
    with pytest.raises(WeakPinError, match=message):
        pins.set_pin(pin)
    assert not manager.pin_file.exists()


def test_policy_follows_min_length() -> None:
    check_pin_policy("4839", 4)
    with pytest.raises(WeakPinError, match="at least 6 digits"):
        check_pin_policy("4839", 6)


# --- lockout ------------------------------------------------------------------------------


def test_five_wrong_pins_lock_entry_with_a_countdown(store: PinStore, clock: Clock) -> None:
    for left in (4, 3, 2, 1):
        result = store.verify("111222")
        assert not result.ok and result.attempts_left == left and result.locked_until is None
    fifth = store.verify("111222")
    assert not fifth.ok and fifth.attempts_left == 0
    assert fifth.locked_until == T0 + dt.timedelta(minutes=5)
    assert store.lock_state() == 300

    clock.advance(minutes=1, seconds=30)
    assert store.lock_state() == 210
    state = store.state()
    assert state.locked and state.remaining_seconds == 210 and state.attempts_left == 0

    # The right PIN is refused, unchecked, while locked; it does not extend the lockout.
    refused = store.verify(PIN)
    assert not refused.ok and refused.locked_until == T0 + dt.timedelta(minutes=5)
    fail(store, 3)
    assert store.lock_state() == 210

    clock.advance(minutes=3, seconds=30)
    assert store.lock_state() == 0
    after = store.verify(PIN)
    assert after.ok and after.attempts_left == 5


def test_lockout_survives_a_restart(
    store: PinStore, manager: ManagerConfig, clock: Clock, tmp_path: Path
) -> None:
    fail(store, 5)
    clock.advance(minutes=2)
    # A new process: a new engine on the same file, a new PinStore.
    db2 = open_database(tmp_path / "kiosk.db")
    try:
        restarted = PinStore(manager, db2, clock)
        assert restarted.lock_state() == 180
        assert not restarted.verify(PIN).ok
        clock.advance(minutes=3)
        assert restarted.verify(PIN).ok
    finally:
        db2.dispose()


def test_unlock_then_lock_again_for_twice_as_long(store: PinStore, clock: Clock) -> None:
    fail(store, 5)
    clock.advance(minutes=5)
    assert store.state().attempts_left == 5  # a fresh set of tries after the lockout
    fail(store, 4)
    assert store.lock_state() == 0
    last = store.verify("111222")
    assert last.locked_until == clock.now + dt.timedelta(minutes=10)
    clock.advance(minutes=10)
    assert store.verify(PIN).ok
    fail(store, 5)  # after a right PIN the lockout is back to its first length
    assert store.lock_state() == 300


def test_a_right_pin_resets_the_count(store: PinStore) -> None:
    fail(store, 4)
    assert store.verify(PIN).ok
    assert store.verify("111222").attempts_left == 4


def test_setting_a_new_pin_ends_the_lockout(store: PinStore, clock: Clock) -> None:
    fail(store, 5)
    clock.advance(seconds=10)
    store.set_pin("583920")
    assert store.lock_state() == 0
    assert store.verify("583920").ok


def test_a_clock_set_back_does_not_lift_or_stretch_the_lockout(
    store: PinStore, clock: Clock
) -> None:
    fail(store, 5)
    clock.advance(days=-1)  # before the PIN file's `created`, too
    assert store.lock_state() == 300  # still locked, and never for more than the lockout
    assert not store.verify(PIN).ok


def test_policy_from_config(db: Database, clock: Clock, tmp_path: Path) -> None:
    config = ManagerConfig(
        pin_file=tmp_path / "p.json", key_file=tmp_path / "k", max_attempts=3, lockout_minutes=2
    )
    pins = PinStore(config, db, clock)
    pins.set_pin("583920")
    assert pins.verify("111222").attempts_left == 2
    fail(pins, 2)
    assert pins.lock_state() == 120


# --- never in clear -----------------------------------------------------------------------


def test_attempts_are_logged_without_digits(
    store: PinStore, clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store.verify(PIN)
    for _ in range(5):
        store.verify("908171")
    store.verify(PIN)  # refused while locked
    clock.advance(minutes=6)
    store.verify(PIN)
    store.set_pin(PIN)

    messages = [r.getMessage() for r in caplog.records if r.name == "kiosk.manager.pin"]
    assert "PIN attempt: ok" in messages
    assert "PIN attempt: wrong (3 of 5)" in messages
    assert "PIN attempt: wrong (5 of 5); entry locked for 5 min" in messages
    assert any(m.startswith("PIN attempt refused: entry locked for another") for m in messages)
    assert PIN not in caplog.text and "908171" not in caplog.text

    # Nor in the database: the attempts table holds times and outcomes only.
    stored = b"".join(
        path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("kiosk.db")
    )
    assert stored, "the database files were not found"
    assert PIN.encode() not in stored and b"908171" not in stored
