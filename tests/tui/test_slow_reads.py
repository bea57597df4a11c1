"""A slow count or search never stalls the keys: it runs on a connection of its own, the
user's next key makes it obsolete (and stops it), and an obsolete result never shows.

The workers' reads are made as slow as we like: every reader the app opens gets a progress
handler that holds each query until the test opens the gate (or the app stops the query).
"""

from __future__ import annotations

import asyncio
import time

import pytest
from textual import events

from netinbox.query import View
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.main import SEARCHING_NOTE_DELAY, MainScreen
from netinbox.tui.widgets.filter_bar import FilterBar
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import Gate, listed, settle, wait_held


def title(app: NetInboxApp) -> str:
    return str(app.main.query_one(RequestList).border_title)


async def test_keys_work_while_a_search_is_counted(app: NetInboxApp, gate: Gate) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert title(app) == "New · 3"
        gate.open.clear()
        await pilot.press("slash", *"brandt", "enter")  # enter: search now, back to the list
        await wait_held(gate, 1)
        requests = app.main.query_one(RequestList)
        # The search is still being read: the list is New's, and it answers keys. Its
        # title says so once the search has taken longer than a quick one does (one that
        # is quick shows its result with no frame of its own for the word before it).
        await pilot.pause(SEARCHING_NOTE_DELAY + 0.1)
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


async def test_words_typed_without_a_pause_are_searched_once_at_the_pause(
    app: NetInboxApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key starts the wait again: a word typed in one go is one search, at its end,
    not one per letter. (The wait is made long here so that a slow machine cannot make a
    gap between two keys look like a pause; the benchmark types at 0.1 and 0.05 s a key.)"""
    monkeypatch.setattr(MainScreen, "SEARCH_DELAY", 1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        searched: list[str] = []
        run = app.main._run_query
        monkeypatch.setattr(app.main, "_run_query", lambda q: (searched.append(q.text), run(q)))
        await pilot.press("slash", *"brandt")
        await pilot.pause(0.5)
        assert searched == []  # no pause yet
        await pilot.pause(0.7)
        await settle(pilot)
        assert searched == ["brandt"]
        assert title(app) == "New · 1 · searched"


async def test_a_search_made_obsolete_by_the_next_key_stops_at_that_key(
    app: NetInboxApp, gate: Gate
) -> None:
    """A pause long enough to search "bra", then "n": the search of "bra" is stopped at
    the key, not at the next pause, and never shows; "bran" does."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        gate.open.clear()
        await pilot.press("slash", *"bra")
        await wait_held(gate, 1)  # searching "bra"
        await pilot.press("n")
        deadline = time.monotonic() + 10
        while gate.stopped < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        assert gate.stopped == 1
        assert title(app) == "New · 3"  # nothing of "bra" shown, no "searching…" left
        gate.open.set()
        await pilot.pause(MainScreen.SEARCH_DELAY + 0.1)
        await settle(pilot)
        assert title(app) == "New · 1 · searched"
        assert listed(app) == ["Ben Brandt"]
