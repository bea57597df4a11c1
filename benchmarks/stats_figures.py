"""The statistics figures: `S` → the statistics screen's numbers and charts on screen,
`netinbox stats` spawn → exit, and `netinbox.stats.statistics` in-process; each against
the same aggregate as one hand-written SQL query (`stats_floor`), measured by turns.

What the screen must show is read before the app runs, with netinbox's own
`statistics` on the same store: the summary's first line with its exact count of
requests received in the last 12 months, and the first chart's legend.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.e2e import (
    Programs,
    Samples,
    Terminal,
    first_screen,
    move,
    step,
    text_shown,
)
from benchmarks.stats_floor import HandStats
from benchmarks.terminal import Exited, Unsettled, key

LEGEND = "■ with a message"


def expected_summary(store: Path) -> str:
    """The start of the summary's first line for the last 12 months, as netinbox counts."""
    from netinbox.stats import statistics
    from netinbox.stats_text import number
    from netinbox.store import Store

    with Store(store, read_only=True, create=False) as opened:
        total = statistics(opened).received_totals().total
    return f"Received: {number(total)} · "


def charts_shown(summary: str):  # type: ignore[no-untyped-def]
    """The summary with its exact count, and the first chart's legend."""

    def done(term: Terminal) -> bool:
        screen = term.screen()
        return any(summary in line for line in screen) and any(LEGEND in line for line in screen)

    return done


def screen_and_floor(p: Programs, n: int, mine: Samples, floor: Samples, hand: HandStats) -> None:
    """One launch: `S` → the charts, `escape` back, `n` times; the floor by turns."""
    summary = expected_summary(p.store)
    shown = charts_shown(summary)
    term = p.netinbox()
    try:
        term.wait(first_screen(p.expect), p.timeout, "the complete first screen")
        for _ in range(n):
            floor.add(hand.timed())
            step(term, b"S", shown, "the statistics' numbers and charts", mine, p.timeout)
            move(term, key("escape"), lambda term: not text_shown(summary)(term), "back", p.timeout)
    finally:
        term.close(quit_keys=None)


def in_process(store: Path, n: int, mine: Samples, floor: Samples, hand: HandStats) -> None:
    from netinbox.stats import statistics
    from netinbox.store import Store

    with Store(store, read_only=True, create=False) as opened:
        for number in range(n):
            sides = [
                (mine, lambda: statistics(opened)),
                (floor, hand.answer),
            ]
            for samples, call in sides if number % 2 == 0 else sides[::-1]:
                started = time.perf_counter()
                call()
                samples.add((time.perf_counter() - started) * 1000)


def guarded_session(run, samples: Samples) -> None:  # type: ignore[no-untyped-def]
    try:
        run()
    except (Unsettled, Exited, RuntimeError, OSError) as error:
        if not getattr(error, "noted", False):
            samples.fail(error)
