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


class InvitationKind(StrEnum):
    """What an invitation is for: to connect with a person, or to follow a page,
    subscribe to a newsletter, attend an event or join a group. Only a person's request
    is judged by the red flags."""

    PERSON = "person"
    PAGE = "page"
    NEWSLETTER = "newsletter"
    EVENT = "event"
    GROUP = "group"


class Status(StrEnum):
    NEW = "new"
    ASKED = "asked"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SNOOZED = "snoozed"
    COULD_NOT_ASK = "could_not_ask"
    WITHDRAWN = "withdrawn"  # a request the user sent, and withdrew (m007)

    @property
    def is_decided(self) -> bool:
        return self in (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN)


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
    EXPLAINED = "explained"  # the user followed up on their own request with the reason
    OWED = "owed"  # someone asked the user about the user's own request
    REPLIED = "replied"  # the user recorded their answer to such a question
    WITHDRAWN = "withdrawn"  # the user withdrew a request they sent
