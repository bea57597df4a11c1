"""Keys typed before the app is up reach it as typed.

Until Textual puts the terminal in raw mode, the terminal is still in line mode: it echoes
what the user types over the screen, holds it until Enter, and turns that Enter into a
newline (which Textual reads as ctrl+j, not enter). A person who types `/`, a name and
Enter while a large store is brought up to date (seconds, once) or while the app starts,
would see their keys echoed and their Enter lost. So from the moment the command knows it
will open the app, the terminal stops echoing and translating, and the keys wait, byte for
byte, in the terminal's queue until Textual reads them. Just before Textual takes the
terminal over, its settings go back to the user's own, so that Textual saves and later
restores those (on quit and on ctrl+z), never ours.
"""

from __future__ import annotations

import sys
from typing import Any


class EarlyKeys:
    """The terminal's line mode off while the app is coming; `restore` (idempotent) puts
    the user's own settings back."""

    def __init__(self, stream: Any = None) -> None:
        self._fd: int | None = None
        self._saved: list[Any] | None = None
        stream = sys.stdin if stream is None else stream
        try:
            import termios

            fd = stream.fileno()
            if not stream.isatty():
                return
            saved = termios.tcgetattr(fd)
            quiet = termios.tcgetattr(fd)
            # As Textual sets it, but ctrl+c still interrupts: the app is not up to take it.
            quiet[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
            quiet[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR)
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except (ImportError, OSError, ValueError, AttributeError):
            return  # no terminal (a pipe, a test's stdin, Windows): nothing to hold
        except Exception:  # termios.error: a terminal that refuses; type-ahead as before
            return
        self._fd, self._saved = fd, saved

    def restore(self) -> None:
        if self._fd is None or self._saved is None:
            return
        import termios

        fd, saved, self._fd, self._saved = self._fd, self._saved, None, None
        try:
            # TCSANOW: the keys already typed stay in the queue for the app to read.
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        except Exception:  # the terminal is gone (closed window): nothing to give back
            pass

    def driver_for(self, driver: type[Any]) -> type[Any]:
        """Textual's terminal driver, told the user's own settings: Textual saves the
        terminal's settings when it takes it over, to give them back on quit and on ctrl+z,
        and those would be ours (no echo) while the keys wait. So the driver takes over the
        terminal as it is (no gap in which a key is read in line mode) and then keeps the
        user's settings to give back."""
        saved = self._saved
        if saved is None or not hasattr(driver, "start_application_mode"):
            return driver

        class UsersTerminal(driver):
            def start_application_mode(self) -> None:
                super().start_application_mode()
                if getattr(self, "attrs_before", None) is not None:
                    self.attrs_before = saved

        return UsersTerminal

    def __enter__(self) -> EarlyKeys:
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()
