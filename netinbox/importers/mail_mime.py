"""One message's MIME: its top headers and its first plain and HTML bodies, decoded.

The standard library's `email` with policy `default` in all it does, made cheap for the
shapes notification mails have: parsed headers are reused (`_ParsedHeaders`), and a simply
built mail is read without the feed parser (`simple_tree`, `simple_mail`), giving what the
parser would; the tests hold both paths to the same results. The MIME limits of
`importers.base` are checked before any part is used (docs/reliability.md C-20).
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from itertools import pairwise
from typing import Any, cast

from netinbox.importers.base import MAX_MIME_DEPTH, MAX_MIME_PARTS
from netinbox.importers.decoding import decode_labelled

#: Only the start of a body is read: everything an invitation says is near the top, and
#: the text scans must stay cheap on a hostile 25 MB body.
MAX_BODY_CHARS = 1_000_000


class TooComplex(Exception):
    """The message exceeds a MIME limit; the text says which (docs/reliability.md, C-20)."""


@dataclass
class Bodies:
    plain: str
    html: str


class _ParsedHeaders(HeaderRegistry):
    """policy `default`'s header registry, remembering what it parsed.

    `Message.get` parses a header anew on every call, through a header class it builds
    anew each time, and the feed parser and `message_bodies` ask for the same Content-Type about a
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
POLICY = _Policy(header_factory=_ParsedHeaders())

# --- The message tree of a simply built mail ----------------------------------------------
#
# The standard feed parser walks a message line by line in Python; for an invitation that is
# a third of the time spent on it. `simple_tree` builds the same tree (the same message
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
            items.append(POLICY.header_source_parse(header))
        header = [line]
    items.append(POLICY.header_source_parse(header))
    return items, text[end + 2 :]


def _simple_part(text: str) -> tuple[Message, str] | None:
    """A message with the headers of `text` set as the parser sets them, and the text after
    the empty line that ends them; None unless every header line is a plain one."""
    parsed = _header_lines(text)
    if parsed is None:
        return None
    message = EmailMessage(policy=POLICY)  # the policy's message_factory, as in the parser
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


def simple_tree(raw: bytes) -> Message | None:
    """What `BytesParser(policy=POLICY).parsebytes(raw)` returns, for a simply built mail
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
# For the same shapes, `simple_mail` gives what the importer reads off the tree (the top
# headers' `raw_items` and `message_bodies`) without building it: each part's type, charset,
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
        message = EmailMessage(policy=POLICY)
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
class Mail:
    headers: list[tuple[str, str]]  # the top message's `raw_items()`
    bodies: Bodies


class _NotSimple(Exception):
    """A part `simple_mail` leaves to the tree."""


def simple_mail(raw: bytes) -> Mail | None:
    """The top headers and the bodies of a simply built mail (`simple_tree`'s shapes,
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
    return Mail(items, Bodies((plain or "")[:MAX_BODY_CHARS], (html or "")[:MAX_BODY_CHARS]))


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
    if bounds is None or len(bounds) > MAX_MIME_PARTS:  # `message_bodies` counts the top too
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
    return decode_labelled(data, [kind.charset or "utf-8"])


def message_bodies(message: Message) -> Bodies:
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
            raise TooComplex(f"nested more than {MAX_MIME_DEPTH} levels")
        if count > MAX_MIME_PARTS:
            raise TooComplex(f"more than {MAX_MIME_PARTS} parts")
        payload = part.get_payload()
        if isinstance(payload, list):
            children = cast(list[Message], payload)  # a multipart's parts are messages
            stack.extend((child, depth + 1) for child in reversed(children))
            continue
        if part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = _decode_payload(part)
        elif kind == "text/html" and html is None:
            html = _decode_payload(part)
    return Bodies(plain=(plain or "")[:MAX_BODY_CHARS], html=(html or "")[:MAX_BODY_CHARS])


def _decode_payload(part: Message) -> str:
    """Bytes of a text part (QP/base64 undone) as text, by its charset with fallbacks.

    ISO-8859-1 is read as cp1252 (as browsers do): latin-1 would turn 0x80–0x9F into C1
    controls (docs/reliability.md, C-3).
    """
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode_labelled(data, [part.get_content_charset() or "utf-8"])


def read_mail(raw: bytes) -> Mail:
    """The top headers and the bodies of a message: without the parser for a simply built
    mail (`simple_mail`, `simple_tree`), else through the standard parser with `POLICY`.
    Raises what the parser and `message_bodies` raise (`TooComplex`, RecursionError, …)."""
    mail = simple_mail(raw)
    if mail is None:
        message = simple_tree(raw) or BytesParser(policy=POLICY).parsebytes(raw)
        mail = Mail(list(message.raw_items()), message_bodies(message))
    return mail
