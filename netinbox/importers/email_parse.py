"""One notification e-mail → one record (formats.md "Notification e-mails").

The containers (mbox, Maildir, .eml) live in `email.py`; this module knows what a single
message looks like. Two steps, because most mail in a real mailbox is not an invitation:

1. `invitation_platform(sender_address(raw))` looks only at the raw header block, with no
   MIME parsing, so a 100,000-mail mbox is sorted cheaply.
2. `parse_candidate` parses the full MIME of the few candidates (standard library `email`,
   policy `default`, with parsed headers reused: see `_ParsedHeaders`; a simply built mail
   is read without the parser, as the parser would: `_simple_mail`, `_simple_tree`) and
   reads the inviter from the plain body, or from the HTML body converted to text when no
   plain part exists. A XING mail without any of the words of a request is dropped before
   that parse.

Every string goes through the models, which apply `for_storage`; display sanitising
happens at the terminal boundary, so an encoded word that decodes to ESC is kept here.
"""

from __future__ import annotations

import functools
import quopri
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import MessageError
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import parsedate_to_datetime
from html import unescape
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from netinbox.importers.base import MAX_MIME_DEPTH, MAX_MIME_PARTS
from netinbox.models import AnyRecord, Platform, RequestRecord, SkippedRecord

#: A candidate message larger than this is not parsed. Invitation mails are ~10 kB; 25 MB
#: is the common mail-server size limit, so anything bigger is not a notification.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
#: Only this much of a message is searched for the header block when sorting mail.
MAX_HEADER_BYTES = 256 * 1024
#: Only the start of a body is read: everything an invitation says is near the top, and
#: the text scans must stay cheap on a hostile 25 MB body.
MAX_BODY_CHARS = 1_000_000

