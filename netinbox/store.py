"""The store: every request, follow-up and decision, in one SQLite file.

Reads are plain queries; every change is one transaction through `db.write` and, when
the user made it, one undoable "change" in the event log.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netinbox import db as dblib
from netinbox.config import Config
from netinbox.identity import name_key, tombstone_key, tombstone_marks, url_key
from netinbox.kinds import Direction, EventKind, Platform, Status
from netinbox.query import VIEW_SQL, Query, View, fts_match
from netinbox.rows import RequestRow
from netinbox.rules import static_flags
from netinbox.schema import check_version, migrate, needs_upgrade
from netinbox.text import for_storage
from netinbox.times import iso, parse_iso

if TYPE_CHECKING:  # the pydantic models load on first use: the first frame needs none
    from netinbox.models import FollowUp, RequestDetail, RequestRecord

Clock = Callable[[], datetime]
SAME_REQUEST_WINDOW = timedelta(days=14)
SOON = timedelta(days=2)
UNDOABLE = (
    EventKind.ASKED,
    EventKind.ANSWERED,
    EventKind.ACCEPTED,
    EventKind.DECLINED,
    EventKind.SNOOZED,
    EventKind.COULD_NOT_ASK,
    EventKind.REOPENED,
    EventKind.NOTE,
    EventKind.ADDED,
)
# The request columns a user action may change; an event keeps them as they were.
MUTABLE = (
    "status",
    "decided_at",
    "decision_note",
    "snoozed_until",
    "status_before_snooze",
    "due_at",
)


WIPE_PENDING = "wipe_pending"  # meta key: a forget whose bytes are not yet gone from the files
WIPE_WAIT_MS = 1500  # how long a wipe waits for a reader, per step and attempt


def _is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def system_clock() -> datetime:
    return datetime.now(UTC)


ROW_COLUMNS = (
    "r.id, r.status, r.direction, p.platform, p.name, p.headline, p.company,"
    " r.received_at, r.due_at, r.flags, r.snoozed_until"
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
    return "r.received_at DESC, r.id DESC"


def _in_order(source: str, where: str) -> tuple[str, str]:
    """FROM and WHERE for reading a view in its order, a page at a time: requests drive
    (through the view's index or the time order) so that a page stops after its rows.
    Left to itself, the planner drives `net:xing` from persons and `Decided` from two
    ranges of the status index, and sorts the whole view for every page."""
    if " JOIN persons p " in source and "CROSS JOIN persons p" not in source:
        source = source.replace(" JOIN persons p ", " CROSS JOIN persons p ")
    return source, where.replace("r.status IN (", "+r.status IN (")


_ANCHOR = {
    # (the order's columns, the anchor's, the comparison that means "after it in order")
    "search": ("s.rowid", "search_key", "<"),
    "received": ("(r.received_at, r.id)", "received_at, id", "<"),
    "due": ("(r.due_at, r.id)", "due_at, id", ">"),
}
_FLIP = {"<": ">", ">": "<"}


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
        kind = "search" if search else "due" if "due_at" in order else "received"
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


_STATUS = {status.value: status for status in Status}
_DIRECTION = {direction.value: direction for direction in Direction}
_PLATFORM = {platform.value: platform for platform in Platform}


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
     snoozed) = row  # fmt: skip
    flag_list = flags.split()
    due_at = _utc_time(due) if due else None
    if status == "asked" and due_at is not None and now is not None and due_at <= now:
        flag_list.append("no_answer")
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
        "no_message" not in flag_list,
        _utc_time(snoozed) if snoozed else None,
    )
    return _new_tuple(RequestRow, values)  # RequestRow(*values), without a Python call


class Store:
    """One netinbox store. `lock=True` takes the instance lock (the app and writing commands)."""

    def __init__(
        self,
        path: Path | str,
        *,
        config: Config | None = None,
        clock: Clock = system_clock,
        lock: bool = False,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.config = config or Config()
        self.clock = clock
        self.read_only = read_only
        self._tuples = threading.local()  # per thread: a cursor that reads plain tuples
        self._verified = False
        self._checker: threading.Timer | None = None  # `verify_later`'s thread
        self._damage: Exception | None = None  # what it found
        self.wiped = True  # False while a forget's wipe waits for a reader
        # What this open created (folders, the file): removed again by `discard`.
        self.created: list[Path] = []
        self._lock = dblib.InstanceLock(self.path) if lock else None
        self.conn = None  # type: ignore[assignment]
        try:
            if self._lock is not None:
                if create and not read_only and not self.path.exists():
                    self.created = dblib.create_store_file(self.path)
                self._lock.acquire()
            self.conn = dblib.connect(self.path, create=create, read_only=read_only)
            if read_only:
                check_version(self.conn)
            else:
                new = bool(self.created) or _is_empty(self.conn)
                if new:
                    self._verified = True  # nothing in it to check yet
                elif needs_upgrade(self.conn):  # an upgrade writes: check the store first
                    dblib.quick_check(self.conn, self.path)
                    self._verified = True
                migrate(self.conn)
                if new:  # the store's own random key, also how a -wal is known to be its own
                    self._salt()
                self._finish_wipe()
        except BaseException:
            self._give_up()
            raise

    # --- housekeeping ---------------------------------------------------------------------

    def _give_up(self) -> None:
        """After a failed open: close, and remove whatever this open created."""
        if self.conn is not None:  # closing it removes the -wal and -shm it made
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self.created and self._lock is not None and self._lock.held:
            dblib.remove_created(self.created)
        if self._lock is not None:
            self._lock.release()

    def discard(self) -> bool:
        """Close, and remove the store if this open created it (a failed or dry-run first
        import leaves nothing behind); True if it was removed."""
        if not self.created or self._lock is None or not self._lock.held:
            self.close()
            return False
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        dblib.remove_created(self.created)
        self._lock.release()
        return True

    def verify(self) -> None:
        """SQLite's quick_check on a connection of its own (so a worker thread can run it
        while the app reads); StoreDamaged if the store is damaged. Writes refuse until a
        check passed; `write()` runs it itself before the first write otherwise."""
        if self._verified:
            return
        conn = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
        try:
            dblib.quick_check(conn, self.path)
        finally:
            conn.close()
        self._verified = True

    def verify_later(self, delay: float = 1.0) -> None:
        """Run `verify` in a thread of its own after `delay` seconds (the app: after its
        first frame), so the first write does not wait for it; a write that comes first
        waits for it instead. The result is kept for `write()`."""
        if self._verified or self._checker is not None:
            return

        def check() -> None:
            try:
                self.verify()
            except dblib.StoreError as error:  # damaged, or unreadable: writes refuse it
                self._damage = error
            except sqlite3.Error:
                pass  # write() checks on its own connection then

        self._checker = threading.Timer(delay, check)
        self._checker.daemon = True
        self._checker.start()

    def reader(self) -> Store:
        """The same store on a connection of its own, for reading in another thread
        (`netinbox.readers`): it never writes, takes no lock and checkpoints nothing."""
        other = object.__new__(Store)
        other.path, other.config, other.clock = self.path, self.config, self.clock
        other.read_only = True
        other._tuples = threading.local()
        other._verified = True
        other.created = []
        other._lock = None
        other.conn = dblib.connect(self.path, create=False, read_only=self.read_only)
        other.conn.execute("PRAGMA query_only=ON")
        # No memory mapping (it made a count at 1,000,000 requests 3-4x faster, in a
        # worker): the mapped pages counted +50 MB of the app's resident memory at
        # 100,000, and an I/O error under a mapping is a signal that kills the app, not
        # an error it can report.
        return other

    def close(self) -> None:
        checker = getattr(self, "_checker", None)
        if checker is not None:
            checker.cancel()
        if getattr(self, "conn", None) is not None:
            if not self.read_only:
                try:  # a reader may hold it up: do not keep the user waiting for it
                    self.conn.execute("PRAGMA busy_timeout=200")
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise dblib.StoreReadOnly("The store is open read-only: changes are disabled.")
        if not self._verified and not self.conn.in_transaction:
            checker, self._checker = self._checker, None
            if checker is not None:  # a check started in the background: its answer
                checker.cancel()
                if checker.is_alive():
                    checker.join()
            if self._damage is not None:
                raise self._damage
            if not self._verified:
                dblib.quick_check(self.conn, self.path)  # never write into a damaged store
                self._verified = True
        with dblib.write(self.conn) as conn:
            yield conn

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def _salt(self) -> bytes:
        row = self._one("SELECT value FROM meta WHERE key = 'salt'")
        if row is not None:
            return bytes.fromhex(row[0])
        import secrets  # once per store: not on the start-up path

        salt = secrets.token_bytes(32)
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('salt', ?)", (salt.hex(),))
        return self._salt()

    def my_name(self) -> str:
        """The name follow-ups are signed with: `my_name` from the config, else the owner's
        name from an imported Profile.csv; "" when neither is known."""
        if self.config.my_name.strip():
            return self.config.my_name.strip()
        row = self._one("SELECT value FROM meta WHERE key = 'owner_name'")
        return str(row[0]).strip() if row is not None else ""

    # --- adding requests ------------------------------------------------------------------

    def _flags_for(self, person: sqlite3.Row | dict[str, Any], message: str) -> str:
        flags = static_flags(
            message=message,
            headline=person["headline"],
            company=person["company"],
            contacts_visible=person["contacts_visible"],
            mutual_contacts=person["mutual_contacts"],
            placeholders=self.config.placeholder_words,
        )
        return f" {' '.join(flags)} " if flags else " "

    def find_person(self, platform: str, name: str, profile_url: str | None) -> sqlite3.Row | None:
        ukey = url_key(profile_url)
        if ukey:
            row = self._one(
                "SELECT * FROM persons WHERE platform = ? AND url_key = ?", (platform, ukey)
            )
            if row is not None:
                return row
        return self._one(
            "SELECT * FROM persons WHERE platform = ? AND name_key = ?"
            + (" AND url_key IS NULL" if ukey else "")
            + " ORDER BY id LIMIT 1",
            (platform, name_key(name)),
        )

    def upsert_request(
        self, rec: RequestRecord, *, kind: EventKind = EventKind.IMPORTED
    ) -> tuple[str, int | None]:
        """Add a request, or find it again: ("new"|"updated"|"unchanged"|"forgotten", id).

        Call inside `write()`. See `request_writer` for what counts as the same request.
        """
        from netinbox.request_writer import RequestWriter

        return next(iter(RequestWriter(self, event_kind=kind.value).write([rec])))

    def _reflag(self, request_id: int) -> None:
        """Recompute a request's stored flags and its search entry after its facts changed."""
        row = self._one(
            "SELECT r.message, p.* FROM requests r JOIN persons p ON p.id = r.person_id WHERE r.id = ?",
            (request_id,),
        )
        if row is None:
            return
        self.conn.execute(
            "UPDATE requests SET flags = ? WHERE id = ?",
            (self._flags_for(row, row["message"]), request_id),
        )
        self._index(request_id)

    def _index(self, request_id: int) -> None:
        row = self._one(
            "SELECT p.name, p.headline, p.company, r.message,"
            " coalesce((SELECT group_concat(answer, ' ') FROM follow_ups f WHERE f.request_id = r.id), '') AS answer"
            " FROM requests r JOIN persons p ON p.id = r.person_id WHERE r.id = ?",
            (request_id,),
        )
        self._unindex(request_id)
        if row is not None:
            from netinbox.searchtext import index_text

            self.conn.execute(
                "INSERT INTO search(rowid, name, headline, company, message, answer)"
                " SELECT search_key, ?, ?, ?, ?, ? FROM requests WHERE id = ?",
                (*(index_text(value) for value in row), request_id),
            )

    def _unindex(self, request_id: int) -> None:
        self.conn.execute(
            "DELETE FROM search WHERE rowid = (SELECT search_key FROM requests WHERE id = ?)",
            (request_id,),
        )

    def add_request(self, rec: RequestRecord) -> int:
        """Add one request by hand (the app's `n`, the CLI's `add`)."""
        return self.add_request_outcome(rec)[1]

    def add_request_outcome(self, rec: RequestRecord) -> tuple[str, int]:
        """Add one request by hand: ("new"|"updated"|"unchanged", id). A request already
        stored is not added again ("unchanged"; "updated" when empty facts were filled)."""
        with self.write():
            outcome, request_id = self.upsert_request(rec, kind=EventKind.ADDED)
            if outcome == "new":  # adding by hand is a change the user can undo
                self.conn.execute(
                    "UPDATE events SET change_id = ? WHERE request_id = ? AND kind = 'added'",
                    (self._next_change(), request_id),
                )
        if request_id is None:
            raise dblib.StoreError(f"{rec.name} was forgotten on request; not added again.")
        return outcome, request_id

    # --- reading --------------------------------------------------------------------------

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
            params.update(now=iso(now), soon=iso(now + SOON), **self._today(now))
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
            elif status in ("accepted", "declined"):
                result[View.DECIDED] += n
            elif status == "asked":
                result[View.AWAITING] += n
            elif status == "snoozed":
                result[View.SNOOZED] += n
        to_ask = self._one(
            "SELECT count(*) FROM requests WHERE status = 'new' AND direction = 'incoming'"
            " AND flags LIKE '% no_message %'"
        )
        result[View.TO_ASK] = int(to_ask[0])  # type: ignore[index]
        overdue = self._one(
            "SELECT count(*) FROM requests WHERE status = 'asked' AND due_at <= ?", (now,)
        )
        result[View.OVERDUE] = int(overdue[0])  # type: ignore[index]
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

    def position(self, query: Query, request_id: int) -> int | None:
        """Where a request stands in a view's order (None: not in it), so the list can keep
        the cursor on it. Counts the rows before it along the order's index: the cost
        follows the position, not the size of the view (it read every id of the view)."""
        source, where, params = self._where(query)
        params = {**params, "target": request_id}
        found = self._one(
            f"SELECT r.received_at, r.due_at, r.search_key FROM {source}"
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
        else:
            before = "(r.received_at, r.id) > (:key, :target)"
            params["key"] = found[0]
        row = self._one(f"SELECT count(*) FROM {source} WHERE ({where}) AND {before}", params)
        return int(row[0])  # type: ignore[index]

    def ids(self, query: Query) -> list[int]:
        return [r[0] for r in self.conn.execute(*self._ids_sql(query)).fetchall()]

    def get(self, request_id: int) -> RequestDetail:
        from netinbox.models import Draft, Event, FollowUp, Person, Request, RequestDetail

        row = self._one("SELECT * FROM requests WHERE id = ?", (request_id,))
        if row is None:
            raise dblib.StoreError(f"No request {request_id}.")
        person = self._one("SELECT * FROM persons WHERE id = ?", (row["person_id"],))
        assert person is not None
        draft = self._one("SELECT * FROM drafts WHERE request_id = ?", (request_id,))
        follow_ups = self.conn.execute(
            "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY sent_at, id", (request_id,)
        ).fetchall()
        events = self.conn.execute(
            "SELECT * FROM events WHERE request_id = ? ORDER BY id", (request_id,)
        ).fetchall()
        due = parse_iso(row["due_at"])
        flags = row["flags"].split()
        if row["status"] == "asked" and due is not None and due <= self.now():
            flags.append("no_answer")
        return RequestDetail(
            request=Request(
                id=row["id"],
                person_id=row["person_id"],
                direction=row["direction"],
                received_at=parse_iso(row["received_at"]),
                message=row["message"],
                source=row["source"],
                status=row["status"],
                decided_at=parse_iso(row["decided_at"]),
                decision_note=row["decision_note"],
                snoozed_until=parse_iso(row["snoozed_until"]),
                due_at=due,
                invitation_id=row["invitation_id"],
                flags=flags,
                version=row["version"],
            ),
            person=Person(
                id=person["id"],
                platform=person["platform"],
                profile_url=person["profile_url"],
                name=person["name"],
                headline=person["headline"],
                company=person["company"],
                location=person["location"],
                contacts_visible=person["contacts_visible"],
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
                    sent_at=parse_iso(f["sent_at"]),
                    due_at=parse_iso(f["due_at"]),
                    answered_at=parse_iso(f["answered_at"]),
                    answer=f["answer"],
                )
                for f in follow_ups
            ],
            events=[
                Event(
                    id=e["id"],
                    request_id=request_id,
                    at=parse_iso(e["at"]),
                    kind=e["kind"],
                    data=json.loads(e["data"]),
                    change_id=e["change_id"],
                    undone=bool(e["undone"]),
                )
                for e in events
            ],
        )

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
                "overdue": parse_iso(r["due_at"]) <= now,  # type: ignore[operator]
            }
            for r in rows
        ]

    # --- the event log and undo -----------------------------------------------------------

    def _event(
        self,
        request_id: int | None,
        kind: EventKind,
        data: dict[str, Any],
        *,
        change_id: int | None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO events(request_id, at, kind, data, change_id) VALUES (?, ?, ?, ?, ?)",
            (
                request_id,
                iso(self.now()),
                kind.value,
                json.dumps(data, ensure_ascii=False),
                change_id,
            ),
        )

    def _next_change(self) -> int:
        row = self._one("SELECT coalesce(max(change_id), 0) + 1 FROM events")
        return int(row[0])  # type: ignore[index]

    def _snapshot(self, request_id: int) -> dict[str, Any]:
        row = self._one(
            f"SELECT {', '.join(MUTABLE)}, version FROM requests WHERE id = ?", (request_id,)
        )
        if row is None:
            raise dblib.StoreError(f"No request {request_id}.")
        return {k: row[k] for k in MUTABLE}

    def _update(self, request_id: int, values: dict[str, Any], version: int | None) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        sql = f"UPDATE requests SET {sets}, version = version + 1 WHERE id = ?"
        params: list[Any] = [*values.values(), request_id]
        if version is not None:
            sql += " AND version = ?"
            params.append(version)
        if self.conn.execute(sql, params).rowcount != 1:
            raise dblib.StoreError("This request was changed elsewhere; reload it and try again.")

    def _change(
        self,
        request_ids: Iterable[int],
        kind: EventKind,
        apply: Callable[[int], dict[str, Any]],
        version: int | None = None,
    ) -> int:
        """Apply one user action to one or more requests as one transaction and one undo step."""
        with self.write():
            change_id = self._next_change()
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
        change_id = self._next_change()
        added = self.conn.execute(
            "UPDATE events SET change_id = ? WHERE request_id >= ? AND change_id IS NULL",
            (change_id, first_new_request),
        )
        return added.rowcount > 0

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
                "SELECT e.*, p.name FROM events e JOIN requests r ON r.id = e.request_id"
                " JOIN persons p ON p.id = r.person_id WHERE e.change_id = ? ORDER BY e.id DESC",
                (change_id,),
            ).fetchall()
            self._refuse_undo_over_import(events)
            # Requests this change added (by hand, or an import from the app) go whole,
            # with what else the change recorded about them.
            made = (EventKind.ADDED.value, EventKind.IMPORTED.value)
            added = {e["request_id"] for e in events if e["kind"] in made}
            for event in events:
                if event["request_id"] in added:
                    if event["kind"] in made:
                        self._remove_request(event["request_id"])
                    continue
                data = json.loads(event["data"])
                before = data.get("before", {})
                if before:
                    sets = ", ".join(f"{k} = ?" for k in before)
                    self.conn.execute(
                        f"UPDATE requests SET {sets}, version = version + 1 WHERE id = ?",
                        [*before.values(), event["request_id"]],
                    )
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
                self._index(event["request_id"])
            self.conn.execute("UPDATE events SET undone = 1 WHERE change_id = ?", (change_id,))
        if events and events[0]["kind"] == EventKind.ADDED.value:
            return f"added {events[0]['name']}"
        imported = sum(1 for e in events if e["kind"] == EventKind.IMPORTED.value)
        if imported:
            return f"the import of {imported} new request{'' if imported == 1 else 's'}"
        if not events:
            return None
        kind = EventKind(events[0]["kind"])
        what = VERBS.get(kind, kind.value)
        who = events[0]["name"] if len(events) == 1 else f"{len(events)} requests"
        return f"{what} {who}"

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
            " AND e.kind IN ('answered', 'asked', 'accepted_on_platform') ORDER BY e.id LIMIT 1",
            (events[0]["change_id"], last),
        )
        if later is None:
            return
        kind = EventKind(events[0]["kind"])
        what = VERBS.get(kind, kind.value)
        who = events[0]["name"] if len(events) == 1 else f"{len(events)} requests"
        brought = {
            "answered": f"{later['name']}'s answer",
            "asked": f"your question to {later['name']}",
            "accepted_on_platform": f"that {later['name']} is connected with you",
        }[later["kind"]]
        raise dblib.StoreError(
            f"Cannot undo '{what} {who}': an import since then brought {brought}, which "
            "undoing would delete. Change the request by hand instead."
        )

    def _remove_request(self, request_id: int) -> None:
        person_id = self.person_id_of(request_id)
        self._unindex(request_id)
        self.conn.execute("DELETE FROM requests WHERE id = ?", (request_id,))
        self.conn.execute(
            "DELETE FROM persons WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM requests WHERE person_id = ?)",
            (person_id, person_id),
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

    def deadline(self, sent: datetime) -> datetime:
        """`deadline_days` after `sent` at the same wall-clock time in the user's zone, so a
        DST change in between does not move the deadline by an hour (reliability.md A-20)."""
        local = sent.astimezone(self.config.zone())
        return (local + timedelta(days=self.config.deadline_days)).astimezone(UTC)

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
            self._index(rid)
            return extra

        self._change([request_id], EventKind.ANSWERED, apply, version)

    def _decide(
        self, request_ids: list[int], status: Status, note: str, version: int | None
    ) -> int:
        kind = EventKind.ACCEPTED if status is Status.ACCEPTED else EventKind.DECLINED
        values = {
            "status": status.value,
            "decided_at": iso(self.now()),
            "decision_note": for_storage(note),
            "snoozed_until": None,
            "status_before_snooze": None,
        }
        return self._change(
            request_ids,
            kind,
            lambda rid: {"_values": dict(values), "note": values["decision_note"]},
            version,
        )

    def accept(self, request_id: int, note: str = "", *, version: int | None = None) -> None:
        self._decide([request_id], Status.ACCEPTED, note, version)

    def decline(self, request_id: int, note: str = "", *, version: int | None = None) -> None:
        self._decide([request_id], Status.DECLINED, note, version)

    def decline_many(self, request_ids: list[int], note: str = "") -> None:
        self._decide(request_ids, Status.DECLINED, note, None)

    def snooze(self, request_id: int, until: datetime, *, version: int | None = None) -> None:
        def apply(rid: int) -> dict[str, Any]:
            current = self._one(
                "SELECT status, status_before_snooze FROM requests WHERE id = ?", (rid,)
            )
            previous = (
                current["status_before_snooze"]
                if current["status"] == "snoozed"
                else current["status"]
            )  # type: ignore[index]
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

    def wake_snoozed(self) -> int:
        """Return snoozed requests whose date has come to the state they had before."""
        now = iso(self.now())
        due = self.conn.execute(
            "SELECT id FROM requests WHERE status = 'snoozed' AND snoozed_until <= ?", (now,)
        ).fetchall()
        if not due or self.read_only:
            return 0
        with self.write():
            for row in due:
                self.conn.execute(
                    "UPDATE requests SET status = coalesce(status_before_snooze, 'new'),"
                    " snoozed_until = NULL, status_before_snooze = NULL, version = version + 1 WHERE id = ?",
                    (row["id"],),
                )
                self._event(row["id"], EventKind.WOKEN, {}, change_id=None)
        return len(due)

    # --- privacy and safety ---------------------------------------------------------------

    def forget_person(self, person_id: int) -> str:
        """Remove a person and every trace of them; a tombstone keeps re-imports out.

        The rows go in one transaction; their bytes leave the files only when the file is
        rewritten and the -wal emptied, which a program reading the store can hold up.
        `wiped` says whether that finished; if not, the next open finishes it."""
        person = self._one("SELECT * FROM persons WHERE id = ?", (person_id,))
        if person is None:
            raise dblib.StoreError(f"No person {person_id}.")
        salt = self._salt()
        keys = tombstone_marks(person["url_key"], person["name_key"])
        with self.write():
            for request in self.conn.execute(
                "SELECT id FROM requests WHERE person_id = ?", (person_id,)
            ).fetchall():
                self._unindex(request["id"])
            self.conn.execute("DELETE FROM persons WHERE id = ?", (person_id,))
            for key in keys:
                self.conn.execute(
                    "INSERT OR IGNORE INTO tombstones(key) VALUES (?)",
                    (tombstone_key(salt, person["platform"], key),),
                )
            # FTS5 keeps deleted terms in old segments; merging rewrites them away.
            self.conn.execute("INSERT INTO search(search) VALUES ('optimize')")
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (WIPE_PENDING,)
            )
        self.wiped = self._wipe()
        return str(person["name"])

    def _wipe(self, attempts: int = 2) -> bool:
        """Rewrite the file (VACUUM) and empty the -wal (checkpoint TRUNCATE): only then are
        deleted bytes gone from both files. True when done; a reader can hold it up."""
        import time

        wal = Path(f"{self.path}-wal")
        self.conn.execute(f"PRAGMA busy_timeout={WIPE_WAIT_MS}")
        try:
            for attempt in range(attempts):
                if attempt:
                    time.sleep(0.5)
                try:
                    self.conn.execute("VACUUM")
                    busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
                if busy == 0 and (not wal.exists() or wal.stat().st_size == 0):
                    with self.write():
                        self.conn.execute("DELETE FROM meta WHERE key = ?", (WIPE_PENDING,))
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    return True
            return False
        finally:
            self.conn.execute("PRAGMA busy_timeout=5000")

    def _finish_wipe(self) -> None:
        """A wipe a reader held up last time is finished on the next open for writing."""
        try:
            pending = self._one("SELECT 1 FROM meta WHERE key = ?", (WIPE_PENDING,))
        except sqlite3.OperationalError:  # no meta table yet
            return
        if pending is not None:
            self.wiped = self._wipe(attempts=1)

    def person_id_of(self, request_id: int) -> int:
        row = self._one("SELECT person_id FROM requests WHERE id = ?", (request_id,))
        if row is None:
            raise dblib.StoreError(f"No request {request_id}.")
        return int(row[0])

    def backup(self, dest: Path | str) -> Path:
        """A consistent, integrity-checked, private copy made with SQLite's backup API.

        Never onto the store itself (by any name) nor its -wal/-shm; the source is checked
        first, so a damaged store is named as such; a failure (a full disk) leaves no
        partial file."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / f"netinbox-{self.now():%Y%m%d-%H%M%S}.db"
        dblib.refuse_overwrite(dest, self.path, "back up")
        dblib.quick_check(self.conn, self.path)
        tmp = dest.with_name(dest.name + ".partial")
        leftovers = (tmp, *dblib.companions(tmp))
        for path in leftovers:
            path.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        try:
            target = sqlite3.connect(tmp)
            try:
                target.execute("PRAGMA journal_mode=MEMORY")  # no -journal beside the copy
                self.conn.backup(target)
                check = target.execute("PRAGMA integrity_check").fetchone()[0]
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            if check != "ok":
                raise dblib.StoreError(f"The backup failed its integrity check ({check}).")
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, dest)
            dir_fd = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException as error:
            for path in leftovers:
                path.unlink(missing_ok=True)
            if isinstance(error, sqlite3.DatabaseError):
                reason = dblib.io_problem(dest.parent, "no backup was written")
                if reason is not None:
                    raise dblib.StoreError(reason) from None
                raise dblib.StoreError(
                    f"{dest}: the backup failed ({error}); none was written."
                ) from None
            raise
        return dest


VERBS = {
    EventKind.ASKED: "asked",
    EventKind.ANSWERED: "recorded the answer of",
    EventKind.ACCEPTED: "accepted",
    EventKind.DECLINED: "declined",
    EventKind.SNOOZED: "snoozed",
    EventKind.COULD_NOT_ASK: "could not ask",
    EventKind.REOPENED: "reopened",
    EventKind.NOTE: "note on",
    EventKind.ADDED: "added",
}
