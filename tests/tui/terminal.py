"""The real `netinbox` command in a pseudo-terminal, and the screen a person would see.

`pilot.press` waits until each key has been handled; a person does not. Keys written here
arrive in one burst, as typed ahead: before the dialog or search box they are meant for
exists. `pyte` turns what the app writes into the lines of a terminal.
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ptyprocess
import pyte

from tests.conftest import ROOT

WAIT = 20.0
"""Seconds to wait for a screen before failing (the machine may be busy)."""
EXIT_WAIT = 60.0
"""Seconds to wait for the app to exit (closing the store syncs it to disk; a busy disk)."""


def command() -> list[str]:
    """The `netinbox` command (this checkout's code: see `PYTHONPATH` in `Terminal`)."""
    script = shutil.which("netinbox")
    return [script] if script else [sys.executable, "-m", "netinbox"]


class Terminal:
    """`netinbox ARGS` on a terminal of `cols` × `rows`."""

    def __init__(self, args: list[str], home: Path, *, cols: int = 80, rows: int = 24) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("NETINBOX_", "XDG_", "TMUX", "WAYLAND", "DISPLAY"))
        }
        env.update(
            TERM="xterm-256color",
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            PYTHONPATH=str(ROOT),
            TEXTUAL_ANIMATIONS="none",
            NETINBOX_CONFIG=str(home / "no-config.toml"),
        )
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self.output = b""
        self.process = ptyprocess.PtyProcess.spawn(
            [*command(), *args], dimensions=(rows, cols), env=env, cwd=str(home)
        )

    def type(self, keys: str) -> None:
        """Write `keys` at once, as fast as a terminal delivers them."""
        self.process.write(keys.encode())

    def _read(self, timeout: float) -> bool:
        """Feed what the app wrote within `timeout`; False once it has closed."""
        ready, _, _ = select.select([self.process.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = self.process.read(65536)
        except EOFError:
            return False
        self.output += data
        self._stream.feed(data)
        return True

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, seen: Callable[[str], bool], what: str) -> str:
        """Read until the screen shows what `seen` looks for; the screen's text."""
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            if seen(self.text):
                return self.text
            if not self._read(0.05):
                break
        raise AssertionError(f"never saw {what}; the screen:\n{self.text}")

    def wait_for_text(self, text: str) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text))

    def wait_exit(self) -> int:
        """Read until the app has exited; its exit status."""
        end = time.monotonic() + EXIT_WAIT
        while time.monotonic() < end and self._read(0.05):
            pass
        if self.process.isalive():
            raise AssertionError(f"the app did not exit; the screen:\n{self.text}")
        self.process.wait()
        return self.process.exitstatus if self.process.exitstatus is not None else -1

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)
