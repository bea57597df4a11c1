"""The small modal dialogs: record an answer, decide, snooze, confirm.

Every dialog is keyboard-first (escape cancels, enter or ctrl+s confirms) and works with
the mouse. Names and other outside text reach the screen only as `Content` data, after
`for_terminal`: never as markup.

Results:

| dialog | result |
|---|---|
| `AnswerDialog(name)` | the answer text, or None |
| `DecisionDialog(verb, name)` | the note ("" for none), or None |
| `SnoozeDialog(name, today)` | the date to wake up on, or None |
| `ConfirmDialog(question)` | True or False |
| `AddRequestDialog(today)` | a `RequestRecord`, or None (in `add_request.py`) |
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from netinbox.i18n import N_, _, pgettext
from netinbox.text import for_terminal
from netinbox.tui.actions import bindings
from netinbox.tui.screens.add_request import AddRequestDialog
from netinbox.tui.screens.dialog_base import Dialog, line, shown_name

PLATFORM_NOTE = N_(
    "This records your decision in netinbox. Accept or decline on LinkedIn/XING yourself."
)
VERBS = {"Accept": N_("Accept"), "Decline": N_("Decline")}
"""The decision dialog's verbs (its `verb` is one of these keys), in the user's words."""

# --- Record the sender's answer -------------------------------------------------------


class AnswerDialog(Dialog[str | None]):
    """Paste what the sender answered. ctrl+s or Save keeps it; escape cancels."""

    TITLE_TEXT = N_("Record answer")
    BINDINGS: ClassVar[list[BindingType]] = bindings("answer")

    def __init__(self, name: str, *, yours: bool = False) -> None:
        super().__init__()
        self.person_name = name
        self.yours = yours
        """The user's own answer to a question about the user's request (I owe an answer)."""

    def compose(self) -> ComposeResult:
        who = (shown_name(self.person_name), "bold")
        if self.yours:
            question = line(_("What did you answer "), who, "?")
            placeholder = _("Paste or write your answer here")
        else:
            question = _named(_("What did {name} answer?"), self.person_name)
            placeholder = _("Paste the answer here")
        yield self.box(
            Static(question),
            TextArea(id="answer", soft_wrap=True, placeholder=placeholder),
            Static(id="error", classes="message"),
            self.buttons(
                Button(_("Save"), id="save", variant="primary"),
                Button(_("Cancel"), id="cancel"),
            ),
            self.hint(
                (self.key("answer.save"), _("save")), (self.key("dialog.cancel"), _("cancel"))
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#answer", TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one("#answer", TextArea).text
        if not text.strip():
            self.say("#error", _("Paste the answer first."))
            return
        self.finish(text.strip())


# --- Accept or decline ----------------------------------------------------------------


class DecisionDialog(Dialog[str | None]):
    """Accept or decline with an optional note. Enter on an empty note confirms at once."""

    def __init__(
        self,
        verb: str,
        name: str,
        *,
        question: str = "",
        declining: bool = False,
        note: str = "",
        doing: str = "",
        placeholder: str = "",
    ) -> None:
        super().__init__()
        self.note = note
        self.doing = doing
        """What enter does, after the key in the hint ("record"); else from the verb."""
        self.placeholder = placeholder
        """The note's placeholder; else "Note (optional): why?" (a decision's reason)."""
        """What the decision means, in the user's words; else `PLATFORM_NOTE`."""
        self.verb = verb
        """"Accept" or "Decline" (`VERBS`), or a verb already in the user's words."""
        self.person_name = name
        self.question = question
        """The question with the `{name}` ("Withdraw your request to {name}?"), in the
        user's words; else "Accept {name}?" or "Decline {name}?"."""
        self.declining = declining or verb.lower().startswith("decline")

    def compose(self) -> ComposeResult:
        declining = self.declining
        verb = _(VERBS[self.verb]) if self.verb in VERBS else self.verb
        question = self.question or (_("Decline {name}?") if declining else _("Accept {name}?"))
        if self.doing:
            doing = self.doing
        elif self.verb in VERBS:
            doing = _("decline") if declining else _("accept")
        else:
            doing = verb.lower()
        yield self.box(
            Static(_named(question, self.person_name)),
            Static(Content(self.note or _(PLATFORM_NOTE)), classes="note"),
            Input(id="note", placeholder=self.placeholder or _("Note (optional): why?")),
            self.buttons(
                Button(Content(verb), id="confirm", variant="error" if declining else "success"),
                Button(_("Cancel"), id="cancel"),
            ),
            self.hint(
                ("enter", doing),
                (self.key("dialog.cancel"), _("cancel")),
            ),
            title=verb,
        )

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.finish(self.query_one("#note", Input).value.strip())


# --- Snooze ---------------------------------------------------------------------------

_RELATIVE = re.compile(r"^\+?\s*(\d{1,4})\s*([dtwm])$", re.IGNORECASE)
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
MAX_SNOOZE = timedelta(days=3 * 366)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quick_choices(today: date) -> list[tuple[str, str, date]]:
    """(key, label, date) for the snooze shortcuts."""
    return [
        ("t", _("Tomorrow"), today + timedelta(days=1)),
        ("3", _("In 3 days"), today + timedelta(days=3)),
        ("w", _("In a week"), today + timedelta(days=7)),
        ("m", _("In a month"), add_months(today, 1)),
    ]


