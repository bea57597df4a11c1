"""What an import records about requests beyond adding them: who "me" is, connections
(a request accepted on the platform), the user's own question asked outside the app, a
requester's answer, and messages kept as context.

Called inside the import's transaction (`netinbox.importing.apply_import`); each method
returns an outcome code for the import's summary and the requests it touched. None of it
is an undoable change: undo never deletes what an import brought (`Changes.undo`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from netinbox import db as dblib
from netinbox.identity import name_key, url_key
from netinbox.kinds import EventKind
from netinbox.store.adding import Adding
from netinbox.store.derived import append_event, index, update_request
from netinbox.text import for_storage
from netinbox.times import iso, parse_iso
from netinbox.words import ACCEPTED_ON_PLATFORM

if TYPE_CHECKING:
    from netinbox.models import ConnectionRecord, MessageRecord, OwnerRecord


class Recording(Adding):
    """The facts an import brings about requests: connections, questions, answers."""

    def remember_owner(self, owner: OwnerRecord) -> None:
        """Who "me" is (Profile.csv): signs follow-ups, and tells the user's own messages."""
        values = [("owner_name", owner.name)]
        if owner.profile_url:
            values.append(("owner_url", owner.profile_url))
        self.conn.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            values,
        )

    def known_owner(self) -> OwnerRecord | None:
        """The owner an export imported before named (`remember_owner`), if any."""
        from netinbox.models import OwnerRecord

        meta = dict(
            self.conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('owner_name', 'owner_url')"
            ).fetchall()
        )
        if not meta.get("owner_name"):
            return None
        return OwnerRecord(name=meta["owner_name"], profile_url=meta.get("owner_url"))

    def _incoming_of(self, platform: str, name: str, url: str | None) -> list[int]:
        person = self.find_person(platform, name, url)
        if person is None:
            return []
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM requests WHERE person_id = ? AND direction = 'incoming' ORDER BY received_at",
                (person["id"],),
            ).fetchall()
        ]

    def owe_answer(
        self,
        request_id: int,
        question: str,
        at: datetime,
        *,
        sender: str = "",
        key: str = "",
        source: str = "",
    ) -> bool:
        """Someone asked the user about the user's own request (or wrote after it): the
        user owes them an answer until one is recorded (`answer_owed`). For importers
        (messages.csv, message notification mails): call inside their write; `key` makes
        it idempotent (the same message imported again changes nothing, and a question
        answered before stays answered). The question is also kept with the request's
        earlier messages. True if this recorded a new owed answer."""
        import hashlib

        text = for_storage(question)
        when = iso(at)
        key = (
            key or hashlib.sha256(f"owed|{request_id}|{when}|{sender}|{text}".encode()).hexdigest()
        )
        with self.write():
            row = self._one("SELECT owed_at FROM requests WHERE id = ?", (request_id,))
            if row is None:
                raise dblib.StoreError(f"No request {request_id}.")
            added = self.conn.execute(
                "INSERT OR IGNORE INTO context_messages(request_id, at, sender, content, key)"
                " VALUES (?, ?, ?, ?, ?)",
                (request_id, when, for_storage(sender, one_line=True), text, key),
            ).rowcount
            if not added:
                return False
            replied = self._one(
                "SELECT max(at) FROM events WHERE request_id = ? AND kind = 'replied'"
                " AND undone = 0",
                (request_id,),
            )
            if replied is not None and replied[0] is not None and replied[0] >= when:
                return False  # the user answered after it: nothing owed
            if row["owed_at"] is not None and row["owed_at"] >= when:
                return False  # an unanswered, later question is owed already
            update_request(self.conn, request_id, {"owed_at": when, "owed_question": text})
            append_event(
                self.conn,
                request_id,
                iso(self.now()),
                EventKind.OWED,
                {"source": source, "at": when},
                change_id=None,
            )
        return True

    def _pending_sent_to(self, platform: str, name: str, url: str | None) -> int | None:
        """The latest request the user sent to this person that still waits, if any."""
        person = self.find_person(platform, name, url)
        if person is None:
            return None
        row = self.conn.execute(
            "SELECT id FROM requests WHERE person_id = ? AND direction = 'outgoing'"
            " AND status IN ('new', 'snoozed') ORDER BY received_at DESC, id DESC LIMIT 1",
            (person["id"],),
        ).fetchone()
        return int(row[0]) if row is not None else None

    def _record_owed(self, rec: MessageRecord) -> tuple[str, list[int]] | None:
        """A message from someone the user sent a request to, written after it: the user
        owes them an answer (rule 4). None when it is not that."""
        request_id = self._pending_sent_to(rec.platform.value, rec.sender_name, rec.sender_url)
        if request_id is None:
            return None
        sent = self.conn.execute(
            "SELECT received_at FROM requests WHERE id = ?", (request_id,)
        ).fetchone()[0]
        if iso(rec.sent_at) <= sent:  # before the request: not about it
            return None
        import hashlib  # here: the app's start records nothing

        key = hashlib.sha256(
            f"{rec.conversation_id}|{iso(rec.sent_at)}|{rec.sender_name}|{rec.content}".encode()
        ).hexdigest()
        owed = self.owe_answer(
            request_id, rec.content, rec.sent_at, sender=rec.sender_name, key=key,
            source=rec.source,
        )  # fmt: skip
        return ("question to you" if owed else "unchanged"), ([request_id] if owed else [])

    def _record_my_answer(self, rec: MessageRecord) -> tuple[str, list[int]] | None:
        """The user's own message, after a question they owed an answer to: answered
        outside the app (messages.csv), so nothing is owed any more."""
        if len(rec.recipient_urls) > 1:
            return None
        url = rec.recipient_urls[0] if rec.recipient_urls else None
        request_id = self._pending_sent_to(rec.platform.value, rec.recipient_name, url)
        if request_id is None:
            return None
        owed = self.conn.execute(
            "SELECT owed_at FROM requests WHERE id = ?", (request_id,)
        ).fetchone()[0]
        if owed is None or iso(rec.sent_at) <= owed:
            return None
        update_request(self.conn, request_id, {"owed_at": None, "owed_question": ""})
        append_event(
            self.conn,
            request_id,
            iso(rec.sent_at),
            EventKind.REPLIED,
            {"source": rec.source, "imported": True, "answer": rec.content},
            change_id=None,
        )
        return "your answer", [request_id]

    def record_connection(self, rec: ConnectionRecord) -> tuple[str, list[int]]:
        """A connection's open request (theirs or ours) was accepted on the platform:
        record it, once."""
        person = self.find_person(rec.platform.value, rec.name, rec.profile_url)
        if person is None:
            return "not a request", []
        changed = False
        if not person["is_connection"]:
            self.conn.execute("UPDATE persons SET is_connection = 1 WHERE id = ?", (person["id"],))
            changed = True
        open_requests = self.conn.execute(
            "SELECT id, status FROM requests WHERE person_id = ?"
            " AND status NOT IN ('accepted', 'declined', 'withdrawn')",
            (person["id"],),
        ).fetchall()
        now = iso(self.now())
        for row in open_requests:
            at = iso(rec.connected_on) if rec.connected_on else now
            update_request(
                self.conn,
                row["id"],
                {
                    "status": "accepted",
                    "decided_at": at,
                    "decision_note": ACCEPTED_ON_PLATFORM,
                    "snoozed_until": None,
                    "status_before_snooze": None,
                },
            )
            append_event(
                self.conn,
                row["id"],
                now,
                EventKind.ACCEPTED_ON_PLATFORM,
                {"source": rec.source, "was": row["status"]},
                change_id=None,
            )
            changed = True
        ids = [row["id"] for row in open_requests]
        if open_requests:
            return "accepted on platform", ids
        return ("updated" if changed else "unchanged"), []

    def record_question(self, rec: MessageRecord) -> tuple[str, list[int]]:
        """The user's own message to someone whose request waits, written after it: the
        user asked outside the app. Recorded as the follow-up, sent then, its deadline from
        then — unless the request already has one (asked in the app, or imported before)."""
        if len(rec.recipient_urls) > 1:
            return "ignored", []  # a group message asks nobody in particular
        url = rec.recipient_urls[0] if rec.recipient_urls else None
        if url is None and ("," in rec.recipient_name or not rec.recipient_name.strip()):
            return "ignored", []  # several people, or nobody named
        requests = self._incoming_of(rec.platform.value, rec.recipient_name, url)
        if not requests:
            return "ignored", []
        sent = iso(rec.sent_at)
        row = self.conn.execute(
            "SELECT id, status, received_at FROM requests WHERE id = ?", (requests[-1],)
        ).fetchone()
        if row["received_at"] > sent:  # written before the request: not about it
            return "ignored", []
        if self.conn.execute(
            "SELECT 1 FROM follow_ups WHERE request_id = ? LIMIT 1", (row["id"],)
        ).fetchone():
            return "unchanged", []
        due = iso(self.deadline(rec.sent_at))
        self.conn.execute(
            "INSERT INTO follow_ups(request_id, body, sent_at, due_at) VALUES (?, ?, ?, ?)",
            (row["id"], rec.content, sent, due),
        )
        if row["status"] == "new":  # what the user did in the app (decided, snoozed) stays
            update_request(self.conn, row["id"], {"status": "asked", "due_at": due})
        append_event(
            self.conn,
            row["id"],
            iso(self.now()),
            EventKind.ASKED,
            {"source": rec.source, "imported": True, "sent_at": sent, "due_at": due},
            change_id=None,
        )
        return "question", [row["id"]]

    def record_message(
        self, rec: MessageRecord, owner: OwnerRecord | None
    ) -> tuple[str, list[int]]:
        """A message from a requester: after our follow-up it is their answer, before it
        context. One from the user to a requester after the request is the follow-up,
        asked outside."""
        if rec.is_draft or not (rec.content.strip() or rec.from_mail):
            return "ignored", []
        if _is_owner(rec.sender_name, rec.sender_url, owner):
            return self._record_my_answer(rec) or self.record_question(rec)
        requests = self._incoming_of(rec.platform.value, rec.sender_name, rec.sender_url)
        if not requests:
            return self._record_owed(rec) or ("not from a requester", [])
        request_id = requests[-1]
        follow = self.conn.execute(
            "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY id DESC LIMIT 1",
            (request_id,),
        ).fetchone()
        sent = parse_iso(follow["sent_at"]) if follow is not None else None
        if follow is not None and sent is not None and rec.sent_at > sent:
            if follow["answered_at"]:
                if rec.content.strip() and not follow["answer"]:  # a mail said only "answered"
                    self.conn.execute(
                        "UPDATE follow_ups SET answer = ? WHERE id = ?", (rec.content, follow["id"])
                    )
                    index(self.conn, request_id)
                    return "answer", [request_id]
                return "unchanged", []
            self.conn.execute(
                "UPDATE follow_ups SET answered_at = ?, answer = ? WHERE id = ?",
                (iso(rec.sent_at), rec.content, follow["id"]),
            )
            waiting = ("asked", "snoozed", "could_not_ask")  # decided stays decided
            update_request(self.conn, request_id, {"status": "answered"}, status_in=waiting)
            index(self.conn, request_id)
            append_event(
                self.conn,
                request_id,
                iso(self.now()),
                EventKind.ANSWERED,
                {"source": rec.source, "imported": True},
                change_id=None,
            )
            return "answer", [request_id]
        if not rec.content.strip():  # a mail without the text: nothing to keep as context
            return "unchanged", []
        import hashlib

        digest = hashlib.sha256(
            f"{rec.conversation_id}|{iso(rec.sent_at)}|{rec.sender_name}|{rec.content}".encode()
        ).hexdigest()
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO context_messages(request_id, at, sender, content, key)"
            " VALUES (?, ?, ?, ?, ?)",
            (request_id, iso(rec.sent_at), rec.sender_name, rec.content, digest),
        )
        return ("context" if cur.rowcount else "unchanged"), []


def _is_owner(name: str, url: str | None, owner: OwnerRecord | None) -> bool:
    if owner is None:
        return False
    if url_key(url) and url_key(url) == url_key(owner.profile_url):
        return True
    return name_key(name) == name_key(owner.name)
