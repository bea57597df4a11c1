"""Each use of Textual's private API (`netinbox.tui.textual_private`) against the installed
Textual: when an update renames or changes one, this fails here, by name, instead of the
app quietly falling back to default keys or a stale scrollbar."""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from typing import Any, ClassVar

import pytest
from textual import events
from textual._compositor import Compositor, CompositorUpdate
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.widgets import Input, Static

from netinbox.store import Store
from netinbox.tui import textual_private as private
from netinbox.tui.widgets.search_bar import SearchInput
from tests.tui.conftest import screen_strips, settle


class Tall(ScrollView):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "nothing", "Nothing", id="tall.x")]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Tall()


async def test_the_keymap_in_effect_is_what_set_keymap_was_given() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)):
        assert dict(private.keymap(app)) == {}
        app.set_keymap({"tall.x": "?", "decline": "x"})
        assert dict(private.keymap(app)) == {"tall.x": "question_mark", "decline": "x"}


async def test_a_node_s_bindings_are_what_the_footer_shows() -> None:
    """The main screen shows its first-run keys by swapping a binding in this map for one
    that shows: the swap must reach the active bindings, also after a keymap."""
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        tall = app.query_one(Tall)
        tall.focus()
        app.set_keymap({"tall.x": "y"})
        bindings = private.node_bindings(tall)
        assert isinstance(bindings, BindingsMap)
        [binding] = bindings.key_to_bindings["x"]  # the class's keys, before the keymap
        bindings.key_to_bindings["x"] = [replace(binding, show=False)]
        tall.refresh_bindings()
        await pilot.pause()
        active = app.screen.active_bindings["y"].binding
        assert active.id == "tall.x" and not active.show


async def test_scrollbars_follow_a_new_virtual_size() -> None:
    app = Host()
    async with app.run_test(size=(40, 10)) as pilot:
        tall = app.query_one(Tall)
        assert not tall.show_vertical_scrollbar
        tall.set_reactive(ScrollView.virtual_size, Size(0, 500))
        private.update_scrollbars(tall, Size(0, 500))
        await pilot.pause()
        assert tall.show_vertical_scrollbar and tall.max_scroll_y == 490


class OwnBar(ScrollBar):
    pass


class TallWithOwnBar(ScrollView):
    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return private.make_vertical_scrollbar(self, OwnBar)


class HostWithOwnBar(App[None]):
    def compose(self) -> ComposeResult:
        yield TallWithOwnBar()


async def test_a_scrollbar_of_its_own_kind_is_the_one_shown() -> None:
    app = HostWithOwnBar()
    async with app.run_test(size=(40, 10)) as pilot:
        tall = app.query_one(TallWithOwnBar)
        tall.virtual_size = Size(0, 500)
        await pilot.pause()
        bar = tall.vertical_scrollbar
        assert type(bar) is OwnBar and bar is tall.vertical_scrollbar
        assert bar.display and bar.parent is tall and bar.size.height == 10
        assert bar.window_virtual_size == 500


def test_a_stopped_message_says_so() -> None:
    key = events.Key("a", "a")
    assert not private.is_stopped(key)
    key.stop()
    assert private.is_stopped(key)


def test_key_names_as_bindings_write_them() -> None:
    assert private.key_of_character("/") == "slash"
    assert private.key_of_character("?") == "question_mark"
    assert private.key_of_character("a") == "a"
    assert private.normalized_keys("?, f1,/") == "question_mark,f1,slash"


class SpyInput(Input):
    seen: ClassVar[list[str]] = []

    async def _on_key(self, event: events.Key) -> None:
        self.seen.append(event.key)
        await super()._on_key(event)


class Typing(App[None]):
    def compose(self) -> ComposeResult:
        yield SpyInput()


async def test_a_key_reaches_an_input_through_on_key() -> None:
    """`SearchInput._on_key` (keys typed before the focus left the box, enter at once)
    overrides Textual's private handler: it must still be what a key runs."""
    assert SearchInput._on_key is not Input._on_key
    app = Typing()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.press("a", "b")
        assert SpyInput.seen == ["a", "b"] and app.query_one(SpyInput).value == "ab"


def test_the_crash_report_hook_is_still_textual_s() -> None:
    """`NetInboxApp._fatal_error` replaces Textual's with `report_crash_without_locals`,
    which reaches into what Textual's own does (`tests/reliability/test_e_privacy.py`
    runs it)."""
    fatal = inspect.getsource(App._fatal_error)
    assert "Traceback" in fatal and "_exit_renderables" in fatal
    assert "_close_messages_no_wait" in fatal
    app = App[None]()
    assert isinstance(app._exit_renderables, list)
    assert callable(app._close_messages_no_wait)


