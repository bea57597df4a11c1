"""Typing in a request by hand: name, platform, profile, message and when it came."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import HorizontalGroup, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from netinbox.i18n import N_, _, pgettext
from netinbox.identity import profile_url_message, profile_url_problem
from netinbox.models import Platform, RequestRecord
from netinbox.tui.actions import bindings
from netinbox.tui.screens.dialog_base import Dialog
from netinbox.words import platform_label, record_problem

SOURCE = "added by hand"
PLATFORMS: tuple[Platform, ...] = (Platform.LINKEDIN, Platform.XING, Platform.OTHER)
"""The networks to choose from, named by `words.platform_label`."""
# RequestRecord field → the widget that holds it (and its error line).
FIELDS = {
    "name": "name",
    "platform": "platform",
    "profile_url": "url",
    "headline": "headline",
    "company": "company",
    "message": "message",
    "received_at": "received",
}


def _received_at(day: date, today: date, now: datetime | None, zone: tzinfo | None) -> datetime:
    """Today's request is stamped now; an older one at noon in the user's zone (with that
    day's offset: noon on a July day is noon CEST)."""
    if day == today:
        return now if now is not None else datetime.now(zone or UTC).replace(microsecond=0)
    if zone is None:
        return datetime.combine(day, time(12, 0)).astimezone()
    return datetime.combine(day, time(12, 0), tzinfo=zone)


def _typed_date(text: str) -> date:
    """A typed day: `2025-03-14`, or as German writes it, `14.03.2025`."""
    parts = text.split(".")
    if len(parts) == 3 and all(part.strip().isdigit() for part in parts):
        day, month, year = (int(part) for part in parts)
        return date(year, month, day)
    return date.fromisoformat(text)


class AddRequestDialog(Dialog[RequestRecord | None]):
    """A form for one incoming request. Enter in a field or ctrl+s adds it; escape cancels."""

    TITLE_TEXT = N_("Add a request")
    BINDINGS: ClassVar[list[BindingType]] = bindings("add_request")

    def __init__(
        self, today: date, *, now: datetime | None = None, zone: tzinfo | None = None
    ) -> None:
        super().__init__()
        self.today = today
        self.now = now
        self.zone = zone

    def _row(self, label: str, widget: Widget, key: str) -> ComposeResult:
        yield HorizontalGroup(Label(Content(label), classes="label"), widget, classes="field")
        yield Static(id=f"{key}-error", classes="message field-error")

    def compose(self) -> ComposeResult:
        rows: list[Widget] = []
        for label, widget, key in (
            (
                _("Name *"),
                Input(id="name", placeholder=_("as on the profile"), compact=True),
                "name",
            ),
            (
                _("Platform"),
                Select(
                    [(platform_label(platform), platform) for platform in PLATFORMS],
                    id="platform",
                    value=Platform.LINKEDIN,
                    allow_blank=False,
                    compact=True,
                ),
                "platform",
            ),
            (_("Profile URL"), Input(id="url", placeholder="https://…", compact=True), "url"),
            (
                _("Headline"),
                Input(id="headline", placeholder=_("job title"), compact=True),
                "headline",
            ),
            (_("Company"), Input(id="company", compact=True), "company"),
            (_("Message"), TextArea(id="message", soft_wrap=True, compact=True), "message"),
            (
                _("Received"),
                Input(
                    self.today.strftime(pgettext("date format", "%Y-%m-%d")),
                    id="received",
                    placeholder=_("YYYY-MM-DD"),
                    compact=True,
                ),
                "received",
            ),
        ):
            rows.extend(self._row(label, widget, key))
        yield self.box(
            VerticalScroll(*rows, id="form"),
            Static(id="error", classes="message"),
            self.buttons(
                Button(_("Add"), id="save", variant="primary"),
                Button(_("Cancel"), id="cancel"),
            ),
            self.hint(
                ("enter", _("add")),
                (self.key("add_request.save"), _("add")),
                ("tab", _("next field")),
                (self.key("dialog.cancel"), _("cancel")),
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    # --- reading the form -----------------------------------------------------------------

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key in FIELDS.values():
            message = errors.get(key, "")
            self.say(f"#{key}-error", message)
            self.query_one(f"#{key}").set_class(bool(message), "invalid")
        self.say("#error", _("Please fix the marked fields.") if errors else "")
        if errors:
            first = next(key for key in FIELDS.values() if key in errors)
            self.query_one(f"#{first}").focus()

    def read_form(self) -> RequestRecord | dict[str, str]:
        """The record the form describes, or {field: problem}."""
        errors: dict[str, str] = {}
        url = self._value("url")
        platform = self.query_one("#platform", Select).value
        if url:
            problem = profile_url_problem(url, platform if isinstance(platform, Platform) else None)
            if problem is not None:
                errors["url"] = profile_url_message(problem, url)
        received = self._value("received")
        try:
            day = _typed_date(received)
        except ValueError:
            errors["received"] = _("Use a date like 2025-03-14 (YYYY-MM-DD).")
            day = self.today
        else:
            if day > self.today:
                errors["received"] = _("That date is in the future.")
        try:
            record = RequestRecord(
                platform=platform if isinstance(platform, Platform) else Platform.OTHER,
                name=self._value("name"),
                profile_url=url or None,
                headline=self._value("headline"),
                company=self._value("company"),
                message=self.query_one("#message", TextArea).text.strip(),
                received_at=_received_at(day, self.today, self.now, self.zone),
                source=SOURCE,
            )
        except ValidationError as error:
            for detail in error.errors():
                field = FIELDS.get(str(detail["loc"][0]) if detail["loc"] else "", "name")
                text = record_problem(detail, field=False)
                if field == "name" and detail["type"] in ("value_error", "missing"):
                    text = _("A name is needed.")
                errors.setdefault(field, text[:1].upper() + text[1:])
            return errors
        return errors or record

    # --- actions --------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        result = self.read_form()
        if isinstance(result, RequestRecord):
            self.finish(result)
        else:
            self._show_errors(result)
