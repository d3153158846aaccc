"""The manager PIN: a salted, slow hash on disk, checked with a lockout that survives restarts.

What is stored where, and why:

- `ManagerConfig.pin_file` (JSON, mode 0600): the scrypt parameters, a random salt and the hash.
  Never the PIN. A new salt every time a PIN is set, so the same PIN never gives the same file.
- `ManagerConfig.key_file` (32 random bytes, mode 0600, created on first use): mixed into the
  scrypt salt. It lives apart from the database and the PIN file, so a copy of the PIN file alone
  (a backup, a support bundle) cannot be brute-forced offline.
- `pin_attempts` table: the time of each checked attempt and whether it was right, never the
  digits. The lockout is derived from it, so restarting the kiosk does not reset the count.

A four-digit PIN has only 10,000 values; whatever the hash, only the lockout protects it. So:

- after `max_attempts` consecutive wrong PINs, entry is locked for `lockout_minutes`;
- each further lockout without a right PIN in between lasts twice as long as the one before,
  up to `MAX_LOCKOUT` (a day). With a fixed 5-minute lockout anyone at the break-room screen
  could try 1,440 PINs a day and find a four-digit PIN within a week; doubling makes that
  take years. A manager who forgot the PIN sets a new one with `kiosk pin set`, which also
  clears the lockout: only attempts recorded after the PIN was set count (by their row id,
  which a clock running ahead cannot date into the future);
- an attempt made while locked is refused without checking the PIN, is logged, and is NOT
  recorded: it neither counts as a failure nor extends the lockout, so tapping the pad while
  locked cannot keep the real manager out for longer (a prank or an impatient finger).

A wrong clock never stretches a lockout: an attempt dated later than now (typed while the clock
ran ahead, then corrected) counts as made when the kiosk first saw it in the future, so the
lockout ends at most its length after the correction, not when the wrong clock's time comes.

`verify` takes about 0.1 s (scrypt, n = 2**15, r = 8, p = 1; 32 MiB of memory): call it from a
worker thread, never the GUI thread.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.clock import utc_now
from sync.store.models import PinAttempt

if TYPE_CHECKING:
    from kiosk.config import ManagerConfig
    from sync.store.db import Database
    from sync.store.writer import Writer

log = logging.getLogger(__name__)

ALGORITHM = "scrypt"
# Measured on the kiosk's reference machine: n = 2**15, r = 8 takes ~90 ms (2**14: ~36 ms,
# too cheap; 2**16: ~180 ms, sluggish on the pad). Parameters are stored in the PIN file, so
# raising them later keeps old files working.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
SALT_BYTES = 16
KEY_BYTES = 32
MAX_PIN_LENGTH = 12
MAX_LOCKOUT = dt.timedelta(hours=24)
# A PIN file may have been edited by hand: refuse parameters that would eat the kiosk's memory.
_MAX_N = 2**20
_MAX_MEMORY = 1024 * 2**20


class PinError(Exception):
    """The PIN files cannot be used (unreadable, corrupt, or the key is missing)."""


class WeakPinError(ValueError):
    """The PIN was refused by the policy; str(exc) is a message for the person setting it."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of one PIN check.

    `ok`: the PIN was right. `locked_until`: set while entry is locked (then the PIN was not
    checked at all, or this attempt was the one that locked it). `attempts_left`: wrong PINs
    still allowed before the next lockout (0 while locked).
    """

    ok: bool
    locked_until: dt.datetime | None
    attempts_left: int


@dataclass(frozen=True)
class PinState:
    """The lockout as of one moment, for the PIN pad's countdown and hint."""

    locked_until: dt.datetime | None
    remaining_seconds: float  # 0 when not locked
    attempts_left: int

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


# --- policy -------------------------------------------------------------------------------


