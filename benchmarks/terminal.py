"""A real terminal for the end-to-end figures: a pseudo-terminal plus a terminal emulator.

`Terminal` runs a command on a pseudo-terminal (`ptyprocess`) with `TERM=xterm-256color`,
feeds everything it writes to `pyte`, and answers the few queries an xterm answers
(DECRQM mode reports, device attributes, cursor position, colours), so an app that waits
for an answer gets one. `screen()` is the list of lines a person sees.

Times are taken on this process's clock: a step starts just before its key is written to
the terminal and ends when the bytes that made the screen show the step's result were
read (the time they arrived, not the time pyte finished parsing them). Reading drains
everything available before parsing, so a frame written in several chunks is timed by
its last chunk. Both sides of every figure (netinbox and its floor) go through this same
code, so what the emulator costs is paid on both.
"""

from __future__ import annotations

import os
import re
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

SIZE = (40, 120)  # rows, columns: wide enough for the list and the profile side by side
QUIET = 0.06  # no output for this long: the app has nothing more to paint

_QUERIES = re.compile(
    rb"\x1b\[\?(\d+)\$p"  # DECRQM: is this private mode supported?
    rb"|\x1b\[(\d*)c"  # primary device attributes
    rb"|\x1b\[6n"  # cursor position report
    rb"|\x1b\](1[01]);\?(?:\x07|\x1b\\)"  # OSC 10/11: foreground / background colour
)


class Unsettled(Exception):
    """The screen did not show a step's result within its timeout."""

    def __init__(self, what: str, timeout: float, seen: str) -> None:
        super().__init__(f"did not settle in {timeout:g} s: {what} (screen showed {seen})")
        self.what = what
        self.timeout = timeout
        self.seen = seen


class Exited(Exception):
    """The program ended (or crashed) while a step waited for its screen."""


Predicate = Callable[["Terminal"], bool]