class Sides(App[None]):
    """A label on the left, one on the right in a column: the main screen's shape."""

    CSS = "#left, Vertical { width: 1fr; }"

    def get_default_screen(self) -> Screen[None]:
        screen = Screen[None](id="_default")
        private.paint_changes_only(screen)
        return screen

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("left", id="left")
            with Vertical():
                yield Static("right", id="right")


def frames_written(app: App[Any]) -> list[str]:
    """What each frame of `app` writes to the terminal, from now on (the headless driver
    writes nothing)."""
    written: list[str] = []
    display = app._display

    def write(screen: Screen[Any], update: Any) -> None:
        if isinstance(update, CompositorUpdate):
            written.append(update.render_segments(app.console))
        display(screen, update)

    app._display = write  # type: ignore[method-assign, assignment]
    return written


async def test_a_frame_after_a_change_writes_the_changed_cells() -> None:
    """`paint_changes_only` gives the screen a compositor of its own (`Screen._compositor`,
    a subclass of `textual._compositor.Compositor` using its dirty regions, cuts, visible
    widgets and spans): the frame after a change is the changed widget's cells alone, the
    screen rendered whole for an export stays Textual's."""
    app = Sides()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        assert type(app.screen._compositor).__mro__[1] is Compositor
        written = frames_written(app)
        app.query_one("#right", Static).update("RIGHT")
        await pilot.pause()
        [frame] = written
        assert "RIGHT" in frame and "left" not in frame
        # a reset (what is in effect is not known), then where the right column starts
        assert frame.startswith("\x1b[0m\x1b[1;21H")
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert lines[0].split() == ["left", "RIGHT"]


async def test_a_container_behind_its_panes_repaints_nothing_and_the_screen_repaints_whole() -> None:
    """The compositor's `update_widgets` leaves out a container whose cells the widgets in
    front of it cover whole (its repaint wrote every pane in it again); the screen's own
    repaint (`App.refresh`: how the terminal is written again after ctrl+z) stays whole."""
    app = Sides()
    app.CSS += " Static { height: 1fr; }"  # the labels fill their containers: panes
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        written = frames_written(app)
        app.query_one(Horizontal).refresh()
        app.query_one(Vertical).refresh()
        await pilot.pause()
        assert written == []  # nothing of theirs shows: nothing is written
        app.refresh()
        await pilot.pause()
        assert "left" in written[-1] and "right" in written[-1]


def test_escape_and_a_digit_are_no_longer_read_as_a_mac_option_character() -> None:
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    from textual._xterm_parser import XTermParser

    private.escape_digits_as_typed()
    assert "\x1b4" not in ANSI_SEQUENCES_KEYS and "\x1b-" not in ANSI_SEQUENCES_KEYS
    assert "\x1b[A" in ANSI_SEQUENCES_KEYS  # the arrows and the rest stay Textual's

    def keys(data: str) -> list[str]:
        parser = XTermParser()  # (an escape waits for what follows: the end says nothing)
        read = [*parser.feed(data), *parser.feed("")]
        return [event.key for event in read if isinstance(event, events.Key)]

    assert keys("\x1b4") == ["alt+4"]  # split into escape and 4 by the app, as alt+s is
    assert keys("£§") == ["pound_sign", "section_sign"]  # typed as themselves


@pytest.mark.parametrize("narrow", [False, True])
async def test_the_first_screen_is_styled_as_a_full_restyle_would_style_it(
    demo: Store, narrow: bool
) -> None:
    """The main screen's first resume skips Textual's second styling of every widget
    (`first_resume_keeps_styles`) and its repaint of the screen just painted: styling
    them all again changes no cell, at either layout; a later resume (back from a
    dialog) restyles as Textual does."""
    from netinbox.tui.app import NetInboxApp

    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24) if narrow else (140, 40)) as pilot:
        await settle(pilot)
        # The first frame is the one whole screen written: Textual's resume asks for it
        # again at once and the search bar's mount after it; both are dropped.
        assert private.whole_frames(app.screen) == 1
        before = [[(s.text, s.style) for s in strip] for strip in screen_strips(app)]
        app.update_styles(app.screen)
        await settle(pilot)
        assert [[(s.text, s.style) for s in strip] for strip in screen_strips(app)] == before

        screen = Screen[None]()  # the rule itself: the first resume only
        first, later = events.ScreenResume(), events.ScreenResume()
        private.first_resume_keeps_styles(screen, first)
        private.first_resume_keeps_styles(screen, later)
        assert (first.refresh_styles, later.refresh_styles) == (False, True)


async def test_a_screenshot_of_a_screen_that_paints_changes_only_has_every_line() -> None:
    """A whole frame is written as spans (cursor moves), but printed for an export
    (`App.export_screenshot`) line after line, as Textual prints its own."""
    app = Sides()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    assert "left" in svg and "right" in svg
    view_box = re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg)
    assert view_box is not None and float(view_box.group(1)) > 5 * 20  # 5 lines, not 1
