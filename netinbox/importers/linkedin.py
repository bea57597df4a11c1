"""What every LinkedIn export file shares: which file a header belongs to, dates, profile
links, and the owner (Profile.csv).

The readers for the three files that matter live beside this module
(`linkedin_invitations`, `linkedin_connections`, `linkedin_messages`); `detect` finds the
files in a zip, a folder or on their own and reads them in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo
from enum import StrEnum

from pydantic import ValidationError

from netinbox.i18n import N_, _
from netinbox.importers.base import ImportContext
from netinbox.importers.decoding import CsvInput, first_error, open_table
from netinbox.models import OwnerRecord, Platform, SkippedRecord
from netinbox.text import match_key


class Kind(StrEnum):
    """The export files netinbox reads, by their name in the export."""

    PROFILE = "Profile"
    INVITATIONS = "Invitations"
    CONNECTIONS = "Connections"
    MESSAGES = "messages"

    @property
    def file_name(self) -> str:
        return f"{self.value}.csv"


# Columns that identify each file; every era's header has them (docs/formats.md, C-6).
_INVITATIONS = frozenset({"from", "to", "sent at", "direction"})
_CONNECTIONS = frozenset({"first name", "last name", "connected on"})
_MESSAGES = frozenset({"conversation id", "from", "date", "content"})
_MESSAGES_2018 = frozenset({"from", "to", "date", "content", "direction"})
_PROFILE = frozenset({"first name", "last name", "headline"})

EXPECTED = {
    Kind.PROFILE: "First Name, Last Name, Headline",
    Kind.INVITATIONS: "From, To, Sent At, Direction",
    Kind.CONNECTIONS: "First Name, Last Name, Connected On",
    Kind.MESSAGES: "FROM, DATE, CONTENT and CONVERSATION ID (or Direction)",
}

# Other files of the export, so that one given alone gets a helpful answer (C-23). Short
# headers that a tool's list could share must match exactly, longer ones by subset.
_OTHER_FILES: tuple[tuple[str, frozenset[str], bool], ...] = tuple(
    (name, frozenset(columns.split(",")), exact)
    for name, columns, exact in (
        ("Registration", "registered at", False),
        ("Email Addresses", "email address,confirmed,primary", False),
        ("PhoneNumbers", "number,type,extension", False),
        ("Positions", "company name,title,started on", False),
        ("Education", "school name,degree name", False),
        ("Endorsement Received Info", "endorsement date,endorser first name", False),
        ("Endorsement Given Info", "endorsement date,endorsee first name", False),
        ("Recommendations", "first name,last name,creation date,status", False),
        ("Certifications", "name,authority,license number", False),
        ("Company Follows", "organization,followed on", False),
        ("SearchQueries", "time,search query", False),
        ("Shares", "sharelink,sharecommentary", False),
        ("Publications", "name,published on,publisher", False),
        ("Saved_Jobs", "saved date,job url", False),
        ("Job Applications", "application date,job title,company name", False),
        ("Events", "event name,event time", False),
        ("Learning", "content title,content type", False),
        ("Logins", "login date,ip address", False),
        ("Rich_Media", "date/time,media link", False),
        ("Languages", "name,proficiency", True),
        ("Member_Follows", "date,fullname,status", True),
        ("Reactions", "date,type,link", True),
        ("Comments", "date,link,message", True),
    )
)

HIDDEN_PROFILE = N_("hidden profile (only a date)")  # translated where it is shown


def kind_of(names: frozenset[str]) -> Kind | None:
    """Which of the four files a header row is, if any."""
    if _INVITATIONS <= names:
        return Kind.INVITATIONS
    if _CONNECTIONS <= names:
        return Kind.CONNECTIONS
    if _MESSAGES <= names or _MESSAGES_2018 <= names:
        return Kind.MESSAGES
    # Profile.csv always has Maiden Name or Birth Date; a tool's "First Name, Last Name,
    # Headline, URL" list is not the owner's profile.
    if _PROFILE <= names and names & {"maiden name", "birth date"}:
        return Kind.PROFILE
    return None


def other_export(names: frozenset[str]) -> str | None:
    """The name of another LinkedIn export file this header belongs to, if it is one."""
    present = names - {""}
    for name, required, exact in _OTHER_FILES:
        if (required == present) if exact else (required <= present):
            return name
    return None


def accepts(kind: Kind) -> Callable[[frozenset[str]], bool]:
    """A header predicate for `decoding.find_header`."""
    return lambda names: kind_of(names) is kind


# --- Profile links ------------------------------------------------------------------------

_SLUGLESS = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*linkedin\.com/in/?$", re.IGNORECASE)


def profile_ref(value: str) -> str | None:
    """A profile link as given (percent-encoding kept), or None when it names nobody.

    The Dec-2023 export wrote the bare `https://www.linkedin.com/in` everywhere: unknown.
    The Jan-2024 export gave `urn:li:member:<digits>` instead of links. We keep the URN as
    the profile reference: it is the only stable identity those rows have, and nothing in
    that export maps it to a link. `identity.url_key` keys it as `urn:<digits>` and
    `identity.is_safe_profile_url` refuses to open it, so it never reaches a browser.
    """
    text = value.strip()
    # The cheap test first: only a link ending in `/in` or `/in/` can be slugless.
    if not text or (text[-4:].lower().endswith(("/in", "/in/")) and _SLUGLESS.match(text)):
        return None
    return text


def is_web_link(value: str | None) -> bool:
    """A link a person could open (not a URN): only these can be the owner's profile link."""
    return value is not None and value.lower().startswith(("https://", "http://"))


