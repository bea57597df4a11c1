"""The footer: one line of the keys that work now. It is there in the first frame, a click
on a key presses it (a dimmed key only rings), and the pointer on a key shows its tooltip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netinbox.i18n import _
from netinbox.tui.actions import BY_ID
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.help import HelpScreen
from netinbox.tui.widgets.footer import WordsFooter
from tests.tui.conftest import listed, screen_lines, settle
from tests.tui.terminal import Terminal


def column_of(app: NetInboxApp, word: str) -> int:
    """The column of `word` in the footer's line, as on screen."""
    line = screen_lines(app)[-1]
    assert word in line, line
    return line.index(word)


def first_frame(app: NetInboxApp) -> list[list[str]]:
    """Collects the screen's lines as the first frame is painted (`_first_frame_painted`)."""
    frames: list[list[str]] = []
    painted = app._first_frame_painted

    def seen() -> None:
        frames.append(screen_lines(app))
        painted()

    app._first_frame_painted = seen  # type: ignore[method-assign]
    return frames


@pytest.mark.parametrize(
    ("size", "words"),
    [((120, 40), " / Search  a Ask  s Send "), ((80, 24), "/ Search a Ask s Send ")],
)
async def test_the_first_frame_has_the_footer_s_keys_for_the_terminal_s_width(
    app: NetInboxApp, size: tuple[int, int], words: str
) -> None:
    """The keys come with the first frame, and at 80 columns in the narrow footer and
    layout already (the profile wider, the footer tight): nothing moves a frame later."""
    frames = first_frame(app)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        after = screen_lines(app)
    assert frames and frames[0][-1].startswith(words)
    assert ("^p palette" in frames[0][-1]) is (size[0] >= 110)
    assert frames[0][-1] == after[-1] and frames[0][1] == after[1]  # the panes' borders


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


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_the_real_command_s_first_screen_at_80_columns_is_the_narrow_one(
    tmp_path: Path, db_path: Path, people: dict[str, int]
) -> None:
    """In a real terminal Textual's first resize comes after the first frame: the first
    screen must already be the narrow one, not the wide one with `? Hel` cut off."""
    term = Terminal(["--db", str(db_path)], tmp_path, cols=80, rows=24)
    try:
        screen = term.wait_for(
            # the request's keys join the footer once its profile is read: under load,
            # a frame or two after the list
            lambda text: "Anna Albers" in text and " Send " in text.split("\n")[-1],
            "the first screen, to its last line",
        )
        assert screen.split("\n")[-1].startswith("/ Search a Ask s Send "), screen
    finally:
        term.close()


async def test_the_keys_speak_the_language_shown_whatever_language_they_were_made_in(
    app: NetInboxApp,
) -> None:
    """A screen's bindings are made when its module is first imported, in the language of
    that moment; the footer says each key's words in the language of now."""
    from textual.screen import Screen

    from netinbox.i18n import set_language
    from netinbox.tui.actions import bindings

    set_language("de")
    try:
        made_in_german = bindings("statistics")
    finally:
        set_language("en")

    class Made(Screen[None]):
        BINDINGS = made_in_german

        def compose(self) -> Any:
            yield WordsFooter()

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(Made())
        await settle(pilot)
        footer = screen_lines(app)[-1]
    assert "p Period" in footer and "esc Back" in footer, footer
    assert "Zeitraum" not in footer
