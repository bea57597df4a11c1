"""E: privacy faults (docs/reliability.md, the E cases). Forgetting a person leaves no byte of them in
the store's files and keeps them out of later imports; every file netinbox writes is
readable only by the user; nothing goes to logs, crash screens, stray temp files or the
network.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from tests.conftest import EXPORT, EXPORT_ZIP, SAMPLES

from .conftest import Child, cli, ok, snapshot

SECRET = "Quentin Quellenhöfer-Zyx"
SECRET_TEXT = "my very private reason 7f3a"


def traces(path: Path) -> dict[str, int]:
    """How often the secret name or text occurs in each of the store's files."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            data = file.read_bytes()
            found[suffix or "db"] = sum(
                data.count(s.encode()) for s in (SECRET, SECRET_TEXT, SECRET.upper())
            )
    return {k: v for k, v in found.items() if v}


@pytest.fixture
def with_secret(filled: Path, rec) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    """The filled store and a person who wrote, was asked, and answered: their person id."""
    with Store(filled) as store:
        rid = store.add_request(rec(SECRET, message=SECRET_TEXT, headline=SECRET_TEXT, days_ago=5))
        store.save_draft(rid, f"Hello {SECRET}")
        store.mark_sent(rid, f"Dear {SECRET}, why?")
        store.record_answer(rid, SECRET_TEXT)
        store.add_note(rid, SECRET_TEXT)
        person = store.person_id_of(rid)
    return filled, person


# --- E-1, E-2, E-3: forget -------------------------------------------------------------------


def test_e1_forget_leaves_no_trace_in_the_store_files(with_secret: tuple[Path, int]) -> None:
    path, person = with_secret
    assert traces(path)
    before = [r for r in snapshot(path)[1] if r[1] != SECRET]
    result = ok("forget", "--db", path, str(person), "--yes")
    assert "Forgot" in result.stdout
    assert traces(path) == {}
    assert snapshot(path)[1] == before
    assert ok("export", "--db", path).stdout.count(SECRET) == 0


@pytest.mark.slow  # forget retries while the reader holds the file, then gives up
def test_e1_forget_while_a_reader_is_open_tells_the_truth_and_finishes_later(
    with_secret: tuple[Path, int], child: Callable[..., Child]
) -> None:
    path, person = with_secret
    reader = child("read", path)
    reader.expect("reading")
    result = cli("forget", "--db", path, str(person), "--yes")
    left = traces(path)
    reader.kill()
    if left:  # the wipe could not finish: the user is told so, not the plain success
        plain = f"Forgot {SECRET}. Backups made before now still contain them."
        assert result.exit_code != 0 or result.output.strip() != plain, result.output
    ok("add", "--db", path, "--name", "Next Start")  # the next open finishes the wipe
    assert traces(path) == {}


def test_e2_a_forgotten_person_stays_forgotten_on_re_import(tmp_path: Path, berlin: Path) -> None:
    db = tmp_path / "n.db"
    ok("import", "--db", db, EXPORT_ZIP)
    people = {r[1]: r for r in snapshot(db)[1]}
    with Store(db) as store:
        victim = store.conn.execute("SELECT id, name FROM persons ORDER BY id LIMIT 1").fetchone()
    ok("forget", "--db", db, str(victim["id"]), "--yes")
    for source in (EXPORT_ZIP, EXPORT, EXPORT / "Invitations.csv"):
        ok("import", "--db", db, source)
        names = {r[1] for r in snapshot(db)[1]}
        assert victim["name"] not in names
        assert names == set(people) - {victim["name"]}


def test_e3_forget_says_that_earlier_backups_still_hold_the_person(
    with_secret: tuple[Path, int], tmp_path: Path
) -> None:
    path, person = with_secret
    backup = tmp_path / "before.db"
    ok("backup", "--db", path, backup)
    result = ok("forget", "--db", path, str(person), "--yes")
    assert "Backups made before now still contain them" in result.stdout
    assert SECRET.encode() in backup.read_bytes()  # which is why it says so


