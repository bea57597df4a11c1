"""Times in the store: UTC, to the second, as sortable ISO text ("2026-03-01T09:15:00Z")."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    # isoformat is C-fast; strftime was a measurable share of a 100k import.
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)  # 3.11 reads the "Z"; fast
