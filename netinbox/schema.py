"""The store's schema version: checked on every open, changed only through migrations.

All pending migrations (`netinbox.migrations`, sqlite-utils `Migrations`) run in one
transaction together with `PRAGMA user_version`, so a failing step leaves the old schema
untouched (A-15). A store written by a newer netinbox is refused, never "repaired" (A-14).
"""

from __future__ import annotations

import sqlite3

from netinbox.storefile import StoreError


class StoreNeedsUpgrade(StoreError):
    """A store of an older schema opened read-only, which cannot migrate it."""


#: The names of the migration steps, in order; `netinbox.migrations` defines each.
MIGRATION_NAMES = (
    "m001_initial",
    "m002_unknown_is_not_a_placeholder",
    "m003_search_spells_out_umlauts",
    "m004_snoozed_in_wake_order",
    "m005_statistics_from_indexes",
    "m006_invitation_kinds_and_owed_answers",
    "m007_withdrawn_is_its_own_outcome",
)
CURRENT_VERSION = len(MIGRATION_NAMES)
MIGRATION_SET = "netinbox"


def _applied(conn: sqlite3.Connection) -> set[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if exists is None:
        return set()
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
    ).fetchall()
    return {row[0] for row in rows}


def newer_message(version: int) -> str:
    return (
        f"This store was written by a newer netinbox (schema {version}; this one knows "
        f"{CURRENT_VERSION}). Update netinbox; the store was not changed."
    )


def refuse_newer(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    """Refuse a store from a newer netinbox; called before anything changes the file."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    applied = _applied(conn)
    if version > CURRENT_VERSION or applied - set(MIGRATION_NAMES):
        raise StoreError(newer_message(version))
    return version, applied


def check_version(conn: sqlite3.Connection) -> None:
    """For read-only opens, which cannot migrate: refuse anything but the current schema."""
    version, applied = refuse_newer(conn)
    if version == 0:
        raise StoreError("This store is empty: it holds no netinbox data yet.")
    if version < CURRENT_VERSION or applied != set(MIGRATION_NAMES):
        raise StoreNeedsUpgrade(
            f"This store needs an upgrade (schema {version} to {CURRENT_VERSION}): "
            "open it once with `netinbox` first."
        )


def needs_upgrade(conn: sqlite3.Connection) -> bool:
    version, applied = refuse_newer(conn)
    return version < CURRENT_VERSION or applied != set(MIGRATION_NAMES)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date inside one transaction, or refuse a newer one."""
    version, applied = refuse_newer(conn)
    if version == CURRENT_VERSION and applied == set(MIGRATION_NAMES):
        return
    from sqlite_utils import Database

    from netinbox.migrations import migrations

    db = Database(conn, execute_plugins=False)
    try:
        conn.execute("BEGIN IMMEDIATE")
        migrations.apply(db)
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(error, Exception) and not isinstance(error, StoreError):
            raise StoreError(
                f"Upgrading the store to schema {CURRENT_VERSION} failed ({error}); "
                "the store was not changed."
            ) from error
        raise