# --- E-4: private files ---------------------------------------------------------------------


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def test_e4_every_file_netinbox_writes_is_private_whatever_the_umask(
    tmp_path: Path, child: Callable[..., Child]
) -> None:
    db = tmp_path / "store" / "n.db"
    db.parent.mkdir()
    with umask(0):
        ok("import", "--db", db, EXPORT_ZIP)
        ok("backup", "--db", db, tmp_path / "b.db")
        ok("backup", "--db", db, tmp_path)
        ok("export", "--db", db, "-o", tmp_path / "e.json")
        ok("export", "--db", db, "--format", "csv", "-o", tmp_path / "e.csv")
        ok("demo", "--db", tmp_path / "demo.db")
        holder = child("hold", db)  # -wal and -shm exist while the app is open
        holder.expect("locked")
        with Store(db) as store:
            store.conn.execute("SELECT 1").fetchone()
            files = [p for p in tmp_path.rglob("*") if p.is_file()]
        holder.kill()
    assert {p.name for p in files} >= {
        "n.db",
        "n.db-wal",
        "n.db-shm",
        "b.db",
        "e.json",
    }
    loose = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert {k: v for k, v in loose.items() if v != "0o600"} == {}


# --- E-5: logs and crash screens ------------------------------------------------------------


def test_e5_importing_logs_no_names_or_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netinbox.importers.email as email

    def crash(*args: object, **kwargs: object) -> Iterator[object]:
        raise RuntimeError("reader bug")
        yield  # pragma: no cover

    caplog.set_level(logging.DEBUG)
    db = tmp_path / "n.db"
    ok("import", "--db", db, EXPORT_ZIP, *sorted((SAMPLES / "vcard").iterdir()))
    monkeypatch.setattr(email, "read_eml", crash)
    cli("import", "--db", db, SAMPLES / "email" / "linkedin_invitation_classic.eml")
    names = [r[1] for r in snapshot(db)[1]]
    assert names
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert [n for n in names if n in logged] == []


async def test_e5_a_crash_screen_shows_no_personal_data(store: Store, add, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    add(SECRET, message=SECRET_TEXT)
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        try:
            row = {"name": SECRET, "message": SECRET_TEXT}
            raise RuntimeError(f"failed on request {len(row)}")
        except RuntimeError:
            app._fatal_error()
        shown = "".join(
            segment.text
            for renderable in app._exit_renderables
            for segment in getattr(renderable, "segments", [])
        )
        app._exit_renderables.clear()
        app._return_code = 0
        app._exception = None
    assert "RuntimeError" in shown
    assert SECRET not in shown and SECRET_TEXT not in shown


# --- E-6: the draft handed to $EDITOR --------------------------------------------------------


def test_e6_the_editor_file_is_private_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netinbox.tui.editor import edit_text

    seen = tmp_path / "seen.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import os, stat, sys\n"
        "p = sys.argv[1]\n"
        f"open({str(seen)!r}, 'w').write('%s %o %o' % (p, stat.S_IMODE(os.stat(p).st_mode),"
        " stat.S_IMODE(os.stat(os.path.dirname(p)).st_mode)))\n"
        "open(p, 'a').write(' edited')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")

    class App:
        def suspend(self) -> contextlib.AbstractContextManager[None]:
            return contextlib.nullcontext()

    assert edit_text(App(), f"Dear {SECRET}") == f"Dear {SECRET} edited"  # type: ignore[arg-type]
    path, file_mode, dir_mode = seen.read_text().split()
    assert (file_mode, dir_mode) == ("600", "700")
    assert not Path(path).exists() and not Path(path).parent.exists()


# --- E-7: no network ----------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    attempts: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("netinbox tried to open a socket")

    # Sockets may be made (asyncio's own socketpair); none may connect, bind or resolve.
    for name in ("connect", "connect_ex", "bind", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    return attempts


def test_e7_commands_never_open_a_socket(tmp_path: Path, no_network: list[tuple]) -> None:
    db = tmp_path / "n.db"
    ok("import", "--db", db, EXPORT_ZIP, SAMPLES / "email" / "notifications.mbox")
    ok("due", "--db", db)
    ok("export", "--db", db)
    ok("backup", "--db", db, tmp_path / "b.db")
    ok("add", "--db", db, "--name", "Offline Person")
    assert no_network == []


async def test_e7_the_app_never_opens_a_socket(store: Store, add, no_network, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    add("Anna Albers", profile_url="https://www.linkedin.com/in/anna")
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", "escape", "j", "k", "slash", "a", "escape")
        await pilot.pause()
    assert no_network == []
