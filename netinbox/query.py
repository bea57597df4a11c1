"""Views and the search language, turned into SQL the indexes can serve.

`/` in the app takes free text plus terms: `no:msg has:msg state:asked due:overdue
due:today due:soon net:xing title:tba company:tba mutual:0 flag:contacts_hidden dir:out
type:newsletter`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from netinbox.kinds import InvitationKind
from netinbox.rules import FLAGS


class View(StrEnum):
    NEW = "new"
    TO_ASK = "to_ask"
    AWAITING = "awaiting"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    DECIDED = "decided"
    ALL = "all"
    SNOOZED = "snoozed"
    SENT = "sent"
    OWED = "owed"

    @property  # shadows str.title on purpose: a view's title is its name on screen
    def title(self) -> str:  # type: ignore[override]
        """The view's title in the interface's language (`netinbox.words.VIEW_TITLES`)."""
        from netinbox.words import view_title

        return view_title(self.value)


# Each view's condition; `:now` is bound to the current UTC time, `:today` and
# `:tomorrow` to the start of today and of tomorrow in the user's zone.
VIEW_SQL: dict[View, str] = {
    View.NEW: "r.direction = 'incoming' AND r.status = 'new'",
    View.TO_ASK: "r.direction = 'incoming' AND r.status = 'new' AND r.flags LIKE '% no_message %'",
    View.AWAITING: "r.status = 'asked' AND r.due_at > :now",
    View.OVERDUE: "r.status = 'asked' AND r.due_at <= :now",
    View.ANSWERED: "r.status = 'answered'",
    View.DECIDED: "r.status IN ('accepted', 'declined', 'withdrawn')",
    View.ALL: "1",
    View.SNOOZED: "r.status = 'snoozed'",
    # My own requests still waiting for the other's yes; those I owe an answer about.
    View.SENT: "r.direction = 'outgoing' AND r.status = 'new'",
    View.OWED: "r.owed_at IS NOT NULL",
}

STATES = (
    "new",
    "asked",
    "answered",
    "accepted",
    "declined",
    "snoozed",
    "could_not_ask",
    "withdrawn",
)
PLACEHOLDER_FLAG = {"title": "placeholder_title", "company": "placeholder_company"}

KEYS = frozenset(
    ("no", "has", "state", "status", "is", "due", "net", "platform", "title", "company",
     "mutual", "flag", "dir", "direction", "type", "kind")
)  # fmt: skip
KINDS = tuple(kind.value for kind in InvitationKind)
KIND_WORDS = {
    "people": "person", "pages": "page", "company": "page", "newsletters": "newsletter",
    "events": "event", "groups": "group",
}  # fmt: skip
_TERM = re.compile(r'(?P<key>[a-z_]+):(?P<value>"[^"]*"|\S+)', re.IGNORECASE)


class QueryError(ValueError):
    """A term in the search box the app cannot read: `kind` says why ("unknown_term",
    "unknown_state", "unknown_flag", "due", "mutual", "msg"), `values` the term and the
    likely fix; `str()` is the message in the interface's language (`netinbox.words`)."""

    def __init__(self, kind: str, **values: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.values = values

    def __str__(self) -> str:
        from netinbox.words import query_error

        return query_error(self.kind, self.values)


@dataclass
class Query:
    view: View = View.ALL
    text: str = ""
    where: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)

    @property
    def is_plain(self) -> bool:
        return not self.text and not self.where


def parse(search: str, view: View = View.ALL) -> Query:
    """Split the search box into terms (SQL conditions) and free text (FTS)."""
    if ":" not in search:  # plain words, the usual case: this runs on every keystroke
        return Query(view=view, text=" ".join(search.split()))
    query = Query(view=view)
    free: list[str] = []
    position = 0
    for match in _TERM.finditer(search):
        if match.group("key").lower() not in KEYS:
            if _is_text(search, match):  # "Re:Hallo", "https://…": plain words
                continue
            raise _unknown(match.group(0), match.group("key").lower(), KEYS, "term")
        free.append(search[position : match.start()])
        position = match.end()
        key, value = match.group("key").lower(), match.group("value").strip('"').lower()
        _add_term(query, key, value, match.group(0))
    free.append(search[position:])
    query.text = " ".join(" ".join(free).split())
    return query


# Words with a colon that are text, not terms: mail subjects and links.
TEXT_PREFIXES = frozenset(
    ("re", "aw", "fw", "fwd", "wg", "sv", "tr", "antw", "http", "https", "mailto", "ftp", "www")
)


