"""The draft pane: the follow-up being written, saved as it is typed.

The editor never writes to the store itself: half a second after the last keystroke, on
blur, and whenever the screen asks (`take_pending`, before switching request or quitting)
it hands over what changed, so a crash loses at most the last half second of typing.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import TextArea

from netinbox.tui.messages import DraftChanged, DraftLeft

PLACEHOLDER = "No draft yet. Press a in the list to fill in a follow-up question."


class DraftEditor(TextArea):
    """A TextArea that knows which request its text belongs to.

    | key | action |
    |---|---|
    | `escape` | save and go back to the list |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Back to list",
            id="draft_leave",
            tooltip="Save the draft and go back to the request list",
        ),
    ]

    SAVE_DELAY: ClassVar[float] = 0.5
    """Seconds after the last keystroke before the draft is handed over for saving."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=PLACEHOLDER,
            id=id,
            classes=classes,
        )
        self.request_id: int | None = None
        self.template: str = ""
        self._saved = ""
        self._timer: Timer | None = None

    @property
    def dirty(self) -> bool:
        return self.request_id is not None and self.text != self._saved

    def load(self, request_id: int | None, body: str, template: str, title: Content) -> None:
        """Show the saved draft of another request (call `take_pending` first)."""
        self._stop_timer()
        self.request_id, self.template, self._saved = request_id, template, body
        self.load_text(body)
        self.border_title = title
        self.border_subtitle = ""
        self.disabled = request_id is None

    def put(self, body: str, template: str, title: Content) -> None:
        """Put new text in (a template, the editor's result); it counts as typed."""
        self.template = template
        self.border_title = title
        self.load_text(body)
        self.move_cursor(self.document.end)

    def take_pending(self) -> DraftChanged | None:
        """What must be saved now, if anything; from then on the text counts as saved."""
        self._stop_timer()
        if not self.dirty or self.request_id is None:
            return None
        self._saved = self.text
        self.border_subtitle = "saved"
        return DraftChanged(self.request_id, self.text, self.template)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _flush(self) -> None:
        pending = self.take_pending()
        if pending is not None:
            self.post_message(pending)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is not self or not self.dirty:
            return
        self.border_subtitle = "editing"
        self._stop_timer()
        self._timer = self.set_timer(self.SAVE_DELAY, self._flush)

    def on_blur(self, event: events.Blur) -> None:
        self._flush()

    def action_leave(self) -> None:
        self._flush()
        self.post_message(DraftLeft())
