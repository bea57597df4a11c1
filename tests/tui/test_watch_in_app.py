"""The app watches mailboxes while it is open: mail appended to an mbox (or delivered to a
Maildir) while the user works shows up in the list, the counts and the profile, with a
toast saying what came; bad mailboxes are one line; quitting stops the watch."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from netinbox import watching
from netinbox.db import StoreError
from netinbox.query import Query, View
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.watcher import MailWatcher
from tests.conftest import SAMPLES
from tests.tui.conftest import listed, profile_text, screen_lines, settle, toasts

HERE = Path(__file__).resolve().parents[1]


def sample(name: str) -> bytes:
    return (SAMPLES / "email" / name).read_bytes()


def as_mbox(raw: bytes, sender: bytes = b"invitations@linkedin.com") -> bytes:
    body = raw.replace(b"\nFrom ", b"\n>From ")
    return b"From " + sender + b" Mon Jan  5 10:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n"


@pytest.fixture(autouse=True)
def _quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch starts at once and looks every 50 ms (the app: 1 s after start, every 5 s)."""
    import netinbox.tui.screens.main as main_module

    monkeypatch.setattr(main_module, "WATCH_DELAY", 0.01)
    monkeypatch.setattr(MailWatcher, "__init__", _with_interval(MailWatcher.__init__, 0.05))


def _with_interval(init: Any, interval: float) -> Any:
    def quick(self: MailWatcher, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **{**kwargs, "interval": interval})

    return quick


