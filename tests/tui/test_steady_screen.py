"""What stays put while views and searches come and go: the footer's keys (dimmed while no
request is shown, the letters hidden while the search box types them, all back after),
the draft pane (it takes the focus only while a request is shown), and the list's columns
(a view or search too short to scroll keeps them where a long one has them)."""

from __future__ import annotations

from typing import Any

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft_slot import DraftSlot
from netinbox.tui.widgets.footer import WordsFooter
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import listed, settle

REQUEST_KEYS = {"a", "s", "r", "y", "d", "z"}


def footer(app: NetInboxApp) -> dict[str, bool]:
    """The keys the footer shows, each with whether it is dimmed."""
    return {key.key: key.dimmed for key in app.main.query_one(WordsFooter).shown()}


def footer_text(app: NetInboxApp) -> str:
    lines = [
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    ]
    return lines[-1]


async def search(pilot: Any, text: str, *, enter: bool = True) -> None:
    await pilot.press("slash", *text)
    if enter:
        await pilot.press("enter")
    await pilot.pause(0.3)  # the search's pause after the last key
    await settle(pilot)


async def test_the_footer_dims_the_request_keys_while_no_request_is_shown(
    app: NetInboxApp,
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        shown = footer(app)
        assert REQUEST_KEYS <= set(shown) and not any(shown[k] for k in REQUEST_KEYS)
        await search(pilot, "zzzqqq")
        assert listed(app) == []
        shown = footer(app)
        assert REQUEST_KEYS <= set(shown) and all(shown[k] for k in REQUEST_KEYS)
        assert not shown["slash"] and not shown["question_mark"]  # still at hand
        await pilot.press("escape")
        await settle(pilot)
        assert listed(app)
        shown = footer(app)
        assert not any(shown[k] for k in REQUEST_KEYS)
        assert "Ask" in footer_text(app) and "Decline" in footer_text(app)


async def test_the_footer_leaves_out_the_letters_while_the_search_box_types_them(
    app: NetInboxApp,
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        shown = footer(app)
        assert not REQUEST_KEYS & set(shown) and "slash" not in shown
        assert "f1" in shown  # help, by the key that does not type
        assert "Ask" not in footer_text(app) and "Help" in footer_text(app)
        await pilot.press(*"Anna", "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.focused, RequestList)
        shown = footer(app)
        assert REQUEST_KEYS <= set(shown) and "question_mark" in shown and "f1" not in shown
        text = footer_text(app)
        assert "Ask" in text and "Help" in text


async def test_the_draft_pane_takes_the_focus_only_while_a_request_is_shown(
    app: NetInboxApp,
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await search(pilot, "zzzqqq")
        assert listed(app) == []
        slot = app.main.query_one("#draft-slot", DraftSlot)
        await pilot.press("tab", "tab", "tab")
        await settle(pilot)
        assert app.focused is not slot and not app.main.query("#draft")
        await pilot.press("escape")
        await settle(pilot)
        app.main.requests.focus()
        await pilot.press("a")  # ask: the draft is written and typed in
        await settle(pilot)
        assert app.main.query("#draft") and app.focused is app.main.query_one("#draft")


async def test_a_short_view_keeps_the_columns_of_a_long_one(store: Store, add: Any) -> None:
    for number in range(60):
        add(f"Person {number:02d}")
    app = NetInboxApp(store)
    for size in ((80, 24), (160, 48)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            requests = app.main.query_one(RequestList)
            assert requests.row_count > requests.scrollable_content_region.height
            header = "".join(s.text for s in requests.render_line(0))
            width = requests.scrollable_content_region.width
            await search(pilot, "Person 07")
            assert listed(app) == ["Person 07"]
            assert requests.scrollable_content_region.width == width
            assert "".join(s.text for s in requests.render_line(0)) == header
            await pilot.press("4")  # Overdue: empty
            await settle(pilot)
            assert requests.scrollable_content_region.width == width
        app = NetInboxApp(store)
