"""Opening the SQLite file safely: mode 0600, the pragmas, one write helper, the instance lock.

Every write goes through `write()`, which is one `BEGIN IMMEDIATE … COMMIT` (docs/reliability.md,
A-4, A-9). Nothing else in netinbox executes INSERT/UPDATE/DELETE outside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import struct
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

from netinbox.i18n import N_, _

APPLICATION_ID = 0x4E494E58  # "NINX": tells a netinbox file from any other SQLite file


class StoreError(Exception):
    """Something about the store the user must know; the message says what and what to do."""


class StoreLocked(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


class StoreMissing(StoreError):
    """There is no store at the path (yet): reading commands have nothing to read."""


class StoreDamaged(StoreError):
    """The store fails SQLite's own check: nothing may be written to it."""


def companions(path: Path) -> tuple[Path, ...]:
    """The files SQLite keeps beside a store: its WAL, shared memory and rollback journal."""
    return tuple(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))


def _missing_folders(folder: Path) -> list[Path]:
    """The folders `mkdir -p folder` would create, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def create_store_file(path: Path) -> list[Path]:
    """Create the store file 0600 (and its missing folders 0700) before SQLite does, so
    -wal and -shm inherit the mode; returns what was created, outermost first, so a store
    that ends up unused can be removed without a trace. Empty when the file existed."""
    made = _missing_folders(path.parent)
    for folder in made:
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by someone else: not ours to remove
            made.remove(folder)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return []
    os.close(fd)
    return [*made, path]


def remove_created(created: list[Path]) -> None:
    """Undo `create_store_file`: the store, its companions, then the folders made for it
    (only if empty). Call while holding the instance lock, after closing the connection."""
    if not created:
        return
    store = created[-1]
    for file in (store, *companions(store)):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
    for folder in reversed(created[:-1]):
        with contextlib.suppress(OSError):
            folder.rmdir()


def check_links(path: Path) -> None:
    """Refuse a store with more than one name (hard links): SQLite keeps a -wal beside the
    name it was opened by, so writes through two names would corrupt it."""
    try:
        links = os.stat(path).st_nlink
    except OSError:
        return
    if links > 1:
        raise StoreError(
            _(
                "%(path)s has %(links)d hard links (other names for the same file); SQLite "
                "keeps its journal beside each name, so writing through two of them corrupts "
                "the store. Keep one name: remove the others (`find / -samefile PATH` lists "
                "them)."
            )
            % {"path": path, "links": links}
        )


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` are one file: the same path once resolved, or the same inode."""
    try:
        if os.path.realpath(a) == os.path.realpath(b):
            return True
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_overwrite(target: Path, store: Path, what: str = "write") -> None:
    """Refuse to write `target` when it is the store, one of its companions or its lock,
    by any name (a symlink, a hard link, `..`)."""
    for protected in (store, *companions(store), Path(f"{store}.lock")):
        if same_file(target, protected):
            companion = "" if protected == store else f" ({protected.name})"
            if what == "export":
                text = _(
                    "%(target)s: that is the store itself%(companion)s; will not export onto "
                    "it. Choose another file."
                )
            elif what == "back up":
                text = _(
                    "%(target)s: that is the store itself%(companion)s; will not back up onto "
                    "it. Choose another file."
                )
            else:
                text = _(
                    "%(target)s: that is the store itself%(companion)s; will not write onto "
                    "it. Choose another file."
                )
            raise StoreError(text % {"target": target, "companion": companion})


def connect(
    path: Path | str, *, create: bool = True, read_only: bool = False
) -> sqlite3.Connection:
    """Open the store with every setting netinbox relies on.

    Nothing that changes the file (journal mode, migrations) happens before the store was
    recognised as a netinbox store of a schema this netinbox knows.
    """
    path = Path(path)
    if not path.exists():
        if not create or read_only:
            raise StoreMissing(_("%(path)s: no such netinbox store") % {"path": path})
        create_store_file(path)
    if path.is_dir():
        raise StoreError(_("%(path)s: is a folder, not a netinbox store") % {"path": path})
    check_links(path)
    if not _open_here(path):
        # These read the file through a descriptor of our own. Closing it would drop every
        # POSIX lock this process holds on the file, SQLite's included (another program
        # could then delete the -wal under the app's feet), so they run only while no
        # connection of this process has the file open: the first open checked it.
        _check_raw_header(path)
        _check_wal_is_its_own(path)
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    if read_only and _needs_immutable(path):
        uri += "&immutable=1"
    try:
        return _open(uri, path, read_only=read_only)
    except StoreError as error:
        # Reading where SQLite cannot make its -shm (a full disk, a read-only mount):
        # with no -wal to read, the file alone is the whole store.
        if not read_only or "immutable" in uri or _wal_size(path) or not _io_failure(error):
            raise
        return _open(uri + "&immutable=1", path, read_only=True)


def _wal_size(path: Path) -> int:
    try:
        return os.stat(f"{path}-wal").st_size
    except OSError:
        return 0


