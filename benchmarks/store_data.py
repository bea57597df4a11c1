"""A store of `size` requests, written with direct inserts that match `netinbox/schema.py`.

Persons, requests with their stored flags (computed by `netinbox.rules`), follow-ups, an
`imported` event each, and the FTS5 `search` index built in one statement at the end.
Building 100,000 requests through the importer would cost more than the rest of the
benchmark. Statuses are spread so that every view of the app has rows; the shortcuts for
netinbox's keys are checked against netinbox on the first rows.
"""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote

from benchmarks.people import Sender, senders

#: Shares of incoming requests per status (the rest stays "new").
STATUS_SHARES = (
    ("asked_awaiting", 0.05),
    ("asked_overdue", 0.06),
    ("answered", 0.05),
    ("accepted", 0.14),
    ("declined", 0.09),
    ("snoozed", 0.02),
    ("could_not_ask", 0.03),
)


def iso(moment: datetime) -> str:
    """`netinbox.store.iso` for the UTC times made here (isoformat is 3× faster than strftime)."""
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def url_key(s: Sender) -> str:
    """`netinbox.identity.url_key` of the URLs made here (checked against it in `build_store`)."""
    path = s.profile_url.split("://www.", 1)[1]
    return unquote(path).lower()


def _identity() -> ModuleType:
    import netinbox.identity

    return netinbox.identity


@functools.cache
def name_key(name: str) -> str:
    return str(_identity().name_key(name))


def _status(rng: random.Random, sender: Sender) -> str:
    if not sender.incoming:
        return "new"
    draw = rng.random()
    for status, share in STATUS_SHARES:
        if draw < share:
            return status
        draw -= share
    return "new"


@functools.cache
def _text_flags(message: str, headline: str, company: str) -> tuple[str, ...]:
    """The flags that depend on text, by `netinbox.rules` (few distinct inputs: memoised)."""
    from netinbox.rules import static_flags

    return tuple(
        static_flags(
            message=message,
            headline=headline,
            company=company,
            contacts_visible="unknown",
            mutual_contacts=None,
        )
    )


def _flags(s: Sender) -> str:
    """The stored flags as the store writes them (`netinbox.store.derived.flags_for`)."""
    flags = list(_text_flags(s.message, s.headline, s.company))
    if s.contacts_visible == "no":
        flags.append("contacts_hidden")
    if s.mutual == 0:
        flags.append("no_mutual")
    return f" {' '.join(flags)} " if flags else " "


class _Rows:
    """The rows of each table, collected for `executemany`."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rng = random.Random(11)
        self.persons: list[tuple[object, ...]] = []
        self.requests: list[tuple[object, ...]] = []
        self.follow_ups: list[tuple[object, ...]] = []
        self.events: list[tuple[object, ...]] = []

    def add(self, s: Sender) -> None:
        rid = s.index + 1
        self.persons.append(
            (rid, s.platform, url_key(s), name_key(s.name), s.profile_url, s.name)
            + (s.headline, s.company, s.contacts_visible, s.mutual)
        )
        received, status = s.received_at, _status(self.rng, s)
        due = decided = snoozed = before = None
        days = timedelta(days=1)
        if status in ("asked_awaiting", "asked_overdue", "answered"):
            if status == "asked_awaiting":
                sent = self.now - days * self.rng.uniform(0.05, 6.5)
                received = min(received, sent - days * self.rng.uniform(0.1, 3))
            else:
                received = min(received, self.now - days * self.rng.uniform(9, 300))
                sent = received + days * self.rng.uniform(0.1, 1)
            due = sent + 7 * days
            answered = sent + days * self.rng.uniform(0.1, 5) if status == "answered" else None
            answer = "Wir haben uns auf der Messe in Köln kennengelernt." if answered else ""
            self.follow_ups.append(
                (rid, "Hallo, woher kennen wir uns?", iso(sent), iso(due))
                + (iso(answered) if answered else None, answer)
            )
            status = "asked" if status.startswith("asked") else status
        elif status in ("accepted", "declined"):
            decided = min(self.now, received + days * self.rng.uniform(0.1, 10))
        elif status == "snoozed":
            snoozed, before = self.now + days * self.rng.uniform(1, 20), "new"
        self.requests.append(
            (rid, rid, "incoming" if s.incoming else "outgoing", iso(received), s.message)
            + (f"bench:{rid}", status, decided and iso(decided), snoozed and iso(snoozed))
            + (before, due and iso(due), _flags(s))
        )
        self.events.append((rid, iso(self.now), "imported", '{"source": "bench"}'))


def build_store(path: Path, size: int, now: datetime) -> None:
    from netinbox.store import Store

    rows = _Rows(now)
    for sender in senders(size, now):
        rows.add(sender)
        if sender.index < 50 and url_key(sender) != _identity().url_key(sender.profile_url):
            raise RuntimeError(f"url_key shortcut disagrees with netinbox: {sender.profile_url}")
    from netinbox.store import iso as store_iso

    if iso(now) != store_iso(now):
        raise RuntimeError("iso shortcut disagrees with netinbox.store.iso")
    with Store(path) as store, store.write() as conn:
        conn.executemany(
            "INSERT INTO persons(id, platform, url_key, name_key, profile_url, name, headline,"
            " company, contacts_visible, mutual_contacts) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows.persons,
        )
        conn.executemany(
            "INSERT INTO requests(id, person_id, direction, received_at, message, source, status,"
            " decided_at, snoozed_until, status_before_snooze, due_at, flags)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows.requests,
        )
        conn.executemany(
            "INSERT INTO follow_ups(request_id, body, sent_at, due_at, answered_at, answer)"
            " VALUES (?,?,?,?,?,?)",
            rows.follow_ups,
        )
        conn.executemany(
            "INSERT INTO events(request_id, at, kind, data) VALUES (?,?,?,?)", rows.events
        )
        conn.execute(
            "INSERT INTO search(rowid, name, headline, company, message, answer)"
            " SELECT r.search_key, p.name, p.headline, p.company, r.message,"
            " coalesce((SELECT group_concat(answer, ' ') FROM follow_ups f"
            " WHERE f.request_id = r.id), '')"
            " FROM requests r JOIN persons p ON p.id = r.person_id"
        )
