"""What the views show: deadlines where the list is sorted by them, the Snoozed view, what
an empty store or view says, and every column and view named at 80×24 and 160×48."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netinbox.query import View
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.commands import COMMANDS
from netinbox.tui.widgets.filter_bar import FilterBar
from netinbox.tui.widgets.footer import WordsFooter
from netinbox.tui.widgets.request_list import RequestList
from netinbox.words import short_view_title
from tests.conftest import T0, Clock
from tests.tui.conftest import PEOPLE, listed, profile_text, screen_lines, settle

SIZES = [(80, 24), (160, 48)]


def add_people(store: Store, rec: Any) -> dict[str, int]:
    ids = {}
    for person in PEOPLE:
        fields = {k: v for k, v in person.items() if k != "name"}
        ids[person["name"].split()[0]] = store.add_request(rec(person["name"], **fields))
    return ids


def sent_at(store: Store, clock: Clock, request_id: int, when: Any) -> None:
    """A follow-up sent at `when` (its answer due 7 days later)."""
    clock.now = when
    store.mark_sent(request_id, "Why do you want to connect?")
    clock.now = T0


def list_lines(app: NetInboxApp) -> list[str]:
    """The request list's header and rows as the user sees them."""
    requests = app.main.query_one(RequestList)
    height = max(requests.row_count + 1, requests.scrollable_content_region.height)
    lines = ["".join(segment.text for segment in requests.render_line(y)) for y in range(height)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


async def screen_once(pilot: Any, *texts: str) -> str:
    """The screen once it shows every one of `texts` (a busy machine paints later)."""
    for _ in range(100):
        await settle(pilot)
        text = "\n".join(screen_lines(pilot.app))
        if all(t in text for t in texts):
            break
        await pilot.pause(0.02)
    return text


def line_of(app: NetInboxApp, name: str) -> str:
    return next(line for line in list_lines(app) if name in line)


@pytest.mark.parametrize("size", SIZES)
async def test_deadlines_are_shown_where_the_list_is_sorted_by_them(
    berlin_store: Store, clock: Clock, rec: Any, size: tuple[int, int]
) -> None:
    ids = add_people(berlin_store, rec)
    sent_at(berlin_store, clock, ids["Carla"], T0 - timedelta(days=9))  # due two days ago
    dora = berlin_store.add_request(rec("Dora Dietz", days_ago=10))
    sent_at(berlin_store, clock, dora, T0 - timedelta(days=7) + timedelta(hours=3))  # today, 13:00
    erik = berlin_store.add_request(rec("Erik Eklund", days_ago=11))
    sent_at(berlin_store, clock, erik, T0 - timedelta(days=7, hours=2))  # today, 08:00: passed
    narrow = size[0] < 110
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        # Ask Anna now: a 7-day deadline is "in 7 days", as a person counts them.
        await pilot.press("a", "escape", "s")
        await settle(pilot)

        await pilot.press("3")  # Awaiting answer: the soonest deadline first
        assert listed(app) == ["Dora Dietz", "Anna Albers"]
        header = list_lines(app)[0]
        assert "Due" in header and "Flags" in header and ("Net" in header)
        assert ("Age" in header) is not narrow  # narrow: the deadline takes the age's place
        assert "today" in line_of(app, "Dora Dietz")
        assert "in 7d" in line_of(app, "Anna Albers")
        await pilot.press("j")
        await settle(pilot)
        assert "answer due in 7 days (deadline 2026-02-09 10:00)" in profile_text(app)

        await pilot.press("4")  # Overdue: the longest overdue first
        assert listed(app) == ["Carla Crespo", "Erik Eklund"]
        if narrow:  # how late, under "Late": the name keeps its room
            assert "Late" in list_lines(app)[0]
            assert " 2d " in line_of(app, "Carla Crespo")
        else:
            assert "2d overdue" in line_of(app, "Carla Crespo")
        assert "today" in line_of(app, "Erik Eklund")
        await settle(pilot)
        assert "overdue by 2 days" in profile_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert "overdue since today" in profile_text(app)

        # due:today: the deadlines that fall today, passed or not, from any view.
        await pilot.press("7", "slash", *"due:today", "enter")
        await settle(pilot)
        assert listed(app) == ["Dora Dietz", "Erik Eklund"]


async def test_the_due_column_counts_calendar_days_in_the_users_zone(
    berlin_store: Store, clock: Clock, rec: Any
) -> None:
    """Sent late on a Monday evening in Berlin: the answer is due the next Monday, which
    is "in 7d" all week long and "tomorrow" on Sunday, whatever the hour."""
    anna = berlin_store.add_request(rec("Anna Albers"))
    sent_at(berlin_store, clock, anna, T0 + timedelta(hours=12))  # Monday 22:00 in Berlin
    clock.now = T0 + timedelta(hours=13, minutes=30)  # Monday 23:30 in Berlin, 22:30 UTC
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert "in 7d" in line_of(app, "Anna Albers")
        assert "answer due in 7 days" in profile_text(app)
        clock.now = T0 + timedelta(days=6, hours=2)  # Sunday 11:00
        app.main.refresh_all()
        await settle(pilot)
        assert "tomorrow" in line_of(app, "Anna Albers")
        assert "answer due tomorrow" in profile_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_snoozed_requests_have_a_view_with_the_day_they_wake(
    berlin_store: Store, clock: Clock, rec: Any, size: tuple[int, int]
) -> None:
    ids = add_people(berlin_store, rec)
    berlin_store.snooze(ids["Ben"], T0 + timedelta(days=5))
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "Ben Brandt" not in listed(app)  # gone from New while it sleeps
        top = screen_lines(app)[0]
        assert "8" in top and "Snoozed" in top
        await pilot.press("8")
        await settle(pilot)
        assert app.main.view is View.SNOOZED and listed(app) == ["Ben Brandt"]
        assert "Wakes" in list_lines(app)[0]
        assert "in 5d" in line_of(app, "Ben Brandt")
        assert "Snoozed · 1" in "\n".join(screen_lines(app))  # the list's title
        bar = screen_lines(app)[0]
        assert "Snoozed 1" in bar  # the active view's count always shows
        assert "snoozed until Sat 2026-02-07" in profile_text(app)

    assert any(c.title == "Show: Snoozed" and c.action == "view('snoozed')" for c in COMMANDS)


async def test_help_lists_the_snoozed_views_key(berlin_store: Store, rec: Any) -> None:
    add_people(berlin_store, rec)
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "8" in text and "Snoozed" in text


async def test_the_readme_names_every_views_key() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `1` …"))
    assert "`9`" in row and "`0`" in row  # the ninth and tenth view
    assert all(view.title in row for view in View)


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_store_says_how_to_start(
    berlin_store: Store, rec: Any, size: tuple[int, int]
) -> None:
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=size) as pilot:
        text = await screen_once(pilot, "All · 0 ", "Follow-ups are written here.", "q Quit")
        assert "No requests yet." in text and "Nothing here" not in text
        assert "All · 0 " in text  # counted, not "counting…" for ever
        assert "Press i to import a file" in text and "Press n to add a request" in text
        assert "Follow-ups are written here." in text  # the draft pane says it too
        assert app.main.draft.placeholder.endswith("Import (i) or add (n) a request first.")
        footer = {k.key_display: k.description for k in app.main.query_one(WordsFooter).shown()}
        assert footer.get("i") == "Import a file" and footer.get("n") == "Add a request"
        assert footer.get("q") == "Quit" and "a" not in footer  # nothing to ask yet

        berlin_store.add_request(rec("Anna Albers"))  # as an import or `n` would
        app.main.refresh_all()
        await screen_once(pilot, "a Ask")
        footer = {k.key_display: k.description for k in app.main.query_one(WordsFooter).shown()}
        assert footer.get("a") == "Ask" and "i" not in footer and "q" not in footer
        assert listed(app) == ["Anna Albers"]


