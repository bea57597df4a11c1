"""A LinkedIn invitation mail → one request: the inviter's name (From header, else the
announcement line), headline, personal note (LinkedIn's stock sentences are no note),
mutual contacts, profile link and invitation id. English and German wordings; the footer
names the *receiver*, so it is never read (docs/formats.md, "Notification e-mails")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from netinbox.i18n import _
from netinbox.importers.mail_mime import Bodies
from netinbox.importers.mail_text import (
    GREETING,
    Html,
    body_lines,
    by_line,
    compare_form,
    is_stop,
    paragraph_after,
    profile_link,
    unquoted,
)
from netinbox.models import AnyRecord, InvitationKind, Platform, RequestRecord, SkippedRecord

_MUTUAL = re.compile(
    r"^\s*(\d{1,6})\s+(?:mutual connections?|shared connections?|gemeinsame[rn]? Kontakte?"
    r"|gemeinsame Verbindungen|gemeinsame Verbindung)\s*$",
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
# Invitations that are not a person's contact request, as their subject (or the body's
# first lines) words them: "Ana invited you to subscribe to Privacy Weekly", "Ana hat Sie
# eingeladen, Datenwerk GmbH zu folgen". English and German (Sie and du).
_INVITED_TO: tuple[tuple[re.Pattern[str], InvitationKind], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"^(?P<who>.+?) (?:has )?invited you to follow (?P<what>.+?)[.!]?$", InvitationKind.PAGE),
        (
            r"^(?P<who>.+?) (?:has )?invited you to subscribe to (?:the newsletter )?"
            r"(?P<what>.+?)[.!]?$",
            InvitationKind.NEWSLETTER,
        ),
        (
            r"^(?P<who>.+?) (?:has )?invited you to attend (?:the event )?(?P<what>.+?)[.!]?$",
            InvitationKind.EVENT,
        ),
        (
            r"^(?P<who>.+?) (?:has )?invited you to join (?:the group )?(?P<what>.+?)[.!]?$",
            InvitationKind.GROUP,
        ),
        (
            r"^(?P<who>.+?) hat (?:Sie|dich) eingeladen, (?P<what>.+?) zu folgen[.!]?$",
            InvitationKind.PAGE,
        ),
        (
            r"^(?P<who>.+?) hat (?:Sie|dich) eingeladen, (?:den Newsletter )?(?P<what>.+?)"
            r" zu abonnieren[.!]?$",
            InvitationKind.NEWSLETTER,
        ),
        (
            r"^(?P<who>.+?) hat (?:Sie|dich) zu(?:r Veranstaltung| der Veranstaltung|m Event)?"
            r" (?P<what>.+?) eingeladen[.!]?$",
            InvitationKind.EVENT,
        ),
        (
            r"^(?P<who>.+?) hat (?:Sie|dich) eingeladen, (?:der Gruppe )?(?P<what>.+?)"
            r" beizutreten[.!]?$",
            InvitationKind.GROUP,
        ),
    )
)


_A_NETWORK = re.compile(r"network|netzwerk|linkedin|xing|kontakt|connect|vernetz", re.IGNORECASE)
"""In the place of a page or event: a person's invitation to their network after all."""


def invitation_kind(*texts: str) -> tuple[InvitationKind, str, str]:
    """What an invitation mail invites to, from its subject (else the body's first
    lines): (kind, what it is for, the sentence that says so); a person's request is
    (PERSON, "", "")."""
    for text in texts:
        for line in re.split(r"\r\n|\n|\r", text)[:12]:
            line = " ".join(line.split())
            if len(line) > 300:
                continue
            for pattern, kind in _INVITED_TO:
                match = pattern.match(line)
                what = match.group("what").strip(" \"'“”„") if match else ""
                if what and not _A_NETWORK.search(what):
                    return kind, what, line
    return InvitationKind.PERSON, "", ""


_INVITATION_ID = re.compile(r"invitationId=([A-Za-z0-9_:.\-]+)", re.IGNORECASE)

