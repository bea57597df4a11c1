"""A: storage and process faults (docs/reliability.md, the A cases). Nothing already stored is lost or
half-changed, whatever happens to the process, the disk or the file; and every refusal is
one line that tells the truth.

Two processes on one store (A-7, A-8, A-9) are in test_two_processes.py; the full disk
(A-5) is here, on a real tmpfs when the suite runs as root, and under RLIMIT_FSIZE.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from netinbox import schema
from netinbox.config import Config
from netinbox.db import StoreError, StoreReadOnly
from netinbox.importing import apply_import
from netinbox.query import Query
from netinbox.store import Store
from tests.conftest import Clock

from .conftest import (
    Child,
    child_env,
    cli,
    invitations_csv,
    netinbox,
    ok,
    refused,
    snapshot,
)

# --- killed in the middle of an import ----------------------------------------------

ROWS = 10_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return invitations_csv(tmp_path_factory.mktemp("big") / "Invitations.csv", ROWS)


def kill_import_at(store: Path, csv: Path, delay: float) -> int:
    """Start `netinbox import`, SIGKILL it after `delay` seconds; its exit status."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "netinbox", "import", "--db", str(store), str(csv)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30)


def check_kill(filled: Path, big_csv: Path, delay: float) -> None:
    before = snapshot(filled)
    kill_import_at(filled, big_csv, delay)
    check, requests, follow_ups = snapshot(filled)
    assert check == "ok"
    assert len(requests) in (3, 3 + ROWS), len(requests)  # all or nothing
    assert requests[:3] == before[1] and follow_ups == before[2]  # what was there, untouched
    # The lock died with the process; running the same import again completes the job.
    assert "new" in ok("import", "--db", filled, big_csv).stdout
    assert snapshot(filled)[1][:3] == before[1] and len(snapshot(filled)[1]) == 3 + ROWS
    again = ok("import", "--db", filled, big_csv).stdout
    assert again.strip().endswith(f"0 new, 0 updated, {ROWS} unchanged, 0 skipped"), again


def test_a1_kill_9_mid_import_is_all_or_nothing(filled: Path, big_csv: Path) -> None:
    check_kill(filled, big_csv, 0.8)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_a1_kill_9_at_random_moments_is_all_or_nothing(
    filled: Path, big_csv: Path, seed: int
) -> None:
    check_kill(filled, big_csv, random.Random(seed).uniform(0.05, 4.0))


# --- a crash while typing a draft ---------------------------------------------------


def test_a2_a_draft_survives_a_crash_right_after_it_was_saved(
    filled: Path, child: Callable[..., Child]
) -> None:
    typist = child("draft", filled, "2", "Guten Tag, woher kennen wir uns?")
    typist.expect("saved")
    typist.kill()  # SIGKILL: no close, no checkpoint
    with Store(filled, lock=True) as store:
        detail = store.get(2)
        assert detail is not None and detail.draft is not None
        assert detail.draft.body == "Guten Tag, woher kennen wir uns?"


# --- durable commits, every write in one transaction ---------------------------


