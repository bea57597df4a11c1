"""The domain model: people, their requests, drafts, follow-ups and the audit trail.

Every outside string passes `for_storage` as it enters a model, so nothing stored can
hold a NUL, a lone surrogate or a line break in a one-line field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from netinbox.details import Draft, Event, FollowUp, Person, Request, RequestDetail
from netinbox.i18n import N_
from netinbox.kinds import (
    ContactsVisible,
    Direction,
    EventKind,
    InvitationKind,
    Platform,
    Status,
)
from netinbox.rows import RequestRow
from netinbox.text import for_storage

__all__ = [
    "AnyRecord",
    "ConnectionRecord",
    "ContactsVisible",
    "Direction",
    "Draft",
    "Event",
    "EventKind",
    "FollowUp",
    "InvitationKind",
    "MessageRecord",
    "OwnerRecord",
    "Person",
    "Platform",
    "Request",
    "RequestDetail",
    "RequestRecord",
    "RequestRow",
    "SkippedRecord",
    "Status",
]


def _line(value: str) -> str:
    return for_storage(value, one_line=True)


def _block(value: str) -> str:
    return for_storage(value, one_line=False)


def _utc(value: datetime) -> datetime:
    """Naive datetimes are refused upstream; aware ones are kept in UTC, to the second."""
    if value.tzinfo is None:
        raise ValueError(N_("a time without a time zone"))
    try:
        return value.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise ValueError(N_("out of range (years 1 to 9999, in UTC)")) from None


OneLine = Annotated[str, AfterValidator(_line)]
Block = Annotated[str, AfterValidator(_block)]
UtcTime = Annotated[datetime, AfterValidator(_utc)]


class _Model(BaseModel):
    # defer_build: validators are built on first use, not at import (start-up time).
    model_config = ConfigDict(str_strip_whitespace=False, use_enum_values=False, defer_build=True)


# --- What importers produce -------------------------------------------------------------


class ImportRecord(_Model):
    """Base of everything an importer yields; `source` is "file:line" or "file#message"."""

    source: OneLine = ""


class RequestRecord(ImportRecord):
    """A contact request found in a file."""

    platform: Platform
    direction: Direction = Direction.INCOMING
    name: OneLine
    profile_url: OneLine | None = None
    headline: OneLine = ""
    company: OneLine = ""
    location: OneLine = ""
    contacts_visible: ContactsVisible = ContactsVisible.UNKNOWN
    mutual_contacts: int | None = Field(default=None, ge=0)
    message: Block = ""
    received_at: UtcTime
    invitation_id: OneLine | None = None
    kind: InvitationKind = InvitationKind.PERSON

    @field_validator("name")
    @classmethod
    def _name_present(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(N_("no name"))
        return value.strip()


class ConnectionRecord(ImportRecord):
    """Someone who is already a connection: an incoming request from them was accepted."""

    platform: Platform = Platform.LINKEDIN
    name: OneLine
    profile_url: OneLine | None = None
    company: OneLine = ""
    position: OneLine = ""
    connected_on: UtcTime | None = None


class MessageRecord(ImportRecord):
    """A message from a conversation export; one from a requester after our follow-up answers it."""

    platform: Platform = Platform.LINKEDIN
    sender_name: OneLine
    sender_url: OneLine | None = None
    recipient_name: OneLine = ""  # the TO field as written (several names: comma-separated)
    recipient_urls: list[str] = Field(default_factory=list)
    sent_at: UtcTime
    content: Block = ""
    conversation_id: OneLine = ""
    is_draft: bool = False
    #: From a "sent you a message" notification mail: an answer even without its text.
    from_mail: bool = False


class OwnerRecord(ImportRecord):
    """The export's owner, from Profile.csv: that is "me"."""

    platform: Platform = Platform.LINKEDIN
    name: OneLine
    profile_url: OneLine | None = None
    headline: OneLine = ""


class SkippedRecord(ImportRecord):
    """A row or message that could not be used, with the reason the user will read."""

    reason: OneLine


AnyRecord = RequestRecord | ConnectionRecord | MessageRecord | OwnerRecord | SkippedRecord
