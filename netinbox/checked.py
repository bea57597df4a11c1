"""Remembering that a store passed SQLite's quick_check, so an unchanged one is not checked
again: what git's index does with the stat data of each file.

A store is known by its device and inode, and changes show in its size, its modification
and status-change times (ctime cannot be set back by `touch`) and the file change counter
SQLite keeps in its header; a write still in the `-wal` shows in that file's size and
times. When all of them are as they were after the last check that passed, the store is
the file that passed it. Anything else, a damaged store included, is checked again.

The record lives in the user's state folder (`platformdirs`), one line per store; a
folder that cannot be written costs a check per command, nothing else.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from platformdirs import user_state_path

from netinbox import state_record
from netinbox.db import quick_check

#: Stores remembered; the oldest are forgotten first.
KEEP = 32


def record_path() -> Path:
    return user_state_path("netinbox", appauthor=False) / "checked.json"


def identity(path: Path) -> list[int] | None:
    """What must be unchanged for an earlier check to hold; None if the file cannot be
    read (then it is checked, and the check reports why)."""
    try:
        main = os.stat(path)
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100:
        return None
    key = [
        main.st_dev,
        main.st_ino,
        main.st_size,
        main.st_mtime_ns,
        main.st_ctime_ns,
        int.from_bytes(header[24:28], "big"),  # the file change counter
    ]
    try:
        wal = os.stat(f"{path}-wal")
    except OSError:
        return key
    if wal.st_size:  # an empty -wal comes and goes with every reader: it holds nothing
        key += [wal.st_ino, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns]
    return key


def _load() -> dict[str, list[int]]:
    try:
        data = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(records: dict[str, list[int]]) -> None:
    state_record.save(record_path(), records)  # if not kept: the next command checks again


def passed_before(path: Path, key: list[int] | None) -> bool:
    return key is not None and _load().get(str(path.resolve())) == key


def remember(path: Path, key: list[int]) -> None:
    records = _load()
    name = str(path.resolve())
    records.pop(name, None)
    records[name] = key
    _save(dict(list(records.items())[-KEEP:]))


def remember_checked(path: Path) -> None:
    """Remember `path` as it is now as checked: for a store that passed the check and was
    since changed only by this process's own writes, under its lock."""
    key = identity(path)
    if key is not None:
        remember(path, key)


def quick_check_once(conn: sqlite3.Connection, path: Path) -> None:
    """`db.quick_check`, unless the store is unchanged since a check of it passed;
    StoreDamaged (or another StoreError) as `quick_check` raises it."""
    before = identity(path)
    if passed_before(path, before):
        return
    quick_check(conn, path)
    if before is not None and identity(path) == before:  # nothing changed while checking
        remember(path, before)
