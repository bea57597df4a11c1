"""Listing and counts: what the list shows (a page of a view or a search, in its order),
how many each view holds, where a request stands, one request in full, what is due.

Reads only. The SQL of each shape of query is built once (it runs on every keystroke of a
search) and each view's plan is held by the tests (`plans`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from netinbox import db as dblib
from netinbox.details import Draft, Event, FollowUp, Person, Request, RequestDetail
from netinbox.i18n import _
from netinbox.kinds import ContactsVisible, Direction, EventKind, InvitationKind, Platform, Status
from netinbox.query import VIEW_SQL, Query, View, fts_match
from netinbox.rows import RequestRow
from netinbox.rules import all_flags, is_overdue
from netinbox.store.opening import StoreFile
from netinbox.times import iso, parse_iso, parse_stored

SOON = timedelta(days=2)

ROW_COLUMNS = (
    "r.id, r.status, r.direction, p.platform, p.name, p.headline, p.company,"
    " r.received_at, r.due_at, r.flags, r.snoozed_until, r.kind, r.owed_at,"
    " substr(r.owed_question, 1, 300)"
)
"""What `Store.rows` reads for the list, in `_list_row`'s order."""


@lru_cache(maxsize=256)
def _from_where(view: View, terms: tuple[str, ...], match: bool) -> tuple[str, str, bool]:
    """FROM, WHERE and whether the clock's values (`:now`, `:soon`, `:today`,
    `:tomorrow`) are bound, for one shape of query."""
    clauses = [VIEW_SQL[view], *terms]
    source = "requests r"
    if match:
        # The search index drives, always: the planner would otherwise walk the view's
        # index and run the full-text match once per row (23 s for a name in New at 100k).
        # CROSS JOIN fixes the order of the loops, so a search costs what its matches do.
        source = "search s CROSS JOIN requests r ON r.search_key = s.rowid"
        clauses.append("search MATCH :match")
    where = " AND ".join(f"({c})" for c in clauses)
    if "p." in where:
        source += (" CROSS" if match else "") + " JOIN persons p ON p.id = r.person_id"
    return source, where, any(f":{name}" in where for name in ("now", "soon", "today", "tomorrow"))


def _order(view: View, search: bool) -> str:
    if search:
        return "s.rowid DESC"  # = received_at DESC, id DESC (see search_key)
    if view in (View.OVERDUE, View.AWAITING):
        return "r.due_at ASC, r.id ASC"
    if view is View.SNOOZED:  # the next to wake first
        return "r.snoozed_until ASC, r.id ASC"
    if view is View.OWED:  # the question waiting longest first
        return "r.owed_at ASC, r.id ASC"
    return "r.received_at DESC, r.id DESC"


def _in_order(source: str, where: str) -> tuple[str, str]:
    """FROM and WHERE for reading a view in its order, a page at a time: requests drive
    (through the view's index or the time order) so that a page stops after its rows.
    Left to itself, the planner drives `net:xing` from persons and `Decided` from two
    ranges of the status index, and sorts the whole view for every page."""
    if " JOIN persons p " in source and "CROSS JOIN persons p" not in source:
        source = source.replace(" JOIN persons p ", " CROSS JOIN persons p ")
    where = where.replace("r.status IN (", "+r.status IN (")
    if "r.owed_at IS NOT NULL" in where:  # a few rows, in their own order: their index drives
        where = where.replace("r.kind = ", "+r.kind = ")
    return source, where


_ANCHOR = {
    # (the order's columns, the anchor's, the comparison that means "after it in order")
    "search": ("s.rowid", "search_key", "<"),
    "received": ("(r.received_at, r.id)", "received_at, id", "<"),
    "due": ("(r.due_at, r.id)", "due_at, id", ">"),
    "owed": ("(r.owed_at, r.id)", "owed_at, id", ">"),
    "snoozed": ("(r.snoozed_until, r.id)", "snoozed_until, id", ">"),
}
_FLIP = {"<": ">", ">": "<"}
_ORDERED_BY = {"r.due_at": "due", "r.owed_at": "owed", "r.snoozed_until": "snoozed"}
"""The anchor of a view's order, by its first column (else the time order)."""


def _reverse(order: str) -> str:
    return order.replace(" DESC", " _A").replace(" ASC", " DESC").replace(" _A", " ASC")