# --- Step 1: who sent it, from the raw header block -------------------------------------

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FROM_HEADER = re.compile(rb"^from:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_ANGLE_ADDR = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
_ADDR_DELIMITERS = re.compile(r"[\s<>\"(),;:]+")
#: A real From header is one short line; a longer one is cut before any regex sees it.
MAX_FROM_CHARS = 4096
_LINKEDIN_DOMAIN = re.compile(r"(?:^|\.)linkedin\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$")
_XING_DOMAIN = re.compile(r"(?:^|\.)xing\.(?:com|de)$")


def header_block(raw: bytes) -> bytes:
    """The header lines of a raw message (everything before the first empty line)."""
    head = raw[:MAX_HEADER_BYTES]
    if head.startswith((b"\r\n", b"\n")):
        return b""  # no headers at all
    end = _HEADER_END.search(head)
    return head[: end.start()] if end else head


def sender_address(headers: bytes | bytearray) -> str | None:
    """The address in the From header, lower-cased, found with a regex.

    No RFC 5322 parser on purpose: both the stdlib parsers recurse on nested comments, and
    a hostile From header must not cost more than a regex scan when sorting mail.
    """
    match = _FROM_HEADER.search(headers)
    if match is None:
        return None
    value = match.group(1)[:MAX_FROM_CHARS].decode("latin-1")
    found = _ANGLE_ADDR.findall(value)
    if not found:  # a bare `From: invitations@linkedin.com`
        found = [token for token in _ADDR_DELIMITERS.split(value) if "@" in token]
    return found[-1].lower() if found else None


def invitation_platform(address: str | None) -> Platform | None:
    """The platform whose invitation robot sent this, or None for every other mail.

    LinkedIn: an `invitations…@` local part at linkedin.com or a national LinkedIn domain
    (messages-noreply@, jobs-noreply@ … are not invitations). XING: any address of its
    domains (mailrobot@mail.xing.com and its siblings); which XING mails are contact
    requests is decided later from the subject and body, so those few are parsed.
    """
    if not address or "@" not in address:
        return None
    local, _, domain = address.rpartition("@")
    if _LINKEDIN_DOMAIN.search(domain) and local.startswith("invitations"):
        return Platform.LINKEDIN
    if _XING_DOMAIN.search(domain):
        return Platform.XING
    return None


# --- Step 2: the full message ------------------------------------------------------------


class _TooComplex(Exception):
    """The message exceeds a MIME limit; the text says which (reliability.md C-20)."""


@dataclass
class _Bodies:
    plain: str
    html: str


class _ParsedHeaders(HeaderRegistry):
    """policy `default`'s header registry, remembering what it parsed.

    `Message.get` parses a header anew on every call, through a header class it builds
    anew each time, and the feed parser and `_bodies` ask for the same Content-Type about a
    dozen times per part: that was most of the parse time. The header objects are immutable
    (str subclasses with read-only attributes), so handing out the same one again gives
    exactly the results of parsing again. Values recur across mails too (a part's
    `text/plain; charset=UTF-8`, `quoted-printable`), so the memory outlives a message; it
    is bounded, and long values are not kept.
    """

    _MAX_ENTRIES = 512
    _MAX_VALUE_CHARS = 2000

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._parsed: dict[tuple[str, str], BaseHeader] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._classes.get(key)
        if made is None:
            made = self._classes[key] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > self._MAX_VALUE_CHARS:
            return self[name](name, value)
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            if len(self._parsed) >= self._MAX_ENTRIES:
                self._parsed.clear()
            header = self._parsed[key] = self[name](name, value)
        return header


class _Policy(EmailPolicy):
    """policy `default`, fetching a header without the regex split when it has no line
    breaks to take out (the split and join then give the value back unchanged)."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        if "\n" in value or "\r" in value:
            value = value.replace("\r", "").replace("\n", "")
        return self.header_factory(name, value)


#: policy `default` in all it does (`EmailPolicy()` is `policy.default`), with
#: `_ParsedHeaders` as its header factory.
_POLICY = _Policy(header_factory=_ParsedHeaders())


def parse_candidate(
    raw: bytes, source: str, platform: Platform, fallback_time: datetime | None
) -> AnyRecord | None:
    """Parse one message from an invitation sender; None when it is not a request.

    Hostile or broken messages become a SkippedRecord so the import goes on with the next.
    XING's robot also sends newsletters and notices; one that has none of the words of a
    request is dropped without parsing (`_cannot_be_xing`).
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        return SkippedRecord(
            source=source, reason=f"message too large (over {MAX_MESSAGE_BYTES // 2**20} MB)"
        )
    # Each MIME part carries (at most) one Content-Type line, so counting them bounds the
    # parts before the recursive stdlib parser sees a 3,000-level nest (C-20).
    lowered = raw.lower()  # ASCII only, as the IGNORECASE of a bytes pattern
    if lowered.count(b"\ncontent-type:") + lowered.startswith(b"content-type:") > MAX_MIME_PARTS:
        return _too_complex(source, f"more than {MAX_MIME_PARTS} parts")
    if platform is Platform.XING and fallback_time is not None and _cannot_be_xing(lowered):
        return None  # what `_xing` would say after the full parse (a date is at hand)
    try:
        mail = _simple_mail(raw)
        if mail is None:
            message = _simple_tree(raw) or BytesParser(policy=_POLICY).parsebytes(raw)
            mail = _Mail(list(message.raw_items()), _bodies(message))
        headers, bodies = mail.headers, mail.bodies
        subject = _decode_words(_raw_header(headers, "Subject"))
        received = _date(_raw_header(headers, "Date")) or fallback_time
        if received is None:
            return SkippedRecord(
                source=source, reason="no usable date (Date header missing or invalid)"
            )
        if platform is Platform.LINKEDIN:
            display = _display_name(_raw_header(headers, "From"))
            return _linkedin(display, subject, bodies, received, source)
        return _xing(subject, bodies, received, source)
    except RecursionError:
        return _too_complex(source, "nested too deeply")
    except _TooComplex as exc:
        return _too_complex(source, str(exc))
    except ValidationError as exc:
        problem = exc.errors()[0].get("msg", "invalid value") if exc.errors() else "invalid"
        return SkippedRecord(source=source, reason=f"invitation mail not usable ({problem})")
    except (MessageError, LookupError, ValueError, TypeError, AttributeError, IndexError) as exc:
        # The stdlib parser is lenient, but header and charset edge cases still raise;
        # one odd mail must not end the import (C-24).
        return SkippedRecord(
            source=source, reason=f"message could not be read ({type(exc).__name__})"
        )


# --- The message tree of a simply built mail ----------------------------------------------
#
# The standard feed parser walks a message line by line in Python; for an invitation that is
# a third of the time spent on it. `_simple_tree` builds the same tree (the same message
# objects, headers and payloads, through the same policy calls) with string searches, for
# the shapes notification mails have: LF line ends, a header block of plain `Name: value`
# lines, and either one part or one level of multipart with simple parts and a closing
# boundary. Anything else returns None and goes to the parser; the tests hold both to the
# same trees.

# A header's first line as the parser accepts it (its `headerRE`, minus `From ` lines and
# an empty name, which it treats specially).
_HEADER_NAME = re.compile(r"[\041-\071\073-\176]+:")
# What may follow `--boundary` on a boundary line (the parser's `boundaryre`, LF only).
_BOUNDARY_TAIL = re.compile(r"(--)?[ \t]*(?:\n|\Z)")


def _header_lines(text: str) -> tuple[list[tuple[str, str]], str] | None:
    """The headers of `text` as the parser stores them (name and raw value, in order), and
    the text after the empty line that ends them; None unless every line is a plain one."""
    if text[:1] == "\n":
        return [], text[1:]  # no headers: the empty line is dropped
    end = text.find("\n\n")
    if end < 0:
        return None
    items: list[tuple[str, str]] = []
    header: list[str] = []
    for line in text[:end].split("\n"):
        line += "\n"
        if line[0] in " \t":
            if not header:
                return None
            header.append(line)
            continue
        if _HEADER_NAME.match(line) is None:
            return None
        if header:
            items.append(_POLICY.header_source_parse(header))
        header = [line]
    items.append(_POLICY.header_source_parse(header))
    return items, text[end + 2 :]


def _simple_part(text: str) -> tuple[Message, str] | None:
    """A message with the headers of `text` set as the parser sets them, and the text after
    the empty line that ends them; None unless every header line is a plain one."""
    parsed = _header_lines(text)
    if parsed is None:
        return None
    message = EmailMessage(policy=_POLICY)  # the policy's message_factory, as in the parser
    for name, value in parsed[0]:
        message.set_raw(name, value)
    return message, parsed[1]


def _boundary_lines(body: str, boundary: str) -> list[tuple[int, int, bool]] | None:
    """Where the boundary lines of a multipart body are (start, end of line, closing), up
    to the closing one; None unless there are parts and a closing line."""
    # `--boundary` at a line start, then what `_BOUNDARY_TAIL` allows.
    separator = "--" + boundary
    bounds: list[tuple[int, int, bool]] = []
    found = body.find(separator)
    while found >= 0:
        if found == 0 or body[found - 1] == "\n":
            tail = _BOUNDARY_TAIL.match(body, found + len(separator))
            if tail is not None:
                bounds.append((found, tail.end(), tail.group(1) is not None))
                if tail.group(1) is not None:
                    break
        found = body.find(separator, found + 1)
    if len(bounds) < 2 or bounds[0][2] or not bounds[-1][2]:
        return None  # no part, or no closing boundary
    return bounds


def _simple_tree(raw: bytes) -> Message | None:
    """What `BytesParser(policy=_POLICY).parsebytes(raw)` returns, for a simply built mail
    (see above); None for any other."""
    text = raw.decode("ascii", "surrogateescape")  # as BytesParser decodes
    if "\r" in text:
        return None  # the parser also ends lines at a lone CR
    parsed = _simple_part(text)
    if parsed is None:
        return None
    message, body = parsed
    # The parser's questions, in its order (a header it cannot parse raises here as there).
    if message.get_content_type() == "message/delivery-status":
        return None
    maintype = message.get_content_maintype()
    if maintype == "message":
        return None
    if maintype != "multipart":
        message.set_payload(body)
        return message
    boundary = message.get_boundary()
    str(message.get("content-transfer-encoding", "8bit"))
    if boundary is None or message.get_content_type() == "multipart/digest":
        return None
    bounds = _boundary_lines(body, boundary)
    if bounds is None:
        return None
    if bounds[0][0]:
        message.preamble = body[: bounds[0][0] - 1]  # the last newline is the boundary's
    for (_, start, _), (end, _, _) in pairwise(bounds):
        if start == end:
            return None  # two boundary lines in a row
        parsed = _simple_part(body[start:end])
        if parsed is None:
            return None
        part, payload = parsed
        message.get_content_type()  # the parser asks, for multipart/digest
        message.attach(part)
        if part.get_content_type() == "message/delivery-status":
            return None
        if part.get_content_maintype() in ("message", "multipart"):
            return None
        # The newline before a boundary belongs to the boundary.
        part.set_payload(payload[:-1] if payload[-1:] == "\n" else payload)
        part.get_content_maintype()
    message.epilogue = body[bounds[-1][1] :]
    return message


# --- The bodies of a simply built mail, without the tree ---------------------------------
#
# For the same shapes, `_simple_mail` gives what the importer reads off the tree (the top
# headers' `raw_items` and `_bodies`) without building it: each part's type, charset,
# transfer encoding and disposition are asked of `Message` once per distinct header value
# and remembered (`_part_type`), where the tree was asked them a dozen times per part. The
# tests hold it to the parser's tree.


@dataclass(frozen=True)
class _PartType:
    """What `Message` says of a part, from its Content-Type, Content-Transfer-Encoding and
    Content-Disposition headers (the first of each; no other header changes the answers)."""

    content_type: str  # `get_content_type()`, the default being text/plain
    boundary: str | None  # `get_boundary()`
    charset: str | None  # `get_content_charset()`
    encoding: str  # `str(get("content-transfer-encoding", "")).lower()`
    attachment: bool  # `get_content_disposition() == "attachment"`


_TYPE_HEADERS = ("content-type", "content-transfer-encoding", "content-disposition")
_PART_TYPES: dict[tuple[str | None, ...], _PartType] = {}
_MAX_PART_TYPES = 256


def _part_type(items: list[tuple[str, str]]) -> _PartType:
    """The `_PartType` of a part with these headers; raises what the header parsing does."""
    values: list[str | None] = [None] * len(_TYPE_HEADERS)
    for name, value in items:
        lowered = name.lower()
        if lowered in _TYPE_HEADERS and values[_TYPE_HEADERS.index(lowered)] is None:
            values[_TYPE_HEADERS.index(lowered)] = value
    key = tuple(values)
    found = _PART_TYPES.get(key)
    if found is None:
        message = EmailMessage(policy=_POLICY)
        for header, given in zip(_TYPE_HEADERS, values, strict=True):
            if given is not None:
                message.set_raw(header, given)
        found = _PartType(
            message.get_content_type(),
            message.get_boundary(),
            message.get_content_charset(),
            str(message.get("content-transfer-encoding", "")).lower(),
            message.get_content_disposition() == "attachment",
        )
        if sum(len(given) for given in values if given) <= _ParsedHeaders._MAX_VALUE_CHARS:
            if len(_PART_TYPES) >= _MAX_PART_TYPES:
                _PART_TYPES.clear()
            _PART_TYPES[key] = found
    return found


@dataclass
class _Mail:
    headers: list[tuple[str, str]]  # the top message's `raw_items()`
    bodies: _Bodies


class _NotSimple(Exception):
    """A part `_simple_mail` leaves to the tree."""


def _simple_mail(raw: bytes) -> _Mail | None:
    """The top headers and the bodies of a simply built mail (`_simple_tree`'s shapes,
    quoted-printable or not encoded), as the parser's tree gives them; None for any other,
    and whenever a header cannot be parsed (the tree then raises what the parser does)."""
    text = raw.decode("ascii", "surrogateescape")  # as BytesParser decodes
    if "\r" in text:
        return None
    top = _header_lines(text)
    if top is None:
        return None
    items, body = top
    try:
        parts = _simple_parts(_part_type(items), body)
        if parts is None:
            return None
        plain: str | None = None
        html: str | None = None
        for kind, payload in parts:
            if kind.attachment:
                continue
            if kind.content_type == "text/plain" and plain is None:
                plain = _payload_text(kind, payload)
            elif kind.content_type == "text/html" and html is None:
                html = _payload_text(kind, payload)
    except Exception:  # `_NotSimple`, or a header the policy cannot parse: the tree path
        return None  # then gives the parser's answer, or raises the parser's error
    return _Mail(items, _Bodies((plain or "")[:MAX_BODY_CHARS], (html or "")[:MAX_BODY_CHARS]))


def _simple_parts(top: _PartType, body: str) -> list[tuple[_PartType, str]] | None:
    """The leaf parts of a simply built mail with their payloads, as the tree has them."""
    maintype = top.content_type.partition("/")[0]
    if maintype == "message":  # message/delivery-status too
        return None
    if maintype != "multipart":
        return [(top, body)]
    if top.boundary is None or top.content_type == "multipart/digest":
        return None
    bounds = _boundary_lines(body, top.boundary)
    if bounds is None or len(bounds) > MAX_MIME_PARTS:  # `_bodies` counts the top too
        return None
    parts: list[tuple[_PartType, str]] = []
    for (_, start, _), (end, _, _) in pairwise(bounds):
        if start == end:
            return None  # two boundary lines in a row
        parsed = _header_lines(body[start:end])
        if parsed is None:
            return None
        items, payload = parsed
        kind = _part_type(items)
        if kind.content_type.partition("/")[0] in ("message", "multipart"):
            return None
        # The newline before a boundary belongs to the boundary.
        parts.append((kind, payload[:-1] if payload[-1:] == "\n" else payload))
    return parts


def _payload_text(kind: _PartType, payload: str) -> str:
    """`_decode_payload` of a simple part with this payload (`get_payload(decode=True)`
    gives its bytes back, undoing quoted-printable)."""
    data = payload.encode("ascii", "surrogateescape")  # the bytes BytesParser read
    if kind.encoding == "quoted-printable":
        data = quopri.decodestring(data)
    elif kind.encoding in ("base64", "x-uuencode", "uuencode", "uue", "x-uue"):
        raise _NotSimple(kind.encoding)
    return _decode_text(data, kind.charset)


# --- XING mail that cannot be a request --------------------------------------------------

# `_xing` finds a request only through words of `_XING_REQUEST_SUBJECT` in the subject or
# of `_XING_VERB` in a body; each alternative there contains one of these (ASCII, without
# the letters i, k and s, which `re.IGNORECASE` also matches to ı, İ, K and ſ).
_XING_WORDS = (b"anfrage", b"chte", b"contact", b"connect", b"add", b"vernetzen", b"nzuf")
# What could turn other bytes into those words on the way to the text `_xing` reads
# (encoded words, transfer encodings, HTML entities and tags, UTF-16/32), or make the full
# parse end in a SkippedRecord rather than None (parts past the MIME limits).
_XING_HIDING = (b"=?", b"quoted-printable", b"base64", b"uue", b"html", b"\x00", b"multipart")
_CHARSET = re.compile(rb"charset")
# Charsets in which those ASCII letters are the same bytes as in the text.
_ASCII_CHARSET = re.compile(
    rb'charset[ \t]*=[ \t]*"?(?:us-ascii|ascii|utf-8|utf8|iso-8859-1|iso-8859-15|latin-?1'
    rb'|windows-1252|cp1252)"?(?![^;\s])'
)


def _cannot_be_xing(text: bytes) -> bool:
    """True when a XING mail (`text`: its bytes in lower case) has none of the words a
    request needs, in bytes that are its text as `_xing` would read it; such a mail (a
    newsletter, a notice) is dropped without parsing. Anything that could hide a word
    sends the mail through the full parse."""
    if any(word in text for word in _XING_WORDS) or any(sign in text for sign in _XING_HIDING):
        return False
    return all(_ASCII_CHARSET.match(text, found.start()) for found in _CHARSET.finditer(text))


def _too_complex(source: str, detail: str) -> SkippedRecord:
    return SkippedRecord(source=source, reason=f"message too complex ({detail})")


def _raw_header(items: Iterable[tuple[str, Any]], name: str) -> str:
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


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words the way policy `default` decodes a Subject."""
    if "=?" not in value:
        return value
    return str(_POLICY.header_factory("Subject", value))


_VIA_SUFFIX = re.compile(r"\s+(?:via|über)\s+LinkedIn\s*$", re.IGNORECASE)
_GENERIC_NAMES = frozenset({"", "linkedin", "linkedin invitations", "xing"})


def _display_name(from_value: str) -> str:
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
    name = _decode_words(display).strip()
    for _ in range(2):  # the suffix can sit inside or outside the quotes
        name = _VIA_SUFFIX.sub("", name).strip()
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\").strip()
    name = " ".join(name.split())
    return "" if name.casefold() in _GENERIC_NAMES else name


def _date(value: str) -> datetime | None:
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


def _bodies(message: Message) -> _Bodies:
    """The first inline text/plain and text/html parts, decoded, within the MIME limits.

    The tree is walked without recursion; depth and part count are checked before any
    part is used, because `Message.walk` recurses and the limits are the point.
    """
    plain: str | None = None
    html: str | None = None
    stack: list[tuple[Message, int]] = [(message, 0)]
    count = 0
    while stack:
        part, depth = stack.pop()
        count += 1
        if depth > MAX_MIME_DEPTH:
            raise _TooComplex(f"nested more than {MAX_MIME_DEPTH} levels")
        if count > MAX_MIME_PARTS:
            raise _TooComplex(f"more than {MAX_MIME_PARTS} parts")
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in reversed(payload))
            continue
        if part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = _decode_payload(part)
        elif kind == "text/html" and html is None:
            html = _decode_payload(part)
    return _Bodies(plain=(plain or "")[:MAX_BODY_CHARS], html=(html or "")[:MAX_BODY_CHARS])


def _decode_payload(part: Message) -> str:
    """Bytes of a text part (QP/base64 undone) as text, by its charset with fallbacks.

    ISO-8859-1 is read as cp1252 (as browsers do): latin-1 would turn 0x80–0x9F into C1
    controls (reliability.md C-3).
    """
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return _decode_text(data, part.get_content_charset())


def _decode_text(data: bytes, charset: str | None) -> str:
    charset = (charset or "utf-8").lower()
    if charset in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        charset = "cp1252"
    for candidate in (charset, "utf-8"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


#: Elements whose content is not text. An unclosed script or style hides the rest of the
#: document (as in a browser); an unclosed title hides nothing.
_HTML_SKIP = frozenset({"script", "style", "title"})
_HTML_PARAGRAPH = frozenset(
    {"p", "div", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
)
_HTML_LINE = frozenset({"br", "tr", "td", "th", "li"})
_TAG_NAME = re.compile(r"\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; NBSP is text


def html_to_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Text lines of an HTML body, never rendered (C-21), and its (href, link text) pairs.

    Tags are cut out first and only the text between them is unescaped, so an entity can
    never become a tag; the models and the display layer deal with what entities decode to
    (C1 controls, bidi overrides). A hand-written scan rather than `html.parser`: that
    parser is quadratic on crafted input in Python 3.11 (200 kB of `<!--a>` takes ~20 s),
    while every step here moves forward, so the cost is linear in the input.
    """
    chunks: list[str] = []
    links: list[tuple[str, str]] = []
    href: str | None = None
    link_text: list[str] = []
    position, size, next_close = 0, len(html), -1
    # Where the next </script>, </style>, </title> starts and ends (-1: none to the end);
    # remembered so that many unclosed elements do not rescan the rest again and again.
    end_tags: dict[str, tuple[int, int]] = {}

    def text(raw: str) -> None:
        if raw:
            value = unescape(_HTML_SPACE.sub(" ", raw))
            chunks.append(value)
            if href is not None:
                link_text.append(value)

    while position < size:
        opening = html.find("<", position)
        if opening < 0:
            text(html[position:])
            break
        text(html[position:opening])
        if html.startswith("<!--", opening):
            end = html.find("-->", opening + 4)
            position = size if end < 0 else end + 3
            continue
        follower = html[opening + 1 : opening + 2]
        if not follower or not (follower.isascii() and (follower.isalpha() or follower in "/!?")):
            text("<")  # "1 < 2": no tag starts here
            position = opening + 1
            continue
        if next_close <= opening:
            next_close = html.find(">", opening + 1)
            if next_close < 0:
                next_close = size
        inner_opening = html.find("<", opening + 1, next_close)
        if next_close >= size or inner_opening >= 0:
            # A `<` that opens no complete tag is text.
            stop = inner_opening if inner_opening >= 0 else size
            text(html[opening:stop])
            position = stop
            continue
        tag = html[opening + 1 : next_close]
        position = next_close + 1
        match = _TAG_NAME.match(tag)
        if match is None:
            continue  # <!DOCTYPE …>, <![endif]>, <?xml …?>
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name in _HTML_SKIP and not closing:
            start, end = end_tags.get(name, (-2, -2))
            if start != -1 and start < position:
                found_end = re.compile(rf"</\s*{name}\b", re.IGNORECASE).search(html, position)
                start = -1 if found_end is None else found_end.start()
                end = -1 if found_end is None else html.find(">", found_end.end())
                end_tags[name] = (start, end)
            if start >= 0 and end >= 0:
                position = end + 1
            elif name != "title":
                position = size
        elif name in _HTML_PARAGRAPH:
            chunks.append("\n\n")
        elif name in _HTML_LINE:
            chunks.append("\n")
        elif name == "a" and not closing:
            found = _HREF.search(tag)
            href = unescape(next(g for g in found.groups() if g is not None)) if found else ""
            link_text = []
        elif name == "a" and href is not None:
            links.append((href, " ".join("".join(link_text).split())))
            href = None
    lines = (line.strip() for line in "".join(chunks).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), links


# --- Profile URLs (shared with vcard.py) -------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


def profile_url(url: str) -> tuple[Platform, str] | None:
    """The canonical profile URL of a LinkedIn or XING member link, else None.

    `https://www.linkedin.com/comm/in/<slug>?trk=…` → `https://www.linkedin.com/in/<slug>`;
    `https://www.xing.com/profile/<Name>/cv?sc=…` → `https://www.xing.com/profile/<Name>`.
    The slug is kept as written (percent-encoding too), as in LinkedIn's own exports.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if _LINKEDIN_DOMAIN.search(host):
        if segments[:1] == ["comm"]:
            segments = segments[1:]
        if len(segments) >= 2 and segments[0] == "in":
            return Platform.LINKEDIN, f"https://www.linkedin.com/in/{segments[1]}"
    elif _XING_DOMAIN.search(host):
        if len(segments) >= 2 and segments[0] == "profile":
            return Platform.XING, f"https://www.xing.com/profile/{segments[1]}"
    return None


def platform_of_url(url: str) -> Platform | None:
    """LinkedIn or XING from a URL's host (any path), else None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if _LINKEDIN_DOMAIN.search(host):
        return Platform.LINKEDIN
    if _XING_DOMAIN.search(host):
        return Platform.XING
    return None


# --- Reading the body --------------------------------------------------------------------

_FOOTER = re.compile(
    r"^\s*(?:[.\-_=·─]{10,}|This email was intended for|Diese E-Mail (?:ist|war|wurde)"
    r"|You are receiving|Unsubscribe|Abbestellen|Abmelden)",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\s*(?:accept(?: invitation)?|annehmen|einladung annehmen|view profile"
    r"|profil (?:anzeigen|ansehen)|ignore|ignorieren|reply|antworten|anfrage ansehen"
    r"|view (?:invitation|request)|see all|alle anzeigen)\s*(?::.*)?$",
    re.IGNORECASE,
)
_VIEW_PROFILE = re.compile(r"^\s*(?:view profile|profil (?:anzeigen|ansehen))\b", re.IGNORECASE)
_MUTUAL = re.compile(
    r"^\s*(\d{1,6})\s+(?:mutual connections?|shared connections?|gemeinsame[rn]? Kontakte?"
    r"|gemeinsame Verbindungen|gemeinsame Verbindung)\s*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|hallo|liebe[rs]?|guten tag|sehr geehrte[rs]?|moin|servus"
    r"|bonjour|hola|ciao)\b[^,\n]{0,60},\s*",
    re.IGNORECASE,
)
_ANNOUNCEMENT = re.compile(
    r"(?:is waiting for your response|wartet auf Ihre Antwort|wartet auf deine Antwort"
    r"|möchte sich mit (?:Ihnen|dir|Dir) vernetzen|wants to connect|would like to connect"
    r"|has invited you to connect|would like to join your LinkedIn network"
    r"|wants to join your LinkedIn network|has sent you a message|hat Ihnen eine Nachricht"
    r"|möchte Ihrem LinkedIn-Netzwerk beitreten|hat Sie eingeladen|hat dich eingeladen"
    r"|you have an invitation|sie haben eine einladung|du hast eine einladung)",
    re.IGNORECASE,
)
_INVITATION_ID = re.compile(r"invitationId=([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
_QUOTES = (
    ("„", "“"),
    ("„", "”"),
    ("“", "”"),
    ('"', '"'),
    ("«", "»"),
    ("»", "«"),
    ("‚", "‘"),
    ("‘", "’"),
    ("'", "'"),
)


def _by_line(function: Callable[[str], str]) -> Callable[[str], str]:
    """`function` remembering its results for short texts: the lines of notification mails
    recur from mail to mail (stock phrases, labels, footers), and each is compared often."""
    memory: dict[str, str] = {}

    def remembering(text: str) -> str:
        found = memory.get(text)
        if found is None:
            found = function(text)
            if len(text) <= 500:
                if len(memory) >= 4096:
                    memory.clear()
                memory[text] = found
        return found

    return functools.update_wrapper(remembering, function)


@_by_line
def _norm(text: str) -> str:
    """Compare-form: casefolded, typographic apostrophes plain, hyphens and space collapsed."""
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("-", " ")
    return " ".join(text.split())


_STOCK = frozenset(
    _norm(s).rstrip(".!")
    for s in (
        "I'd like to join your LinkedIn network",
        "I would like to join your LinkedIn network",
        "I'd like to add you to my professional network on LinkedIn",
        "I would like to add you to my professional network on LinkedIn",
        "I'd like to connect with you on LinkedIn",
        "I'd like to connect",
        "I want to connect",
        "Ich möchte Ihrem LinkedIn-Netzwerk beitreten",
        "Ich möchte deinem LinkedIn-Netzwerk beitreten",
        "Ich möchte mich Ihrem LinkedIn-Netzwerk anschließen",
        "Ich möchte mich deinem LinkedIn-Netzwerk anschließen",
        "Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen",
        "Ich möchte dich gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen",
        "Ich möchte Sie zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen",
        "Ich möchte dich zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen",
        "Ich möchte mich mit Ihnen auf LinkedIn vernetzen",
        "Ich möchte mich mit dir auf LinkedIn vernetzen",
        "Ich möchte mich gerne mit Ihnen auf LinkedIn vernetzen",
        "Ich möchte mich gerne mit dir auf LinkedIn vernetzen",
        "Ich würde mich gerne mit Ihnen auf LinkedIn vernetzen",
        "Ich würde mich gerne mit dir auf LinkedIn vernetzen",
        "Ich möchte mich mit Ihnen vernetzen",
        "Ich möchte mich mit dir vernetzen",
    )
)


def _is_stock(text: str, name: str) -> bool:
    """True for LinkedIn's canned invitation text, with or without greeting and signature."""
    norm = _without_greeting(text)
    for signature in _signatures(name):
        if signature:
            norm = _without_signature(norm, signature)
    return norm.rstrip(" .!") in _STOCK


@_by_line
def _without_greeting(text: str) -> str:
    """`_norm` of a line without a leading greeting ("Hi Mira,")."""
    return _norm(_GREETING.sub("", text.strip(), count=1))


@functools.lru_cache(maxsize=256)
def _signatures(name: str) -> tuple[str, str]:
    """The name as a signature under a note: in full, and its first word."""
    full = _norm(name)
    return full, (full.split(" ")[0] if name else "")


def _without_signature(norm: str, signature: str) -> str:
    """`norm` without `signature` at its end, nor the space and dash before it.

    What `re.sub(rf"\\s*[-–—]?\\s*{re.escape(signature)}\\s*$", "", norm)` does on a `_norm`
    result (single spaces, none at either end), without compiling a pattern per name.
    """
    if not norm.endswith(signature):
        return norm
    head = norm[: len(norm) - len(signature)].rstrip()
    if head.endswith(("-", "–", "—")):
        head = head[:-1].rstrip()
    return head


def _unquote(text: str) -> str:
    text = text.strip()
    for opening, closing in _QUOTES:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)].strip()
    return text


def _lines(text: str) -> list[str]:
    """Lines of a body up to the footer; str.splitlines would also split on U+2028."""
    lines: list[str] = []
    for line in re.split(r"\r\n|\n|\r", text):
        if _FOOTER.match(line):
            break
        lines.append(line.rstrip())
    return lines


# A line that is a link, perhaps after a short label ("Accept: https://…"); a URL inside a
# sentence of the note is the sender's text.
_LINK_LINE = re.compile(r"^\s*(?:[^:\n]{1,40}:\s*)?<?https?://\S+>?\s*$", re.IGNORECASE)


def _is_stop(line: str) -> bool:
    """A line that ends the note: a link line, a button label or the footer."""
    return bool(_LINK_LINE.match(line) or _LABEL.match(line) or _FOOTER.match(line))


def _paragraph_after(lines: list[str], start: int) -> str:
    """The text from the first non-empty line at or after `start` up to a link or label."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    taken: list[str] = []
    while index < len(lines) and not _is_stop(lines[index]):
        taken.append(lines[index])
        index += 1
    return "\n".join(taken).strip()


@dataclass
class _Inviter:
    found: bool = False
    headline: str = ""
    note: str = ""
    mutual: int | None = None


def _read_linkedin_text(lines: list[str], name: str, *, from_html: bool) -> _Inviter:
    """Headline, note and mutual count from the inviter's block of a LinkedIn body (its
    `_lines`).

    The block starts at the line that is exactly the inviter's name; the headline is the
    line right after it (the next non-empty one for HTML, whose layout adds blank lines).
    Only the part above the footer is read: the footer names the *receiver* (the trap).
    """
    key = _norm(name)
    start = next((i for i, line in enumerate(lines) if _norm(line) == key), None)
    if start is None or not key:
        return _Inviter()
    result = _Inviter(found=True)
    index = start + 1
    if from_html:
        while index < len(lines) and not lines[index].strip():
            index += 1
    if index < len(lines):
        candidate = lines[index].strip()
        mutual = _MUTUAL.match(candidate)
        if candidate and not mutual and not _is_stop(candidate) and not _is_stock(candidate, name):
            result.headline = candidate
            index += 1
    # The rest of the name block: the mutual count, perhaps a location; then the note.
    while index < len(lines) and lines[index].strip() and not _is_stop(lines[index]):
        mutual = _MUTUAL.match(lines[index])
        if mutual:
            result.mutual = int(mutual.group(1))
        index += 1
    note = _unquote(_paragraph_after(lines, index))
    if not note:
        note = _note_before_name(lines[:start], name)
    result.note = "" if _is_stock(note, name) else note
    return result


def _note_before_name(lines: list[str], name: str) -> str:
    """A note written above the name block (older layout): after the greeting, without
    LinkedIn's announcement and stock lines."""
    greeting = next((i for i, line in enumerate(lines) if _GREETING.match(line)), None)
    if greeting is None:
        return ""
    kept: list[str] = []
    key = _norm(name)
    for number, line in enumerate(lines[greeting:]):
        if number == 0:
            line = _GREETING.sub("", line, count=1)
        if _is_stop(line) or _ANNOUNCEMENT.search(line) or _is_stock(line, name):
            continue
        if key and _norm(line).startswith(key):
            continue
        kept.append(line)
    return _unquote("\n".join(kept).strip())


