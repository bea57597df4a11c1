"""The draft pane: the follow-up being written, saved as it is typed.

The editor never writes to the store itself: half a second after the last keystroke, on
blur, and whenever the screen asks (`take_pending`, before switching request or quitting)
it hands over what changed, so a crash loses at most the last half second of typing.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.timer import Timer
from textual.widgets import TextArea

from netinbox.i18n import N_, _
from netinbox.tui.actions import bindings
from netinbox.tui.keys import typed_character
from netinbox.tui.messages import DraftChanged, DraftLeft

PLACEHOLDER = N_("No draft yet. Press a in the list to write a follow-up.")
"""The default; the main screen names the ask key as the user has it."""


def _same(shown: Content | None, new: Content) -> bool:
    """The same text with the same styles (Content's own `==` compares the text only)."""
    return shown is not None and shown.plain == new.plain and shown.spans == new.spans


_STATES = {"editing": N_("editing"), "saved": N_("saved")}
"""The draft's own states, said in the border (a note such as "sent Mon …" is in words)."""


class DraftEditor(TextArea):
    """A TextArea that knows which request its text belongs to.

    | key | action |
    |---|---|
    | `escape` | save and go back to the list |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("draft")

    SAVE_DELAY: ClassVar[float] = 0.5
    """Seconds after the last keystroke before the draft is handed over for saving."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=_(PLACEHOLDER),
            id=id,
            classes=classes,
            disabled=True,  # until a request is loaded: text typed now would belong to none
        )
        self.request_id: int | None = None
        self.template: str = ""
        self.hint = ""
        """Shown in the border while the draft has the focus: how to send it."""
        self._state = ""
        self._saved = ""
        self._timer: Timer | None = None
        self._left_at: dict[int, tuple[int, int]] = {}
        """Where the cursor was when the user last left each request's draft."""
        self._shown_title: Content | None = None
        self._shown_subtitle: Content | None = None

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Every key that types here, `/` included (the footer hides those keys)."""
        return super().check_consume_key(key, typed_character(key, character))

    @property
    def dirty(self) -> bool:
        return self.request_id is not None and self.text != self._saved

    def load(
        self, request_id: int | None, body: str, template: str, title: Content, note: str = ""
    ) -> None:
        """Show the saved draft of another request (call `take_pending` first); `note`
        says where it stands ("sent Mon 2025-03-10") until it is edited."""
        self._stop_timer()
        self.request_id, self.template, self._saved = request_id, template, body
        history = self.history
        if body or self.text or history.undo_stack or history.redo_stack:
            self.load_text(body)
        # else: empty before and after, nothing to undo into another request's draft: the
        # pane stays as it is (moving from one request without a draft to the next repaints
        # no draft pane).
        self._set_border(title=title)
        self._show_state(note)
        self.disabled = request_id is None

    def _set_border(self, *, title: Content | None = None, subtitle: Content | None = None) -> None:
        """Set the border's title or subtitle, only if it changes (each set repaints the pane)."""
        if title is not None and not _same(self._shown_title, title):
            self._shown_title = title
            self.border_title = title
        if subtitle is not None and not _same(self._shown_subtitle, subtitle):
            self._shown_subtitle = subtitle
            self.border_subtitle = subtitle

    def show_note(self, note: str) -> None:
        """Say where the (unchanged) draft stands: "sent Mon 2025-03-10"."""
        self._show_state(note)

    def _show_state(self, state: str, *, focused: bool | None = None) -> None:
        """The border's subtitle: editing / saved / sent, and the hint while focused."""
        self._state = state
        focused = self.has_focus if focused is None else focused
        hint = self.hint if focused and self.text.strip() else ""
        said = _(_STATES[state]) if state in _STATES else state  # a note comes in words
        self._set_border(subtitle=Content(" · ".join(part for part in (said, hint) if part)))

    def on_focus(self, event: events.Focus) -> None:
        self._show_state(self._state, focused=True)  # `has_focus` is set after this runs

    def put(self, body: str, template: str, title: Content) -> None:
        """Put new text in (a template, the editor's result); it counts as typed."""
        self.template = template
        self._set_border(title=title)
        self.load_text(body)
        self.move_cursor(self.document.end)
        if self.request_id is not None:
            self._left_at.pop(self.request_id, None)

    def select_text(self, text: str) -> None:
        """Select the last `text` in the draft (the "…" where the user's reason goes), so
        typing replaces it; nothing when it is not there."""
        from textual.widgets.text_area import Selection

        for row, line in reversed(list(enumerate(self.text.split("\n")))):
            column = line.rfind(text)
            if column >= 0:
                self.selection = Selection((row, column), (row, column + len(text)))
                return

    def cursor_to_typing_place(self) -> None:
        """Before typing on: where the user left this draft, else at the end of its text
        (after the greeting and question, where a postscript goes; not at the top)."""
        end = self.document.end
        row, column = self._left_at.get(self.request_id or -1, end)
        if (row, column) > end:
            row, column = end
        self.move_cursor((row, column))

    def take_pending(self) -> DraftChanged | None:
        """What must be saved now, if anything; from then on the text counts as saved."""
        self._stop_timer()
        if not self.dirty or self.request_id is None:
            return None
        self._saved = self.text
        self._show_state("saved")
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
        self._show_state("editing")
        self._stop_timer()
        self._timer = self.set_timer(self.SAVE_DELAY, self._flush)

    def on_blur(self, event: events.Blur) -> None:
        if self.request_id is not None:
            self._left_at[self.request_id] = self.cursor_location
        self._flush()
        self._show_state(self._state, focused=False)

    def action_leave(self) -> None:
        self._flush()
        self.post_message(DraftLeft())
