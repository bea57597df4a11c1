"""Applying what importers read to the store: one transaction, idempotent, with a summary.

Requests first, then the facts that refer to them (connections: accepted on the
platform; messages: answers to our follow-ups), so one run of a whole export is complete.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic_core import from_json

from netinbox.i18n import _
from netinbox.identity import name_key
from netinbox.models import (
    AnyRecord,
    ConnectionRecord,
    MessageRecord,
    OwnerRecord,
    Platform,
    RequestRecord,
    SkippedRecord,
)
from netinbox.store import CHUNK, RequestWriter, Store, iso

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
        """The summary line by line, in the interface's language (`netinbox.words`)."""
        from netinbox.words import import_kind, import_outcome

        out: list[str] = []
        for kind, counter in self.counts.items():
            parts = ", ".join(f"{n} {import_outcome(outcome)}" for outcome, n in counter.items())
            out.append(f"{import_kind(kind)}: {parts}")
        if self.skipped:
            out.append(_("skipped: %(n)d") % {"n": len(self.skipped)})
            out.extend(f"  {s.source}: {_(s.reason)}" for s in self.skipped[:50])
            if len(self.skipped) > 50:
                out.append("  " + _("… and %(n)d more") % {"n": len(self.skipped) - 50})
        out.extend(_("note: %(note)s") % {"note": n} for n in self.notes)
        if self.dry_run:
            out.append(_("dry run: nothing was written"))
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
        text = _(
            "%(new)d new, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped"
        ) % {
            "new": new,
            "updated": updated,
            "unchanged": unchanged,
            "skipped": len(self.skipped),
        }
        return text + (" " + _("(dry run)") if self.dry_run else "")


#: Text held in a chunk of requests before it is written, whatever the chunk's length.
HELD_CHARS = 4_000_000


def apply_import(
    store: Store, records: Iterable[AnyRecord], *, dry_run: bool = False, undoable: bool = False
) -> ImportSummary:
    """Write all records in one transaction; with `dry_run`, count and roll back. With
    `undoable` (the app's import), the requests it added are one undoable change."""
    summary = ImportSummary(dry_run=dry_run)
    later = _Later()
    try:
        with store.write():
            writer = RequestWriter(store, batch_search=True)
            pending: list[RequestRecord] = []
            held = 0  # characters of text in `pending`: a chunk of huge messages is flushed early
            owner: OwnerRecord | None = None

            def flush() -> None:
                nonlocal held
                if pending:  # counted a chunk at a time: `add` per record showed in profiles
                    outcomes = summary.counts.setdefault("requests", Counter())
                    outcomes.update(outcome for outcome, _ in writer.write(pending))
                pending.clear()
                held = 0

            for record in records:
                if isinstance(record, RequestRecord):
                    if owner is not None and name_key(record.name) == name_key(owner.name):
                        summary.add("requests", "skipped (yourself)")
                        continue
                    pending.append(record)
                    held += len(record.message) + len(record.name) + len(record.headline)
                    if len(pending) >= CHUNK or held >= HELD_CHARS:
                        flush()
                elif isinstance(record, SkippedRecord):
                    summary.skipped.append(record)
                elif isinstance(record, OwnerRecord):
                    owner = record
                    store.remember_owner(record)
                else:
                    later.add(record)
            flush()
            writer.finish()  # connections and messages below read and rewrite the index
            if owner is None:  # messages.csv alone: "me" from an export imported before
                owner = store.known_owner()
            # Connections first; then messages in the order they were written, so the
            # user's question is recorded before the answer to it.
            for record in later.in_order():
                if isinstance(record, ConnectionRecord):
                    outcome, touched = store.record_connection(record)
                    kind = "connections"
                else:
                    outcome, touched = store.record_message(record, owner)
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
    finally:
        later.close()
    return summary


#: A connection or message with more text than this is held compressed until it is written.
PACK_CHARS = 2048
#: Connections and messages held as they are; beyond, all wait in a temporary database.
HELD_IN_MEMORY = 5000
#: Records added to the temporary database at once (one `executemany`).
_HELD_BATCH = 200


class _Later:
    """Connections and messages, held until the requests are written, to be applied in
    order: connections first, then messages oldest first (stable for equal times).

    What is held follows the input's real size, not the size it unpacks to (issue 11): a
    record with long text (a padded message) is kept as compressed JSON, and the number of
    records is bounded by the padding check on each zip member (decoding.Padding). Beyond
    HELD_IN_MEMORY records (a large export: 30,000 connections and as many messages took
    180 MB as objects; issue 9) they all wait as JSON in a private temporary SQLite
    database, which SQLite keeps in a file in the temporary folder once its cache of a few
    MB is full, removed from the folder as it is made: the import's memory stays flat."""

    def __init__(self) -> None:
        self._held: list[tuple[bool, str, int, Later | bytes]] = []
        self._db: sqlite3.Connection | None = None
        self._count = 0

    def add(self, record: Later) -> None:
        if isinstance(record, MessageRecord):
            size = len(record.content) + len(record.recipient_name)
        else:
            size = len(record.name) + len(record.company) + len(record.position)
        kept: Later | bytes = record
        if size > PACK_CHARS:
            kept = zlib.compress(record.model_dump_json().encode(), 1)
        self._held.append((isinstance(record, MessageRecord), _time(record), self._count, kept))
        self._count += 1
        if self._db is not None and len(self._held) >= _HELD_BATCH:
            self._spill()
        elif self._db is None and self._count > HELD_IN_MEMORY:
            self._db = sqlite3.connect("")  # "": a private temporary database
            self._db.execute(
                "CREATE TABLE held(is_message INTEGER, at TEXT, turn INTEGER PRIMARY KEY,"
                " packed INTEGER, data BLOB)"
            )
            self._spill()

    def _spill(self) -> None:
        assert self._db is not None
        rows = []
        for is_message, at, turn, kept in self._held:
            packed = isinstance(kept, bytes)
            data = kept if isinstance(kept, bytes) else kept.model_dump_json().encode()
            rows.append((is_message, at, turn, packed, data))
        self._db.executemany("INSERT INTO held VALUES (?, ?, ?, ?, ?)", rows)
        self._held.clear()

    def in_order(self) -> Iterator[Later]:
        try:
            if self._db is None:
                self._held.sort(key=lambda item: item[:3])
                for is_message, _when, _order, kept in self._held:
                    yield kept if not isinstance(kept, bytes) else _unpack(is_message, kept, True)
                return
            self._spill()
            for is_message, packed, data in self._db.execute(
                "SELECT is_message, packed, data FROM held ORDER BY is_message, at, turn"
            ):
                yield _unpack(bool(is_message), data, bool(packed))
        finally:
            self.close()

    def close(self) -> None:
        self._held = []
        if self._db is not None:
            self._db.close()
            self._db = None


def _unpack(is_message: bool, data: bytes, packed: bool) -> Later:
    """A held record from its JSON; strings not cached by pydantic (they would add up)."""
    values = from_json(zlib.decompress(data) if packed else data, cache_strings=False)
    if is_message:
        return MessageRecord.model_validate(values)
    return ConnectionRecord.model_validate(values)


Later = ConnectionRecord | MessageRecord


def _time(record: ConnectionRecord | MessageRecord) -> str:
    if isinstance(record, MessageRecord):
        return iso(record.sent_at) or ""
    return ""


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
