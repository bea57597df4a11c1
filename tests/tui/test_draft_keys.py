"""The draft as the user edits it: `a` on an existing draft, `t` over hand edits."""

from __future__ import annotations

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from tests.tui.conftest import calm, profile_shown, toasts


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


async def test_t_over_a_hand_edited_draft_says_so_and_u_brings_it_back(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    ben = people["Ben"]
    mine = "Hi Ben, we met at the fair, didn't we? Mira"
    store.save_draft(ben, mine, "")
    async with app.run_test(size=(120, 40)) as pilot:
        await profile_shown(pilot)
        calm(app)
        await pilot.press("j", "t")
        draft = app.main.query_one(DraftEditor)
        assert "Ben" in draft.text and draft.text != mine  # the next template's text
        assert "Your edited draft was replaced" in toasts(app)[-1]
        assert "Press u to get your text back." in toasts(app)[-1]
        await pilot.press("t")  # from one template to the next: nothing of the user's lost
        assert len([t for t in toasts(app) if "replaced" in t]) == 1
        await pilot.press("u")
        assert draft.text == mine and store.get(ben).draft.body == mine  # type: ignore[union-attr]
        assert toasts(app)[-1] == "Undid: the template; your edited draft is back."
        await pilot.press("u")
        assert toasts(app)[-1] == "Nothing to undo."


async def test_the_draft_comes_back_on_its_own_request(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    ben = people["Ben"]
    store.save_draft(ben, "My own words", "")
    async with app.run_test(size=(120, 40)) as pilot:
        await profile_shown(pilot)
        calm(app)
        await pilot.press("j", "t", "j")  # replaced, then on to Carla
        await pilot.press("u")
        await pilot.pause()
        assert store.get(ben).draft.body == "My own words"  # type: ignore[union-attr]
        assert app.main.requests.current_id == ben
        assert app.main.query_one(DraftEditor).text == "My own words"
