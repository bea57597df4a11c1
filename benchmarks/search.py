"""Search in every view, a rare and a common term: end to end, and the plan alone.

The floor of both is the best hand-written SQL for the same question: the view's
condition (netinbox's own `VIEW_SQL`) plus the full-text match (netinbox's `fts_match`:
every word as a prefix), driven from the search index with a plan written by hand
(`search s CROSS JOIN requests r ON r.search_key = s.rowid`, newest first by the index's
rowid), run as the app needs it: the count, then the top 100 rows with the list's columns.
It runs on its own connection in this process, on the benchmark's store.

- `plan` (in-process, item 3 of the speed issue): netinbox's `store.count(q)` plus
  `store.rows(q, 0, 100)` for `q = parse(term, view)`, what the app asks the store for a
  search, against the hand-written SQL, alternately. Flat ratios at 1k, 100k and 1M
  (`--size`) show that a search's cost follows its matches, not the view's size.
- `search` (end to end): in the real app, the view's key, `/`, the term typed at
  `--typing` seconds per key; timed from the last key until the list's title shows
  `<view> · <count> · searched` with the hand-written count and the first result is in
  the list; the app's search debounce (`MainScreen.SEARCH_DELAY`) is subtracted and
  reported. Its floor is the same steps, by turns, in a bare Textual app in the same
  terminal harness (`bare.py search`: a `DataTable` and a search box) that runs the
  hand-written SQL after the same debounce and shows the count and the 100 rows: both
  sides pay for painting and the terminal. The hand-written SQL alone is timed after
  each pair, in this process, and reported beside it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import e2e
from benchmarks.e2e import Programs, Samples, move, step, view_shown
from benchmarks.expect import ViewShown
from benchmarks.terminal import Exited, Terminal, Unsettled, key

LIMIT = 100
QUESTION_BUDGET = 4.0  # seconds of in-process samples per question (at least one)
COLUMNS = (
    "r.id, r.status, r.direction, p.platform, p.name, p.headline, p.company,"
    " r.received_at, r.due_at, r.flags"
)


@dataclass
class Question:
    view: ViewShown
    kind: str  # "rare" or "common"
    term: str
    count: int = 0  # by hand
    first: str | None = None  # the first result's name, by hand

    @property
    def label(self) -> str:
        return f"{self.view.title}, {self.kind} {self.term!r} ({self.count:,} found)"


class HandSQL:
    """The hand-written floor, on its own connection."""

    def __init__(self, db: Path) -> None:
        from netinbox.query import VIEW_SQL, View, fts_match

        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.view_sql = {view.value: sql for view, sql in VIEW_SQL.items()}
        self.fts_match = fts_match
        self.views = View

    def sql(self, view: str) -> tuple[str, str]:
        source = "search s CROSS JOIN requests r ON r.search_key = s.rowid"
        where = f"search MATCH :match AND ({self.view_sql[view]})"
        count = f"SELECT count(*) FROM {source} WHERE {where}"
        rows = (
            f"SELECT {COLUMNS} FROM {source} JOIN persons p ON p.id = r.person_id"
            f" WHERE {where} ORDER BY s.rowid DESC LIMIT {LIMIT}"
        )
        return count, rows

    def params(self, term: str) -> dict[str, object]:
        """The match, and the clock's values a view's condition may name (in UTC)."""
        now = time.time()
        day = now - now % 86400

        def stamp(seconds: float) -> str:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))

        return {"match": self.fts_match(term), "now": stamp(now), "soon": stamp(now + 2 * 86400),
                "today": stamp(day), "tomorrow": stamp(day + 86400)}  # fmt: skip

    def answer(self, view: str, term: str) -> tuple[int, list[tuple[object, ...]]]:
        count_sql, rows_sql = self.sql(view)
        params = self.params(term)
        count = self.conn.execute(count_sql, params).fetchone()[0]
        rows = self.conn.execute(rows_sql, params).fetchall()
        return int(count), rows

    def close(self) -> None:
        self.conn.close()


def questions(hand: HandSQL, views: list[ViewShown], terms: dict[str, str]) -> list[Question]:
    found = []
    for view in views:
        for kind, term in terms.items():
            count, rows = hand.answer(view.name, term)
            found.append(Question(view, kind, term, count, str(rows[0][4]) if rows else None))
    return found


def timed(run: Callable[[], object], conn: sqlite3.Connection, timeout: float) -> float:
    """Milliseconds of `run`; interrupted (sqlite3.OperationalError) after `timeout`."""
    timer = threading.Timer(timeout, conn.interrupt)
    timer.start()
    try:
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) * 1000
    finally:
        timer.cancel()


# --- the plan, in-process --------------------------------------------------------------------


def plan(db: Path, qs: list[Question], repeat: int, timeout: float,
         hand: HandSQL) -> list[tuple[Question, Samples, Samples]]:  # fmt: skip
    from netinbox.query import View, parse
    from netinbox.store import Store

    results = []
    with Store(db) as store:
        for q in qs:
            mine, floor = Samples(), Samples()
            query = parse(q.term, View(q.view.name))

            def netinbox(query: object = query) -> None:
                store.count(query)  # type: ignore[arg-type]
                store.rows(query, 0, LIMIT)  # type: ignore[arg-type]

            def by_hand(q: Question = q) -> None:
                hand.answer(q.view.name, q.term)

            sides = [("netinbox", netinbox, store.conn, mine), ("hand", by_hand, hand.conn, floor)]
            started = time.perf_counter()
            for number in range(-1, repeat):  # -1: an untimed warm-up (the page cache)
                if number >= 1 and time.perf_counter() - started > QUESTION_BUDGET:
                    break  # a slow plan: what was taken says enough
                for _name, run, conn, samples in sides if number % 2 == 0 else sides[::-1]:
                    if samples.unsettled:
                        continue
                    try:
                        ms = timed(run, conn, timeout)
                    except sqlite3.OperationalError as error:
                        samples.fail(RuntimeError(f"did not finish in {timeout:g} s ({error})"))
                        continue
                    if number >= 0:
                        samples.add(ms)
            results.append((q, mine, floor))
    return results


# --- end to end ------------------------------------------------------------------------------


def debounce() -> float:
    """The app's search debounce in seconds (0 if it has none)."""
    try:
        from netinbox.tui.screens.main import MainScreen
    except ImportError:
        return 0.0
    return float(getattr(MainScreen, "SEARCH_DELAY", 0.0) or 0.0)