def _io_failure(error: StoreError) -> bool:
    cause = error.__context__
    text = str(cause) if cause is not None else str(error)
    return any(word in text for word in ("disk I/O", "full", "unable to open", "readonly"))


def _open(uri: str, path: Path, *, read_only: bool) -> sqlite3.Connection:
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=5.0,
            isolation_level=None,
            check_same_thread=False,
            factory=Connection,
        )
        _opened(conn, path)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=5000")
        _check_header(conn, path)
        from netinbox.schema import refuse_newer  # schema imports this module

        refuse_newer(conn)
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
            if "not a database" in str(error):
                raise StoreError(_not_ours(path)) from None
            raise explain(error, path) from error
        raise
    return conn


class Connection(sqlite3.Connection):
    """A store connection this process keeps track of while it is open (see `_open_here`)."""

    def close(self) -> None:
        with _LIVE_GUARD:
            for live in _LIVE.values():
                live.discard(self)
        super().close()


_LIVE: dict[tuple[int, int], weakref.WeakSet[Connection]] = {}
_LIVE_GUARD = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _opened(conn: Connection, path: Path) -> None:
    key = _file_key(path)
    if key is not None:
        with _LIVE_GUARD:
            _LIVE.setdefault(key, weakref.WeakSet()).add(conn)


def _open_here(path: Path) -> bool:
    """True while a connection of this process has the file open (by any of its names)."""
    key = _file_key(path)
    with _LIVE_GUARD:
        return key is not None and bool(_LIVE.get(key))


SQLITE_MAGIC = b"SQLite format 3\x00"


def _not_ours(path: Path) -> str:
    return _(
        "%(path)s: not a netinbox database, or its header is damaged (file is not a "
        "database); it was not changed"
    ) % {"path": path}


def _check_raw_header(path: Path) -> None:
    """The header read as bytes, before SQLite opens the file (which may change it): a
    file that is no SQLite store, another program's, or a newer netinbox's is refused
    with every byte and every file beside it as it was."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError:
        return  # SQLite will say what is wrong
    if not head:
        return  # a new, empty file
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise StoreError(_not_ours(path))
    (version,) = struct.unpack(">i", head[60:64])
    (app_id,) = struct.unpack(">I", head[68:72])
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(
            _("%(path)s: is an SQLite file, but not a netinbox store") % {"path": path}
        )
    from netinbox.schema import CURRENT_VERSION, newer_message

    if version > CURRENT_VERSION:
        raise StoreError(newer_message(version))


def _salt_of(uri: str) -> str | None:
    """The store's random key (meta 'salt') as `uri` reads it; None if it has none."""
    conn = sqlite3.connect(uri, uri=True, timeout=1.0)
    try:
        conn.execute("PRAGMA query_only=ON")
        row = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return None
        raise
    finally:
        conn.close()
    return str(row[0]) if row is not None else None


def _check_wal_is_its_own(path: Path) -> None:
    """A -wal beside the store must be the store's own: one left from another copy of the
    store (or another store) would be read as if it were, and written into the file at the
    next checkpoint. The store's random key, read from the file alone and through the
    -wal, tells: two keys mean two stores. Checked before anything writes."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0:
            return
    except OSError:
        return
    base = path.resolve().as_uri()
    try:
        own = _salt_of(f"{base}?mode=ro&immutable=1")
    except sqlite3.DatabaseError:
        return  # the file alone cannot tell; SQLite will say what is wrong
    if own is None:
        return  # an older store, or one whose key is only in its -wal
    try:
        seen = _salt_of(f"{base}?mode=ro")
    except sqlite3.DatabaseError as error:
        if "malformed" not in str(error) and "not a database" not in str(error):
            return
        seen = "unreadable"
    if seen is not None and seen != own:
        raise StoreError(
            _(
                "%(path)s: the %(wal_name)s file beside it belongs to another store (a copy "
                "made without it, or another store's); nothing was changed. Move it aside "
                "(mv '%(wal)s' '%(wal)s.stale') and open the store again."
            )
            % {"path": path, "wal_name": wal.name, "wal": wal}
        )


def _needs_immutable(path: Path) -> bool:
    """A read-only folder without a -wal: SQLite cannot make its -shm there, so it reads
    the file as immutable. Safe: no writer can use the store where no -wal can exist."""
    wal = Path(f"{path}-wal")
    return not os.access(path.parent, os.W_OK) and not wal.exists()


def _check_header(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreError(
            _("%(path)s: is an SQLite file, but not a netinbox store") % {"path": path}
        )


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: BEGIN IMMEDIATE, COMMIT, or ROLLBACK on any error."""
    if conn.in_transaction:  # nested call: the outer transaction owns commit/rollback
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as error:
        raise explain(error, conn=conn) from None
    try:
        yield conn
    except BaseException as error:
        _rollback(conn)
        if isinstance(error, sqlite3.DatabaseError):
            raise explain(error, conn=conn) from None
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            _rollback(conn)
            raise explain(error, conn=conn) from None


def _rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK after an error, as SQLite asks (a full disk may leave a transaction open)."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _file_of(conn: sqlite3.Connection) -> Path | None:
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[2]) if row is not None and row[2] else None


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _disk_full(folder: Path) -> bool:
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024  # less than one WAL frame's worth


