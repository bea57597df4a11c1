"""The draft as the user edits it: `a` on an existing draft, `t` over hand edits."""

from __future__ import annotations

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from tests.tui.conftest import calm, profile_shown


async def test_a_on_an_existing_draft_types_on_at_its_end(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    store.save_draft(people["Ben"], "Hello Ben,\nwhy?\nMira", "")
    async with app.run_test(size=(120, 40)) as pilot:
        await profile_shown(pilot)
        calm(app)
        await pilot.press("j", "a", "!")
        draft = app.main.query_one(DraftEditor)
        assert draft.text == "Hello Ben,\nwhy?\nMira!"


async def test_a_goes_back_to_where_the_user_left_the_draft(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    store.save_draft(people["Ben"], "Hello Ben,\nwhy?\nMira", "")
    async with app.run_test(size=(120, 40)) as pilot:
        await profile_shown(pilot)
        calm(app)
        await pilot.press("j", "a", "up", "end", "?", "escape")  # "why??", then to the list
        await pilot.press("j", "k", "a", "!")  # away to Carla and back
        assert app.main.query_one(DraftEditor).text == "Hello Ben,\nwhy??!\nMira"