@dataclass
class Side:
    """One program searched in: netinbox, or the bare search app (`bare.py search`)."""

    name: str
    launch: Callable[[], Terminal]
    ready: Callable[[Terminal], bool]  # its first screen
    echo: Samples
    term: Terminal | None = None

    def terminal(self, timeout: float) -> Terminal:
        if self.term is None:
            self.term = self.launch()
            self.term.wait(self.ready, timeout, f"{self.name}'s first screen")
        return self.term

    def close(self) -> None:
        if self.term is not None:
            self.term.close(quit_keys=None)
            self.term = None


def end_to_end(p: Programs, qs: list[Question], repeat: int, typing: float, hand: HandSQL,
               db: Path) -> tuple[list[tuple[Question, Samples, Samples, Samples]],
                                  Samples, Samples]:  # fmt: skip
    """Each question `repeat` times in netinbox and in the bare search app, by turns, each
    side one app for all questions (one that does not settle costs its app, and the next
    question starts a fresh one); after each pair, the hand-written SQL alone."""
    from benchmarks.e2e import first_screen, text_shown

    delay = debounce()
    bare_argv = ["search", str(p.expect.pages), str(db), repr(delay)]
    sides = [
        Side("netinbox", p.netinbox, first_screen(p.expect), Samples()),
        Side("the bare app", lambda: p.bare(*bare_argv), text_shown("0000"), Samples()),
    ]
    results = []
    try:
        for q in qs:
            mine, floor, alone = Samples(), Samples(), Samples()
            results.append((q, mine, floor, alone))
            pairs = [(sides[0], mine), (sides[1], floor)]
            for number in range(repeat):
                for side, samples in pairs if number % 2 == 0 else pairs[::-1]:
                    if samples.unsettled:
                        continue
                    try:
                        term = side.terminal(p.timeout)
                        _search_once(term, p, q, typing, delay * 1000, samples, side.echo)
                    except (Unsettled, Exited) as error:
                        if not getattr(error, "noted", False):
                            samples.fail(error)
                        side.close()
                try:
                    alone.add(timed(lambda q=q: hand.answer(q.view.name, q.term), hand.conn,
                                    p.timeout))  # fmt: skip
                except sqlite3.OperationalError as error:
                    alone.fail(error)
    finally:
        for side in sides:
            side.close()
    return results, sides[0].echo, sides[1].echo


def _search_once(term: Terminal, p: Programs, q: Question, typing: float, delay: float,
                 samples: Samples, echo: Samples) -> None:  # fmt: skip
    t = p.timeout
    if not view_shown(q.view, rows=False)(term):
        move(term, q.view.key.encode(), view_shown(q.view), f"view {q.view.key}", t)
    move(term, b"/", _search_open, "the search box", t)
    keys = [c.encode() for c in q.term]
    sent = term.press(keys[0])  # as a person types: right after the box is there
    try:
        shown = term.wait(_typed(q.term[0]), t, "the first letter in the search box")
    except Unsettled as error:
        echo.fail(error)
        raise
    echo.add((shown - sent) * 1000)
    last = term.type_keys(keys[1:], typing) if len(keys) > 1 else sent
    done = view_shown(q.view, q.count, q.first)
    if any(" · " + e2e.SAID.searched in line for line in term.screen()):
        samples.early += 1  # a shorter term's results were shown while typing
        if done(term):  # and they are the term's own: nothing left to time
            samples.skipped += 1
            samples.skip_reason = (
                "a shorter term's results, the same, were on screen at the last key"
            )
            move(term, key("escape"), view_shown(q.view, rows=False), "the search cleared", t)
            return
    try:
        arrived = term.wait(done, t, f"{q.view.title} · {q.count} · {e2e.SAID.searched}")
    except Unsettled as error:
        samples.fail(error)
        error.noted = True  # type: ignore[attr-defined]
        raise
    samples.add((arrived - last) * 1000 - delay)
    move(term, key("escape"), view_shown(q.view, rows=False), "the search cleared", t)


def _typed(text: str) -> Callable[[Terminal], bool]:
    """The search box shows `text` (not its placeholder)."""

    def done(term: Terminal) -> bool:
        for line in term.screen():
            if "Search:" in line:
                return line.split("Search:", 1)[1].strip().startswith(text)
        return False

    return done


def _search_open(term: Terminal) -> bool:
    return any("Search:" in line for line in term.screen())


__all__ = ["HandSQL", "Question", "debounce", "end_to_end", "plan", "questions", "step"]
