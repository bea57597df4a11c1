"""The app's own extra connections (searches in workers, the import dialog) never weaken
the store's locks for other programs.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. If opening a second connection read the file through a descriptor of its own,
the next program that opened and closed the store (the sqlite3 shell, a backup tool) would
take the app for gone, fold the -wal into the file and delete it, and the app's next change
would go into a deleted file: invisible to every other reader, and lost.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from netinbox.models import RequestRecord
from netinbox.query import View, parse
from netinbox.store import Store


def _another_program_opens_and_closes(path: Path) -> None:
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('SELECT count(*) FROM requests').fetchone()\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=30)


def _names_seen_by_export(path: Path) -> set[str]:
    env = {**os.environ, "NETINBOX_CONFIG": str(path.parent / "none.toml")}
    out = subprocess.run(
        [sys.executable, "-m", "netinbox", "export", "--db", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=True,
    ).stdout
    data = json.loads(out)
    rows = data["requests"] if isinstance(data, dict) else data
    return {row["person"]["name"] if "person" in row else row["name"] for row in rows}


def test_a_change_after_a_search_and_another_program_is_seen_by_every_reader(
    tmp_path: Path, rec: Callable[..., RequestRecord]
) -> None:
    path = tmp_path / "netinbox.db"
    app = Store(path, lock=True)
    try:
        app.add_request(rec("Before Search"))
        reader = app.reader()  # what a search, a count or a view switch does in the app
        reader.count(parse("before", View.NEW))
        reader.close()
        _another_program_opens_and_closes(path)
        assert Path(f"{path}-wal").exists(), "the app's -wal was deleted while it was open"
        app.add_request(rec("After Search"))
        assert _names_seen_by_export(path) == {"Before Search", "After Search"}
    finally:
        app.close()
    with sqlite3.connect(path) as check:
        names = {name for (name,) in check.execute("SELECT name FROM persons")}
    assert names == {"Before Search", "After Search"}
