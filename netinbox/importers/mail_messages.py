"""A "X sent you a message" notification mail (LinkedIn, XING; English and German) → a
`MessageRecord` from X, with the message's text when the mail carries it. Applied as a
message from `messages.csv` is: after the user's follow-up to X it is X's answer and
clears the deadline (`importing._apply_message`); a mail without the text still records
that X answered.

The sender is named in the subject ("Anna Albers sent you a message", "Neue Nachricht von
Anna Albers"); LinkedIn's From header names them in full ("Anna Albers via LinkedIn")
where the subject has only a first name. The text is the paragraph under the sender's
name block in the body, up to the first link or button label ("Reply", "Antworten")."""

from __future__ import annotations

import re
from datetime import datetime

from netinbox.importers.mail_mime import Bodies
from netinbox.importers.mail_text import Html, body_lines, compare_form, is_stop, paragraph_after
from netinbox.importers.mail_text import profile_link as _profile_link
from netinbox.models import MessageRecord, Platform

_SENT = (
    r"(?:has\s+)?sent\s+you\s+a\s+(?:new\s+)?message|just\s+messaged\s+you"
    r"|hat\s+(?:Ihnen|dir)\s+eine\s+(?:neue\s+)?Nachricht\s+(?:gesendet|geschickt|geschrieben)"
)
_FROM = (
    r"(?:you\s+have\s+a\s+)?new\s+message\s+from|(?:Sie\s+haben|du\s+hast)\s+eine\s+neue"
    r"\s+Nachricht\s+von|neue\s+Nachricht\s+von|Nachricht\s+von"
)
_SUBJECT = re.compile(
    rf"^\s*(?:(?P<before>[^:]{{1,120}}?)\s+(?:{_SENT})|(?:{_FROM})\s+(?P<after>[^:]{{1,120}}?))"
    r"\s*[.!:]?\s*$",
    re.IGNORECASE,
)


def message_sender(subject: str) -> str | None:
    """The person a message notification's subject names; None for any other subject."""
    match = _SUBJECT.match(" ".join(subject.split()))
    if match is None:
        return None
    name = (match.group("before") or match.group("after") or "").strip(" ,\"'„“”")
    return name or None


def message_record(
    display: str,
    subject: str,
    bodies: Bodies,
    received: datetime,
    source: str,
    platform: Platform,
) -> MessageRecord | None:
    """The message a notification mail announces; None when the mail is no such one."""
    name = message_sender(subject)
    if name is None:
        return None
    if display and compare_form(display).startswith(compare_form(name)):
        name = display  # the subject may give the first name only
    html = Html(bodies.html)
    lines = body_lines(bodies.plain)
    text = _text(lines, name)
    if not text and html.text:
        text = _text(body_lines(html.text), name)
    return MessageRecord(
        source=source,
        platform=platform,
        sender_name=name,
        sender_url=_profile_link(lines, html, name, platform),
        sent_at=received,
        content=text,
        from_mail=True,
    )


def _text(lines: list[str], name: str) -> str:
    """The paragraph after the sender's name block: the name line, then perhaps their
    headline (a single line followed by a blank one, with more text after it)."""
    key = compare_form(name)
    start = next((i for i, line in enumerate(lines) if compare_form(line) == key), None)
    if start is None:
        return ""
    index = start + 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    headline = (
        index + 2 < len(lines)
        and not is_stop(lines[index])
        and not lines[index + 1].strip()
        and bool(paragraph_after(lines, index + 1))
        and index == start + 1  # a headline sits right under the name
    )
    return paragraph_after(lines, index + 1 if headline else index)
