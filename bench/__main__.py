"""`python -m bench [--only NAME[,NAME]] [--quick]`: run the benchmarks, print one table.

Exit status: 0 when every checked target passed (SKIP and INFO rows do not fail the run), 1 when
any target was missed or a benchmark failed, 2 for a bad argument. The table also goes to
bench/out/results.md and every figure to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
import traceback

from bench import BENCHMARKS, ERROR, MISS, Benchmark, Result, format_number, register
from bench._util import out_dir

register("hq_fleet", "bench.hq_fleet", "1,000 kiosks against kiosk-hq serve on PostgreSQL")

COLUMNS = ("benchmark", "figure", "baseline", "ratio", "target", "verdict")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    names = [b.name for b in BENCHMARKS]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", metavar="NAME[,NAME]", help=f"run only these ({', '.join(names)})"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes: a smoke run in under a minute"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"unknown benchmark {', '.join(unknown)} (one of {', '.join(names)})")
        args.only = wanted
    return args


def _run_one(bench: Benchmark, quick: bool) -> list[Result]:
    assert bench.module is not None
    try:
        module = importlib.import_module(bench.module)
        return list(module.run(quick))
    except Exception as exc:
        traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [Result(name=bench.name, figure=None, unit="", error=first)]


def _cells(result: Result) -> tuple[str, ...]:
    ratio = result.ratio
    return (
        result.name,
        format_number(result.figure, result.unit),
        format_number(result.baseline, result.unit),
        "-" if ratio is None else format_number(ratio) + "x",
        result.target or "-",
        result.verdict,
    )


def render_table(results: list[Result]) -> str:
    rows = [COLUMNS, *(_cells(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    right = {1, 2, 3}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    sep = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in right else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(rows[0]), sep, *(line(r) for r in rows[1:])])


def render_notes(results: list[Result]) -> str:
    lines = []
    for r in results:
        bits = []
        if r.baseline_is:
            bits.append(f"baseline: {r.baseline_is}")
        if r.note:
            bits.append(r.note)
        if r.skipped:
            bits.append(f"skipped: {r.skipped}")
        if r.error:
            bits.append(f"error: {r.error}")
        if bits:
            lines.append(f"- {r.name}: " + "; ".join(bits))
    return "\n".join(lines)


def machine() -> str:
    cpus = os.cpu_count()
    display = (
        "display"
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        else "no display"
    )
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpus} cores, {display}, "
        f"Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.list:
        for b in BENCHMARKS:
            state = "" if b.module else f"  (not written yet: needs {b.needs})"
            print(f"{b.name:<14}{b.summary}{state}")
        return 0
    selected = [b for b in BENCHMARKS if args.only is None or b.name in args.only]
    started = time.monotonic()
    results: list[Result] = []
    timings: dict[str, float] = {}
    for bench in selected:
        if bench.module is None:
            continue
        print(f"-- {bench.name}: {bench.summary}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        got = _run_one(bench, args.quick)
        timings[bench.name] = time.monotonic() - t0
        for r in got:
            print(f"   {' | '.join(_cells(r))}", file=sys.stderr, flush=True)
        results.extend(got)
    elapsed = time.monotonic() - started

    when = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    mode = "quick" if args.quick else "full"
    header = f"bench ({mode}) {when} on {machine()}, {elapsed:.0f} s"
    table = render_table(results)
    notes = render_notes(results)
    planned = [b for b in selected if b.module is None]
    print()
    print(header)
    print(table)
    if notes:
        print()
        print(notes)
    if planned:
        print()
        for b in planned:
            print(f"not written yet: {b.name} ({b.summary}); needs {b.needs}")

    out = out_dir()
    (out / "results.md").write_text(f"{header}\n\n{table}\n\n{notes}\n", encoding="utf-8")
    (out / "results.json").write_text(
        json.dumps(
            {
                "when": when,
                "mode": mode,
                "machine": machine(),
                "seconds": timings,
                "results": [
                    {
                        "name": r.name,
                        "figure": r.figure,
                        "unit": r.unit,
                        "baseline": r.baseline,
                        "ratio": r.ratio,
                        "target": r.target,
                        "verdict": r.verdict,
                        "baseline_is": r.baseline_is,
                        "note": r.note,
                        "skipped": r.skipped,
                        "error": r.error,
                        "extra": r.extra,
                    }
                    for r in results
                ],
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    return 1 if any(r.verdict in (MISS, ERROR) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
