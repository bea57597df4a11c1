"""Hostile text from strangers renders as data: no markup, no actions, no escapes, no crash."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from netinbox.config import Config, TemplateConfig
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import Clock
from tests.tui.conftest import profile_text, screen_lines, screen_strips, toasts

EVE = "[@click=app.quit]Eve[/]"
HOSTILE = (
    {"name": EVE, "headline": "Boss\x1b]2;PWNED\x07 of things", "days_ago": 1},
    {"name": "Bob [/] Tables", "headline": "[link=https://evil.example]DBA[/link]", "days_ago": 2},
    {"name": "Cost [$5]", "company": "$accent [b]bold", "days_ago": 3},
    {"name": "[/", "message": "\x1b[2J\x9b31m[/foo] x \x00 \u202eevil", "days_ago": 4},
    {"name": "Mal\x1b]0;pwn\x07lory", "days_ago": 5},
)


def assert_inert(app: NetInboxApp) -> None:
    """No clickable action, no link and no control character anywhere on the screen."""
    for strip in screen_strips(app):
        for segment in strip:
            style = segment.style
            if style is not None:
                assert style.link is None, segment
                meta = style.meta or {}
                assert not any(key.startswith("@click") for key in meta), segment
            assert not any(unicodedata.category(c) == "Cc" for c in segment.text), segment


async def test_hostile_names_render_literally_and_do_nothing(store: Store, add: Any) -> None:
    ids = [add(**fields) for fields in HOSTILE]
    app = NetInboxApp(store)
    async with app.run_test(size=(200, 50)) as pilot:
        app.main.draft.cursor_blink = False
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert text.count(EVE) == 2  # in the list and in the profile
        for literal in ("Bob [/] Tables", "Cost [$5]", "[link=https://evil.example]DBA[/link]"):
            assert literal in text
        assert "Boss of things" in text  # the title-setting sequence is gone, the words stay
        assert_inert(app)

        # Clicking Eve's name, in the list and in the profile, runs nothing.
        await pilot.click("#profile", offset=(3, 1))
        await pilot.click(RequestList, offset=(8, 2))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.focused, RequestList)

        for fields in HOSTILE[1:]:
            await pilot.press("j")
            assert_inert(app)
            if "company" in fields:
                assert str(fields["company"]) in "\n".join(screen_lines(app))
            if "message" in fields:  # escapes gone, markup literal, bidi override neutralised
                assert "[/foo] x" in profile_text(app) and "\u202e" not in profile_text(app)
        assert app.is_running

        await pilot.press("g", "a")  # the draft greets Eve by her name, as text
        draft = app.main.query_one(DraftEditor)
        assert draft.text.startswith(f"Hello {EVE},")
        await pilot.press("escape", "G", "a")
        assert "\x1b" not in draft.text and "Mallory" in draft.text
        await pilot.press("escape", "g", "d", "enter")
        await pilot.pause()
        assert store.get(ids[0]).request.status == "declined"
        assert toasts(app)[-1].startswith(f"Declined {EVE}.")
        await pilot.press("u")
        assert toasts(app)[-1] == f"Undid: declined {EVE}"
        assert_inert(app)

        await pilot.press("g", "space", "space", "D")  # the confirmation names them
        for _ in range(40):  # under load the dialog's background may come a frame later
            dialog_lines = [line for line in screen_lines(app) if "Bob [/] Tables" in line]
            if len(dialog_lines) == 2:
                break
            await pilot.pause(0.05)
        assert len(dialog_lines) == 2  # the list's row and the dialog's line
        assert any(f"│  {EVE}" in line for line in screen_lines(app))
        assert_inert(app)
        await pilot.press("n")
    assert app.return_code in (0, None)


async def test_a_hostile_template_title_is_shown_as_text(
    tmp_path: Path, clock: Clock, rec: Any
) -> None:
    own = TemplateConfig(title="[@click=app.quit]Mine[/]", language="xx", body="Hi {first_name} [/")
    with Store(tmp_path / "t.db", config=Config(templates={"mine": own}), clock=clock) as store:
        store.add_request(rec("Ida Iwanowa"))
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("t", "t", "t", "t")  # en, en-short, de, de-du, then the user's own
            draft = app.main.query_one(DraftEditor)
            assert draft.template == "mine" and draft.text == "Hi Ida [/"
            assert "Draft · [@click=app.quit]Mine[/]" in "\n".join(screen_lines(app))
            assert_inert(app)


async def test_a_huge_message_is_capped(store: Store, add: Any) -> None:
    add("Long Larry", message="word " * 200_000)
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)):
        assert len(profile_text(app)) < 25_000
        assert app.is_running
