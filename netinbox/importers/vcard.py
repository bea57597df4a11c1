"""vCard 2.1, 3.0 and 4.0 files: one person per card (docs/formats.md, "vCard"; C-22).

XING has offered nothing but single vCards since 2014, and its old 2.1 cards mix
`CHARSET=ISO-8859-1` properties with unlabelled UTF-8 or Latin-1 ones. So the file is
parsed as bytes and every property is decoded on its own: quoted-printable first, then
its CHARSET, else UTF-8, else cp1252.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from pydantic import ValidationError

from netinbox.i18n import _
from netinbox.identity import canonical_profile_url, platform_of_url
from netinbox.importers.base import MAX_FIELD_CHARS, BadInput, ImportContext
from netinbox.importers.decoding import decode_labelled
from netinbox.models import AnyRecord, Platform, RequestRecord, SkippedRecord

_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_USED = frozenset({"FN", "N", "ORG", "TITLE", "URL", "X-SOCIALPROFILE", "NOTE", "REV"})


@dataclass
class _Property:
    """One content line: `[group.]NAME;PARAM=…:value`, value still as bytes."""

    name: str
    params: dict[str, list[str]]
    value: bytes

    def param(self, key: str) -> list[str]:
        return self.params.get(key, [])


@dataclass
class _Card:
    number: int
    properties: list[_Property] = field(default_factory=list)

    def first(self, name: str) -> _Property | None:
        return next((p for p in self.properties if p.name == name), None)


def _to_utf8(path: Path, data: bytes) -> tuple[bytes, bool]:
    """The bytes to parse, and whether they were transcoded from UTF-16 (then every value
    is UTF-8 whatever its CHARSET says). Raises BadInput for broken UTF-16.

    UTF-16 comes with a BOM (Windows "Unicode" export) or, without one, shows as a NUL in
    every other byte. Other stray NULs are left to the models, which drop them.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], False
    encoding = None
    head = data[:256]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(head) >= 8 and head[1::2].count(0) > len(head) * 0.4:
        encoding = "utf-16-le"
    elif len(head) >= 8 and head[0::2].count(0) > len(head) * 0.4:
        encoding = "utf-16-be"
    if encoding:
        try:
            return data.decode(encoding).encode("utf-8"), True
        except UnicodeDecodeError as exc:
            raise BadInput(
                path, _("not decodable as UTF-16 (%(reason)s)") % {"reason": exc.reason}
            ) from exc
    return data, False


def _content_lines(data: bytes) -> Iterator[bytes]:
    """Logical lines: folded lines (line break + space or tab) joined, and a 2.1
    quoted-printable value continued after a soft line break (`=` at the line end).

    Pieces are collected in a list and joined once: a folded 10 MB PHOTO is 100,000
    pieces, and `bytes +=` would copy the growing value each time.
    """
    pieces: list[bytes] = []
    qp = False
    for line in _LINE_BREAK.split(data):
        if pieces and qp and pieces[-1].endswith(b"="):
            # The soft break first: after `=` a leading space is value text, not folding.
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
            continue
        if pieces and line[:1] in (b" ", b"\t"):
            pieces.append(line[1:])
            continue
        if pieces:
            yield b"".join(pieces)
        pieces = [line]
        qp = _is_qp(line)
    if pieces:
        yield b"".join(pieces)


def _is_qp(line: bytes) -> bool:
    """True when the first line of a property names quoted-printable before its value."""
    colon = line.find(b":")
    return colon > 0 and b"QUOTED-PRINTABLE" in line[:colon].upper()


def _parse_line(line: bytes) -> _Property | None:
    """Split a content line into name, parameters and value; None for a malformed line."""
    head_end = _value_start(line)
    if head_end is None:
        return None
    head = line[:head_end].decode("latin-1")
    value = line[head_end + 1 :]
    parts = _split_unquoted(head, ";")
    name = parts[0].rsplit(".", 1)[-1].strip().upper()  # drop a group prefix (item1.URL)
    if not name:
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        if not sep:
            # vCard 2.1 bare parameters: `QUOTED-PRINTABLE`, `WORK`, `INTERNET`
            bare = key.strip().upper()
            key, raw = (
                ("ENCODING" if bare in ("QUOTED-PRINTABLE", "BASE64", "8BIT") else "TYPE"),
                bare,
            )
        values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    return _Property(name=name, params=params, value=value)


