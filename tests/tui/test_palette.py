"""The command palette lists every netinbox action with its key, built from Content."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandList, DiscoveryHit, Hit
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from netinbox.tui import commands
from netinbox.tui.commands import (
    COMMANDS,
    Command,
    NetInboxCommands,
    command_display,
    highlight,
)
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.search_bar import SearchBar
from tests.tui.conftest import settle

SIZE = (120, 40)
HOSTILE = "[@click=app.quit]Eve[/] Mallory [/ [link='https://evil']x[/link]"


class FakeMain(Screen[None]):
    """A stand-in for the main screen: every action the palette knows, recording calls."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "ask", "Ask", id="ask"),
        Binding("d", "decline", "Decline", id="decline"),
        Binding("y", "accept", "Accept", id="accept"),
        Binding("4", "view('overdue')", "Overdue", id="view_overdue"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("D", "decline_marked", "Decline marked", id="decline_marked"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("main")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("action_") and name != "action_view":
            return lambda *args: self.ran.append(name.removeprefix("action_"))
        raise AttributeError(name)

    def action_view(self, view: str) -> None:
        self.ran.append(f"view:{view}")

    def action_step(self, name: str) -> None:  # a step of the review loop
        self.ran.append(name)


class PaletteApp(App[None]):
    COMMANDS = App.COMMANDS | {NetInboxCommands}

    def on_mount(self) -> None:
        self.push_screen(FakeMain())


async def _hits(app: App[Any], query: str | None) -> list[Hit | DiscoveryHit]:
    provider = NetInboxCommands(app.screen)
    if query is None:
        return [hit async for hit in provider.discover()]
    return [hit async for hit in provider.search(query)]


async def test_discover_lists_every_action_with_its_key() -> None:
    app = PaletteApp()
    async with app.run_test(size=SIZE):
        hits = await _hits(app, None)
    texts = [hit.text for hit in hits]
    assert texts == [command.title for command in COMMANDS]
    for title in ("Ask why", "Decline all marked", "Show: Overdue", "Import a file", "Undo"):
        assert title in texts
    shown = {hit.text: hit.prompt for hit in hits}
    assert all(isinstance(prompt, Content) for prompt in shown.values())
    assert str(shown["Decline"]) == "Decline  d"
    assert str(shown["Show: Overdue"]) == "Show: Overdue  4"
    assert str(shown["Help"]) == "Help  ? f1"  # both of its keys, as in the app
    assert str(shown["Undo"]) == "Undo  u"  # the action's key, from the table
    assert str(shown["Reopen"]) == "Reopen"  # an action only the palette runs


async def test_search_decline_and_run_it() -> None:
    app = PaletteApp()
    async with app.run_test(size=SIZE) as pilot:
        hits = await _hits(app, "decline")
        assert {hit.text for hit in hits} >= {"Decline", "Decline all marked"}
        best = max(hits, key=lambda hit: hit.score)
        assert isinstance(best.prompt, Content)
        assert best.text == "Decline"
        await best.command()
        await pilot.pause()
        assert app.screen.ran == ["decline"]  # type: ignore[attr-defined]


async def test_keys_follow_the_keymap() -> None:
    app = PaletteApp()
    async with app.run_test(size=SIZE):
        app.set_keymap({"decline": "x"})
        hits = await _hits(app, "decline")
    assert "Decline  x" in {str(hit.prompt) for hit in hits}


def test_hostile_text_in_a_hit_is_never_markup() -> None:
    from textual.fuzzy import Matcher

    shown = command_display(highlight(Matcher("eve"), HOSTILE), "[/")
    assert shown.plain == HOSTILE + "  [/"
    assert not any("@click" in str(span.style) for span in shown.spans)
    for command in COMMANDS:  # the palette parses `help` as markup: keep it free of it
        assert "[" not in command.help and "$" not in command.help.replace("$EDITOR", "")


async def test_the_palette_shows_netinbox_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = Command("decline", HOSTILE, "a hostile title")
    monkeypatch.setattr(commands, "COMMANDS", (*COMMANDS, hostile))
    app = PaletteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"mallory")
        await settle(pilot)  # each letter's search stops the one before it
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(HOSTILE in prompt for prompt in prompts)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FakeMain) and app.screen.ran == ["decline"]
    assert app.return_code in (None, 0)


async def test_the_system_commands_stay() -> None:
    app = PaletteApp()
    async with app.run_test(size=SIZE):
        assert NetInboxCommands in app.COMMANDS and len(app.COMMANDS) > 1


async def test_nothing_offered_over_a_dialog() -> None:
    from netinbox.tui.screens.dialogs import ConfirmDialog

    app = PaletteApp()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ConfirmDialog("Sure?"))
        await pilot.pause()
        assert await _hits(app, None) == []


# --- On the real app --------------------------------------------------------------------


def _fixed() -> datetime:
    return datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def footer_keys(app: App[Any]) -> set[str]:
    """The keys the footer shows now."""
    from netinbox.tui.widgets.footer import WordsFooter

    return {key.key_display for key in app.screen.query_one(WordsFooter).shown()}


async def test_the_real_main_screen_offers_every_command(tmp_path: Path) -> None:
    from netinbox.demo import build_demo
    from netinbox.query import View
    from netinbox.store import Store
    from netinbox.tui.app import NetInboxApp

    with Store(tmp_path / "demo.db", clock=_fixed) as store:
        build_demo(store)
        app = NetInboxApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            hits = await _hits(app, None)
            assert [hit.text for hit in hits] == [command.title for command in COMMANDS]
            shown = {hit.text: str(hit.prompt) for hit in hits}
            assert shown["Decline"] == "Decline  d"
            assert shown["Show: Overdue"] == "Show: Overdue  4"
            assert shown["Import a file"] == "Import a file  i"
            assert shown["Undo"] == "Undo  u"  # not the draft's own ctrl+z (undo typing)
            [overdue] = [hit for hit in await _hits(app, "overdue") if hit.text == "Show: Overdue"]
            await overdue.command()
            await pilot.pause()
            assert app.main.view is View.OVERDUE

            # While the draft has the focus, `/` types a slash: the footer leaves it out,
            # but Search from the palette still works.
            assert "/" in footer_keys(app)
            await pilot.press("a")
            assert isinstance(app.focused, DraftEditor) and "/" not in footer_keys(app)
            [search] = [hit for hit in await _hits(app, "search") if hit.text == "Search"]
            assert "not available" not in (search.help or "")
            await search.command()
            await pilot.pause()
            assert app.focused is app.main.query_one(SearchBar).input


async def test_commands_without_a_request_are_dimmed(tmp_path: Path) -> None:
    from netinbox.store import Store
    from netinbox.tui.app import NetInboxApp

    with Store(tmp_path / "empty.db", clock=_fixed) as store:
        app = NetInboxApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            help_of = {hit.text: hit.help or "" for hit in await _hits(app, None)}
    assert "not available right now" in help_of["Accept"]
    assert "not available" not in help_of["Import a file"]
