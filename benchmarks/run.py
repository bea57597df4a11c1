"""`python -m benchmarks` (or `python benchmarks/run.py`): generate data, measure, print.

Every figure is a ratio to a floor measured in the same run, both sides alternately,
medians reported; see each module's docstring for its method:

    1 start      start.py       6 memory     start.py (same child processes)
    2 keypress   keypress.py    3 search     search.py
    4 import     import_csv.py  5 mbox scan  mbox.py

A netinbox part that is missing or fails gives "n/a" on its side and a note, never a crash.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not __package__:  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import Dataset, generate  # noqa: E402
from benchmarks.report import GROUPS, Goal, Row, table, to_json  # noqa: E402
from benchmarks.runner import describe  # noqa: E402

FIGURES = ("start", "keypress", "search", "import", "mbox", "memory")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--size", type=int, default=100_000, help="requests, CSV rows and mails")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side per figure")
    parser.add_argument("--keys", type=int, default=30, help="cursor keys per keypress run")
    parser.add_argument(
        "--settle",
        type=float,
        default=0.5,
        help="seconds after the first page before the child's RSS is read",
    )
    parser.add_argument(
        "--import-budget",
        type=float,
        default=150.0,
        help="no import round that would end after this many seconds",
    )
    parser.add_argument(
        "--only", default=",".join(FIGURES), help=f"comma-separated subset of {','.join(FIGURES)}"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="generate the data here and keep it (default: a temporary folder)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(FIGURES)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}")
    return args


def _progress(text: str) -> None:
    print(f"[benchmarks] {text}", file=sys.stderr, flush=True)


def _failed(group: int, error: BaseException) -> Row:
    return Row(
        group=group,
        figure=GROUPS[group],
        unit="",
        goal=Goal("ratio_max", 0, "n/a"),
        note=f"harness failed: {describe(error)}",
    )


def measure_all(data: Dataset, args: argparse.Namespace) -> list[Row]:
    from benchmarks import import_csv, keypress, mbox, search, start

    wanted = set(args.only.split(","))
    steps: list[tuple[str, tuple[int, ...], Callable[[], list[Row]]]] = [
        ("start", (1, 6), lambda: start.measure(data, args.repeat, args.settle)),
        ("keypress", (2,), lambda: keypress.measure(data, args.repeat, args.keys)),
        ("search", (3,), lambda: search.measure(data, args.repeat)),
        ("import", (4,), lambda: import_csv.measure(data, args.repeat, args.import_budget)),
        ("mbox", (5,), lambda: mbox.measure(data, args.repeat, data.invitations)),
    ]
    rows: list[Row] = []
    for name, groups, run in steps:
        chosen = {g for g in groups if GROUPS[g].split()[0] in wanted}
        if not chosen:
            continue
        _progress(f"measuring {name} …")
        started = time.perf_counter()
        try:
            rows += [row for row in run() if row.group in chosen]
        except Exception as error:  # a broken figure must not hide the others
            rows += [_failed(g, error) for g in sorted(chosen)]
        _progress(f"{name}: {time.perf_counter() - started:.1f} s")
    return sorted(rows, key=lambda row: row.group)


def _meta(args: argparse.Namespace, data: Dataset, elapsed: float) -> dict[str, object]:
    import textual

    return {
        "size": args.size,
        "repeat": args.repeat,
        "keys": args.keys,
        "seconds": round(elapsed, 1),
        "generate_seconds": {k: round(v, 2) for k, v in data.timings.items()},
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netinbox-bench-") as temp:
        folder = args.workdir or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        _progress(f"generating {args.size:,} requests, CSV rows and mails in {folder} …")
        data = generate(folder, args.size)
        _progress("generated in " + ", ".join(f"{k} {v:.1f} s" for k, v in data.timings.items()))
        rows = measure_all(data, args)
        elapsed = time.perf_counter() - started
        meta = _meta(args, data, elapsed)
    if args.json:
        print(to_json(rows, meta))
    else:
        print(table(rows))
        print(f"\n{args.size:,} rows, {args.repeat} runs per side, {elapsed:.0f} s in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
