"""Figure 4: importing the generated `Invitations.csv` into a fresh store, in rows/s.

netinbox: `run_import(store, [csv])` on a fresh `Store` (schema made before the clock
starts). Floor: `csv.reader` + `sqlite3.executemany` of the same rows into a fresh file
with the same schema, pragmas, indexes and FTS table (`netinbox.db.connect` +
`netinbox.schema.migrate`), in one transaction: persons, requests, then the FTS index in
one `INSERT … SELECT`. The floor converts `Sent At` to UTC ISO with `strptime` too, but
does no identity matching, dedup, flags or events: that is netinbox's work to be judged.
"""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.data import Dataset
from benchmarks.report import Goal, Row, median
from benchmarks.runner import alternate


def _fresh(folder: Path, name: str) -> Path:
    path = folder / name
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def netinbox_import(source: Path, folder: Path) -> tuple[float, int]:
    from netinbox.importing import run_import
    from netinbox.store import Store

    with Store(_fresh(folder, "import-netinbox.db")) as store:
        started = time.perf_counter()
        summary = run_import(store, [source])
        elapsed = time.perf_counter() - started
    return elapsed, summary.total("new")


def floor_import(source: Path, folder: Path) -> tuple[float, int]:
    from netinbox.db import connect
    from netinbox.schema import migrate

    conn = connect(_fresh(folder, "import-floor.db"))
    try:
        migrate(conn)
        started = time.perf_counter()
        persons, requests = _floor_rows(source)
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
            " FROM requests r JOIN persons p ON p.id = r.person_id"
        )
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    return elapsed, len(requests)


def _floor_rows(source: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
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


def measure(data: Dataset, repeat: int, budget: float) -> list[Row]:
    source, folder = data.invitations_csv, data.folder
    sides = alternate(
        repeat,
        lambda: netinbox_import(source, folder),
        lambda: floor_import(source, folder),
        budget=budget,
    )
    notes = [sides.note()] if sides.errors else []
    added = {n for _, n in sides.netinbox} | {n for _, n in sides.floor}
    if len(added) > 1:
        notes.append(f"rows added differ: netinbox {sides.netinbox[:1]}, floor {sides.floor[:1]}")
    rate = [data.size / seconds for seconds, _ in sides.netinbox]
    floor_rate = [data.size / seconds for seconds, _ in sides.floor]
    return [
        Row(
            group=4,
            figure=f"import Invitations.csv ({data.size:,} rows)",
            unit="rows/s",
            goal=Goal("ratio_min", 0.5, "≥ 0.5×"),
            netinbox=median(rate),
            floor=median(floor_rate),
            note="; ".join(notes),
            samples={"netinbox": rate, "floor": floor_rate},
        )
    ]