def _value_start(line: bytes) -> int | None:
    """Index of the colon that ends the name and parameters (not one inside quotes)."""
    colon = line.find(b":")
    if colon < 0:
        return None
    if b'"' not in line[:colon]:
        return colon  # the common case, without a byte-by-byte walk
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return None


def _split_unquoted(text: str, separator: str) -> list[str]:
    """Split at `separator` outside double quotes (parameter values may be quoted)."""
    if '"' not in text:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _cards(data: bytes) -> Iterator[_Card]:
    """The cards of a file in order; an AGENT card nested inside a card is ignored."""
    card: _Card | None = None
    depth = 0
    number = 0
    for line in _content_lines(data):
        if not line.strip():
            continue
        prop = _parse_line(line)
        if prop is None:
            continue
        marker = prop.value.strip().upper()
        if prop.name == "BEGIN" and marker == b"VCARD":
            depth += 1
            if depth == 1:
                number += 1
                card = _Card(number)
            continue
        if prop.name == "END" and marker == b"VCARD":
            depth = max(depth - 1, 0)
            if depth == 0 and card is not None:
                yield card
                card = None
            continue
        if card is not None and depth == 1 and prop.name in _USED:
            card.properties.append(prop)
    if card is not None:
        yield card  # a last card without END:VCARD: keep what it says


def _decode(prop: _Property, transcoded: bool) -> str:
    """The property value as text: quoted-printable undone, then decoded by its charset.

    ISO-8859-1 is read as cp1252, as browsers do: latin-1 would turn 0x80–0x9F into C1
    controls (docs/reliability.md, C-3).
    """
    raw = prop.value
    encoding = {v.upper() for v in prop.param("ENCODING")}
    try:
        if "QUOTED-PRINTABLE" in encoding:
            raw = binascii.a2b_qp(raw)
        elif encoding & {"B", "BASE64"}:  # some 2.1 writers base64 a non-ASCII name
            raw = binascii.a2b_base64(raw)
    except binascii.Error:
        pass  # keep the value as written
    if transcoded:
        return raw.decode("utf-8", errors="replace")
    return decode_labelled(raw, prop.param("CHARSET"))


def _unescape(text: str) -> str:
    r"""Undo `\n \N \, \; \\` (and `\:`); an unknown escape stays as written."""

    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char in "nN":
            return "\n"
        if char in ",;:\\":
            return char
        return match.group(0)

    return re.sub(r"\\(.)", replace, text)


_COMPONENT_TOKEN = re.compile(r"\\.|\\$|;|[^\\;]+", re.DOTALL)


def _components(text: str) -> list[str]:
    """Split a structured value (N, ORG) at unescaped semicolons, then unescape.

    Tokenised, not split with a look-behind: in `A\\;B` the semicolon does separate.
    """
    parts: list[str] = []
    current: list[str] = []
    for token in _COMPONENT_TOKEN.findall(text):
        if token == ";":
            parts.append(_unescape("".join(current)))
            current = []
        else:
            current.append(token)
    parts.append(_unescape("".join(current)))
    return parts


def _name(card: _Card, transcoded: bool) -> str:
    """FN, else the name built from N (family;given;additional;prefix;suffix)."""
    full = card.first("FN")
    if full is not None:
        name = " ".join(_unescape(_decode(full, transcoded)).split())
        if name:
            return name
    structured = card.first("N")
    if structured is None:
        return ""
    parts = [
        " ".join(p.replace(",", " ").split()) for p in _components(_decode(structured, transcoded))
    ]
    parts += [""] * (5 - len(parts))
    family, given, additional, prefix, suffix = parts[:5]
    name = " ".join(p for p in (prefix, given, additional, family) if p)
    return f"{name}, {suffix}" if name and suffix else name


def _text(card: _Card, name: str, transcoded: bool) -> str:
    prop = card.first(name)
    return _unescape(_decode(prop, transcoded)).strip() if prop is not None else ""


