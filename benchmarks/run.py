"""`python -m benchmarks` (or `python benchmarks/run.py`): generate data, measure, print.

What the user sees, end to end: the installed `netinbox` command on a store of `--size`
requests, driven in a real pseudo-terminal and read through a terminal emulator (`terminal.py`,
`e2e.py`, `search.py`), and the command-line figures (`commands.py`); every figure against
a floor measured in the same run, both sides by turns. `--only plan` (or `plan,search`)
gives the search figures alone, e.g. at `--size 1000000`.

A step that does not show its result in time gives "did not settle in N s", never a hang;
a part that fails gives "n/a" and a note, never a crash.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import Dataset, generate  # noqa: E402
from benchmarks.report import GROUPS, Goal, Row, median, table, to_json  # noqa: E402
from benchmarks.runner import describe  # noqa: E402

FIGURES = tuple(GROUPS.values())
LANGUAGES = ("en", "de")
IN_LANGUAGE = ("start", "keys", "views", "search", "plan", "import", "mbox")
"""The figures that read the app's screens through its words in any language (the
others wait for English text: the statistics, the palette)."""
NEEDS = {  # the data each figure needs
    "start": {"store"},
    "keys": {"store"},
    "views": {"store"},
    "search": {"store"},
    "plan": {"store"},
    "import": {"csv"},
    "mbox": {"mbox"},
    "memory": {"store", "csv", "small"},
    "stats": {"store"},
}
TITLES = {
    1: "start: launch of the real command → the screen showing its result;"
    " floor: a bare Textual app (one Static), its first frame",
    2: "cursor keys: key → the new row's profile on screen;"
    " floor: a bare 100-row DataTable, key → its cursor on the new row",
    3: "view keys (a view's number): key → the view's title with its exact count and its first rows;"
    " floor: the bare table showing another view's rows and title",
    4: "search as you type, end to end: last key → `<view> · <count> · searched` and the first"
    " result, minus the debounce; floor: a bare Textual app (search box, DataTable) running"
    " the hand-written SQL (count + top 100) after the same debounce; [the SQL alone]",
    5: "search plan, in-process: store.count + store.rows(100), what the app asks;"
    " floor: the same hand-written SQL (flat ratios across --size: cost follows matches)",
    6: "import: `netinbox import Invitations.csv` on a fresh store, spawn → exit;"
    " floor: raw inserts, same schema and indexes, search index in key order",
    7: "mbox: netinbox's scan of the mbox (in-process); floor: grep -c '^From '",
    8: "memory: peak resident memory (VmHWM, ru_maxrss)",
    9: "statistics (the last 12 months): S → the numbers and charts on screen; `netinbox stats`"
    " spawn → exit; in-process; floor: the same aggregate as hand-written SQL",
}
KEYS_GOAL = Goal("median ≤ 1.2×, p95 ≤ 50 ms", ratio_max=1.2, p95_max=50.0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--size", type=int, default=100_000, help="requests, CSV rows and mails (100,000)")
    add("--repeat", type=int, default=15, help="samples of each cheap step, per side (15)")
    add("--rounds", type=int, default=2, help="app launches per side for keys and views (2)")
    add("--search-repeat", type=int, default=3, help="searches per view and term (3)")
    add("--search-views", default="", help="the views searched in, by key: 1,7 (all)")
    add("--typing", type=float, default=0.1, help="seconds between typed keys (0.1)")
    add("--timeout", type=float, default=10.0, help="seconds a step may take to settle (10)")
    add("--import-rounds", type=int, default=2, help="imports per side, within budget (2)")
    add("--import-budget", type=float, default=90.0, help="seconds for the import rounds (90)")
    add("--only", default=",".join(FIGURES), help=f"a subset of {','.join(FIGURES)}")
    add("--language", default="en", choices=LANGUAGES,
        help="the app's interface language, set in its config file as a user does (en);"
        f" in another than English only {','.join(IN_LANGUAGE)} read its screens")  # fmt: skip
    add("--workdir", type=Path, help="generate the data here and keep it")
    add("--reuse", action="store_true", help="with --workdir: keep data made there before")
    add("--json", action="store_true", help="print JSON (every sample) instead of the table")
    add("--table", type=Path, metavar="JSON", help="print the table of a saved --json run")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(FIGURES)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}")
    english = set(args.only.split(",")) - set(IN_LANGUAGE)
    if args.language != "en" and english:
        parser.error(f"--language {args.language}: {', '.join(sorted(english))} read English"
                     f" words; use --only with {','.join(IN_LANGUAGE)}")  # fmt: skip
    return args


def _progress(text: str) -> None:
    print(f"[benchmarks] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def _row(group: int, figure: str, unit: str, goal: Goal, mine: object, floor: object,
         note: str = "") -> Row:  # fmt: skip
    """A row from two `e2e.Samples`."""
    unsettled = "; ".join(s.unsettled for s in (mine, floor) if s.unsettled)  # type: ignore[attr-defined]
    skipped = sum(s.skipped for s in (mine, floor))  # type: ignore[attr-defined]
    if skipped:
        why = mine.skip_reason  # type: ignore[attr-defined]
        note = "; ".join(filter(None, [note, f"{skipped} steps not timed ({why})"]))
    early = mine.early  # type: ignore[attr-defined]
    if early:
        typed = len(mine.values) + mine.skipped  # type: ignore[attr-defined]
        note = "; ".join(filter(None, [note, f"{early} of {typed} showed a shorter term's"
                                       " results while it was typed"]))  # fmt: skip
    return Row(group, figure, unit, goal, list(mine.values), list(floor.values), note,  # type: ignore[attr-defined]
               unsettled)  # fmt: skip


# --- the figures -----------------------------------------------------------------------------


class Bench:
    def __init__(self, data: Dataset, args: argparse.Namespace) -> None:
        self.data, self.args = data, args
        self._programs: object = None
        self.import_peaks: list[float] = []

    @property
    def programs(self):  # type: ignore[no-untyped-def]
        from benchmarks import e2e, expect

        if self._programs is None:
            shown = expect.read(self.data.store, self.data.folder, self.args.language)
            self._programs = e2e.programs(self.data.folder, self.data.store, shown,
                                          self.args.timeout)  # fmt: skip
        return self._programs

    def start(self) -> list[Row]:
        from benchmarks.e2e import Samples, guarded, start_bare, start_netinbox

        p, mine, floor = self.programs, Samples(), Samples()
        for number in range(self.args.repeat):
            sides = [lambda: start_netinbox(p, mine), lambda: start_bare(p, floor)]
            for run in sides if number % 2 == 0 else sides[::-1]:
                guarded(run, mine if run is sides[0] else floor)
            if mine.unsettled and floor.unsettled:
                break
        figure = "launch → first page, first row's profile and draft pane"
        return [_row(1, figure, "ms", Goal("≤ 1.3×", ratio_max=1.3), mine, floor)]

    def keys(self) -> list[Row]:
        from benchmarks.e2e import KEY_KINDS, Recorder, guarded, keys_bare, keys_netinbox

        p, a = self.programs, self.args
        mine, floor = Recorder(), Recorder()
        each = -(-a.repeat // a.rounds)  # samples of each kind per launch: `repeat` in all
        holds = -(-max(1, a.repeat // 3) // a.rounds)
        for number in range(a.rounds):
            sides = [
                lambda: guarded(lambda: keys_netinbox(p, mine, each, holds), mine["session"]),
                lambda: guarded(lambda: keys_bare(p, floor, each, holds), floor["session"]),
            ]
            for run in sides if number % 2 == 0 else sides[::-1]:
                run()
        rows = []
        for kind, figure in KEY_KINDS.items():
            goal = KEYS_GOAL if kind != "held" else Goal("p95 ≤ 100 ms", p95_max=100.0)
            floor_kind = "scroll" if kind == "page" else kind
            note = "one per launch; floor: ↓ scrolling (the bare table has one page)" if (
                kind == "page") else ""  # fmt: skip
            if kind == "pagedown":
                note = "floor: page down and up by turns (the bare table has 100 rows)"
            rows.append(_row(2, figure, "ms", goal, mine[kind], floor[floor_kind], note))
        session_errors = [r["session"].unsettled for r in (mine, floor) if r["session"].unsettled]
        if session_errors:
            rows[0].note = "; ".join(filter(None, [rows[0].note, *session_errors]))
        return rows

    def views(self) -> list[Row]:
        from benchmarks.e2e import Recorder, guarded, views_bare, views_netinbox

        p, a = self.programs, self.args
        mine, floor = Recorder(), Recorder()
        cycles = max(1, a.repeat // 7)
        for number in range(a.rounds + 1 if a.rounds > 1 else a.rounds):  # 6 first visits each
            sides = [
                lambda: guarded(lambda: views_netinbox(p, mine, cycles), mine["session"]),
                lambda: guarded(lambda: views_bare(p, floor, cycles), floor["session"]),
            ]
            for run in sides if number % 2 == 0 else sides[::-1]:
                run()
        rows = [
            _row(3, "first visit of a view since launch", "ms", KEYS_GOAL, mine["first"],
                 floor["first"]),
            _row(3, "revisit of a view", "ms", KEYS_GOAL, mine["again"], floor["again"]),
        ]  # fmt: skip
        session_errors = [r["session"].unsettled for r in (mine, floor) if r["session"].unsettled]
        if session_errors:
            rows[0].note = "; ".join(filter(None, [rows[0].note, *session_errors]))
        return rows

    def _questions(self):  # type: ignore[no-untyped-def]
        from benchmarks import search

        hand = search.HandSQL(self.data.store)
        terms = {"rare": self.data.rare_term, "common": self.data.common_term}
        keys = [key for key in self.args.search_views.split(",") if key]
        views = [view for view in self.programs.expect.views if not keys or view.key in keys]
        return hand, search.questions(hand, views, terms)

    def search(self) -> list[Row]:
        from benchmarks import search

        hand, qs = self._questions()
        try:
            results, echo, bare_echo = search.end_to_end(
                self.programs, qs, self.args.search_repeat, self.args.typing, hand,
                self.data.store,
            )  # fmt: skip
        finally:
            hand.close()
        delay = search.debounce() * 1000
        goal = Goal("≤ 1.5×", ratio_max=1.5)
        first = "`/`, then the first letter at once → the letter in the search box"
        rows = [_row(4, first, "ms", Goal("p95 ≤ 50 ms", p95_max=50.0), echo, bare_echo,
                     "floor: the bare app's search box")]  # fmt: skip
        for q, mine, floor, alone in results:
            row = _row(4, f"{q.label}, − {delay:.0f} ms debounce", "ms", goal, mine, floor)
            row.alone = list(alone.values)
            rows.append(row)
        return rows

    def plan(self) -> list[Row]:
        from benchmarks import search

        hand, qs = self._questions()
        try:
            results = search.plan(self.data.store, qs, self.args.repeat, self.args.timeout, hand)
        finally:
            hand.close()
        goal = Goal("≤ 1.5×", ratio_max=1.5)
        return [_row(5, q.label, "ms", goal, mine, floor) for q, mine, floor in results]

    def import_(self) -> list[Row]:
        from benchmarks import commands
        from benchmarks.e2e import Samples, child_env, compile_bytecode

        compile_bytecode()
        d, a = self.data, self.args
        env = child_env(d.folder)
        mine, floor = Samples(), Samples()
        budget_note = ""
        started = time.perf_counter()
        timeout = max(a.timeout, a.import_budget)
        for number in range(a.import_rounds):
            spent = time.perf_counter() - started
            if number and spent * (number + 1) / number > a.import_budget:
                budget_note = f"{number} of {a.import_rounds} rounds within {a.import_budget:g} s"
                break
            sides = [
                (mine, lambda: commands.netinbox_import(d.invitations_csv, d.folder, env, timeout)),
                (floor, lambda: commands.floor_import(d.invitations_csv, d.folder, env, timeout)),
            ]
            for samples, call in sides if number % 2 == 0 else sides[::-1]:
                if samples.unsettled:
                    continue
                ran = commands.guarded_run(call, samples)
                if ran is not None:
                    samples.add(d.size / ran.seconds)
                    if samples is mine:
                        self.import_peaks.append(ran.peak_mb)
        figure = f"import {d.size:,} Invitations.csv rows, spawn → exit"
        return [_row(6, figure, "rows/s", Goal("≥ 0.5×", ratio_min=0.5), mine, floor,
                     budget_note)]  # fmt: skip

    def mbox(self) -> list[Row]:
        from benchmarks import mbox
        from benchmarks.e2e import Samples

        d = self.data
        megabytes = d.mbox.stat().st_size / 1e6
        mine, floor = Samples(), Samples()
        found: set[int] = set()
        for number in range(max(3, self.args.repeat // 3)):
            sides = [
                (mine, lambda: mbox.netinbox_scan(d.mbox)),
                (floor, lambda: mbox.grep_scan(d.mbox)),
            ]
            for samples, call in sides if number % 2 == 0 else sides[::-1]:
                try:
                    seconds, n = call()
                except Exception as error:  # a broken importer is reported, not fatal
                    samples.fail(RuntimeError(describe(error)))
                    continue
                samples.add(megabytes / seconds)
                if samples is mine:
                    found.add(n)
        note = f"netinbox found {sorted(found)} invitations of {d.invitations}" if (
            found and found != {d.invitations}) else ""  # fmt: skip
        figure = f"scan {megabytes:,.0f} MB, {d.size:,} mails"
        return [_row(7, figure, "MB/s", Goal("≥ 0.3×", ratio_min=0.3), mine, floor, note)]

    def memory(self) -> list[Row]:
        from benchmarks import commands, e2e, search

        d, a, p = self.data, self.args, self.programs
        env = p.env
        mine, floor = e2e.Samples(), e2e.Samples()
        hand = search.HandSQL(d.store)
        try:
            count, found = hand.answer("all", d.common_term)
        finally:
            hand.close()
        first = str(found[0][4]) if found else None
        for number in range(max(1, a.rounds)):
            sides = [
                (mine, lambda: e2e.memory_netinbox(p, d.common_term, count, first)),
                (floor, lambda: e2e.memory_bare(p)),
            ]
            for samples, call in sides if number % 2 == 0 else sides[::-1]:
                try:
                    samples.add(call())
                except (e2e.Unsettled, e2e.Exited, RuntimeError, OSError) as error:
                    samples.fail(error)
        session = "after G, every view, a search in All, help and the palette; floor: bare app"
        rows = [_row(8, session, "MB", Goal("≤ bare + 60 MB", delta_max=60.0), mine, floor)]
        timeout = max(a.timeout, a.import_budget)
        bound = Goal(f"≤ 1.3× the peak at {d.small_size:,}", ratio_max=1.3)
        for kind in ("json", "csv"):
            big, small = e2e.Samples(), e2e.Samples()
            for samples, store in ((small, d.small_store), (big, d.store)):
                ran = commands.guarded_run(
                    lambda store=store, kind=kind: commands.export(
                        store, kind, d.folder, env, timeout
                    ),
                    samples,
                )
                if ran is not None:
                    samples.add(ran.peak_mb)
            figure = f"`netinbox export --format {kind}` of {d.size:,}; floor: of {d.small_size:,}"
            rows.append(_row(8, figure, "MB", bound, big, small))
        big, small = e2e.Samples(), e2e.Samples()
        ran = commands.guarded_run(
            lambda: commands.netinbox_import(d.small_csv, d.folder, env, timeout), small
        )
        if ran is not None:
            small.add(ran.peak_mb)
        if self.import_peaks:
            big.values.append(median(self.import_peaks) or 0.0)
        else:
            ran = commands.guarded_run(
                lambda: commands.netinbox_import(d.invitations_csv, d.folder, env, timeout), big
            )
            if ran is not None:
                big.add(ran.peak_mb)
        figure = f"`netinbox import` of {d.size:,} CSV rows; floor: of {d.small_size:,}"
        rows.append(_row(8, figure, "MB", bound, big, small))
        return rows


    def stats(self) -> list[Row]:
        from benchmarks import commands, stats_figures
        from benchmarks.e2e import Samples, compile_bytecode

        p, a, d = self.programs, self.args, self.data
        hand = stats_figures.HandStats(d.store)
        rows = []
        try:
            mine, floor = Samples(), Samples()
            each = max(1, -(-a.repeat // max(a.rounds, 1)))
            for _ in range(max(a.rounds, 1)):
                stats_figures.guarded_session(
                    lambda: stats_figures.screen_and_floor(p, each, mine, floor, hand), mine
                )
            figure = "S → the summary with its exact count and the charts"
            rows.append(_row(9, figure, "ms", Goal("≤ 3×", ratio_max=3.0), mine, floor))
            compile_bytecode()
            mine, floor = Samples(), Samples()
            for number in range(max(3, a.repeat // 3)):
                sides = [
                    (mine, lambda: commands.stats(d.store, d.folder, p.env, a.timeout)),
                    (floor, lambda: commands.stats_floor(d.store, d.folder, p.env, a.timeout)),
                ]
                for samples, call in sides if number % 2 == 0 else sides[::-1]:
                    ran = commands.guarded_run(call, samples)
                    if ran is not None:
                        samples.add(ran.seconds * 1000)
            figure = "`netinbox stats`, spawn → exit; floor: python + the SQL, spawn → exit"
            rows.append(_row(9, figure, "ms", Goal("≤ 2×", ratio_max=2.0), mine, floor))
            mine, floor = Samples(), Samples()
            stats_figures.in_process(d.store, a.repeat, mine, floor, hand)
            figure = "netinbox.stats.statistics in-process; floor: the SQL alone"
            rows.append(_row(9, figure, "ms", Goal("≤ 1.5×", ratio_max=1.5), mine, floor))
        finally:
            hand.close()
        return rows


FIGURE_TIMES: dict[str, str] = {}  # figure → "36 s, load 6.57 6.84 5.88" (after it)


def measure_all(data: Dataset, args: argparse.Namespace) -> list[Row]:
    bench = Bench(data, args)
    wanted = args.only.split(",")
    steps: dict[str, Callable[[], list[Row]]] = {
        "start": bench.start,
        "keys": bench.keys,
        "views": bench.views,
        "search": bench.search,
        "plan": bench.plan,
        "import": bench.import_,
        "mbox": bench.mbox,
        "memory": bench.memory,
        "stats": bench.stats,
    }
    rows: list[Row] = []
    for name, run in steps.items():
        if name not in wanted:
            continue
        _progress(f"measuring {name} …")
        started = time.perf_counter()
        group = FIGURES.index(name) + 1
        try:
            rows += run()
        except Exception as error:  # a broken figure must not hide the others
            rows.append(
                Row(group, name, "", Goal("n/a"), note=f"harness failed: {describe(error)}")
            )
        FIGURE_TIMES[name] = f"{time.perf_counter() - started:.0f} s, load {_load()}"
        _progress(f"{name}: {FIGURE_TIMES[name]}")
    return sorted(rows, key=lambda row: row.group)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _checkout(folder: Path) -> str:
    """The netinbox under test: the checkout and its commit, checked to be what the
    installed command imports with the children's environment."""
    from benchmarks.e2e import ROOT, child_env, netinbox_command

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()  # fmt: skip
        script = netinbox_command()[0]
        with open(script, encoding="utf-8") as head:
            python = head.readline().removeprefix("#!").strip() or sys.executable
        imported = subprocess.run(
            [python, "-c", "import netinbox; print(netinbox.__file__)"],
            capture_output=True, text=True, timeout=30, env=child_env(folder),
        ).stdout.strip()  # fmt: skip
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        return f"{ROOT} (could not check what `netinbox` imports: {describe(error)})"
    text = f"{ROOT}" + (f" @ {commit}" if commit else "")
    if not imported.startswith(str(ROOT)):
        text += f" (BUT the `netinbox` command imports {imported or 'nothing'})"
    return text


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _meta(args: argparse.Namespace, data: Dataset, loads: list[str], elapsed: float
          ) -> dict[str, object]:  # fmt: skip
    import textual

    from benchmarks.search import debounce

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "size": args.size,
        "only": args.only,
        "language": args.language,
        "repeat": args.repeat,
        "rounds": args.rounds,
        "search_repeat": args.search_repeat,
        "typing_seconds": args.typing,
        "timeout_seconds": args.timeout,
        "search_debounce_seconds": debounce(),
        "seconds": round(elapsed, 1),
        "generate_seconds": {k: round(v, 2) for k, v in data.timings.items()},
        "netinbox": _checkout(data.folder),
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "sqlite": sqlite3.sqlite_version,
        "cpu": _cpu(),
        "cpus": os.cpu_count(),
        "load_average": loads,
        "figures": dict(FIGURE_TIMES),
    }


