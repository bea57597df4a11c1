"""Ask all marked requests, one after the other, as the user really sends them.

Each marked request's follow-up is shown and copied; the user pastes it on the platform,
sends it there, and presses enter: only then is it recorded as sent, and its answer
deadline starts from that moment. `s` skips one (it stays marked), escape stops (the rest
stay marked). Every follow-up recorded is its own undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from netinbox.i18n import N_, _
from netinbox.text import for_terminal
from netinbox.tui.actions import bindings
from netinbox.tui.screens.dialog_base import Dialog, line, shown_name


@dataclass(frozen=True)
class QueuedAsk:
    """One follow-up waiting to be sent: to whom, where, and its text."""

    request_id: int
    name: str
    platform: str
    """As the user says it: "LinkedIn", "XING"."""
    body: str
    template: str = ""


@dataclass
class QueueOutcome:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    left: list[int] = field(default_factory=list)
    """Not reached: the user stopped before them."""


Record = Callable[[QueuedAsk], str | None]
"""Records one follow-up as sent; returns when its answer is due, or None if it failed."""
Copy = Callable[[str, Callable[[str], None]], None]
"""Copies a text; calls back with a sentence saying where it went."""


class AskQueueDialog(Dialog[QueueOutcome]):
    """The marked requests' follow-ups, one at a time: enter when sent, s skip, esc stop."""

    TITLE_TEXT = N_("Ask the marked requests")
    DEFAULT_CSS = """
    AskQueueDialog #queue-text {
        height: auto;
        max-height: 8;
        margin-top: 1;
        padding: 0 1;
        border: round $panel-lighten-2;
    }
    AskQueueDialog #queue-who { margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("queue")

    def __init__(self, items: list[QueuedAsk], record: Record, copy: Copy) -> None:
        super().__init__()
        self.items = items
        self.record = record
        self.copy = copy
        self.index = 0
        self.outcome = QueueOutcome()

    @property
    def CANCEL_RESULT(self) -> QueueOutcome:  # type: ignore[override]  # noqa: N802
        """Escape stops: what was sent stays sent, the rest stays marked."""
        self.outcome.left = [item.request_id for item in self.items[self.index :]]
        return self.outcome

    def compose(self) -> ComposeResult:
        yield self.box(
            Static(id="queue-who"),
            VerticalScroll(Static(id="queue-body"), id="queue-text"),
            Static(id="queue-copied", classes="note"),
            Static(id="queue-done", classes="message"),
            self.buttons(
                Button(_("Sent · next"), id="sent", variant="primary"),
                Button(_("Skip"), id="skip"),
                Button(_("Stop"), id="cancel"),
            ),
            self.hint(
                ("enter", _("sent")),
                (self.key("queue.skip"), _("skip")),
                (self.key("queue.copy"), _("copy again")),
                (self.key("dialog.cancel"), _("stop")),
            ),
        )

    def on_mount(self) -> None:
        # The text has the focus (arrows scroll a long one); enter is the screen's: a
        # focused button would ignore a second enter within its press effect.
        self.query_one("#queue-text", VerticalScroll).focus()
        self._show()

    @property
    def current(self) -> QueuedAsk:
        return self.items[self.index]

    def _show(self) -> None:
        item = self.current
        frame = self.query_one("#dialog")
        place = _("%(index)d of %(count)d") % {"index": self.index + 1, "count": len(self.items)}
        frame.border_title = Content(f"{_(self.TITLE_TEXT)} · {place}")
        before, _sep, after = (
            _("To {name} on %(platform)s:") % {"platform": item.platform}
        ).partition("{name}")
        self.query_one("#queue-who", Static).update(
            line(before, (shown_name(item.name), "bold"), after)
        )
        body = Content(for_terminal(item.body, one_line=False))
        self.query_one("#queue-body", Static).update(body)
        self.query_one("#queue-text", VerticalScroll).scroll_home(animate=False)
        self._copy()

    def _copy(self) -> None:
        item, shown = self.current, self.index
        where = self.query_one("#queue-copied", Static)
        where.update(Content(_("Copying…")))

        def copied(sentence: str) -> None:
            if self.is_attached and self.index == shown and not self._finished:
                paste = _("paste it on %(platform)s, send it there, then press enter.") % {
                    "platform": item.platform
                }
                where.update(Content(f"{sentence}: {paste}"))

        self.copy(item.body, copied)

    def action_copy(self) -> None:
        if not self._finished:
            self._copy()

    @on(Button.Pressed, "#sent")
    def action_sent(self) -> None:
        if self._finished:
            return
        item = self.current
        due = self.record(item)
        if due is None:  # the store refused: the toast says why; stay on it
            return
        self.outcome.sent.append(item.request_id)
        self._say_done(
            _("%(name)s: recorded as sent, answer due %(due)s.")
            % {"name": shown_name(item.name), "due": due}
        )
        self._next()

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        if self._finished:
            return
        item = self.current
        self.outcome.skipped.append(item.request_id)
        self._say_done(_("%(name)s: skipped (stays marked).") % {"name": shown_name(item.name)})
        self._next()

    def _say_done(self, text: str) -> None:
        self.say("#queue-done", text, error=False)

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.items):
            self.finish(self.outcome)
        else:
            self._show()
