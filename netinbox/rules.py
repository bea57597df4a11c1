"""Red flags: why a request is hard to judge (codes; the reasons the user reads are in
`netinbox.words`).

Static flags depend only on what the sender gave us and are stored with the request so
the list can filter by them at any size; `no_answer` depends on the clock and is derived.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from netinbox.kinds import ContactsVisible, Direction, InvitationKind, Status
from netinbox.text import match_key

DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "tba",
    "t.b.a.",
    "tbd",
    "t.b.d.",
    "n/a",
    "na",
    "-",
    "--",
    "…",
    "...",
    ".",
    "to be announced",
    "to be determined",
    "none",
    "keine",
    "k.a.",
    "?",
    "x",
)

# Stock texts the platforms fill in when the sender wrote nothing of their own.
STOCK_MESSAGES: tuple[str, ...] = (
    "i'd like to join your linkedin network.",
    "i'd like to add you to my professional network on linkedin.",
    "i’d like to join your linkedin network.",
    "i’d like to add you to my professional network on linkedin.",
    "ich möchte mich gerne mit ihnen auf linkedin vernetzen.",
    "ich möchte sie gerne zu meinem beruflichen netzwerk auf linkedin hinzufügen.",
    "ich möchte dich gerne zu meinem beruflichen netzwerk auf linkedin hinzufügen.",
)

FLAGS: tuple[str, ...] = (
    "no_message",
    "placeholder_title",
    "placeholder_company",
    "contacts_hidden",
    "no_mutual",
    "no_answer",
)
"""The red flags' codes, in the order they are shown; their reasons are in
`netinbox.words.FLAG_REASONS`."""

_PUNCT_ONLY = re.compile(r"^[\W_]*$")


class Suggestion(NamedTuple):
    action: str  # "ask", "decline", "decide", "wait", "answer", "explain", "none"
    why: str  # a code: its words are `netinbox.words.SUGGESTIONS`


@lru_cache(maxsize=16)
def _placeholder_keys(placeholders: tuple[str, ...]) -> frozenset[str]:
    return frozenset(match_key(p) for p in placeholders)


def is_placeholder(value: str, placeholders: Iterable[str] = DEFAULT_PLACEHOLDERS) -> bool:
    return _is_placeholder(value, tuple(placeholders))


@lru_cache(maxsize=4096)  # headlines and companies repeat a lot in a large import
def _is_placeholder(value: str, placeholders: tuple[str, ...]) -> bool:
    key = match_key(value)
    if not key or _PUNCT_ONLY.match(key):
        return True
    return key in _placeholder_keys(placeholders)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", match_key(text).replace("’", "'").replace("'", ""))


_STOCK_WORDS = [_words(text) for text in STOCK_MESSAGES]
GREETING_WORDS = 4  # "Hi Mira," or "Hallo Frau Dr. Testfeld" before the stock text
SIGNATURE_WORDS = 2  # "Best, Tom" after it


def is_stock_message(message: str) -> bool:
    """No message, or only the platform's stock sentence, perhaps with a greeting."""
    words = _words(message)
    if not words:
        return True
    for stock in _STOCK_WORDS:
        n = len(stock)
        for start in range(len(words) - n + 1):
            after = len(words) - start - n
            if (
                words[start : start + n] == stock
                and start <= GREETING_WORDS
                and after <= SIGNATURE_WORDS
            ):
                return True
    return False


def is_unknown(value: str) -> bool:
    """Nothing given: the source has no such field (LinkedIn's Invitations.csv names no job
    title or company), or left it empty. Unknown is not a red flag; a placeholder is."""
    return not value.strip()


def static_flags(
    *,
    message: str,
    headline: str,
    company: str,
    contacts_visible: ContactsVisible | str,
    mutual_contacts: int | None,
    placeholders: Iterable[str] = DEFAULT_PLACEHOLDERS,
    direction: Direction | str = Direction.INCOMING,
    kind: InvitationKind | str = InvitationKind.PERSON,
) -> list[str]:
    """The red flags of a request. Only a person's request is judged: an invitation to
    follow a page, subscribe to a newsletter or attend an event needs no reason. A request
    the user sent is judged by what the user gave: its message, not the other's profile."""
    if InvitationKind(kind) is not InvitationKind.PERSON:
        return []
    if Direction(direction) is Direction.OUTGOING:
        return ["no_message"] if is_stock_message(message) else []
    words = tuple(placeholders)
    flags: list[str] = []
    if is_stock_message(message):
        flags.append("no_message")
    # Only what the sender wrote can be a placeholder: an unknown value is not flagged.
    if not is_unknown(headline) and is_placeholder(headline, words):
        flags.append("placeholder_title")
    if not is_unknown(company) and is_placeholder(company, words):
        flags.append("placeholder_company")
    if ContactsVisible(contacts_visible) is ContactsVisible.NO:
        flags.append("contacts_hidden")
    if mutual_contacts == 0:
        flags.append("no_mutual")
    return flags


def is_overdue(status: Status | str, due_at: datetime | None, now: datetime | None) -> bool:
    """Asked, and the deadline passed without an answer: the `no_answer` flag, which the
    clock sets (never stored). No `now`: a row no deadline can change."""
    return status == Status.ASKED and due_at is not None and now is not None and due_at <= now


def all_flags(
    stored: Iterable[str], status: Status | str, due_at: datetime | None, now: datetime | None
) -> list[str]:
    """A request's flags: the stored ones, and `no_answer` when it is overdue."""
    flags = list(stored)
    if is_overdue(status, due_at, now):
        flags.append("no_answer")
    return flags


def suggest(
    flags: Iterable[str],
    status: Status,
    *,
    direction: Direction | str = Direction.INCOMING,
    kind: InvitationKind | str = InvitationKind.PERSON,
    owed: bool = False,
    explained: bool = False,
) -> Suggestion:
    """What to do next. `owed`: someone asked the user about this request (rule 4);
    `explained`: the user followed up on their own request with the reason."""
    present = set(flags)
    if Direction(direction) is Direction.OUTGOING:
        return _suggest_sent(present, status, owed=owed, explained=explained)
    if InvitationKind(kind) is not InvitationKind.PERSON and not status.is_decided:
        return Suggestion("decide", "invitation")
    if status.is_decided:
        return Suggestion("none", "decided")
    if "no_answer" in present:
        return Suggestion("decline", "no_answer")
    if status is Status.ASKED:
        return Suggestion("wait", "waiting")
    if status is Status.ANSWERED:
        return Suggestion("decide", "answered")
    if status is Status.COULD_NOT_ASK:
        return Suggestion("decide", "cannot_ask")
    if "no_message" in present:
        return Suggestion("ask", "no_reason")
    return Suggestion("decide", "has_reason")


def _suggest_sent(present: set[str], status: Status, *, owed: bool, explained: bool) -> Suggestion:
    """A request the user sent is never asked why: the user answers, or mends a missing
    reason, or waits."""
    if owed:
        return Suggestion("answer", "owed_answer")
    if status is Status.ACCEPTED:
        return Suggestion("none", "they_accepted")
    if status is Status.WITHDRAWN:
        return Suggestion("none", "you_withdrew")
    if status is Status.DECLINED:
        return Suggestion("none", "withdrawn")
    if explained:
        return Suggestion("wait", "reason_sent")
    if "no_message" in present:
        return Suggestion("explain", "forgot_reason")
    return Suggestion("wait", "gave_reason")
