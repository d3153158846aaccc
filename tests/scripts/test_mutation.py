"""The mutation-testing command (scripts/mutation, docs/mutation.md): which mutants it makes,
that each changes exactly what its key says, and that a run tells killed from survived."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from scripts.mutation.__main__ import score_of
from scripts.mutation.operators import Mutant, find_mutants, mutated_source
from scripts.mutation.runner import ModuleRun, Outcome, run_mutants
from scripts.mutation.settings import CONFIG, Target, load_equivalents, load_settings

SAMPLE = textwrap.dedent(
    '''\
    """A module docstring."""

    from __future__ import annotations

    from typing import Literal

    Mark = Literal[".", ","]
    LIMIT = 10


    def check(value: float, mark: Mark = ".") -> bool:
        """A docstring."""
        if value > LIMIT:
            raise ValueError(f"{value} is over {LIMIT}")
        if not mark:
            raise ValueError("no mark")
        return value >= 0 and abs(value) < LIMIT


    class Counter:
        def __init__(self) -> None:
            self.seen = 0

        def add(self, text: str) -> str:
            self.seen += 1
            return text.strip()
    '''
)


def keys(mutants: list[Mutant]) -> list[str]:
    return [m.key for m in mutants]


def test_the_mutants_of_a_sample_module() -> None:
    # Docstrings, annotations, Literal[...], f-strings and raise messages are left alone; an
    # `if` whose only statement is deletable is not deleted a second time.
    assert keys(find_mutants(SAMPLE, "sample.py")) == [
        "<module>: 10 -> 11",
        "check: '.' -> 'XX.XX'",
        "check: value > LIMIT -> value >= LIMIT",
        "check: raise ValueError(f'{value} is over {LIMIT}') -> pass",
        "check: if value > LIMIT: -> if not value > LIMIT:",
        "check: not mark -> mark",
        "check: raise ValueError('no mark') -> pass",
        "check: 0 -> 1",
        "check: value >= 0 -> value > 0",
        "check: abs(value) -> value",
        "check: abs(value) < LIMIT -> abs(value) <= LIMIT",
        "check: value >= 0 and abs(value) < LIMIT -> value >= 0 or abs(value) < LIMIT",
        "check: value >= 0 and abs(value) < LIMIT -> abs(value) < LIMIT",
        "check: value >= 0 and abs(value) < LIMIT -> value >= 0",
        "Counter.__init__: 0 -> 1",
        "Counter.__init__: self.seen = 0 -> pass",
        "Counter.add: 1 -> 2",
        "Counter.add: self.seen += 1 -> self.seen -= 1",
        "Counter.add: self.seen += 1 -> pass",
        "Counter.add: text.strip() -> text",
    ]


def test_each_mutant_changes_only_what_its_key_says() -> None:
    original = ast.unparse(ast.parse(SAMPLE)).splitlines()
    for mutant in find_mutants(SAMPLE, "sample.py"):
        changed = mutated_source(SAMPLE, mutant).splitlines()
        before = [line for line in original if line not in changed]
        after = [line for line in changed if line not in original]
        assert before and after, mutant.key
        before_text = " ".join(before)
        assert mutant.original.split()[0] in before_text or mutant.original in before_text
        assert len(before) == 1 or mutant.mutated == "pass", mutant.key


def test_a_function_selection_keeps_the_module_numbering() -> None:
    everything = {m.key: m.index for m in find_mutants(SAMPLE, "sample.py")}
    selected = find_mutants(SAMPLE, "sample.py", ["Counter.add"])
    assert keys(selected) == [k for k in everything if k.startswith("Counter.add:")]
    assert all(everything[m.key] == m.index for m in selected)
    # A class name selects its methods.
    assert len(find_mutants(SAMPLE, "sample.py", ["Counter"])) == 6


def test_repeated_mutants_are_numbered() -> None:
    source = "def f(a, b):\n    return a + 1 > b + 1\n"
    assert keys(find_mutants(source, "m.py"))[:2] == ["f: 1 -> 2", "f: a + 1 -> a - 1"]
    assert "f: 1 -> 2 (#2)" in keys(find_mutants(source, "m.py"))


def test_imports_for_the_type_checker_are_not_mutated() -> None:
    # They never run, so a mutant there survives every test and says nothing.
    source = textwrap.dedent(
        """\
        import typing
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from a import B
        if typing.TYPE_CHECKING:
            from c import D
        if DEBUG:
            LIMIT = 1
        """
    )
    assert keys(find_mutants(source, "m.py")) == [
        "<module>: 1 -> 2",
        "<module>: if DEBUG: -> if not DEBUG:",
        "<module>: if DEBUG: -> pass",
    ]


def test_rounding_modes_min_max_and_strip_are_mutated() -> None:
    source = textwrap.dedent(
        """\
        def f(x, items):
            x.quantize(q, rounding=ROUND_HALF_UP)
            for item in items:
                if item:
                    break
            return max(items, key=len).lower()
        """
    )
    found = keys(find_mutants(source, "m.py"))
    assert "f: ROUND_HALF_UP -> ROUND_HALF_EVEN" in found
    assert "f: max -> min" in found
    assert "f: max(items, key=len).lower() -> max(items, key=len)" in found
    assert "f: break -> continue" in found
    assert "f: break -> pass" in found


def test_the_configured_modules_and_tests_exist() -> None:
    root = CONFIG.parents[2]
    settings = load_settings()
    assert settings.jobs <= 2
    for target in settings.targets:
        source = (root / target.path).read_text(encoding="utf-8")
        mutants = find_mutants(source, target.path, target.functions)
        assert mutants, target.path
        if target.functions:  # every named function is there and has mutants
            for name in target.functions:
                assert any(m.function.startswith(name) for m in mutants), name
        for test in target.tests:
            assert (root / test).exists(), test


def test_every_listed_equivalent_names_a_mutant_and_a_reason() -> None:
    root = CONFIG.parents[2]
    configured = {t.path for t in load_settings().targets}
    for entry in load_equivalents():
        assert entry.module in configured or (root / entry.module).is_file()
        source = (root / entry.module).read_text(encoding="utf-8")
        assert entry.mutant in keys(find_mutants(source, entry.module)), entry.mutant
        assert len(entry.reason) > 10


def test_an_equivalent_without_a_reason_is_refused(tmp_path: Path) -> None:
    listing = tmp_path / "equivalents.toml"
    listing.write_text('[[equivalent]]\nmodule = "m.py"\nmutant = "f: 1 -> 2"\nreason = " "\n')
    with pytest.raises(ValueError, match="has no reason"):
        load_equivalents(listing)


def test_score_leaves_out_survivors_listed_as_equivalent() -> None:
    def outcome(key: str, status: str) -> Outcome:
        function, _, change = key.partition(": ")
        before, _, after = change.partition(" -> ")
        return Outcome(Mutant("m.py", 0, function, 1, before, after), status, 0.1)  # type: ignore[arg-type]

    outcomes = [
        outcome("f: 1 -> 2", "killed"),
        outcome("f: a -> b", "timeout"),
        outcome("f: c -> d", "survived"),
        outcome("f: e -> g", "survived"),
        outcome("f: h -> i", "killed"),
    ]
    score = score_of("m.py", outcomes, {"f: e -> g", "f: h -> i"})
    assert (score.mutants, score.killed, score.equivalent) == (5, 3, 1)
    assert [m.key for m in score.survived] == ["f: c -> d"]
    assert [m.key for m in score.killed_but_listed] == ["f: h -> i"]
    assert score.score == 75.0


PROJECT = {
    "calc/__init__.py": "",
    "calc/ops.py": textwrap.dedent(
        """\
        def clamp(value, low, high):
            if value < low:
                return low
            return min(value, high)


        def countdown(n):
            steps = 0
            while n > 0:
                n -= 1
                steps += 1
            return steps


        def double(x):
            return x * 2
        """
    ),
    # Pins clamp's lower bound and countdown; `double` only in a `python -c` subprocess.
    "tests/test_ops.py": textwrap.dedent(
        """\
        import subprocess
        import sys

        from calc.ops import clamp, countdown


        def test_clamp_low():
            assert clamp(-5, 0, 10) == 0
            assert clamp(0, 0, 10) == 0
            assert clamp(3, 0, 10) == 3


        def test_countdown():
            assert countdown(3) == 3


        def test_in_a_subprocess_too():
            code = "from calc.ops import double; print(double(4))"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            assert out.stdout.strip() == "8"
        """
    ),
}


@pytest.mark.slow
def test_a_run_tells_killed_survived_and_timeout_apart(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    source = (root / "calc/ops.py").read_text()
    target = Target("calc/ops.py", ("tests/test_ops.py",))
    expected = {
        "clamp: value < low -> value <= low": "survived",  # equal: the same answer
        "clamp: min -> max": "killed",
        "clamp: if value < low: -> pass": "killed",
        "countdown: n -= 1 -> pass": "timeout",  # an endless loop
        "countdown: 0 -> 1": "killed",
        "double: x * 2 -> x / 2": "killed",  # only the subprocess sees it: it imports the mutant
    }
    mutants = [m for m in find_mutants(source, target.path) if m.key in expected]
    run = ModuleRun(target, source, mutants)
    run_mutants(
        root,
        tmp_path / "scratch",
        [run],
        pytest_args=["-x", "-q", "-p", "no:cacheprovider"],
        jobs=2,
        timeout_factor=1.0,
        timeout_min_seconds=1.0,
        timeout=15.0,  # far above a run's time even on a busy machine
        preload=["pytest"],
    )
    assert {o.mutant.key: o.status for o in run.outcomes} == expected
    assert (root / "calc/ops.py").read_text() == source  # the original is never touched
