"""A worker that imports pytest and the heavy libraries once, then forks one child per test run.

Starting Python, pytest and its plugins (hypothesis alone takes a second) costs more than most
mutants' tests; a fork of a process that has them imported costs milliseconds. The project's
own packages are never imported here, so each child imports the mutant from the copy.

Protocol, one JSON object a line: the runner sends `{"args": [...pytest arguments]}`; the
server answers `{"pid": N}` when the child has started (so the runner can kill its process
group on a timeout), then `{"code": N}` with pytest's exit code, or `{"code": null}` when the
child was killed. The child's output goes to the file named on the command line.
"""

from __future__ import annotations

import importlib
import json
import os
import sys

# Never preloaded: a child must import them from the copy, mutant included.
_PROJECT = ("kiosk", "sync", "hq", "tests")


def _child(args: list[str], output: str) -> None:
    os.setpgid(0, 0)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    code = 3
    try:
        import pytest

        code = int(pytest.main(args))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(output: str, preload: list[str]) -> None:
    for name in preload:
        importlib.import_module(name)
    loaded = [m for m in sys.modules if m.split(".", 1)[0] in _PROJECT]
    if loaded:
        raise SystemExit(f"the fork server must not import the project: {loaded}")
    answer = sys.stdout
    for line in sys.stdin:
        args = json.loads(line)["args"]
        pid = os.fork()
        if pid == 0:
            _child(args, output)
        answer.write(json.dumps({"pid": pid}) + "\n")
        answer.flush()
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        answer.write(json.dumps({"code": code if code >= 0 else None}) + "\n")
        answer.flush()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
