"""Profiles read ahead: while the user reads one request, the rows beside it are read and
drawn, so the next `j` or `k` shows its profile at once. What such a key shows is what
the store holds at that key: a change made since (by the app or by another program) and
the time that passed show, and after a burst of keys the profile is the highlighted row's."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from netinbox.config import Config
from netinbox.store import Store
from netinbox.tui.ahead import AFTER
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import Clock
from tests.tui.conftest import profile_shown, profile_text, screen_strips, settle


async def read_ahead(pilot: Pilot[Any], *request_ids: int) -> None:
    """Wait until the profiles of `request_ids` were read ahead (the premise of a test)."""
    app: NetInboxApp = pilot.app  # type: ignore[assignment]
    for _ in range(200):
        if all(request_id in app.main._ahead for request_id in request_ids):
            return
        await pilot.pause(AFTER)
    raise AssertionError("the neighbours' profiles were never read ahead")


def highlighted(app: NetInboxApp) -> list[str]:
    """The screen lines of the list whose cells have the cursor's background."""
    requests = app.main.query_one(RequestList)
    cursor = requests.get_component_rich_style("request-list--cursor").bgcolor
    region = requests.scrollable_content_region
    lines = []
    for y, strip in enumerate(screen_strips(app)):
        if not region.y < y < region.bottom:  # (the list's header is its first line)
            continue
        row = strip.crop(region.x, region.right)
        if any(segment.style and segment.style.bgcolor == cursor for segment in row):
            lines.append(row.text)
    return lines


@asynccontextmanager
async def reading_anna(store: Store, people: dict[str, int]) -> AsyncIterator[Pilot[Any]]:
    """The app on Anna's profile (the first row), Ben's (the next) read ahead."""
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await profile_shown(pilot)
        await read_ahead(pilot, people["Ben"])
        yield pilot


async def test_a_change_made_after_the_read_ahead_shows(
    store: Store, people: dict[str, int], clock: Clock
) -> None:
    async with reading_anna(store, people) as pilot:
        app: NetInboxApp = pilot.app  # type: ignore[assignment]
        # Written by the app's own connection, as a key's change is…
        store.add_note(people["Ben"], "Met him at the fair")
        await pilot.press("j")
        assert "Ben Brandt" in profile_text(app)
        assert "Met him at the fair" in profile_text(app)
        await read_ahead(pilot, people["Carla"])
        # … and by another program (`netinbox watch`, an import) on its own connection.
        with Store(Path(store.path), config=Config(), clock=clock) as other:
            other.add_note(people["Carla"], "Asked around: nobody knows her")
        await pilot.press("j")
        assert "Carla Crespo" in profile_text(app)
        assert "Asked around: nobody knows her" in profile_text(app)


async def test_the_time_passed_since_the_read_ahead_shows(
    store: Store, people: dict[str, int], clock: Clock
) -> None:
    async with reading_anna(store, people) as pilot:
        app: NetInboxApp = pilot.app  # type: ignore[assignment]
        assert "2 days ago" not in profile_text(app)
        clock.advance(days=2)  # the user read Anna's profile for two days
        await pilot.press("j")
        assert "Ben Brandt" in profile_text(app)
        assert "(4 days ago)" in profile_text(app)


async def test_after_a_burst_of_keys_the_profile_is_the_highlighted_rows(
    store: Store, add: Callable[..., int]
) -> None:
    names = [f"Person {number:02d}" for number in range(40)]
    for days, name in enumerate(names, start=1):
        add(name, days_ago=days)
    app = NetInboxApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await profile_shown(pilot)
        requests = app.main.query_one(RequestList)
        page = requests.scrollable_content_region.height - 1  # the list's rows on screen
        for keys, row in (
            ("jjjjj", 5),
            ("kk", 3),
            ("G", 39),
            ("kkj", 38),
            ("g", 0),
            ("jjgj", 1),
            ("Gg", 0),
            (["pagedown"], page),
            (["pagedown", "j"], 2 * page + 1),
            (["pageup", "pageup"], 1),
            (["j", "pagedown", "k"], page + 1),
        ):
            await pilot.press(*keys)
            await settle(pilot)
            assert requests.cursor == row
            assert profile_text(app).startswith(names[row])
            shown = highlighted(app)
            assert len(shown) == 1 and names[row] in shown[0]
            assert app.main.detail is not None and app.main.detail.person.name == names[row]


async def test_once_a_held_key_is_let_go_the_next_rows_are_read_ahead(
    store: Store, add: Callable[..., int]
) -> None:
    """A held key reads nothing ahead (each row passes in a frame); once it is let go,
    the row below and the others a key away are read, as after a single press."""
    ids = [add(f"Person {number:02d}", days_ago=number + 1) for number in range(12)]
    app = NetInboxApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await profile_shown(pilot)
        main = app.main
        main._ahead.clear()
        await pilot.press(*"jjjjj")  # faster than a person presses: held
        assert main._key_held
        await read_ahead(pilot, ids[6], ids[4])
        assert profile_text(app).startswith("Person 05")
