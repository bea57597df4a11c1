"""Applying what importers read to the store: one transaction, idempotent, with a summary.

Requests first, then the facts that refer to them (connections: accepted on the
platform; messages: answers to our follow-ups), so one run of a whole export is complete.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from netinbox.identity import name_key, url_key
from netinbox.models import (
    AnyRecord,
    ConnectionRecord,
    EventKind,
    MessageRecord,
    OwnerRecord,
    Platform,
    RequestRecord,
    SkippedRecord,
)
from netinbox.store import Store, iso, parse_iso
from netinbox.store.derived import index
from netinbox.store.writer import ACCEPTED_ON_PLATFORM, CHUNK, RequestWriter

JUST_IMPORTED = " (just imported)"
"""Said of a change to a request this same import added: part of "new", not "updated"."""


class _DryRun(Exception):
    """Raised inside the import transaction to roll it back on purpose."""


@dataclass
class ImportSummary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: list[SkippedRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    undoable: bool = False
    """The requests it added are one change `u` takes back (an import from the app)."""

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def lines(self) -> list[str]:
        out: list[str] = []
        for kind, counter in self.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in counter.items())
            out.append(f"{kind}: {parts}")
        if self.skipped:
            out.append(f"skipped: {len(self.skipped)}")
            out.extend(f"  {s.source}: {s.reason}" for s in self.skipped[:50])
            if len(self.skipped) > 50:
                out.append(f"  … and {len(self.skipped) - 50} more")
        out.extend(f"note: {n}" for n in self.notes)
        if self.dry_run:
            out.append("dry run: nothing was written")
        return out

    def headline(self) -> str:
        new, updated = (
            self.total("new"),
            self.total("updated")
            + self.total("accepted on platform")
            + self.total("answer")
            + self.total("question"),
        )
        unchanged = self.total("unchanged")
        text = f"{new} new, {updated} updated, {unchanged} unchanged, {len(self.skipped)} skipped"
        return text + (" (dry run)" if self.dry_run else "")


def apply_import(
    store: Store, records: Iterable[AnyRecord], *, dry_run: bool = False, undoable: bool = False
) -> ImportSummary:
    """Write all records in one transaction; with `dry_run`, count and roll back. With
    `undoable` (the app's import), the requests it added are one undoable change."""
    summary = ImportSummary(dry_run=dry_run)
    try:
        with store.write():
            writer = RequestWriter(store, batch_search=True)
            pending: list[RequestRecord] = []
            later: list[ConnectionRecord | MessageRecord] = []
            owner: OwnerRecord | None = None

            def flush() -> None:
                if pending:  # counted a chunk at a time: `add` per record showed in profiles
                    outcomes = summary.counts.setdefault("requests", Counter())
                    outcomes.update(outcome for outcome, _ in writer.write(pending))
                pending.clear()

            for record in records:
                if isinstance(record, RequestRecord):
                    if owner is not None and name_key(record.name) == name_key(owner.name):
                        summary.add("requests", "skipped (yourself)")
                        continue
                    pending.append(record)
                    if len(pending) >= CHUNK:
                        flush()
                elif isinstance(record, SkippedRecord):
                    summary.skipped.append(record)
                elif isinstance(record, OwnerRecord):
                    owner = record
                    _remember_owner(store, record)
                else:
                    later.append(record)
            flush()
            writer.finish()  # connections and messages below read and rewrite the index
            if owner is None:  # messages.csv alone: "me" from an export imported before
                owner = _known_owner(store)
            # Connections first; then messages in the order they were written, so the
            # user's question is recorded before the answer to it.
            later.sort(key=lambda r: (isinstance(r, MessageRecord), _time(r)))
            for record in later:
                if isinstance(record, ConnectionRecord):
                    outcome, touched = _apply_connection(store, record)
                    kind = "connections"
                else:
                    outcome, touched = _apply_message(store, record, owner)
                    kind = "messages"
                if touched and all(i >= writer.first_new_request for i in touched):
                    outcome += JUST_IMPORTED  # a request of this import: new, not updated
                summary.add(kind, outcome)
            if undoable:
                summary.undoable = store.make_import_undoable(writer.first_new_request)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _time(record: ConnectionRecord | MessageRecord) -> str:
    if isinstance(record, MessageRecord):
        return iso(record.sent_at) or ""
    return ""


def _remember_owner(store: Store, owner: OwnerRecord) -> None:
    """Who "me" is (Profile.csv): signs follow-ups, and tells the user's own messages."""
    values = [("owner_name", owner.name)]
    if owner.profile_url:
        values.append(("owner_url", owner.profile_url))
    store.conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        values,
    )


def _known_owner(store: Store) -> OwnerRecord | None:
    meta = dict(
        store.conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('owner_name', 'owner_url')"
        ).fetchall()
    )
    if not meta.get("owner_name"):
        return None
    return OwnerRecord(name=meta["owner_name"], profile_url=meta.get("owner_url"))


def _incoming_of(store: Store, platform: str, name: str, url: str | None) -> list[int]:
    person = store.find_person(platform, name, url)
    if person is None:
        return []
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM requests WHERE person_id = ? AND direction = 'incoming' ORDER BY received_at",
            (person["id"],),
        ).fetchall()
    ]


