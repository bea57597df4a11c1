"""Reads that can take longer than a frame at 100,000 requests run in a thread, and the keys
answer meanwhile: a page far from both ends of a view (the scrollbar dragged to the
middle), the place of a request far down its view (after `n`), the many marked requests
of a bulk action, and the undo of a big import.

The thresholds are set to nothing here, so three requests behave as 100,000 do, and the
workers' reads are held at the gate (`tests.tui.conftest.Gate`) until the test opens it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from netinbox.query import Query, View
from netinbox.store import Store
from netinbox.tui import review
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.dialogs import ConfirmDialog
from netinbox.tui.widgets import request_list
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import Gate, settle, toasts, wait_held


@contextmanager
def released(gate: Gate) -> Iterator[None]:
    """Opens the gate when the block ends, failed or not: the app's exit would wait for
    the reads it holds."""
    try:
        yield
    finally:
        gate.open.set()


def shown_names(requests: RequestList) -> list[str]:
    """The names on the list's screen lines, blank lines as ""."""
    lines = []
    for y in range(1, requests.scrollable_content_region.height):
        text = requests.render_line(y).text
        lines.append(text[2:].split("  ")[0].strip())
    return lines


async def test_a_far_page_comes_from_a_thread_and_keys_answer_meanwhile(
    store: Store, add: Callable[..., int], gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(request_list, "NEAR_WALK", 0)
    for n in range(250):
        add(f"Person {n:03}", days_ago=n + 1)
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        with released(gate):
            await settle(pilot)
            requests = app.main.query_one(RequestList)
            gate.open.clear()
            requests.scroll_to(y=200, animate=False, immediate=True)  # the scrollbar, dragged
            await pilot.pause()
            await wait_held(gate, 1)
            assert set(shown_names(requests)) == {""}  # drawn blank until its rows come
            await pilot.press("j")  # the key is answered: the cursor moves, the list follows it
            await pilot.pause()
            assert requests.cursor == 1 and round(requests.scroll_y) <= 1
            assert app.main.detail is not None and app.main.detail.person.name == "Person 001"
            gate.open.set()
            requests.scroll_to(y=200, animate=False, immediate=True)
            await settle(pilot)
            assert shown_names(requests)[:2] == ["Person 200", "Person 201"]


async def test_a_request_far_down_its_view_is_found_in_a_thread(
    store: Store, add: Callable[..., int], gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netinbox.tui.screens.main.NEAR_WALK", 0)
    ids = [add(f"Person {n}", days_ago=n + 1) for n in range(5)]
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        with released(gate):
            await settle(pilot)
            requests = app.main.query_one(RequestList)
            gate.open.clear()
            app.main.go_to(ids[3])  # what `n` does after adding a request
            await pilot.pause()
            await wait_held(gate, 1)
            before = requests.cursor
            await pilot.press("j")  # the key is answered while the place is counted
            assert requests.cursor == before + 1
            gate.open.set()
            await settle(pilot)
            assert requests.current_id == ids[3] and requests.cursor == 3
            assert store.position(Query(view=View.NEW), ids[3], within=2) == 2  # "that far or more"


async def test_many_marked_are_read_in_a_thread_before_the_question(
    app: NetInboxApp, store: Store, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review, "MARKED_HERE", 1)
    async with app.run_test(size=(120, 40)) as pilot:
        with released(gate):
            await settle(pilot)
            requests = app.main.query_one(RequestList)
            await pilot.press("space", "space")
            gate.open.clear()
            await pilot.press("D")
            await wait_held(gate, 1)
            assert app.screen is app.main  # no question yet, and the list answers keys
            await pilot.press("k")
            assert requests.cursor == 1
            gate.open.set()
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert (
                app.screen.question.plain == "Decline 2 marked requests?\n\nAnna Albers\nBen Brandt"
            )


async def test_a_big_undo_runs_in_a_thread_and_says_what_it_undid(
    app: NetInboxApp, store: Store, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review, "UNDO_HERE", 0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "D", "y")
        await settle(pilot)
        assert store.get(people["Anna"]).request.status == "declined"
        await pilot.press("u", "u")  # the second comes while the first still runs
        await settle(pilot)
        await pilot.pause()
        assert {store.get(people[n]).request.status for n in ("Anna", "Ben")} == {"new"}
        assert "Undid: declined 2 requests" in toasts(app)
        assert app.main.query_one(RequestList).row_count == 3
