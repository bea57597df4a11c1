"""The filter bar: the views with live counts; the active one is highlighted, each clickable."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.content import Content
from textual.widget import Widget

from netinbox.query import View
from netinbox.tui.messages import FilterChosen

SHORT_TITLES = {
    View.NEW: "New",
    View.TO_ASK: "Ask",
    View.AWAITING: "Waiting",
    View.OVERDUE: "Overdue",
    View.ANSWERED: "Answered",
    View.DECIDED: "Decided",
    View.ALL: "All",
}


LAYOUTS: tuple[tuple[bool, bool, bool, bool], ...] = (
    # (app title, keys, short titles, tight): the first that fits is shown
    (True, True, False, False),
    (False, True, False, False),
    (False, True, True, False),
    (False, True, True, True),
    (False, False, True, False),
)


class FilterBar(Widget):
    """One line: `1 New 12  2 To ask 5 …`. Narrower terminals get shorter labels; the keys
    stay as long as they fit (at 80 columns they do)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "filter-bar--title",
        "filter-bar--key",
        "filter-bar--count",
        "filter-bar--active",
        "filter-bar--alert",
    }

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        background: $panel;
        & > .filter-bar--title { color: $text-accent; text-style: bold; }
        & > .filter-bar--key { color: $text-accent; }
        & > .filter-bar--count { color: $text-muted; }
        & > .filter-bar--active { background: $accent; color: $text; text-style: bold; }
        & > .filter-bar--alert { color: $text-error; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.counts: dict[View, int] = {}
        self.active: View = View.NEW
        self.keys: dict[View, str] = {}
        self._spans: list[tuple[int, int, View]] = []

    def show(self, counts: dict[View, int], active: View, keys: dict[View, str]) -> None:
        self.counts, self.active, self.keys = dict(counts), active, dict(keys)
        self.refresh()

    def render(self) -> Content:
        width = self.size.width
        content = Content()
        for title, keys, short, tight in LAYOUTS:
            content = self._line(title=title, keys=keys, short=short, tight=tight)
            if content.cell_length <= width:
                break
        return content

    def _line(self, *, title: bool, keys: bool, short: bool, tight: bool = False) -> Content:
        style = self.get_visual_style
        parts: list[Content] = []
        position = 0
        self._spans = []
        if title:
            parts.append(Content.styled(" netinbox ", style("filter-bar--title")))
            position += 10
        elif tight:
            parts.append(Content(" "))
            position += 1
        for view in View:
            count = self.counts.get(view, 0)
            tab: list[Content] = [] if tight else [Content(" ")]
            if keys and view in self.keys:
                tab.append(Content.styled(f"{self.keys[view]} ", style("filter-bar--key")))
            tab.append(Content(SHORT_TITLES[view] if short else view.title))
            count_style = (
                "filter-bar--alert" if view is View.OVERDUE and count else "filter-bar--count"
            )
            tab.append(Content.styled(f" {count} ", style(count_style)))
            text = Content("").join(tab)
            if view is self.active:
                text = text.stylize(style("filter-bar--active"))
            self._spans.append((position, position + text.cell_length, view))
            position += text.cell_length
            parts.append(text)
        return Content("").join(parts)

    def on_click(self, event: events.Click) -> None:
        for start, end, view in self._spans:
            if start <= event.x < end:
                self.post_message(FilterChosen(view))
                return
