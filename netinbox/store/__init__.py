"""The store: every request, follow-up and decision, in one SQLite file.

`Store` is the one way in: the rest of netinbox (the CLI, the app, importing, exports)
imports it from here and never a module of this package. Its rooms, each one job:

- `opening`: the file, the lock, the schema, the integrity check; `write()`, the one
  transaction every change goes through.
- `derived`: what every write keeps true besides the columns it changes (stored flags,
  search entries, the version, the event log), each rule once.
- `adding` and `writer`: adding requests, by hand and in batches (imports).
- `recording`: what an import brings about requests (connections, questions, answers).
- `listing`: reads (pages, counts, positions, one request in full, what is due).
- `changes`: the user's actions, one transaction and one step of undo each, and undo.
- `privacy`: forgetting a person, backups.
- `counting`: the statistics' counts (`netinbox.stats` sorts them into months and kinds).

Reads are plain queries; every change is one transaction through `write()` and, when the
user made it, one undoable "change" in the event log.
"""

from __future__ import annotations

from netinbox.store.changes import Changes
from netinbox.store.counting import Counting
from netinbox.store.opening import Clock, system_clock
from netinbox.store.privacy import Privacy
from netinbox.store.recording import Recording
from netinbox.store.writer import CHUNK, RequestWriter
from netinbox.times import iso, parse_iso

__all__ = ["CHUNK", "Clock", "RequestWriter", "Store", "iso", "parse_iso", "system_clock"]


class Store(Recording, Changes, Privacy, Counting):
    """One netinbox store. `lock=True` takes the instance lock (the app and writing commands).

    The front of the package: all it does is in its rooms (see the package's doc)."""
