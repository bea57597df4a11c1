"""Adding requests: by hand (one at a time, undoable) and through `RequestWriter` (imports,
in batches), and finding the person a record is about."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from netinbox import db as dblib
from netinbox.i18n import _
from netinbox.identity import name_key, url_key
from netinbox.kinds import EventKind
from netinbox.store.derived import next_change
from netinbox.store.opening import StoreFile
from netinbox.store.writer import RequestWriter

if TYPE_CHECKING:
    from netinbox.models import RequestRecord


class Adding(StoreFile):
    """Adding requests, and finding who a record is about."""

    def find_person(self, platform: str, name: str, profile_url: str | None) -> sqlite3.Row | None:
        ukey = url_key(profile_url)
        if ukey:
            row = self._one(
                "SELECT * FROM persons WHERE platform = ? AND url_key = ?", (platform, ukey)
            )
            if row is not None:
                return row
        return self._one(
            "SELECT * FROM persons WHERE platform = ? AND name_key = ?"
            + (" AND url_key IS NULL" if ukey else "")
            + " ORDER BY id LIMIT 1",
            (platform, name_key(name)),
        )

    def upsert_request(
        self, rec: RequestRecord, *, kind: EventKind = EventKind.IMPORTED
    ) -> tuple[str, int | None]:
        """Add a request, or find it again: ("new"|"updated"|"unchanged"|"forgotten", id).

        Call inside `write()`. See `writer` for what counts as the same request.
        """
        return next(iter(RequestWriter(self, event_kind=kind.value).write([rec])))

    def add_request(self, rec: RequestRecord) -> int:
        """Add one request by hand (the app's `n`, the CLI's `add`)."""
        return self.add_request_outcome(rec)[1]

    def add_request_outcome(self, rec: RequestRecord) -> tuple[str, int]:
        """Add one request by hand: ("new"|"updated"|"unchanged", id). A request already
        stored is not added again ("unchanged"; "updated" when empty facts were filled)."""
        with self.write():
            outcome, request_id = self.upsert_request(rec, kind=EventKind.ADDED)
            if outcome == "new":  # adding by hand is a change the user can undo
                self.conn.execute(
                    "UPDATE events SET change_id = ? WHERE request_id = ? AND kind = 'added'",
                    (next_change(self.conn), request_id),
                )
        if request_id is None:
            raise dblib.StoreError(
                _("%(name)s was forgotten on request; not added again.") % {"name": rec.name}
            )
        return outcome, request_id
