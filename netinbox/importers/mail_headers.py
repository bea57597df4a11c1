"""What a message's headers say: the raw value of a header, encoded words decoded, the
inviter's name in the From header, and the Date header as a UTC time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from netinbox.importers import mail_mime
from netinbox.importers.mail_sender import MAX_FROM_CHARS


def raw_header(items: Iterable[tuple[str, Any]], name: str) -> str:
    """The header as written, unfolded, with 8-bit bytes decoded (C-19), or ''.

    `items` are the message's `raw_items()`: they avoid the policy's structured parsers,
    which recurse on nested comments; a raw UTF-8 or cp1252 header arrives as surrogate
    escapes and is decoded here.
    """
    for key, value in items:
        if key.lower() == name.lower():
            text = re.sub(r"\r?\n(?=[ \t])", "", str(value))
            if re.search("[\udc80-\udcff]", text):
                data = text.encode("ascii", "surrogateescape")
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    text = data.decode("cp1252", errors="replace")
            return text.strip()
    return ""


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words the way policy `default` decodes a Subject."""
    if "=?" not in value:
        return value
    return str(mail_mime.POLICY.header_factory("Subject", value))


_VIA_SUFFIX = re.compile(r"\s+(?:via|über)\s+LinkedIn\s*$", re.IGNORECASE)
_GENERIC_NAMES = frozenset({"", "linkedin", "linkedin invitations", "xing"})


def display_name(from_value: str) -> str:
    """The inviter's name from the From header: decoded, unquoted, without "via LinkedIn".

    Split at the angle address by hand: a display name with an unquoted comma (Dubois, PhD)
    would otherwise be read as two addresses.
    """
    from_value = from_value[:MAX_FROM_CHARS]
    match = re.match(r"^(.*?)\s*<[^<>]*>\s*(?:\([^()]*\))?\s*$", from_value, re.DOTALL)
    if match:
        display = match.group(1)
    else:
        comment = re.search(r"\(([^()]*)\)\s*$", from_value)  # old style: addr (Name)
        display = comment.group(1) if comment else ""
    name = decode_words(display).strip()
    for _ in range(2):  # the suffix can sit inside or outside the quotes
        name = _VIA_SUFFIX.sub("", name).strip()
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\").strip()
    name = " ".join(name.split())
    return "" if name.casefold() in _GENERIC_NAMES else name


def header_date(value: str) -> datetime | None:
    """The Date header in UTC; None when missing or not a plausible date."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 says treat it as UTC
        when = when.replace(tzinfo=UTC)
    if not 1990 <= when.year <= 2200:
        return None
    return when.astimezone(UTC)