async def test_an_empty_view_says_what_it_holds(berlin_store: Store, rec: Any) -> None:
    add_people(berlin_store, rec)
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("8")
        text = "\n".join(list_lines(app))
        assert "Nothing snoozed." in text and "Snooze a request (z)" in text
        await pilot.press("4")
        text = "\n".join(list_lines(app))
        assert "Nothing overdue." in text and "declining it (d)" in text
        await pilot.press("1", "slash", *"nobody-like-this", "enter")
        await settle(pilot)
        text = "\n".join(list_lines(app))
        assert "No request in New matches the search." in text and "esc" in text
        assert "or 7 to search all requests" in " ".join(text.split())
        await pilot.press("7")  # the same search over every request
        await settle(pilot)
        text = " ".join(" ".join(list_lines(app)).split())
        assert "No request in All matches the search. Press esc to clear it." in text


@pytest.mark.parametrize("size", SIZES)
async def test_every_column_and_view_is_named(
    berlin_store: Store, clock: Clock, rec: Any, size: tuple[int, int]
) -> None:
    ids = add_people(berlin_store, rec)
    sent_at(berlin_store, clock, ids["Carla"], T0 - timedelta(days=1))
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for number, view in enumerate(View, start=1):
            await pilot.press(str(number % 10))
            await settle(pilot)
            header, *rows = list_lines(app)
            # Every column has a header above it.
            requests = app.main.query_one(RequestList)
            cols = requests._columns(requests.scrollable_content_region.width)
            cells = RequestList._cells(cols, *"•!", *["x"] * 6)
            position = 0
            for index, cell in enumerate(cells):
                if index > 1 and cell.strip():  # a column (not the mark, status or a gap)
                    above = header[position : position + len(cell)]
                    assert above.strip(), f"{view}: no header over column {index}: {header!r}"
                position += len(cell)
            assert rows or view is View.SNOOZED
            # Every view's key and name on the filter bar, in order, with the active count.
            bar = screen_lines(app)[0]
            place = 0
            for other in View:
                title = short_view_title(other)
                key = str((list(View).index(other) + 1) % 10)  # 9 Sent by me, 0 I owe
                tiny = short_view_title(other, tiny=True)
                names = f"({re.escape(title)}|{re.escape(tiny)}|{re.escape(other.title)})"
                found = re.compile(rf" {key}[ :]{names} ").search(bar, place)
                assert found, f"{other} missing: {bar!r}"
                place = found.end() - 1
            assert str(app.main.query_one(FilterBar).counts[view]) in bar


