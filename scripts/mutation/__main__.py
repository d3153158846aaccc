"""`python -m scripts.mutation [MODULE[::FUNCTION,...] ...]`: mutation testing (docs/mutation.md).

Without modules it runs every module of `config.toml`. A module not in the config needs
`--tests`. Exits 1 when a module scores under `min_score`, or when `equivalents.toml` lists a
mutant that a test kills or that no longer exists; 2 when the run cannot start.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scripts.mutation.operators import Mutant, find_mutants, unified_diff
from scripts.mutation.runner import BaselineError, ModuleRun, Outcome, run_mutants
from scripts.mutation.settings import (
    Equivalent,
    Settings,
    Target,
    load_equivalents,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Score:
    """One module's result; equivalent mutants are those listed that no test killed."""

    module: str
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survived: list[Mutant] = field(default_factory=list)
    killed_but_listed: list[Mutant] = field(default_factory=list)

    @property
    def score(self) -> float:
        counted = self.mutants - self.equivalent
        return 100.0 if counted == 0 else 100.0 * self.killed / counted


def score_of(module: str, outcomes: Sequence[Outcome], equivalent: set[str]) -> Score:
    score = Score(module, mutants=len(outcomes))
    for outcome in outcomes:
        listed = outcome.mutant.key in equivalent
        if outcome.status == "survived":
            if listed:
                score.equivalent += 1
            else:
                score.survived.append(outcome.mutant)
        else:
            score.killed += 1
            if listed:
                score.killed_but_listed.append(outcome.mutant)
    return score


def stale_equivalents(runs: Sequence[ModuleRun], listed: Sequence[Equivalent]) -> list[Equivalent]:
    """Listed mutants of the run modules that the module no longer has (any function)."""
    stale = []
    for run in runs:
        keys = {m.key for m in find_mutants(run.source, run.target.path)}
        stale += [e for e in listed if e.module == run.target.path and e.mutant not in keys]
    return stale


def _targets(args: argparse.Namespace, settings: Settings) -> list[Target]:
    configured = {t.path: t for t in settings.targets}
    if not args.modules:
        return list(settings.targets)
    targets = []
    for spec in args.modules:
        path, _, names = spec.partition("::")
        path = Path(path).as_posix().removeprefix("./")
        if not (ROOT / path).is_file():
            raise SystemExit(f"no module {path} under {ROOT}")
        known = configured.get(path)
        tests = tuple(args.tests) if args.tests else (known.tests if known else ())
        if not tests:
            raise SystemExit(f"{path} is not in config.toml: give its test files with --tests")
        functions = tuple(n for n in names.split(",") if n) if names else None
        if functions is None and known is not None and not args.tests:
            functions = known.functions
        targets.append(Target(path=path, tests=tests, functions=functions))
    return targets


def _table(scores: Sequence[Score]) -> str:
    lines = [
        "| module | mutants | killed | equivalent | survived | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scores:
        lines.append(
            f"| `{s.module}` | {s.mutants} | {s.killed} | {s.equivalent} | {len(s.survived)} "
            f"| {s.score:.1f}% |"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.mutation",
        description="Mutation testing of the modules in scripts/mutation/config.toml "
        "(or those given). See docs/mutation.md.",
    )
    parser.add_argument(
        "modules",
        nargs="*",
        metavar="MODULE[::FUNCTION,...]",
        help="a module path from the repository root, e.g. kiosk/board/leaderboard.py, "
        "optionally limited to some functions (qualified: ParsedFeed._extra_cells)",
    )
    parser.add_argument("--tests", nargs="+", metavar="TEST", help="test files to run instead")
    parser.add_argument("--jobs", type=int, help="parallel workers (config: jobs)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: scaled)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--show", metavar="TEXT", help="diff of the mutants whose key has TEXT")
    parser.add_argument("--report", type=Path, help="write every outcome to this JSON file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    listed = load_equivalents()
    targets = _targets(args, settings)
    reasons = {(e.module, e.mutant): e.reason for e in listed}
    runs = []
    for target in targets:
        source = (ROOT / target.path).read_text(encoding="utf-8")
        runs.append(ModuleRun(target, source, find_mutants(source, target.path, target.functions)))

    if args.list or args.show:
        for run in runs:
            for m in run.mutants:
                if args.show is not None:
                    if args.show in m.key:
                        print(unified_diff(run.source, m))
                    continue
                reason = reasons.get((m.module, m.key))
                note = f"  [equivalent: {reason}]" if reason else ""
                print(f"{m.where}  {m.key}{note}")
        return 0

    started = time.monotonic()
    # A stop (SIGTERM) unwinds like Ctrl-C: the copies are removed, the fork servers end.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    def report(done: int, total: int, outcome: Outcome) -> None:
        m = outcome.mutant
        if outcome.status == "survived" and (m.module, m.key) not in reasons:
            print(f"[{done}/{total}] SURVIVED {m.where}  {m.key}", flush=True)
        elif done % 50 == 0 or done == total:
            print(f"[{done}/{total}] {time.monotonic() - started:.0f}s", flush=True)

    total = sum(len(r.mutants) for r in runs)
    jobs = min(args.jobs or settings.jobs, 2)
    print(f"{total} mutants in {len(runs)} modules, {jobs} workers", flush=True)
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        try:
            run_mutants(
                ROOT,
                Path(scratch),
                runs,
                pytest_args=settings.pytest_args,
                jobs=jobs,
                timeout_factor=settings.timeout_factor,
                timeout_min_seconds=settings.timeout_min_seconds,
                timeout=args.timeout,
                preload=settings.preload,
                report=report,
            )
        except BaselineError as err:
            print(err, file=sys.stderr)
            return 2
    elapsed = time.monotonic() - started

    scores = []
    for run in runs:
        equivalent = {e.mutant for e in listed if e.module == run.target.path}
        scores.append(score_of(run.target.path, run.outcomes, equivalent))
    stale = stale_equivalents(runs, listed)
    failed = False
    print()
    for s in scores:
        for m in s.survived:
            print(f"SURVIVED {m.where}  {m.key}")
        for m in s.killed_but_listed:
            print(f"LISTED AS EQUIVALENT BUT KILLED {m.where}  {m.key}: remove it from the list")
            failed = True
    for e in stale:
        print(f"LISTED AS EQUIVALENT BUT NOT A MUTANT ANY MORE: {e.module}  {e.mutant}")
        failed = True
    print()
    print(_table(scores))
    print(f"\n{total} mutants in {elapsed / 60:.1f} minutes with {jobs} workers")
    for s in scores:
        if s.score < settings.min_score:
            print(f"{s.module}: {s.score:.1f}% is under {settings.min_score:.0f}%")
            failed = True
    if args.report is not None:
        args.report.write_text(
            json.dumps(
                [
                    {
                        "module": o.mutant.module,
                        "line": o.mutant.line,
                        "mutant": o.mutant.key,
                        "status": o.status,
                        "equivalent": reasons.get((o.mutant.module, o.mutant.key)),
                        "seconds": round(o.seconds, 2),
                    }
                    for run in runs
                    for o in run.outcomes
                ],
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