@lru_cache(maxsize=256)
def _page_sql(source: str, where: str, view: View, search: bool, walk: str = "") -> str:
    """`Store.rows`' SQL for one shape of query (see there). `walk` reads the page just
    "after" or "before" an anchor row (`:anchor`) along the order's index, or counts its
    offset from the "end" (reversed order): each costs what a page near the top does."""
    order = _order(view, search)
    source, where = _in_order(source, where)
    if walk in ("after", "before"):
        kind = "search" if search else _ORDERED_BY.get(order.split(" ", 1)[0], "received")
        columns, anchor, after = _ANCHOR[kind]
        op = after if walk == "after" else _FLIP[after]
        where += f" AND {columns} {op} (SELECT {anchor} FROM requests WHERE id = :anchor)"
    if walk in ("before", "end"):
        order = _reverse(order)
    if search:
        if " JOIN persons p " not in source:
            source += " CROSS JOIN persons p ON p.id = r.person_id"
        return (
            f"SELECT {ROW_COLUMNS} FROM {source} WHERE {where} ORDER BY {order}"
            " LIMIT :limit OFFSET :offset"
        )
    return (
        f"SELECT {ROW_COLUMNS} FROM requests r JOIN persons p ON p.id = r.person_id"
        f" WHERE r.id IN (SELECT r.id FROM {source} WHERE {where} ORDER BY {order}"
        f" LIMIT :limit OFFSET :offset) ORDER BY {order}"
    )


_EXPORT_COLUMNS = (
    "SELECT r.*, p.platform, p.name, p.headline, p.company, p.profile_url, p.location,"
    " p.contacts_visible, p.mutual_contacts, p.is_connection"
    " FROM requests r JOIN persons p ON p.id = r.person_id"
)


_STATUS = {status.value: status for status in Status}
_DIRECTION = {direction.value: direction for direction in Direction}
_PLATFORM = {platform.value: platform for platform in Platform}
_KIND = {kind.value: kind for kind in InvitationKind}


_new_tuple = tuple.__new__


@lru_cache(maxsize=8192)
def _utc_time(text: str) -> datetime:
    """A stored time ("…Z", UTC); the same rows come back on every keystroke of a search."""
    return datetime.fromisoformat(text)


def _list_row(row: tuple[Any, ...], now: datetime | None) -> RequestRow:
    """A list row from `Store.rows`' columns; our own data, already clean: no validation.

    A row whose flags no deadline can change is the same row every time its columns are:
    typing a search brings the same rows back on every keystroke."""
    if row[1] != "asked":
        return _timeless_row(row)
    return _make_row(row, now)


@lru_cache(maxsize=4096)
def _timeless_row(row: tuple[Any, ...]) -> RequestRow:
    return _make_row(row, None)


def _make_row(row: tuple[Any, ...], now: datetime | None) -> RequestRow:
    (request_id, status, direction, platform, name, headline, company, received, due, flags,
     snoozed, kind, owed, question) = row  # fmt: skip
    due_at = _utc_time(due) if due else None
    flag_list = all_flags(flags.split(), status, due_at, now)
    values = (
        request_id,
        _STATUS[status],
        _DIRECTION[direction],
        _PLATFORM[platform],
        name,
        headline,
        company,
        _utc_time(received),
        due_at,
        tuple(flag_list),
        _utc_time(snoozed) if snoozed else None,
        _KIND.get(kind, InvitationKind.PERSON),
        _utc_time(owed) if owed else None,
        question,
    )
    return _new_tuple(RequestRow, values)  # RequestRow(*values), without a Python call


