"""While the app is coming (a store being upgraded, Textual starting), the terminal holds
the keys as typed: no echo over the screen, Enter stays Enter, nothing waits for a newline.
Once Textual has the terminal, the user's own settings are what it gives back."""

from __future__ import annotations

import os
import termios
from collections.abc import Iterator
from typing import Any

import pytest

from netinbox.tui.early_keys import EarlyKeys


@pytest.fixture
def terminal() -> Iterator[Any]:
    leader, follower = os.openpty()
    stream = os.fdopen(follower, "r")
    try:
        yield stream
    finally:
        stream.close()
        os.close(leader)


def line_mode(fd: int) -> tuple[bool, bool, bool]:
    iflag, _, _, lflag, *_ = termios.tcgetattr(fd)
    return bool(lflag & termios.ECHO), bool(lflag & termios.ICANON), bool(iflag & termios.ICRNL)


def test_the_terminal_holds_keys_as_typed_until_the_app_takes_it(terminal: Any) -> None:
    fd = terminal.fileno()
    users = termios.tcgetattr(fd)
    assert line_mode(fd) == (True, True, True)
    with EarlyKeys(terminal):
        assert line_mode(fd) == (False, False, False)  # no echo, no line, Enter is Enter
        assert termios.tcgetattr(fd)[3] & termios.ISIG  # ctrl+c still stops a long upgrade
    assert termios.tcgetattr(fd) == users


def test_textual_gives_back_the_users_settings_not_the_held_ones(terminal: Any) -> None:
    fd = terminal.fileno()
    users = termios.tcgetattr(fd)

    class Driver:  # as Textual's: saves the settings it finds, to give them back on quit
        attrs_before: list[Any] | None = None

        def start_application_mode(self) -> None:
            self.attrs_before = termios.tcgetattr(fd)

    with EarlyKeys(terminal) as early:
        driver = early.driver_for(Driver)()
        driver.start_application_mode()
    assert driver.attrs_before == users


def test_without_a_terminal_nothing_changes() -> None:
    with open(os.devnull) as stream, EarlyKeys(stream) as early:
        assert early.driver_for(dict) is dict
