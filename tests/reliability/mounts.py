"""Real small filesystems for the disk-fault tests: a tmpfs that can be filled or remounted
read-only. Mounting needs root (CI runs as root); elsewhere the tests say why they skip."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def tmpfs(where: Path, megabytes: int = 16) -> Iterator[Path]:
    """A fresh tmpfs of `megabytes` mounted at `where` (created), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a test filesystem needs root (CI runs as root)")
    where.mkdir(parents=True, exist_ok=True)
    try:
        _run("mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(where))
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {getattr(exc, 'stderr', exc)}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def remount_read_only(where: Path) -> None:
    _run("mount", "-o", "remount,ro", str(where))


def remount_read_write(where: Path) -> None:
    _run("mount", "-o", "remount,rw", str(where))


def fill(where: Path) -> Path:
    """Fill the filesystem at `where` to the last byte with one file; returns it."""
    filler = where / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:  # unbuffered: nothing left for close()
        for size in (1 << 20, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * size)
    return filler
