"""Exports: JSON (data, unaltered) and CSV for spreadsheets (formula triggers neutralised).

Read inside one read transaction, so an export is a consistent snapshot even while the
app writes (D-4); files are written atomically and privately (D-3).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from netinbox.store import Store, iso

CSV_COLUMNS = (
    "id", "platform", "direction", "name", "headline", "company", "profile_url", "message",
    "received_at", "status", "flags", "decided_at", "decision_note", "asked_at", "due_at",
    "answered_at", "answer",
)  # fmt: skip
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CWE-1236, reliability.md D-1)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def iter_requests(store: Store) -> Iterator[dict[str, Any]]:
    """Every request with its person and follow-ups, oldest first, in one snapshot."""
    conn = store.conn
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        follow_ups: dict[int, list[dict[str, Any]]] = {}
        for f in conn.execute("SELECT * FROM follow_ups ORDER BY request_id, sent_at, id"):
            follow_ups.setdefault(f["request_id"], []).append(
                {
                    "body": f["body"],
                    "sent_at": f["sent_at"],
                    "due_at": f["due_at"],
                    "answered_at": f["answered_at"],
                    "answer": f["answer"],
                }
            )
        rows = conn.execute(
            "SELECT r.*, p.platform, p.name, p.headline, p.company, p.profile_url, p.location,"
            " p.contacts_visible, p.mutual_contacts, p.is_connection"
            " FROM requests r JOIN persons p ON p.id = r.person_id ORDER BY r.received_at, r.id"
        ).fetchall()
        now = iso(store.now())
        for r in rows:
            flags = r["flags"].split()
            if r["status"] == "asked" and r["due_at"] and r["due_at"] <= now:
                flags.append("no_answer")
            yield {
                "id": r["id"],
                "person_id": r["person_id"],
                "platform": r["platform"],
                "direction": r["direction"],
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
                "status": r["status"],
                "flags": flags,
                "decided_at": r["decided_at"],
                "decision_note": r["decision_note"],
                "snoozed_until": r["snoozed_until"],
                "source": r["source"],
                "follow_ups": follow_ups.get(r["id"], []),
            }
    finally:
        if own_transaction and conn.in_transaction:
            conn.execute("COMMIT")


def to_json(store: Store) -> str:
    return json.dumps(list(iter_requests(store)), ensure_ascii=False, indent=2) + "\n"


def to_csv(store: Store, *, delimiter: str = ",") -> str:
    """One row per request for Excel: UTF-8 with BOM, every text cell neutralised."""
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in iter_requests(store):
        last = item["follow_ups"][-1] if item["follow_ups"] else {}
        values = {
            **item,
            "flags": " ".join(item["flags"]),
            "asked_at": last.get("sent_at"),
            "due_at": last.get("due_at"),
            "answered_at": last.get("answered_at"),
            "answer": last.get("answer"),
        }
        writer.writerow(
            [neutralise(str(values[c])) if values[c] is not None else "" for c in CSV_COLUMNS]
        )
    return buffer.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write atomically: a 0600 temp file in the same folder, fsync, rename, fsync the folder."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