def _profile(card: _Card, transcoded: bool, wanted: Platform | None) -> tuple[Platform, str | None]:
    """The platform and profile URL: the card's link to the wanted platform's profile, else
    its first LinkedIn/XING profile link, else (for "other") its first web link."""
    urls: list[str] = []
    for prop in card.properties:
        if prop.name in ("URL", "X-SOCIALPROFILE"):
            url = _unescape(_decode(prop, transcoded)).strip()
            if url:
                urls.append(url)
    profiles = [found for url in urls if (found := canonical_profile_url(url)) is not None]
    for platform, url in profiles:
        if platform is wanted:
            return platform, url
    if profiles:
        return profiles[0]
    for url in urls:
        host_platform = platform_of_url(url)
        if host_platform is not None:
            return host_platform, None  # e.g. a company page: the platform, not a profile
    platform = wanted or Platform.OTHER
    if platform is Platform.OTHER:
        web = next((u for u in urls if u.lower().startswith(("http://", "https://"))), None)
        return platform, web
    return platform, None


_REV = re.compile(
    r"^(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2}))?(?:[.,]\d+)?"
    r"(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


def _rev(value: str, zone: tzinfo) -> datetime | None:
    """REV as an aware UTC time; a time without zone is read in the user's zone."""
    match = _REV.match(value.strip())
    if match is None:
        return None
    try:
        day = date(int(match["y"]), int(match["mo"]), int(match["d"]))
        clock = time(int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0))
    except ValueError:
        return None
    if not 1970 <= day.year <= 2200:
        return None  # a placeholder year, not a revision date
    when = datetime.combine(day, clock)
    offset = match["z"]
    if offset == "Z":
        return when.replace(tzinfo=UTC)
    if offset:
        digits = offset[1:].replace(":", "").ljust(4, "0")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
        return (when - shift if offset[0] == "+" else when + shift).replace(tzinfo=UTC)
    return when.replace(tzinfo=zone).astimezone(UTC)


def _file_time(path: Path) -> datetime:
    """The file's modification time: a card has no request date, and this one is stable
    across re-imports of the same file (unlike the import time)."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, OverflowError, ValueError):
        # Not on disk (handed over from an archive): today, at midnight, is the best guess.
        return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _record(
    card: _Card, source: str, transcoded: bool, ctx: ImportContext, fallback: datetime
) -> AnyRecord:
    too_long = next((p.name for p in card.properties if len(p.value) > MAX_FIELD_CHARS), None)
    if too_long is not None:
        return SkippedRecord(
            source=source,
            reason=_("vCard field %(too_long)s longer than %(max_field_chars)s characters")
            % {"too_long": too_long, "max_field_chars": MAX_FIELD_CHARS},
        )
    name = _name(card, transcoded)
    if not name:
        return SkippedRecord(source=source, reason=_("vCard without a name (no FN or N)"))
    org = card.first("ORG")
    company = _components(_decode(org, transcoded))[0].strip() if org is not None else ""
    platform, url = _profile(card, transcoded, ctx.platform)
    received = _rev(_text(card, "REV", transcoded), ctx.tz) or fallback
    try:
        return RequestRecord(
            source=source,
            platform=platform,
            name=name,
            headline=" ".join(_text(card, "TITLE", transcoded).split()),
            company=company,
            message=_text(card, "NOTE", transcoded),
            profile_url=url,
            received_at=received,
        )
    except ValidationError as exc:
        from netinbox.words import record_problem

        problem = record_problem(exc.errors()[0]) if exc.errors() else _("not a valid value")
        return SkippedRecord(
            source=source, reason=_("vCard not usable (%(problem)s)") % {"problem": problem}
        )


def read_vcards(path: Path, data: bytes, ctx: ImportContext) -> Iterator[AnyRecord]:
    """One record per card; `source` is "<file name>#<card n>".

    Raises BadInput before yielding anything when the file is not decodable or holds no
    card, so a wrong file is reported as such rather than as an empty import.
    """
    text, transcoded = _to_utf8(path, data)
    if not re.search(rb"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD", text, re.IGNORECASE | re.MULTILINE):
        raise BadInput(path, _("no vCard in this file (no BEGIN:VCARD line)"))
    ctx.read(len(data))
    fallback = _file_time(path)
    for card in _cards(text):
        yield _record(card, f"{path.name}#{card.number}", transcoded, ctx, fallback)
