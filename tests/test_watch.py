"""`netinbox watch`: new notification mails imported as they arrive, as a user runs it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from netinbox import watching
from tests.conftest import SAMPLES

HERE = Path(__file__).parent


def sample(name: str) -> bytes:
    return (SAMPLES / "email" / name).read_bytes()


def as_mbox(raw: bytes, sender: bytes = b"invitations@linkedin.com") -> bytes:
    body = raw.replace(b"\nFrom ", b"\n>From ")
    return b"From " + sender + b" Mon Jan  5 10:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n"


class Watch:
    """`netinbox watch` in a child process; its stdout lines, one by one."""

    def __init__(self, db: Path, *boxes: Path, home: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(HERE.parent),
            "PYTHONUNBUFFERED": "1",
            "XDG_STATE_HOME": str(home / "state"),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "netinbox", "watch", "--db", str(db), "--interval", "0.2"]
            + [str(b) for b in boxes],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            # Ctrl-C as in a terminal: a shell that starts the tests in the background sets
            # SIGINT to ignored, and the child would inherit that.
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def line(self, timeout: float = 30) -> str:
        return self.lines.get(timeout=timeout)

    def quiet(self, seconds: float = 1.5) -> list[str]:
        """The lines printed within `seconds` (none expected)."""
        end = time.monotonic() + seconds
        out: list[str] = []
        while time.monotonic() < end:
            try:
                out.append(self.lines.get(timeout=0.1))
            except queue.Empty:
                pass
        return out

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # never leave a watcher behind
            self.proc.communicate()
            raise
        return self.proc.returncode, err


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    box = tmp_path / "Mail"
    for name in ("new", "cur", "tmp"):
        (box / name).mkdir(parents=True)
    return box


def test_new_mail_in_a_maildir_and_an_mbox_is_imported_as_it_arrives(
    tmp_path: Path, maildir: Path
) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    watch = Watch(tmp_path / "s.db", maildir, mbox, home=tmp_path)
    try:
        (maildir / "new" / "1700000001.M1P1.host").write_bytes(
            sample("linkedin_invitation_classic.eml")
        )
        assert watch.line() == "New request: Ole Brømmer (LinkedIn)"
        # The mail client reads it: moved to cur/ with flags. Not a new mail.
        os.rename(
            maildir / "new" / "1700000001.M1P1.host",
            maildir / "cur" / "1700000001.M1P1.host:2,S",
        )
        with mbox.open("ab") as handle:
            handle.write(as_mbox(sample("linkedin_invitation_with_note_de.eml")))
        assert watch.line() == "New request: Jördis Übermuth (LinkedIn)"
        assert watch.quiet() == []
    finally:
        code, err = watch.stop()
    assert code == 0, err
    assert "Traceback" not in err
    if sys.platform.startswith("linux"):  # the kernel said when the mail came
        assert err.splitlines()[0] == "Watching 2 mailboxes for new mail (inotify; Ctrl-C stops)."
    assert err.strip().splitlines()[-1] == "Stopped watching."


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_an_mbox_truncated_or_replaced_is_read_as_it_now_is(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))
    watch = Watch(tmp_path / "s.db", mbox, home=tmp_path)
    try:
        assert watch.line() == "New request: Ole Brømmer (LinkedIn)"  # what was there already
        mbox.write_bytes(b"")  # compacted by the mail client
        assert watch.quiet() == []
        replacement = tmp_path / "inbox.mbox.new"
        replacement.write_bytes(
            as_mbox(sample("linkedin_invitation_classic.eml"))
            + as_mbox(sample("xing_contact_request.eml"), b"mailrobot@mail.xing.com")
        )
        os.replace(replacement, mbox)  # rewritten as a new file
        assert watch.line() == "New request: Grete Sommerfeld (XING)"
        assert watch.quiet() == []  # Ole again adds nothing
    finally:
        code, err = watch.stop()
    assert code == 0 and "Traceback" not in err, err


def test_names_in_the_lines_reach_the_terminal_as_visible_text(
    tmp_path: Path, maildir: Path
) -> None:
    import base64

    hostile = base64.b64encode("Ole \x1b]2;PWNED\x07\x9b31mBrømmer".encode()).decode()
    raw = sample("linkedin_invitation_classic.eml").replace(
        b"From: =?utf-8?q?Ole_Br=C3=B8mmer?=", f"From: =?utf-8?b?{hostile}?=".encode(), 1
    )
    assert hostile.encode() in raw
    (maildir / "new" / "1700000002.M2P2.host").write_bytes(raw)
    watch = Watch(tmp_path / "s.db", maildir, home=tmp_path)
    try:
        line = watch.line()
    finally:
        watch.stop()
    assert line.startswith("New request: ")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in line), repr(line)


def test_a_path_that_is_no_mailbox_is_one_line(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    run = subprocess.run(
        [sys.executable, "-m", "netinbox", "watch", "--db", str(tmp_path / "s.db"), str(other)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        timeout=60,
    )
    assert run.returncode == 1
    assert (
        run.stderr.strip()
        == f"netinbox: {other}: not an mbox file (it does not start with a 'From ' line)"
    )
    assert not (tmp_path / "s.db").exists()


# --- the mailbox's stamp, without a process ----------------------------------------------------


def test_a_maildir_mail_is_known_by_its_unique_name_wherever_it_moves(maildir: Path) -> None:
    box = watching.mailbox(maildir)
    (maildir / "new" / "1700000003.M3.host").write_bytes(b"x")
    (mail,) = box.mails()
    box.done([mail])
    os.rename(mail, maildir / "cur" / "1700000003.M3.host:2,RS")
    assert box.mails() == []
    (maildir / "new" / "1700000004.M4.host").write_bytes(b"y")
    assert [m.name for m in box.mails()] == ["1700000004.M4.host"]


def test_a_change_is_read_once_the_mailbox_has_settled(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    box = watching.mailbox(mbox)
    assert box.poll() is False  # first look: remembered
    box.done()
    assert box.poll() is False  # nothing changed
    mbox.write_bytes(b"From a\n\n")
    assert box.poll() is False  # changed: wait one look for it to settle
    assert box.poll() is True
    box.done()
    assert box.poll() is False
    mbox.unlink()
    assert box.poll() is False and box.poll() is False  # gone: nothing to read, no error


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_while_the_app_holds_the_store_new_mail_waits_and_is_imported_after(
    tmp_path: Path, maildir: Path
) -> None:
    db = tmp_path / "s.db"
    app = subprocess.Popen(
        [sys.executable, str(HERE / "lock_child.py"), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
    )
    assert app.stdout is not None and app.stdout.readline().strip() == "locked"
    (maildir / "new" / "1700000001.M1P1.host").write_bytes(
        sample("linkedin_invitation_classic.eml")
    )
    watch = Watch(db, maildir, home=tmp_path)
    try:
        assert watch.quiet(2.0) == []
        assert app.stdin is not None
        app.stdin.close()  # the app quits
        app.wait(timeout=30)
        assert watch.line() == "New request: Ole Brømmer (LinkedIn)"
    finally:
        code, err = watch.stop()
        app.kill()
    assert code == 0, err
    assert err.count("imported once it is closed") == 1, err


def test_an_answer_arriving_by_mail_is_one_line(
    filled: Path, tmp_path: Path, maildir: Path
) -> None:
    """Person 0 was asked; their "sent you a message" mail records the answer."""
    watch = Watch(filled, maildir, home=tmp_path)
    try:
        assert watch.quiet(1.0) == []
        mail = HERE / "fixtures" / "mail" / "linkedin_message_en.eml"
        (maildir / "new" / "1770000000.M9P9.host").write_bytes(mail.read_bytes())
        assert watch.line() == "Answer from Person 0 (LinkedIn)"
    finally:
        code, err = watch.stop()
    assert code == 0, err


# --- waiting for mail: inotify, and the poll where there is none ------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


def waiter_on(*paths: Path) -> watching.Poller:
    waiter = watching.waiter(5.0, paths)
    assert waiter.mode == "inotify"  # (this machine has it)
    return waiter


@linux_only
def test_the_kernel_says_when_mail_is_appended_to_an_mbox(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    waiter = waiter_on(mbox)
    try:
        assert waiter.covered and waiter.idle() == watching.SAFETY
        with mbox.open("ab") as handle:  # a mail client writes in several steps
            handle.write(b"From a\n")
            handle.flush()
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
        # (the events wait in the kernel: a wait returns them once they have settled; a
        # wait that timed out would say nothing)
        assert waiter.wait(30) == {mbox}
        (tmp_path / "notes.txt").write_text("other files in the folder are not mail")
        assert waiter.wait(0.3) == set()
    finally:
        waiter.close()


@linux_only
def test_an_mbox_replaced_by_rename_truncated_or_made_again_is_seen(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))
    waiter = waiter_on(mbox)
    try:
        new = tmp_path / "inbox.mbox.tmp"
        new.write_bytes(as_mbox(sample("xing_contact_request.eml"), b"mailrobot@mail.xing.com"))
        assert waiter.wait(0.3) == set()  # not the mailbox (yet)
        os.replace(new, mbox)  # rewritten atomically: a new file under the old name
        assert waiter.wait(30) == {mbox}
        with mbox.open("ab") as handle:  # and the new file is watched as well
            handle.write(as_mbox(sample("linkedin_invitation_with_note_de.eml")))
        assert waiter.wait(30) == {mbox}
        mbox.write_bytes(b"")  # compacted
        assert waiter.wait(30) == {mbox}
        mbox.unlink()
        assert waiter.wait(30) == {mbox}
        mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))  # back
        assert waiter.wait(30) == {mbox}
    finally:
        waiter.close()


@linux_only
def test_the_kernel_says_when_a_maildir_gets_mail(tmp_path: Path, maildir: Path) -> None:
    waiter = waiter_on(maildir)
    try:
        (maildir / "tmp" / "1700000001.M1P1.host").write_bytes(b"being delivered")
        assert waiter.wait(0.3) == set()  # tmp/ is the mail server's
        os.rename(
            maildir / "tmp" / "1700000001.M1P1.host", maildir / "new" / "1700000001.M1P1.host"
        )
        assert waiter.wait(30) == {maildir}
        os.rename(
            maildir / "new" / "1700000001.M1P1.host",
            maildir / "cur" / "1700000001.M1P1.host:2,S",
        )
        assert waiter.wait(30) == {maildir}  # (read: nothing new, by its unique name)
    finally:
        waiter.close()


@linux_only
def test_a_maildir_that_appears_later_is_watched_from_then_on(tmp_path: Path) -> None:
    later = tmp_path / "Mail"
    waiter = waiter_on(later)
    try:
        assert waiter.covered  # its folder is watched: it is seen when it comes
        (later / "new").mkdir(parents=True)
        (later / "cur").mkdir()
        assert later in waiter.wait(30)
        (later / "new" / "1700000005.M5.host").write_bytes(b"x")
        assert waiter.wait(30) == {later}
    finally:
        waiter.close()


def test_without_inotify_the_watch_polls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")

    def none() -> None:
        raise OSError(errno.ENOSYS, "inotify is Linux only")

    monkeypatch.setattr(watching, "Inotify", none)
    waiter = watching.waiter(5.0, [mbox])
    assert waiter.mode == "poll" and waiter.idle() == 5.0 and not waiter.covered
    assert watching.Watch([watching.mailbox(mbox)]).pause(waiter) == 5.0


@linux_only
def test_at_the_watch_limit_the_watch_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from netinbox.inotify import Inotify

    def limit(self: Inotify, path: Path, mask: int = 0) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(Inotify, "add", limit)
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    waiter = watching.waiter(5.0, [mbox])
    assert waiter.mode == "poll"


@linux_only
def test_a_stop_ends_the_wait_at_once(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    for waiter in (waiter_on(mbox), watching.Poller(3600)):
        returned: list[set[Path]] = []

        def wait(w: watching.Poller = waiter, into: list[set[Path]] = returned) -> None:
            into.append(w.wait(3600))

        thread = threading.Thread(target=wait)
        thread.start()
        waiter.interrupt()
        thread.join(10)  # (a bound, far below the hour the wait was for)
        assert not thread.is_alive() and returned == [set()]
        waiter.close()
    waiter = waiter_on(mbox)
    waiter.close()
    waiter.interrupt()  # after closing: nothing happens


@linux_only
def test_idle_the_watch_does_nothing_but_wait(
    tmp_path: Path, maildir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No mail: one `poll` per wait, and no look at the mailboxes (no stat, no open)
    until the safety look a minute later; a poller would look every interval."""
    import builtins

    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    look = watching.Watch([watching.mailbox(mbox), watching.mailbox(maildir)])
    waiter = waiter_on(mbox, maildir)
    try:
        for box in look.look():
            box.done()
        assert look.pause(waiter) == watching.SAFETY
        calls: dict[str, int] = {"stat": 0, "open": 0, "poll": 0, "scandir": 0}

        def counting(name: str, real: Any) -> Any:
            def counted(*args: Any, **kwargs: Any) -> Any:
                calls[name] += 1
                return real(*args, **kwargs)

            return counted

        monkeypatch.setattr(os, "stat", counting("stat", os.stat))
        monkeypatch.setattr(os, "scandir", counting("scandir", os.scandir))
        monkeypatch.setattr(builtins, "open", counting("open", builtins.open))
        poller = waiter._poller  # type: ignore[attr-defined]
        monkeypatch.setattr(waiter, "_poller", SimpleNamespace(poll=counting("poll", poller.poll)))
        for _ in range(3):
            assert waiter.wait(0.05) == set()
        assert calls == {"stat": 0, "open": 0, "poll": 3, "scandir": 0}
    finally:
        waiter.close()


