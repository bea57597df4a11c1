"""A slow count or search never stalls the keys: it runs on a connection of its own, the
user's next key makes it obsolete (and stops it), and an obsolete result never shows.

The workers' reads are made as slow as we like: every reader the app opens gets a progress
handler that holds each query until the test opens the gate (or the app stops the query).
"""

from __future__ import annotations

from textual import events

from netinbox.query import View
from netinbox.tui.app import NetInboxApp
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
