"""Figure 3: search as you type, a rare and a common term, against raw FTS5.

Typing is simulated: one query per prefix of the term (`Q`, `Qu`, … `Quellenhöfer`), as
a search box does on every keystroke. netinbox answers with `store.rows(parse(prefix), 0,
100)`; the floor with `SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC
LIMIT 100` on its own connection to the same file, with the same MATCH expression
(`netinbox.query.fts_match`: every word as a prefix), so both look up the same terms. A
run is the time to answer all prefixes; both sides get one untimed warm-up run.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.data import Dataset
from benchmarks.report import Goal, Row, median
from benchmarks.runner import alternate

LIMIT = 100
FLOOR_SQL = "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?"


def prefixes(term: str) -> list[str]:
    return [term[:n] for n in range(1, len(term) + 1)]


def _timed(answer: Callable[[str], object], typed: list[str]) -> float:
    started = time.perf_counter()
    for text in typed:
        answer(text)
    return time.perf_counter() - started


def _row(term_kind: str, term: str, db: Path, repeat: int) -> Row:
    from netinbox.query import fts_match, parse
    from netinbox.store import Store

    typed = prefixes(term)
    floor_conn = sqlite3.connect(db)
    try:
        with Store(db) as store:

            def netinbox(text: str) -> object:
                return store.rows(parse(text), 0, LIMIT)

            def floor(text: str) -> object:
                return floor_conn.execute(FLOOR_SQL, (fts_match(text), LIMIT)).fetchall()

            _timed(netinbox, typed), _timed(floor, typed)  # warm the page cache of both
            sides = alternate(repeat, lambda: _timed(netinbox, typed), lambda: _timed(floor, typed))
    finally:
        floor_conn.close()
    return Row(
        group=3,
        figure=f"search as you type: {term_kind} ({term!r}, {len(typed)} keys)",
        unit="ms",
        goal=Goal("ratio_max", 1.5, "≤ 1.5×"),
        netinbox=_ms(median(sides.netinbox)),
        floor=_ms(median(sides.floor)),
        note=sides.note(),
        samples={"netinbox": sides.netinbox, "floor": sides.floor},
    )


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def measure(data: Dataset, repeat: int) -> list[Row]:
    rows = []
    for kind, term in (("rare", data.rare_term), ("common", data.common_term)):
        try:
            rows.append(_row(kind, term, data.store, repeat))
        except Exception as error:  # netinbox's query module missing or broken
            from benchmarks.runner import describe

            rows.append(
                Row(
                    group=3,
                    figure=f"search as you type: {kind} ({term!r})",
                    unit="ms",
                    goal=Goal("ratio_max", 1.5, "≤ 1.5×"),
                    note=f"netinbox failed: {describe(error)}",
                )
            )
    return rows
