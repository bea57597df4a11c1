"""Keys typed in a burst, in a real terminal: nothing crashes, nothing typed ahead is lost.

A person types `q` and, before the app has closed, a dialog key; or `/` and the search
words before the box is there; or starts typing while the app is still starting. These run
the real `netinbox` command in a pseudo-terminal and write the keys at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from netinbox.store import Store
from tests.tui.terminal import Terminal

FIRST_SCREEN = "Anna Albers"  # the newest request: the list is up


@pytest.fixture
def term(tmp_path: Path, db_path: Path, people: dict[str, int]) -> Terminal:
    terminal = Terminal(["--db", str(db_path)], tmp_path)
    yield terminal  # type: ignore[misc]
    terminal.close()


def no_traceback(term: Terminal) -> None:
    assert b"Traceback" not in term.output and b"NoMatches" not in term.output, term.text


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_q_and_at_once_a_dialog_key_quits_cleanly(
    tmp_path: Path, store: Store, people: dict[str, int]
) -> None:
    keys = ["i", "n", "d", "y", "r", "z", "?"]
    terminals = []
    try:
        for key in keys:  # side by side: one start-up's wait for all
            home = tmp_path / f"q{ord(key)}"
            home.mkdir()
            store.backup(home / "n.db")
            terminals.append(Terminal(["--db", str(home / "n.db")], home))
        for term in terminals:
            term.wait_for_text(FIRST_SCREEN)
        for key, term in zip(keys, terminals, strict=True):
            term.type("q" + key)
        for key, term in zip(keys, terminals, strict=True):
            assert term.wait_exit() == 0, f"q{key}"
            no_traceback(term)
    finally:
        for term in terminals:
            term.close()


def test_q_and_a_dialog_key_typed_as_the_app_starts_quit_cleanly(term: Terminal) -> None:
    term.type("qi")
    assert term.wait_exit() == 0
    no_traceback(term)


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_search_words_typed_with_the_slash_as_the_app_starts_are_searched(
    term: Terminal,
) -> None:
    term.type("/ben")  # `n` in the list would add a request
    screen = term.wait_for(lambda s: "Search: ben" in s and "Carla" not in s, "the search")
    assert "Ben Brandt" in screen and "Add a request" not in screen
    term.type("\r")
    term.wait_for_text("searched")
    term.type("q")
    assert term.wait_exit() == 0


def test_a_search_typed_with_its_enter_as_the_app_starts_is_applied(term: Terminal) -> None:
    # Before Textual takes the terminal over it is in line mode, which echoes the keys
    # and turns Enter into a newline (ctrl+j to Textual): the search would stay open.
    term.type("/ben\r")
    # the box closed (its hint says `/` edits it again): the Enter arrived as Enter
    term.wait_for(
        lambda s: "/ edit" in s and "Search: ben" in s and "Ben Brandt" in s and "Carla" not in s,
        "the search applied",
    )
    term.type("q")
    assert term.wait_exit() == 0


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_a_key_typed_right_after_a_searchs_enter_acts_on_its_result(
    tmp_path: Path, db_path: Path, people: dict[str, int], add: Callable[..., int]
) -> None:
    add("Dora Brandt", days_ago=0, headline="Einkauf", company="Dora & Co")  # newest
    term = Terminal(["--db", str(db_path)], tmp_path)
    try:
        term.wait_for_text("Dora Brandt")
        term.type("/brandt\rG")  # the last match: Ben, not the whole list's last (Carla)
        term.wait_for(
            lambda s: (
                "/ edit" in s and "Vertrieb ·" in s and "Crespo" not in s and "Dora &" not in s
            ),
            "the search's result with its last match's profile (Ben)",
        )
        term.type("q")
        assert term.wait_exit() == 0
    finally:
        term.close()


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_escape_and_a_key_typed_quickly_are_two_keys_not_alt(term: Terminal) -> None:
    # Within 0.1 s of each other a terminal's escape and key read as one alt+key.
    term.wait_for_text(FIRST_SCREEN)
    term.type("ja")  # Ben, no message: the follow-up asking why
    term.wait_for_text("esc, then s: send")
    term.type("\x1bs")  # as the draft pane's border says, typed at once
    term.wait_for_text("recorded as sent")
    term.type("/anna")  # New is Anna and Carla now
    term.wait_for(lambda s: "Search: anna" in s and "Carla" not in s, "the search")
    term.type("\x1bj")  # leave the search (it empties), then down to Carla
    term.wait_for(
        lambda s: "Search" not in s.splitlines()[1] and "Crespo\n" not in s and "tba ·" in s,
        "the search closed and Carla's profile",
    )
    term.type("q")
    assert term.wait_exit() == 0


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_escape_and_a_view_s_number_typed_quickly_leave_the_search_for_that_view(
    term: Terminal,
) -> None:
    # Textual reads escape and a digit at once as a macOS option character ("¢" for 4).
    term.wait_for_text(FIRST_SCREEN)
    term.type("/anna\r")
    term.wait_for(lambda s: "searched" in s, "the search's result")
    term.type("\x1b7")  # leave the search (it empties), then All
    term.wait_for(
        lambda s: "Search" not in s.splitlines()[1] and "╭─ All · " in s and "¢" not in s,
        "the search closed and All shown",
    )
    term.type("q")
    assert term.wait_exit() == 0


def test_a_name_typed_right_after_n_goes_into_the_new_request(term: Terminal) -> None:
    term.wait_for_text(FIRST_SCREEN)
    term.type("nDora Dahl")
    screen = term.wait_for_text("Add a request")
    screen = term.wait_for_text("Dora Dahl")
    assert "Search" not in screen.splitlines()[1]  # `/`… nothing leaked to the list
    term.type("\x1b")
    term.wait_for(lambda s: "Add a request" not in s, "the dialog closed")
    term.type("q")
    assert term.wait_exit() == 0


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_words_typed_right_after_a_go_into_the_draft(term: Terminal) -> None:
    term.type("ja Thanks!")  # at once, as the app starts: Ben, ask, and a postscript
    term.wait_for(lambda s: "Thanks!" in s.partition("─ Draft")[2], "the words in the draft")
    screen = term.wait_for_text("saved")  # the draft is saved as typed
    assert (
        "auf XING" in screen and "Ben Brandt" in screen
    )  # Ben's follow-up, in German: a XING request
    term.type("\x1b")  # back to the list (escape and a key at once would be alt+key)
    term.wait_for(lambda s: "Ask" in s.splitlines()[-1], "the list's keys")
    term.type("q")
    assert term.wait_exit() == 0
    no_traceback(term)
