"""Opening the SQLite file safely: mode 0600, the pragmas, one write helper, the instance lock.

Every write goes through `write()`, which is one `BEGIN IMMEDIATE … COMMIT` (reliability.md
§1.2, A-4, A-9). Nothing else in netinbox executes INSERT/UPDATE/DELETE outside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

APPLICATION_ID = 0x4E494E58  # "NINX": tells a netinbox file from any other SQLite file


class StoreError(Exception):
    """Something about the store the user must know; the message says what and what to do."""


class StoreLocked(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


def _create_private(path: Path) -> None:
    """Create the file 0600 before SQLite does, so -wal and -shm inherit the mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def connect(
    path: Path | str, *, create: bool = True, read_only: bool = False
) -> sqlite3.Connection:
    """Open the store with every setting netinbox relies on."""
    path = Path(path)
    if not path.exists():
        if not create or read_only:
            raise StoreError(f"{path}: no such netinbox store")
        _create_private(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a netinbox store")
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=5.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=5000")
        _check_header(conn, path)
        if not read_only:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA trusted_schema=OFF")
    except BaseException as error:
        if conn is not None:  # a refused file keeps no connection (nor -wal/-shm) open
            conn.close()
        if isinstance(error, sqlite3.DatabaseError):
            raise StoreError(f"{path}: not a netinbox database ({error})") from None
        raise
    return conn


def _check_header(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreError(f"{path}: is an SQLite file, but not a netinbox store")


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: BEGIN IMMEDIATE, COMMIT, or ROLLBACK on any error."""
    if conn.in_transaction:  # nested call: the outer transaction owns commit/rollback
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise _explain(error) from None
    try:
        yield conn
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError):
            raise _explain(error) from None
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _explain(error) from None


def _explain(error: sqlite3.OperationalError) -> Exception:
    text = str(error)
    if "full" in text:
        return StoreError("Disk full: nothing was changed. Free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return StoreReadOnly("The store is read-only: you can browse, but changes are disabled.")
    if "locked" in text or "busy" in text:
        return StoreLocked("The store is busy: another program is writing to it. Try again.")
    return error


class InstanceLock:
    """An flock on a sidecar file: one writing netinbox per store. The OS frees it on exit."""

    def __init__(self, db_path: Path | str) -> None:
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pid = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise StoreLocked(
                f"netinbox is already open on {str(self.path)[:-5]} (pid {pid}). "
                "Close it first; reading commands (due, export) still work."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
