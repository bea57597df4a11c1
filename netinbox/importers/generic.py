"""Request lists from other tools: CSV or JSON with columns found by name, and the
header-less CSV that browser scripts scrape from the invitations page.

Vendors differ, so nothing is hard-coded per vendor: each field has a list of column
names that mean it (docs/formats.md, "Third-party scrapes").

A row without a date gets the file's modification time. The time of the import would
differ on every run and break idempotent re-imports (a request is keyed by direction,
person and time); the file's mtime stays the same for as long as the file does.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from netinbox.i18n import N_, _
from netinbox.identity import platform_of_url
from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.decoding import (
    CsvInput,
    Repairs,
    decode,
    first_error,
    header_key,
    open_table,
    size_of,
    sniff_delimiter,
)
from netinbox.importers.linkedin import parse_time, profile_ref, time_problem
from netinbox.models import Direction, InvitationKind, Platform, RequestRecord, SkippedRecord

log = logging.getLogger(__name__)

# Field → column names meaning it, best first; compared without spaces, `_`, `-` or `.`,
# so `profile_url`, `profileUrl` and `Profile URL` are one name.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "contact name", "display name", "contact", "person"),
    "first name": ("first name", "given name", "first", "vorname"),
    "last name": ("last name", "surname", "family name", "last", "nachname"),
    "profile url": (
        "profile url",
        "url",
        "link",
        "profile",
        "profile link",
        "linkedin url",
        "linkedin profile url",
        "linkedin profile",
        "public profile url",
        "xing url",
        "xing profile",
    ),
    "headline": ("headline", "title", "position", "job title", "occupation"),
    "company": ("company", "organization", "organisation", "company name", "employer"),
    "location": ("location", "city"),
    "message": ("message", "note", "invitation message", "invitation note", "custom message"),
    "date": (
        "date",
        "sent at",
        "received",
        "received at",
        "invited at",
        "invitation date",
        "sent",
        "created at",
        "timestamp",
    ),
    "platform": ("platform", "network"),
    "direction": ("direction",),
    "type": ("type", "invitation type", "kind"),
}
_NAME_FIELDS = ("name", "first name", "last name")
EXPECTED = "a name column and a profile URL, headline, company, message or date column"

_INCOMING = {"incoming", "received", "in", "inbound", "eingehend", "erhalten"}
_OUTGOING = {"outgoing", "sent", "out", "outbound", "ausgehend", "gesendet"}
_PLATFORMS = {"linkedin": Platform.LINKEDIN, "xing": Platform.XING}
_KINDS = {
    **{kind.value: kind for kind in InvitationKind},
    "": InvitationKind.PERSON, "people": InvitationKind.PERSON,
    "connection": InvitationKind.PERSON, "contact": InvitationKind.PERSON,
    "company": InvitationKind.PAGE, "company page": InvitationKind.PAGE,
    "seite": InvitationKind.PAGE, "veranstaltung": InvitationKind.EVENT,
    "gruppe": InvitationKind.GROUP,
}  # fmt: skip
"""The `type` column's words: what the invitation is for (a person when not given)."""
_PROFILE_LINK = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*(?:linkedin|xing)\.com/\S*$", re.I)
_JSON_LISTS = ("requests", "invitations", "contacts", "items", "data", "results", "records")
SCRAPE_FIELDS = 5  # name, headline, (empty), note, link
MALFORMED = N_('malformed quotes (a " inside a quoted field is not doubled)')
_MAX_RECORD_LINES = 50


def _compact(name: str) -> str:
    return re.sub(r"[\s_.\-]", "", header_key(name))


_LOOKUP = {field: tuple(_compact(n) for n in names) for field, names in SYNONYMS.items()}


def generic_columns(names: Sequence[str]) -> dict[str, int]:
    """Field → position of the column that means it, for the fields present."""
    compact = [_compact(name) for name in names]
    found: dict[str, int] = {}
    for field, synonyms in _LOOKUP.items():
        for synonym in synonyms:
            if synonym in compact:
                found[field] = compact.index(synonym)
                break
    return found


def is_generic_header(names: Iterable[str]) -> bool:
    """A name column (or first/last name) and at least one other field we know."""
    found = generic_columns(list(names))
    return any(f in found for f in _NAME_FIELDS) and any(f not in _NAME_FIELDS for f in found)


def is_scrape_row(cells: Sequence[str]) -> bool:
    """The browser-scrape shape: five fields, the last a LinkedIn or XING link."""
    return len(cells) == SCRAPE_FIELDS and bool(_PROFILE_LINK.match(cells[-1].strip()))


# --- One request from named values ------------------------------------------------------------


def _platform(value: str, url: str | None, ctx: ImportContext) -> Platform:
    if value.strip():
        return _PLATFORMS.get(value.strip().casefold(), Platform.OTHER)
    if url:
        found = platform_of_url(url if "//" in url or url.startswith("urn:") else "https://" + url)
        if found is not None:
            return found
    return ctx.platform or Platform.OTHER


