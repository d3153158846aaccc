"""Running a module's tests against each of its mutants.

Each worker has its own copy of the repository (without .venv and .git) and runs pytest
there, each run a fork of the worker's fork server (`forkserver.py`), with the copy first on
PYTHONPATH, so tests that start `python -m kiosk` as a subprocess import the mutant too. One
mutant at a time is written into a copy, its cached bytecode deleted (a mutant of the same
size written in the same second would otherwise run the stale .pyc), and the original written
back after the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from scripts.mutation.operators import Mutant, mutated_source
from scripts.mutation.settings import Target

Status = Literal["killed", "timeout", "survived"]
_COPY_IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
    "node_modules",
)
_FORK_SERVER = str(Path(__file__).with_name("forkserver.py"))
# pytest exit code 5: no tests were collected (a wrong test path in the config, not a kill).
_NO_TESTS = 5


class BaselineError(RuntimeError):
    """The tests of a module fail (or find nothing) without any mutant: nothing to measure."""


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: Status
    seconds: float


@dataclass
class ModuleRun:
    """One target's mutants and, once run, their outcomes."""

    target: Target
    source: str
    mutants: list[Mutant]
    baseline_seconds: float = 0.0
    timeout: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)


class Workspace:
    """A copy of the repository in which one mutant at a time is tested, with its own fork
    server (`forkserver.py`) that has pytest and `preload` imported."""

    def __init__(self, root: Path, into: Path, preload: Sequence[str] = ()) -> None:
        shutil.copytree(root, into, ignore=_COPY_IGNORED, symlinks=True)
        self.path = into
        self.output = into / ".mutation-output.txt"
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(into), os.environ.get("PYTHONPATH", "")) if p
        )
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # the copy's bytecode speeds up each run
        self._server = subprocess.Popen(
            # -P: the server's folder is not put on sys.path; the copy is (PYTHONPATH).
            [sys.executable, "-P", _FORK_SERVER, str(self.output), *preload],
            cwd=into,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def close(self) -> None:
        """End the fork server: it stops at the end of its input."""
        if self._server.stdin is not None:
            self._server.stdin.close()
        self._server.wait()
        if self._server.stdout is not None:
            self._server.stdout.close()

    def check_imports(self, packages: Sequence[str]) -> None:
        """Fail unless `packages` import from this copy (not the editable install)."""
        code = (
            "import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    print(importlib.import_module(name).__file__)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, *packages],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for package, found in zip(packages, out, strict=True):
            if not Path(found).resolve().is_relative_to(self.path.resolve()):
                raise BaselineError(f"{package} imports from {found}, not from the copy")

    def write(self, module: str, text: str) -> None:
        target = self.path / module
        target.write_text(text, encoding="utf-8")
        for cached in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
            cached.unlink(missing_ok=True)

    def _answer(self) -> dict[str, int | None]:
        assert self._server.stdout is not None
        line = self._server.stdout.readline()
        if not line:
            raise BaselineError(f"the fork server of {self.path} stopped")
        answer: dict[str, int | None] = json.loads(line)
        return answer

    def run_tests(
        self, tests: Sequence[str], pytest_args: Sequence[str], timeout: float | None
    ) -> tuple[int | None, float, str]:
        """pytest's exit code (None on timeout), the seconds it took, and its output."""
        assert self._server.stdin is not None
        started = time.monotonic()
        self._server.stdin.write(json.dumps({"args": [*pytest_args, *tests]}) + "\n")
        self._server.stdin.flush()
        pid = self._answer()["pid"]
        assert pid is not None
        timer = None if timeout is None else threading.Timer(timeout, _kill_group, (pid,))
        if timer is not None:
            timer.start()
        code = self._answer()["code"]
        if timer is not None:
            timer.cancel()
        output = self.output.read_text(encoding="utf-8", errors="replace")
        return code, time.monotonic() - started, output


def _kill_group(pid: int) -> None:
    """Kill a test run and whatever it started (it leads its own process group)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError):
            kill(pid, signal.SIGKILL)


def _status(code: int | None) -> Status:
    if code is None:
        return "timeout"
    if code == _NO_TESTS:
        raise BaselineError("pytest collected no tests under a mutant")
    return "survived" if code == 0 else "killed"


def run_mutants(
    root: Path,
    scratch: Path,
    runs: Sequence[ModuleRun],
    *,
    pytest_args: Sequence[str],
    jobs: int,
    timeout_factor: float,
    timeout_min_seconds: float,
    timeout: float | None = None,
    preload: Sequence[str] = (),
    report: Callable[[int, int, Outcome], None] = lambda done, total, outcome: None,
) -> None:
    """Fill each run's `outcomes` (in mutant order); `report` hears of each finished mutant."""
    workspaces = [Workspace(root, scratch / f"worker{i}", preload) for i in range(max(1, jobs))]
    try:
        timing = (timeout_factor, timeout_min_seconds, timeout)
        _run_all(runs, workspaces, pytest_args, timing, report)
    finally:
        for workspace in workspaces:
            workspace.close()


def _run_all(
    runs: Sequence[ModuleRun],
    workspaces: Sequence[Workspace],
    pytest_args: Sequence[str],
    timing: tuple[float, float, float | None],
    report: Callable[[int, int, Outcome], None],
) -> None:
    timeout_factor, timeout_min_seconds, timeout = timing
    packages = sorted({run.target.path.split("/", 1)[0] for run in runs})
    for workspace in workspaces:
        workspace.check_imports(packages)
    first = workspaces[0]
    for run in runs:
        code, seconds, output = first.run_tests(run.target.tests, pytest_args, None)
        if code != 0:
            raise BaselineError(
                f"the tests of {run.target.path} fail without any mutant (exit {code}):\n{output}"
            )
        run.baseline_seconds = seconds
        run.timeout = timeout or max(timeout_min_seconds, seconds * timeout_factor)

    free: queue.Queue[Workspace] = queue.Queue()
    for workspace in workspaces:
        free.put(workspace)
    total = sum(len(run.mutants) for run in runs)
    done = 0
    lock = threading.Lock()

    def test(run: ModuleRun, mutant: Mutant) -> Outcome:
        nonlocal done
        workspace = free.get()
        try:
            workspace.write(run.target.path, mutated_source(run.source, mutant))
            code, seconds, _ = workspace.run_tests(run.target.tests, pytest_args, run.timeout)
        finally:
            workspace.write(run.target.path, run.source)
            free.put(workspace)
        outcome = Outcome(mutant, _status(code), seconds)
        with lock:
            done += 1
            report(done, total, outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=len(workspaces)) as pool:
        futures = [(run, pool.submit(test, run, m)) for run in runs for m in run.mutants]
        for run, future in futures:
            run.outcomes.append(future.result())