class Listing(StoreFile):
    """Reading: the list's pages, counts and positions, one request in full, what is due."""

    def my_name(self) -> str:
        """The name follow-ups are signed with: `my_name` from the config, else the owner's
        name from an imported Profile.csv; "" when neither is known."""
        if self.config.my_name.strip():
            return self.config.my_name.strip()
        row = self._one("SELECT value FROM meta WHERE key = 'owner_name'")
        return str(row[0]).strip() if row is not None else ""

    def _where(self, query: Query) -> tuple[str, str, dict[str, object]]:
        """FROM and WHERE of a query. Free text drives the plan from the search index.

        Called on every keystroke of a search: the SQL of each shape of query is built
        once, and the clock is read only when a clause needs it.
        """
        match = fts_match(query.text) if query.text else ""
        source, where, timed = _from_where(query.view, tuple(query.where), bool(match))
        params: dict[str, object] = dict(query.params)
        if match:
            params["match"] = match
        if timed:
            now = self.now()
            params.update(now=iso(now), soon=iso(now + SOON))
            if ":today" in where or ":tomorrow" in where:  # the zone: ~0.1 ms a search
                params.update(self._today(now))
        return source, where, params

    def _today(self, now: datetime) -> dict[str, str | None]:
        """The start of today and of tomorrow in the user's zone, as stored times."""
        zone = self.config.zone()
        today = datetime.combine(now.astimezone(zone).date(), time(), zone)
        tomorrow = datetime.combine(today.date() + timedelta(days=1), time(), zone)
        return {"today": iso(today), "tomorrow": iso(tomorrow)}

    def _statements(self, query: Query) -> dict[str, tuple[str, dict[str, object]]]:
        """Each statement one query runs, by what it is for: "count", "page", "ids"."""
        source, where, params = self._where(query)
        search = "match" in params
        order = _order(query.view, search)
        in_order, where_in_order = _in_order(source, where)
        return {
            "count": (f"SELECT count(*) FROM {source} WHERE {where}", params),
            "page": (
                _page_sql(source, where, query.view, search),
                {**params, "limit": 100, "offset": 0},
            ),
            "ids": (f"SELECT r.id FROM {in_order} WHERE {where_in_order} ORDER BY {order}", params),
        }

    def plans(self, query: Query, *, walk: str = "") -> dict[str, list[str]]:
        """SQLite's plan of each statement a query runs (`EXPLAIN QUERY PLAN`, one line a
        step, outer loop first): the tests hold every view and term to its shape. With a
        `walk` ("after", "before", "end"), the plan of that kind of page (`rows`)."""
        statements = self._statements(query)
        if walk:
            source, where, params = self._where(query)
            sql = _page_sql(source, where, query.view, "match" in params, walk)
            statements = {f"page {walk}": (sql, {**statements["page"][1], "anchor": 1})}
        return {
            what: [row[3] for row in self.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            for what, (sql, params) in statements.items()
        }

    def count(self, query: Query) -> int:
        sql, params = self._statements(query)["count"]
        return int(self._one(sql, params)[0])  # type: ignore[index]

    def counts(self) -> dict[View, int]:
        """How many requests each view holds, from covering indexes (a few ms at 100k)."""
        now = iso(self.now())
        result = {view: 0 for view in View}
        for status, direction, n in self.conn.execute(
            "SELECT status, direction, count(*) FROM requests GROUP BY status, direction"
        ):
            result[View.ALL] += n
            if status == "new" and direction == "incoming":
                result[View.NEW] += n
            elif status == "answered":
                result[View.ANSWERED] += n
            elif status in ("accepted", "declined", "withdrawn"):
                result[View.DECIDED] += n
            elif status == "asked":
                result[View.AWAITING] += n
            elif status == "snoozed":
                result[View.SNOOZED] += n
            if status == "new" and direction == "outgoing":
                result[View.SENT] += n
        for view in (View.TO_ASK, View.OVERDUE, View.OWED):  # the views' own clauses
            sql = f"SELECT count(*) FROM requests r WHERE {VIEW_SQL[view]}"
            result[view] = int(self.conn.execute(sql, {"now": now}).fetchone()[0])
        result[View.AWAITING] -= result[View.OVERDUE]
        return result

    def _ids_sql(self, query: Query) -> tuple[str, dict[str, object]]:
        """The ordered ids of a view; joins persons only when a term needs it."""
        return self._statements(query)["ids"]

    def rows(
        self,
        query: Query,
        offset: int = 0,
        limit: int = 100,
        *,
        after: int | None = None,
        before: int | None = None,
        total: int | None = None,
    ) -> list[RequestRow]:
        """One page of the list, newest first (overdue: oldest deadline first).

        A view's page picks its ids first, from an index, and joins only those rows; a
        search walks the search index newest first (its rowid is the time order) and
        joins as it goes. An offset is still walked row by row, so the list reads the page
        `after` or `before` the id of a neighbouring page's last or first row instead, and
        a page in the second half of a view of `total` rows from its end: no page costs
        more than a walk through half the view, the neighbours of a page it has almost
        nothing.
        """
        source, where, params = self._where(query)
        walk = ""
        if after is not None or before is not None:
            walk = "after" if after is not None else "before"
            params.update(anchor=after if after is not None else before, offset=0)
        elif total is not None and offset > total // 2:
            walk = "end"
            limit = max(min(limit, total - offset), 0)
            offset = max(total - offset - limit, 0)
        params.update(limit=limit, offset=params.get("offset", offset))
        sql = _page_sql(source, where, query.view, "match" in params, walk)
        rows = self._tuple_cursor().execute(sql, params).fetchall()
        if walk in ("before", "end"):
            rows.reverse()
        now = self.now() if any(row[1] == "asked" for row in rows) else None
        return [_list_row(row, now) for row in rows]

    def _tuple_cursor(self) -> sqlite3.Cursor:
        """This thread's cursor for plain tuples: `rows` runs on every keystroke of a
        search, and a cursor made per call cost a tenth of a short query."""
        cursor: sqlite3.Cursor | None = getattr(self._tuples, "cursor", None)
        if cursor is None or cursor.connection is not self.conn:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            self._tuples.cursor = cursor
        return cursor

    def position(self, query: Query, request_id: int, *, within: int | None = None) -> int | None:
        """Where a request stands in a view's order (None: not in it), so the list can keep
        the cursor on it. Counts the rows before it along the order's index: the cost
        follows the position, not the size of the view (it read every id of the view).
        With `within`, counts no further: a position of `within` means "that far or more"
        (the app's UI thread asks so, and finds a far one in a thread)."""
        source, where, params = self._where(query)
        params = {**params, "target": request_id}
        found = self._one(
            f"SELECT r.received_at, r.due_at, r.search_key, r.owed_at, r.snoozed_until FROM {source}"
            f" WHERE ({where}) AND r.id = :target",
            params,
        )
        if found is None:
            return None
        if "match" in params:
            before = "s.rowid > :key"
            params["key"] = found[2]
        elif query.view in (View.OVERDUE, View.AWAITING):
            before = "(r.due_at, r.id) < (:key, :target)"
            params["key"] = found[1]
        elif query.view is View.OWED:
            before = "(r.owed_at, r.id) < (:key, :target)"
            params["key"] = found[3]
        elif query.view is View.SNOOZED:  # the next to wake first
            before = "(r.snoozed_until, r.id) < (:key, :target)"
            params["key"] = found[4]
        else:
            before = "(r.received_at, r.id) > (:key, :target)"
            params["key"] = found[0]
        sql = f"SELECT 1 FROM {source} WHERE ({where}) AND {before}"
        if within is not None:
            sql, params["within"] = f"{sql} LIMIT :within", within
        row = self._one(f"SELECT count(*) FROM ({sql})", params)
        return int(row[0])  # type: ignore[index]

    def ids(self, query: Query) -> list[int]:
        return [r[0] for r in self.conn.execute(*self._ids_sql(query)).fetchall()]

    def get(self, request_id: int) -> RequestDetail:
        row = self._one("SELECT * FROM requests WHERE id = ?", (request_id,))
        if row is None:
            raise dblib.StoreError(_("No request %(id)s.") % {"id": request_id})
        person = self._one("SELECT * FROM persons WHERE id = ?", (row["person_id"],))
        assert person is not None
        draft = self._one("SELECT * FROM drafts WHERE request_id = ?", (request_id,))
        follow_ups = self.conn.execute(
            "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY sent_at, id", (request_id,)
        ).fetchall()
        events = self.conn.execute(
            "SELECT * FROM events WHERE request_id = ? ORDER BY id", (request_id,)
        ).fetchall()
        return self._detail(row, person, draft, follow_ups, events)

    def get_many(self, request_ids: Iterable[int]) -> list[RequestDetail]:
        """The details of many requests (the marked ones of a bulk action) in five queries
        per 500, in the order given; ids no longer stored are left out. `get` one by one
        cost half a millisecond a request."""
        ids = list(dict.fromkeys(request_ids))
        found: dict[int, RequestDetail] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))

            def rows(sql: str, chunk: list[int] = chunk, marks: str = marks) -> list[sqlite3.Row]:
                return self.conn.execute(sql.format(marks=marks), chunk).fetchall()

            requests = rows("SELECT * FROM requests WHERE id IN ({marks})")
            persons = {
                p["id"]: p
                for p in rows(
                    "SELECT * FROM persons WHERE id IN"
                    " (SELECT person_id FROM requests WHERE id IN ({marks}))"
                )
            }
            drafts = {
                d["request_id"]: d
                for d in rows("SELECT * FROM drafts WHERE request_id IN ({marks})")
            }
            follow_ups: dict[int, list[sqlite3.Row]] = {}
            for f in rows(
                "SELECT * FROM follow_ups WHERE request_id IN ({marks}) ORDER BY sent_at, id"
            ):
                follow_ups.setdefault(f["request_id"], []).append(f)
            events: dict[int, list[sqlite3.Row]] = {}
            for e in rows("SELECT * FROM events WHERE request_id IN ({marks}) ORDER BY id"):
                events.setdefault(e["request_id"], []).append(e)
            for row in requests:
                rid = row["id"]
                found[rid] = self._detail(
                    row,
                    persons[row["person_id"]],
                    drafts.get(rid),
                    follow_ups.get(rid, []),
                    events.get(rid, []),
                )
        return [found[i] for i in ids if i in found]

    def _detail(
        self,
        row: sqlite3.Row,
        person: sqlite3.Row,
        draft: sqlite3.Row | None,
        follow_ups: list[sqlite3.Row],
        events: list[sqlite3.Row],
    ) -> RequestDetail:
        request_id = row["id"]
        due = parse_iso(row["due_at"])
        flags = all_flags(row["flags"].split(), row["status"], due, self.now())
        return RequestDetail(
            request=Request(
                id=row["id"],
                person_id=row["person_id"],
                direction=Direction(row["direction"]),
                received_at=parse_stored(row["received_at"]),
                message=row["message"],
                source=row["source"],
                status=Status(row["status"]),
                decided_at=parse_iso(row["decided_at"]),
                decision_note=row["decision_note"],
                snoozed_until=parse_iso(row["snoozed_until"]),
                due_at=due,
                invitation_id=row["invitation_id"],
                kind=InvitationKind(row["kind"]),
                flags=flags,
                owed_at=parse_iso(row["owed_at"]),
                owed_question=row["owed_question"],
                version=row["version"],
            ),
            person=Person(
                id=person["id"],
                platform=Platform(person["platform"]),
                profile_url=person["profile_url"],
                name=person["name"],
                headline=person["headline"],
                company=person["company"],
                location=person["location"],
                contacts_visible=ContactsVisible(person["contacts_visible"]),
                mutual_contacts=person["mutual_contacts"],
                notes=person["notes"],
                is_connection=bool(person["is_connection"]),
            ),
            draft=Draft(
                request_id=request_id,
                body=draft["body"],
                template=draft["template"],
                updated_at=parse_iso(draft["updated_at"]),
            )
            if draft is not None
            else None,
            follow_ups=[
                FollowUp(
                    id=f["id"],
                    request_id=request_id,
                    body=f["body"],
                    sent_at=parse_stored(f["sent_at"]),
                    due_at=parse_stored(f["due_at"]),
                    answered_at=parse_iso(f["answered_at"]),
                    answer=f["answer"],
                )
                for f in follow_ups
            ],
            events=[
                Event(
                    id=e["id"],
                    request_id=request_id,
                    at=parse_stored(e["at"]),
                    kind=EventKind(e["kind"]),
                    data=json.loads(e["data"]),
                    change_id=e["change_id"],
                    undone=bool(e["undone"]),
                )
                for e in events
            ],
        )

    def mark(self) -> tuple[int, int]:
        """Where the store's requests and events end now: `news` reports what comes after."""
        requests = self.conn.execute("SELECT coalesce(max(id), 0) FROM requests").fetchone()[0]
        events = self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        return int(requests), int(events)

    def news(self, since: tuple[int, int]) -> list[tuple[str, str, str]]:
        """`(what, name, platform)` for each request added and each answer recorded after
        `since` (a `mark`), in order: `what` is "new" or "answer"."""
        added = self.conn.execute(
            "SELECT r.id, p.name, p.platform FROM requests r JOIN persons p ON p.id = r.person_id"
            " WHERE r.id > ? ORDER BY r.id",
            (since[0],),
        ).fetchall()
        answers = self.conn.execute(
            "SELECT e.id, p.name, p.platform FROM events e JOIN requests r ON r.id = e.request_id"
            " JOIN persons p ON p.id = r.person_id WHERE e.id > ? AND e.kind = ? ORDER BY e.id",
            (since[1], EventKind.ANSWERED.value),
        ).fetchall()
        return [("new", row[1], row[2]) for row in added] + [
            ("answer", row[1], row[2]) for row in answers
        ]

    def person_name(self, person_id: int) -> str | None:
        """A person's name; None when there is no such person."""
        row = self._one("SELECT name FROM persons WHERE id = ?", (person_id,))
        return None if row is None else str(row[0])

    def context_messages(self, request_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT at, sender, content FROM context_messages WHERE request_id = ? ORDER BY at",
            (request_id,),
        ).fetchall()

    def due(self, within: timedelta = SOON) -> list[dict[str, Any]]:
        """Overdue follow-ups and those due within `within`, oldest deadline first."""
        now = self.now()
        rows = self.conn.execute(
            "SELECT r.id, p.name, p.platform, r.due_at, f.sent_at FROM requests r"
            " JOIN persons p ON p.id = r.person_id"
            " JOIN follow_ups f ON f.id = (SELECT max(id) FROM follow_ups WHERE request_id = r.id)"
            " WHERE r.status = 'asked' AND r.due_at <= ? ORDER BY r.due_at, r.id",
            (iso(now + within),),
        ).fetchall()
        return [
            {
                "id": r["id"],
                "name": r["name"],
                "platform": r["platform"],
                "sent_at": r["sent_at"],
                "due_at": r["due_at"],
                "overdue": is_overdue(Status.ASKED, parse_iso(r["due_at"]), now),
            }
            for r in rows
        ]

    def all_requests(self) -> Iterator[dict[str, Any]]:
        """Every request with its person and follow-ups, oldest first, in one snapshot.

        Streamed: one request (and its few follow-ups) at a time, whatever the store's size.
        """
        conn = self.conn
        own_transaction = not conn.in_transaction
        if own_transaction:
            conn.execute("BEGIN")
        try:
            now = self.now()
            requests = conn.execute(f"{_EXPORT_COLUMNS} ORDER BY r.received_at, r.id")
            follow_ups = conn.cursor()
            for r in requests:
                flags = all_flags(r["flags"].split(), r["status"], parse_iso(r["due_at"]), now)
                yield {
                    "id": r["id"],
                    "person_id": r["person_id"],
                    "platform": r["platform"],
                    "direction": r["direction"],
                    "type": r["kind"],
                    "name": r["name"],
                    "headline": r["headline"],
                    "company": r["company"],
                    "profile_url": r["profile_url"],
                    "location": r["location"],
                    "contacts_visible": r["contacts_visible"],
                    "mutual_contacts": r["mutual_contacts"],
                    "is_connection": bool(r["is_connection"]),
                    "message": r["message"],
                    "received_at": r["received_at"],
                    # A request the user sent and declined was withdrawn (older stores).
                    "status": "withdrawn"
                    if r["direction"] == "outgoing" and r["status"] == "declined"
                    else r["status"],
                    "flags": flags,
                    "decided_at": r["decided_at"],
                    "decision_note": r["decision_note"],
                    "snoozed_until": r["snoozed_until"],
                    "owed_at": r["owed_at"],
                    "owed_question": r["owed_question"],
                    "source": r["source"],
                    "follow_ups": [
                        {
                            "body": f["body"],
                            "sent_at": f["sent_at"],
                            "due_at": f["due_at"],
                            "answered_at": f["answered_at"],
                            "answer": f["answer"],
                        }
                        for f in follow_ups.execute(
                            "SELECT body, sent_at, due_at, answered_at, answer FROM follow_ups"
                            " WHERE request_id = ? ORDER BY sent_at, id",
                            (r["id"],),
                        )
                    ],
                }
        finally:
            if own_transaction and conn.in_transaction:
                conn.execute("COMMIT")
