"""A XING contact request mail → one request, and the cheap test that drops XING's other
mail (newsletters, notices) before it is parsed. The wording is German or English:
"Name (Position, Company) hat Dir eine Kontaktanfrage geschickt", then perhaps a quoted
note (docs/formats.md, "Notification e-mails")."""

from __future__ import annotations

import re
from datetime import datetime

from netinbox.i18n import _
from netinbox.importers.mail_mime import Bodies
from netinbox.importers.mail_text import (
    GREETING,
    Html,
    body_lines,
    paragraphs_of,
    profile_link,
    unquoted,
)
from netinbox.models import AnyRecord, Platform, RequestRecord, SkippedRecord

# --- XING mail that cannot be a request --------------------------------------------------

# `xing_record` finds a request only through words of `_XING_REQUEST_SUBJECT` in the subject or
# of `_XING_VERB` in a body; each alternative there contains one of these (ASCII, without
# the letters i, k and s, which `re.IGNORECASE` also matches to ı, İ, K and ſ).
# The last four are a message notification's (`mail_messages`): "Nachricht", "sent you a
# message", "new message from", "messaged you".
_XING_WORDS = (
    *(b"anfrage", b"chte", b"contact", b"connect", b"add", b"vernetzen", b"nzuf"),
    *(b"nachr", b"you a ", b"new me", b"ed you"),
)
# What could turn other bytes into those words on the way to the text `xing_record` reads
# (encoded words, transfer encodings, HTML entities and tags, UTF-16/32), or make the full
# parse end in a SkippedRecord rather than None (parts past the MIME limits).
_XING_HIDING = (b"=?", b"quoted-printable", b"base64", b"uue", b"html", b"\x00", b"multipart")
_CHARSET = re.compile(rb"charset")
# Charsets in which those ASCII letters are the same bytes as in the text.
_ASCII_CHARSET = re.compile(
    rb'charset[ \t]*=[ \t]*"?(?:us-ascii|ascii|utf-8|utf8|iso-8859-1|iso-8859-15|latin-?1'
    rb'|windows-1252|cp1252)"?(?![^;\s])'
)


def cannot_be_xing(text: bytes) -> bool:
    """True when a XING mail (`text`: its bytes in lower case) has none of the words a
    request needs, in bytes that are its text as `xing_record` would read it; such a mail (a
    newsletter, a notice) is dropped without parsing. Anything that could hide a word
    sends the mail through the full parse."""
    if any(word in text for word in _XING_WORDS) or any(sign in text for sign in _XING_HIDING):
        return False
    return all(_ASCII_CHARSET.match(text, found.start()) for found in _CHARSET.finditer(text))


# --- A contact request -------------------------------------------------------------------

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
            return unquoted("\n\n".join(paragraphs[: end + 1]))
    return ""


def xing_record(subject: str, bodies: Bodies, received: datetime, source: str) -> AnyRecord | None:
    """A XING contact request, or None for XING's other mail.

    "Name (Position, Company) hat Dir eine Kontaktanfrage geschickt" is specific enough
    anywhere in the body; a bare "Name möchte sich … vernetzen" only counts when the subject
    is a request too, so "See who wants to connect" in a newsletter is no person.
    """
    if _XING_NOT_REQUEST.search(subject):
        return None
    requested = _XING_REQUEST_SUBJECT.search(subject) is not None
    html = Html(bodies.html)
    name = headline = company = note = ""
    for from_html in (False, True):
        paragraphs = paragraphs_of(html.text if from_html else bodies.plain)
        for number, paragraph in enumerate(paragraphs):
            # Plain bodies may wrap the intro sentence: match it on one line.
            intro = GREETING.sub("", " ".join(paragraph.split()), count=1)
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
            return SkippedRecord(source=source, reason=_("XING contact request without a name"))
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
        profile_url=profile_link(body_lines(bodies.plain), html, name, Platform.XING),
        received_at=received,
    )
