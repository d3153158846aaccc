"""deploy/check-target: the installer's first step says whether the kiosk can run on a machine,
and on one it cannot, what is wrong and what to do instead (issue 14, item 1).

The supported targets (Raspberry Pi OS Trixie 64-bit, Debian 13, Ubuntu 24.04 LTS) pass; the
systems deploy/README.md used to promise (Raspberry Pi OS Bookworm, Debian 12, Ubuntu 22.04)
are refused, each for its real reason. The whole install on Debian 13 runs in
scripts/check-debian13.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def check(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        ["sh", str(DEPLOY / "check-target"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    return done.returncode, done.stdout.splitlines()


@pytest.mark.parametrize(
    ("name", "arch", "glibc", "python", "cage"),
    [
        ("Raspberry Pi OS Trixie 64-bit", "aarch64", "2.41", "3.13", "0.2.0-2"),
        ("Debian 13", "x86_64", "2.41", "3.13", "0.2.0-2"),
        ("Ubuntu 24.04 LTS", "x86_64", "2.39", "3.12", "0.1.5-1build3"),
    ],
)
def test_the_supported_targets_pass(name, arch, glibc, python, cage) -> None:
    code, lines = check(
        "--arch", arch, "--glibc", glibc, "--python-version", python, "--cage", cage
    )
    assert code == 0, lines
    assert lines == [
        f"ok: this system, {arch}, glibc {glibc}, Python {python} (/usr/bin/python3), cage {cage}"
    ]


def test_raspberry_pi_os_bookworm_is_refused_for_glibc_and_cage() -> None:
    code, lines = check(
        "--arch", "aarch64", "--glibc", "2.36", "--python-version", "3.11", "--cage", "0.1.4-4"
    )
    assert code == 1
    problems = [line for line in lines if line.startswith("NOT SUPPORTED:")]
    assert len(problems) == 2, lines
    glibc, cage = problems
    assert "glibc 2.36" in glibc and "need glibc 2.39" in glibc
    assert "cage 0.1.4-4" in cage and "0.1.5" in cage
    for line in problems:
        assert (
            "Install Raspberry Pi OS Trixie 64-bit (Pi 4 or 5), Debian 13, or Ubuntu 24.04" in line
        )
    assert lines[-1].startswith("2 problem(s): the kiosk cannot be installed here.")


def test_ubuntu_22_04_is_refused_for_its_python_and_cage() -> None:
    code, lines = check(
        "--arch", "x86_64", "--glibc", "2.35", "--python-version", "3.10", "--cage", "0.1.4-2"
    )
    assert code == 1
    text = "\n".join(lines)
    assert "Python 3.10 at /usr/bin/python3 is too old: the kiosk needs Python 3.11 to 3.13" in text
    assert "cage 0.1.4-2" in text
    assert "glibc" not in text  # 2.35 is enough for the x86_64 wheels: not a reason here


@pytest.mark.parametrize(
    ("arch", "advice"),
    [
        ("armv7l", "install Raspberry Pi OS Trixie 64-bit"),
        ("riscv64", "x86_64 and aarch64 only"),
    ],
)
def test_an_architecture_without_wheels_is_refused(arch: str, advice: str) -> None:
    code, lines = check(
        "--arch", arch, "--glibc", "2.41", "--python-version", "3.13", "--cage", "0.2.0"
    )
    assert code == 1
    assert len([line for line in lines if line.startswith("NOT SUPPORTED:")]) == 1
    assert advice in lines[0] and arch in lines[0]


def test_a_python_in_roots_home_is_refused(tmp_path: Path) -> None:
    """pyenv's interpreter in /root: the kiosk user could not even start its venv."""
    code, lines = check(
        "--python",
        "/root/.pyenv/versions/3.12.4/bin/python3",
        "--python-version",
        "3.12",
        "--arch",
        "x86_64",
        "--glibc",
        "2.39",
        "--cage",
        "0.1.5",
    )
    assert code == 1
    assert "in a home folder (pyenv?)" in lines[0] and "/usr/bin/python3" in lines[0]


def test_newer_python_and_missing_cage_are_refused() -> None:
    code, lines = check(
        "--arch", "x86_64", "--glibc", "2.41", "--python-version", "3.14", "--cage", "(none)"
    )
    assert code == 1
    assert "newer than the kiosk is tested with (3.11 to 3.13)" in lines[0]
    assert "no cage package in the apt sources" in lines[1] and "apt-get update" in lines[1]


def test_the_installer_checks_before_it_changes_anything() -> None:
    script = (DEPLOY / "install.sh").read_text(encoding="utf-8").splitlines()
    commands = [
        line.strip() for line in script if line.strip() and not line.strip().startswith("#")
    ]
    check_at = next(i for i, line in enumerate(commands) if "check-target" in line)
    changes = re.compile(
        r"\b(apt-get|install-system-deps|useradd|usermod|mkdir|install|tar|systemctl|rm)\b"
    )
    first_change = next(i for i, line in enumerate(commands) if changes.search(line))
    assert check_at < first_change, commands[first_change]
    assert 'echo "nothing was changed"' in commands[check_at + 1]
