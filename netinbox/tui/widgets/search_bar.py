"""The search box above the list: free text plus the filter language of `query.parse`."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import HorizontalGroup
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input, Static

from netinbox.i18n import N_, _
from netinbox.tui.actions import bindings
from netinbox.tui.keys import typed_character
from netinbox.tui.messages import SearchChanged, SearchClosed
from netinbox.tui.safe import plain

PLACEHOLDER = N_("words, or no:msg state:asked due:overdue net:xing title:tba mutual:0 flag:…")
LABEL = N_("Search:")


class SearchInput(Input):
    """The search box's input: every key that types is its own, `/` included."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return super().check_consume_key(key, typed_character(key, character))

    @property
    def content_width(self) -> int:
        """The text's width, but never less than the box's: Textual's Input sets it as its
        virtual size on every key, and a new virtual size lays out the whole screen; so the
        virtual size changes only once the text is longer than the box (the placeholder is
        drawn cut to the box either way)."""
        return max(cell_len(self.value) + 1, self.scrollable_content_region.width)

    def on_resize(self, event: events.Resize) -> None:
        """The box's width known: its virtual size, before the first key needs it."""
        self.virtual_size = Size(self.content_width, 1)

    async def _on_key(self, event: events.Key) -> None:
        # Overrides Textual's private key handler of Input (its one way to see a key
        # before the Input types it); `tests/tui/test_textual_private.py` checks that
        # keys still arrive here.
        focused = self.screen.focused
        if focused is not self and focused is not None:
            # Typed before the focus left the box (right after enter, in one burst): the
            # key is for where the focus is now, with that widget's and screen's keys.
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter":  # now: a binding would run after the keys queued behind it
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        """Apply, and hand the focus on at once: a key typed right after enter (`2`, `j`)
        is already on its way, and is for the list, not for the box."""
        await super().action_submit()
        bar = self.parent
        if isinstance(bar, SearchBar) and bar.leave_to is not None and self.value.strip():
            self.screen.set_focus(bar.leave_to)


class SearchBar(HorizontalGroup):
    """Hidden until `open()`; posts `SearchChanged` as the user types and `SearchClosed`.

    One line with a label, the box and a hint of the keys; while the list has the focus it
    still shows what the list is filtered by.

    | key | action |
    |---|---|
    | `enter` | search now and go back to the list |
    | `escape` | clear the search and go back to the list |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("search")

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: 1;
        background: $panel;
        &.-open { display: block; }
        & > #search-label {
            width: auto;
            padding: 0 1;
            color: $text-accent;
            text-style: bold;
        }
        & > SearchInput {
            width: 1fr;
            background: $surface;
            &:focus { background: $primary 25%; background-tint: initial; }
        }
        & > #search-error {
            display: none;  /* until there is an error: showing it lays out the screen */
            width: auto;
            max-width: 60%;
            color: $text-error;
            text-style: bold;
            padding: 0 1;
        }
        & > #search-hint { width: auto; color: $text-muted; padding: 0 1; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.keys = {"search": "/", "clear": "esc"}
        """The keys the hint names (the main screen sets them from the keymap)."""
        self.open_when_mounted = False
        """Asked to open before it was mounted (`/` pressed as the app starts)."""
        self.leave_to: Widget | None = None
        """Where the focus goes on enter (the list)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_(LABEL)), id="search-label")
        yield SearchInput(
            placeholder=_(PLACEHOLDER), id="search-input", compact=True, select_on_focus=False
        )
        yield Static(id="search-error", markup=False)
        yield Static(id="search-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def text(self) -> str:
        """The words in the box ("" while the box is still being made: a view key pressed
        as the app starts)."""
        box = self.query_one_optional("#search-input", Input)
        return box.value if box is not None else ""

    def on_mount(self) -> None:
        if self.open_when_mounted:
            self.open()

    def open(self) -> None:
        """Show the box and type in it, after what is there (to edit, not replace it)."""
        self.add_class("-open")
        self.screen.set_focus(self.input)  # now: the keys typed right after `/` are its own
        self.input.cursor_position = len(self.input.value)
        self._show_hint()

    def show_search(self, text: str) -> None:
        """Show `text` as the search in force (run by the caller), the box left closed to
        typing: `/` edits it, escape clears it."""
        with self.prevent(Input.Changed):
            self.input.value = text
        self.add_class("-open")
        self._show_hint()

    def show_error(self, message: str | None) -> None:
        """An inline error (a term the parser cannot read); None clears it."""
        error = self.query_one_optional("#search-error", Static)
        if error is None:
            return  # the box is still being made (a view key as the app starts): no error
        if not message and not error.display:
            return  # nothing shown, nothing to clear: no new layout on every view switch
        error.update(plain(message or "", 300))
        error.display = bool(message)
        self.query_one("#search-hint").display = not message

    def _hint(self, typing: bool) -> Content:
        """What the keys do: apply and clear while typing, edit and clear after."""
        if typing:
            pairs = [("enter", _("apply")), (self.keys["clear"], _("clear"))]
        else:
            pairs = [(self.keys["search"], _("edit")), (self.keys["clear"], _("clear"))]
        parts: list[str | tuple[str, str]] = []
        for key, what in pairs:
            parts += [" · " if parts else "", (key, "bold"), f" {what}"]
        return Content.assemble(*parts)

    def _show_hint(self) -> None:
        """The hint for now, in a room as wide as the wider of the two: going into the box
        or out of it (`/`, enter) changes its words, not the layout of the screen."""
        hint = self.query_one("#search-hint", Static)
        room = max(self._hint(True).cell_length, self._hint(False).cell_length) + 2
        if hint.styles.width is None or hint.styles.width.value != room:
            hint.styles.width = room  # the padding's two cells included
        hint.update(self._hint(self.input.has_focus), layout=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_hint()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_hint()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(SearchChanged(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.action_close()
            return
        self.post_message(SearchChanged(event.value, final=True))

    def action_close(self) -> None:
        box = self.query_one_optional("#search-input", Input)
        if box is None:
            return  # still being made: nothing typed, nothing shown to close
        with self.prevent(Input.Changed):
            box.value = ""
        self.show_error(None)
        self.remove_class("-open")
        self.post_message(SearchClosed())
