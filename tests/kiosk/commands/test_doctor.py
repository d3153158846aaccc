"""`kiosk doctor` as a technician runs it: one line per check, FAIL lines that say what is
wrong and what to do, exit 1 when anything must be fixed (issue 14, item 6).

The broken store is real: a feed whose host refuses the connection (no network), HQ's web
server answering with a `Date` three hours off (a wrong clock), the database on a read-only
mount (an SD card remounted read-only), no PIN.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests import configs

REPO = Path(__file__).resolve().parents[3]
LINE = re.compile(r"^(ok|warn|FAIL)\s+([a-zA-Z ]+?|feed \S+): \S")
# No display session and no offscreen platform: the doctor checks the store's display stack.
NO_SESSION = {"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""}


def doctor(config: Path, *prefix: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "kiosk", "doctor", "--config", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=180,
        env={**base, **NO_SESSION},
    )


def checklist(output: str) -> dict[str, tuple[str, str]]:
    """topic -> (status, line), every line but the first and the summary."""
    lines = output.strip().splitlines()
    assert lines[0].startswith("kiosk doctor: store ")
    found: dict[str, tuple[str, str]] = {}
    for line in lines[1:-1]:
        match = LINE.match(line)
        assert match, f"not a checklist line: {line!r}"
        assert match.group(2) not in found, f"two lines for {match.group(2)}"
        found[match.group(2)] = (match.group(1), line)
    return found


def test_the_demo_gets_a_checklist_line_for_each_thing(tmp_path: Path) -> None:
    shutil.copy(REPO / "config.toml", tmp_path / "config.toml")
    result = doctor(tmp_path / "config.toml")
    assert result.stderr == ""
    found = checklist(result.stdout)
    feeds = {f"feed {name}" for name in ("stores", "catalog", "metrics", "targets", "comments")}
    assert set(found) == {
        "display",
        "fonts",
        "database",
        "free disk",
        *feeds,
        "feed messages",
        "clock",
        "time zone",
        "PIN",
    }
    assert found["fonts"][0] == "ok"
    assert found["database"][0] == "ok" and "not created yet" in found["database"][1]
    # Before `kiosk run` publishes them, the demo's feeds are not there yet: said, not failed.
    assert found["feed metrics"] == (
        "warn",
        f"warn  feed metrics: {tmp_path}/assets/demo/metrics.csv not published yet: "
        "`kiosk run` writes the demo's feeds",
    )
    assert "America/Chicago: store time" in found["time zone"][1]
    assert found["PIN"][0] == "FAIL" and "kiosk pin set" in found["PIN"][1]
    assert result.returncode == 1  # the PIN must be set
    assert (
        result.stdout.strip()
        .splitlines()[-1]
        .startswith(f"{sum(s == 'FAIL' for s, _ in found.values())} to fix")
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_only(folder: Path) -> tuple[str, ...]:
    """A command prefix under which the database in `folder` cannot be written, as in a
    store: the card remounted read-only (a read-only bind mount), or else the database owned
    by another user than the kiosk's (root, after someone ran the kiosk as root). For a user
    who is not root, permissions do it."""
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        return ()
    unshare = shutil.which("unshare") or "unshare"
    mount = (unshare, "--mount", "--propagation", "private")
    if subprocess.run([*mount, "true"], capture_output=True, check=False).returncode == 0:
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        return (*mount, "sh", "-c", script, str(folder))
    # No mount namespace (in a chroot, / is no mount point): the doctor as `nobody`, the
    # database root's. Only when `nobody` can run this interpreter (not pyenv's in /root).
    nobody = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    probe = subprocess.run(
        [*nobody, sys.executable, "-c", "import kiosk"], cwd="/", capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip(
            "as root, a read-only database needs a mount namespace or a user who can run "
            f"this Python, and this machine has neither: {probe.stderr.strip()[-300:]}"
        )
    return nobody


@pytest.fixture
def home() -> Iterator[Path]:
    """The store's folder, outside pytest's root-only temporary folder: the doctor may run
    as another user (see `read_only`)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-doctor-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class HqWithAnotherClock(BaseHTTPRequestHandler):
    """HQ's web server, its clock three hours ahead of ours (its `Date` header says so): the
    same as this machine's clock three hours behind."""

    skew = dt.timedelta(hours=3)

    def date_time_string(self, timestamp: float | None = None) -> str:
        return email.utils.format_datetime(dt.datetime.now(dt.UTC) + self.skew, usegmt=True)

    def do_GET(self) -> None:
        if self.path == "/feeds/stores.csv":
            body, status = b"store_id,name,region\nS001,Downtown,Central\n", 200
        else:  # a token HQ does not accept
            body, status = b"unauthorized", 401
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hq() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HqWithAnotherClock)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_broken_store_gets_one_line_per_fault(home: Path, hq: str) -> None:
    port = closed_port()
    dead = f"http://127.0.0.1:{port}/feeds/metrics.csv"
    text = configs.config_text(
        [
            ("stores", "stores", f"{hq}/feeds/stores.csv"),
            ("catalog", "catalog", f"{hq}/feeds/catalog.csv"),
            ("metrics", "metrics", dead),
        ],
        database="data/kiosk.db",
        log_dir=None,
        sync="connect_timeout_seconds = 3\nread_timeout_seconds = 3\n",
    )
    config = configs.write_config(home, text)
    (home / "data").mkdir()
    db = sqlite3.connect(home / "data" / "kiosk.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()

    result = doctor(config, *read_only(home / "data"))
    assert result.returncode == 1, result.stdout + result.stderr
    found = checklist(result.stdout)

    status, line = found["database"]
    assert status == "FAIL" and "read-only" in line and "cannot be saved" in line, line
    status, line = found["feed metrics"]
    assert status == "FAIL", line
    assert line.endswith(f"could not connect to 127.0.0.1:{port}: connection refused"), line
    status, line = found["feed catalog"]
    assert status == "FAIL" and "401" in line and "credentials" in line, line
    assert found["feed stores"][0] == "ok"
    status, line = found["clock"]
    assert status == "FAIL", line
    assert "clock: 3 h 0 min behind HQ's" in line, line
    assert found["PIN"][0] == "FAIL"
    # Each fault is said once, in one line.
    assert len(result.stdout.strip().splitlines()) == 1 + len(found) + 1
