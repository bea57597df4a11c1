"""The store file: private modes, pragmas, the instance lock, migrations, refusals, crashes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils.migrations import Migrations

from netinbox import schema
from netinbox.cli import main
from netinbox.db import APPLICATION_ID, InstanceLock, StoreError, StoreLocked, StoreReadOnly
from netinbox.importing import apply_import
from netinbox.migrations import migrations
from netinbox.query import Query, parse
from netinbox.store import Store

from . import writer_child
from .conftest import Clock

HERE = Path(__file__).parent
ENV = {**os.environ, "PYTHONPATH": str(HERE.parent)}


def watchdog(child: subprocess.Popen, seconds: float = 30) -> threading.Timer:
    """Kill a child that hangs, so a broken test fails instead of blocking the suite."""
    timer = threading.Timer(seconds, child.kill)
    timer.start()
    return timer


@contextmanager
def another_netinbox(store: Path) -> Iterator[int]:
    """Another process holding the store's instance lock (as an open app does), killed
    at the end, which frees the lock; yields its pid."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "lock_child.py"), str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    dog = watchdog(child)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        yield child.pid
    finally:
        dog.cancel()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.stdout is not None and child.stdin is not None
        child.stdout.close()
        child.stdin.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- files and settings -----------------------------------------------------------------


def test_store_files_are_private_whatever_the_umask(db_path: Path, rec) -> None:
    old = os.umask(0)
    try:
        with Store(db_path, lock=True) as store:
            store.add_request(rec())
            for suffix in ("", "-wal", "-shm"):
                path = Path(f"{db_path}{suffix}")
                assert path.exists() and mode(path) == 0o600, suffix
            assert sorted(p.name for p in db_path.parent.iterdir()) == [
                "n.db",
                "n.db-shm",
                "n.db-wal",
            ]  # the lock is on the store itself: no sidecar file
    finally:
        os.umask(old)


def test_every_connection_has_the_settings(store: Store) -> None:
    pragma = lambda name: store.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("secure_delete") == 1
    assert pragma("trusted_schema") == 0
    assert pragma("application_id") == APPLICATION_ID
    assert pragma("user_version") == schema.CURRENT_VERSION
    assert store.conn.isolation_level is None
    # The standard library's sqlite3, not pysqlite3 via sqlite-utils.
    assert isinstance(store.conn, sqlite3.Connection)


def test_backup_is_private_checked_and_complete(filled: Path, tmp_path: Path) -> None:
    with Store(filled) as store:
        written = store.backup(tmp_path / "copy.db")
        into_folder = store.backup(tmp_path)
    for path in (written, into_folder):
        assert mode(path) == 0o600
        copy = sqlite3.connect(path)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM requests").fetchone()[0] == 3
        assert copy.execute("SELECT count(*) FROM follow_ups").fetchone()[0] == 1
        copy.close()
    assert into_folder.parent == tmp_path and into_folder.name.startswith("netinbox-")
    assert not list(tmp_path.glob("*.partial"))
    with Store(tmp_path / "copy.db") as restored:  # a backup is a working store
        assert restored.count(Query()) == 3


def test_read_only_store_reads_but_refuses_changes(filled: Path) -> None:
    with Store(filled, read_only=True) as store:
        assert store.count(Query()) == 3
        with pytest.raises(StoreReadOnly):
            store.decline(1)
        assert store.wake_snoozed() == 0


def test_missing_store_is_not_created_when_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such netinbox store"):
        Store(tmp_path / "missing.db", create=False)
    with pytest.raises(StoreError, match="no such netinbox store"):
        Store(tmp_path / "missing.db", read_only=True)
    assert list(tmp_path.iterdir()) == []


# --- refusing what is not ours ----------------------------------------------------------


def _other_sqlite(path: Path, journal: str = "delete") -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not netinbox')")
    conn.commit()
    conn.close()