# --- Dates ----------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "jän", "jänner"),
            ("feb", "february", "februar"),
            ("mar", "march", "mär", "märz", "mrz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
_US = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP])\.?M\.?", re.I
)
_YMD = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _TIME + r"\s*(UTC|GMT|Z)?", re.I)
_DMY_NAMED = re.compile(r"(\d{1,2})[ -]([^\W\d_]{3,9})\.?[ -](\d{4}|\d{2})" + _TIME)
_MDY_NAMED = re.compile(r"([^\W\d_]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME)


def parse_time(value: str, tz: tzinfo) -> datetime | None:
    """A time in any format LinkedIn or Excel wrote, in UTC; None if it is none of them.

    `3/1/18, 9:05 AM` (US, always with AM/PM), `2025-11-17 22:05:06 UTC`, `01 Mar 2025`,
    `12-Mar-25`, `Mar 1, 2025`, `03.03.2025`, ISO 8601. Each format is unambiguous, so
    nothing is guessed: `3/4/2025` without AM/PM could be March or April and is refused.
    Times without a zone are the owner's local time (`tz`); a date alone is local midnight.
    """
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return _parse(text, tz)
    except (ValueError, OverflowError):
        return None


def time_problem(value: str, tz: tzinfo) -> str:
    """Why `parse_time` found no time in `value`, for the skipped row's line: a real date
    outside what a time in UTC can hold (year 1 east of UTC, 9999 west), or none at all."""
    try:
        _parse(" ".join(value.split()), tz)
    except OverflowError:
        return _("date '%(value)s' is outside the years 1 to 9999 in UTC") % {"value": value}
    except ValueError:
        pass
    return _("unparseable date '%(value)s'") % {"value": value}


def _parse(text: str, tz: tzinfo) -> datetime | None:
    if m := _US.fullmatch(text):
        month, day, year, hour, minute, second, half = m.groups()
        if not 1 <= int(hour) <= 12:
            return None
        hour_24 = int(hour) % 12 + (12 if half.upper() == "P" else 0)
        return _local(_year(year), int(month), int(day), hour_24, minute, second, tz)
    if m := _YMD.fullmatch(text):
        year, month, day, hour, minute, second, zone = m.groups()
        return _local(int(year), int(month), int(day), hour, minute, second, UTC if zone else tz)
    if m := _DMY_NAMED.fullmatch(text):
        day, name, year, hour, minute, second = m.groups()
        month = _MONTHS.get(name.casefold())
        if month is None:
            return None
        return _local(_year(year), month, int(day), hour, minute, second, tz)
    if m := _MDY_NAMED.fullmatch(text):
        name, day, year, hour, minute, second = m.groups()
        month = _MONTHS.get(name.casefold())
        if month is None:
            return None
        return _local(int(year), month, int(day), hour, minute, second, tz)
    if m := _DOTTED.fullmatch(text):
        day, month, year, hour, minute, second = m.groups()
        return _local(_year(year), int(month), int(day), hour, minute, second, tz)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _local(
    year: int,
    month: int,
    day: int,
    hour: str | int | None,
    minute: str | None,
    second: str | None,
    tz: tzinfo,
) -> datetime:
    moment = datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0))
    return moment.replace(tzinfo=tz).astimezone(UTC)


# --- Profile.csv: who "me" is -----------------------------------------------------------------


def read_profile(src: CsvInput, ctx: ImportContext) -> Iterator[OwnerRecord | SkippedRecord]:
    """The owner from Profile.csv (one row). Its profile link is not in the file; `owner_url`
    can learn it from Invitations.csv."""
    table = open_table(src, accepts(Kind.PROFILE), ctx, EXPECTED[Kind.PROFILE])
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        name = f"{row.get('first name').strip()} {row.get('last name').strip()}".strip()
        if not name:
            yield row.skip("missing name")
            continue
        try:
            yield OwnerRecord(
                platform=Platform.LINKEDIN,
                name=name,
                headline=row.get("headline").strip(),
                source=row.source,
            )
        except ValidationError as err:
            yield row.skip(first_error(err))
        return  # one owner per export


def owner_url(owner: OwnerRecord, seen: Counter[tuple[str, str]]) -> str | None:
    """The link seen most often on the owner's side of invitations under the owner's name.

    `seen` counts (name key, link) pairs from `linkedin_invitations.read_invitations`.
    """
    key = match_key(owner.name)
    candidates = Counter({url: n for (name, url), n in seen.items() if name == key})
    if not candidates:
        return None
    return candidates.most_common(1)[0][0]
