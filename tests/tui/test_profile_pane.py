"""The profile pane: drawn line by line, it scrolls through a long profile, and the next
request's profile starts at its top, in the frame the list's cursor moves."""

from __future__ import annotations

from collections.abc import Callable

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.profile import ProfilePane
from tests.tui.conftest import profile_shown, screen_lines, settle


def pane_lines(pane: ProfilePane) -> list[str]:
    height = pane.scrollable_content_region.height
    return [pane.render_line(y).text.rstrip() for y in range(height)]


async def test_a_long_profile_scrolls_and_the_next_starts_at_its_top(
    store: Store, add: Callable[..., int]
) -> None:
    add("Lena Lang", days_ago=1, message="A long story. " * 300)
    add("Kurt Kurz", days_ago=2, message="Hi.")
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await profile_shown(pilot)
        pane = app.main.query_one(ProfilePane)
        assert pane_lines(pane)[0] == "Lena Lang"
        assert pane.virtual_size.height > pane.scrollable_content_region.height
        assert "XING yourself." not in "\n".join(pane_lines(pane))
        pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "XING yourself." in pane_lines(pane)[-1]  # its last line (the disclaimer)
        await pilot.press("j")  # the next request: its profile, from the top
        assert round(pane.scroll_y) == 0
        assert pane_lines(pane)[0] == "Kurt Kurz"
        assert "Hi." in pane_lines(pane)


async def test_the_next_request_shows_on_every_line_of_the_pane(
    store: Store, add: Callable[..., int]
) -> None:
    """A key repaints only the profile's lines that changed; the terminal then shows the
    new request on every line, none left over from the one before."""
    add("Lena Lang", days_ago=1, message="We met at the fair.\n\nA second paragraph. " * 4)
    add("Kurt Kurz", days_ago=2, message="")
    add("Karl Kurz", days_ago=3, message="")
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await profile_shown(pilot)
        pane = app.main.query_one(ProfilePane)
        for key, name in (("j", "Kurt Kurz"), ("j", "Karl Kurz"), ("k", "Kurt Kurz"),
                          ("g", "Lena Lang")):  # fmt: skip
            await pilot.press(key)
            await pilot.pause()
            assert pane_lines(pane)[0] == name
            assert shown_lines(app, pane) == pane_lines(pane)


def shown_lines(app: NetInboxApp, pane: ProfilePane) -> list[str]:
    """The profile's lines as the screen shows them (what the terminal was sent)."""
    region = pane.scrollable_content_region
    lines = screen_lines(app)[region.y : region.bottom]
    return [line[region.x : region.right].rstrip() for line in lines]
