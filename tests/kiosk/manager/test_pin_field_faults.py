"""Field faults of the manager PIN (docs/reliability.md, "Field faults").

- A clock running ahead (a hardware clock in local time, no NTP yet) while wrong PINs were typed
  stretched the lockout once the clock was corrected: an hour ahead locked entry for 64 minutes
  with "5.0 min" on the pad, a year ahead for a year; and `kiosk pin set` did not clear it.
- A full disk during `kiosk pin set` left a 0-byte key file that no later `pin set` could get
  past, and the first error named the wrong file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.config import ManagerConfig
from kiosk.manager.pin import KEY_BYTES, PinStore, last_attempt_id, save_pin
from sync.store.db import Database
from tests import configs
from tests.kiosk.manager.test_pin import PIN, Clock, fail
from tests.reliability.mounts import fill, tmpfs

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("ahead", [dt.timedelta(hours=1), dt.timedelta(days=365)])
def test_a_clock_corrected_back_never_stretches_a_lockout(
    manager: ManagerConfig, db: Database, ahead: dt.timedelta
) -> None:
    clock = Clock(T0)
    pins = PinStore(manager, db, clock)
    pins.set_pin(PIN)
    clock.now = T0 + ahead  # the wrong clock, while someone guesses
    fail(pins, 5)
    assert pins.state().locked

    clock.now = T0 + dt.timedelta(minutes=1)  # NTP corrects it
    state = pins.state()
    assert state.locked and state.remaining_seconds == 5 * 60  # never more than its length
    clock.advance(minutes=4, seconds=59)
    assert pins.state().locked
    clock.advance(seconds=2)
    after = pins.state()
    assert not after.locked and after.attempts_left == 5  # 5 minutes after the correction
    assert pins.verify(PIN).ok


def test_pin_set_clears_a_lockout_dated_in_the_future(manager: ManagerConfig, db: Database) -> None:
    clock = Clock(T0 + dt.timedelta(days=365))
    pins = PinStore(manager, db, clock)
    pins.set_pin(PIN)
    fail(pins, 5)
    clock.now = T0  # corrected back by a year
    assert pins.state().locked
    # What `kiosk pin set` does from the command line, with the clock right again.
    save_pin(manager, "517392", T0, last_attempt_id=last_attempt_id(db))
    assert not pins.state().locked
    assert pins.verify("517392").ok


def test_pin_set_replaces_an_empty_key_file(manager: ManagerConfig, db: Database) -> None:
    manager.key_file.parent.mkdir(parents=True)
    manager.key_file.write_bytes(b"")  # a power cut during the first `pin set`
    save_pin(manager, PIN, T0)
    assert len(manager.key_file.read_bytes()) == KEY_BYTES
    assert PinStore(manager, db, Clock(T0)).verify(PIN).ok


def test_a_full_disk_during_pin_set_leaves_no_empty_key_and_names_it(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", megabytes=1) as disk:
        config = configs.config_text(
            database=str(tmp_path / "kiosk.db"),
            extra=(
                f'\n[manager]\npin_file = "{disk / "pin.json"}"\nkey_file = "{disk / "pin.key"}"\n'
            ),
        )
        configs.write_config(tmp_path, config)
        filler = fill(disk)
        result = configs.run_kiosk("pin", "set", cwd=tmp_path, stdin="517392\n")
        assert result.returncode == 1
        assert f"cannot write the PIN key file {disk / 'pin.key'}" in result.stderr
        assert "No space left on device" in result.stderr
        assert not (disk / "pin.key").exists() and not (disk / "pin.json").exists()
        assert list(disk.iterdir()) == [filler]  # no temporary file left behind either

        filler.unlink()
        result = configs.run_kiosk("pin", "set", cwd=tmp_path, stdin="517392\n")
        assert result.returncode == 0, result.stderr
        assert len((disk / "pin.key").read_bytes()) == KEY_BYTES