async def until(pilot: Pilot[Any], done: Any, seconds: float = 10.0) -> None:
    """Let the app run until `done()` (the watch is a thread of its own)."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the app never got there")
        await asyncio.sleep(0.02)
        await pilot.pause()
    await settle(pilot)


def watcher(app: NetInboxApp) -> MailWatcher:
    assert app.main.watcher is not None
    return app.main.watcher


async def looked(pilot: Pilot[Any], app: NetInboxApp, times: int = 1) -> None:
    """Until the watch has looked at the mailboxes `times` more times (`wake` looks now)."""
    await until(pilot, lambda: app.main.watcher is not None)
    start = watcher(app).looks
    for _ in range(times):
        goal = watcher(app).looks + 1  # (counted before waking: idle, no look comes unasked)
        watcher(app).wake()
        await until(pilot, lambda goal=goal: watcher(app).looks >= goal)
    assert watcher(app).looks >= start + times


async def test_mail_appended_while_the_app_is_open_shows_up_with_a_toast(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(120, 36)) as pilot:
        await looked(pilot, app)
        assert listed(app) == ["Anna Albers", "Ben Brandt", "Carla Crespo"]
        with mbox.open("ab") as handle:  # the mail client delivers two mails
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
            handle.write(as_mbox(sample("xing_contact_request.eml"), b"mailrobot@mail.xing.com"))
        await until(pilot, lambda: any("from mail" in t for t in toasts(app)))
        said = [t for t in toasts(app) if "from mail" in t]
        assert said == [
            "2 new requests from mail\n"
            "New request: Ole Brømmer (LinkedIn)\n"
            "New request: Grete Sommerfeld (XING)"
        ]
        assert "Ole Brømmer" in listed(app) and "Grete Sommerfeld" in listed(app)
        assert app.main._counts is not None and app.main._counts[View.NEW] == 5
        # Looking again (the mailbox unchanged, or read again whole) adds nothing.
        await looked(pilot, app, 2)
        assert len([t for t in toasts(app) if "from mail" in t]) == 1
    assert store.count(Query(view=View.ALL)) == 5


async def test_an_answer_from_mail_updates_the_profile_shown(
    filled: Path, tmp_path: Path, clock: Any
) -> None:
    """Person 0 was asked; their "sent you a message" mail arrives while their profile is
    on screen: the answer is recorded and shown, and the toast says one answer came."""
    maildir = tmp_path / "Mail"
    for name in ("new", "cur", "tmp"):
        (maildir / name).mkdir(parents=True)
    with Store(filled, clock=clock) as store:
        app = NetInboxApp(store, watch=[maildir])
        async with app.run_test(size=(120, 36)) as pilot:
            await looked(pilot, app)
            await pilot.press("3")  # Awaiting answer
            await settle(pilot)
            assert listed(app)[0] == "Person 0"
            mail = HERE / "fixtures" / "mail" / "linkedin_message_en.eml"
            (maildir / "new" / "1770000000.M9P9.host").write_bytes(mail.read_bytes())
            await until(pilot, lambda: any("from mail" in t for t in toasts(app)))
            assert [t for t in toasts(app) if "from mail" in t] == [
                "1 answer from mail\nAnswer from Person 0 (LinkedIn)"
            ]
            assert "Person 0" not in listed(app)  # answered: no longer awaited
            await pilot.press("5")  # Answered
            await settle(pilot)
            assert listed(app)[0] == "Person 0"
            assert "Answered" in profile_text(app) or "answer" in profile_text(app).lower()


async def test_a_mailbox_that_is_not_one_or_vanishes_is_one_line(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))
    later = tmp_path / "later.mbox"  # not there yet: watched from when it appears
    app = NetInboxApp(store, watch=[notes, mbox, later])
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: "Ole Brømmer" in listed(app))
        assert (
            f"Watching mail: {notes}: not an mbox file (it does not start with a 'From ' line)"
            in toasts(app)
        )
        mbox.unlink()
        await looked(pilot, app, 2)
        gone = f"Watching mail: {mbox}: gone; its mail is read again when it is back."
        assert toasts(app).count(gone) == 1
        await looked(pilot, app, 2)
        assert toasts(app).count(gone) == 1  # said once
        later.write_bytes(as_mbox(sample("xing_contact_request.eml"), b"mailrobot@mail.xing.com"))
        await until(pilot, lambda: "Grete Sommerfeld" in listed(app))
        assert not any("Traceback" in t for t in toasts(app))
        assert all(len(t.splitlines()) == 1 for t in toasts(app) if t.startswith("Watching"))


async def test_hostile_names_in_mail_reach_the_toast_as_visible_text(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    import base64

    hostile = base64.b64encode(
        "[bold]Ole[/] \x1b]2;PWNED\x07\x9b31m[@click=app.quit]x".encode()
    ).decode()
    raw = sample("linkedin_invitation_classic.eml").replace(
        b"From: =?utf-8?q?Ole_Br=C3=B8mmer?=", f"From: =?utf-8?b?{hostile}?=".encode(), 1
    )
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(120, 36)) as pilot:
        await looked(pilot, app)
        mbox.write_bytes(as_mbox(raw))
        await until(pilot, lambda: any("from mail" in t for t in toasts(app)))
        (said,) = [t for t in toasts(app) if "from mail" in t]
        assert "[bold]Ole[/]" in said and "[@click=app.quit]x" in said  # as written: data
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in said)
        assert any("[bold]Ole[/]" in line for line in screen_lines(app))
        assert app.is_running


async def test_quitting_stops_the_watch(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(80, 24)) as pilot:
        await looked(pilot, app)
        thread = watcher(app)._thread
        assert thread is not None and thread.is_alive()
        await pilot.press("q")
    thread.join(5)
    assert not thread.is_alive()
    assert not any(t.name == "netinbox-watch" for t in threading.enumerate())


async def test_no_watch_without_mailboxes(store: Store, people: dict[str, int]) -> None:
    app = NetInboxApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await asyncio.sleep(0.1)
        assert app.main.watcher is None
        assert not any(t.name == "netinbox-watch" for t in threading.enumerate())


def test_the_config_names_mailboxes_to_watch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netinbox.config import load_config

    config_file = tmp_path / "config.toml"
    config_file.write_text('[watch]\npaths = ["~/Mail/linkedin.mbox"]\ninterval = 2\n')
    monkeypatch.setenv("HOME", str(tmp_path))
    config = load_config(config_file)
    assert config.watch.mailboxes() == [tmp_path / "Mail" / "linkedin.mbox"]
    assert config.watch.interval == 2
    store = Store(tmp_path / "s.db", config=config)
    try:
        assert NetInboxApp(store).watch_paths == [tmp_path / "Mail" / "linkedin.mbox"]
    finally:
        store.close()


def test_two_writers_on_one_mailbox_add_each_request_once(tmp_path: Path) -> None:
    """Two watches (the app's and another's) on the same store and mailbox, writing at
    the same time on connections of their own: every request once, nothing lost."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(
        as_mbox(sample("linkedin_invitation_classic.eml"))
        + as_mbox(sample("xing_contact_request.eml"), b"mailrobot@mail.xing.com")
        + as_mbox(sample("linkedin_invitation_with_note_de.eml"))
    )
    Store(tmp_path / "s.db").close()
    found: list[list[tuple[str, str, str]]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one() -> None:
        try:
            with Store(tmp_path / "s.db") as store:
                start.wait()
                box = watching.mailbox(mbox)
                found.append(watching.take(box, store).found)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(len(f) for f in found) == [0, 3]  # one writer added them, the other nothing
    with Store(tmp_path / "s.db") as store:
        assert store.count(Query(view=View.ALL)) == 3


def test_the_watch_retries_mail_while_the_store_is_busy(tmp_path: Path) -> None:
    """Another program holds the write lock: the mail waits, said once, and comes after."""
    import sqlite3

    db = tmp_path / "s.db"
    Store(db).close()
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with Store(db) as store:
        store.conn.execute("PRAGMA busy_timeout=50")
        box = watching.mailbox(mbox)
        box.poll()
        try:
            watching.take(box, store)
        except StoreError as error:
            assert "busy" in str(error)
        else:
            raise AssertionError("a busy store must not be written")
        assert box.changed  # read again at the next look
        other.execute("ROLLBACK")
        other.close()
        assert [w for w, _n, _p in watching.take(box, store).found] == ["new"]


def test_a_look_with_nothing_new_costs_a_few_stats(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    look = watching.Watch([watching.mailbox(mbox)])
    assert look.look() == [look.boxes[0]]  # the first look: everything
    look.boxes[0].done()
    calls = 0
    real = os.stat

    def counted(*args: Any, **kwargs: Any) -> os.stat_result:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    os.stat = counted  # type: ignore[assignment]
    try:
        for _ in range(10):
            assert look.look() == []
    finally:
        os.stat = real  # type: ignore[assignment]
    assert calls == 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
async def test_the_watch_says_how_it_waits_and_idle_it_does_not_look(
    store: Store, people: dict[str, int], tmp_path: Path
) -> None:
    """On Linux the kernel says when mail comes (inotify): the toast says so, and while no
    mail comes the thread takes no look at the mailboxes, though it would poll every 50 ms;
    mail appended then is read at once."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(80, 24)) as pilot:
        await looked(pilot, app)
        assert "Watching 1 mailbox for new mail (inotify)." in toasts(app)
        looks = watcher(app).looks
        for _ in range(10):  # twenty poll intervals
            await asyncio.sleep(0.1)
            await pilot.pause()
        assert watcher(app).looks == looks
        with mbox.open("ab") as handle:
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
        await until(pilot, lambda: "Ole Brømmer" in listed(app))
        # A look or two (the write, then its close, if the machine is slow between them).
        assert looks < watcher(app).looks <= looks + 2


async def test_without_inotify_the_app_polls_and_says_so(
    store: Store, people: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def none() -> None:
        raise OSError(38, "inotify is Linux only")

    monkeypatch.setattr(watching, "Inotify", none)
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(80, 24)) as pilot:
        await looked(pilot, app)
        assert watcher(app).mode == "poll"
        assert "Watching 1 mailbox for new mail (polling every 0.05 s)." in toasts(app)
        with mbox.open("ab") as handle:
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
        await until(pilot, lambda: "Ole Brømmer" in listed(app))


async def _launch(store: Store, mbox: Path) -> tuple[list[str], str]:
    """One launch watching `mbox`: its toasts about the watch, and what the help says of it."""
    app = NetInboxApp(store, watch=[mbox])
    async with app.run_test(size=(160, 48)) as pilot:
        await looked(pilot, app)
        said = [toast for toast in toasts(app) if toast.startswith("Watching 1 mailbox")]
        await pilot.press("question_mark")
        await settle(pilot)
        helped = " ".join(" ".join(screen_lines(app)).split())
    return said, helped


async def test_the_watch_says_how_it_waits_when_that_is_news_and_the_help_always(
    store: Store, people: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first launch with these mailboxes says how it watches them; the next one, the
    same way, does not (the help does); falling back to polling is news again, and so is
    the way back."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    polling = "Watching 1 mailbox for new mail (polling every 0.05 s)."
    with monkeypatch.context() as patched:
        patched.setattr(watching.Notified, "__init__", _no_inotify)
        said, helped = await _launch(store, mbox)
        assert said == [polling]
        said, helped = await _launch(store, mbox)
        assert said == []
        assert "New mail" in helped and polling in helped
    if sys.platform.startswith("linux"):
        said, helped = await _launch(store, mbox)
        assert said == ["Watching 1 mailbox for new mail (inotify)."]
        said, helped = await _launch(store, mbox)
        assert said == []
        assert "New mail" in helped
        assert "Watching 1 mailbox for new mail (inotify)." in helped


def _no_inotify(self: object, interval: float) -> None:
    raise OSError(38, "inotify is Linux only")