def _header(meta: dict[str, object]) -> str:
    loads = meta["load_average"]
    return "\n".join([
        f"netinbox benchmark, {meta['date']}: {meta['size']:,} requests;"
        + (f" interface language {meta['language']} (its config file);"
           if meta.get("language", "en") != "en" else "")
        + f" netinbox from {meta['netinbox']}",
        f"{meta['cpus']} × {meta['cpu']}; Python {meta['python']}, Textual {meta['textual']},"
        f" SQLite {meta['sqlite']}; load average (1, 5, 15 min) at start {loads[0]}"  # type: ignore[index]
        f", at end {loads[-1]}",  # type: ignore[index]
        f"{meta['seconds']:.0f} s in all (generating the data: "
        + (", ".join(f"{k} {v:.0f} s" for k, v in meta["generate_seconds"].items())  # type: ignore[attr-defined]
           or "none, reused")
        + f"); a step that shows no result in {meta['timeout_seconds']:g} s did not settle.",
        *(["Each figure's time and the load average after it: "
           + "; ".join(f"{k} {v}" for k, v in meta["figures"].items())]  # type: ignore[attr-defined]
          if meta.get("figures") else []),
        "Each side: median, then (95th percentile · smallest–largest · samples);"
        " ratio = median / median of the floor, measured by turns in the same run.",
        f"Search typed at {meta['typing_seconds']:g} s per key"
        + (" (NOT below the debounce: a shorter term may be searched while typing)"
           if float(meta["typing_seconds"]) >= float(meta["search_debounce_seconds"])  # type: ignore[arg-type]
           else "")
        + f"; the app's debounce ({float(meta['search_debounce_seconds']) * 1000:.0f} ms)"  # type: ignore[arg-type]
        " is subtracted.",
        "",
    ])  # fmt: skip


