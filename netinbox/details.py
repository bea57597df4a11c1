"""One request as the store holds it, read back: what the profile pane shows.

Plain dataclasses, not pydantic models: everything in them comes from our own store,
which took it through the validating models (`netinbox.models`) on the way in, and the
app's first complete screen (the list, the first row's profile, its draft) then needs
no pydantic at all (importing it and building the models' validators cost the first
screen ~100 ms). `netinbox.models` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from netinbox.kinds import ContactsVisible, Direction, EventKind, InvitationKind, Platform, Status


@dataclass(slots=True)
class Person:
    name: str
    id: int | None = None
    platform: Platform = Platform.OTHER
    profile_url: str | None = None
    headline: str = ""
    company: str = ""
    location: str = ""
    contacts_visible: ContactsVisible = ContactsVisible.UNKNOWN
    mutual_contacts: int | None = None
    notes: str = ""
    is_connection: bool = False

    @property
    def first_name(self) -> str:
        parts = self.name.replace(",", " ").split()
        return parts[0] if parts else ""


@dataclass(slots=True)
class Request:
    received_at: datetime
    id: int | None = None
    person_id: int | None = None
    direction: Direction = Direction.INCOMING
    message: str = ""
    source: str = ""
    status: Status = Status.NEW
    decided_at: datetime | None = None
    decision_note: str = ""
    snoozed_until: datetime | None = None
    due_at: datetime | None = None
    invitation_id: str | None = None
    kind: InvitationKind = InvitationKind.PERSON
    flags: list[str] = field(default_factory=list)
    owed_at: datetime | None = None
    """When someone asked the user about this (the user's own) request: an answer is owed."""
    owed_question: str = ""
    version: int = 0

    @property
    def is_sent(self) -> bool:
        """The user sent this request (rather than received it)."""
        return self.direction is Direction.OUTGOING


@dataclass(slots=True)
class Draft:
    request_id: int
    body: str = ""
    template: str = ""
    updated_at: datetime | None = None


@dataclass(slots=True)
class FollowUp:
    request_id: int
    sent_at: datetime
    due_at: datetime
    id: int | None = None
    body: str = ""
    answered_at: datetime | None = None
    answer: str = ""


@dataclass(slots=True)
class Event:
    request_id: int | None
    at: datetime
    kind: EventKind
    id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    change_id: int | None = None
    undone: bool = False


@dataclass(slots=True)
class RequestDetail:
    """One request with everything the profile pane shows."""

    request: Request
    person: Person
    draft: Draft | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def follow_up(self) -> FollowUp | None:
        return self.follow_ups[-1] if self.follow_ups else None
