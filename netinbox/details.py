"""One request as the store holds it, read back: what the profile pane shows.

Plain classes, not pydantic models: everything in them comes from our own store, which
took it through the validating models (`netinbox.models`) on the way in, and the app's
first complete screen (the list, the first row's profile, its draft) then needs no
pydantic at all (importing it and building the models' validators cost the first screen
~100 ms). Written out by hand rather than as dataclasses, whose generated code is
compiled at every start. `netinbox.models` re-exports them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from netinbox.kinds import ContactsVisible, Direction, EventKind, InvitationKind, Platform, Status


class _Record:
    """Equality and a readable repr from the slots, as a dataclass would give."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the models were

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Person(_Record):
    __slots__ = (
        "id", "platform", "profile_url", "name", "headline", "company", "location",
        "contacts_visible", "mutual_contacts", "notes", "is_connection",
    )  # fmt: skip

    def __init__(
        self,
        *,
        name: str,
        id: int | None = None,  # noqa: A002 (the store's column)
        platform: Platform = Platform.OTHER,
        profile_url: str | None = None,
        headline: str = "",
        company: str = "",
        location: str = "",
        contacts_visible: ContactsVisible = ContactsVisible.UNKNOWN,
        mutual_contacts: int | None = None,
        notes: str = "",
        is_connection: bool = False,
    ) -> None:
        self.id = id
        self.platform = platform
        self.profile_url = profile_url
        self.name = name
        self.headline = headline
        self.company = company
        self.location = location
        self.contacts_visible = contacts_visible
        self.mutual_contacts = mutual_contacts
        self.notes = notes
        self.is_connection = is_connection

    @property
    def first_name(self) -> str:
        parts = self.name.replace(",", " ").split()
        return parts[0] if parts else ""


class Request(_Record):
    __slots__ = (
        "id", "person_id", "direction", "received_at", "message", "source", "status",
        "decided_at", "decision_note", "snoozed_until", "due_at", "invitation_id", "kind",
        "flags", "owed_at", "owed_question", "version",
    )  # fmt: skip

    def __init__(
        self,
        *,
        received_at: datetime,
        id: int | None = None,  # noqa: A002 (the store's column)
        person_id: int | None = None,
        direction: Direction = Direction.INCOMING,
        message: str = "",
        source: str = "",
        status: Status = Status.NEW,
        decided_at: datetime | None = None,
        decision_note: str = "",
        snoozed_until: datetime | None = None,
        due_at: datetime | None = None,
        invitation_id: str | None = None,
        kind: InvitationKind = InvitationKind.PERSON,
        flags: list[str] | None = None,
        owed_at: datetime | None = None,
        owed_question: str = "",
        version: int = 0,
    ) -> None:
        self.id = id
        self.person_id = person_id
        self.direction = direction
        self.received_at = received_at
        self.message = message
        self.source = source
        self.status = status
        self.decided_at = decided_at
        self.decision_note = decision_note
        self.snoozed_until = snoozed_until
        self.due_at = due_at
        self.invitation_id = invitation_id
        self.kind = kind
        self.flags: list[str] = [] if flags is None else flags
        self.owed_at = owed_at
        """When someone asked the user about this (the user's own) request: an answer is owed."""
        self.owed_question = owed_question
        self.version = version

    @property
    def is_sent(self) -> bool:
        """The user sent this request (rather than received it)."""
        return self.direction is Direction.OUTGOING


class Draft(_Record):
    __slots__ = ("request_id", "body", "template", "updated_at")

    def __init__(
        self,
        *,
        request_id: int,
        body: str = "",
        template: str = "",
        updated_at: datetime | None = None,
    ) -> None:
        self.request_id = request_id
        self.body = body
        self.template = template
        self.updated_at = updated_at


class FollowUp(_Record):
    __slots__ = ("id", "request_id", "body", "sent_at", "due_at", "answered_at", "answer")

    def __init__(
        self,
        *,
        request_id: int,
        sent_at: datetime,
        due_at: datetime,
        id: int | None = None,  # noqa: A002 (the store's column)
        body: str = "",
        answered_at: datetime | None = None,
        answer: str = "",
    ) -> None:
        self.id = id
        self.request_id = request_id
        self.body = body
        self.sent_at = sent_at
        self.due_at = due_at
        self.answered_at = answered_at
        self.answer = answer


class Event(_Record):
    __slots__ = ("id", "request_id", "at", "kind", "data", "change_id", "undone")

    def __init__(
        self,
        *,
        request_id: int | None,
        at: datetime,
        kind: EventKind,
        id: int | None = None,  # noqa: A002 (the store's column)
        data: dict[str, Any] | None = None,
        change_id: int | None = None,
        undone: bool = False,
    ) -> None:
        self.id = id
        self.request_id = request_id
        self.at = at
        self.kind = kind
        self.data: dict[str, Any] = {} if data is None else data
        self.change_id = change_id
        self.undone = undone


class RequestDetail(_Record):
    """One request with everything the profile pane shows."""

    __slots__ = ("request", "person", "draft", "follow_ups", "events")

    def __init__(
        self,
        *,
        request: Request,
        person: Person,
        draft: Draft | None = None,
        follow_ups: list[FollowUp] | None = None,
        events: list[Event] | None = None,
    ) -> None:
        self.request = request
        self.person = person
        self.draft = draft
        self.follow_ups: list[FollowUp] = [] if follow_ups is None else follow_ups
        self.events: list[Event] = [] if events is None else events

    @property
    def follow_up(self) -> FollowUp | None:
        return self.follow_ups[-1] if self.follow_ups else None