def check_pin_policy(pin: str, min_length: int) -> None:
    """Raise WeakPinError with a message a manager understands when `pin` is not acceptable."""
    if not pin:
        raise WeakPinError("The PIN is empty.")
    if not (pin.isascii() and pin.isdigit()):
        raise WeakPinError("Use digits only (0-9) for the PIN.")
    if len(pin) < min_length:
        raise WeakPinError(f"Use at least {min_length} digits for the PIN.")
    if len(pin) > MAX_PIN_LENGTH:
        raise WeakPinError(f"Use at most {MAX_PIN_LENGTH} digits for the PIN.")
    if len(set(pin)) == 1:
        raise WeakPinError("All digits are the same; choose a PIN that is harder to guess.")
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {-1}):
        raise WeakPinError(
            "The digits run in order (like 1234 or 4321); choose a PIN that is harder to guess."
        )
    if len(pin) % 2 == 0 and pin == pin[:2] * (len(pin) // 2):
        # 1212, 909090: a repeated pair is near the top of every guess list.
        raise WeakPinError("The PIN repeats itself; choose a PIN that is harder to guess.")


# --- files --------------------------------------------------------------------------------


def _write_private_temp(path: Path, data: bytes) -> str:
    """`data` in a new synced temporary file beside `path`, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 from the start: the content is never readable by others,
    # not even for the moment before a chmod.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable by the owner only (0600)."""
    tmp = _write_private_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder is synced (a power cut right after
    # "PIN set" must not bring the old PIN back). Not possible on every OS: best effort.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def load_key(path: Path, *, create: bool, replace_damaged: bool = False) -> bytes:
    """The secret key mixed into the hash; created (0600) when missing and `create` is true.

    With `replace_damaged` (setting a new PIN, whose hash needs no old key), a key file of the
    wrong length (left empty by a full disk or a power cut) is replaced by a new key.
    """
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise PinError(f"the PIN key file {path} is missing; set the PIN again") from None
        return _new_key(path, replace=False)
    except OSError as exc:
        raise PinError(f"cannot read the PIN key file {path}: {exc.strerror}") from None
    if len(key) != KEY_BYTES:
        if replace_damaged:
            log.warning("the PIN key file %s was damaged (wrong length); making a new one", path)
            return _new_key(path, replace=True)
        raise PinError(f"the PIN key file {path} is damaged (wrong length); set the PIN again")
    return key


def _new_key(path: Path, *, replace: bool) -> bytes:
    """A new random key in `path`, written whole or not at all (temp file, fsync, then a link
    or rename), so a full disk or a power cut never leaves an empty key file behind."""
    key = secrets.token_bytes(KEY_BYTES)
    try:
        if replace:
            _write_private(path, key)
            return key
        tmp = _write_private_temp(path, key)
        try:
            # A link fails when the file exists: two `kiosk pin set` at once must not each
            # write a different key; the second reads the first's.
            os.link(tmp, path)
        except FileExistsError:
            return load_key(path, create=False)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _fsync_dir(path.parent)
        return key
    except OSError as exc:
        raise PinError(f"cannot write the PIN key file {path}: {exc.strerror}") from None


def _scrypt(pin: str, salt: bytes, key: bytes, n: int, r: int, p: int) -> bytes:
    need = 128 * n * r * p
    return hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt + key,
        n=n,
        r=r,
        p=p,
        maxmem=need + 2 * 2**20,
        dklen=HASH_BYTES,
    )


@dataclass(frozen=True)
class _PinRecord:
    n: int
    r: int
    p: int
    salt: bytes
    hash: bytes
    created: dt.datetime
    # The highest `pin_attempts` id when the PIN was set: only later attempts count.
    attempts_after: int | None = None


def _read_record(path: Path) -> _PinRecord | None:
    """The PIN file's content; None when there is no PIN file. PinError when it is unusable."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PinError(f"cannot read the PIN file {path}: {exc.strerror}") from None
    try:
        data: dict[str, Any] = json.loads(raw)
        if data.get("algorithm") != ALGORITHM:
            raise ValueError(f"unknown algorithm {data.get('algorithm')!r}")
        n, r, p = int(data["n"]), int(data["r"]), int(data["p"])
        if n < 2 or n & (n - 1) or n > _MAX_N or not 1 <= r <= 64 or not 1 <= p <= 16:
            raise ValueError("scrypt parameters out of range")
        if 128 * n * r * p > _MAX_MEMORY:
            raise ValueError("scrypt parameters need too much memory")
        created = dt.datetime.fromisoformat(data["created"])
        if created.tzinfo is None:
            raise ValueError("created has no time zone")
        return _PinRecord(
            n=n,
            r=r,
            p=p,
            salt=base64.b64decode(data["salt"], validate=True),
            hash=base64.b64decode(data["hash"], validate=True),
            created=created,
            attempts_after=int(data["attempts_after"]) if "attempts_after" in data else None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise PinError(f"the PIN file {path} is damaged ({exc}); set the PIN again") from None


def save_pin(
    config: ManagerConfig, pin: str, now: dt.datetime, *, last_attempt_id: int | None = None
) -> None:
    """Check `pin` against the policy and store its salted hash; WeakPinError when refused.

    Writes no database: `kiosk pin set` works while the kiosk runs. Setting a PIN also ends any
    lockout: only attempts with an id above `last_attempt_id` (the highest in `pin_attempts`
    now; without it, those after the file's `created` time) count. A damaged key file is
    replaced. PinError names the file that could not be written.
    """
    check_pin_policy(pin, config.min_pin_length)
    key = load_key(config.key_file, create=True, replace_damaged=True)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, key, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    document = {
        "algorithm": ALGORITHM,
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": base64.b64encode(salt).decode("ascii"),
        "hash": base64.b64encode(digest).decode("ascii"),
        "created": now.astimezone(dt.UTC).isoformat(),
    }
    if last_attempt_id is not None:
        document["attempts_after"] = last_attempt_id
    try:
        _write_private(config.pin_file, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        raise PinError(f"cannot write the PIN file {config.pin_file}: {exc.strerror}") from None
    log.info("manager PIN set")


# --- the store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One checked PIN attempt as the lockout sees it: when, and whether it was right."""

    at: dt.datetime
    ok: bool
    id: int = 0  # its row id (0 for attempts made up by tests and replays)


class PinStore:
    """Sets and checks the manager PIN, and keeps the lockout.

    Thread-safe; `verify` blocks for the hash (~0.1 s) and one database write, so the GUI
    calls it on a worker thread. `clock` returns the current aware time (tests inject one).
    With a `writer`, attempt records are written on the single writer thread (the kiosk app);
    without one, directly (the CLI and tests).
    """

    def __init__(
        self,
        config: ManagerConfig,
        db: Database,
        clock: Callable[[], dt.datetime] = utc_now,
        *,
        writer: Writer | None = None,
    ) -> None:
        self._config = config
        self._db = db
        self._clock = clock
        self._writer = writer
        # One check at a time: two taps of OK racing must not both get past the lockout test.
        self._lock = threading.Lock()
        # Attempt id -> when this kiosk first saw it dated in the future (a clock corrected
        # back since it was typed): it counts from then, never from the wrong clock's time.
        self._seen_in_future: dict[int, dt.datetime] = {}

    @property
    def max_attempts(self) -> int:
        return self._config.max_attempts

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (WeakPinError with a message when refused); ends any lockout."""
        with self._lock:
            save_pin(self._config, pin, self._clock(), last_attempt_id=last_attempt_id(self._db))

    def has_pin(self) -> bool:
        """Whether a usable PIN is set (False when the PIN file or its key is missing/damaged)."""
        try:
            record = _read_record(self._config.pin_file)
            if record is None:
                return False
            load_key(self._config.key_file, create=False)
        except PinError as exc:
            log.error("%s", exc)
            return False
        return True

    def state(self, now: dt.datetime | None = None) -> PinState:
        """The lockout at `now` (default: the clock)."""
        moment = now if now is not None else self._clock()
        record = _read_record(self._config.pin_file)
        return self._state(self._attempts(record, moment), moment)

    def lock_state(self, now: dt.datetime | None = None) -> float:
        """Seconds until entry unlocks (0.0 when it is not locked): the pad's countdown."""
        return self.state(now).remaining_seconds

    def verify(self, pin: str) -> VerifyResult:
        """Check `pin`, record the attempt (time and outcome only) and log it without digits.

        Raises PinError when no usable PIN is set (check `has_pin()` first).
        """
        with self._lock:
            record = _read_record(self._config.pin_file)
            if record is None:
                raise PinError("no manager PIN is set; run `kiosk pin set`")
            key = load_key(self._config.key_file, create=False)
            now = self._clock()
            attempts = self._attempts(record, now)
            before = self._state(attempts, now)
            if before.locked:
                log.warning(
                    "PIN attempt refused: entry locked for another %d s",
                    round(before.remaining_seconds),
                )
                return VerifyResult(False, before.locked_until, 0)

            candidate = _scrypt(pin, record.salt, key, record.n, record.r, record.p)
            ok = hmac.compare_digest(candidate, record.hash)
            self._record(now, ok)
            # What a re-read would return: the new row has the highest id and passes the same
            # `since` filter. (A right PIN would make it the only row, but lockout_state resets
            # on a right PIN anyway, so the state is the same.)
            after = self._state([*attempts, Attempt(now, ok, _NEWEST)], now)

        if ok:
            log.info("PIN attempt: ok")
            return VerifyResult(True, None, after.attempts_left)
        used = self.max_attempts - after.attempts_left if not after.locked else self.max_attempts
        if after.locked:
            minutes = (after.remaining_seconds or 0) / 60
            log.warning(
                "PIN attempt: wrong (%d of %d); entry locked for %.0f min",
                used,
                self.max_attempts,
                minutes,
            )
            return VerifyResult(False, after.locked_until, 0)
        log.warning("PIN attempt: wrong (%d of %d)", used, self.max_attempts)
        return VerifyResult(False, None, after.attempts_left)

    # --- internals ------------------------------------------------------------------------

    def _attempts(self, record: _PinRecord | None, now: dt.datetime) -> list[Attempt]:
        """Checked attempts since the PIN was set, from the last right one on, oldest first."""
        # Attempts before the PIN was (re)set do not count: setting a PIN ends a lockout. They
        # are told apart by id when the PIN file says which was the last (a clock running ahead
        # cannot date an attempt past a later PIN), else by time. If the clock now reads
        # earlier than `created` (set back), the time filter would ignore every new attempt
        # and so disable the lockout: then count them all instead.
        created = record.created if record is not None else None
        since = created if created is not None and now >= created else None
        with self._db.read() as session:
            after_id = record.attempts_after if record is not None else None
            if after_id is not None and (session.scalar(select(func.max(PinAttempt.id))) or 0) >= (
                after_id
            ):
                return _load_attempts(session, None, after_id)
            # No attempt id that high: the database was rebuilt without them; go by time.
            return _load_attempts(session, since)

    def _record(self, now: dt.datetime, ok: bool) -> None:
        def write() -> None:
            with self._db.write.begin() as session:
                session.add(PinAttempt(at=now, ok=ok))

        if self._writer is not None:
            self._writer.call(write)
        else:
            write()

    def _state(self, attempts: list[Attempt], now: dt.datetime) -> PinState:
        return lockout_state(
            [self._no_later_than_seen(attempt, now) for attempt in attempts],
            now,
            max_attempts=self._config.max_attempts,
            lockout=dt.timedelta(minutes=self._config.lockout_minutes),
        )

    def _no_later_than_seen(self, attempt: Attempt, now: dt.datetime) -> Attempt:
        """`attempt` dated no later than when this kiosk first saw it in the future."""
        if attempt.at <= now or attempt.id == _NEWEST:
            return attempt
        seen = self._seen_in_future.setdefault(attempt.id, now)
        return Attempt(seen, attempt.ok, attempt.id)


# The id of an attempt being recorded right now (not read back yet): never in the future.
_NEWEST = -1


def last_attempt_id(db: Database) -> int | None:
    """The highest `pin_attempts` id (0 without any), or None when the database is unreadable."""
    try:
        with db.read() as session:
            return int(session.scalar(select(func.max(PinAttempt.id))) or 0)
    except Exception:
        log.warning("could not read the PIN attempts; the new PIN ends the lockout by time")
        return None


def _load_attempts(
    session: Session, since: dt.datetime | None, after_id: int | None = None
) -> list[Attempt]:
    """Attempts at or after `since` (or with an id above `after_id`), from the last right one
    on, in the order they happened.

    Ordered by id, not time: ids grow with each insert even if the wall clock is set back.
    """
    last_ok = select(func.max(PinAttempt.id)).where(PinAttempt.ok.is_(True))
    query = select(PinAttempt.id, PinAttempt.at, PinAttempt.ok).order_by(PinAttempt.id)
    if after_id is not None:
        last_ok = last_ok.where(PinAttempt.id > after_id)
        query = query.where(PinAttempt.id > after_id)
    elif since is not None:
        last_ok = last_ok.where(PinAttempt.at >= since)
        query = query.where(PinAttempt.at >= since)
    floor = session.scalar(last_ok)
    if floor is not None:
        query = query.where(PinAttempt.id >= floor)
    return [Attempt(row.at, bool(row.ok), row.id) for row in session.execute(query)]


def lockout_state(
    attempts: list[Attempt],
    now: dt.datetime,
    *,
    max_attempts: int,
    lockout: dt.timedelta,
) -> PinState:
    """Replay checked attempts (oldest first) into the lockout at `now`.

    Every `max_attempts` consecutive wrong PINs start a lockout; each lockout since the last
    right PIN lasts twice the previous one, up to MAX_LOCKOUT. A right PIN resets everything.
    """
    failures = 0
    lockouts = 0
    locked_until: dt.datetime | None = None
    duration = lockout
    for attempt in attempts:
        # Attempts refused during a lockout are never recorded, so every row here was checked.
        # (Should one fall inside a lockout anyway, after the clock was set back, it counts:
        # erring towards locking is the safe side.)
        if attempt.ok:
            failures, lockouts, locked_until = 0, 0, None
            continue
        failures += 1
        if failures >= max_attempts:
            lockouts += 1
            duration = min(lockout * 2 ** min(lockouts - 1, 20), MAX_LOCKOUT)
            end = attempt.at + duration
            locked_until = end if locked_until is None else max(locked_until, end)
            failures = 0
    if locked_until is not None and now < locked_until:
        # A wall clock set back (NTP, a dead RTC battery) must not stretch the countdown
        # beyond the lockout's own length.
        remaining = min(locked_until - now, duration)
        return PinState(now + remaining, remaining.total_seconds(), 0)
    return PinState(None, 0.0, max_attempts - failures)
