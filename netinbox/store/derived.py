"""What every write must keep true besides the columns it changes: the stored flags, the
request's search entry, its version, its history (events). Each rule is written here once, as a function of the connection,
and every room of the store that writes calls it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from netinbox.kinds import EventKind
from netinbox.rules import static_flags
from netinbox.searchtext import index_sql, index_text
from netinbox.searchtext import register as register_search_text


def flags_text(flags: Iterable[str]) -> str:
    """Flags as `requests.flags` stores them: " a b " (so `LIKE '% a %'` finds one)."""
    joined = " ".join(flags)
    return f" {joined} " if joined else " "


def flags_for(
    person: sqlite3.Row | dict[str, Any],
    message: str,
    placeholders: Iterable[str],
    direction: str = "incoming",
    kind: str = "person",
) -> str:
    """The stored flags of a request with `message` from `person` (or to them: a request
    the user sent is judged by the user's own message), of `kind`."""
    return flags_text(
        static_flags(
            direction=direction,
            kind=kind,
            message=message,
            headline=person["headline"],
            company=person["company"],
            contacts_visible=person["contacts_visible"],
            mutual_contacts=person["mutual_contacts"],
            placeholders=placeholders,
        )
    )


def reflag(conn: sqlite3.Connection, request_id: int, placeholders: Iterable[str]) -> None:
    """Recompute a request's stored flags and its search entry after its facts changed."""
    row = conn.execute(
        "SELECT r.message, r.direction, r.kind AS invitation_kind, p.* FROM requests r"
        " JOIN persons p ON p.id = r.person_id WHERE r.id = ?",
        (request_id,),
    ).fetchone()
    if row is None:
        return
    flags = flags_for(row, row["message"], placeholders, row["direction"], row["invitation_kind"])
    conn.execute("UPDATE requests SET flags = ? WHERE id = ?", (flags, request_id))
    index(conn, request_id)


def index(conn: sqlite3.Connection, request_id: int) -> None:
    """(Re)write a request's search entry: its person's name, headline and company, its
    message and every answer."""
    row = conn.execute(
        "SELECT p.name, p.headline, p.company, r.message,"
        " coalesce((SELECT group_concat(answer, ' ') FROM follow_ups f WHERE f.request_id = r.id), '') AS answer"
        " FROM requests r JOIN persons p ON p.id = r.person_id WHERE r.id = ?",
        (request_id,),
    ).fetchone()
    unindex(conn, request_id)
    if row is not None:
        conn.execute(
            "INSERT INTO search(rowid, name, headline, company, message, answer)"
            " SELECT search_key, ?, ?, ?, ?, ? FROM requests WHERE id = ?",
            (*(index_text(value) for value in row), request_id),
        )


def unindex(conn: sqlite3.Connection, request_id: int) -> None:
    """Remove a request's search entry (before the request goes, or is rewritten)."""
    conn.execute(
        "DELETE FROM search WHERE rowid = (SELECT search_key FROM requests WHERE id = ?)",
        (request_id,),
    )


def unindex_many(conn: sqlite3.Connection, request_ids: list[int]) -> None:
    """`unindex` for many requests (up to 500: one statement)."""
    marks = ",".join("?" * len(request_ids))
    conn.execute(
        f"DELETE FROM search WHERE rowid IN (SELECT search_key FROM requests WHERE id IN ({marks}))",
        request_ids,
    )


def index_new(conn: sqlite3.Connection, first: int, last: int) -> None:
    """The search entries of new requests `first`..`last` (no answers yet), in one insert.

    In rowid order: FTS5 writes out its pending terms whenever a rowid is lower than the
    one before, and exports list the newest first, so file order would cost a flush per
    row. `+` keeps the sort off the search_key index (a full scan). Texts with umlauts or
    ß get their spelled-out words too (`searchtext`)."""
    register_search_text(conn)
    conn.execute(
        "INSERT INTO search(rowid, name, headline, company, message, answer)"
        f" SELECT r.search_key, {index_sql('p.name')}, {index_sql('p.headline')},"
        f" {index_sql('p.company')}, {index_sql('r.message')}, ''"
        " FROM requests r JOIN persons p ON p.id = r.person_id WHERE r.id BETWEEN ? AND ?"
        " ORDER BY +r.search_key",
        (first, last),
    )


def next_change(conn: sqlite3.Connection) -> int:
    """The id of the next undoable change (one user action, or an import from the app)."""
    return int(conn.execute("SELECT coalesce(max(change_id), 0) + 1 FROM events").fetchone()[0])


def append_event(
    conn: sqlite3.Connection,
    request_id: int | None,
    at: str,
    kind: EventKind,
    data: dict[str, Any],
    *,
    change_id: int | None,
) -> None:
    """One entry of a request's history (`at`: a stored time); `change_id` makes it part of
    an undoable change, None leaves it out of undo (what an import or the clock did)."""
    conn.execute(
        "INSERT INTO events(request_id, at, kind, data, change_id) VALUES (?, ?, ?, ?, ?)",
        (request_id, at, kind.value, json.dumps(data, ensure_ascii=False), change_id),
    )


def append_events_of_range(
    conn: sqlite3.Connection, first: int, last: int, at: str, kind: str
) -> None:
    """`append_event` for the new requests `first`..`last` of an import, in one statement,
    with no data (the request's own `source` says where it came from) and no change."""
    conn.execute(
        "INSERT INTO events(request_id, at, kind)"
        " SELECT id, ?, ? FROM requests WHERE id BETWEEN ? AND ? ORDER BY id",
        (at, kind, first, last),
    )


def update_request(
    conn: sqlite3.Connection,
    request_id: int,
    values: dict[str, Any],
    version: int | None = None,
    *,
    status_in: tuple[str, ...] = (),
) -> bool:
    """Set columns of a request and count its version up (every change does: the app's
    `version` check tells a stale screen from a fresh one). With `version`, only if the
    request is still at it; with `status_in`, only if its status is one of those. False
    if nothing was changed."""
    sets = ", ".join(f"{column} = ?" for column in values)
    sql = f"UPDATE requests SET {sets}, version = version + 1 WHERE id = ?"
    params: list[Any] = [*values.values(), request_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    if status_in:
        sql += f" AND status IN ({', '.join('?' * len(status_in))})"
        params.extend(status_in)
    return conn.execute(sql, params).rowcount == 1
