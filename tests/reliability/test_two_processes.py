"""A-7, A-8, A-9: one store, two processes — whatever path the second one takes to it.

netinbox promises one writer per store: while the app is open, `import`, `add` and
`forget` refuse with one clear line, and reading commands still work. A store is a file,
not a path: a symlink, a hard link, a relative path or a `..` path reach the same file
and must meet the same lock (issue 11: through a hard link an `add` reported as done was
lost; through a symlink `import` and `forget` ran while the app was open).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from netinbox.db import StoreError, StoreLocked
from netinbox.store import Store

from .conftest import Child, cli, invitations_csv, refused, snapshot

KINDS = ("same", "symlink", "hardlink", "relative", "dotdot")
# A store with a second hard link is refused by every command, reading ones too: SQLite
# keeps a -wal per name, so through the other name it would read stale data (issue 11).
REFUSALS = {"hardlink": ("already open", "hard link")}


def kinds(*, without: tuple[str, ...] = ()) -> list[str]:
    return [kind for kind in KINDS if kind not in without]


def alias(kind: str, store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another way to name `store` (made now; a hard link is a second name of the file)."""
    folder = store.parent
    if kind == "same":
        return Path(str(store))
    if kind == "symlink":
        link = folder.parent / "link-to-store.db"
        link.symlink_to(store)
        return link
    if kind == "hardlink":
        link = folder.parent / "hard-link.db"
        os.link(store, link)
        return link
    if kind == "relative":
        monkeypatch.chdir(folder.parent)
        return Path(folder.name) / store.name
    sub = folder / "sub"
    sub.mkdir(exist_ok=True)
    return sub / ".." / store.name


@pytest.fixture
def home(tmp_path: Path, filled: Path) -> Path:
    """The filled store, in a folder of its own."""
    folder = tmp_path / "stores"
    folder.mkdir()
    moved = folder / "netinbox.db"
    filled.rename(moved)
    return moved


def writes(path: Path, csv: Path) -> list[list[str | Path]]:
    return [
        ["add", "--db", path, "--name", "Second Writer"],
        ["import", "--db", path, csv],
        ["forget", "--db", path, "2", "--yes"],
    ]


