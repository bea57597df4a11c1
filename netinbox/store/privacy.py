"""Privacy and safety: forgetting a person (every trace, and a tombstone that keeps
re-imports out) and backing the store up (a checked, private copy).

A forget's deleted bytes leave the files only when the wipe (`StoreFile._wipe`) finishes;
an open for writing finishes one a reader held up.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from netinbox import db as dblib
from netinbox.i18n import N_, _
from netinbox.identity import tombstone_key, tombstone_marks
from netinbox.store.derived import unindex
from netinbox.store.opening import WIPE_PENDING, StoreFile


class Privacy(StoreFile):
    """Forgetting a person, and backups."""

    def forget_person(self, person_id: int) -> str:
        """Remove a person and every trace of them; a tombstone keeps re-imports out.

        The rows go in one transaction; their bytes leave the files only when the file is
        rewritten and the -wal emptied, which a program reading the store can hold up.
        `wiped` says whether that finished; if not, the next open finishes it."""
        person = self._one("SELECT * FROM persons WHERE id = ?", (person_id,))
        if person is None:
            raise dblib.StoreError(_("No person %(id)s.") % {"id": person_id})
        salt = self._salt()
        keys = tombstone_marks(person["url_key"], person["name_key"])
        with self.write():
            for request in self.conn.execute(
                "SELECT id FROM requests WHERE person_id = ?", (person_id,)
            ).fetchall():
                unindex(self.conn, request["id"])
            self.conn.execute("DELETE FROM persons WHERE id = ?", (person_id,))
            for key in keys:
                self.conn.execute(
                    "INSERT OR IGNORE INTO tombstones(key) VALUES (?)",
                    (tombstone_key(salt, person["platform"], key),),
                )
            # FTS5 keeps deleted terms in old segments; merging rewrites them away.
            self.conn.execute("INSERT INTO search(search) VALUES ('optimize')")
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, '1')", (WIPE_PENDING,)
            )
        self.wiped = self._wipe()
        return str(person["name"])

    def backup(self, dest: Path | str) -> Path:
        """A consistent, integrity-checked, private copy made with SQLite's backup API.

        Never onto the store itself (by any name) nor its -wal/-shm; the source is checked
        first, so a damaged store is named as such; a failure (a full disk) leaves no
        partial file."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / f"netinbox-{self.now():%Y%m%d-%H%M%S}.db"
        dblib.refuse_overwrite(dest, self.path, "back up")
        dblib.quick_check(self.conn, self.path)
        tmp = dest.with_name(dest.name + ".partial")
        leftovers = (tmp, *dblib.companions(tmp))
        try:
            for path in leftovers:
                path.unlink(missing_ok=True)
            fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:  # named as the user named it, not by our scratch name
            raise OSError(error.errno, error.strerror, str(dest)) from None
        os.close(fd)
        try:
            target = sqlite3.connect(tmp)
            try:
                target.execute("PRAGMA journal_mode=MEMORY")  # no -journal beside the copy
                self.conn.backup(target)
                check = target.execute("PRAGMA integrity_check").fetchone()[0]
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            if check != "ok":
                raise dblib.StoreError(
                    _("The backup failed its integrity check (%(check)s).") % {"check": check}
                )
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, dest)
            dir_fd = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException as error:
            for path in leftovers:
                path.unlink(missing_ok=True)
            if isinstance(error, sqlite3.DatabaseError):
                reason = dblib.io_problem(dest.parent, N_("no backup was written"))
                if reason is not None:
                    raise dblib.StoreError(reason) from None
                raise dblib.StoreError(
                    _("%(dest)s: the backup failed (%(error)s); none was written.")
                    % {"dest": dest, "error": error}
                ) from None
            raise
        return dest