def test_a3_commits_are_durable_over_power_loss(store: Store) -> None:
    """WAL + synchronous=FULL: a change reported done is on disk (power loss is not
    testable in pytest; the setting it relies on is)."""
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a4_every_change_is_one_begin_immediate_transaction(
    store: Store, clock: Clock, rec, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Trace every statement of a working session: no INSERT, UPDATE or DELETE runs
    outside BEGIN IMMEDIATE … COMMIT/ROLLBACK, and no transaction is left open."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    rid = store.add_request(rec("Anna Albers", profile_url="https://www.linkedin.com/in/anna"))
    other = store.add_request(rec("Ben Brandt", days_ago=2))
    store.save_draft(rid, "Hello Anna, why?")
    store.mark_sent(rid)
    store.record_answer(rid, "We met at PyCon")
    store.accept(rid, "ok")
    store.snooze(other, clock.now + timedelta(days=3))
    store.undo()
    store.decline_many([other])
    store.reopen(other)
    store.add_note(other, "call back")
    apply_import(store, [rec("Carla Crespo", days_ago=3)])
    apply_import(store, [rec("Dry Run", days_ago=4)], dry_run=True)
    store.forget_person(store.person_id_of(other))
    store.backup(tmp_path / "b.db")
    store.conn.set_trace_callback(None)
    assert not store.conn.in_transaction
    inside = False
    for statement in statements:
        word = statement.strip().split(None, 1)[0].upper()
        if word == "BEGIN":
            assert statement.strip().upper() == "BEGIN IMMEDIATE" or not inside, statement
            inside = True
        elif word in ("COMMIT", "ROLLBACK", "END"):
            inside = False
        elif word in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            assert inside, f"a write outside a transaction: {statement[:120]}"


# --- a full disk --------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """`small_disk("1m")`: a real tmpfs of that size (root only; skipped elsewhere)."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("a real full disk needs root (mount -t tmpfs)")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the disk under `folder` to the last byte."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for block in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * block)
            except OSError:
                pass
    return filler


@pytest.fixture
def full(small_disk: Callable[[str], Path], filled: Path) -> Iterator[tuple[Path, Path]]:
    """The filled store on a tmpfs that is now full; (store, filler)."""
    disk = small_disk("4m")
    store = disk / "netinbox.db"
    shutil.copy2(filled, store)
    filler = fill(disk)
    yield store, filler


def disk_full_message(line: str) -> None:
    assert "disk" in line.lower() and "full" in line.lower(), line
    assert "not a netinbox database" not in line and "restore a backup" not in line, line


@pytest.mark.parametrize("command", ["add", "import"])
def test_a5_writing_on_a_full_disk_says_so_and_changes_nothing(
    full: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    store, filler = full
    before = store.read_bytes()
    csv = invitations_csv(tmp_path / "Invitations.csv", 2000)
    args = ["add", "--name", "Too Much"] if command == "add" else ["import", csv]
    line = refused(*args[:1], "--db", store, *args[1:])
    disk_full_message(line)
    filler.unlink()  # space again (to read it: SQLite needs room for its -shm)
    assert store.read_bytes() == before or snapshot(store)[1:] == snapshot_of(before, tmp_path)[1:]
    ok(*args[:1], "--db", store, *args[1:])  # and the same command works


def snapshot_of(data: bytes, folder: Path) -> tuple:
    copy = folder / "before-copy.db"
    copy.write_bytes(data)
    return snapshot(copy)


@pytest.mark.parametrize("command", ["due", "export"])
def test_a5_reading_commands_work_on_a_full_disk(full: tuple[Path, Path], command: str) -> None:
    store, _ = full
    result = ok(command, "--db", store, *(["--days", "30"] if command == "due" else []))
    assert "Person 0" in result.stdout


def test_a5_backup_onto_a_full_disk_says_so_and_leaves_nothing(
    small_disk: Callable[[str], Path], filled: Path
) -> None:
    disk = small_disk("1m")
    fill(disk)
    line = refused("backup", "--db", filled, disk / "copy.db")
    disk_full_message(line)
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_a5_export_onto_a_full_disk_says_so_and_leaves_nothing(
    small_disk: Callable[[str], Path], filled: Path
) -> None:
    disk = small_disk("1m")
    fill(disk)
    line = refused("export", "--db", filled, "-o", disk / "out.json")
    assert "space" in line.lower() or "full" in line.lower(), line
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_a5_a_full_store_rolls_back_the_whole_import(store: Store, rec) -> None:  # type: ignore[no-untyped-def]
    """SQLITE_FULL without privileges: the store may not grow past `max_page_count`."""
    store.add_request(rec("Already Here"))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    records = [rec(f"Big Import {i}", message="x" * 500, days_ago=i / 100) for i in range(600)]
    with pytest.raises(StoreError, match="Disk full"):
        apply_import(store, records)
    assert not store.conn.in_transaction
    assert store.count(Query()) == 1
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("PRAGMA max_page_count = 4294967294")
    assert apply_import(store, records).counts["requests"] == {"new": 600}


def file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a5_a_file_size_limit_says_so_and_changes_nothing(filled: Path, tmp_path: Path) -> None:
    csv = invitations_csv(tmp_path / "Invitations.csv", 3000)
    before = snapshot(filled)
    run = netinbox("import", "--db", filled, csv, preexec=file_size_limit(filled.stat().st_size))
    assert run.code != 0 and "Traceback" not in run.err, run.err
    assert run.err.count("\n") == 1 and run.err.startswith("netinbox: "), run.err
    assert "restore a backup" not in run.err and "not a netinbox database" not in run.err, run.err
    assert snapshot(filled) == before


# --- a read-only store ----------------------------------------------------------------


def test_a6_a_read_only_open_reads_and_refuses_changes_clearly(filled: Path) -> None:
    with Store(filled, read_only=True) as store:
        assert store.count(Query()) == 3
        with pytest.raises(StoreReadOnly, match="read-only"):
            store.decline(2)


@pytest.fixture
def read_only_folder(small_disk: Callable[[str], Path], filled: Path) -> Path:
    """The filled store in a folder on a read-only mount (root bypasses chmod, not ro)."""
    disk = small_disk("4m")
    shutil.copy2(filled, disk / "netinbox.db")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    return disk / "netinbox.db"


@pytest.mark.parametrize("command", ["due", "export"])
def test_a6_reading_commands_work_on_a_read_only_store(
    read_only_folder: Path, command: str
) -> None:
    result = ok(command, "--db", read_only_folder, *(["--days", "30"] if command == "due" else []))
    assert "Person 0" in result.stdout


def test_a6_a_backup_onto_a_read_only_disk_names_the_file_asked_for(
    read_only_folder: Path, filled: Path
) -> None:
    target = read_only_folder.parent / "copy.db"
    line = refused("backup", "--db", filled, target)
    assert f"{target}:" in line and "read-only" in line, line
    assert ".partial" not in line, line


@pytest.mark.parametrize("command", ["add", "import"])
def test_a6_writing_commands_on_a_read_only_store_say_read_only(
    read_only_folder: Path, tmp_path: Path, command: str
) -> None:
    csv = invitations_csv(tmp_path / "Invitations.csv", 2)
    args = ["--name", "Nope"] if command == "add" else [csv]
    line = refused(command, "--db", read_only_folder, *args)
    assert "store is read-only" in line, line
    assert "not a netinbox database" not in line, line


@pytest.mark.parametrize("command", ["add", "import"])
def test_a6_a_first_run_creates_the_data_folder(tmp_path: Path, command: str) -> None:
    """Not in the catalogue: a fresh machine has no ~/.local/share/netinbox yet."""
    db = tmp_path / "data" / "netinbox" / "netinbox.db"
    args = (
        ["--name", "First Ever"] if command == "add" else [invitations_csv(tmp_path / "I.csv", 2)]
    )
    ok(command, "--db", db, *args)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


# --- a damaged file ----------------------------------------------------------


def damage_header(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[0:16] = b"this is no db!!\x00"
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("command", ["add", "import", "due", "export", "backup", "forget"])
def test_a10_a_damaged_header_is_named_and_the_file_left_alone(
    filled: Path, tmp_path: Path, command: str
) -> None:
    damaged = damage_header(filled)
    args = {
        "add": ["--name", "X"],
        "import": [invitations_csv(tmp_path / "Invitations.csv", 2)],
        "due": [],
        "export": [],
        "backup": [tmp_path / "copy.db"],
        "forget": ["1", "--yes"],
    }[command]
    line = refused(command, "--db", filled, *args)
    assert str(filled) in line and "not a netinbox" in line, line
    assert filled.read_bytes() == damaged
    assert not (tmp_path / "copy.db").exists()


def damage_a_page(path: Path) -> None:
    """Overwrite the b-tree page header of the search index's data: quick_check fails,
    while requests and follow-ups still read."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'search_data'").fetchone()[
        0
    ]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 12)


@pytest.fixture
def damaged(filled: Path) -> Path:
    damage_a_page(filled)
    conn = sqlite3.connect(filled)
    try:  # SQLite reports this damage as rows, or raises "malformed" at once
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError as error:
        assert "malformed" in str(error)
    conn.close()
    return filled


@pytest.mark.parametrize("command", ["add", "import"])
def test_a11_a_damaged_store_refuses_writes_and_says_how_to_recover(
    damaged: Path, tmp_path: Path, command: str
) -> None:
    before = damaged.read_bytes()
    args = ["--name", "X"] if command == "add" else [invitations_csv(tmp_path / "I.csv", 2)]
    line = refused(command, "--db", damaged, *args)
    assert "damaged" in line or "corrupt" in line or "malformed" in line, line
    assert "backup" in line, line  # how to recover
    assert damaged.read_bytes() == before


@pytest.mark.parametrize("command", ["due", "export"])
def test_a11_reading_a_damaged_store_says_it_is_damaged(damaged: Path, command: str) -> None:
    result = cli(command, "--db", damaged)
    assert "damaged" in result.stderr or "corrupt" in result.stderr, result.output


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The stores a reading command ran quick_check on."""
    from netinbox import checked

    ran: list[Path] = []
    real = checked.quick_check

    def counted(conn: sqlite3.Connection, path: Path | None = None) -> None:
        ran.append(Path(str(path)))
        real(conn, path)

    monkeypatch.setattr(checked, "quick_check", counted)
    return ran


def test_a11_an_unchanged_store_is_checked_once_a_changed_one_again(
    filled: Path, checks: list[Path]
) -> None:
    """Like git's stat cache: a store is checked once; until its file changes (device,
    inode, size, times, SQLite's change counter, a -wal) no command checks it again, reading
    or writing. What a command wrote into a checked store, under its lock, is known too:
    only a change by something else is checked again."""
    ok("due", "--db", filled)
    ok("add", "--db", filled, "--name", "Ada Lovelace")
    ok("export", "--db", filled)
    ok("add", "--db", filled, "--name", "Grace Hopper")
    assert checks == [filled]
    os.utime(filled)  # touched by something else
    ok("due", "--db", filled)
    ok("due", "--db", filled)
    ok("add", "--db", filled, "--name", "Edsger Dijkstra")
    assert checks == [filled, filled]
    os.utime(filled)
    ok("add", "--db", filled, "--name", "Barbara Liskov")  # a write checks first, too
    ok("due", "--db", filled)
    assert checks == [filled, filled, filled]


def test_a11_a_store_damaged_after_a_check_passed_is_checked_and_refused(
    filled: Path, checks: list[Path]
) -> None:
    """The damage keeps the file's size and its modification time (as a bit flip on disk
    or a copy with `touch -r` would): its status-change time still tells."""
    ok("due", "--db", filled)
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = filled.stat()
    damage_a_page(filled)
    os.utime(filled, ns=(before.st_atime_ns, before.st_mtime_ns))
    for _ in range(2):  # a damaged store is never remembered as checked
        result = cli("due", "--db", filled)
        assert "damaged" in result.stderr or "corrupt" in result.stderr, result.output
    line = refused("add", "--db", filled, "--name", "X")  # nor written into
    assert "damaged" in line or "corrupt" in line or "malformed" in line, line
    assert len(checks) == 4


# --- the -wal left behind, or not copied --------------------------------------------


def test_a12_after_quitting_the_store_file_alone_holds_everything(
    filled: Path, tmp_path: Path, rec
) -> None:  # type: ignore[no-untyped-def]
    """A clean exit checkpoints: a plain copy of the file made after quitting is complete."""
    with Store(filled) as store:
        store.add_request(rec("Late Addition", days_ago=0))
    assert not Path(f"{filled}-wal").exists() or Path(f"{filled}-wal").stat().st_size == 0
    copy = tmp_path / "copied.db"
    shutil.copyfile(filled, copy)
    names = [r[1] for r in snapshot(copy)[1]]
    assert "Late Addition" in names


def test_a12_a_copy_made_while_open_without_its_wal_misses_the_last_changes(
    filled: Path, tmp_path: Path, rec
) -> None:  # type: ignore[no-untyped-def]
    """Why the README says: copy the store only with `netinbox backup` (documents the risk)."""
    with Store(filled) as store:
        store.add_request(rec("Only In The Wal", days_ago=0))
        copy = tmp_path / "cp-while-open.db"
        shutil.copyfile(filled, copy)
        backup = store.backup(tmp_path / "proper.db")
    assert "Only In The Wal" not in [r[1] for r in snapshot(copy)[1]]
    assert "Only In The Wal" in [r[1] for r in snapshot(backup)[1]]


def test_a12_a_stale_wal_from_another_store_is_explained(filled: Path, tmp_path: Path, rec) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.add_request(rec("Someone Else"))
        for i in range(20):
            store.add_request(rec(f"Other {i}", days_ago=i + 2))
        shutil.copyfile(f"{other}-wal", f"{filled}-wal")  # an uncheckpointed -wal of another file
    before = filled.read_bytes()
    result = cli("due", "--db", filled, "--days", "30")
    if result.exit_code == 0:
        assert "Person 0" in result.stdout  # SQLite ignored the foreign -wal: fine
    else:
        line = result.stderr.strip()
        assert "malformed" not in line and "-wal" in line, line
    assert filled.read_bytes() == before


# --- network file systems -----------------------------------------------------------
# Not testable here (no NFS/SMB mount); see docs/reliability.md.

# --- schema versions ----------------------------------------------------------


def newer(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", ["add", "due", "export", "import"])
def test_a14_a_store_from_a_newer_netinbox_is_refused(
    filled: Path, tmp_path: Path, command: str
) -> None:
    newer(filled)
    args = {
        "add": ["--name", "X"],
        "due": [],
        "export": [],
        "import": [invitations_csv(tmp_path / "I.csv", 2)],
    }[command]
    line = refused(command, "--db", filled, *args)
    assert "newer netinbox" in line, line


@pytest.mark.parametrize("command", ["add", "due"])
def test_a14_refusing_a_newer_store_leaves_every_byte(filled: Path, command: str) -> None:
    before = newer(filled)
    refused(command, "--db", filled, *(["--name", "X"] if command == "add" else []))
    assert filled.read_bytes() == before
    left = {p.name for p in filled.parent.iterdir() if p.name.startswith(filled.name)}
    assert left - {f"{filled.name}.lock"} == {filled.name}


def test_a15_a_failing_migration_leaves_the_old_schema(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlite_utils.migrations import Migrations

    from netinbox.migrations import migrations

    def broken(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("ALTER TABLE requests ADD COLUMN colour TEXT")
        raise RuntimeError("step two exploded")

    broken.__name__ = "m999_broken"
    steps = [*migrations._migrations, Migrations._Migration(broken.__name__, broken)]
    monkeypatch.setattr(migrations, "_migrations", steps)
    monkeypatch.setattr(schema, "MIGRATION_NAMES", tuple(m.name for m in steps))
    monkeypatch.setattr(schema, "CURRENT_VERSION", len(steps))
    before = snapshot(filled)
    with pytest.raises(StoreError, match="step two exploded.*not changed"):
        Store(filled, lock=True)
    conn = sqlite3.connect(filled)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(requests)")]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert "colour" not in columns and version == len(steps) - 1
    assert snapshot(filled) == before


@pytest.fixture
def older(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This netinbox one schema step ahead of the stores made before it (an upgrade), with
    temporary files in a folder of the test's own; returns that folder."""
    import tempfile

    from sqlite_utils.migrations import Migrations

    from netinbox.migrations import migrations

    def colour(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("ALTER TABLE requests ADD COLUMN colour TEXT")

    colour.__name__ = "m900_colour"
    steps = [*migrations._migrations, Migrations._Migration(colour.__name__, colour)]
    monkeypatch.setattr(migrations, "_migrations", steps)
    monkeypatch.setattr(schema, "MIGRATION_NAMES", tuple(m.name for m in steps))
    monkeypatch.setattr(schema, "CURRENT_VERSION", len(steps))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def version_of(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("command", ["due", "export"])
def test_a15_a_reading_command_upgrades_a_store_from_an_older_netinbox(
    filled: Path, older: Path, command: str
) -> None:
    """After an upgrade `netinbox due` just works: the store is upgraded as the app does
    it (lock, quick_check, one transaction), once, and read."""
    args = ["--days", "30"] if command == "due" else []
    result = ok(command, "--db", filled, *args)
    assert "Person 0" in result.stdout
    assert "upgraded" in result.stderr, result.stderr
    assert version_of(filled) == schema.CURRENT_VERSION
    assert "upgraded" not in ok(command, "--db", filled, *args).stderr


def test_a15_a_store_from_an_older_netinbox_is_backed_up_as_it_is(
    filled: Path, older: Path, tmp_path: Path
) -> None:
    """A backup before the upgrade is what a careful user makes first."""
    before = version_of(filled)
    ok("backup", "--db", filled, tmp_path / "before-upgrade.db")
    assert version_of(tmp_path / "before-upgrade.db") == before == schema.CURRENT_VERSION - 1
    assert snapshot(tmp_path / "before-upgrade.db")[1:] == snapshot(filled)[1:]
    assert version_of(filled) == before


def test_a15_an_older_store_the_app_holds_is_read_through_an_upgraded_copy(
    filled: Path, older: Path, child: Callable[..., Any]
) -> None:
    """Another netinbox (an older one) has it open: it is not upgraded under its feet;
    `export` reads a private upgraded copy, removed afterwards."""
    holder = child("hold", filled)
    holder.expect("locked")
    before = snapshot(filled), version_of(filled)
    result = ok("export", "--db", filled)
    holder.close()
    assert "Person 0" in result.stdout
    assert "not changed" in result.stderr, result.stderr
    assert (snapshot(filled), version_of(filled)) == before
    assert list(older.iterdir()) == []


def test_a15_an_older_store_in_a_read_only_folder_is_read_through_an_upgraded_copy(
    read_only_folder: Path, older: Path
) -> None:
    before = read_only_folder.read_bytes()
    result = ok("due", "--db", read_only_folder, "--days", "30")
    assert "Person 0" in result.stdout and "not changed" in result.stderr, result.output
    assert read_only_folder.read_bytes() == before
    assert list(older.iterdir()) == []


# --- backup while writing ------------------------------------------------------------


def test_a16_backup_while_the_app_imports_is_consistent_and_private(
    filled: Path, tmp_path: Path, child: Callable[..., Child]
) -> None:
    csv = invitations_csv(tmp_path / "Invitations.csv", 5000)
    holder = child("hold", filled)
    holder.expect("locked")
    holder.proc.stdin.write(f"import {csv}\n")  # type: ignore[union-attr]
    holder.proc.stdin.flush()  # type: ignore[union-attr]
    copies = []
    for n in range(3):
        copies.append(tmp_path / f"copy{n}.db")
        ok("backup", "--db", filled, copies[-1])
    assert holder.line() == "imported 5000"
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        check, requests, follow_ups = snapshot(copy)
        assert check == "ok" and len(requests) in (3, 5003), len(requests)
        assert follow_ups == snapshot(filled)[2]
    assert not list(tmp_path.glob("*.partial*"))


@pytest.mark.parametrize("onto", ["itself", "symlink", "wal"])
def test_a16_backup_never_writes_onto_the_store(filled: Path, tmp_path: Path, onto: str) -> None:
    target = {"itself": filled, "symlink": tmp_path / "link.db", "wal": Path(f"{filled}-wal")}[onto]
    if onto == "symlink":
        target.symlink_to(filled)
    before = snapshot(filled)
    refused("backup", "--db", filled, target)
    assert snapshot(filled) == before


# --- the -wal stays small ----------------------------------------------------------


def test_a17_the_wal_stays_small_through_a_long_session(store: Store, rec) -> None:  # type: ignore[no-untyped-def]
    for i in range(150):
        rid = store.add_request(rec(f"Person {i}", message="m" * 400, days_ago=i / 10))
        store.mark_sent(rid, "Why?" * 50)
    wal = Path(f"{store.path}-wal")
    assert wal.stat().st_size < 8 * 1024 * 1024  # the auto-checkpoint keeps it bounded
    store.close()
    assert not wal.exists() or wal.stat().st_size == 0


# --- the SQLite library ------------------------------------------------------


def test_a18_the_sqlite_library_has_what_netinbox_needs(store: Store) -> None:
    version = tuple(int(x) for x in sqlite3.sqlite_version.split("."))
    assert version >= (3, 35, 0)  # RETURNING, DROP COLUMN; WAL since 3.7
    options = {row[0] for row in store.conn.execute("PRAGMA compile_options")}
    assert "ENABLE_FTS5" in options
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a19_the_store_uses_the_standard_sqlite3_module(store: Store) -> None:
    assert isinstance(store.conn, sqlite3.Connection)


# --- deadlines across DST and time zones --------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia"]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    sent=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
    days=st.integers(1, 60),
)
def test_a20_a_deadline_keeps_the_wall_clock_time_it_was_set_at(
    zone: str, sent: datetime, days: int
) -> None:
    tz = ZoneInfo(zone)
    local = sent.replace(tzinfo=tz)
    assume(local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == sent)  # exists
    target = sent + timedelta(days=days)
    assume(target.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == target)
    store = Store.__new__(Store)
    store.config = Config(deadline_days=days, timezone=zone)
    due = store.deadline(local.astimezone(UTC))
    assert due.astimezone(tz).replace(tzinfo=None) == target


def test_a20_overdue_does_not_flip_when_the_zone_changes(db_path: Path, clock: Clock, rec) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)  # two days before Berlin's DST change
    with Store(db_path, clock=clock, config=Config(timezone="Europe/Berlin")) as store:
        rid = store.add_request(rec())
        due = store.mark_sent(rid, "Why?").due_at
    for zone in ("Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"):
        clock.now = due - timedelta(seconds=1)
        with Store(db_path, clock=clock, config=Config(timezone=zone)) as store:
            assert store.due(timedelta(days=0)) == []
        clock.now = due
        with Store(db_path, clock=clock, config=Config(timezone=zone)) as store:
            assert [item["overdue"] for item in store.due(timedelta(days=0))] == [True]


_ = (time, os)