def from_json(path: Path) -> str:
    """The table of a run saved with `--json`."""
    import json

    saved = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        Row(r["group"], r["figure"], r["unit"], Goal(**r["goal"]), r["samples"]["netinbox"],
            r["samples"]["floor"], r["note"], r["unsettled"], r["samples"].get("alone", []))
        for r in saved["rows"]
    ]  # fmt: skip
    return _header(saved["meta"]) + table(rows, TITLES)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table:
        print(from_json(args.table))
        return 0
    started = time.perf_counter()
    loads = [_load()]
    wanted = args.only.split(",")
    parts = set().union(*(NEEDS[name] for name in wanted))
    with tempfile.TemporaryDirectory(prefix="netinbox-bench-") as temp:
        folder = args.workdir or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        _progress(f"generating {', '.join(sorted(parts))} for {args.size:,} requests in {folder}")
        data = generate(folder, args.size, parts, reuse=args.reuse and bool(args.workdir))
        made = ", ".join(f"{k} {v:.1f} s" for k, v in data.timings.items())
        _progress(f"generated in {made}" if made else "reused the data made there before")
        rows = measure_all(data, args)
        loads.append(_load())
        meta = _meta(args, data, loads, time.perf_counter() - started)
    if args.json:
        print(to_json(rows, meta))
    else:
        print(_header(meta) + table(rows, TITLES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
