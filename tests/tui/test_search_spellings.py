"""Search as German users type: `krueger` finds Krüger, `Weiss` finds Weiß, and back; a
term the app does not know is said in the bar, in full, while words with colons stay text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from netinbox.cli import main
from netinbox.config import Config
from netinbox.query import View, parse
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.main import MainScreen
from tests.conftest import Clock
from tests.tui.conftest import listed, screen_lines, settle

PEOPLE_CSV = (
    "name,headline,company,message,date\n"
    "Jan Krüger,Werkstudent,Brückenbau Müller,,2026-01-20\n"
    "Eva Weiss,Einkauf,Strasse & Co,,2026-01-19\n"
    "Tom Krueger,Vertrieb,Acme,,2026-01-18\n"
    "Ines Weiß,Recruiting,Fußball AG,Re:Hallo – wir kennen uns,2026-01-17\n"
)


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE_CSV, encoding="utf-8")
    db = tmp_path / "n.db"
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(csv)])
    assert result.exit_code == 0, result.output
    return db


SPELLINGS = [
    ("krueger", ["Jan Krüger", "Tom Krueger"]),
    ("Krüger", ["Jan Krüger", "Tom Krueger"]),
    ("weiss", ["Eva Weiss", "Ines Weiß"]),
    ("Weiß", ["Eva Weiss", "Ines Weiß"]),
    ("bruecke", ["Jan Krüger"]),
    ("fussball", ["Ines Weiß"]),
    ("Re:Hallo", ["Ines Weiß"]),  # a word with a colon, not a term
]
TYPED_IN_THE_APP = ("krueger", "Weiß", "Re:Hallo")
"""Each way through the app's search box; every spelling is also searched in the store."""


@pytest.mark.parametrize(("typed", "found"), SPELLINGS)
def test_each_spelling_finds_the_other_in_the_store(
    imported: Path, typed: str, found: list[str]
) -> None:
    with Store(imported, config=Config(), clock=Clock()) as store:
        ids = store.ids(parse(typed, View.ALL))
        assert sorted(store.get(i).person.name for i in ids) == found


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        case if case[0] in TYPED_IN_THE_APP else pytest.param(*case, marks=pytest.mark.slow)
        for case in SPELLINGS
    ],
)
async def test_each_spelling_finds_the_other(
    imported: Path, monkeypatch: pytest.MonkeyPatch, typed: str, found: list[str]
) -> None:
    monkeypatch.setattr(MainScreen, "SEARCH_DELAY", 0)
    with Store(imported, config=Config(), clock=Clock()) as store:
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("7", "slash", *typed, "enter")
            await settle(pilot)
            assert sorted(listed(app)) == found


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_an_unknown_term_is_said_in_full(
    imported: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setattr(MainScreen, "SEARCH_DELAY", 0)
    with Store(imported, config=Config(), clock=Clock()) as store:
        app = NetInboxApp(store)
        async with app.run_test(size=size) as pilot:
            await pilot.press("7", "slash", *"foo:bar")
            await settle(pilot)
            error = app.main.query_one("#search-error", Static)
            message = "foo:bar: unknown term; the help (?) lists them"
            assert str(error.visual) == message
            assert message in "\n".join(screen_lines(app))  # not cut off
