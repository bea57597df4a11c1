"""One row of the request list: only what the list shows.

A plain slotted dataclass, not a pydantic model: rows come from our own store, already
clean, a hundred at a time on every page the list shows, and the app paints its first
page before pydantic is even imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from netinbox.kinds import Direction, Platform, Status


@dataclass(frozen=True, slots=True)
class RequestRow:
    id: int
    status: Status
    direction: Direction
    platform: Platform
    name: str
    headline: str
    company: str
    received_at: datetime
    due_at: datetime | None
    flags: list[str]
    has_message: bool