def _apply_connection(store: Store, rec: ConnectionRecord) -> tuple[str, list[int]]:
    """A connection's open request (theirs or ours) was accepted on the platform: record it, once."""
    person = store.find_person(rec.platform.value, rec.name, rec.profile_url)
    if person is None:
        return "not a request", []
    changed = False
    if not person["is_connection"]:
        store.conn.execute("UPDATE persons SET is_connection = 1 WHERE id = ?", (person["id"],))
        changed = True
    open_requests = store.conn.execute(
        "SELECT id, status FROM requests WHERE person_id = ?"
        " AND status NOT IN ('accepted', 'declined')",
        (person["id"],),
    ).fetchall()
    for row in open_requests:
        at = iso(rec.connected_on) if rec.connected_on else iso(store.now())
        store.conn.execute(
            "UPDATE requests SET status = 'accepted', decided_at = ?, decision_note = ?,"
            " snoozed_until = NULL, status_before_snooze = NULL, version = version + 1 WHERE id = ?",
            (at, ACCEPTED_ON_PLATFORM, row["id"]),
        )
        store._event(
            row["id"],
            EventKind.ACCEPTED_ON_PLATFORM,
            {"source": rec.source, "was": row["status"]},
            change_id=None,
        )
        changed = True
    ids = [row["id"] for row in open_requests]
    if open_requests:
        return "accepted on platform", ids
    return ("updated" if changed else "unchanged"), []


def _is_owner(name: str, url: str | None, owner: OwnerRecord | None) -> bool:
    if owner is None:
        return False
    if url_key(url) and url_key(url) == url_key(owner.profile_url):
        return True
    return name_key(name) == name_key(owner.name)


def _apply_question(store: Store, rec: MessageRecord) -> tuple[str, list[int]]:
    """The user's own message to someone whose request waits, written after it: the user
    asked outside the app. Recorded as the follow-up, sent then, its deadline from then —
    unless the request already has one (asked in the app, or imported before)."""
    if len(rec.recipient_urls) > 1:
        return "ignored", []  # a group message asks nobody in particular
    url = rec.recipient_urls[0] if rec.recipient_urls else None
    if url is None and ("," in rec.recipient_name or not rec.recipient_name.strip()):
        return "ignored", []  # several people, or nobody named
    requests = _incoming_of(store, rec.platform.value, rec.recipient_name, url)
    if not requests:
        return "ignored", []
    sent = iso(rec.sent_at)
    row = store.conn.execute(
        "SELECT id, status, received_at FROM requests WHERE id = ?", (requests[-1],)
    ).fetchone()
    if row["received_at"] > sent:  # written before the request: not about it
        return "ignored", []
    if store.conn.execute(
        "SELECT 1 FROM follow_ups WHERE request_id = ? LIMIT 1", (row["id"],)
    ).fetchone():
        return "unchanged", []
    due = iso(store.deadline(rec.sent_at))
    store.conn.execute(
        "INSERT INTO follow_ups(request_id, body, sent_at, due_at) VALUES (?, ?, ?, ?)",
        (row["id"], rec.content, sent, due),
    )
    if row["status"] == "new":  # what the user did in the app (decided, snoozed) stays
        store.conn.execute(
            "UPDATE requests SET status = 'asked', due_at = ?, version = version + 1 WHERE id = ?",
            (due, row["id"]),
        )
    store._event(
        row["id"],
        EventKind.ASKED,
        {"source": rec.source, "imported": True, "sent_at": sent, "due_at": due},
        change_id=None,
    )
    return "question", [row["id"]]


def _apply_message(
    store: Store, rec: MessageRecord, owner: OwnerRecord | None
) -> tuple[str, list[int]]:
    """A message from a requester: after our follow-up it is their answer, before it context.
    One from the user to a requester after the request is the follow-up, asked outside."""
    if rec.is_draft or not rec.content.strip():
        return "ignored", []
    if _is_owner(rec.sender_name, rec.sender_url, owner):
        return _apply_question(store, rec)
    requests = _incoming_of(store, rec.platform.value, rec.sender_name, rec.sender_url)
    if not requests:
        return "not from a requester", []
    request_id = requests[-1]
    follow = store.conn.execute(
        "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY id DESC LIMIT 1", (request_id,)
    ).fetchone()
    sent = parse_iso(follow["sent_at"]) if follow is not None else None
    if follow is not None and sent is not None and rec.sent_at > sent:
        if follow["answered_at"]:
            return "unchanged", []
        store.conn.execute(
            "UPDATE follow_ups SET answered_at = ?, answer = ? WHERE id = ?",
            (iso(rec.sent_at), rec.content, follow["id"]),
        )
        store.conn.execute(
            "UPDATE requests SET status = 'answered', version = version + 1"
            " WHERE id = ? AND status IN ('asked', 'snoozed', 'could_not_ask')",
            (request_id,),
        )
        index(store.conn, request_id)
        store._event(
            request_id, EventKind.ANSWERED, {"source": rec.source, "imported": True}, change_id=None
        )
        return "answer", [request_id]
    digest = hashlib.sha256(
        f"{rec.conversation_id}|{iso(rec.sent_at)}|{rec.sender_name}|{rec.content}".encode()
    ).hexdigest()
    cur = store.conn.execute(
        "INSERT OR IGNORE INTO context_messages(request_id, at, sender, content, key) VALUES (?, ?, ?, ?, ?)",
        (request_id, iso(rec.sent_at), rec.sender_name, rec.content, digest),
    )
    return ("context" if cur.rowcount else "unchanged"), []


def run_import(
    store: Store,
    paths: Sequence[str | Path],
    *,
    platform: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    undoable: bool = False,
    advance: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Read `paths` and apply them: the one call the CLI and the app share (the app's
    import is `undoable`: `u` takes back what it added)."""
    from netinbox.importers import iter_records
    from netinbox.importers.base import ImportContext

    ctx = ImportContext(platform=Platform(platform) if platform else None, advance=advance)
    ctx.tz = store.config.zone()  # with DST rules: a July time without zone is CEST in January too
    summary = apply_import(
        store, iter_records(list(paths), ctx, strict=strict), dry_run=dry_run, undoable=undoable
    )
    summary.notes.extend(ctx.notes)
    return summary
