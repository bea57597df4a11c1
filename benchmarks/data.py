"""The benchmark's data, generated into a folder: a store, an `Invitations.csv`, an mbox.

The store comes from `store_data.py`, the mbox from `mail.py`, the senders from
`people.py`; all are seeded, so a size always gives the same data (dates relative to now).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.mail import write_mbox
from benchmarks.people import OWNER, RARE_LAST, linkedin_time, senders
from benchmarks.store_data import build_store

COMMON_TERM = "Manager"
CSV_HEADER = (
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
)


@dataclass
class Dataset:
    folder: Path
    size: int
    store: Path
    invitations_csv: Path
    mbox: Path
    small_store: Path  # a tenth of the size (at least 100), for the memory bounds
    small_csv: Path
    small_size: int = 0
    invitations: int = 0  # in the mbox
    rare_term: str = RARE_LAST
    common_term: str = COMMON_TERM
    timings: dict[str, float] = field(default_factory=dict)


def write_invitations_csv(path: Path, size: int, now: datetime) -> None:
    """LinkedIn's 2024+ `Invitations.csv`: all OUTGOING rows first, then INCOMING, newest first."""
    rows = sorted(
        senders(size, now, seed=7), key=lambda s: (s.incoming, -s.received_at.timestamp())
    )
    owner_name, owner_url = OWNER
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for s in rows:
            url = f"https://www.linkedin.com/in/{s.slug}"
            sent_at = linkedin_time(s.received_at.astimezone())  # local time, as exported
            if s.incoming:
                writer.writerow(
                    (s.name, owner_name, sent_at, s.message, "INCOMING", url, owner_url)
                )
            else:
                writer.writerow(
                    (owner_name, s.name, sent_at, s.message, "OUTGOING", owner_url, url)
                )


PARTS = ("store", "csv", "mbox", "small")


def generate(folder: Path, size: int, parts: Iterable[str] = PARTS, reuse: bool = False
             ) -> Dataset:  # fmt: skip
    """Write the inputs for `size` requests into `folder` (only `parts` of them: the store,
    the CSV, the mbox, the small store and CSV); record how long each took. With `reuse`,
    what an earlier run wrote there for the same size is kept (`generated.json` says what)."""
    now = datetime.now(UTC).replace(microsecond=0)
    small = max(size // 10, 100)
    data = Dataset(
        folder=folder,
        size=size,
        store=folder / "store.db",
        invitations_csv=folder / "Invitations.csv",
        mbox=folder / "notifications.mbox",
        small_store=folder / "small-store.db",
        small_csv=folder / "small-Invitations.csv",
        small_size=small,
    )
    marker = folder / "generated.json"
    made: dict[str, int] = json.loads(marker.read_text()) if reuse and marker.exists() else {}
    wanted = [n for n in PARTS if n in set(parts) and made.get(n) != size]
    for name, db in (("store", "store.db"), ("small", "small-store.db")):
        if name in wanted:
            for suffix in ("", "-wal", "-shm", ".lock"):
                (folder / f"{db}{suffix}").unlink(missing_ok=True)  # a kept --workdir: afresh
    steps = {
        "store": lambda: build_store(data.store, size, now),
        "csv": lambda: write_invitations_csv(data.invitations_csv, size, now),
        "mbox": lambda: write_mbox(data.mbox, size, now),
        "small": lambda: (
            build_store(data.small_store, small, now),
            write_invitations_csv(data.small_csv, small, now),
        ),
    }
    for name in wanted:
        started = time.perf_counter()
        result = steps[name]()
        data.timings[name] = time.perf_counter() - started
        if name == "mbox":
            made["mbox_invitations"] = int(result or 0)  # type: ignore[call-overload]
        made[name] = size
    data.invitations = made.get("mbox_invitations", 0)
    marker.write_text(json.dumps(made))
    return data
