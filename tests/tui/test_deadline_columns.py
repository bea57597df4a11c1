"""At 80×24 the deadline views give names the room a user recognises a person by.

Awaiting answer, Overdue and Snoozed show a deadline column; in a narrow list it says
"in 1d" (English "tomorrow" is wider than the rest), Overdue says how late under "Late"
("13d"), and the flag `!` that every Overdue row has (and no Awaiting row) gives its cell
to the name: the names of the demo's rows are whole, in English and German."""

from __future__ import annotations

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import screen_lines, settle

ROWS: dict[str, dict[str, list[str]]] = {
    # view key → the rows' texts as the list shows them (name … network, deadline)
    "en": {
        "3": ["Ivan Sokolov     LI  in 1d", "Claudia Reuter   XI  in 2d"],
        "4": ["Kevin Schulz      LI  13d", "Svetlana Morozova LI  5d"],
        "8": ["Sophie Laurent  LI  in 5d"],
    },
    "de": {
        "3": ["Ivan Sokolov    LI   morgen", "Claudia Reuter  XI   in 2T"],
        "4": ["Kevin Schulz     LI   13T", "Peter Maier      XI   2T"],
        "8": ["Sophie Laurent LI   in 5T"],
    },
}
HEADERS = {
    "en": {"3": "Net Due", "4": "Net Late", "8": "Net Wakes"},
    "de": {"3": "Netz Frist", "4": "Netz Spät", "8": "Netz Zurück"},
}


async def test_deadline_views_show_whole_names_at_80_columns(demo: Store, language: str) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        requests = app.main.query_one(RequestList)
        width = requests.scrollable_content_region.width
        new = requests._columns(width).name
        for view, rows in ROWS[language].items():
            await pilot.press(view)
            await settle(pilot)
            lines = [line.split("│")[1] for line in screen_lines(app)[2:12]]
            assert HEADERS[language][view] in lines[0], (view, lines[0])
            for row in rows:
                assert any(row in line for line in lines), (view, row, lines)
            # within three cells of the room New gives a name (deadline for age, less flags)
            assert requests._columns(width).name >= new - 3, view


async def test_deadline_views_keep_their_words_where_there_is_room(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for view, said in (("3", "tomorrow"), ("4", "13d overdue"), ("8", "in 5d")):
            await pilot.press(view)
            await settle(pilot)
            text = "\n".join(screen_lines(app))
            assert said in text, view
            assert "Late " not in screen_lines(app)[2]
