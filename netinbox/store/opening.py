"""Opening a store: the file, the instance lock, the schema, the integrity check, and the
one way to write (`write()`: one transaction, never into a damaged store).

`StoreFile` is the base every room of the store builds on; it knows nothing of requests
beyond what opening needs (the salt, finishing a forget's wipe).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from netinbox import db as dblib
from netinbox.checked import quick_check_once, remember_checked
from netinbox.config import Config
from netinbox.i18n import _
from netinbox.schema import check_version, migrate, needs_upgrade, refuse_newer

Clock = Callable[[], datetime]

WIPE_PENDING = "wipe_pending"  # meta key: a forget whose bytes are not yet gone from the files
WIPE_WAIT_MS = 1500  # how long a wipe waits for a reader, per step and attempt


def _is_empty(conn: sqlite3.Connection) -> bool:
    return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0


def system_clock() -> datetime:
    return datetime.now(UTC)


class StoreFile:
    """One open store file. `lock=True` takes the instance lock (the app and writing commands)."""

    conn: sqlite3.Connection
    """The store's connection; None only once closed (or while an open fails)."""

    def __init__(
        self,
        path: Path | str,
        *,
        config: Config | None = None,
        clock: Clock = system_clock,
        lock: bool = False,
        create: bool = True,
        read_only: bool = False,
        as_it_is: bool = False,
        on_upgrade: Callable[[], None] | None = None,
    ) -> None:
        """`as_it_is` (read-only): a store of an older schema is opened without an upgrade,
        for a copy of it as it is (`backup`); one from a newer netinbox is still refused.
        `on_upgrade` is called before a store of an older schema is upgraded (seconds, once,
        for a large one), so the caller can say so."""
        self.path = Path(path)
        self.config = config or Config()
        self.clock = clock
        self.read_only = read_only
        self._tuples = threading.local()  # per thread: a cursor that reads plain tuples
        self._verified = False
        self._wrote = False  # a write went through: `close` remembers the store as checked
        self._checker: threading.Timer | None = None  # `verify_later`'s thread
        self._damage: Exception | None = None  # what it found
        self.wiped = True  # False while a forget's wipe waits for a reader
        # What this open created (folders, the file): removed again by `discard`.
        self.created: list[Path] = []
        self._lock = dblib.InstanceLock(self.path) if lock else None
        self.conn = None  # type: ignore[assignment]
        try:
            if self._lock is not None:
                if create and not read_only and not self.path.exists():
                    self.created = dblib.create_store_file(self.path)
                self._lock.acquire()
            self.conn = dblib.connect(self.path, create=create, read_only=read_only)
            if read_only:
                (refuse_newer if as_it_is else check_version)(self.conn)
            else:
                new = bool(self.created) or _is_empty(self.conn)
                if new:
                    self._verified = True  # nothing in it to check yet
                elif needs_upgrade(self.conn):  # an upgrade writes: check the store first
                    if on_upgrade is not None:
                        on_upgrade()
                    dblib.quick_check(self.conn, self.path)
                    self._verified = True
                migrate(self.conn)
                if new:  # the store's own random key, also how a -wal is known to be its own
                    self._salt()
                self._finish_wipe()
        except BaseException:
            self._give_up()
            raise

    # --- housekeeping ---------------------------------------------------------------------

    def _give_up(self) -> None:
        """After a failed open: close, and remove whatever this open created."""
        if self.conn is not None:  # closing it removes the -wal and -shm it made
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self.created and self._lock is not None and self._lock.held:
            dblib.remove_created(self.created)
        if self._lock is not None:
            self._lock.release()

    def discard(self) -> bool:
        """Close, and remove the store if this open created it (a failed or dry-run first
        import leaves nothing behind); True if it was removed."""
        if not self.created or self._lock is None or not self._lock.held:
            self.close()
            return False
        if self.conn is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        dblib.remove_created(self.created)
        self._lock.release()
        return True

    def verify(self) -> None:
        """SQLite's quick_check on a connection of its own (so a worker thread can run it
        while the app reads); StoreDamaged if the store is damaged. Writes refuse until a
        check passed; `write()` runs it itself before the first write otherwise."""
        if self._verified:
            return
        conn = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
        try:
            quick_check_once(conn, self.path)
        finally:
            conn.close()
        self._verified = True

    def verify_later(self, delay: float = 1.0) -> None:
        """Run `verify` in a thread of its own after `delay` seconds (the app: after its
        first frame), so the first write does not wait for it; a write that comes first
        waits for it instead. The result is kept for `write()`."""
        if self._verified or self._checker is not None:
            return

        def check() -> None:
            try:
                self.verify()
            except dblib.StoreError as error:  # damaged, or unreadable: writes refuse it
                self._damage = error
            except sqlite3.Error:
                pass  # write() checks on its own connection then

        self._checker = threading.Timer(delay, check)
        self._checker.daemon = True
        self._checker.start()

    def reader(self) -> Self:
        """The same store on a connection of its own, for reading in another thread
        (`netinbox.readers`): it never writes, takes no lock and checkpoints nothing."""
        other = object.__new__(type(self))
        other.path, other.config, other.clock = self.path, self.config, self.clock
        other.read_only = True
        other._tuples = threading.local()
        other._verified = True
        other._checker, other._damage, other.wiped = None, None, True
        other.created = []
        other._lock = None
        other.conn = dblib.connect(self.path, create=False, read_only=self.read_only)
        other.conn.execute("PRAGMA query_only=ON")
        # No memory mapping (it made a count at 1,000,000 requests 3-4x faster, in a
        # worker): the mapped pages counted +50 MB of the app's resident memory at
        # 100,000, and an I/O error under a mapping is a signal that kills the app, not
        # an error it can report.
        return other

    def close(self) -> None:
        if self._checker is not None:
            self._checker.cancel()
        if self.conn is not None:
            if not self.read_only:
                try:  # a reader may hold it up: do not keep the user waiting for it
                    self.conn.execute("PRAGMA busy_timeout=200")
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock is not None:
            if self._wrote and self._verified and self._lock.held and not self.created:
                # What this open wrote into a store that passed the check is as sound as
                # the check: the next command need not check again (git's index does the
                # same after its own writes). Still under the lock: nobody wrote since. A
                # store this open created is small to check: nothing more is written for it.
                remember_checked(self.path)
            self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def state(self) -> tuple[int, int]:
        """A token that changes whenever the store does: with this connection's own
        writes (`total_changes`) or with another connection's commit (`data_version`).
        What was read while it stays the same is still what the store holds."""
        row = self.conn.execute("PRAGMA data_version").fetchone()
        return int(row[0]), self.conn.total_changes

    def deadline(self, sent: datetime) -> datetime:
        """`deadline_days` after `sent` at the same wall-clock time in the user's zone, so a
        DST change in between does not move the deadline by an hour (docs/reliability.md, A-20)."""
        local = sent.astimezone(self.config.zone())
        return (local + timedelta(days=self.config.deadline_days)).astimezone(UTC)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise dblib.StoreReadOnly(_("The store is open read-only: changes are disabled."))
        if not self._verified and not self.conn.in_transaction:
            checker, self._checker = self._checker, None
            if checker is not None:  # a check started in the background: its answer
                checker.cancel()
                if checker.is_alive():
                    checker.join()
            if self._damage is not None:
                raise self._damage
            if not self._verified:  # never write into a damaged store
                quick_check_once(self.conn, self.path)
                self._verified = True
        with dblib.write(self.conn) as conn:
            yield conn
        self._wrote = True

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def _salt(self) -> bytes:
        row = self._one("SELECT value FROM meta WHERE key = 'salt'")
        if row is not None:
            return bytes.fromhex(row[0])
        import secrets  # once per store: not on the start-up path

        salt = secrets.token_bytes(32)
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('salt', ?)", (salt.hex(),))
        return self._salt()

    # --- a forget's wipe (privacy.py starts it; an open for writing finishes it) ----------

    def _wipe(self, attempts: int = 2) -> bool:
        """Rewrite the file (VACUUM) and empty the -wal (checkpoint TRUNCATE): only then are
        deleted bytes gone from both files. True when done; a reader can hold it up."""
        import time

        wal = Path(f"{self.path}-wal")
        self.conn.execute(f"PRAGMA busy_timeout={WIPE_WAIT_MS}")
        try:
            for attempt in range(attempts):
                if attempt:
                    time.sleep(0.5)
                try:
                    self.conn.execute("VACUUM")
                    busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
                if busy == 0 and (not wal.exists() or wal.stat().st_size == 0):
                    with self.write():
                        self.conn.execute("DELETE FROM meta WHERE key = ?", (WIPE_PENDING,))
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    return True
            return False
        finally:
            self.conn.execute("PRAGMA busy_timeout=5000")

    def _finish_wipe(self) -> None:
        """A wipe a reader held up last time is finished on the next open for writing."""
        try:
            pending = self._one("SELECT 1 FROM meta WHERE key = ?", (WIPE_PENDING,))
        except sqlite3.OperationalError:  # no meta table yet
            return
        if pending is not None:
            self.wiped = self._wipe(attempts=1)

    def person_id_of(self, request_id: int) -> int:
        row = self._one("SELECT person_id FROM requests WHERE id = ?", (request_id,))
        if row is None:
            raise dblib.StoreError(_("No request %(id)s.") % {"id": request_id})
        return int(row[0])
