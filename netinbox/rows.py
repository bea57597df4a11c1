"""One row of the request list: only what the list shows.

A named tuple, not a pydantic model: rows come from our own store, already clean, a
hundred at a time on every page the list shows and every keystroke of a search (a
tuple is built in C), and the app paints its first page before pydantic is imported.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from netinbox.kinds import Direction, InvitationKind, Platform, Status


class RequestRow(NamedTuple):
    id: int
    status: Status
    direction: Direction
    platform: Platform
    name: str
    headline: str
    company: str
    received_at: datetime
    due_at: datetime | None
    flags: tuple[str, ...]
    snoozed_until: datetime | None = None
    kind: InvitationKind = InvitationKind.PERSON
    owed_at: datetime | None = None
    """When someone asked the user about this (sent) request: an answer is owed."""
    owed_question: str = ""
    """The start of that question (the list shows it in the I owe an answer view)."""
