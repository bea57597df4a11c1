"""Follow-ups are signed with the user's name: from the config, else from the imported
LinkedIn export's Profile.csv; with no name known, the draft says so and nothing dangles."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from netinbox.cli import main
from netinbox.config import Config
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import Clock
from tests.tui.conftest import settle, toasts

EXPORT = (
    Path(__file__).parent.parent / "fixtures/samples/linkedin/Basic_LinkedInDataExport_03-14-2025"
)


async def _ask_first(store: Store) -> tuple[str, list[str]]:
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        assert app.main.query_one(RequestList).current_id is not None
        await pilot.press("a")
        await settle(pilot)
        return app.main.query_one(DraftEditor).text, toasts(app)


async def test_the_name_from_profile_csv_signs_the_follow_up(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(EXPORT)])
    assert result.exit_code == 0, result.output
    with Store(db, config=Config(), clock=Clock()) as store:  # no my_name in the config
        text, shown = await _ask_first(store)
    # the first request's message is German: the German template, signed the German way
    assert text.endswith("Mit freundlichen Grüßen\nMira Testfeld")
    assert not any(t.startswith("Not signed") for t in shown)


async def test_the_config_name_wins(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    CliRunner().invoke(main, ["import", "--db", str(db), str(EXPORT)])
    with Store(db, config=Config(my_name="M. Testfeld"), clock=Clock()) as store:
        text, _ = await _ask_first(store)
    assert text.endswith("Mit freundlichen Grüßen\nM. Testfeld")


async def test_no_name_known_is_said_and_nothing_dangles(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    invitations = EXPORT / "Invitations.csv"  # no Profile.csv: nobody says who "me" is
    CliRunner().invoke(main, ["import", "--db", str(db), str(invitations)])
    with Store(db, config=Config(), clock=Clock()) as store:
        text, shown = await _ask_first(store)
    assert text.rstrip().endswith("vernetzen möchten?") and "Grüßen" not in text
    assert any(t.startswith("Not signed: no name is known.") for t in shown)
