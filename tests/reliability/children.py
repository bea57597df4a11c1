"""Helper processes for the reliability suite; each talks to the test in lines.

hold STORE      take the instance lock as the app does, print "locked"; then obey
                lines on stdin: "add NAME" (prints "added ID"), "import CSV" (prints
                "imported N"), "close" (prints "closed").
draft STORE ID TEXT   save a draft as the app does while typing, print "saved", wait
                to be killed.
read STORE      hold a read transaction open (a reader: `export`, a backup script),
                print "reading", wait for stdin to close.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import UTC, datetime


def hold(path: str) -> None:
    from netinbox.importing import run_import
    from netinbox.models import Platform, RequestRecord
    from netinbox.store import Store

    store = Store(path, lock=True)
    print("locked", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "add":
            rid = store.add_request(
                RequestRecord(
                    platform=Platform.LINKEDIN,
                    name=arg,
                    received_at=datetime.now(UTC),
                    source="added by hand",
                )
            )
            print(f"added {rid}", flush=True)
        elif command == "import":
            summary = run_import(store, [arg])
            print(f"imported {summary.total('new')}", flush=True)
        elif command == "close":
            store.close()
            print("closed", flush=True)
            return


def draft(path: str, request_id: str, text: str) -> None:
    from netinbox.store import Store

    store = Store(path, lock=True)
    store.save_draft(int(request_id), text)
    print("saved", flush=True)
    while True:
        time.sleep(60)


def read(path: str) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM requests").fetchone()
    print("reading", flush=True)
    sys.stdin.read()
    conn.close()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"hold": hold, "draft": draft, "read": read}[command](*args)
