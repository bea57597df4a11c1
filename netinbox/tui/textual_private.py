"""Every use of Textual's private API, each in one function that says why.

Textual (8.2) keeps these underscored: a minor release may rename or change them. They
are reached only from here, never with a silent default (`getattr(…, "_keymap", {})`
would fall back to the default keys without a word), and
`tests/tui/test_textual_private.py` runs each against the installed Textual, so a change
there fails loudly in the suite instead of quietly in the app. Two private hooks are
overridden where they belong, and tested here too: the app's `_fatal_error` (it calls
`report_crash_without_locals`) and the search box's `_on_key` (a key typed before the
focus left the box goes where the focus is now).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import App
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.geometry import Size
from textual.keys import _character_to_key, _normalize_key_list
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets._footer import FooterKey


def report_crash_without_locals(app: App[Any]) -> None:
    """What Textual 8's `App._fatal_error` does, but for `show_locals`: ring, keep the
    traceback to print on exit (`_exit_renderables`), close the app's message queues
    (`_close_messages_no_wait`). The local variables it would list hold the names and
    messages of the requests on screen (`tests/reliability/test_e_privacy.py`)."""
    import rich
    from rich.segment import Segments
    from rich.traceback import Traceback

    app.bell()
    report = Traceback(show_locals=False, width=None, suppress=[rich])
    app._exit_renderables.append(Segments(app.console.render(report, app.console.options)))
    app._close_messages_no_wait()


def keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app's bindings follow now (`App.set_keymap` keeps it private as
    `_keymap`, already normalised): binding id → keys."""
    return app._keymap


def node_bindings(node: DOMNode) -> BindingsMap:
    """A node's own bindings as Textual uses them (`_bindings`: the class's BINDINGS with
    the keymap applied). Changing one changes what the footer shows: Textual has no public
    way to show or hide a binding after the class is made."""
    return node._bindings


def footer_key_dimmed(key: FooterKey) -> bool:
    """Whether a footer key shows its action as unavailable (`FooterKey._disabled`: it
    rings the bell on a click instead of pressing the key)."""
    return key._disabled


def dim_footer_key(key: FooterKey, dim: bool) -> None:
    """Dim a footer key, or light it, in place (as Textual makes it dimmed: `_disabled`
    and the `-disabled` class); only this key is restyled."""
    key._disabled = dim
    key.set_class(dim, "-disabled")


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Resize a widget's scrollbars to a new virtual size without laying out the screen
    (`_scroll_update`, what setting `virtual_size` runs besides a full layout)."""
    widget._scroll_update(virtual_size)


def is_stopped(message: Message) -> bool:
    """Whether a handler stopped the message (`stop()` sets `_stop_propagation`; there
    is no public getter): a key typed into a box never comes back up to the app."""
    return bool(message._stop_propagation)


def key_of_character(character: str) -> str:
    """Textual's key name for one character ("/" → "slash"), as bindings name keys."""
    return _character_to_key(character)


def normalized_keys(keys: str) -> str:
    """A comma-separated key list with characters named as Textual names them
    ("?,f1" → "question_mark,f1"): what the keymap and the bindings map compare."""
    return _normalize_key_list(keys)


def make_vertical_scrollbar(widget: Widget, kind: type[ScrollBar]) -> ScrollBar:
    """The widget's vertical scrollbar, made of `kind` the first time it is asked for:
    what `Widget.vertical_scrollbar` does with `ScrollBar` (`_vertical_scrollbar`, and
    `App._start_widget` to mount it beside the widget's children)."""
    bar = widget._vertical_scrollbar
    if bar is None:
        bar = kind(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
        widget._vertical_scrollbar = bar
        bar.display = False
        widget.app._start_widget(widget, bar)
    return bar
