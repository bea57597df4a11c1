"""Invitations.csv: every contact request of the last months, both directions.

Four header layouts (formats.md): 2018–2022 without profile columns; Dec 2023 with
`inviterProfileUrl`/`inviteeProfileUrl` all equal to the bare `https://www.linkedin.com/in`;
Jan 2024 with `inviterProfileUrn`/`inviteeProfileUrn`; since Aug 2024 with real links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import ValidationError

from netinbox.importers.base import ImportContext
from netinbox.importers.decoding import CsvInput, first_error, open_table
from netinbox.importers.linkedin import (
    EXPECTED,
    Kind,
    accepts,
    is_web_link,
    parse_time,
    profile_ref,
)
from netinbox.models import Direction, Platform, RequestRecord, SkippedRecord
from netinbox.text import match_key

_INVITER = ("inviterprofileurl", "inviterprofileurn")
_INVITEE = ("inviteeprofileurl", "inviteeprofileurn")


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
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        raw_direction = row.get("direction").strip()
        try:
            direction = Direction(raw_direction.lower())
        except ValueError:
            yield row.skip(f"unknown direction '{raw_direction}'")
            continue
        sender = (row.get("from").strip(), profile_ref(row.get(*_INVITER)))
        recipient = (row.get("to").strip(), profile_ref(row.get(*_INVITEE)))
        (name, url), (own_name, own_url) = (
            (sender, recipient) if direction is Direction.INCOMING else (recipient, sender)
        )
        if owner_links is not None and own_name and is_web_link(own_url):
            owner_links[(match_key(own_name), own_url or "")] += 1
        if not name:
            yield row.skip("missing name")
            continue
        raw_time = row.get("sent at")
        sent_at = parse_time(raw_time, ctx.tz)
        if sent_at is None:
            yield row.skip(f"unparseable date '{raw_time}'")
            continue
        try:
            yield RequestRecord(
                platform=Platform.LINKEDIN,
                direction=direction,
                name=name,
                profile_url=url,
                message=row.get("message"),
                received_at=sent_at,
                source=row.source,
            )
        except ValidationError as err:
            yield row.skip(first_error(err))