def _file_size_limit() -> int | None:
    """The soft file-size limit (`ulimit -f`) in bytes, if there is one."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (ImportError, OSError, ValueError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft


NOTHING_CHANGED = N_("nothing was changed")


def io_problem(folder: Path, nothing: str = NOTHING_CHANGED) -> str | None:
    """The true reason a write failed, when it is a full disk or a file-size limit
    (`nothing`: what was not done, marked with `N_`)."""
    folder = folder.absolute()
    if _disk_full(folder):
        return _("the disk is full (%(folder)s): %(nothing)s. Free some space and try again.") % {
            "folder": folder,
            "nothing": _(nothing),
        }
    limit = _file_size_limit()
    if limit is not None:
        return _(
            "a file-size limit of %(limit)s bytes (ulimit -f) stops the write: %(nothing)s. "
            "Raise the limit and try again."
        ) % {"limit": f"{limit:,}", "nothing": _(nothing)}
    return None


def explain(
    error: sqlite3.DatabaseError,
    path: Path | None = None,
    *,
    conn: sqlite3.Connection | None = None,
) -> Exception:
    """SQLite's error as what the user must know: what happened, what to do."""
    if path is None and conn is not None:
        path = _file_of(conn)
    text = str(error)
    where = f"{path}: " if path is not None else ""
    folder = path.parent if path is not None else Path(".")
    if "full" in text or "disk I/O" in text:
        reason = io_problem(folder)
        if reason is not None:
            return StoreError(where + reason)
        if "full" in text:  # SQLite's "database or disk is full" (a quota, a page limit)
            return StoreError(
                where
                + _(
                    "Disk full (or the store may grow no more): nothing was changed. "
                    "Free some space and try again."
                )
            )
        return StoreError(
            where
            + _(
                "the disk reported an input/output error; nothing was changed. Check the "
                "disk (dmesg), then try again."
            )
        )
    if (
        "readonly" in text
        or "read-only" in text
        or ("unable to open" in text and path is not None and not _writable(path))
    ):
        return StoreReadOnly(
            where
            + _(
                "the store is read-only (the file or its folder cannot be written): "
                "reading works, but changes are disabled."
            )
        )
    if "locked" in text or "busy" in text:
        return StoreLocked(
            where + _("the store is busy: another program is writing to it. Try again.")
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged(path, text)
    if "unable to open" in text:
        return StoreError(
            where
            + _("cannot be opened (%(error)s); check the folder's permissions.") % {"error": text}
        )
    if isinstance(error, sqlite3.OperationalError):
        return StoreError(f"{where}{text}")
    return damaged(path, text)


def damaged(path: Path | None, detail: str) -> StoreDamaged:
    name = str(path) if path is not None else _("the store")
    return StoreDamaged(
        _(
            "%(name)s is damaged (%(detail)s); nothing was written to it. Keep the file, and "
            "restore your newest backup, or save what is readable with "
            "`sqlite3 %(name)s .recover > recovered.sql`."
        )
        % {"name": name, "detail": detail}
    )


def quick_check(conn: sqlite3.Connection, path: Path | None = None) -> None:
    """SQLite's quick_check; StoreDamaged if it finds anything."""
    try:
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.DatabaseError as error:
        raise explain(error, path, conn=conn) from None
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        raise damaged(path or _file_of(conn), " ".join(" ".join(found).split())[:300])


def _holder(fd: int) -> str:
    """The pid holding an flock on the file of `fd` (Linux /proc/locks), or "?"."""
    info = os.fstat(fd)
    key = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) > 5 and parts[1] == "FLOCK" and parts[5] == key:
                    return parts[4]
    except OSError:
        pass
    return "?"


class InstanceLock:
    """One writing netinbox per store: an flock on the store file itself.

    Keyed by the file (its device and inode), not by a name, so a symlink, a bind mount or
    a path with `..` reach the same lock; the OS frees it on exit, even after SIGKILL.
    The lock's descriptor is the one netinbox opens on the store besides SQLite: it is
    closed only after the store's connection (closing any descriptor of a file drops the
    process's POSIX locks on it, SQLite's included).
    """

    def __init__(self, db_path: Path | str) -> None:
        self.path = Path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        for _attempt in range(10):
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                raise StoreMissing(
                    _("%(path)s: no such netinbox store") % {"path": self.path}
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                pid = _holder(fd)
                os.close(fd)
                raise StoreLocked(
                    _(
                        "netinbox is already open on %(path)s (pid %(pid)s). "
                        "Close it first; reading commands (due, export) still work."
                    )
                    % {"path": self.path, "pid": pid}
                ) from None
            # A store given up meanwhile (a failed first import) may have been removed.
            held = os.fstat(fd)
            try:
                now = os.stat(self.path)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                self._fd = fd
                return
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            if now is None:
                raise StoreMissing(_("%(path)s: no such netinbox store") % {"path": self.path})
        raise StoreLocked(_("%(path)s keeps being replaced; try again.") % {"path": self.path})

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
