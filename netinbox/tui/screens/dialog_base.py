"""What every netinbox dialog shares: the frame, escape to cancel, one dismiss, safe text."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from textual import on
from textual.binding import BindingType
from textual.containers import HorizontalGroup, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Static

from netinbox.i18n import _
from netinbox.text import for_terminal
from netinbox.tui.actions import bindings
from netinbox.tui.keys import key_display

ResultT = TypeVar("ResultT")

NAME_CAP = 80


def shown_name(name: str) -> str:
    """A sender's name made inert for the screen (still to be wrapped as data)."""
    return for_terminal(name, cap=NAME_CAP) or _("(no name)")


def line(*parts: str | tuple[str, str]) -> Content:
    """One line of Content from plain parts; a `(text, style)` pair styles its text."""
    return Content.assemble(*parts)


class Dialog(ModalScreen[ResultT]):
    """A centred box over the dimmed app. Escape cancels with `CANCEL_RESULT`."""

    CSS_PATH = Path(__file__).with_name("dialogs.tcss")
    BINDINGS: ClassVar[list[BindingType]] = bindings("dialog")
    CANCEL_RESULT: ClassVar[object] = None
    TITLE_TEXT: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self._finished = False

    def finish(self, result: ResultT) -> None:
        """Dismiss once: a second enter or click while closing does nothing."""
        if not self._finished:
            self._finished = True
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.finish(self.CANCEL_RESULT)  # type: ignore[arg-type]

    def box(self, *children: Widget, title: str | Content | None = None) -> Vertical:
        """The dialog's frame, titled with `title` or `TITLE_TEXT`."""
        frame = Vertical(*children, id="dialog", classes="dialog")
        text = _(self.TITLE_TEXT) if title is None else title
        frame.border_title = text if isinstance(text, Content) else Content(text)
        return frame

    @staticmethod
    def buttons(*buttons: Button) -> HorizontalGroup:
        return HorizontalGroup(*buttons, classes="buttons")

    def key(self, binding_id: str, *, every: bool = True) -> str:
        """The key(s) of one of this dialog's bindings as the footer would show them,
        after the user's keymap: hints name the keys that work."""
        return key_display(self.app, binding_id, every=every)

    @staticmethod
    def hint(*pairs: tuple[str, str]) -> Static:
        """A dim line of keys: ("ctrl+s", "save"), ("esc", "cancel")."""
        parts: list[str | tuple[str, str]] = []
        for index, (key, what) in enumerate(pairs):
            if index:
                parts.append("  ")
            parts += [(key, "bold"), " ", what]
        return Static(line(*parts), classes="hint")

    def say(self, selector: str, text: str | Content, *, error: bool = True) -> None:
        """Show `text` (plain, never markup) in a message line; empty text hides the line."""
        message = self.query_one(selector, Static)
        message.update(text if isinstance(text, Content) else Content(text))
        message.display = bool(text)
        message.set_class(error, "error")

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
