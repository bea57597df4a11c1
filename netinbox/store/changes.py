"""Changes and undo: every action the user takes on a request (ask, record an answer,
decide, snooze, reopen, note) is one transaction and one "change" in the event log, which
`undo` walks back. Waking snoozed requests is the clock's change, not undoable.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netinbox import db as dblib
from netinbox.i18n import _
from netinbox.kinds import EventKind, Status
from netinbox.store.derived import (
    append_event,
    index,
    next_change,
    unindex_many,
    update_request,
)
from netinbox.store.listing import Listing
from netinbox.text import for_storage
from netinbox.times import iso

if TYPE_CHECKING:
    from netinbox.models import FollowUp

# The request columns a user action may change; an event keeps them as they were.
MUTABLE = (
    "status",
    "decided_at",
    "decision_note",
    "snoozed_until",
    "status_before_snooze",
    "due_at",
    "owed_at",
    "owed_question",
)


class Changes(Listing):
    """The user's actions on requests, each one transaction and one step of undo."""

    # --- the event log and undo -----------------------------------------------------------

    def _event(
        self,
        request_id: int | None,
        kind: EventKind,
        data: dict[str, Any],
        *,
        change_id: int | None,
    ) -> None:
        append_event(self.conn, request_id, iso(self.now()), kind, data, change_id=change_id)

    def _snapshot(self, request_id: int) -> dict[str, Any]:
        row = self._one(
            f"SELECT {', '.join(MUTABLE)}, version FROM requests WHERE id = ?", (request_id,)
        )
        if row is None:
            raise dblib.StoreError(_("No request %(id)s.") % {"id": request_id})
        return {k: row[k] for k in MUTABLE}

    def _update(self, request_id: int, values: dict[str, Any], version: int | None) -> None:
        if not update_request(self.conn, request_id, values, version):
            raise dblib.StoreError(
                _("This request was changed elsewhere; reload it and try again.")
            )

    def _change(
        self,
        request_ids: Iterable[int],
        kind: EventKind,
        apply: Callable[[int], dict[str, Any]],
        version: int | None = None,
    ) -> int:
        """Apply one user action to one or more requests as one transaction and one undo step."""
        with self.write():
            change_id = next_change(self.conn)
            for request_id in request_ids:
                before = self._snapshot(request_id)
                extra = apply(request_id)
                values = extra.pop("_values", {})
                if values:
                    self._update(request_id, values, version)
                self._event(request_id, kind, {"before": before, **extra}, change_id=change_id)
        return change_id

    def make_import_undoable(self, first_new_request: int) -> bool:
        """Inside an import's transaction: the requests it added (ids from
        `first_new_request` on), with everything it recorded about them, become one
        change that `undo` takes back. What it changed on requests stored before stays
        (an answer, a connection): undo never deletes what an import brought to those."""
        change_id = next_change(self.conn)
        added = self.conn.execute(
            "UPDATE events SET change_id = ? WHERE request_id >= ? AND change_id IS NULL",
            (change_id, first_new_request),
        )
        return added.rowcount > 0

    def clear_undo(self) -> None:
        """Nothing done so far can be undone (the demo's own history is not the user's)."""
        with self.write():
            self.conn.execute("UPDATE events SET change_id = NULL")

    def undo_size(self) -> int:
        """How many events the next `undo` walks back (an import's: one per request)."""
        row = self._one(
            "SELECT count(*) FROM events WHERE change_id = (SELECT max(change_id) FROM events"
            " WHERE undone = 0 AND change_id IS NOT NULL)"
        )
        return int(row[0]) if row is not None else 0

    def undo(self) -> str | None:
        """Walk the event log back one change; returns what it undid, or None."""
        row = self._one(
            "SELECT max(change_id) FROM events WHERE undone = 0 AND change_id IS NOT NULL"
        )
        if row is None or row[0] is None:
            return None
        change_id = row[0]
        with self.write():
            events = self.conn.execute(
                "SELECT e.*, p.name, r.direction FROM events e JOIN requests r"
                " ON r.id = e.request_id JOIN persons p ON p.id = r.person_id"
                " WHERE e.change_id = ? ORDER BY e.id DESC",
                (change_id,),
            ).fetchall()
            self._refuse_undo_over_import(events)
            # Requests this change added (by hand, or an import from the app) go whole,
            # with what else the change recorded about them.
            made = (EventKind.ADDED.value, EventKind.IMPORTED.value)
            added = {e["request_id"] for e in events if e["kind"] in made}
            self._remove_requests(sorted(added))
            for event in events:
                if event["request_id"] in added:
                    continue
                data = json.loads(event["data"])
                before = data.get("before", {})
                if before:
                    update_request(self.conn, event["request_id"], before)
                if "created_follow_up" in data:
                    self.conn.execute(
                        "DELETE FROM follow_ups WHERE id = ?", (data["created_follow_up"],)
                    )
                if "follow_up_before" in data:
                    f = data["follow_up_before"]
                    self.conn.execute(
                        "UPDATE follow_ups SET answered_at = ?, answer = ? WHERE id = ?",
                        (f["answered_at"], f["answer"], f["id"]),
                    )
                index(self.conn, event["request_id"])
            self.conn.execute("UPDATE events SET undone = 1 WHERE change_id = ?", (change_id,))
        if events and events[0]["kind"] == EventKind.ADDED.value:
            return Undone.of(EventKind.ADDED.value, events[0]["name"], 1)
        imported = sum(1 for e in events if e["kind"] == EventKind.IMPORTED.value)
        if imported:
            return Undone.of(EventKind.IMPORTED.value, "", imported)
        if not events:
            return None
        return Undone.of(
            events[0]["kind"], events[0]["name"], len(events), _direction(events)
        )

    def _refuse_undo_over_import(self, events: list[sqlite3.Row]) -> None:
        """Undo never deletes what a later import brought (an answer, a question asked
        outside the app, an acceptance on the platform): it says what it cannot undo."""
        if not events:
            return
        last = max(event["id"] for event in events)
        later = self._one(  # (a change from an import may touch thousands of requests)
            "SELECT e.kind, p.name FROM events e JOIN requests r ON r.id = e.request_id"
            " JOIN persons p ON p.id = r.person_id"
            " WHERE e.request_id IN (SELECT request_id FROM events WHERE change_id = ?)"
            " AND e.id > ? AND e.change_id IS NULL"
            " AND e.kind IN ('answered', 'asked', 'accepted_on_platform', 'owed')"
            " ORDER BY e.id LIMIT 1",
            (events[0]["change_id"], last),
        )
        if later is None:
            return
        from netinbox.words import undo_refused

        what = Undone.of(events[0]["kind"], events[0]["name"], len(events), _direction(events))
        raise dblib.StoreError(undo_refused(what, later["kind"], later["name"]))

    def _remove_requests(self, request_ids: list[int]) -> None:
        """Remove requests (and their search entries, and persons left with none), 500 at
        a time: request by request, undoing an import of 100,000 took ten seconds."""
        for start in range(0, len(request_ids), 500):
            chunk = request_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            unindex_many(self.conn, chunk)
            persons = [
                row[0]
                for row in self.conn.execute(
                    f"SELECT DISTINCT person_id FROM requests WHERE id IN ({marks})", chunk
                )
            ]
            self.conn.execute(f"DELETE FROM requests WHERE id IN ({marks})", chunk)
            for first in range(0, len(persons), 500):
                some = persons[first : first + 500]
                self.conn.execute(
                    f"DELETE FROM persons WHERE id IN ({','.join('?' * len(some))})"
                    " AND NOT EXISTS (SELECT 1 FROM requests WHERE person_id = persons.id)",
                    some,
                )

    # --- the lifecycle --------------------------------------------------------------------

    def save_draft(self, request_id: int, body: str, template: str = "") -> None:
        body = for_storage(body)
        with self.write():
            self.conn.execute(
                "INSERT INTO drafts(request_id, body, template, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(request_id) DO UPDATE SET body = excluded.body,"
                " template = excluded.template, updated_at = excluded.updated_at",
                (request_id, body, for_storage(template, one_line=True), iso(self.now())),
            )

    def mark_sent(
        self, request_id: int, body: str | None = None, *, version: int | None = None
    ) -> FollowUp:
        """Record the follow-up as sent now; the answer is due after the configured days."""
        return self.mark_sent_many(
            [request_id], {request_id: body} if body is not None else None, version=version
        )[0]

    def mark_sent_many(
        self,
        request_ids: list[int],
        bodies: dict[int, str] | None = None,
        *,
        version: int | None = None,
    ) -> list[FollowUp]:
        now = self.now()
        due = self.deadline(now)
        created: list[int] = []

        def apply(request_id: int) -> dict[str, Any]:
            body = (bodies or {}).get(request_id)
            if body is None:
                draft = self._one("SELECT body FROM drafts WHERE request_id = ?", (request_id,))
                body = draft["body"] if draft else ""
            cur = self.conn.execute(
                "INSERT INTO follow_ups(request_id, body, sent_at, due_at) VALUES (?, ?, ?, ?)",
                (request_id, for_storage(body), iso(now), iso(due)),
            )
            created.append(int(cur.lastrowid or 0))
            return {
                "_values": {
                    "status": Status.ASKED.value,
                    "due_at": iso(due),
                    "decided_at": None,
                    "snoozed_until": None,
                    "status_before_snooze": None,
                },
                "created_follow_up": cur.lastrowid,
                "due_at": iso(due),
            }

        self._change(request_ids, EventKind.ASKED, apply, version)
        return [self.get(rid).follow_up for rid in request_ids]  # type: ignore[misc]

    def record_answer(
        self,
        request_id: int,
        answer: str,
        at: datetime | None = None,
        *,
        version: int | None = None,
    ) -> None:
        answered = at or self.now()

        def apply(rid: int) -> dict[str, Any]:
            follow = self._one(
                "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY id DESC LIMIT 1", (rid,)
            )
            extra: dict[str, Any] = {"_values": {"status": Status.ANSWERED.value}}
            if follow is None:  # answered without a recorded question: record both at once
                cur = self.conn.execute(
                    "INSERT INTO follow_ups(request_id, body, sent_at, due_at, answered_at, answer)"
                    " VALUES (?, '', ?, ?, ?, ?)",
                    (rid, iso(answered), iso(answered), iso(answered), for_storage(answer)),
                )
                extra["created_follow_up"] = cur.lastrowid
            else:
                extra["follow_up_before"] = {
                    "id": follow["id"],
                    "answered_at": follow["answered_at"],
                    "answer": follow["answer"],
                }
                self.conn.execute(
                    "UPDATE follow_ups SET answered_at = ?, answer = ? WHERE id = ?",
                    (iso(answered), for_storage(answer), follow["id"]),
                )
            index(self.conn, rid)
            return extra

        self._change([request_id], EventKind.ANSWERED, apply, version)

    def _decide(
        self, request_ids: list[int], status: Status, note: str, version: int | None
    ) -> int:
        """Accept or decline; declining a request the user sent withdraws it."""
        mine: set[int] = set()
        if status is not Status.ACCEPTED:
            for start in range(0, len(request_ids), 500):
                chunk = request_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                mine.update(
                    row[0]
                    for row in self.conn.execute(
                        f"SELECT id FROM requests WHERE id IN ({marks}) AND direction = 'outgoing'",
                        chunk,
                    )
                )
        kind = {
            Status.ACCEPTED: EventKind.ACCEPTED,
            Status.WITHDRAWN: EventKind.WITHDRAWN,
        }.get(status, EventKind.DECLINED)
        if request_ids and mine.issuperset(request_ids):
            kind = EventKind.WITHDRAWN
        values = {
            "decided_at": iso(self.now()),
            "decision_note": for_storage(note),
            "snoozed_until": None,
            "status_before_snooze": None,
        }

        def apply(rid: int) -> dict[str, Any]:
            decided = Status.WITHDRAWN if rid in mine else status
            return {
                "_values": {"status": decided.value, **values},
                "note": values["decision_note"],
            }

        return self._change(request_ids, kind, apply, version)

    def accept(self, request_id: int, note: str = "", *, version: int | None = None) -> None:
        self._decide([request_id], Status.ACCEPTED, note, version)

    def decline(self, request_id: int, note: str = "", *, version: int | None = None) -> None:
        self._decide([request_id], Status.DECLINED, note, version)

    def decline_many(self, request_ids: list[int], note: str = "") -> None:
        self._decide(request_ids, Status.DECLINED, note, None)

    def withdraw(self, request_id: int, note: str = "", *, version: int | None = None) -> None:
        """The user withdrew a request they sent (on the platform, themselves)."""
        self._decide([request_id], Status.WITHDRAWN, note, version)

    def snooze(self, request_id: int, until: datetime, *, version: int | None = None) -> None:
        def apply(rid: int) -> dict[str, Any]:
            current = self._one(
                "SELECT status, status_before_snooze FROM requests WHERE id = ?", (rid,)
            )
            assert current is not None  # `_change` took its snapshot first
            previous = (
                current["status_before_snooze"]
                if current["status"] == "snoozed"
                else current["status"]
            )
            return {
                "_values": {
                    "status": Status.SNOOZED.value,
                    "snoozed_until": iso(until),
                    "status_before_snooze": previous,
                },
                "until": iso(until),
            }

        self._change([request_id], EventKind.SNOOZED, apply, version)

    def could_not_ask(self, request_id: int, *, version: int | None = None) -> None:
        self._change(
            [request_id],
            EventKind.COULD_NOT_ASK,
            lambda rid: {"_values": {"status": Status.COULD_NOT_ASK.value}},
            version,
        )

    def reopen(self, request_id: int, *, version: int | None = None) -> None:
        def apply(rid: int) -> dict[str, Any]:
            follow = self._one(
                "SELECT answered_at, due_at FROM follow_ups WHERE request_id = ? ORDER BY id DESC LIMIT 1",
                (rid,),
            )
            status = (
                Status.NEW
                if follow is None
                else (Status.ANSWERED if follow["answered_at"] else Status.ASKED)
            )
            return {
                "_values": {
                    "status": status.value,
                    "decided_at": None,
                    "decision_note": "",
                    "snoozed_until": None,
                    "status_before_snooze": None,
                }
            }

        self._change([request_id], EventKind.REOPENED, apply, version)

    def add_note(self, request_id: int, note: str) -> None:
        self._change([request_id], EventKind.NOTE, lambda rid: {"note": for_storage(note)})

    # --- the sender's side: my own requests ------------------------------------------------

    def mark_reason_sent(
        self, request_id: int, body: str, *, version: int | None = None
    ) -> FollowUp:
        """Record that the user followed up on their own request with the reason they
        forgot. The request stays pending: nobody owes the user an answer, so no deadline
        runs (the follow-up's `due_at` is its own time)."""
        now = iso(self.now())

        def apply(rid: int) -> dict[str, Any]:
            cur = self.conn.execute(
                "INSERT INTO follow_ups(request_id, body, sent_at, due_at) VALUES (?, ?, ?, ?)",
                (rid, for_storage(body), now, now),
            )
            return {"created_follow_up": cur.lastrowid}

        self._change([request_id], EventKind.EXPLAINED, apply, version)
        return self.get(request_id).follow_up  # type: ignore[return-value]

    def answer_owed(self, request_id: int, answer: str = "", *, version: int | None = None) -> None:
        """The user answered the question they owed an answer to: it leaves the I owe an
        answer view. `answer` is what the user wrote (kept in the decision log)."""
        text = for_storage(answer)

        def apply(rid: int) -> dict[str, Any]:
            return {"_values": {"owed_at": None, "owed_question": ""}, "answer": text}

        self._change([request_id], EventKind.REPLIED, apply, version)

    def wake_snoozed(self) -> int:
        """Return snoozed requests whose date has come to the state they had before."""
        now = iso(self.now())
        due = self.conn.execute(
            "SELECT id, status_before_snooze FROM requests"
            " WHERE status = 'snoozed' AND snoozed_until <= ?",
            (now,),
        ).fetchall()
        if not due or self.read_only:
            return 0
        with self.write():
            for request_id, before in due:
                status = "new" if before is None else before
                values = {"status": status, "snoozed_until": None, "status_before_snooze": None}
                update_request(self.conn, request_id, values)
                self._event(request_id, EventKind.WOKEN, {}, change_id=None)
        return len(due)


def _direction(events: list[sqlite3.Row]) -> str:
    """The direction of the requests a change touched: `outgoing` when all were the user's."""
    keys = events[0].keys() if events else []
    mine = "direction" in keys and all(e["direction"] == "outgoing" for e in events)
    return "outgoing" if mine else "incoming"


class Undone(str):
    """What an undo took back: the change's event kind (a code), the request's name (one
    request) and how many requests it touched. As text, its words in the interface's
    language ("declined Vera Vorher", "the import of 3 new requests"):
    `netinbox.words.undone_words`."""

    kind: str
    name: str
    touched: int

    @classmethod
    def of(cls, kind: str, name: str, count: int, direction: str = "incoming") -> Undone:
        from netinbox.words import undone_words

        text = cls(undone_words(kind, name, count, direction))
        text.kind, text.name, text.touched = kind, name, count
        return text
