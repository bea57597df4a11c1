"""Adding requests idempotently, in batches: the one path for imports and hand entry.

A request is the same as one already stored when it comes from the same person (profile
URL, else normalised name, within a platform), in the same direction, with the same
invitation id or received within `SAME_REQUEST_WINDOW` of it. Only empty facts are filled
in; nothing the user decided, drafted or sent is touched.

Work is done a chunk of records at a time: one query finds the known people, one their
requests, and new rows go in with `executemany`, so 100,000 rows take seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from netinbox.identity import (
    name_key,
    platform_of_url,
    tombstone_key,
    tombstone_lookups,
    url_key,
)
from netinbox.kinds import ContactsVisible, Platform
from netinbox.rules import static_flags
from netinbox.store.derived import append_events_of_range, flags_text, index_new, reflag
from netinbox.times import iso, parse_stored
from netinbox.words import ACCEPTED_ON_PLATFORM  # stored as it is (English)

if TYPE_CHECKING:
    from netinbox.models import RequestRecord
    from netinbox.store.opening import StoreFile

SAME_REQUEST_WINDOW = timedelta(days=14)

CHUNK = 500
_FLAG_CACHE_SIZE = 4096
_PERSON_FIELDS = ("profile_url", "url_key", "headline", "company", "location", "mutual_contacts")


class _Person:
    """A person as an import chunk finds and changes it. (A plain class: a dataclass would
    compile its methods at every start of the app, which imports this room.)"""

    __slots__ = ("id", "platform", "url_key", "name_key", "values", "requests", "dirty")

    def __init__(
        self,
        id: int,  # noqa: A002 (the row's column)
        platform: str,
        url_key: str | None,
        name_key: str,
        values: dict[str, Any],
    ) -> None:
        self.id = id
        self.platform = platform
        self.url_key = url_key
        self.name_key = name_key
        self.values = values
        self.requests: list[dict[str, Any]] = []
        self.dirty = False


def _chunks(items: Iterable[RequestRecord], size: int) -> Iterator[list[RequestRecord]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class RequestWriter:
    """Writes RequestRecords inside the caller's transaction; `outcomes` says what happened.

    New requests enter the search index chunk by chunk, or with `batch_search` all at once
    in `finish()`, which the caller must then call before anything else uses the index: one
    sorted insert lets FTS5 build a few large segments instead of merging one per chunk.
    """

    def __init__(
        self, store: StoreFile, *, event_kind: str = "imported", batch_search: bool = False
    ) -> None:
        self.store = store
        self.conn = store.conn
        self.event_kind = event_kind
        self.batch_search = batch_search
        # First and last id of the new requests not yet in the search index: ids are
        # handed out one after another, so they are one contiguous range.
        self._unindexed: tuple[int, int] | None = None
        self.salt = store._salt()
        self.tombstones = {row[0] for row in self.conn.execute("SELECT key FROM tombstones")}
        self.placeholders = tuple(store.config.placeholder_words)
        self.next_person = self._next_id("persons")
        self.next_request = self._next_id("requests")
        self.first_new_request = self.next_request
        """Ids from here on were made by this writer: a record matching one of them is the
        same request met again in this import ("repeated"), not an update of the store."""
        self.now = store.now()
        # Flags depend only on the message and a few person facts, which repeat a lot in an
        # import (most messages are empty or stock text): computed once per combination.
        self._flag_cache: dict[tuple[Any, ...], str] = {}
        # Namesakes without a URL are the only people a record with a URL may merge into by
        # name; most stores have none, and then those lookups are skipped.
        self.urlless_people = (
            self.conn.execute("SELECT 1 FROM persons WHERE url_key IS NULL LIMIT 1").fetchone()
            is not None
        )

    def _next_id(self, table: str) -> int:
        """Ids are never reused (AUTOINCREMENT): a forgotten request's id stays gone."""
        used = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        seq = self.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)
        ).fetchone()
        return max(int(used), int(seq[0]) if seq else 0) + 1

    def write(self, records: Iterable[RequestRecord]) -> Iterator[tuple[str, int | None]]:
        """Yield ("new"|"updated"|"unchanged"|"forgotten", request id) per record, in order."""
        for chunk in _chunks(records, CHUNK):
            yield from self._write_chunk(chunk)

    def finish(self) -> None:
        """Add the new requests not yet in the search index to it."""
        if self._unindexed is None:
            return
        first, last = self._unindexed
        self._unindexed = None
        index_new(self.conn, first, last)

    # --- one chunk ------------------------------------------------------------------------

    def _platform(self, rec: RequestRecord) -> str:
        if rec.platform is Platform.OTHER:
            found = platform_of_url(rec.profile_url)
            if found is not None:
                return found.value
        return rec.platform.value

    def _forgotten(self, platform: str, nkey: str, ukey: str | None) -> bool:
        if not self.tombstones:
            return False
        keys = tombstone_lookups(ukey, nkey)
        return any(tombstone_key(self.salt, platform, k) in self.tombstones for k in keys)

    def _write_chunk(self, chunk: list[RequestRecord]) -> list[tuple[str, int | None]]:
        keyed = [
            (rec, self._platform(rec), url_key(rec.profile_url), name_key(rec.name))
            for rec in chunk
        ]
        by_url, by_name = self._load_people(keyed)
        new_people: list[_Person] = []
        new_requests: list[tuple[Any, ...]] = []
        updated: set[int] = set()
        results: list[tuple[str, int | None]] = []
        for rec, platform, ukey, nkey in keyed:
            if self._forgotten(platform, nkey, ukey):
                results.append(("forgotten", None))
                continue
            person = by_url.get((platform, ukey)) if ukey else None
            if person is None:
                candidates = by_name.get((platform, nkey), [])
                person = next((p for p in candidates if ukey is None or p.url_key is None), None)
            if person is None:
                person = self._new_person(rec, platform, ukey, nkey)
                self.urlless_people = self.urlless_people or ukey is None
                new_people.append(person)
                if ukey:
                    by_url[(platform, ukey)] = person
                by_name.setdefault((platform, nkey), []).append(person)
                filled = False
            else:
                filled = self._fill_person(person, rec, ukey)
                if ukey and (platform, ukey) not in by_url:
                    by_url[(platform, ukey)] = person
            existing = self._same_request(person, rec)
            if existing is None:
                request_id = self.next_request
                self.next_request += 1
                received = iso(rec.received_at)
                row = {
                    "id": request_id,
                    "direction": rec.direction.value,
                    "received_at": received,
                    "message": rec.message,
                    "invitation_id": rec.invitation_id,
                }
                person.requests.append(row)
                new_requests.append((person, rec, request_id, received))
                results.append(("new", request_id))
                continue
            changed = filled
            if rec.message and not existing["message"]:
                existing["message"] = rec.message
                existing["dirty"] = True
                changed = True
            if rec.invitation_id and not existing["invitation_id"]:
                existing["invitation_id"] = rec.invitation_id
                existing["dirty"] = True
            if changed:
                updated.add(existing["id"])
            if existing["id"] >= self.first_new_request:
                results.append(("repeated", existing["id"]))
            else:
                results.append(("updated" if changed else "unchanged", existing["id"]))
        self._flush(new_people, new_requests, by_url, by_name, updated)
        return results

    def _load_people(
        self, keyed: list[tuple[RequestRecord, str, str | None, str]]
    ) -> tuple[dict[tuple[str, str | None], _Person], dict[tuple[str, str], list[_Person]]]:
        # A record with a URL can only be someone with that URL, or a namesake without one.
        wanted: dict[tuple[str, str], set[str]] = {}
        for _, platform, ukey, nkey in keyed:
            if ukey:
                wanted.setdefault((platform, "url_key"), set()).add(ukey)
                if self.urlless_people:
                    wanted.setdefault((platform, "name_key_without_url"), set()).add(nkey)
            else:
                wanted.setdefault((platform, "name_key"), set()).add(nkey)
        found: dict[int, _Person] = {}
        for (platform, how), values in wanted.items():
            keys = sorted(values)
            column = "url_key" if how == "url_key" else "name_key"
            extra = " AND url_key IS NULL" if how == "name_key_without_url" else ""
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                # platform = ? AND key IN (…) lets SQLite use the persons indexes.
                sql = (
                    f"SELECT * FROM persons WHERE platform = ? AND {column} IN"
                    f" ({','.join('?' * len(part))}){extra}"
                )
                for row in self.conn.execute(sql, [platform, *part]).fetchall():
                    if row["id"] not in found:
                        found[row["id"]] = _Person(
                            row["id"], row["platform"], row["url_key"], row["name_key"], dict(row)
                        )
        if found:
            ids = list(found)
            for start in range(0, len(ids), 900):
                some = ids[start : start + 900]
                sql = (
                    "SELECT id, person_id, direction, received_at, message, invitation_id FROM requests"
                    f" WHERE person_id IN ({','.join('?' * len(some))})"
                )
                for row in self.conn.execute(sql, some).fetchall():
                    found[row["person_id"]].requests.append(
                        {
                            "id": row["id"],
                            "direction": row["direction"],
                            "received_at": row["received_at"],  # ISO text: compared as text
                            "message": row["message"],
                            "invitation_id": row["invitation_id"],
                        }
                    )
        by_url: dict[tuple[str, str | None], _Person] = {
            (p.platform, p.url_key): p for p in found.values() if p.url_key
        }
        by_name: dict[tuple[str, str], list[_Person]] = {}
        for person in sorted(found.values(), key=lambda p: p.id):
            by_name.setdefault((person.platform, person.name_key), []).append(person)
        return by_url, by_name

    def _new_person(
        self, rec: RequestRecord, platform: str, ukey: str | None, nkey: str
    ) -> _Person:
        person = _Person(
            self.next_person,
            platform,
            ukey,
            nkey,
            {
                "name": rec.name,
                "profile_url": rec.profile_url,
                "url_key": ukey,
                "headline": rec.headline,
                "company": rec.company,
                "location": rec.location,
                "contacts_visible": rec.contacts_visible.value,
                "mutual_contacts": rec.mutual_contacts,
            },
        )
        self.next_person += 1
        return person

    def _fill_person(self, person: _Person, rec: RequestRecord, ukey: str | None) -> bool:
        incoming = {
            "profile_url": rec.profile_url if ukey else None,
            "url_key": ukey,
            "headline": rec.headline,
            "company": rec.company,
            "location": rec.location,
            "mutual_contacts": rec.mutual_contacts,
        }
        changed = False
        for key in _PERSON_FIELDS:
            value = incoming[key]
            if value not in (None, "") and person.values.get(key) in (None, ""):
                person.values[key] = value
                changed = True
        visible = person.values.get("contacts_visible")
        if rec.contacts_visible is not ContactsVisible.UNKNOWN and visible in (None, "unknown"):
            person.values["contacts_visible"] = rec.contacts_visible.value
            changed = True
        if ukey and person.url_key is None:
            person.url_key = ukey
        person.dirty = person.dirty or changed
        return changed

    def _same_request(self, person: _Person, rec: RequestRecord) -> dict[str, Any] | None:
        if rec.invitation_id:
            for row in person.requests:
                if row["invitation_id"] == rec.invitation_id:
                    return row
        if not person.requests:
            return None
        low = iso(rec.received_at - SAME_REQUEST_WINDOW)
        high = iso(rec.received_at + SAME_REQUEST_WINDOW)
        close = [
            row
            for row in person.requests
            if row["direction"] == rec.direction.value and low <= row["received_at"] <= high
        ]
        if len(close) < 2:
            return close[0] if close else None
        return min(close, key=lambda row: abs(parse_stored(row["received_at"]) - rec.received_at))

    def _initial_status(self, person: _Person, received: str) -> tuple[str, str | None, str]:
        """A request from someone already a connection was accepted on the platform."""
        if person.values.get("is_connection"):
            return "accepted", received, ACCEPTED_ON_PLATFORM
        return "new", None, ""

    def _flags(self, person: _Person, rec: RequestRecord) -> str:
        values = person.values
        key = (
            rec.message,
            values.get("headline") or "",
            values.get("company") or "",
            values.get("contacts_visible") or "unknown",
            values.get("mutual_contacts"),
            rec.direction.value,
            rec.kind.value,
        )
        cached = self._flag_cache.get(key)
        if cached is not None:
            return cached
        flags = static_flags(
            message=rec.message,
            headline=key[1],
            company=key[2],
            contacts_visible=key[3],
            mutual_contacts=key[4],
            placeholders=self.placeholders,
            direction=key[5],
            kind=key[6],
        )
        text = flags_text(flags)
        if len(self._flag_cache) >= _FLAG_CACHE_SIZE:  # bounded: long unique messages
            self._flag_cache.clear()
        self._flag_cache[key] = text
        return text

    # --- writing --------------------------------------------------------------------------

    def _flush(
        self,
        new_people: list[_Person],
        new_requests: list[tuple[Any, ...]],
        by_url: dict[Any, _Person],
        by_name: dict[Any, list[_Person]],
        updated: set[int],
    ) -> None:
        conn = self.conn
        conn.executemany(
            "INSERT INTO persons(id, platform, url_key, name_key, profile_url, name, headline, company,"
            " location, contacts_visible, mutual_contacts) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    p.id,
                    p.platform,
                    p.url_key,
                    p.name_key,
                    p.values["profile_url"],
                    p.values["name"],
                    p.values["headline"] or "",
                    p.values["company"] or "",
                    p.values["location"] or "",
                    p.values["contacts_visible"],
                    p.values["mutual_contacts"],
                )
                for p in new_people
            ],
        )
        new_ids = {p.id for p in new_people}
        dirty_people = {
            p.id: p
            for people in by_name.values()
            for p in people
            if p.dirty and p.id not in new_ids
        }
        for person in dirty_people.values():
            conn.execute(
                "UPDATE persons SET profile_url = ?, url_key = ?, headline = ?, company = ?,"
                " location = ?, contacts_visible = ?, mutual_contacts = ? WHERE id = ?",
                (
                    person.values.get("profile_url"),
                    person.url_key,
                    person.values.get("headline") or "",
                    person.values.get("company") or "",
                    person.values.get("location") or "",
                    person.values.get("contacts_visible") or "unknown",
                    person.values.get("mutual_contacts"),
                    person.id,
                ),
            )
            person.dirty = False
        conn.executemany(
            "INSERT INTO requests(id, person_id, direction, received_at, message, source, status,"
            " decided_at, decision_note, invitation_id, flags, kind)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid,
                    person.id,
                    rec.direction.value,
                    received,
                    rec.message,
                    rec.source,
                    *self._initial_status(person, received),
                    rec.invitation_id,
                    self._flags(person, rec),
                    rec.kind.value,
                )
                for person, rec, rid, received in new_requests
            ],
        )
        if new_requests:  # their ids are one contiguous range
            first, last = new_requests[0][2], new_requests[-1][2]
            # The request's own `source` says where it came from; the event only marks when.
            append_events_of_range(conn, first, last, iso(self.now), self.event_kind)
            self._unindexed = (self._unindexed[0] if self._unindexed else first, last)
            if not self.batch_search:
                self.finish()
        # Requests whose message was filled, and every request of a person whose facts
        # changed, get their flags and search entry recomputed.
        touched = set(updated)
        for person_id in dirty_people:
            touched.update(r["id"] for r in self._requests_of(person_id))
        for people in by_name.values():
            for person in people:
                for row in person.requests:
                    if row.pop("dirty", False):
                        conn.execute(
                            "UPDATE requests SET message = ?, invitation_id = ? WHERE id = ?",
                            (row["message"], row["invitation_id"], row["id"]),
                        )
        if touched:
            self.finish()  # `reflag` rewrites search entries: the new ones must be there
        for request_id in touched:
            reflag(conn, request_id, self.placeholders)

    def _requests_of(self, person_id: int) -> list[Any]:
        return self.conn.execute(
            "SELECT id FROM requests WHERE person_id = ?", (person_id,)
        ).fetchall()
