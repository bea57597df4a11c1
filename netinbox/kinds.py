"""The kinds of things netinbox knows: networks, directions, statuses, events.

Plain enums, apart from the pydantic models, so the app's first frame (the list) needs
no pydantic at all: `netinbox.models` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    LINKEDIN = "linkedin"
    XING = "xing"
    OTHER = "other"


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class Status(StrEnum):
    NEW = "new"
    ASKED = "asked"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SNOOZED = "snoozed"
    COULD_NOT_ASK = "could_not_ask"

    @property
    def is_decided(self) -> bool:
        return self in (Status.ACCEPTED, Status.DECLINED)


class ContactsVisible(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    IMPORTED = "imported"
    ADDED = "added"
    ASKED = "asked"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SNOOZED = "snoozed"
    WOKEN = "woken"
    COULD_NOT_ASK = "could_not_ask"
    REOPENED = "reopened"
    NOTE = "note"
    ACCEPTED_ON_PLATFORM = "accepted_on_platform"
