"""The import dialog: the same import as `netinbox import`, path completion, a path box
that keeps its text when the focus comes back, and a summary that counts each row once."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from netinbox.config import Config
from netinbox.importing import ImportSummary, run_import
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.importing import ImportDialog, complete_path
from tests.conftest import EXPORT, Clock
from tests.tui.conftest import DIALOG_SIZE, Host, import_path, listed, settle, toasts


async def test_the_dialog_imports_as_the_command_does(tmp_path: Path, clock: Clock) -> None:
    """The configured time zone reads 'Sent At' (no zone in the file) in both; the notes on
    how the files were read come with the summary."""
    config = Config(timezone="America/New_York")
    with (
        Store(tmp_path / "app.db", config=config, clock=clock) as in_app,
        Store(tmp_path / "cli.db", config=config, clock=clock) as by_cli,
    ):
        app = Host(ImportDialog(in_app))
        async with app.run_test(size=DIALOG_SIZE) as pilot:
            await import_path(app, pilot, str(EXPORT))
        [summary] = app.results
        assert isinstance(summary, ImportSummary)
        expected = run_import(by_cli, [EXPORT])
        assert summary.lines() == expected.lines()
        when = {
            row[0]: row[1]
            for row in in_app.conn.execute(
                "SELECT p.name, r.received_at FROM requests r JOIN persons p ON p.id = r.person_id"
            )
        }
        # "3/12/25, 9:41 AM" in New York (EDT since March 9) is 13:41 UTC
        assert when["Konstantin Weiß"] == "2025-03-12T13:41:00Z"
        assert sorted(when.items()) == sorted(
            tuple(row)
            for row in by_cli.conn.execute(
                "SELECT p.name, r.received_at FROM requests r JOIN persons p ON p.id = r.person_id"
            )
        )


async def test_a_first_import_counts_nothing_as_updated(store: Store) -> None:
    """Connections.csv accepts requests Invitations.csv of the same export brought: that is
    part of what is new, not an update."""
    app = Host(ImportDialog(store))
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await import_path(app, pilot, str(EXPORT))
    [summary] = app.results
    assert summary.headline().startswith("9 new, 0 updated, 0 unchanged")
    assert "connections: 6 accepted on platform (just imported)" in summary.lines()


async def test_shift_tab_back_to_the_path_keeps_it(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "Invitations.csv"
    shutil.copy(EXPORT / "Invitations.csv", target)
    dialog = ImportDialog(store, initial_path=str(tmp_path))
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        path = dialog.query_one("#path", Input)
        await pilot.press("tab", "shift+tab", "/")  # away and back, then type on
        assert path.value == f"{tmp_path}/"


async def test_the_path_is_completed_from_the_disk(store: Store, tmp_path: Path) -> None:
    (tmp_path / "Basic_LinkedInDataExport.zip").write_bytes(b"")
    (tmp_path / "exports").mkdir()
    (tmp_path / ".hidden").write_bytes(b"")
    assert complete_path(f"{tmp_path}/Bas") == f"{tmp_path}/Basic_LinkedInDataExport.zip"
    assert complete_path(f"{tmp_path}/ex") == f"{tmp_path}/exports/"  # a folder: its slash
    assert complete_path(f"{tmp_path}/.h") == f"{tmp_path}/.hidden"
    assert complete_path(f"{tmp_path}/") == f"{tmp_path}/Basic_LinkedInDataExport.zip"
    assert complete_path(f"{tmp_path}/nothing") is None
    assert complete_path("/no/such/folder/x") is None

    dialog = ImportDialog(store)
    app = Host(dialog)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await pilot.press(*f"{tmp_path}/Ba")
        await pilot.pause(0.1)
        await pilot.press("right")  # takes the suggestion, as in a shell
        assert dialog.query_one("#path", Input).value == f"{tmp_path}/Basic_LinkedInDataExport.zip"


async def test_u_takes_back_an_import_made_in_the_app(app: NetInboxApp) -> None:
    async with app.run_test(size=DIALOG_SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = sorted(listed(app))
        await pilot.press("7", "i")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(EXPORT)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert len(listed(app)) == len(before) + 9
        assert any("9 new" in t and "u takes back what it added" in t for t in toasts(app))
        await pilot.press("u")
        await settle(pilot)
        await settle(pilot)
        assert sorted(listed(app)) == before
        assert any("Undid: the import of 9 new requests" in t for t in toasts(app))