def to_request(
    values: Mapping[str, str], source: str, ctx: ImportContext, fallback_time: datetime | None
) -> RequestRecord | SkippedRecord:
    """A RequestRecord from field → text, or the reason it cannot be one."""
    name = values.get("name", "").strip()
    if not name:
        name = f"{values.get('first name', '').strip()} {values.get('last name', '').strip()}"
        name = name.strip()
    if not name:
        return SkippedRecord(source=source, reason=_("missing name"))
    raw_direction = values.get("direction", "").strip()
    if not raw_direction or raw_direction.casefold() in _INCOMING:
        direction = Direction.INCOMING
    elif raw_direction.casefold() in _OUTGOING:
        direction = Direction.OUTGOING
    else:
        return SkippedRecord(
            source=source,
            reason=_("unknown direction '%(raw_direction)s'") % {"raw_direction": raw_direction},
        )
    raw_kind = values.get("type", "").strip()
    kind = _KINDS.get(raw_kind.casefold())
    if kind is None:
        return SkippedRecord(
            source=source, reason=_("unknown type '%(raw_kind)s'") % {"raw_kind": raw_kind}
        )
    raw_date = values.get("date", "")
    when = parse_time(raw_date, ctx.tz) if raw_date.strip() else fallback_time
    if when is None:
        reason = time_problem(raw_date, ctx.tz) if raw_date.strip() else _("no date")
        return SkippedRecord(source=source, reason=reason)
    url = profile_ref(values.get("profile url", ""))
    try:
        return RequestRecord(
            platform=_platform(values.get("platform", ""), url, ctx),
            direction=direction,
            kind=kind,
            name=name,
            profile_url=url,
            headline=values.get("headline", "").strip(),
            company=values.get("company", "").strip(),
            location=values.get("location", "").strip(),
            message=values.get("message", ""),
            received_at=when,
            source=source,
        )
    except ValidationError as err:
        return SkippedRecord(source=source, reason=first_error(err))


# --- CSV with a header --------------------------------------------------------------------------


def read_csv(
    src: CsvInput, ctx: ImportContext, fallback_time: datetime | None
) -> Iterator[RequestRecord | SkippedRecord]:
    table = open_table(src, is_generic_header, ctx, EXPECTED)
    columns = generic_columns(table.header.cells)
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        values = {field: row.cells[index] for field, index in columns.items()}
        yield to_request(values, row.source, ctx, fallback_time)


# --- The header-less browser scrape ---------------------------------------------------------------


def read_scrape(
    src: CsvInput, ctx: ImportContext, fallback_time: datetime | None
) -> Iterator[RequestRecord | SkippedRecord]:
    """`name, headline, , note, link` rows. These scripts do not escape quotes in notes, so
    each record is parsed on its own: a malformed one is skipped with its line number and
    the rest still import."""
    decoded = decode(src.data, src.where)
    delimiter = sniff_delimiter(decoded.head())
    repairs = Repairs()
    lines = list(decoded.lines(ctx.read, src.units))
    for line, cells in salvage_rows(lines, delimiter):
        source = f"{src.label}:{line}"
        if cells is None:
            yield SkippedRecord(source=source, reason=MALFORMED)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != SCRAPE_FIELDS:
            yield SkippedRecord(
                source=source,
                reason=_("expected %(want)d fields, found %(found)d")
                % {"want": SCRAPE_FIELDS, "found": len(cells)},
            )
            continue
        name, headline, _empty, note, link = repairs.fix_row(cells)
        values = {"name": name, "headline": headline, "message": note, "profile url": link}
        yield to_request(values, source, ctx, fallback_time)
    if repairs.count:
        ctx.note(f"{src.label}: repaired {repairs.count} double-encoded field(s)")


def salvage_rows(lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """`(line, fields)` per record, `fields` None for a record the strict parser refuses.

    A quoted field may span lines (up to `_MAX_RECORD_LINES`); after a refusal parsing
    starts again on the next line, so one bad quote costs one record.
    """
    start = 0
    while start < len(lines):
        end = start + 1
        fields: list[str] | None = None
        while True:
            try:
                rows = list(csv.reader(lines[start:end], delimiter=delimiter, strict=True))
            except csv.Error as err:
                more = end < len(lines) and end - start < _MAX_RECORD_LINES
                if "unexpected end of data" in str(err) and more:
                    end += 1  # a quoted field going on in the next line
                    continue
                end = start + 1
            else:
                fields = rows[0] if rows else []
            break
        yield start + 1, fields
        start = end


# --- JSON ------------------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _epoch(value: Any) -> str | None:
    """A JSON number as a date: Unix seconds, or milliseconds when that large."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = value / 1000 if abs(value) > 1e11 else value
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def read_json(
    src: CsvInput, ctx: ImportContext, fallback_time: datetime | None
) -> Iterator[RequestRecord | SkippedRecord]:
    """An array of objects, or an object holding one under `requests` (or `invitations`,
    `contacts`, `items`, `data`, `results`, `records`); keys as the CSV column names."""
    text = decode(src.data, src.where).text()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadInput(
            src.where, _("not valid JSON (%(msg)s)") % {"msg": err.msg}, err.lineno
        ) from None
    except (ValueError, RecursionError) as err:
        raise BadInput(
            src.where, _("not valid JSON (%(name)s)") % {"name": type(err).__name__}
        ) from None
    ctx.read(size_of(src.data) if src.units is None else src.units)
    items = document
    if isinstance(document, dict):
        items = next((document[k] for k in _JSON_LISTS if isinstance(document.get(k), list)), None)
    if not isinstance(items, list):
        raise BadInput(src.where, _('expected a JSON array of objects, or {"requests": [ … ]}'))
    for number, item in enumerate(items, start=1):
        source = f"{src.label}#{number}"
        if not isinstance(item, dict):
            yield SkippedRecord(source=source, reason=_("not an object"))
            continue
        keys = [str(key) for key in item]
        columns = generic_columns(keys)
        values = {field: _scalar(item[keys[index]]) for field, index in columns.items()}
        if "date" in columns:
            values["date"] = _epoch(item[keys[columns["date"]]]) or values["date"]
        yield to_request(values, source, ctx, fallback_time)