class Terminal:
    """One program on one pseudo-terminal, with what its screen shows."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        cwd: Path | None = None,
        size: tuple[int, int] = SIZE,
    ) -> None:
        rows, cols = size
        self.size = size
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)
        self._tail = b""  # for a query split over two reads
        self._lines: list[str] | None = None  # the screen's text, until the next output
        self.output = bytearray()  # the last bytes written, for error messages
        self.last_output = 0.0
        self.started = time.perf_counter()
        self.proc = PtyProcess.spawn(
            argv, env={**env, "TERM": "xterm-256color"}, cwd=str(cwd) if cwd else None,
            dimensions=(rows, cols),
        )  # fmt: skip

    # --- reading ---------------------------------------------------------------------------

    def pump(self, timeout: float) -> float | None:
        """Read what the program writes within `timeout` seconds (everything available once
        something came); feed it to the screen. Returns the arrival time of the last chunk,
        or None if nothing came."""
        fd = self.proc.fd
        ready, _, _ = select.select([fd], [], [], max(timeout, 0))
        if not ready:
            return None
        chunks: list[bytes] = []
        arrived = None
        while ready:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:  # EIO: the program closed the terminal
                chunk = b""
            if not chunk:
                if not chunks:
                    raise Exited(self._exit_text())
                break
            arrived = time.perf_counter()
            chunks.append(chunk)
            ready, _, _ = select.select([fd], [], [], 0)
        data = b"".join(chunks)
        self._answer(data)
        self._stream.feed(data)
        self._lines = None
        self.output = (self.output + data)[-4000:]
        self.last_output = arrived or time.perf_counter()
        return arrived

    def _answer(self, data: bytes) -> None:
        text = self._tail + data
        self._tail = text[-24:]
        replies = []
        for match in _QUERIES.finditer(text):
            mode, attributes, colour = match.group(1), match.group(2), match.group(3)
            if mode is not None:
                replies.append(b"\x1b[?" + mode + b";0$y")  # as xterm: not a mode it knows
            elif attributes is not None:
                replies.append(b"\x1b[?62;22c")
            elif colour is not None:
                value = b"ffff/ffff/ffff" if colour == b"10" else b"0000/0000/0000"
                replies.append(b"\x1b]" + colour + b";rgb:" + value + b"\x1b\\")
            else:
                y, x = self._screen.cursor.y + 1, self._screen.cursor.x + 1
                replies.append(f"\x1b[{y};{x}R".encode())
        if replies:
            self._tail = b""
            self.proc.write(b"".join(replies))

    def screen(self) -> list[str]:
        """The lines the screen shows (a wide character's second cell is left out)."""
        if self._lines is None:
            buffer, columns = self._screen.buffer, range(self._screen.columns)
            self._lines = [
                "".join([line[x].data for x in columns]) for line in map(buffer.__getitem__,
                range(self._screen.lines))
            ]  # fmt: skip
        return self._lines

    def attributes(self, row: int, column: int) -> tuple[str, bool]:
        """Background colour and reverse video of one cell (to find a table's cursor)."""
        char = self._screen.buffer[row][column]
        return char.bg, char.reverse

    def wait(self, predicate: Predicate, timeout: float, what: str) -> float:
        """The arrival time of the output after which `predicate(screen)` first held."""
        deadline = time.perf_counter() + timeout
        if predicate(self):
            return time.perf_counter()
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise Unsettled(what, timeout, self.glimpse())
            if not self.proc.isalive():
                self.pump(0.05)  # its last words
                raise Exited(self._exit_text())
            arrived = self.pump(min(left, 0.5))
            if arrived is not None and predicate(self):
                return arrived

    def quiet(self, gap: float = QUIET, timeout: float = 3.0) -> None:
        """Wait until the program has written nothing for `gap` seconds (at most `timeout`:
        a blinking cursor never stops writing, but it writes less often than `gap`)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.pump(gap) is None:
                return

    def glimpse(self) -> str:
        """The panes' titles and first lines (else the top lines), shortened, for a message."""
        screen = self.screen()
        parts = []
        for row, line in enumerate(screen):
            for match in re.finditer(r"╭─ (.+?) ─", line):
                inside = pane_line(screen, match.group(1)[:20])
                parts.append(f"{match.group(1)}: {inside}" if inside else match.group(1))
            if len(parts) >= 3 or row > 20:
                break
        if not parts:
            parts = [" ".join(line.split()) for line in screen if line.strip()][:3]
        return repr(" / ".join(parts)[:240])

    def _exit_text(self) -> str:
        tail = bytes(self.output[-600:]).decode(errors="replace")
        tail = re.sub(r"\x1b\[[0-9;?<>=]*[a-zA-Z~$]|\x1b[\]P][^\x07\x1b]*(\x07|\x1b\\)", "", tail)
        tail = " ".join(tail.split())[-300:]
        return f"the program ended (exit {self.proc.exitstatus}): {tail!r}"

    # --- writing ---------------------------------------------------------------------------

    def press(self, keys: bytes) -> float:
        """Write `keys` (one key, or a burst); returns the time just before writing."""
        started = time.perf_counter()
        self.proc.write(keys)
        return started

    def type_keys(self, keys: list[bytes], interval: float) -> float:
        """Write one key every `interval` seconds, reading the screen meanwhile; returns the
        time the last key was written."""
        last = time.perf_counter()
        for number, key in enumerate(keys):
            due = last + interval if number else last
            while (left := due - time.perf_counter()) > 0:
                self.pump(left)
            last = self.press(key)
        return last

    # --- the process -----------------------------------------------------------------------

    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def peak_rss_mb(self) -> float:
        """The program's peak resident memory so far (VmHWM), in MB."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc")

    def close(self, quit_keys: bytes | None = b"q", timeout: float = 3.0) -> None:
        """Quit with `quit_keys` and wait; kill the program if it does not end in time."""
        try:
            if quit_keys and self.proc.isalive():
                self.proc.write(quit_keys)
                deadline = time.perf_counter() + timeout
                while self.proc.isalive() and time.perf_counter() < deadline:
                    try:
                        self.pump(0.05)
                    except Exited:
                        break
        finally:
            if self.proc.isalive():
                try:
                    os.killpg(self.pid, signal.SIGKILL)  # its worker threads too
                except OSError:
                    pass
                self.proc.terminate(force=True)
            try:
                self.proc.wait()
            except Exception:  # already reaped
                pass
            self.proc.close(force=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(quit_keys=None)  # nothing to save: killed, which takes no time to measure


# --- keys, as an xterm sends them ----------------------------------------------------------

KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "escape": b"\x1b",
    "enter": b"\r",
    "ctrl+p": b"\x10",
}


def key(name: str) -> bytes:
    return KEYS.get(name) or name.encode()


# --- reading a Textual screen ----------------------------------------------------------------


def pane_title(screen: list[str], start: str) -> tuple[int, int, str] | None:
    """The first pane whose border title starts with `start`: (row, column of the corner,
    the title text up to the border's rest)."""
    for row, line in enumerate(screen):
        at = line.find("╭─ " + start)
        if at >= 0:
            end = line.find(" ─", at + 3)
            return row, at, line[at + 3 : end if end > 0 else None].strip()
    return None


def pane_line(screen: list[str], title: str, offset: int = 1) -> str | None:
    """The text on the `offset`-th line inside the pane titled `title` (its border cut)."""
    found = pane_title(screen, title)
    if found is None:
        return None
    row, column, _ = found
    if row + offset >= len(screen):
        return None
    line = screen[row + offset][column + 1 :]
    end = line.find("│")
    return (line[:end] if end >= 0 else line).strip()


def left_pane(screen: list[str], width: int) -> str:
    """The left `width` columns of the screen, as one text (to find a name in the list)."""
    return "\n".join(line[:width] for line in screen)
