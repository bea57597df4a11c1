"""Messages the app's widgets post upward: past-tense events, each a small dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from netinbox.query import View


@dataclass
class RequestHighlighted(Message):
    """The list cursor moved to another request (None: the list is empty); `shown`: the
    screen showed it already, called by the list before its frame (`on_cursor_moved`)."""

    request_id: int | None
    shown: bool = False


@dataclass
class MarksChanged(Message):
    """Rows were marked or unmarked with space; `count` is how many are marked now."""

    count: int


@dataclass
class FilterChosen(Message):
    """A filter in the filter bar was clicked."""

    view: View


@dataclass
class SearchChanged(Message):
    """The search box changed; `final` when the user pressed enter (apply now, no debounce)."""

    text: str
    final: bool = False


@dataclass
class SearchClosed(Message):
    """The user left the search box with escape: the search is cleared."""


@dataclass
class DraftChanged(Message):
    """The draft of a request changed and should be saved now."""

    request_id: int
    body: str
    template: str


@dataclass
class DraftLeft(Message):
    """The user pressed escape in the draft: focus goes back to the list."""
