"""The search box above the list: free text plus the filter language of `query.parse`."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup
from textual.widgets import Input, Static

from netinbox.tui.messages import SearchChanged, SearchClosed
from netinbox.tui.safe import plain

PLACEHOLDER = "Search: words, or no:msg state:asked due:overdue net:xing title:tba mutual:0 flag:…"


class SearchBar(HorizontalGroup):
    """Hidden until `open()`; posts `SearchChanged` as the user types and `SearchClosed`.

    | key | action |
    |---|---|
    | `enter` | search now and go back to the list |
    | `escape` | clear the search and go back to the list |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear search", id="search_clear", tooltip="Clear the search"),
    ]

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: auto;
        &.-open { display: block; }
        & > #search-label { width: auto; padding: 0 1; color: $text-accent; text-style: bold; }
        & > Input { width: 1fr; }
        & > #search-error { width: auto; max-width: 60%; color: $text-error; padding: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("Search", id="search-label")
        yield Input(placeholder=PLACEHOLDER, id="search-input", compact=True)
        yield Static(id="search-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def text(self) -> str:
        return self.input.value

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()

    def show_error(self, message: str | None) -> None:
        """An inline error (a term the parser cannot read); None clears it."""
        self.query_one("#search-error", Static).update(plain(message or "", 300))

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
        with self.prevent(Input.Changed):
            self.input.value = ""
        self.show_error(None)
        self.remove_class("-open")
        self.post_message(SearchClosed())