def _name_from_text(*texts: str) -> str:
    """The inviter's name from an announcement line ("X is waiting for your response")."""
    for text in texts:
        for line in re.split(r"\r\n|\n|\r", text):
            match = _ANNOUNCEMENT.search(line)
            if match and match.start() > 0:
                name = _GREETING.sub("", line[: match.start()]).strip(" ,:")
                if 0 < len(name) <= 120:
                    return name
    return ""


class _Html:
    """The HTML body as text lines and links, converted when first asked for: the plain
    body usually answers everything, and the conversion is a good part of a mail's time."""

    __slots__ = ("_html", "_converted")

    def __init__(self, html: str) -> None:
        self._html = html
        self._converted: tuple[str, list[tuple[str, str]]] | None = None

    def _convert(self) -> tuple[str, list[tuple[str, str]]]:
        if self._converted is None:
            self._converted = html_to_text(self._html) if self._html else ("", [])
        return self._converted

    @property
    def text(self) -> str:
        return self._convert()[0]

    @property
    def links(self) -> list[tuple[str, str]]:
        return self._convert()[1]


def _profile_link(lines: list[str], html: _Html, name: str, platform: Platform) -> str | None:
    """The inviter's profile: in the plain body (its `_lines`) the "View profile" link, else
    the first member link above the footer; in HTML only a link whose text is the name or a
    view-profile label, because the HTML header also links the receiver's own profile."""
    labelled = [line for line in lines if _VIEW_PROFILE.match(line)]
    for line in labelled + lines:
        for url in _URL.findall(line):
            found = profile_url(url)
            if found and found[0] is platform:
                return found[1]
    key = _norm(name)
    for href, label in html.links:
        if _norm(label) == key or _VIEW_PROFILE.match(label):
            found = profile_url(href)
            if found and found[0] is platform:
                return found[1]
    return None


