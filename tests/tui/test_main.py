"""The main screen: the list, filters, search, panes, keys, layout."""

from __future__ import annotations

import re
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from netinbox.config import Config
from netinbox.models import Platform
from netinbox.query import View
from netinbox.rules import FLAGS
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.messages import RequestHighlighted
from netinbox.tui.screens.main import MainScreen
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.filter_bar import FilterBar
from netinbox.tui.widgets.footer import WordsFooter
from netinbox.tui.widgets.request_list import (
    FLAG_LETTERS,
    PAGE_SIZE,
    Columns,
    RequestList,
    flag_marks,
)
from netinbox.tui.widgets.search_bar import SearchBar
from tests.conftest import Clock
from tests.tui.conftest import (
    PEOPLE,
    Gate,
    calm,
    draft_pane,
    listed,
    profile_text,
    screen_lines,
    settle,
    toasts,
    wait_held,
)


async def test_opens_on_new_with_counts_and_the_first_request(app: NetInboxApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        calm(app)
        await settle(pilot)
        bar = app.main.query_one(FilterBar)
        assert bar.active is View.NEW and bar.counts[View.NEW] == 3
        assert bar.counts[View.TO_ASK] == 2  # Ben and Carla wrote nothing
        assert listed(app) == ["Anna Albers", "Ben Brandt", "Carla Crespo"]
        assert "We met at PyCon" in profile_text(app)
        assert isinstance(app.focused, RequestList)
        text = "\n".join(screen_lines(app))
        assert "New 3" in text and "Ask 2" in text  # ten views: short titles at 120


async def test_cursor_keys_move_and_post_highlighted(app: NetInboxApp) -> None:
    seen: list[int | None] = []

    def hook(message: object) -> None:
        if isinstance(message, RequestHighlighted):
            seen.append(message.request_id)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        requests = app.main.query_one(RequestList)
        await pilot.press("j")
        assert requests.cursor == 1 and "Ben Brandt" in profile_text(app)
        await pilot.press("G")
        assert requests.cursor == 2 and "Carla Crespo" in profile_text(app)
        await pilot.press("k", "down", "g")
        assert requests.cursor == 0
        await pilot.press("end", "home", "up")
        assert requests.cursor == 0 and "Anna Albers" in profile_text(app)
    assert len(set(seen)) == 3


async def test_a_click_selects_a_row(app: NetInboxApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        requests = app.main.query_one(RequestList)
        # border (1) + header (1) + row 0 → the third row is at y = 2 + 2
        assert await pilot.click(RequestList, offset=(6, 4))
        await pilot.pause()
        assert requests.cursor == 2 and "Carla Crespo" in profile_text(app)
        await pilot.click(RequestList, offset=(6, 1))  # the header: nothing changes
        assert requests.cursor == 2


async def test_filter_keys_and_clicks(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    store.decline(people["Anna"])
    async with app.run_test(size=(120, 40)) as pilot:
        assert listed(app) == ["Ben Brandt", "Carla Crespo"]
        await pilot.press("7")
        assert app.main.view is View.ALL and len(listed(app)) == 3
        await pilot.press("6")
        assert listed(app) == ["Anna Albers"]
        bar = app.main.query_one(FilterBar)
        start = next(s for s, _, view in bar._spans if view is View.TO_ASK)
        await pilot.click(FilterBar, offset=(start + 2, 0))
        await pilot.pause()
        assert listed(app) == ["Ben Brandt", "Carla Crespo"]
        assert bar.active is View.TO_ASK


async def test_search_with_the_filter_language_and_escape(app: NetInboxApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7", "slash")
        search = app.main.query_one(SearchBar).input
        assert app.focused is search
        bar = screen_lines(app)[1]  # a labelled box that tells its language and keys
        assert bar.startswith(" Search: words, or no:msg state:asked due:overdue net:xing")
        assert bar.rstrip().endswith("enter apply · esc clear")
        assert app.main.query_one(SearchBar).styles.background != app.screen.styles.background
        search.insert_text_at_cursor("no:msg net:xin")  # as if pasted
        await pilot.press("g", "enter")
        await settle(pilot)
        assert listed(app) == ["Ben Brandt"]
        assert isinstance(app.focused, RequestList)
        assert "searched" in str(app.main.query_one(RequestList).border_title)
        bar = screen_lines(app)[1]  # the list has the focus: still plainly a search
        assert bar.startswith(" Search: no:msg net:xing ")
        assert bar.rstrip().endswith("/ edit · esc clear")
        await pilot.press("slash", "space", "x")  # edits the search, does not replace it
        assert search.value == "no:msg net:xing x"
        await pilot.press("escape")
        await settle(pilot)
        assert len(listed(app)) == 3
        assert not app.main.query_one(SearchBar).display


async def test_free_text_search_as_you_type(
    app: NetInboxApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "SEARCH_DELAY", 0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"brandt")
        await settle(pilot)
        assert listed(app) == ["Ben Brandt"]
        assert app.focused is app.main.query_one(SearchBar).input  # still typing


async def test_a_bad_term_is_shown_inline_and_the_list_stays(app: NetInboxApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        app.main.query_one(SearchBar).input.insert_text_at_cursor("state:bogus [/")
        await pilot.press("enter")
        await settle(pilot)
        error = app.main.query_one("#search-error", Static)
        assert "state:bogus: unknown state" in str(error.visual)
        assert len(listed(app)) == 3 and app.is_running
        await pilot.press("escape")
        assert str(error.visual) == ""


async def test_keys_remapped_from_the_config(tmp_path: Path, clock: Clock, rec: Any) -> None:
    remapped = {"decline": "x", "fly": "f", "ask": "w", "decline_marked": "X", "help": "f2"}
    config = Config(keys=remapped | {"dialog.cancel": "ctrl+g", "help.close": "f3"})
    with Store(tmp_path / "k.db", config=config, clock=clock) as store:
        request_id = store.add_request(rec("Dora Dietz"))
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            footer = app.main.query_one(WordsFooter)
            keys = {key.key_display: key.description for key in footer.shown()}
            assert keys.get("x") == "Decline" and "d" not in keys
            # the dialogs' keys are known names too; hints name the keys as remapped
            assert toasts(app)[0] == (
                "Unknown key names in the config's [keys]: fly. Press f2 to see what each key does."
            )
            assert "Press w in the list" in str(draft_pane(app).placeholder)
            assert "press w" in profile_text(app)  # Suggested: ask (press w)
            await pilot.press("d")
            assert not app.screen.is_modal  # d does nothing now
            await pilot.press("x")
            assert app.screen.is_modal
            assert "^g cancel" in "\n".join(screen_lines(app))
            await pilot.press("enter")
            await pilot.pause()
            assert store.get(request_id).request.status == "declined"
            await pilot.press("f2")
            text = "\n".join(str(static.content) for static in app.screen.query(Static))
            assert "ask all (A) or decline all (X)" in text and "^g f3 close" in text
            await pilot.press("ctrl+g")
            assert not app.screen.is_modal


async def test_the_list_reads_pages_not_all_rows(
    store: Store, rec: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.write():
        for n in range(3 * PAGE_SIZE + 20):
            store.upsert_request(rec(f"Person {n:04d}", days_ago=n / 24 + 0.01))
    fetched: list[tuple[int, int]] = []
    original = Store.rows

    def rows(self: Store, query: Any, offset: int = 0, limit: int = 100, **walk: Any) -> Any:
        fetched.append((offset, limit))
        return original(self, query, offset, limit, **walk)

    monkeypatch.setattr(Store, "rows", rows)
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        requests = app.main.query_one(RequestList)
        assert requests.row_count in (PAGE_SIZE, 320)  # the first page comes before the count
        await settle(pilot)
        assert requests.row_count == 320 and str(requests.border_title) == "New · 320"
        await pilot.press("G")
        assert requests.current_row.name == "Person 0319"  # type: ignore[union-attr]
        # a profile as tall as the one before is repainted, with no new layout: the new
        # name shows in the list and in the profile
        assert sum("Person 0319" in line for line in screen_lines(app)) == 2
        await pilot.press("pageup", "g")
        assert requests.current_row.name == "Person 0000"  # type: ignore[union-attr]
        assert all(limit == PAGE_SIZE for _, limit in fetched)
        assert {offset for offset, _ in fetched} <= {0, 100, 200, 300}


async def test_g_pressed_before_the_view_is_counted_goes_to_its_last_row(
    store: Store, rec: Any, gate: Gate
) -> None:
    """Just after start the list knows its first page only; the user who presses G at once
    wants the view's last request, not the first page's."""
    with store.write():
        for n in range(PAGE_SIZE + 20):
            store.upsert_request(rec(f"Person {n:04d}", days_ago=n / 24 + 0.01))
    gate.open.clear()  # the counts' thread is held: the view is not counted yet
    app = NetInboxApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        requests = app.main.query_one(RequestList)
        await wait_held(gate, 1)
        assert requests.row_count == PAGE_SIZE and str(requests.border_title) == "New · 100+"
        await pilot.press("G")
        gate.open.set()
        await settle(pilot)
        assert str(requests.border_title) == "New · 120"
        assert requests.current_row.name == "Person 0119"  # type: ignore[union-attr]
        assert app.main.detail is not None and app.main.detail.person.name == "Person 0119"


async def test_help_shows_the_focused_panes_keys(app: NetInboxApp) -> None:
    from netinbox.tui.screens.help import HelpScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = {d: k for k, d, _id in help_screen.key_rows}
        assert rows["Ask"] == "a" and rows["Decline all marked"] == "D"
        assert rows["Next"] == "↓ j" and rows["Mark"] == "space"
        # Each with the id a config's [keys] remaps it by, Textual's own keys without one.
        ids = {d: i for _k, d, i in help_screen.key_rows}
        assert ids["Answer"] == "record_answer" and ids["Next"] == "list.down"
        assert ids["Quit"] == "quit" and ids["Command palette: every action"] == ""
        text = "\n".join(str(static.content) for static in help_screen.query(Static))
        assert "record_answer" in text and "netinbox keys" in text
        await pilot.press("escape", "a")
        await pilot.press("escape")  # back to the list: escape in the draft
        assert isinstance(app.focused, RequestList)
        await pilot.press("a", "question_mark")  # types in the draft
        assert app.main.query_one(DraftEditor).text.endswith("?")
        await pilot.press("f1")
        rows = {d: k for k, d, _id in app.screen.key_rows}  # type: ignore[attr-defined]
        assert rows["Back to list"] == "esc" and "Ask" not in rows


async def test_open_profile_only_for_safe_links(
    store: Store, rec: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_request(rec("Evil Eve", profile_url="javascript:alert(1)", days_ago=1))
    store.add_request(rec("Good Gus", profile_url="https://www.linkedin.com/in/gus", days_ago=2))
    app = NetInboxApp(store)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("o")
        assert opened == [] and "only https links" in toasts(app)[-1]
        await pilot.press("j", "o")
        assert opened == ["https://www.linkedin.com/in/gus"]


async def test_edit_in_editor(
    app: NetInboxApp,
    store: Store,
    people: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Written in vi\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setattr(app, "suspend", nullcontext)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert app.main.query_one(DraftEditor).text == "Written in vi"
        assert store.get(people["Anna"]).draft.body == "Written in vi"  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_layout_fits(app: NetInboxApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.main
        regions = {n: screen.query_one(f"#{n}").region for n in ("requests", "profile")}
        regions["draft"] = draft_pane(app).region  # its slot until the draft's first use
        width, height = size
        for region in regions.values():
            assert region.right <= width and region.bottom <= height - 1  # the footer's line
            assert region.width >= 30 and region.height >= 6
        assert regions["requests"].right <= regions["profile"].x
        assert regions["profile"].bottom <= regions["draft"].y
        for _ in range(100):  # a narrow footer is composed again after the resize
            if "Help" in screen_lines(app)[-1]:
                break
            await pilot.pause(0.02)
        lines = screen_lines(app)
        assert "Anna Albers" in lines[3] and "Ben Brandt" in lines[4]  # names not cut
        assert "Decline" in lines[-1] and "Help" in lines[-1]
        assert re.search(r" 1[ :]New 3 ", lines[0]) and re.search(r" 7[ :]All ", lines[0])
        assert re.search(r" 8[ :]Snoozed ", lines[0])  # the filter keys fit too

        # Columns have gaps; the network is a tag that cannot pass for a time; every flag
        # keeps its own column, all six fit.
        requests = screen.query_one(RequestList)
        gap = " " if width < 110 else "  "
        carla = next(line for line in lines if "Carla Crespo" in line)
        assert f"3d{gap}MTCH0" in carla
        if width < 110:
            assert "LI " in carla and " in " not in carla and "XI " in lines[4]
        else:
            assert f"LinkedIn{gap} 3d" in carla
        assert flag_marks(["no_answer", "no_message", "no_mutual"]) == "M   0!"
        assert flag_marks(FLAG_LETTERS) == "MTCH0!" and set(FLAG_LETTERS) == set(FLAGS)
        assert Columns.for_width(requests.scrollable_content_region.width).flags == 6

        # The cursor's highlight spans the whole row, flags included, in readable colours.
        cursor = requests.get_component_rich_style("request-list--cursor")
        requests.action_last()  # Carla: flags on the cursor row
        strip = requests.render_line(1 + requests.cursor)
        assert strip.cell_length == requests.scrollable_content_region.width
        assert {segment.style.bgcolor for segment in strip if segment.style} == {cursor.bgcolor}
        assert {segment.style.color for segment in strip if segment.style} == {cursor.color}

        # Every pane's frame shows, the focused one in another colour than the others.
        background = screen.styles.background
        panes = {"requests": requests, "profile": screen.query_one("#profile")}
        frames = {
            n: pane.styles.border_top[1] for n, pane in {**panes, "draft": draft_pane(app)}.items()
        }
        for color in frames.values():
            assert abs(background.blend(color, color.a).brightness - background.brightness) > 0.1
        assert frames["requests"] != frames["profile"] == frames["draft"]


def test_people_fixture_is_what_the_tests_assume() -> None:
    assert [p["name"] for p in PEOPLE] == ["Anna Albers", "Ben Brandt", "Carla Crespo"]
    assert PEOPLE[1]["platform"] is Platform.XING
