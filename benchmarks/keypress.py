"""Figure 2: key → next frame, moving the cursor and switching filters.

Method (textual 8.2.8, in-process, `App.run_test(size=(120, 40))`; `Pilot.press` is not
timed, it waits ~64 ms by itself):

1. Wait until the app is quiet: no worker running (netinbox counts the views in a
   thread after a filter switch) and no frame painted for `QUIET` seconds (the screen's
   update timer fires every 1/60 s while anything is dirty, so a quiet gap means nothing
   is pending). Every key starts from the same idle state.
2. Take the time and send an `events.Key` through `app._driver.send_message`, the path a
   real terminal's input takes (`Pilot.press` does the same, then waits).
3. The latency ends at the first frame after that (`benchmarks.frames.hook_display`:
   `Screen._compositor_refresh` → `App._display`, with the terminal encoding included).
   The last frame before the app is quiet again is kept too ("settled") in the JSON
   samples: it shows work that a first, partial frame would hide.

Samples are pooled over at most `MAX_ROUNDS` rounds (each starts both apps afresh).

Floor: a bare app with one 100-row `DataTable` holding the same first pages; `down`
moves its cursor, and `1`…`7` replace its rows with another view's first page.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.data import Dataset
from benchmarks.frames import frame_text, hook_display
from benchmarks.report import Goal, Row, median, p95
from benchmarks.runner import alternate
from benchmarks.start import NAME_CHARS, first_page_names

SIZE = (120, 40)
QUIET = 0.05
KEY_TIMEOUT = 5.0
START_TIMEOUT = 30.0
#: Filter keys in an order where each press changes the view (the app opens on `1`).
FILTER_KEYS = ("3", "2", "4", "6", "5", "7", "1")
#: Samples are pooled over rounds, and each round starts both apps: three are plenty.
MAX_ROUNDS = 3


@dataclass
class Latencies:
    first: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)


@dataclass
class Session:
    cursor: Latencies = field(default_factory=Latencies)
    filters: Latencies = field(default_factory=Latencies)


class FrameWatch:
    """Frame times of the running app, and a way to wait for the next one.

    `shown` turns true at the first frame that paints one of `texts` (the first page).
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.shown = False
        self.last = 0.0
        self._next: asyncio.Future[float] | None = None

    def on_frame(self, _app: Any, when: float, update: Any) -> None:
        self.last = when
        if not self.shown:
            painted = frame_text(update)
            self.shown = any(text in painted for text in self.texts)
        if self._next is not None and not self._next.done():
            self._next.set_result(when)

    async def first_page(self, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while not self.shown:
            if time.perf_counter() > deadline:
                raise TimeoutError("the app never painted its first page")
            await asyncio.sleep(0.01)

    async def quiet(self, app: Any) -> float:
        """Wait until no worker runs and no frame came for `QUIET` seconds; returns the last
        frame's time."""
        deadline = time.perf_counter() + KEY_TIMEOUT
        while True:
            while any(w.is_running for w in app.workers) and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
            gap = time.perf_counter() - self.last
            if gap >= QUIET:
                return self.last
            await asyncio.sleep(QUIET - gap + 0.001)

    async def press(self, app: Any, key: str) -> tuple[float, float]:
        """Send `key`; (key → first frame, key → last frame before quiet), in seconds."""
        from textual import events

        await self.quiet(app)
        self._next = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            first = await asyncio.wait_for(self._next, KEY_TIMEOUT)
        except TimeoutError:
            raise TimeoutError(f"no frame within {KEY_TIMEOUT} s of key {key!r}") from None
        settled = await self.quiet(app)
        return first - started, settled - started


async def _drive(app: Any, texts: list[str], cursor: int, filters: int) -> Session:
    from textual.app import App

    watch = FrameWatch(texts)
    undo = hook_display(App, watch.on_frame)
    session = Session()
    try:
        async with app.run_test(size=SIZE):
            await watch.first_page(START_TIMEOUT)
            for _ in range(cursor):
                first, settled = await watch.press(app, "down")
                session.cursor.first.append(first)
                session.cursor.settled.append(settled)
            for number in range(filters):
                first, settled = await watch.press(app, FILTER_KEYS[number % len(FILTER_KEYS)])
                session.filters.first.append(first)
                session.filters.settled.append(settled)
    finally:
        undo()
    return session


def _netinbox_session(data: Dataset, texts: list[str], cursor: int, filters: int) -> Session:
    from netinbox.store import Store
    from netinbox.tui.app import NetInboxApp

    with Store(data.store) as store:
        app = NetInboxApp(store)
        app.freeze_gc = True  # as `netinbox.tui.app.run_app` runs it for the user
        return asyncio.run(_drive(app, texts, cursor, filters))


def _floor_session(pages: dict[str, list[tuple[str, ...]]], cursor: int, filters: int) -> Session:
    from benchmarks.floor_app import FloorApp

    texts = [row[1][:NAME_CHARS] for row in pages["1"][:3]]
    return asyncio.run(_drive(FloorApp(pages), texts, cursor, filters))


def first_pages(data: Dataset) -> dict[str, list[tuple[str, ...]]]:
    """Each view's first 100 rows, by filter key, as the floor table shows them."""
    from netinbox.query import Query, View
    from netinbox.store import Store

    with Store(data.store) as store:
        return {
            str(number): [
                (r.status.value, r.name, r.headline, r.company, r.received_at.date().isoformat())
                for r in store.rows(Query(view), 0, 100)
            ]
            for number, view in enumerate(View, start=1)
        }


def _rows(kind: str, netinbox: list[Latencies], floor: list[Latencies], note: str) -> list[Row]:
    from textual.constants import MAX_FPS

    frame_ms = 1000 / MAX_FPS

    def ms(sessions: list[Latencies], attr: str) -> list[float]:
        return [s * 1000 for lat in sessions for s in getattr(lat, attr)]

    n_first, f_first = ms(netinbox, "first"), ms(floor, "first")
    samples = {
        "netinbox": n_first,
        "floor": f_first,
        "netinbox_settled": ms(netinbox, "settled"),
        "floor_settled": ms(floor, "settled"),
    }
    return [
        Row(
            group=2,
            figure=f"keypress: {kind}, median",
            unit="ms",
            goal=Goal("ratio_max", 1.2, "≤ 1.2×"),
            netinbox=median(n_first),
            floor=median(f_first),
            note=note,
            samples=samples,
        ),
        Row(
            group=2,
            figure=f"keypress: {kind}, p95",
            unit="ms",
            goal=Goal("abs_max", 3 * frame_ms, f"≤ 3 frames ({3 * frame_ms:.0f} ms)"),
            netinbox=p95(n_first),
            floor=p95(f_first),
            note=note,
        ),
    ]


def measure(data: Dataset, repeat: int, keys: int) -> list[Row]:
    cursor, filters = keys, max(1, keys // 2)
    pages = first_pages(data)
    try:
        texts = first_page_names(data.store)
    except Exception:  # netinbox's store or query broken: its side will time out and say so
        texts = []
    sides = alternate(
        min(repeat, MAX_ROUNDS),
        lambda: _netinbox_session(data, texts, cursor, filters),
        lambda: _floor_session(pages, cursor, filters),
    )
    note = sides.note()
    return [
        *_rows(
            "cursor",
            [s.cursor for s in sides.netinbox],
            [s.cursor for s in sides.floor],
            note,
        ),
        *_rows(
            "filter",
            [s.filters for s in sides.netinbox],
            [s.filters for s in sides.floor],
            note,
        ),
    ]