_STOCK = frozenset(
    compare_form(s).rstrip(".!")
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


@by_line
def _without_greeting(text: str) -> str:
    """`compare_form` of a line without a leading greeting ("Hi Mira,")."""
    return compare_form(GREETING.sub("", text.strip(), count=1))


@functools.lru_cache(maxsize=256)
def _signatures(name: str) -> tuple[str, str]:
    """The name as a signature under a note: in full, and its first word."""
    full = compare_form(name)
    return full, (full.split(" ")[0] if name else "")


def _without_signature(norm: str, signature: str) -> str:
    """`norm` without `signature` at its end, nor the space and dash before it.

    What `re.sub(rf"\\s*[-–—]?\\s*{re.escape(signature)}\\s*$", "", norm)` does on a `compare_form`
    result (single spaces, none at either end), without compiling a pattern per name.
    """
    if not norm.endswith(signature):
        return norm
    head = norm[: len(norm) - len(signature)].rstrip()
    if head.endswith(("-", "–", "—")):
        head = head[:-1].rstrip()
    return head


@dataclass
class _Inviter:
    found: bool = False
    headline: str = ""
    note: str = ""
    mutual: int | None = None


def _read_linkedin_text(lines: list[str], name: str, *, from_html: bool) -> _Inviter:
    """Headline, note and mutual count from the inviter's block of a LinkedIn body (its
    `body_lines`).

    The block starts at the line that is exactly the inviter's name; the headline is the
    line right after it (the next non-empty one for HTML, whose layout adds blank lines).
    Only the part above the footer is read: the footer names the *receiver* (the trap).
    """
    key = compare_form(name)
    start = next((i for i, line in enumerate(lines) if compare_form(line) == key), None)
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
        if candidate and not mutual and not is_stop(candidate) and not _is_stock(candidate, name):
            result.headline = candidate
            index += 1
    # The rest of the name block: the mutual count, perhaps a location; then the note.
    while index < len(lines) and lines[index].strip() and not is_stop(lines[index]):
        mutual = _MUTUAL.match(lines[index])
        if mutual:
            result.mutual = int(mutual.group(1))
        index += 1
    note = unquoted(paragraph_after(lines, index))
    if not note:
        note = _note_before_name(lines[:start], name)
    result.note = "" if _is_stock(note, name) else note
    return result


def _note_before_name(lines: list[str], name: str) -> str:
    """A note written above the name block (older layout): after the greeting, without
    LinkedIn's announcement and stock lines."""
    greeting = next((i for i, line in enumerate(lines) if GREETING.match(line)), None)
    if greeting is None:
        return ""
    kept: list[str] = []
    key = compare_form(name)
    for number, line in enumerate(lines[greeting:]):
        if number == 0:
            line = GREETING.sub("", line, count=1)
        if is_stop(line) or _ANNOUNCEMENT.search(line) or _is_stock(line, name):
            continue
        if key and compare_form(line).startswith(key):
            continue
        kept.append(line)
    return unquoted("\n".join(kept).strip())


def _name_from_text(*texts: str) -> str:
    """The inviter's name from an announcement line ("X is waiting for your response")."""
    for text in texts:
        for line in re.split(r"\r\n|\n|\r", text):
            match = _ANNOUNCEMENT.search(line)
            if match and match.start() > 0:
                name = GREETING.sub("", line[: match.start()]).strip(" ,:")
                if 0 < len(name) <= 120:
                    return name
    return ""


def linkedin_record(
    display: str, subject: str, bodies: Bodies, received: datetime, source: str
) -> AnyRecord | None:
    html = Html(bodies.html)
    kind, target, sentence = invitation_kind(subject, bodies.plain)
    if kind is not InvitationKind.PERSON:  # a page, newsletter, event or group: its name
        ids = _INVITATION_ID.findall(bodies.plain)
        return RequestRecord(
            source=source,
            platform=Platform.LINKEDIN,
            kind=kind,
            name=target,
            message=sentence,
            invitation_id=ids[0] if ids else None,
            received_at=received,
        )
    name = display or _name_from_text(subject, bodies.plain) or _name_from_text(html.text)
    if not name:
        return SkippedRecord(
            source=source, reason=_("LinkedIn invitation without the inviter's name")
        )
    plain_lines = body_lines(bodies.plain)
    inviter = _read_linkedin_text(plain_lines, name, from_html=False)
    if not inviter.found and html.text:
        inviter = _read_linkedin_text(body_lines(html.text), name, from_html=True)
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
        profile_url=profile_link(plain_lines, html, name, Platform.LINKEDIN),
        invitation_id=ids[0] if ids else None,
        received_at=received,
    )