@pytest.mark.parametrize("kind", kinds())
def test_a7_writing_commands_refuse_while_the_app_is_open_by_any_path(
    kind: str,
    home: Path,
    tmp_path: Path,
    child: Callable[..., Child],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(home)
    holder = child("hold", home)
    holder.expect("locked")
    other = alias(kind, home, monkeypatch)
    csv = invitations_csv(tmp_path / "Invitations.csv", 3)
    problems = []
    said = REFUSALS.get(kind, ("already open",))
    for args in writes(other, csv):
        result = cli(*args)
        if result.exit_code == 0 or not any(words in result.stderr for words in said):
            problems.append((args[0], result.exit_code, result.output.strip()))
        else:
            assert result.stderr.count("\n") == 1, result.stderr
    assert not problems, problems
    # Reading commands still work through every path while the app is open (a second
    # hard link excepted: refused, with the reason).
    for args in (["due", "--days", "30"], ["export"]):
        result = cli(args[0], "--db", other, *args[1:])
        if kind == "hardlink":
            assert result.exit_code != 0 and "hard link" in result.stderr, result.output
        else:
            assert result.exit_code == 0, result.output
    if kind == "hardlink":
        other.unlink()  # one name again
    assert "Person 0" in cli("export", "--db", home).stdout
    holder.proc.stdin.write("add Held Open\n")  # type: ignore[union-attr]
    holder.proc.stdin.flush()  # type: ignore[union-attr]
    assert holder.line().startswith("added ")
    holder.proc.stdin.write("close\n")  # type: ignore[union-attr]
    holder.proc.stdin.flush()  # type: ignore[union-attr]
    holder.expect("closed")
    holder.close()
    check, requests, follow_ups = snapshot(home)
    assert check == "ok"
    assert [r[1] for r in requests] == [r[1] for r in before[1]] + ["Held Open"]
    assert follow_ups == before[2]


@pytest.mark.parametrize("kind", kinds(without=("hardlink",)))
def test_a7_the_app_opened_by_another_path_keeps_writers_out(
    kind: str,
    home: Path,
    tmp_path: Path,
    child: Callable[..., Child],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = alias(kind, home, monkeypatch)
    holder = child("hold", other.resolve() if kind == "relative" else other)
    holder.expect("locked")
    before = snapshot(home)
    csv = invitations_csv(tmp_path / "Invitations.csv", 3)
    outcomes = [cli(*args) for args in writes(home, csv)]
    after = snapshot(home)
    holder.kill()
    for result in outcomes:
        assert result.exit_code != 0 and "already open" in result.stderr, result.output
    assert after == before


def test_a7_a_store_with_a_second_hard_link_is_refused_for_writing(home: Path) -> None:
    """SQLite: "hard-linking the file" corrupts it (howtocorrupt §2.5). Say so, write nothing."""
    os.link(home, home.with_name("copy-by-link.db"))
    before = snapshot(home)
    for path in (home, home.with_name("copy-by-link.db")):
        message = refused("add", "--db", path, "--name", "Through A Link")
        assert "hard link" in message
    assert snapshot(home) == before


def test_a7_after_the_app_is_killed_the_lock_is_free(
    home: Path, child: Callable[..., Child]
) -> None:
    holder = child("hold", home)
    holder.expect("locked")
    with pytest.raises(StoreLocked, match=f"already open .*pid {holder.proc.pid}"):
        Store(home, lock=True)
    holder.kill()  # SIGKILL: the OS frees the lock, no stale lock file blocks the next start
    Store(home, lock=True).close()
    assert cli("add", "--db", home, "--name", "After The Crash").exit_code == 0


def test_a8_a_stale_edit_is_refused_not_written_over(store: Store, add) -> None:  # type: ignore[no-untyped-def]
    """Two windows on the same request: the second decision names the conflict."""
    rid = add()
    seen = store.get(rid).request.version  # type: ignore[union-attr]
    store.decline(rid, "no", version=seen)
    with pytest.raises(StoreError, match="changed elsewhere"):
        store.accept(rid, "yes", version=seen)
    assert store.get(rid).request.status.value == "declined"  # type: ignore[union-attr]


def test_a9_a_deferred_write_fails_at_once_but_begin_immediate_waits(tmp_path: Path) -> None:
    """Why every write starts with BEGIN IMMEDIATE (docs/reliability.md, A-9)."""
    path = tmp_path / "t.db"
    a = sqlite3.connect(path, isolation_level=None, timeout=0.3)
    b = sqlite3.connect(path, isolation_level=None, timeout=0.3)
    a.execute("PRAGMA journal_mode=WAL")
    a.execute("CREATE TABLE t (x)")
    b.execute("BEGIN")  # deferred: reads a snapshot ...
    b.execute("SELECT count(*) FROM t").fetchone()
    a.execute("INSERT INTO t VALUES (1)")  # ... another connection commits ...
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        b.execute("INSERT INTO t VALUES (2)")  # ... and the upgrade fails, busy handler or not
    b.execute("ROLLBACK")
    a.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        b.execute("BEGIN IMMEDIATE")  # waits the busy timeout, then says so
    a.execute("COMMIT")
    b.execute("BEGIN IMMEDIATE")
    b.execute("INSERT INTO t VALUES (2)")
    b.execute("COMMIT")
    assert a.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    a.close()
    b.close()


def test_a9_every_store_write_is_begin_immediate(store: Store, add) -> None:  # type: ignore[no-untyped-def]
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    rid = add()
    store.mark_sent(rid, "Why?")
    store.undo()
    store.conn.set_trace_callback(None)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins and all(s.upper() == "BEGIN IMMEDIATE" for s in begins), begins
