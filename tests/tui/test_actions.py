"""The table of actions: every key, palette command, help line and remappable id comes from
it, each row has its handler, ids follow one convention, and a config naming an id of an
earlier version keeps working."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.binding import Binding

from netinbox.cli import main
from netinbox.config import Config, load_config
from netinbox.store import Store
from netinbox.tui import actions, keys
from netinbox.tui.actions import ACTIONS, BY_ID, OLD_IDS, PLACES, bindings, home
from netinbox.tui.app import NetInboxApp
from netinbox.tui.commands import COMMANDS
from netinbox.tui.review import ReviewLoop
from netinbox.tui.screens import dialogs
from netinbox.tui.screens.ask_queue import AskQueueDialog
from netinbox.tui.screens.dialog_base import Dialog
from netinbox.tui.screens.help import HelpScreen
from netinbox.tui.screens.importing import ImportDialog
from netinbox.tui.screens.main import MainScreen
from netinbox.tui.screens.statistics import StatisticsScreen
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList
from netinbox.tui.widgets.search_bar import SearchBar

from .conftest import toasts

README = Path(__file__).parents[2] / "README.md"

OWNERS: dict[str, type[Any]] = {
    "app": NetInboxApp,
    "main": MainScreen,
    "review": ReviewLoop,
    "list": RequestList,
    "draft": DraftEditor,
    "search": SearchBar,
    "dialog": Dialog,
    "help": HelpScreen,
    "answer": dialogs.AnswerDialog,
    "snooze": dialogs.SnoozeDialog,
    "confirm": dialogs.ConfirmDialog,
    "add_request": dialogs.AddRequestDialog,
    "import": ImportDialog,
    "queue": AskQueueDialog,
    "statistics": StatisticsScreen,
}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.id)
def test_every_row_has_its_handler(action: actions.Action) -> None:
    owner = OWNERS[action.place]
    method = action.name if action.place == "review" else f"action_{action.name}"
    assert callable(getattr(owner, method, None)), f"{owner.__name__}.{method} is missing"
    for place in action.also:  # run on the screen from there
        assert callable(getattr(MainScreen, f"action_{action.name}", None))
        assert place in OWNERS


def test_ids_follow_one_convention() -> None:
    """The handler's name for the app's, main screen's and review loop's actions; the
    place, a dot and what it does for a pane's or dialog's own."""
    assert len(BY_ID) == len(ACTIONS)  # each id once
    for action in ACTIONS:
        if action.place in ("app", "main", "review"):
            assert re.fullmatch(r"[a-z_]+", action.id), action.id
            if not action.id.startswith("view_"):
                assert action.id == action.name, action.id
        else:
            assert re.fullmatch(rf"{action.place}\.[a-z_]+", action.id), action.id
        assert home(action) in PLACES
    assert not set(OLD_IDS) & set(BY_ID)
    assert set(OLD_IDS.values()) <= set(BY_ID)


def test_bindings_palette_and_guard_come_from_the_table() -> None:
    def ids(owner: type[Any]) -> list[str]:
        return [b.id or "" for b in owner.BINDINGS if isinstance(b, Binding)]

    main_rows = [a.id for a in ACTIONS if a.keys and home(a) == "main"]
    assert ids(MainScreen) == main_rows
    assert ids(RequestList) == ["search", *(a.id for a in ACTIONS if a.place == "list")]
    assert "clear_search" in ids(SearchBar) and ids(DraftEditor) == ["draft.leave"]
    [search] = [b for b in RequestList.BINDINGS if isinstance(b, Binding) and b.id == "search"]
    assert search.priority and search.action == "screen.search"
    assert [c.id for c in COMMANDS] == [a.id for a in ACTIONS if a.palette]
    assert actions.NEEDS_REQUEST == {
        "ask", "send", "record_answer", "accept", "decline", "snooze", "next_template",
        "edit_in_editor", "open_profile", "could_not_ask", "reopen",
    }  # fmt: skip
    shown = [b.description for b in bindings("main") if b.show]
    assert shown == [
        "Ask",
        "Send",
        "Answer",
        "Accept",
        "Decline",
        "Snooze",
        "Undo",
        "Search",
        "Help",
    ]


async def test_an_id_of_an_earlier_version_still_remaps(
    tmp_path: Path, clock: Any, rec: Any
) -> None:
    """`answer` is `record_answer` now, `draft_leave` is `draft.leave`: configs that name
    the old ids keep their keys."""
    config = Config(keys={"answer": "w", "draft_leave": "ctrl+g"})
    assert keys.keymap_problems(config.keys) == []
    with Store(tmp_path / "k.db", config=config, clock=clock) as store:
        store.add_request(rec("Dora Dietz"))
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert not toasts(app)  # nothing unknown
            await pilot.press("r")
            assert not app.screen.is_modal  # r is not the answer's key any more
            await pilot.press("w")
            assert isinstance(app.screen, dialogs.AnswerDialog)
            await pilot.press("escape", "a")
            assert isinstance(app.focused, DraftEditor)
            assert "^g, then s: send" in str(app.focused.hint)
            await pilot.press("ctrl+g")
            assert isinstance(app.focused, RequestList)


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        (
            'answer = "w"\nrecord_answer = "x"',
            "[keys] record_answer and answer are one action (record_answer); keep one of them",
        ),
        ('answr = "w"', "[keys]: there is no action 'answr'; did you mean record_answer?"),
        ('list_down = "n"', '[keys] list_down = "n": n is already the key of add_request;'),
    ],
)
def test_old_ids_are_checked_like_today_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: str, error: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[keys]\n{lines}\n", encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(path))
    with pytest.raises(Exception, match=re.escape(error)) as raised:
        keys.check_keymap(load_config())
    assert str(raised.value).startswith(f"{path}:")


def test_netinbox_keys_lists_ids_keys_and_what_they_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\ndecline = "x"\nanswer = "w"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(path))
    result = CliRunner().invoke(main, ["keys"])
    assert result.exit_code == 0, result.output
    lines = [line.split(None, 2) for line in result.output.splitlines() if line.startswith("  ")]
    listed = {parts[0]: parts[1:] for parts in lines}
    assert listed["decline"] == ["x", "Record that you decline (decline on the platform yourself)"]
    assert listed["record_answer"] == ["w", "Paste what the sender answered"]
    assert listed["help"][0] == "?" and listed["dialog.cancel"][0] == "esc"
    assert set(listed) == {a.id for a in ACTIONS if a.keys}
    assert str(path) in result.output and "Request list" in result.output


def test_netinbox_keys_refuses_a_broken_remap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\ndecline = "a"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(path))
    result = CliRunner().invoke(main, ["keys"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"netinbox: {path}:2: [keys] decline")


def test_the_readme_lists_every_id_with_its_key() -> None:
    """The README's table of ids names each remappable id once, with its default keys."""
    text = README.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_.]+)` \| ([^|]*) \|", text, re.MULTILINE)
    table = {binding_id: shown.strip() for binding_id, shown in rows if binding_id in BY_ID}
    assert set(table) == {a.id for a in ACTIONS if a.keys}
    for binding_id, shown in table.items():
        default = " ".join(keys.key_label(k) for k in actions.keys_of(binding_id, {}))
        assert shown == f"`{default}`", binding_id


def test_every_key_a_hint_names_is_in_the_table() -> None:
    """Hints and empty views name keys by id (`key_for("ask")`, a dialog's `key("…")`):
    an id not in the table would show as no key at all."""
    tui = Path(actions.__file__).parent
    named = {
        binding_id
        for path in tui.rglob("*.py")
        for binding_id in re.findall(
            r"""\bkey(?:_for)?\(\s*f?["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")
        )
    }
    assert {"ask", "undo", "dialog.cancel", "list.mark", "draft.leave"} <= named
    assert named <= set(BY_ID), named - set(BY_ID)
