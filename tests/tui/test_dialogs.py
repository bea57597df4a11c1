"""The dialogs, each pushed on a tiny host app and driven with the keyboard (and the mouse)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TextArea

from netinbox.importing import ImportSummary
from netinbox.models import Platform, RequestRecord
from netinbox.query import Query
from netinbox.store import Store
from netinbox.tui.screens.dialogs import (
    PLATFORM_NOTE,
    AddRequestDialog,
    AnswerDialog,
    ConfirmDialog,
    DecisionDialog,
    SnoozeDialog,
    add_months,
    parse_snooze,
)
from netinbox.tui.screens.help import HelpScreen
from netinbox.tui.screens.importing import ImportDialog, split_paths
from tests.conftest import SAMPLES
from tests.tui.conftest import DIALOG_SIZE, Host, import_path

TODAY = date(2025, 3, 14)  # a Friday
NOW = datetime(2025, 3, 14, 15, 30, tzinfo=UTC)
HOSTILE = "[@click=app.quit]Eve[/] Mallory [/ \x1b]2;PWNED\x07"
INVITATIONS = SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025" / "Invitations.csv"


def screen_text(app: App[Any]) -> tuple[str, bool]:
    """The screen as plain text, and whether any cell carries a click action or a link."""
    lines: list[str] = []
    clickable = False
    for strip in app.screen._compositor.render_strips():
        text = ""
        for segment in strip:
            text += segment.text
            style = segment.style
            if style is not None and (style.link or "@click" in (style.meta or {})):
                clickable = True
        lines.append(text)
    return "\n".join(lines), clickable


async def run(dialog: Screen[Any], *keys: str) -> Host:
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
    return app


# --- Decide -----------------------------------------------------------------------------


async def test_decision_enter_skips_the_note() -> None:
    app = await run(DecisionDialog("Decline", "Max Muster"), "enter")
    assert app.results == [""]


async def test_decision_keeps_a_typed_note() -> None:
    app = await run(DecisionDialog("Accept", "Max Muster"), *"met at FOSDEM", "enter")
    assert app.results == ["met at FOSDEM"]


async def test_decision_escape_cancels() -> None:
    app = await run(DecisionDialog("Decline", "Max Muster"), *"no", "escape")
    assert app.results == [None]


async def test_decision_says_what_it_does_and_shows_a_hostile_name_as_text() -> None:
    app = Host(DecisionDialog("Decline", HOSTILE))
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.pause()
        text, clickable = screen_text(app)
        assert "Decline [@click=app.quit]Eve[/] Mallory [/" in text
        assert PLATFORM_NOTE[:40] in text
        assert "\x1b" not in text
        assert not clickable
        assert await pilot.click("#confirm")
        await pilot.pause()
    assert app.results == [""]
    assert app.return_code in (None, 0)


# --- Answer -----------------------------------------------------------------------------


async def test_answer_saved_with_ctrl_s() -> None:
    app = await run(AnswerDialog("Max"), *"We met", "enter", *"here", "ctrl+s")
    assert app.results == ["We met\nhere"]


async def test_answer_empty_is_refused_inline_and_escape_cancels() -> None:
    dialog = AnswerDialog("Max")
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert "Paste the answer first" in str(dialog.query_one("#error", Static).content)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


# --- Snooze -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("t", date(2025, 3, 15)),
        ("3", date(2025, 3, 17)),
        ("w", date(2025, 3, 21)),
        ("m", date(2025, 4, 14)),
        ("enter", date(2025, 3, 15)),
    ],
)
async def test_snooze_quick_keys(key: str, expected: date) -> None:
    app = await run(SnoozeDialog("Max", TODAY), key)
    assert app.results == [expected]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("+5d", date(2025, 3, 19)), ("+2w", date(2025, 3, 28)), ("2025-04-01", date(2025, 4, 1))],
)
async def test_snooze_typed_date(typed: str, expected: date) -> None:
    app = await run(SnoozeDialog("Max", TODAY), "d", *typed, "enter")
    assert app.results == [expected]


async def test_snooze_invalid_date_is_shown_inline_and_can_be_fixed() -> None:
    dialog = SnoozeDialog("Max", TODAY)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press("d", *"2025-13-01", "enter")
        await pilot.pause()
        assert app.results == []
        preview = dialog.query_one("#preview", Static)
        assert preview.display and preview.has_class("error")
        assert "Not a date" in str(preview.content)
        field = dialog.query_one("#date", Input)
        field.value = "2025-03-01"
        await pilot.press("enter")
        await pilot.pause()
        assert "after today" in str(preview.content)
        field.value = "+1d"
        await pilot.pause()
        assert "Sat 2025-03-15" in str(preview.content)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [date(2025, 3, 15)]


def test_parse_snooze_and_months() -> None:
    assert parse_snooze(" +1m ", TODAY) == date(2025, 4, 14)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)
    for bad in ("", "tomorrow", "+0d", "2025-03-14", "+9999w"):
        with pytest.raises(ValueError):
            parse_snooze(bad, TODAY)


async def test_snooze_escape_cancels() -> None:
    app = await run(SnoozeDialog("Max", TODAY), "escape")
    assert app.results == [None]


# --- Confirm ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(("y",), True), (("enter",), True), (("n",), False), (("escape",), False)],
)
async def test_confirm_keys(keys: tuple[str, ...], expected: bool) -> None:
    app = await run(ConfirmDialog("Decline 3 marked requests?"), *keys)
    assert app.results == [expected]


async def test_confirm_by_mouse_and_enter_on_no() -> None:
    app = await run(ConfirmDialog("Sure?"), "tab", "enter")
    assert app.results == [False]
    app = Host(ConfirmDialog(HOSTILE))
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.pause()
        text, clickable = screen_text(app)
        assert "[@click=app.quit]Eve[/]" in text and not clickable
        assert await pilot.click("#no")
        await pilot.pause()
    assert app.results == [False]


# --- Add a request ----------------------------------------------------------------------


async def test_add_request_needs_a_name() -> None:
    dialog = AddRequestDialog(TODAY)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = dialog.query_one("#name-error", Static)
        assert error.display and "name" in str(error.content).lower()
        assert dialog.query_one("#name", Input).has_class("invalid")
        assert dialog.focused is dialog.query_one("#name", Input)


async def test_add_request_shows_each_problem_inline() -> None:
    dialog = AddRequestDialog(TODAY)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.pause()
        dialog.query_one("#name", Input).value = "Max Muster"
        dialog.query_one("#url", Input).value = "javascript:alert(1)"
        dialog.query_one("#received", Input).value = "2025-04-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert "https://" in str(dialog.query_one("#url-error", Static).content)
        assert "future" in str(dialog.query_one("#received-error", Static).content)
        assert not dialog.query_one("#name-error", Static).display
        dialog.query_one("#received", Input).value = "14/03/2025"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "YYYY-MM-DD" in str(dialog.query_one("#received-error", Static).content)


async def test_add_request_returns_a_record() -> None:
    dialog = AddRequestDialog(TODAY, now=NOW)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press("G")  # the name box has the focus
        dialog.query_one("#name", Input).insert_text_at_cursor("rete Sommerfeld")
        dialog.query_one("#platform", Select).value = Platform.XING
        dialog.query_one("#url", Input).value = "https://www.xing.com/profile/Grete_Sommerfeld"
        dialog.query_one("#headline", Input).value = "tba"
        dialog.query_one("#message", TextArea).text = "Hallo!\nWir kennen uns vom Barcamp."
        await pilot.press("enter")
        await pilot.pause()
    [record] = app.results
    assert isinstance(record, RequestRecord)
    assert record.name == "Grete Sommerfeld"
    assert record.platform is Platform.XING
    assert record.profile_url == "https://www.xing.com/profile/Grete_Sommerfeld"
    assert record.headline == "tba"
    assert record.message == "Hallo!\nWir kennen uns vom Barcamp."
    assert record.received_at == NOW


async def test_add_request_older_date_and_escape() -> None:
    dialog = AddRequestDialog(TODAY)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press(*"Max")
        dialog.query_one("#received", Input).value = "2025-03-01"
        await pilot.click("#save")
        await pilot.pause()
    [record] = app.results
    assert record.received_at.date() == date(2025, 3, 1)
    app = await run(AddRequestDialog(TODAY), *"Max", "escape")
    assert app.results == [None]


# --- Import -----------------------------------------------------------------------------


def _clock() -> datetime:
    return NOW


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "netinbox.db", clock=_clock) as opened:
        yield opened


async def test_import_a_real_export(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "export" / "Invitations.csv"
    target.parent.mkdir()
    shutil.copy(INVITATIONS, target)
    app = Host(ImportDialog(store))
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await import_path(app, pilot, str(target))
    [summary] = app.results
    assert isinstance(summary, ImportSummary)
    assert summary.total("new") > 0 and not summary.dry_run
    assert store.count(Query()) == summary.total("new")


async def test_import_dry_run_changes_nothing(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "Invitations.csv"
    shutil.copy(INVITATIONS, target)
    app = Host(ImportDialog(store, initial_path=str(target)))
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.click("#dry-run")
        await pilot.click("#start")
        await app.workers.wait_for_complete()
        await pilot.pause()
    [summary] = app.results
    assert summary.dry_run and summary.total("new") > 0
    assert store.count(Query()) == 0


async def test_import_an_empty_file_shows_the_error_and_allows_a_retry(
    store: Store, tmp_path: Path
) -> None:
    empty = tmp_path / "Invitations.csv"
    empty.write_bytes(b"")
    good = tmp_path / "good" / "Invitations.csv"
    good.parent.mkdir()
    shutil.copy(INVITATIONS, good)
    dialog = ImportDialog(store)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await import_path(app, pilot, str(empty))
        assert app.results == []
        error = dialog.query_one("#error", Static)
        assert error.display and str(empty) in str(error.content)
        assert not dialog.query_one("#path", Input).disabled
        assert not dialog.query_one("#progress").display
        await import_path(app, pilot, str(tmp_path / "missing.csv"))
        assert "no such file" in str(error.content)
        await import_path(app, pilot, str(good))
    assert app.return_code in (None, 0)
    [summary] = app.results
    assert summary.total("new") == store.count(Query()) > 0


async def test_import_paths_and_escape(tmp_path: Path, store: Store) -> None:
    spaced = tmp_path / "my exports" / "a.csv"
    spaced.parent.mkdir()
    spaced.write_text("x")
    other = tmp_path / "b.csv"
    other.write_text("x")
    assert split_paths(str(spaced)) == [spaced]
    assert split_paths(f"'{spaced}' {other}") == [spaced, other]
    app = await run(ImportDialog(store), "escape")
    assert app.results == [None]


# --- Help -------------------------------------------------------------------------------


@pytest.mark.parametrize("close", ["escape", "question_mark", "q", "f1"])
async def test_help_lists_keys_flags_and_terms(close: str) -> None:
    dialog = HelpScreen("Request list", [("a", "Ask why"), ("d", "Decline"), ("[/", HOSTILE)])
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.pause()
        body = "\n".join(str(s.content) for s in dialog.query(Static))
        for expected in ("Ask why", "Decline", "no_message", "contacts_hidden", "due:overdue"):
            assert expected in body
        assert "LI" in body and "XING" in body  # the list's network tags
        assert "esc ? q f1 close" in body  # the keys that close it
        assert "[@click=app.quit]Eve[/]" in body
        _, clickable = screen_text(app)
        assert not clickable
        await pilot.press(close)
        await pilot.pause()
    assert app.results == [None]


async def test_add_request_refuses_a_link_off_linkedin_and_xing() -> None:
    dialog = AddRequestDialog(TODAY)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press(*"Eve")
        dialog.query_one("#url", Input).value = "http://evil.example.com/x"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "linkedin.com or xing.com" in str(dialog.query_one("#url-error", Static).content)
        dialog.query_one("#url", Input).value = "https://www.linkedin.com/in/eve"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = app.results
    assert record.profile_url == "https://www.linkedin.com/in/eve"
