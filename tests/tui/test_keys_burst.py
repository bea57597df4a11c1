"""Cursor keys typed in bursts in a real terminal, ahead of the screen (the profiles one
key away are read ahead meanwhile): once the screen settles, the highlighted row, the
profile beside it, the list's title and the footer are those of where the keys led."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tui.terminal import Terminal

NAMES = [f"Person {number:02d}" for number in range(40)]


def profile_name(term: Terminal) -> str:
    """The first line inside the profile pane."""
    lines = term.screen.display
    for row, line in enumerate(lines):
        at = line.find("╭─ Profile")
        if at >= 0 and row + 1 < len(lines):
            return lines[row + 1][at + 1 :].split("│")[0].strip()
    return ""


def highlighted(term: Terminal) -> list[str]:
    """The names on the list's rows drawn in a background of their own (the cursor's)."""
    rows = [(y, line) for y, line in enumerate(term.screen.display) if "Person " in line[:40]]
    backgrounds: dict[str, list[str]] = {}
    for y, line in rows:
        x = line.index("Person ")
        name = line[x : x + len("Person 00")]
        backgrounds.setdefault(term.screen.buffer[y][x].bg, []).append(name)
    return [names[0] for names in backgrounds.values() if len(names) == 1 and len(rows) > 2]


@pytest.mark.slow  # (a real terminal: runs in CI, .ci/run)
def test_bursts_of_cursor_keys_end_on_the_right_row_and_profile(
    tmp_path: Path, db_path: Path, add: Callable[..., int]
) -> None:
    for days, name in enumerate(NAMES, start=1):
        add(name, days_ago=days)
    term = Terminal(["--db", str(db_path)], tmp_path, cols=80, rows=24)
    try:
        term.wait_for(lambda s: profile_name(term) == NAMES[0], "the first profile")
        for keys, row in (("jjjjj", 5), ("kk", 3), ("Gkk", 37), ("g", 0), ("jjjkj", 3),
                          ("Gg", 0), ("G", 39)):  # fmt: skip
            term.type(keys)  # at once: the keys arrive before their screens

            def landed(_screen: str, row: int = row) -> bool:
                return profile_name(term) == NAMES[row] and highlighted(term) == [NAMES[row]]

            term.wait_for(landed, f"{NAMES[row]} highlighted and in the profile after {keys!r}")
            screen = term.text
            assert "New · 40" in screen  # the list's title
            assert "a Ask" in screen.splitlines()[-1]  # the footer, with a request shown
        term.type("q")
        assert term.wait_exit() == 0
    finally:
        term.close()


def settle_output(term: Terminal, quiet: float = 0.4) -> None:
    """Read until the app has written nothing for `quiet` seconds."""
    import select

    while select.select([term.process.fd], [], [], quiet)[0]:
        term._read(0)


def profile_bar(term: Terminal) -> list[tuple[str, str, str, bool]]:
    """The profile pane's scrollbar column as the terminal shows it: each cell's
    character, colours and reverse video."""
    lines = term.screen.display
    top = next(row for row, line in enumerate(lines) if "╭─ Profile" in line)
    border = lines[top].index("╮", lines[top].index("╭─ Profile"))
    column = border - 2  # (the bar, then a cell of padding, then the border)
    cells = []
    for row in range(top + 1, len(lines)):
        if lines[row][border] != "│":
            break
        cell = term.screen.buffer[row][column]
        cells.append((cell.data, cell.fg, cell.bg, cell.reverse))
    return cells


@pytest.mark.slow  # (a real terminal: runs in CI, .ci/run)
def test_the_profile_s_scrollbar_on_screen_is_the_one_a_full_repaint_draws(
    tmp_path: Path, db_path: Path, add: Callable[..., int]
) -> None:
    """Each profile has a length of its own, so its scrollbar's thumb changes from one row
    to the next; only the bar's cells that change are sent. What the terminal shows after
    keys is what a repaint of the whole screen shows."""
    for days, name in enumerate(NAMES[:12], start=1):
        add(name, days_ago=days, message="A story of some length. " * (days * 3 % 17))
    term = Terminal(["--db", str(db_path)], tmp_path, cols=80, rows=24)
    try:
        term.wait_for(lambda s: profile_name(term) == NAMES[0], "the first profile")
        for keys in ("j", "j", "jj", "k", "jjj", "G", "g", "jjjjj", "kk"):
            term.type(keys)
            settle_output(term)
            shown = profile_bar(term)
            assert any(reverse or char.strip() for char, _, _, reverse in shown)  # a thumb
            # The whole screen drawn anew (a resize and back), then compared.
            term.process.setwinsize(24, 81)
            term.screen.resize(24, 81)
            settle_output(term)
            term.process.setwinsize(24, 80)
            term.screen.resize(24, 80)
            settle_output(term)
            assert profile_bar(term) == shown, keys
        term.type("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
