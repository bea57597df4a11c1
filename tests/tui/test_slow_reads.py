"""A slow count or search never stalls the keys: it runs on a connection of its own, the
user's next key makes it obsolete (and stops it), and an obsolete result never shows.

The workers' reads are made as slow as we like: every reader the app opens gets a progress
handler that holds each query until the test opens the gate (or the app stops the query).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator

import pytest
from textual import events

from netinbox.query import View
from netinbox.readers import Readers
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.filter_bar import FilterBar
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import listed, settle


class Gate:
    """Holds every worker query while closed; counts the queries the app stopped."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.held = 0  # queries that waited at the gate
        self.stopped = 0  # of those, the ones the app interrupted
        self._interrupted: set[int] = set()

    def handler(self, conn: sqlite3.Connection):
        def hold() -> int:
            if self.open.is_set():
                return 0
            self.held += 1
            while not self.open.wait(0.005):
                if id(conn) in self._interrupted:
                    self._interrupted.discard(id(conn))
                    self.stopped += 1
                    return 1  # abort: what `interrupt()` does to a running query
            return 0

        return hold

    def interrupted(self, conn: sqlite3.Connection) -> None:
        self._interrupted.add(id(conn))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    make_reader = Store.reader
    interrupt = Readers.interrupt

    def slow_reader(self: Store) -> Store:
        reader = make_reader(self)
        reader.conn.set_progress_handler(gate.handler(reader.conn), 1)
        return reader

    def interrupt_and_tell(self: Readers, tag: str) -> None:
        for busy_tag, reader in list(self._busy.values()):
            if busy_tag == tag:
                gate.interrupted(reader.conn)
        interrupt(self, tag)

    monkeypatch.setattr(Store, "reader", slow_reader)
    monkeypatch.setattr(Readers, "interrupt", interrupt_and_tell)
    yield gate
    gate.open.set()


def title(app: NetInboxApp) -> str:
    return str(app.main.query_one(RequestList).border_title)


async def wait_held(gate: Gate, count: int) -> None:
    for _ in range(400):
        if gate.held >= count:
            return
        time.sleep(0.005)
    raise AssertionError("the app never started the read")


async def test_keys_work_while_a_search_is_counted(app: NetInboxApp, gate: Gate) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert title(app) == "New · 3"
        gate.open.clear()
        await pilot.press("slash", *"brandt", "enter")  # enter: search now, back to the list
        await wait_held(gate, 1)
        requests = app.main.query_one(RequestList)
        # The search is still being counted: the list is New's, and it answers keys.
        assert title(app) == "New · searching…"
        await pilot.press("j", "j")
        assert requests.cursor == 2
        await pilot.pause()
        assert app.main.detail is not None and app.main.detail.person.name == "Carla Crespo"
        gate.open.set()  # the count comes: the list shows the search
        await settle(pilot)
        assert listed(app) == ["Ben Brandt"]
        assert title(app) == "New · 1 · searched"


async def test_the_next_key_stops_an_obsolete_search_and_its_result_never_shows(
    app: NetInboxApp, gate: Gate
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        gate.open.clear()
        await pilot.press("slash", *"brandt", "enter")
        await wait_held(gate, 1)
        await pilot.press("2")  # another view, same words: the first search is obsolete
        await wait_held(gate, 2)
        assert gate.stopped >= 1
        assert app.main.query_one(FilterBar).active is View.TO_ASK  # shown at once
        await pilot.press("1", "escape")  # back to New, search cleared: known, so at once
        await pilot.pause()
        assert title(app) == "New · 3"
        assert listed(app) == ["Anna Albers", "Ben Brandt", "Carla Crespo"]
        gate.open.set()  # whatever was still running finishes: it must not show
        await settle(pilot)
        assert title(app) == "New · 3"
        assert listed(app) == ["Anna Albers", "Ben Brandt", "Carla Crespo"]
        assert app.main.query_.is_plain


async def test_keys_typed_in_one_burst_go_where_each_was_meant(app: NetInboxApp) -> None:
    """A person types `/brandt`, enter, `2` faster than the screen changes: the words go
    into the search box (not to the list's keys), and `2` to the list (not the box)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst = [("slash", "/"), *((c, c) for c in "brandt"), ("enter", "\r"), ("2", "2")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        await settle(pilot)
        assert app.main.search_bar().text == "brandt"
        assert isinstance(app.focused, RequestList)
        assert title(app) == "To ask · 1 · searched"
        assert listed(app) == ["Ben Brandt"]
        assert app.screen is app.main  # no dialog opened by a letter of the word
