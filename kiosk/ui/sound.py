"""The optional celebration chime: one QSoundEffect, made on first use, silent in quiet hours.

Off by default (`[celebration] sound = false`): a break room is not always the place for
noise. When on, a missing audio backend must not take the kiosk down: QtMultimedia fails to
import without its system libraries (libpulse on Linux), and a device can be missing or busy.
Each of those is logged once, and the kiosk carries on silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import struct
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Slot

from kiosk.board.display_schedule import DailyWindow
from kiosk.config import CelebrationConfig

log = logging.getLogger(__name__)

EffectFactory = Callable[[QObject], Any]


def _qt_sound_effect(parent: QObject) -> Any:
    # Imported here: QtMultimedia loads audio libraries that a silent kiosk never needs.
    from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

    if not QMediaDevices.audioOutputs():
        raise RuntimeError("no audio output device")
    return QSoundEffect(parent)


class CelebrationSound(QObject):
    """Plays the chime when allowed. Emits no signals.

    `now` gives the store's local time (aware); `factory` makes the effect (tests pass a fake).
    """

    def __init__(
        self,
        config: CelebrationConfig,
        now: Callable[[], dt.datetime],
        *,
        factory: EffectFactory = _qt_sound_effect,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config = config
        self._now = now
        self._factory = factory
        self._effect: Any = None
        self._broken = False  # logged once; never tried again
        self._quiet = (
            DailyWindow(config.quiet_start, config.quiet_end)
            if config.quiet_start is not None and config.quiet_end is not None
            else None
        )

    @property
    def available(self) -> bool:
        return self._config.sound and not self._broken

    def in_quiet_hours(self, moment: dt.datetime | None = None) -> bool:
        if self._quiet is None:
            return False
        return self._quiet.contains((moment or self._now()).time())

    def play(self) -> bool:
        """Start the chime; False when sound is off, in quiet hours or unavailable."""
        if not self.available or self.in_quiet_hours():
            return False
        effect = self._ensure_effect()
        if effect is None:
            return False
        effect.play()
        return True

    def _ensure_effect(self) -> Any:
        if self._effect is not None:
            return self._effect
        try:
            effect = self._factory(self)
            effect.setSource(QUrl.fromLocalFile(str(self._config.sound_file)))
            effect.setVolume(float(self._config.volume))
            if hasattr(effect, "statusChanged"):
                effect.statusChanged.connect(self._on_status)
        except Exception as exc:  # ImportError without libpulse, RuntimeError without a device
            self._give_up(f"{type(exc).__name__}: {exc}")
            return None
        self._effect = effect
        return effect

    @Slot()
    def _on_status(self) -> None:
        effect = self._effect
        if effect is None:
            return
        status = effect.status()
        if getattr(status, "name", str(status)) == "Error":
            self._give_up(f"cannot play {self._config.sound_file}")

    def _give_up(self, why: str) -> None:
        if not self._broken:
            log.warning("celebration sound is off: %s", why)
        self._broken = True
        if self._effect is not None:
            self._effect.deleteLater()
            self._effect = None


def write_chime(path: Path, rate: int = 22050) -> None:
    """Synthesize the bundled chime: a rising C major arpeggio of soft bells, about 1.4 s.

    How `assets/sounds/celebration.wav` was made (mono, 16-bit, no licence strings attached).
    """
    notes = (523.25, 659.25, 783.99, 1046.5)  # C5 E5 G5 C6
    step, ring = 0.12, 1.0
    total = int(rate * (step * (len(notes) - 1) + ring))
    samples = [0.0] * total
    for index, freq in enumerate(notes):
        start = int(index * step * rate)
        for n in range(int(ring * rate)):
            if start + n >= total:
                break
            t = n / rate
            envelope = math.exp(-4.5 * t) * min(1.0, t / 0.004)
            tone = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            samples[start + n] += 0.22 * envelope * tone
    peak = max(abs(s) for s in samples) or 1.0
    frames = b"".join(struct.pack("<h", int(32767 * 0.8 * s / peak)) for s in samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
