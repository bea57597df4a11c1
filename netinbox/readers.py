"""Read connections for worker threads, each of whose queries the UI thread can stop.

SQLite serialises everything done on one connection: a count running in a thread on the
app's own connection makes the next page read of the UI thread wait for it. Workers
therefore read on connections of their own (WAL lets readers run beside the writer), and
a query made obsolete by the user's next key is stopped with `Connection.interrupt()`
rather than waited for.

`Connection.interrupt()` is a no-op while no statement runs, so a stop that comes between
lending a reader and its query's start would be lost: each loan also has a flag that a
progress handler checks every `_CHECK_EVERY` steps of SQLite's machine, rare enough that
the reading thread takes the GIL only every few milliseconds.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netinbox.store import Store

_CHECK_EVERY = 100_000
"""SQLite virtual-machine steps between two looks at a loan's stop flag (a few ms)."""


def _stop_check(stop: threading.Event, conn: sqlite3.Connection) -> Callable[[], int]:
    """The progress handler of a loan: non-zero once the loan is stopped, which aborts the
    query as `interrupt()` does (the tests' slow-read gate wraps this)."""
    return lambda: 1 if stop.is_set() else 0


def interrupted(error: BaseException) -> bool:
    """Whether `error` is SQLite saying a query was stopped by `Readers.interrupt`."""
    return isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error)


class Readers:
    """A few read-only stores on their own connections, lent out by task (`tag`)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._guard = threading.Lock()
        self._free: list[Store] = []
        self._busy: dict[int, tuple[str, Store, threading.Event]] = {}
        """Borrowing thread → (tag, reader, its loan's stop flag)."""
        self._closed = False

    @contextmanager
    def borrow(self, tag: str) -> Iterator[Store]:
        """A reader for this thread until the block ends; `interrupt(tag)` stops its query."""
        with self._guard:
            if self._closed:
                raise sqlite3.OperationalError("interrupted: the app is closing")
            reader = self._free.pop() if self._free else None
        if reader is None:
            reader = self._store.reader()
        key = threading.get_ident()
        stop = threading.Event()
        reader.conn.set_progress_handler(_stop_check(stop, reader.conn), _CHECK_EVERY)
        with self._guard:
            self._busy[key] = (tag, reader, stop)
        try:
            yield reader
        finally:
            reader.conn.set_progress_handler(None, 0)
            with self._guard:
                del self._busy[key]
                if self._closed:
                    reader.close()
                else:
                    self._free.append(reader)

    def interrupt(self, tag: str) -> None:
        """Stop the queries running for `tag` now; each raises "interrupted" in its thread."""
        with self._guard:
            for busy_tag, reader, stop in self._busy.values():
                if busy_tag == tag:
                    stop.set()  # a query not started yet stops at its first check
                    reader.conn.interrupt()

    def close(self) -> None:
        """Stop every query and close every connection (each busy one when it is handed back)."""
        with self._guard:
            self._closed = True
            for _, reader, stop in self._busy.values():
                stop.set()
                reader.conn.interrupt()
            free, self._free = self._free, []
        for reader in free:
            reader.close()