def parse_snooze(text: str, today: date) -> date:
    """`2025-04-01`, `01.04.2025`, `+5d` (`+5t`, Tage), `+2w`, `+1m` → a date after today;
    ValueError says what is wrong."""
    value = text.strip()
    if not value:
        raise ValueError(_("Type a date: YYYY-MM-DD, +5d or +2w."))
    relative = _RELATIVE.match(value)
    if relative:
        count, unit = int(relative.group(1)), relative.group(2).lower()
        if unit == "m":
            result = add_months(today, count)
        else:
            result = today + timedelta(days=count * (7 if unit == "w" else 1))
    else:
        german = _GERMAN_DATE.match(value)
        try:
            if german:
                day, month, year = (int(part) for part in german.groups())
                result = date(year, month, day)
            else:
                result = date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("Not a date: use YYYY-MM-DD, +5d or +2w.")) from None
    if result <= today:
        raise ValueError(_("Pick a date after today."))
    if result - today > MAX_SNOOZE:
        raise ValueError(_("That is more than three years away."))
    return result


def day_label(day: date) -> str:
    """A day as the dialogs show it: "Mon 2025-04-01" ("Di 01.04.2025")."""
    from netinbox.tui.format import WEEKDAYS

    return f"{_(WEEKDAYS[day.weekday()])} {day.strftime(pgettext('date format', '%Y-%m-%d'))}"


def _named(sentence: str, name: str) -> Content:
    """A sentence with a sender's `{name}` in bold, the name as data (never markup)."""
    before, _sep, after = sentence.partition("{name}")
    return line(before, (shown_name(name), "bold"), after)


QUICK_IDS = ("snooze.tomorrow", "snooze.three_days", "snooze.week", "snooze.month")


class SnoozeDialog(Dialog[date | None]):
    """Snooze until a date: a quick choice by key, or a typed date."""

    TITLE_TEXT = N_("Snooze")
    BINDINGS: ClassVar[list[BindingType]] = bindings("snooze")

    def __init__(self, name: str, today: date) -> None:
        super().__init__()
        self.person_name = name
        self.today = today
        self.choices = quick_choices(today)

    def compose(self) -> ComposeResult:
        keys = [self.key(binding_id, every=False) for binding_id in QUICK_IDS]
        room = max(len(label) for _key, label, _day in self.choices) + 2  # German is longer
        options = [
            Option(
                line((key, "bold"), "  ", label.ljust(room), (day_label(day), "dim")), id=f"in-{n}"
            )
            for n, (key, (_key, label, day)) in enumerate(zip(keys, self.choices, strict=True))
        ]
        yield self.box(
            Static(_named(_("Snooze {name} until…"), self.person_name)),
            OptionList(*options, id="choices"),
            Input(id="date", placeholder=_("or type a date: YYYY-MM-DD, +5d, +2w")),
            Static(id="preview", classes="message"),
            self.buttons(
                Button(_("Snooze"), id="snooze", variant="primary"),
                Button(_("Cancel"), id="cancel"),
            ),
            self.hint(
                (" ".join(keys), _("pick")),
                (self.key("snooze.type_date"), _("type a date")),
                (self.key("dialog.cancel"), _("cancel")),
            ),
        )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def action_quick(self, index: int) -> None:
        self.finish(self.choices[index][2])

    def action_type_date(self) -> None:
        self.query_one("#date", Input).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.action_quick(event.option_index)

    @on(Input.Changed, "#date")
    def _typed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self.say("#preview", "")
            return
        try:
            day = parse_snooze(event.value, self.today)
        except ValueError as error:
            self.say("#preview", str(error))
        else:
            self.say("#preview", line(_("Until") + " ", (day_label(day), "bold")), error=False)

    @on(Input.Submitted, "#date")
    @on(Button.Pressed, "#snooze")
    def _submit(self) -> None:
        typed = self.query_one("#date", Input).value
        if not typed.strip():
            choices = self.query_one("#choices", OptionList)
            self.action_quick(choices.highlighted or 0)
            return
        try:
            day = parse_snooze(typed, self.today)
        except ValueError as error:
            self.say("#preview", str(error))
            self.query_one("#date", Input).focus()
            return
        self.finish(day)


# --- Yes or no ------------------------------------------------------------------------


class ConfirmDialog(Dialog[bool]):
    """A yes/no question: y or enter says yes, n or escape says no."""

    TITLE_TEXT = N_("Confirm")
    CANCEL_RESULT = False
    BINDINGS: ClassVar[list[BindingType]] = bindings("confirm")

    def __init__(self, question: str | Content) -> None:
        super().__init__()
        if not isinstance(question, Content):
            question = Content(for_terminal(question, one_line=False))
        self.question = question

    def compose(self) -> ComposeResult:
        yield self.box(
            Static(self.question, id="question"),
            self.buttons(
                Button(_("Yes"), id="yes", variant="primary"),
                Button(_("No"), id="no"),
            ),
            self.hint((self.key("confirm.yes"), _("yes")), (self.key("confirm.no"), _("no"))),
        )

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.finish(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.finish(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.finish(False)


__all__ = [
    "PLATFORM_NOTE",
    "AddRequestDialog",
    "AnswerDialog",
    "ConfirmDialog",
    "DecisionDialog",
    "Dialog",
    "SnoozeDialog",
    "add_months",
    "parse_snooze",
    "quick_choices",
]
