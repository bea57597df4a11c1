"""What the app writes after a key leaves the terminal showing the whole screen as it is.

The main screen's frames write only the cells that changed
(`netinbox.tui.textual_private.paint_changes_only`). Here a terminal emulator (pyte) is fed
every frame the app writes, from the screen as a whole at the start, and after each step
it must show, cell by cell (character, colours, bold, reverse…), what a render of the
whole screen shows: a cell the frames left stale fails, wherever it is. And the list's and
the profile's lines, framed once per line drawn (`netinbox.tui.framed`), must be what
Textual frames for them then, border, padding, colours and all.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pyte
import pytest
from rich.style import Style
from textual._compositor import CompositorUpdate, LayoutUpdate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from netinbox.store import Store
from netinbox.tui import framed
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.main import MainScreen
from netinbox.tui.widgets.profile import ProfilePane
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import settle

Cell = tuple[str, str, str, bool, bool, bool, bool, bool]


def cells(screen: pyte.Screen) -> list[list[Cell]]:
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse, c.strikethrough)
            for c in (screen.buffer[y][x] for x in range(screen.columns))
        ]
        for y in range(screen.lines)
    ]


class Terminal:
    """A terminal fed what the app writes (its headless driver writes nothing)."""

    def __init__(self, app: NetInboxApp) -> None:
        self.app = app
        self.frames = 0
        width, height = app.size
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.Stream(self.screen)
        self.stream.feed(self.whole())  # what the terminal shows now
        display = app._display

        def written(screen: Any, update: Any) -> None:
            if isinstance(update, CompositorUpdate):
                width, height = app.size
                if (width, height) != (self.screen.columns, self.screen.lines):
                    self.screen.resize(height, width)  # (a terminal resized: a whole frame)
                self.stream.feed(update.render_segments(app.console))
                self.frames += 1
            display(screen, update)

        app._display = written  # type: ignore[method-assign, assignment]

    def whole(self) -> str:
        """The screen on top rendered whole, as its first frame writes it."""
        compositor = self.app.screen._compositor
        strips = compositor.render_strips()
        return LayoutUpdate([[strip] for strip in strips], compositor.size.region).render_segments(
            self.app.console
        )

    def stale(self) -> list[str]:
        """The lines whose cells differ from the whole screen's, with the differing cells."""
        width, height = self.app.size
        if (width, height) != (self.screen.columns, self.screen.lines):
            return [f"no frame at {width}×{height} (the terminal: {self.screen.columns}×{self.screen.lines})"]
        expected = pyte.Screen(width, height)
        pyte.Stream(expected).feed(self.whole())
        wrong = []
        for y, (shown, meant) in enumerate(zip(cells(self.screen), cells(expected), strict=True)):
            if shown != meant:
                xs = [x for x, (a, b) in enumerate(zip(shown, meant, strict=True)) if a != b]
                text = "".join(c[0] for c in shown)
                wrong.append(f"line {y}, cells {xs[0]}–{xs[-1]}: {text!r} / {meant[xs[0]]}")
        return wrong


def styled_cells(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    return [[(c, s.style) for s in strip for c in s.text] for strip in strips]


def framed_unlike_textual(app: NetInboxApp) -> list[str]:
    """The panes whose lines differ from Textual's framing of them now (its styles cache,
    emptied first, as `Widget.render_lines` uses it)."""
    wrong = []
    for pane in (app.main.query_one(RequestList), app.main.query_one(ProfilePane)):
        whole = Region(0, 0, *pane.region.size)
        ours = pane.render_lines(whole)
        pane._styles_cache.clear()
        textual = Widget.render_lines(pane, whole)
        if styled_cells(ours) != styled_cells(textual):
            wrong.append(f"{pane.id} at {pane.region.size}")
    return wrong


async def steps(pilot: Pilot[Any], terminal: Terminal, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
        assert terminal.stale() == [], f"after {key!r}"
        app: NetInboxApp = pilot.app  # type: ignore[assignment]
        if app.screen is app.main:
            assert framed_unlike_textual(app) == [], f"after {key!r}"


async def resize(pilot: Pilot[Any], terminal: Terminal, width: int, height: int) -> None:
    """Resize the terminal; wait for the frame at the new size."""
    await pilot.resize_terminal(width, height)
    for _ in range(200):
        await settle(pilot)
        if (terminal.screen.columns, terminal.screen.lines) == (width, height):
            break
    assert terminal.stale() == [], f"at {width}×{height}"


async def test_cursor_keys_leave_no_stale_cell(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        terminal = Terminal(app)
        await steps(pilot, terminal, *["down"] * 25, "pagedown", "pagedown", "up", "G", "g")
        await steps(pilot, terminal, "end", "home", "pageup", *["down"] * 3)
        assert terminal.frames >= 30  # the frames were written and checked


async def test_views_searches_dialogs_focus_and_resizes_leave_no_stale_cell(
    demo: Store,
) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        terminal = Terminal(app)
        await steps(pilot, terminal, "down", "2", "down", "7", "G", "1")
        await steps(pilot, terminal, "slash", *"an", "enter", "down", "escape")
        await steps(pilot, terminal, "tab", "tab", "shift+tab", "question_mark", "escape")
        await steps(pilot, terminal, "a", "escape", "down")
        await resize(pilot, terminal, 80, 24)
        await steps(pilot, terminal, "down", "down", "pagedown", "G", "g", "3", "1")
        await resize(pilot, terminal, 160, 48)
        await steps(pilot, terminal, "down", "up")


async def test_a_page_down_shows_rows_drawn_while_the_page_before_was_read(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the user reads a row, the page a page-down away is drawn and framed (after
    the neighbours' profiles): the key itself draws no row and frames no line."""
    app = NetInboxApp(demo)
    async with app.run_test(size=(120, 16)) as pilot:
        await settle(pilot)
        requests = app.main.query_one(RequestList)
        assert requests.row_count > 2 * requests._visible_rows  # (a page down has new rows)
        terminal = Terminal(app)
        drawn: list[object] = []
        draw_row, around = RequestList._draw_row, framed._Frame.around

        def counted_draw(self: RequestList, *args: Any) -> Strip:
            drawn.append(args[0])
            return draw_row(self, *args)

        def counted_frame(self: framed._Frame, line: Strip) -> Strip:
            drawn.append(line)
            return around(self, line)

        monkeypatch.setattr(RequestList, "_draw_row", counted_draw)
        monkeypatch.setattr(framed._Frame, "around", counted_frame)
        main, read_ahead_soon = app.main, MainScreen._read_ahead_soon
        for _ in range(3):
            for _ in range(250):  # reading: the profiles a key away, then the page
                await pilot.pause(0.02)
                if main._ahead_timer is None:  # (the last turn scheduled no other)
                    break
            await settle(pilot)
            drawn.clear()
            main._read_ahead_soon = lambda *_: None  # type: ignore[method-assign]
            await pilot.press("pagedown")  # (what it shows, without the next reading ahead)
            await settle(pilot)
            assert drawn == []
            assert terminal.stale() == []
            main._read_ahead_soon = partial(read_ahead_soon, main)  # type: ignore[method-assign]
            main._read_ahead_soon()