def _corrupt_header(path: Path) -> None:
    with Store(path) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[0:16] = b"this is no db!!\x00"
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(os.urandom(8192)), "not a netinbox database"),
        (lambda p: p.write_text("name,headline\nMax,CEO\n"), "not a netinbox database"),
        (_other_sqlite, "not a netinbox store"),
        (lambda p: _other_sqlite(p, "wal"), "not a netinbox store"),
        (_corrupt_header, "not a netinbox database"),
    ],
    ids=["garbage", "text", "other-sqlite", "other-sqlite-wal", "corrupt-header"],
)
@pytest.mark.parametrize("read_only", [False, True])
def test_foreign_files_are_refused_untouched(
    tmp_path: Path, make, message: str, read_only: bool
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    path = folder / "x.db"
    make(path)
    before = files_of(folder)
    with pytest.raises(StoreError, match=message):
        Store(path, read_only=read_only)
    after = files_of(folder)
    assert after.pop("x.db") == before.pop("x.db")
    if read_only:  # a read-only reader of a WAL file may leave SQLite's empty -wal/-shm
        after.pop("x.db-shm", None)
        assert after.pop("x.db-wal", b"") == b""
    assert after == before


def _set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_schema_is_refused_and_left_alone(filled: Path, read_only: bool) -> None:
    _set_user_version(filled, 99)
    before = files_of(filled.parent)
    with pytest.raises(StoreError, match=r"newer netinbox \(schema 99"):
        Store(filled, read_only=read_only, lock=True)
    after = files_of(filled.parent)
    assert after.pop(filled.name) == before.pop(filled.name)
    # A read-only reader of a WAL file leaves SQLite's empty -wal/-shm behind; no content.
    assert after.get(f"{filled.name}-wal", b"") == b""
    lock = InstanceLock(filled)  # and the refusal released the lock
    lock.acquire()
    lock.release()


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_store_in_another_journal_mode_keeps_every_byte(
    filled: Path, read_only: bool
) -> None:
    """A newer netinbox may use another journal mode: refusing it must not switch its mode
    back to WAL, nor bump its change counter (header bytes 18-19, 24-27)."""
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = files_of(filled.parent)
    with pytest.raises(StoreError, match=r"newer netinbox \(schema 99"):
        Store(filled, read_only=read_only, lock=True)
    assert files_of(filled.parent) == before


def test_unknown_applied_migration_is_refused(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
        " VALUES ('netinbox', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = filled.read_bytes()
    with pytest.raises(StoreError, match="newer netinbox"):
        Store(filled)
    assert filled.read_bytes() == before


# --- migrations -------------------------------------------------------------------------


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def _version_and_tables(path: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
        return version, tables
    finally:
        conn.close()


def test_migrations_on_empty_and_existing_store(db_path: Path, rec) -> None:
    with Store(db_path) as store:
        store.add_request(rec())
    for _ in range(2):
        with Store(db_path) as store:
            assert store.count(Query()) == 1
            applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
            assert applied == [m.name for m in migrations._migrations]
            assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION


@pytest.fixture
def extra_step(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable]:
    """Register a second migration step (with the given function) for one test."""

    def register(fn) -> None:
        fn.__name__ = "m900_test_step"
        steps = [*migrations._migrations, Migrations._Migration(fn.__name__, fn)]
        monkeypatch.setattr(migrations, "_migrations", steps)
        monkeypatch.setattr(schema, "MIGRATION_NAMES", tuple(m.name for m in steps))
        monkeypatch.setattr(schema, "CURRENT_VERSION", len(steps))

    yield register


def test_a_new_step_upgrades_an_existing_store(filled: Path, extra_step) -> None:
    extra_step(lambda db: db.execute("ALTER TABLE requests ADD COLUMN colour TEXT"))
    with Store(filled) as store:
        assert store.count(Query()) == 3
    assert _version_and_tables(filled)[0] == schema.CURRENT_VERSION
    assert "colour" in _columns(filled, "requests")


def test_an_upgrade_is_announced_before_it_starts_and_only_once(filled: Path, extra_step) -> None:
    extra_step(lambda db: db.execute("ALTER TABLE requests ADD COLUMN colour TEXT"))
    said: list[str] = []
    with Store(filled, on_upgrade=lambda: said.append("upgrading")) as store:
        assert said == ["upgrading"]
        assert store.count(Query()) == 3
    with Store(filled, on_upgrade=lambda: said.append("again")):
        assert said == ["upgrading"]


def test_a_command_says_why_it_waits_while_it_upgrades_a_store(filled: Path, extra_step) -> None:
    extra_step(lambda db: db.execute("ALTER TABLE requests ADD COLUMN colour TEXT"))
    result = CliRunner().invoke(main, ["demo", "--db", str(filled)])
    assert result.stderr.startswith(f"netinbox: bringing {filled} up to this version"), result
    result = CliRunner().invoke(main, ["demo", "--db", str(filled)])
    assert "bringing" not in result.stderr


def test_read_only_open_does_not_upgrade(filled: Path, extra_step) -> None:
    extra_step(lambda db: db.execute("ALTER TABLE requests ADD COLUMN colour TEXT"))
    before = filled.read_bytes()
    with pytest.raises(StoreError, match="needs an upgrade"):
        Store(filled, read_only=True)
    assert filled.read_bytes() == before


def test_failing_step_leaves_the_old_schema(filled: Path, extra_step) -> None:
    def broken(db) -> None:
        db.execute("ALTER TABLE requests ADD COLUMN colour TEXT")
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step two exploded")

    extra_step(broken)
    before_version, before_tables = _version_and_tables(filled)
    columns = _columns(filled, "requests")
    with pytest.raises(StoreError, match="step two exploded"):
        Store(filled, lock=True)
    assert _version_and_tables(filled) == (before_version, before_tables)
    assert _columns(filled, "requests") == columns
    conn = sqlite3.connect(filled)
    assert conn.execute("SELECT count(*) FROM requests").fetchone()[0] == 3
    conn.close()


def test_failing_first_step_leaves_an_empty_file(db_path: Path, monkeypatch) -> None:
    first = migrations._migrations[0]
    original = first.fn

    def broken(db) -> None:
        original(db)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(first, "fn", broken)
    with pytest.raises(StoreError, match="disk on fire"):
        Store(db_path)
    assert _version_and_tables(db_path) == (0, [])
    monkeypatch.setattr(first, "fn", original)
    with Store(db_path) as store:  # the next start simply tries again
        assert store.count(Query()) == 0


# --- the instance lock ------------------------------------------------------------------


def test_second_writer_is_refused_while_the_lock_is_held(filled: Path, tmp_path: Path) -> None:
    with another_netinbox(filled) as pid:
        with pytest.raises(StoreLocked, match=f"already open .*pid {pid}"):
            Store(filled, lock=True)

        runner = CliRunner()
        some_file = tmp_path / "Invitations.csv"
        some_file.write_text("From,To\n")
        for args in (
            ["add", "--db", str(filled), "--name", "Locked Out"],
            ["import", "--db", str(filled), str(some_file)],
            ["forget", "--db", str(filled), "1", "--yes"],
        ):
            result = runner.invoke(main, args)
            assert result.exit_code != 0, args
            assert result.stderr.startswith("netinbox: netinbox is already open"), result.output
            assert result.stderr.count("\n") == 1
            assert "Traceback" not in result.output
        for args in (["due", "--db", str(filled), "--days", "30"], ["export", "--db", str(filled)]):
            result = runner.invoke(main, args)
            assert result.exit_code == 0, result.output
        assert "Person 0" in result.stdout
    with Store(filled, lock=True) as store:  # the OS freed the lock with the process
        assert store.count(Query()) == 3


@pytest.mark.parametrize("kind", ["symlink", "folder symlink", "dot-dot path"])
def test_the_same_store_by_another_path_is_the_same_lock(
    filled: Path, tmp_path: Path, kind: str
) -> None:
    """The lock is keyed by the file (device and inode), not by the name given."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    if kind == "symlink":
        alias = other / "alias.db"
        alias.symlink_to(filled)
    elif kind == "folder symlink":
        (other / "link").symlink_to(filled.parent, target_is_directory=True)
        alias = other / "link" / filled.name
    else:
        alias = other / ".." / filled.name
    with another_netinbox(filled) as pid:
        with pytest.raises(StoreLocked, match=f"already open .*pid {pid}"):
            Store(alias, lock=True)
        for args in (["add", "--name", "X"], ["forget", "1", "--yes"]):
            result = CliRunner().invoke(main, [*args, "--db", str(alias)])
            assert result.exit_code == 1
            assert result.stderr.startswith("netinbox: netinbox is already open"), result.output
    with Store(alias, lock=True) as store:
        assert store.count(Query()) == 3


def test_a_store_with_a_hard_link_is_refused_by_every_command(filled: Path, tmp_path: Path) -> None:
    """SQLite keeps a -wal beside each name: writes through two names corrupt the file."""
    twin = tmp_path / "twin.db"
    os.link(filled, twin)
    before = filled.read_bytes()
    for path in (filled, twin):
        for read_only in (False, True):
            with pytest.raises(StoreError, match="has 2 hard links"):
                Store(path, lock=not read_only, read_only=read_only)
        for args in (["add", "--name", "X"], ["due"], ["export"], ["backup", str(tmp_path)]):
            result = CliRunner().invoke(main, [*args, "--db", str(path)])
            assert result.exit_code == 1, args
            assert "has 2 hard links" in result.stderr and result.stderr.count("\n") == 1
    assert filled.read_bytes() == before
    assert sorted(p.name for p in filled.parent.iterdir()) == ["n.db", "twin.db"]
    twin.unlink()
    with Store(filled, lock=True) as store:  # one name again: fine
        assert store.count(Query()) == 3


def test_a_wal_left_by_another_store_is_refused_and_the_own_one_is_read(
    filled: Path, tmp_path: Path, rec
) -> None:
    other = tmp_path / "other" / "o.db"
    with Store(other) as store:
        store.add_request(rec("Someone Else"))
        shutil.copyfile(f"{other}-wal", f"{filled}-wal")  # uncheckpointed, another store's
    before = filled.read_bytes()
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"n\.db-wal file beside it belongs to another"):
            Store(filled, read_only=read_only)
    assert filled.read_bytes() == before
    Path(f"{filled}-wal").unlink()
    Path(f"{filled}-shm").unlink(missing_ok=True)
    # Its own -wal, left by a crash (copied while open), is read as it should be.
    with Store(filled) as store:
        store.add_request(rec("Only In The Wal", days_ago=0))
        shutil.copyfile(filled, tmp_path / "crashed.db")
        shutil.copyfile(f"{filled}-wal", tmp_path / "crashed.db-wal")
    with Store(tmp_path / "crashed.db", read_only=True) as crashed:
        assert crashed.count(Query()) == 4


def test_closing_releases_the_lock(db_path: Path) -> None:
    first = Store(db_path, lock=True)
    with pytest.raises(StoreLocked):
        Store(db_path, lock=True)
    first.close()
    Store(db_path, lock=True).close()


# --- crashes and full disks -------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_during_import_loses_nothing_committed(db_path: Path, seed: int) -> None:
    """docs/reliability.md, A-1: SIGKILL mid-import; every acknowledged batch is there, whole."""
    rng = random.Random(seed)
    wait_for = rng.randint(1, 4)
    child = subprocess.Popen(
        [sys.executable, str(HERE / "writer_child.py"), str(db_path), "40"],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert child.stdout is not None
    dog = watchdog(child)
    try:
        assert child.stdout.readline().strip() == "ready"
        for _ in range(wait_for):  # the child's acknowledgements are the synchronisation
            assert child.stdout.readline().strip().isdigit()
        time.sleep(rng.uniform(0, 0.01))  # a little further into the next batch
    finally:
        dog.cancel()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    acked = wait_for + sum(1 for line in child.stdout.read().split() if line.isdigit())
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    batch = writer_child.BATCH
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        store.conn.execute("INSERT INTO search(search) VALUES ('integrity-check')")
        stored = store.count(Query())
        assert stored % batch == 0
        assert acked * batch <= stored <= (acked + 1) * batch
        attempted = min(acked + 2, 40)
        records = [r for n in range(attempted) for r in writer_child.batch(n)]
        summary = apply_import(store, records)
        assert summary.counts["requests"] == Counter(
            unchanged=stored, new=attempted * batch - stored
        )
        assert store.count(Query()) == attempted * batch
        assert apply_import(store, records).counts["requests"] == {"unchanged": attempted * batch}


def test_disk_full_rolls_back_the_whole_import(store: Store, rec) -> None:
    store.add_request(rec("Already Here"))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    records = [rec(f"Big Import {i}", message="x" * 500, days_ago=i / 100) for i in range(600)]
    with pytest.raises(StoreError, match="(?i)disk full"):
        apply_import(store, records)
    assert not store.conn.in_transaction
    assert store.count(Query()) == 1
    assert store.conn.execute("SELECT count(*) FROM persons").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rid = store.add_request(rec("Small One", days_ago=0))  # still usable
    store.mark_sent(rid, "Why?")
    store.conn.execute("PRAGMA max_page_count = 4294967294")
    assert apply_import(store, records).counts["requests"] == {"new": 600}
    assert store.count(Query()) == 602


def test_no_write_leaves_a_transaction_open(store: Store, clock: Clock, rec) -> None:
    rid = store.add_request(rec())
    for action in (
        lambda: store.save_draft(rid, "draft"),
        lambda: store.mark_sent(rid),
        lambda: store.record_answer(rid, "ok"),
        lambda: store.accept(rid),
        lambda: store.reopen(rid),
        lambda: store.snooze(rid, clock.now + timedelta(days=1)),
        lambda: store.undo(),
        lambda: store.could_not_ask(rid),
        lambda: store.add_note(rid, "n"),
        lambda: apply_import(store, [rec("Someone Else")]),
        lambda: apply_import(store, [rec("Dry Run")], dry_run=True),
        lambda: store.forget_person(store.person_id_of(rid)),
    ):
        action()
        assert not store.conn.in_transaction
    assert store.count(Query()) == 1  # the dry run wrote nothing


def test_the_step_names_match_the_migrations() -> None:
    """schema.py knows the steps by name, so opening a current store needs no sqlite-utils."""
    assert tuple(m.name for m in migrations._migrations) == schema.MIGRATION_NAMES


def _as_schema_1(path: Path) -> None:
    """Make a store look as netinbox's first schema left it (before m002 existed)."""
    conn = sqlite3.connect(path)
    names = schema.MIGRATION_NAMES[1:]
    conn.execute(
        f"DELETE FROM _sqlite_migrations WHERE name IN ({','.join('?' * len(names))})", names
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_upgrade_drops_red_flags_for_a_title_and_company_not_in_the_source(
    db_path: Path, rec
) -> None:
    with Store(db_path) as store:
        unknown = store.add_request(rec("Ina Invite"))  # as from Invitations.csv: no title
        tba = store.add_request(rec("Tom Tba", headline="tba", company="-", days_ago=2))
        # what the first schema's rules stored for both
        store.conn.execute(
            "UPDATE requests SET flags = ' no_message placeholder_title placeholder_company '"
        )
    _as_schema_1(db_path)
    with Store(db_path) as store:
        assert store.get(unknown).request.flags == ["no_message"]
        assert store.get(tba).request.flags == [
            "no_message", "placeholder_title", "placeholder_company"
        ]  # fmt: skip
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT_VERSION


def test_upgrade_rebuilds_the_search_index_with_german_spellings(db_path: Path, rec) -> None:
    with Store(db_path) as store:
        weiss = store.add_request(rec("Konstantin Weiß", headline="Werkstudent"))
        kim = store.add_request(rec("Kim Krüger", days_ago=2))
        store.mark_sent(kim, "Warum?")
        store.record_answer(kim, "Wegen der Brücke über die Spree.")
        # the index as the first schemas wrote it: the text as written, nothing more
        store.conn.execute("DELETE FROM search")
        store.conn.execute(
            "INSERT INTO search(rowid, name, headline, company, message, answer)"
            " SELECT r.search_key, p.name, p.headline, p.company, r.message,"
            " coalesce((SELECT group_concat(answer, ' ') FROM follow_ups f"
            " WHERE f.request_id = r.id), '')"
            " FROM requests r JOIN persons p ON p.id = r.person_id"
        )
        assert store.ids(parse("weiss")) == []
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_search_spells_out_umlauts'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.ids(parse("weiss")) == [weiss]
        assert store.ids(parse("Weiß")) == [weiss]
        assert store.ids(parse("krueger")) == [kim]
        assert store.ids(parse("bruecke")) == [kim]  # in the answer
        assert store.ids(parse("werkstud")) == [weiss]


def test_the_app_checks_the_store_in_the_background_before_its_first_write(
    filled: Path, rec
) -> None:
    store = Store(filled, lock=True)
    try:
        store.verify_later(delay=0)
        store.add_request(rec("After The Check"))  # waits for the check if it still runs
        assert store._verified
    finally:
        store.close()
    conn = sqlite3.connect(filled)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'requests'")]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(filled.read_bytes())
    for page in pages:
        data[(page - 1) * size + 8 : page * size] = b"\xee" * (size - 8)
    filled.write_bytes(bytes(data))
    with Store(filled, lock=True) as damaged:
        damaged.verify_later(delay=0)
        with pytest.raises(StoreError, match="is damaged"):
            damaged.add_request(rec("Never Written"))
    assert filled.read_bytes() == bytes(data)
