"""Times in the store: UTC, to the second, as sortable ISO text ("2026-03-01T09:15:00Z")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def iso(moment: datetime) -> str: ...
@overload
def iso(moment: None) -> None: ...
@overload
def iso(moment: datetime | None) -> str | None: ...
def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    # isoformat is C-fast; strftime was a measurable share of a 100k import.
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_iso(text: str | None) -> datetime | None:
    """A stored time, or None for none (NULL or "")."""
    return parse_stored(text) if text else None


def parse_stored(text: str) -> datetime:
    """A time a column that is never empty holds."""
    return datetime.fromisoformat(text).astimezone(UTC)  # 3.11 reads the "Z"; fast
