"""messages.csv: conversations, where answers to our follow-ups turn up.

Layouts: 2018 `From,To,Date,Subject,Content,Direction,Folder`; since 2021 `CONVERSATION ID,
…,FOLDER` with 9, 10 or 12 columns (`RECIPIENT PROFILE URLS`, `ATTACHMENTS`,
`IS MESSAGE DRAFT`, `IS CONVERSATION DRAFT` came and went); since 2026 every header name
quoted. Content can be HTML (sponsored mail, `<br>`) with entities such as `&amp;`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from pydantic import ValidationError

from netinbox.importers.base import ImportContext
from netinbox.importers.decoding import CsvInput, Table, first_error, open_table
from netinbox.importers.linkedin import (
    EXPECTED,
    Kind,
    accepts,
    parse_time,
    profile_ref,
    time_problem,
)
from netinbox.models import MessageRecord, Platform, SkippedRecord

SPONSOR = "linkedin member"

_TAGS = "a|b|blockquote|br|div|em|h[1-6]|hr|i|img|li|ol|p|span|strong|table|td|tr|u|ul"
_HTML_TAG = re.compile(rf"<\s*/?\s*(?:{_TAGS})\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(?:p|div|li|h[1-6]|tr|blockquote)\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_RECIPIENT_SPLIT = re.compile(r"[,;]")
#: Characters a message keeps: LinkedIn allows 8,000 and XING fewer, so a longer one is
#: padding; it is cut (the answer still counts) and held no longer than this (issue 11).
MAX_MESSAGE_CHARS = 64 * 1024
#: Where a message was cut: visible in the profile and the export, in any language.
CUT_MARK = " […]"


def cut_message(text: str) -> str:
    """`text`, or its first MAX_MESSAGE_CHARS characters followed by CUT_MARK."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return text[:MAX_MESSAGE_CHARS] + CUT_MARK


def html_to_text(value: str) -> str:
    """Content as text: tags stripped with `<br>` and block ends as line breaks, entities
    decoded. Plain text is returned as written. The result is still outside text: control
    characters an entity may produce are dealt with at the display boundary (C-21)."""
    if _HTML_TAG.search(value):
        text = _ANY_TAG.sub("", _BREAK.sub("\n", value))
        return html.unescape(text).rstrip("\n")
    if _ENTITY.search(value):
        return html.unescape(value)
    return value


def _yes(value: str) -> bool:
    return value.strip().casefold() in ("yes", "true", "1")


def read_messages(src: CsvInput, ctx: ImportContext) -> Iterator[MessageRecord | SkippedRecord]:
    """One MessageRecord per message. Sponsored mail (`LinkedIn Member` without a profile
    link) is dropped silently: it is nobody's answer. Drafts are kept, marked `is_draft`."""
    table = open_table(src, accepts(Kind.MESSAGES), ctx, EXPECTED[Kind.MESSAGES])
    cut: list[str] = []  # sources of messages cut at MAX_MESSAGE_CHARS
    yield from _messages(table, ctx, cut)
    if cut:
        more = f" (and {len(cut) - 1:,} more)" if len(cut) > 1 else ""
        ctx.note(
            f"{cut[0]}: a message longer than {MAX_MESSAGE_CHARS:,} characters was cut, "
            f"marked {CUT_MARK.strip()}{more}"
        )


def _messages(
    table: Table, ctx: ImportContext, cut: list[str]
) -> Iterator[MessageRecord | SkippedRecord]:
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        sender = row.get("from").strip()
        sender_url = profile_ref(row.get("sender profile url"))
        if sender.casefold() == SPONSOR and sender_url is None:
            continue
        if not sender:
            yield row.skip("missing sender name")
            continue
        raw_date = row.get("date")
        sent_at = parse_time(raw_date, ctx.tz)
        if sent_at is None:
            yield row.skip(time_problem(raw_date, ctx.tz))
            continue
        recipients = [
            url
            for part in _RECIPIENT_SPLIT.split(row.get("recipient profile urls"))
            if (url := profile_ref(part)) is not None
        ]
        draft = (
            _yes(row.get("is message draft"))
            or _yes(row.get("is conversation draft"))
            or row.get("folder").strip().casefold() in ("draft", "drafts")
        )
        content = html_to_text(row.get("content"))
        if len(content) > MAX_MESSAGE_CHARS:
            cut.append(row.source)
            content = cut_message(content)
        try:
            yield MessageRecord(
                platform=Platform.LINKEDIN,
                sender_name=sender,
                sender_url=sender_url,
                recipient_name=row.get("to").strip(),
                recipient_urls=recipients,
                sent_at=sent_at,
                content=content,
                conversation_id=row.get("conversation id").strip(),
                is_draft=draft,
                source=row.source,
            )
        except ValidationError as err:
            yield row.skip(first_error(err))
