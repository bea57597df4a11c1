"""A child process for the kill test: imports batches of 50 and acknowledges each commit.

Usage: python writer_child.py STORE BATCHES. Prints the batch number only after the
batch's transaction has committed (docs/reliability.md, A-1).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from netinbox.models import Platform, RequestRecord

BATCH = 50
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def batch(number: int) -> list[RequestRecord]:
    return [
        RequestRecord(
            platform=Platform.LINKEDIN,
            name=f"Kill Test {number:04d}-{i:02d}",
            profile_url=f"https://www.linkedin.com/in/kill-test-{number}-{i}",
            headline="Engineer",
            company="ACME",
            message=f"Hello from batch {number}, record {i}. " * 5,
            received_at=T0 + timedelta(hours=number * BATCH + i),
            source=f"batch {number}",
        )
        for i in range(BATCH)
    ]


def main() -> None:
    from netinbox.importing import apply_import
    from netinbox.store import Store

    path, batches = sys.argv[1], int(sys.argv[2])
    store = Store(path)
    print("ready", flush=True)
    for number in range(batches):
        apply_import(store, batch(number))
        print(number, flush=True)
    store.close()


if __name__ == "__main__":
    main()