def _linkedin(
    display: str, subject: str, bodies: _Bodies, received: datetime, source: str
) -> AnyRecord | None:
    html = _Html(bodies.html)
    name = display or _name_from_text(subject, bodies.plain) or _name_from_text(html.text)
    if not name:
        return SkippedRecord(source=source, reason="LinkedIn invitation without the inviter's name")
    plain_lines = _lines(bodies.plain)
    inviter = _read_linkedin_text(plain_lines, name, from_html=False)
    if not inviter.found and html.text:
        inviter = _read_linkedin_text(_lines(html.text), name, from_html=True)
    ids = _INVITATION_ID.findall(bodies.plain) or [
        match for href, _ in html.links for match in _INVITATION_ID.findall(href)
    ]
    return RequestRecord(
        source=source,
        platform=Platform.LINKEDIN,
        name=name,
        headline=inviter.headline,
        message=inviter.note,
        mutual_contacts=inviter.mutual,
        profile_url=_profile_link(plain_lines, html, name, Platform.LINKEDIN),
        invitation_id=ids[0] if ids else None,
        received_at=received,
    )


# --- XING --------------------------------------------------------------------------------

_XING_REQUEST_SUBJECT = re.compile(
    r"vernetzen|kontaktanfrage\b|contact request\b|wants to connect|would like to connect"
    r"|als Kontakt hinzufügen|wants to add you",
    re.IGNORECASE,
)
# Accepted/confirmed requests (ours), digests of several requests, birthdays: not requests.
_XING_NOT_REQUEST = re.compile(
    r"bestätigt|angenommen|akzeptiert|accepted|confirmed|kontaktanfragen|contact requests"
    r"|geburtstag|birthday",
    re.IGNORECASE,
)
_XING_VERB = (
    r"(?:hat (?:Dir|dir|Ihnen|dich|Sie) eine Kontaktanfrage|möchte sich mit (?:Dir|dir|Ihnen)"
    r"|möchte (?:Dich|dich|Sie) als Kontakt|has sent you a contact request"
    r"|wants to connect|would like to connect|wants to add you)"
)
_XING_INTRO = re.compile(
    rf"^(?P<name>[^()\n]{{1,120}}?)\s*\((?P<paren>[^()]{{0,300}})\)\s*{_XING_VERB}", re.IGNORECASE
)
_XING_INTRO_PLAIN = re.compile(rf"^(?P<name>[^()\n]{{1,120}}?)\s+{_XING_VERB}", re.IGNORECASE)


