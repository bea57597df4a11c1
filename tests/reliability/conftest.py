"""Fixtures for the reliability suite (docs/reliability.md): the real `netinbox` command,
in-process and as a child process (optionally on a pseudo-terminal), a filled store,
hostile text, and a watchdog so a hanging child fails its test instead of the suite.

The store fixtures (`store`, `db_path`, `clock`, `rec`, `add`, `filled`) and the sample
paths come from tests/conftest.py.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netinbox.cli import main
from netinbox.text import is_display_safe
from tests.conftest import ROOT

CHILDREN = Path(__file__).with_name("children.py")


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child netinbox: this worktree's package, unbuffered output."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **extra}


# Terminal payloads a stranger can put into a name, a cell, a mail header or a file name:
# OSC 2 (window title), OSC 52 (clipboard write), OSC 8 (hyperlink), CSI (clear screen,
# colours), DCS, the 8-bit C1 forms (CSI U+009B, OSC U+009D, ST U+009C), NUL, DEL, BEL,
# bidi overrides ("Trojan Source").
ESCAPES = (
    "\x1b]2;PWNED-TITLE\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31m",
    "\x1bP+q544e\x1b\\",
    "\x9b31m",
    "\x9d2;C1-TITLE\x9c",
    "\x00\x7f\x07\x08\r",
    "\u202egnp.exe\u202c",
)
HOSTILE = "Eve " + "".join(ESCAPES) + " [@click=app.quit]x[/] [/"


def gap(reason: str) -> pytest.MarkDecorator:
    """A promise netinbox does not keep yet: the test states it, and is expected to fail
    until the fix lands (then it XPASSes, and the mark goes)."""
    return pytest.mark.xfail(reason=reason, strict=False)


def terminal_safe(text: str) -> bool:
    """Nothing in `text` (besides line ends) moves the cursor, changes terminal state,
    rings, or reorders what follows: the promise for everything netinbox prints."""
    return all(is_display_safe(line) for line in text.replace("\r\n", "\n").split("\n"))


def assert_terminal_safe(text: str) -> None:
    bad = [
        (number, line)
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)
        if not is_display_safe(line)
    ]
    assert not bad, f"raw control characters reach the terminal: {bad[:3]!r}"


# --- the command, in-process ------------------------------------------------------------


def cli(*args: str | Path, stdin: str | None = None) -> Result:
    """`netinbox ARGS` in this process. Never a traceback, whatever happens."""
    result = CliRunner().invoke(main, [str(a) for a in args], input=stdin)
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"netinbox {args}: uncaught {result.exception!r}")
    return result


def ok(*args: str | Path, stdin: str | None = None) -> Result:
    result = cli(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result


def refused(*args: str | Path, stdin: str | None = None) -> str:
    """Run a command that must fail with one clear line on stderr; return that line."""
    result = cli(*args, stdin=stdin)
    assert result.exit_code not in (0, None), result.output
    assert result.stderr.startswith("netinbox: "), result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


# --- the command, as a child process --------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


def netinbox(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 60,
    preexec: Callable[[], None] | None = None,
    stdin: str | None = None,
) -> Run:
    """`python -m netinbox ARGS` as its own process, stdout and stderr to pipes."""
    done = subprocess.run(
        [sys.executable, "-m", "netinbox", *map(str, args)],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=cwd,
        timeout=timeout,
        preexec_fn=preexec,
        input=stdin,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def netinbox_on_terminal(*args: str | Path, timeout: float = 60) -> Run:
    """`python -m netinbox ARGS` with stdout and stderr on a pseudo-terminal: what a
    person sees (both streams interleaved, in `out`)."""
    primary, secondary = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "netinbox", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env=child_env(TERM="xterm-256color", COLUMNS="160", LINES="48"),
        close_fds=True,
    )
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 0.1)
            if ready:
                try:
                    data = os.read(primary, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif child.poll() is not None:
                break
        code = child.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(primary)
    return Run(code, b"".join(chunks).decode("utf-8", errors="replace"), "")


class Child:
    """A helper process (tests/reliability/children.py) that talks in lines."""

    def __init__(self, *args: str | Path, seconds: float = 60) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILDREN), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        self._dog = threading.Timer(seconds, self.proc.kill)
        self._dog.start()

    def line(self) -> str:
        assert self.proc.stdout is not None
        text = self.proc.stdout.readline()
        if not text:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"child ended early: {err[-2000:]}")
        return text.strip()

    def expect(self, word: str) -> None:
        got = self.line()
        assert got == word, got

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.close()

    def close(self) -> int:
        self._dog.cancel()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return self.proc.wait(timeout=30)


@pytest.fixture
def child() -> Iterator[Callable[..., Child]]:
    """Start helper processes; every one is killed at the end of the test."""
    started: list[Child] = []

    def start(*args: str | Path, seconds: float = 60) -> Child:
        started.append(Child(*args, seconds=seconds))
        return started[-1]

    yield start
    for one in started:
        one.kill()


# --- stores ----------------------------------------------------------------------------


def snapshot(path: Path) -> tuple[str, list[tuple], list[tuple]]:
    """What a store holds, read with plain sqlite3 (integrity, requests, follow-ups)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        requests = conn.execute(
            "SELECT r.id, p.name, r.status, r.message FROM requests r"
            " JOIN persons p ON p.id = r.person_id ORDER BY r.id"
        ).fetchall()
        follow_ups = conn.execute(
            "SELECT request_id, body, due_at, answered_at, answer FROM follow_ups ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return check, requests, follow_ups


def invitations_csv(path: Path, count: int, *, start: int = 0) -> Path:
    """A LinkedIn `Invitations.csv` of `count` incoming requests without a message."""
    rows = ["From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl"]
    for i in range(start, start + count):
        rows.append(
            f'Person {i:06d},Mira Testfeld,"1/{i % 28 + 1}/26, {i % 12 + 1}:{i % 60:02d} AM",,'
            f"INCOMING,https://www.linkedin.com/in/person-{i},https://www.linkedin.com/in/mira"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


Args = Sequence[str | Path]
