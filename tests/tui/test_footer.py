"""The footer: one line of the keys that work now. It is there in the first frame, a click
on a key presses it (a dimmed key only rings), and the pointer on a key shows its tooltip."""

from __future__ import annotations

from typing import Any

from netinbox.i18n import _
from netinbox.tui.actions import BY_ID
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.help import HelpScreen
from netinbox.tui.widgets.footer import WordsFooter
from tests.tui.conftest import listed, screen_lines, settle


def column_of(app: NetInboxApp, word: str) -> int:
    """The column of `word` in the footer's line, as on screen."""
    line = screen_lines(app)[-1]
    assert word in line, line
    return line.index(word)


async def test_the_first_frame_has_the_footer_s_keys(app: NetInboxApp) -> None:
    frames: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        # the first frame the screen paints (the keys come with it, not a frame later)
        app.call_after_refresh(lambda: frames.append(screen_lines(app)[-1]))
        await settle(pilot)
    assert frames and "a Ask" in frames[0] and "? Help" in frames[0] and "^p palette" in frames[0]


async def test_a_click_on_a_key_presses_it(app: NetInboxApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await pilot.click(WordsFooter, offset=(column_of(app, "Help"), 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_a_click_on_a_dimmed_key_only_rings(app: NetInboxApp) -> None:
    rung: list[bool] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzqqq", "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        assert listed(app) == []
        footer = app.main.query_one(WordsFooter)
        assert {key.key: key.dimmed for key in footer.shown()}["d"]
        app.bell = lambda: rung.append(True)  # type: ignore[method-assign]
        await pilot.click(WordsFooter, offset=(column_of(app, "Decline"), 0))
        await settle(pilot)
        assert rung and not app.screen.is_modal


async def test_the_pointer_on_a_key_shows_what_it_does(app: NetInboxApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        footer = app.main.query_one(WordsFooter)
        await pilot.hover(WordsFooter, offset=(column_of(app, "Decline"), 0))
        await pilot.pause()
        assert footer.tooltip == _(BY_ID["decline"].help)
        await pilot.hover(WordsFooter, offset=(column_of(app, "Help") + 6, 0))  # past the keys
        await pilot.pause()
        assert footer.tooltip is None


async def test_a_narrow_footer_is_compact_and_drops_the_palette_key(app: Any) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = screen_lines(app)[-1]
        assert "/ Search a Ask" in line and "palette" not in line