def _paragraphs(text: str) -> list[str]:
    """The blank-line separated paragraphs of a body, as written."""
    blocks = re.split(r"\n[ \t]*\n", re.sub(r"\r\n?", "\n", text))
    return [block.strip() for block in blocks if block.strip()]


def _split_position(paren: str) -> tuple[str, str]:
    """Split `Position, Company` (or `Position bei Company`) into position and company."""
    if ", " in paren:
        position, _, company = paren.rpartition(", ")
        return position.strip(), company.strip()
    for word in (" bei ", " at "):
        if word in paren:
            position, _, company = paren.rpartition(word)
            return position.strip(), company.strip()
    return paren.strip(), ""


_OPENING_QUOTES = frozenset('„“"»«‚‘')
_CLOSING_QUOTES = frozenset('“”"«»‘’')


def _xing_note(paragraphs: list[str]) -> str:
    """The quoted note: paragraphs from one opening with a quote to one ending with one."""
    if not paragraphs or paragraphs[0][0] not in _OPENING_QUOTES:
        return ""
    for end, paragraph in enumerate(paragraphs):
        if paragraph[-1] in _CLOSING_QUOTES and (end > 0 or len(paragraph) > 1):
            return _unquote("\n\n".join(paragraphs[: end + 1]))
    return ""