def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The line `netinbox watch` starts with (stopped at its first wait, as by Ctrl-C)."""
    from click.testing import CliRunner

    from netinbox.cli import main

    def ctrl_c(self: watching.Poller, timeout: float) -> set[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(watching.Poller, "wait", ctrl_c)
    monkeypatch.setattr(watching.Notified, "wait", ctrl_c)
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    result = CliRunner().invoke(main, ["watch", "--db", str(tmp_path / "s.db"), *args, str(mbox)])
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()[0]


@linux_only
def test_the_start_line_says_the_kernel_tells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        started(tmp_path, monkeypatch) == "Watching 1 mailbox for new mail (inotify; Ctrl-C stops)."
    )


def test_the_start_line_says_how_often_it_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def none() -> None:
        raise OSError(38, "inotify is Linux only")

    monkeypatch.setattr(watching, "Inotify", none)
    assert (
        started(tmp_path, monkeypatch, "--interval", "30")
        == "Watching 1 mailbox for new mail (polling every 30 s; Ctrl-C stops)."
    )
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert (
        started(tmp_path, monkeypatch, "--interval", "2.5")
        == "Beobachte 1 Postfach auf neue Mails (Abfrage alle 2,5 s; Strg-C beendet)."
    )


def test_the_file_system_of_a_path_is_read_from_the_mount_table(tmp_path: Path) -> None:
    table = tmp_path / "mountinfo"
    table.write_text(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:40 / /home/mira/mail\\040box rw shared:20 - nfs4 server:/mail rw\n"
        "41 22 0:41 / /home rw shared:21 - ext4 /dev/sda2 rw\n"
    )
    assert watching.file_system(Path("/home/mira/mail box/inbox"), str(table)) == "nfs4"
    assert watching.file_system(Path("/home/mira/mail boxes"), str(table)) == "ext4"
    assert watching.file_system(Path("/var/mail"), str(table)) == "ext4"
    assert watching.file_system(Path("/x"), str(tmp_path / "none")) is None


@linux_only
def test_a_mailbox_on_a_network_file_system_is_polled_for_as_well(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NFS delivers no events of changes made on the server: the watch says it polls, and
    looks every interval; a change made here still wakes it at once."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    monkeypatch.setattr(watching, "file_system", lambda path: "nfs4")
    waiter = watching.waiter(5.0, [mbox])
    try:
        assert waiter.mode == "poll" and waiter.idle() == 5.0
        mbox.write_bytes(as_mbox(sample("linkedin_invitation_classic.eml")))
        assert waiter.wait(30) == {mbox}
    finally:
        waiter.close()


@linux_only
def test_a_busy_neighbour_in_the_folder_does_not_hold_up_the_mail(tmp_path: Path) -> None:
    """Another file beside the mbox is written all the time (a log, say): the mailbox's
    change is still said once the mailbox itself has been quiet, while the other file
    goes on."""
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    log = tmp_path / "app.log"
    done = threading.Event()
    writes = 0

    def busy() -> None:
        nonlocal writes
        while not done.is_set() and writes < 400:  # (at most 20 s)
            with log.open("a") as handle:
                handle.write("x\n")
            writes += 1
            time.sleep(0.05)

    waiter = waiter_on(mbox)
    neighbour = threading.Thread(target=busy)
    neighbour.start()
    try:
        with mbox.open("ab") as handle:
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
        assert waiter.wait(30) == {mbox}
        assert writes < 400  # said while the neighbour still wrote
    finally:
        done.set()
        neighbour.join(30)
        waiter.close()


@linux_only
def test_an_mbox_behind_a_symlink_is_watched_where_it_lies(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    mbox = tmp_path / "real" / "inbox.mbox"
    mbox.write_bytes(b"")
    link = tmp_path / "inbox.mbox"
    link.symlink_to(mbox)
    waiter = waiter_on(link)
    try:
        with mbox.open("ab") as handle:  # written through its real name
            handle.write(as_mbox(sample("linkedin_invitation_classic.eml")))
        assert waiter.wait(30) == {link}
    finally:
        waiter.close()