async def test_the_filter_bar_fits_80_columns_with_100000_requests(berlin_store: Store) -> None:
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.main.query_one(FilterBar)
        counts = dict.fromkeys(View, 47_539) | {View.ALL: 100_000, View.OVERDUE: 5_104}
        for active in View:
            bar.show(counts, active, {view: str(n % 10) for n, view in enumerate(View, start=1)})
            shown = bar.render().plain
            assert len(shown) <= 80
            # ten views: the shortest titles, and every key
            assert all(
                f"{n % 10}:{short_view_title(view, tiny=True)}" in shown
                for n, view in enumerate(View, 1)
            )
            assert "5.1k" in shown  # the overdue count stays
            assert ("100k" if active is View.ALL else "47k") in shown


async def test_the_palette_shows_what_is_due_today(
    berlin_store: Store, clock: Clock, rec: Any
) -> None:
    ids = add_people(berlin_store, rec)
    sent_at(berlin_store, clock, ids["Anna"], T0 - timedelta(days=7) + timedelta(hours=3))  # today
    sent_at(berlin_store, clock, ids["Ben"], T0 - timedelta(days=6))  # tomorrow
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"due today")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.view is View.ALL and listed(app) == ["Anna Albers"]
        text = "\n".join(screen_lines(app))
        assert "due:today" in text and "All · 1 · searched" in text
        await pilot.press("escape")  # clears it, as any search
        await settle(pilot)
        assert len(listed(app)) == 3


async def test_with_nothing_new_it_opens_on_all_counted(berlin_store: Store, rec: Any) -> None:
    anna = berlin_store.add_request(rec("Anna Albers"))
    berlin_store.decline(anna)
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert app.main.view is View.ALL and "All · 1 " in text and "counting" not in text
        assert listed(app) == ["Anna Albers"]


async def test_a_small_deadline_view_shows_its_count_and_rows_with_its_key(
    berlin_store: Store, clock: Clock, rec: Any
) -> None:
    """Awaiting answer and Overdue change as deadlines pass, so they are counted when
    their key is pressed; small as they are, in the key's own frame, not a moment later
    from a thread (`counting…` first)."""
    ids = add_people(berlin_store, rec)
    sent_at(berlin_store, clock, ids["Carla"], T0 - timedelta(days=9))  # overdue
    sent_at(berlin_store, clock, ids["Anna"], T0 - timedelta(days=1))  # awaiting
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the filter bar's counts are in
        requests = app.main.query_one(RequestList)
        for view, title, name in ((View.AWAITING, "Awaiting answer · 1", "Anna Albers"),
                                  (View.OVERDUE, "Overdue · 1", "Carla Crespo")):  # fmt: skip
            app.main.action_view(view.value)  # what its key runs; nothing awaited after it
            assert str(requests.border_title) == title
            assert listed(app) == [name]
            await pilot.pause()


async def test_a_deadline_that_passes_while_the_app_is_open_moves_its_request(
    berlin_store: Store, clock: Clock, rec: Any
) -> None:
    """The counts and first pages read as the app opens hold for Awaiting answer and
    Overdue only until the next deadline passes: after it, their keys show the request
    in Overdue, with both counts right, though nothing in the store changed."""
    ids = add_people(berlin_store, rec)
    sent_at(berlin_store, clock, ids["Carla"], T0 - timedelta(days=9))  # overdue
    sent_at(berlin_store, clock, ids["Anna"], T0 - timedelta(days=1))  # due in 6 days
    app = NetInboxApp(berlin_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the filter bar's counts and pages are in
        requests = app.main.query_one(RequestList)
        await pilot.press("3")
        await settle(pilot)
        assert str(requests.border_title) == "Awaiting answer · 1"
        assert listed(app) == ["Anna Albers"]
        clock.now = T0 + timedelta(days=6, hours=1)  # Anna's deadline has passed
        await pilot.press("4")
        await settle(pilot)
        assert str(requests.border_title) == "Overdue · 2"
        assert sorted(listed(app)) == ["Anna Albers", "Carla Crespo"]
        await pilot.press("3")
        await settle(pilot)
        assert str(requests.border_title) == "Awaiting answer · 0"
        assert listed(app) == []
    clock.now = T0
