"""The search box as it is typed in: what is typed shows, and a search longer than the
box keeps its end, where the typing goes on, in view."""

from __future__ import annotations

from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.search_bar import SearchBar
from tests.tui.conftest import screen_lines, settle


def box_line(app: NetInboxApp) -> str:
    return next(line for line in screen_lines(app) if "Search:" in line)


async def test_a_search_longer_than_the_box_keeps_its_end_in_view(app: NetInboxApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ann")
        assert "Search: ann" in " ".join(box_line(app).split())
        words = "anna " * 16 + "albers"  # 86 characters: more than the box holds
        await pilot.press(*words[3:])
        await pilot.pause()
        box = app.main.query_one(SearchBar).input
        assert box.value == "ann" + words[3:]
        assert "albers" in box_line(app)
        assert box.scroll_x > 0
