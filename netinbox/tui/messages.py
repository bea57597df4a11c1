"""Messages the app's widgets post upward: past-tense events, each a small message.

(Each sets its fields in its own `__init__`, as Textual's messages do: a dataclass
compiles its methods as the module is imported, ~0.15 ms a message at every start.)"""

from __future__ import annotations

from textual.message import Message

from netinbox.query import View


class RequestHighlighted(Message):
    """The list cursor moved to another request (None: the list is empty); `shown`: the
    screen showed it already, called by the list before its frame (`on_cursor_moved`)."""

    def __init__(self, request_id: int | None, shown: bool = False) -> None:
        super().__init__()
        self.request_id = request_id
        self.shown = shown


class MarksChanged(Message):
    """Rows were marked or unmarked with space; `count` is how many are marked now."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class FilterChosen(Message):
    """A filter in the filter bar was clicked."""

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view


class SearchChanged(Message):
    """The search box changed; `final` when the user pressed enter (apply now, no debounce)."""

    def __init__(self, text: str, final: bool = False) -> None:
        super().__init__()
        self.text = text
        self.final = final


class SearchClosed(Message):
    """The user left the search box with escape: the search is cleared."""


class DraftChanged(Message):
    """The draft of a request changed and should be saved now."""

    def __init__(self, request_id: int, body: str, template: str) -> None:
        super().__init__()
        self.request_id = request_id
        self.body = body
        self.template = template


class DraftLeft(Message):
    """The user pressed escape in the draft: focus goes back to the list."""
