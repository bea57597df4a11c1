"""The draft pane until it is first used: the draft's text as the editor shows it, at none
of the editor's cost.

The editor is a TextArea (`netinbox.tui.widgets.draft`): importing, composing and styling it
cost the app's first screen about a fifth of its time. So the first screen shows this: the
same pane, title, text (or placeholder) and note, drawn as plain text. The first time the
draft is used (clicked, tabbed into, a step of the review loop writing in it) the main
screen puts the editor in its place with the same text (`MainScreen.draft`); keys typed
meanwhile wait for the editor (`MainScreen.focus_draft`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.content import Content
from textual.widget import Widget


class DraftSlot(Widget, can_focus=True):
    """Shows a draft's text; asks for the editor (`wanted`) when it gets the focus."""

    DEFAULT_CSS = """
    DraftSlot {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        color: $foreground;
        background: $surface;
        & > .draft-slot--placeholder {
            color: $text 40%;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"draft-slot--placeholder"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.text = ""
        self.placeholder = ""
        self.wanted: Callable[[], None] | None = None
        """Called when the pane gets the focus: the editor is wanted now."""
        self._shown: tuple[object, ...] | None = None  # what `show` showed last
        self.enabled = True
        """A request is shown: the pane takes the focus (no request, none to type for).
        Not Textual's `disabled`: that restyles the pane, and the footer's keys with it,
        whenever a view or search comes up empty or fills again."""

    def allow_focus(self) -> bool:
        return self.enabled

    def show(
        self, text: str, placeholder: str, title: Content, note: str, *, enabled: bool
    ) -> None:
        """Show a draft's `text` (already made safe for the terminal), else `placeholder`,
        under `title`, with `note` ("sent Mon 2025-03-10") in the border."""
        shown = (text, placeholder, title.plain, title.spans, note, enabled)
        if shown == self._shown:
            return  # from one request without a draft to the next: nothing to repaint
        self._shown = shown
        self.text, self.placeholder = text, placeholder
        self.border_title = title
        self.border_subtitle = Content(note)
        self.enabled = enabled
        if not enabled and self.has_focus:
            self.screen.focus_next()
        self.refresh()

    def render(self) -> Content:
        if self.text:
            return Content(self.text)
        return Content(self.placeholder).stylize(self.get_visual_style("draft-slot--placeholder"))

    def on_focus(self, event: events.Focus) -> None:
        if self.wanted is not None:
            self.wanted()