def _is_text(search: str, match: re.Match[str]) -> bool:
    """A `word:word` that is not a term: inside a word or link, a capitalised word
    ("Betreff:Hallo"), a mail prefix ("Re:", "AW:") or a link ("https://…")."""
    start, key = match.start(), match.group("key")
    inside = start > 0 and not search[start - 1].isspace()
    return (
        inside
        or key[:1].isupper()
        or key.lower() in TEXT_PREFIXES
        or match.group("value").startswith("/")
    )


def _unknown(raw: str, value: str, known: Iterable[str], what: str) -> QueryError:
    """A short error (it must fit the search bar): what is wrong, and the likely fix."""
    from difflib import get_close_matches

    guess = get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if what == "term":
        return QueryError("unknown_term", term=raw, guess=f"{guess[0]}:" if guess else "")
    fix = f"{raw.split(':')[0]}:{guess[0]}" if guess else ""
    return QueryError(f"unknown_{what}", term=raw, guess=fix, example=EXAMPLES[what])


EXAMPLES = {"state": "state:asked", "flag": "flag:no_mutual", "type": "type:newsletter"}


def _add_term(query: Query, key: str, value: str, raw: str) -> None:
    n = len(query.params)
    if key in ("no", "has") and value in ("msg", "message"):
        op = "" if key == "no" else "NOT "
        query.where.append(f"r.flags {op}LIKE '% no_message %'")
    elif key in ("state", "status", "is"):
        state = {"overdue": "asked", "undecided": "new", "couldnotask": "could_not_ask"}.get(
            value, value
        )
        if value == "overdue":
            query.where.append(VIEW_SQL[View.OVERDUE])
        elif value == "decided":
            query.where.append(VIEW_SQL[View.DECIDED])
        elif state in STATES:
            query.where.append(f"r.status = :p{n}")
            query.params[f"p{n}"] = state
        else:
            raise _unknown(raw, value, (*STATES, "overdue", "decided"), "state")
    elif key == "due":
        if value == "overdue":
            query.where.append(VIEW_SQL[View.OVERDUE])
        elif value == "today":  # the deadline falls today, passed or not
            query.where.append("r.status = 'asked' AND r.due_at >= :today AND r.due_at < :tomorrow")
        elif value == "soon":
            query.where.append("r.status = 'asked' AND r.due_at <= :soon")
        else:
            raise QueryError("due", term=raw)
    elif key in ("net", "platform"):
        query.where.append(f"p.platform = :p{n}")
        query.params[f"p{n}"] = value
    elif key in PLACEHOLDER_FLAG:
        if value in ("unknown", "empty"):  # not in the source: not a placeholder
            column = "headline" if key == "title" else "company"
            query.where.append(f"p.{column} = ''")
        elif value in ("tba", "placeholder", "none", "-"):
            query.where.append(f"r.flags LIKE '% {PLACEHOLDER_FLAG[key]} %'")
        else:
            column = "headline" if key == "title" else "company"
            query.where.append(f"p.{column} LIKE :p{n}")
            query.params[f"p{n}"] = f"%{value}%"
    elif key == "mutual":
        if not value.isdigit():
            raise QueryError("mutual", term=raw)
        query.where.append(f"p.mutual_contacts = :p{n}")
        query.params[f"p{n}"] = int(value)
    elif key == "flag":
        if value == "no_answer":
            query.where.append(VIEW_SQL[View.OVERDUE])
        elif value in FLAGS:
            query.where.append(f"r.flags LIKE '% {value} %'")
        else:
            raise _unknown(raw, value, FLAGS, "flag")
    elif key in ("dir", "direction"):
        direction = {"in": "incoming", "out": "outgoing"}.get(value, value)
        query.where.append(f"r.direction = :p{n}")
        query.params[f"p{n}"] = direction
    elif key in ("type", "kind"):
        kind = KIND_WORDS.get(value, value)
        if kind not in KINDS:
            raise _unknown(raw, value, KINDS, "type")
        query.where.append(f"r.kind = :p{n}")
        query.params[f"p{n}"] = kind
    else:
        raise QueryError("msg", term=raw)


def fts_match(text: str) -> str:
    """Free text as an FTS5 query: every word must match, as a prefix, quoted as data;
    German spellings fold (`krueger` finds Krüger, `Weiß` finds Weiss: `searchtext`)."""
    from netinbox.searchtext import match_words

    return " ".join(match_words(text))
