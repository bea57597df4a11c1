"""Invitations.csv: every contact request of the last months, both directions.

Four header layouts (docs/formats.md): 2018–2022 without profile columns; Dec 2023 with
`inviterProfileUrl`/`inviteeProfileUrl` all equal to the bare `https://www.linkedin.com/in`;
Jan 2024 with `inviterProfileUrn`/`inviteeProfileUrn`; since Aug 2024 with real links.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from netinbox.importers.base import ImportContext
from netinbox.importers.decoding import CsvInput, open_table
from netinbox.importers.linkedin import (
    EXPECTED,
    Kind,
    accepts,
    is_web_link,
    parse_time,
    profile_ref,
    time_problem,
)
from netinbox.models import Direction, Platform, RequestRecord, SkippedRecord
from netinbox.text import for_storage, match_key

_INVITER = ("inviterprofileurl", "inviterprofileurn")
_INVITEE = ("inviteeprofileurl", "inviteeprofileurn")
_DIRECTIONS = {direction.value: direction for direction in Direction}
_TEMPLATE: RequestRecord | None = None


def _stored(value: str, *, one_line: bool = True) -> str:
    """`for_storage(value)`, without its work for the usual field that needs none: it only
    changes characters that are not printable, and then normalises to NFC."""
    if value.isprintable() and unicodedata.is_normalized("NFC", value):
        return value
    return for_storage(value, one_line=one_line)


def _record(**values: Any) -> RequestRecord:
    """A RequestRecord from values already as its validators leave them (`for_storage`d,
    UTC to the second): copying a validated one skips them, a third of the cost."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = RequestRecord(
            platform=Platform.LINKEDIN, name="-", received_at=datetime(2000, 1, 1, tzinfo=UTC)
        )
    return _TEMPLATE.model_copy(update=values)


def owner_links(src: CsvInput, ctx: ImportContext, owner: str) -> Counter[tuple[str, str]]:
    """(name key, link) on the owner's side of each row written under the owner's name
    (`owner`, a `match_key`), for `linkedin.owner_url`: a first, quiet pass over the file,
    so the records themselves can stream (never a list of every row)."""
    quiet = ImportContext(platform=ctx.platform, tz=ctx.tz)  # no progress, no notes twice
    table = open_table(src, accepts(Kind.INVITATIONS), quiet, EXPECTED[Kind.INVITATIONS])
    header = table.header
    get_direction = header.column("direction")
    get_from, get_from_url = header.column("from"), header.column(*_INVITER)
    get_to, get_to_url = header.column("to"), header.column(*_INVITEE)
    seen: Counter[tuple[str, str]] = Counter()
    for row in table:
        if isinstance(row, SkippedRecord):
            continue
        cells = row.cells
        direction = _DIRECTIONS.get(get_direction(cells).strip().lower())
        if direction is None:
            continue
        own_name, own_url = (
            (get_to(cells), get_to_url(cells))
            if direction is Direction.INCOMING
            else (get_from(cells), get_from_url(cells))
        )
        link = profile_ref(own_url)
        if is_web_link(link) and match_key(own_name.strip()) == owner:
            seen[(owner, link or "")] += 1
    return seen


def read_invitations(
    src: CsvInput, ctx: ImportContext, owner_links: Counter[tuple[str, str]] | None = None
) -> Iterator[RequestRecord | SkippedRecord]:
    """One RequestRecord per row; the counterpart is `From` for INCOMING, `To` for OUTGOING.

    `Sent At` has no zone: it is the owner's local time (`ctx.tz`). Messages are kept as
    written, double spaces (LinkedIn's line breaks) and trailing spaces included.
    `owner_links`, if given, counts (name key, link) on the owner's side of each row, so the
    owner's own profile link can be learned (`linkedin.owner_url`).
    """
    table = open_table(src, accepts(Kind.INVITATIONS), ctx, EXPECTED[Kind.INVITATIONS])
    # Columns looked up once, not per row: this file can have 100,000 rows.
    header = table.header
    get_direction, get_time = header.column("direction"), header.column("sent at")
    get_from, get_from_url = header.column("from"), header.column(*_INVITER)
    get_to, get_to_url = header.column("to"), header.column(*_INVITEE)
    get_message = header.column("message")
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        cells = row.cells
        raw_direction = get_direction(cells).strip()
        direction = _DIRECTIONS.get(raw_direction.lower())
        if direction is None:
            yield row.skip(f"unknown direction '{raw_direction}'")
            continue
        sender = (get_from(cells).strip(), profile_ref(get_from_url(cells)))
        recipient = (get_to(cells).strip(), profile_ref(get_to_url(cells)))
        (name, url), (own_name, own_url) = (
            (sender, recipient) if direction is Direction.INCOMING else (recipient, sender)
        )
        if owner_links is not None and own_name and is_web_link(own_url):
            owner_links[(match_key(own_name), own_url or "")] += 1
        if not name:
            yield row.skip("missing name")
            continue
        raw_time = get_time(cells)
        sent_at = parse_time(raw_time, ctx.tz)
        if sent_at is None:
            yield row.skip(time_problem(raw_time, ctx.tz))
            continue
        # What RequestRecord's validators would do, done here (see `_record`).
        name = _stored(name).strip()
        if not name:
            yield row.skip("name: no name")
            continue
        yield _record(
            platform=Platform.LINKEDIN,
            direction=direction,
            name=name,
            profile_url=None if url is None else _stored(url),
            message=_stored(get_message(cells), one_line=False),
            received_at=sent_at.replace(microsecond=0) if sent_at.microsecond else sent_at,
            source=_stored(row.source),
        )