def _xing(subject: str, bodies: _Bodies, received: datetime, source: str) -> AnyRecord | None:
    """A XING contact request, or None for XING's other mail.

    "Name (Position, Company) hat Dir eine Kontaktanfrage geschickt" is specific enough
    anywhere in the body; a bare "Name möchte sich … vernetzen" only counts when the subject
    is a request too, so "See who wants to connect" in a newsletter is no person.
    """
    if _XING_NOT_REQUEST.search(subject):
        return None
    requested = _XING_REQUEST_SUBJECT.search(subject) is not None
    html = _Html(bodies.html)
    name = headline = company = note = ""
    for from_html in (False, True):
        paragraphs = _paragraphs(html.text if from_html else bodies.plain)
        for number, paragraph in enumerate(paragraphs):
            # Plain bodies may wrap the intro sentence: match it on one line.
            intro = _GREETING.sub("", " ".join(paragraph.split()), count=1)
            match = _XING_INTRO.match(intro)
            if match is None and requested:
                match = _XING_INTRO_PLAIN.match(intro)
            if match is not None:
                name = match.group("name").strip()
                if "paren" in match.groupdict():
                    headline, company = _split_position(match.group("paren"))
                note = _xing_note(paragraphs[number + 1 :])
                break
        if name:
            break
    if not name and requested:
        subject_match = _XING_INTRO_PLAIN.match(subject)
        if subject_match is None:
            return SkippedRecord(source=source, reason="XING contact request without a name")
        name = subject_match.group("name").strip()
    if not name:
        return None  # a newsletter, a message notice, …
    return RequestRecord(
        source=source,
        platform=Platform.XING,
        name=name,
        headline=headline,
        company=company,
        message=note,
        profile_url=_profile_link(_lines(bodies.plain), html, name, Platform.XING),
        received_at=received,
    )
