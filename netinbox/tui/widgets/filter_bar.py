"""The filter bar: the views with live counts; the active one is highlighted, each clickable."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.content import Content
from textual.widget import Widget

from netinbox.query import View
from netinbox.tui.messages import FilterChosen
from netinbox.words import short_view_title, view_title

KEPT_COUNTS = (
    View.OVERDUE,
    View.OWED,
    View.NEW,
    View.TO_ASK,
    View.ANSWERED,
    View.AWAITING,
    View.SNOOZED,
    View.DECIDED,
    View.SENT,
    View.ALL,
)
"""Whose count stays longest when the bar is short of room (the active view's always
stays: the list's title says it too); the last is left out first."""

LAYOUTS: tuple[tuple[bool, bool, bool, bool, bool], ...] = (
    # (app title, keys, short titles, tight, compact counts): the first that fits is shown
    (True, True, False, False, False),
    (False, True, False, False, False),
    (False, True, True, False, False),
    (False, True, True, True, False),
    (False, True, True, True, True),
)


def compact_count(n: int) -> str:
    """A count in at most four cells: 947, 4.3k, 47k, 100k, 2M (rounded down)."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n // 100 / 10:g}k"
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n // 1_000_000}M"


class FilterBar(Widget):
    """One line: `1 New 12  2 To ask 5 …`. Narrower terminals get shorter labels and
    counts, then lose the least telling counts; the keys and every view's name stay as
    long as they fit (at 80 columns they do, with the active view's and Overdue's count)."""

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
        self._drawn: tuple[object, Content, list[tuple[int, int, View]]] | None = None

    def show(self, counts: dict[View, int], active: View, keys: dict[View, str]) -> None:
        if (counts, active, keys) == (self.counts, self.active, self.keys):
            return  # the screen says it again after every change and search: nothing new
        self.counts, self.active, self.keys = dict(counts), active, dict(keys)
        self.refresh()

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()

    def render(self) -> Content:
        """The bar for this width, counts and view; drawn again only when one changes
        (trying each layout costs a few ms, and the screen repaints it often)."""
        key = (self.size.width, tuple(self.counts.items()), self.active, tuple(self.keys.items()))
        if self._drawn is not None and self._drawn[0] == key:
            self._spans = self._drawn[2]
            return self._drawn[1]
        content = self._render_bar()
        self._drawn = (key, content, self._spans)
        return content

    def _render_bar(self) -> Content:
        width = self.size.width
        content = Content()
        every = set(View)
        for title, keys, short, tight, compact in LAYOUTS:
            content = self._line(
                title=title, keys=keys, short=short, tight=tight, compact=compact, counts=every
            )
            if content.cell_length <= width:
                return content
        # Still too long: the counts go, least telling first, with short titles and then
        # with the shortest; then the keys.
        for tiny in (False, True):
            counts = set(every)
            for view in reversed(KEPT_COUNTS):
                if view is self.active:
                    continue
                counts.discard(view)
                content = self._line(
                    keys=True, short=True, tight=True, compact=True, counts=counts, tiny=tiny
                )
                if content.cell_length <= width:
                    return content
        return self._line(
            keys=False, short=True, tight=True, compact=True, counts=counts, tiny=True
        )

    def _line(
        self,
        *,
        title: bool = False,
        keys: bool,
        short: bool,
        tight: bool = False,
        compact: bool = False,
        counts: set[View],
        tiny: bool = False,
    ) -> Content:
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
                # Tight, "4:Overdue": a key never reads as the count before it.
                key = f"{self.keys[view]}{':' if tight else ' '}"
                tab.append(Content.styled(key, style("filter-bar--key")))
            shown_title = short_view_title(view, tiny=tiny) if short else view_title(view)
            tab.append(Content(shown_title))
            if view in counts:
                alert = view in (View.OVERDUE, View.OWED) and count
                count_style = "filter-bar--alert" if alert else "filter-bar--count"
                shown = compact_count(count) if compact else str(count)
                tab.append(Content.styled(f" {shown} ", style(count_style)))
            else:
                tab.append(Content(" "))
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
