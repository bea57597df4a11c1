"""The fair raw floor of the import figure, run as its own process, as `netinbox import` is.

    python -m benchmarks.import_floor CSV DB

`csv.reader` + `executemany` of the same rows into a fresh file with netinbox's schema,
pragmas and indexes (`netinbox.db.connect` + `netinbox.schema.migrate`), in one
transaction: persons, requests, then the search index in one `INSERT … SELECT` in key
order (`ORDER BY +r.search_key`, the order FTS5 appends fastest and netinbox uses too);
then the store is closed as netinbox closes it (`wal_checkpoint(TRUNCATE)`). It converts
`Sent At` to UTC with `strptime` too, but does no identity matching, dedup, flags or
events: that is netinbox's work to be judged. Prints the rows it added.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path


def rows(source: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    zone = datetime.now().astimezone().tzinfo
    persons: list[tuple[object, ...]] = []
    requests: list[tuple[object, ...]] = []
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, (sender, receiver, sent_at, message, direction, inviter, invitee) in enumerate(
            reader, start=2
        ):
            incoming = direction == "INCOMING"
            name, url = (sender, inviter) if incoming else (receiver, invitee)
            when = datetime.strptime(sent_at, "%m/%d/%y, %I:%M %p").replace(tzinfo=zone)
            received = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            key = len(persons) + 1
            persons.append((key, url.split("://", 1)[-1].lower(), name.casefold(), url, name))
            requests.append(
                (key, key, "incoming" if incoming else "outgoing", received, message)
                + (f"{source.name}:{line}",)
            )
    return persons, requests


def load(source: Path, db: Path) -> int:
    from netinbox.db import connect
    from netinbox.schema import migrate

    conn = connect(db)
    try:
        migrate(conn)
        persons, requests = rows(source)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO persons(id, platform, url_key, name_key, profile_url, name)"
            " VALUES (?, 'linkedin', ?, ?, ?, ?)",
            persons,
        )
        conn.executemany(
            "INSERT INTO requests(id, person_id, direction, received_at, message, source)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            requests,
        )
        conn.execute(
            "INSERT INTO search(rowid, name, headline, company, message, answer)"
            " SELECT r.search_key, p.name, p.headline, p.company, r.message, ''"
            " FROM requests r JOIN persons p ON p.id = r.person_id ORDER BY +r.search_key"
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return len(requests)


if __name__ == "__main__":
    print(load(Path(sys.argv[1]), Path(sys.argv[2])))
