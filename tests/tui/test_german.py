"""The app in German, as a German user sees it at 80×24 and 160×48: no English word of
the interface on any screen (main, help, palette, dialogs, import, add request, ask
queue), no header or label cut off, and the layout of the main screens kept in
snapshots (in both languages) so it cannot break unseen."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from netinbox.i18n import set_language
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from tests.conftest import copy_store

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
PO = (
    Path(__file__).resolve().parents[2]
    / "netinbox"
    / "locale"
    / "de"
    / "LC_MESSAGES"
    / "netinbox.po"
)

# Screens, by the keys that open them from the main screen's first row.
SCREENS: dict[str, tuple[str, ...]] = {
    "main": (),
    "help": ("question_mark",),
    "palette": ("ctrl+p",),
    "add request": ("n",),
    "import": ("i",),
    "ask": ("2", "a"),
    "ask queue": ("space", "down", "space", "A"),
    "answer": ("r",),
    "decline": ("d",),
    "snooze": ("z",),
    "search": ("slash", *"state:bogus"),
    "overdue": ("4",),
    "snoozed view": ("8",),
    "confirm decline all": ("space", "D"),
    "declined, then undone": ("d", "enter", "u"),
    "accept": ("y",),
    "sent by me": ("9",),
    "withdraw my request": ("9", "d"),
    "i owe an answer": ("0",),
    "page invitation": ("j", "j", "j"),
    "event invitation": ("7", "slash", *"type:event"),
    "statistics": ("S",),
    "statistics, 24 months, LinkedIn": ("S", "p", "n"),
}


def _english_phrases() -> tuple[list[str], list[str]]:
    """The interface's English, from the catalogue: phrases of two words or more (the
    text between placeholders), and single capitalised words, each only where German
    says it differently."""
    from babel.messages.pofile import read_po

    with open(PO, "rb") as handle:
        catalogue = read_po(handle)
    phrases: set[str] = set()
    words: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        german = " ".join(strings)
        for english in ids:
            for part in re.split(r"%\(\w+\)[sdr]|\{\w+\}|\$\w+|\n", english):
                part = part.strip(" .:;,()…?!—")
                if part in german:
                    continue
                if len(part.split()) >= 2 and len(part) >= 10:
                    phrases.add(part)
                elif re.fullmatch(r"[A-Z][a-z]{3,}", part):
                    words.add(part)
    return sorted(phrases), sorted(words)


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")


@pytest.fixture
def demo_store(tmp_path: Path, demo_template: Callable[..., Path]) -> Iterator[Store]:
    """The demo at NOW, in the language of the test (`german` comes first: the drafts
    follow it), a copy of the one built for the session."""
    path = copy_store(demo_template(NOW), tmp_path / "demo.db")
    store = Store(path, clock=lambda: NOW, lock=True)
    yield store
    store.close()


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause(0.05)


def _screen_text(app: NetInboxApp) -> str:
    lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines)


async def _show(app: NetInboxApp, size: tuple[int, int], keys: tuple[str, ...]) -> str:
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        await pilot.pause(0.3)  # the search's debounce, a toast's layout
        await _settle(pilot)
        return _screen_text(app)


_PHRASES: tuple[list[str], list[str]] | None = None


def _english() -> tuple[list[str], list[str]]:
    global _PHRASES
    if _PHRASES is None:
        _PHRASES = _english_phrases()
    return _PHRASES


@pytest.mark.parametrize(
    ("screen", "size"),
    [
        *((name, (80, 24)) for name in SCREENS),
        # the wide screen shows more (the headline column, the whole profile): slow, in CI
        *(pytest.param(name, (160, 48), marks=pytest.mark.slow) for name in SCREENS),
    ],
    ids=[*(f"{name}-80x24" for name in SCREENS), *(f"{name}-160x48" for name in SCREENS)],
)
async def test_no_english_on_any_screen(
    german: None, demo_store: Store, screen: str, size: tuple[int, int]
) -> None:
    phrases, words = _english()
    text = await _show(NetInboxApp(demo_store), size, SCREENS[screen])
    flat = " ".join(text.split())
    english = [p for p in phrases if p in flat]
    english += [w for w in words if re.search(rf"(?<![\w\[/-]){w}(?!\w)", text)]
    assert not english, f"English on the German {screen} at {size}: {english}\n{text}"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_german_headers_and_view_names_are_whole(
    german: None, demo_store: Store, size: tuple[int, int]
) -> None:
    from netinbox.query import View
    from netinbox.words import short_view_title, view_title

    for keys in ((), ("4",), ("8",)):
        lines = (await _show(NetInboxApp(demo_store), size, keys)).split("\n")
        header = lines[2]
        assert "…" not in header, header
        for word in ("Name", "Warn"):
            assert word in header
        bar = lines[0]
        for number, view in enumerate(View, start=1):
            names = (view_title(view), short_view_title(view), short_view_title(view, tiny=True))
            assert any(name in bar for name in names), (view, bar)
            assert f"{number % 10}" in bar, (view, bar)


async def test_the_help_in_german_shows_every_line_whole(german: None, demo_store: Store) -> None:
    from netinbox.i18n import _
    from netinbox.tui.screens.help import SEARCH_TERMS, STATUS_TEXT
    from netinbox.words import flag_reason

    shown = set((await _show(NetInboxApp(demo_store), (160, 48), ("question_mark",))).split())
    # the rest of the legend, scrolled to its end
    shown |= set(
        (await _show(NetInboxApp(demo_store), (160, 48), ("question_mark", "end"))).split()
    )
    # every word of every meaning on screen (a long one wraps; none is cut off)
    meanings = [*STATUS_TEXT.values(), *(words for _term, words in SEARCH_TERMS)]
    for meaning in [*(_(m) for m in meanings), flag_reason("no_message")]:
        missing = set(meaning.split()) - shown
        assert not missing, (meaning, missing)


async def test_the_help_at_80_columns_wraps_a_long_meaning_under_itself(
    german: None, demo_store: Store
) -> None:
    """At 80 columns the legend sits below the keys: a German meaning longer than the
    line wraps, indented under its own column, and is never cut off."""
    from netinbox.i18n import _
    from netinbox.tui.screens.help import SEARCH_TERMS

    screen = await _show(NetInboxApp(demo_store), (80, 24), ("question_mark", "end"))
    lines = screen.split("\n")
    term, words = SEARCH_TERMS[-1]  # any words: names, job titles … (the last, on screen)
    first = next(n for n, line in enumerate(lines) if _(term) in line)
    meaning = _(words)
    column = lines[first].index(meaning.split()[0])
    assert meaning.split()[-1] in lines[first + 1]  # the end of the meaning, wrapped
    assert lines[first + 1][:column].strip(" │") == ""  # under its column, not the key's
    assert " ".join(" ".join(lines[first : first + 2]).replace("│", " ").split()).endswith(
        meaning
    )


def test_snapshot_main_german_80x24(german: None, demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(80, 24), run_before=_calm)


def test_snapshot_main_german_160x48(german: None, demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(160, 48), run_before=_calm)


def test_snapshot_help_german(german: None, demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(
        NetInboxApp(demo_store), terminal_size=(160, 48), press=["question_mark"], run_before=_calm
    )


def test_snapshot_main_english_80x24(demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(80, 24), run_before=_calm)


def test_snapshot_main_english_160x48(demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(160, 48), run_before=_calm)


async def _statistics(pilot: Pilot[Any]) -> None:
    """The statistics screen (S), read and drawn."""
    await _calm(pilot)
    await pilot.press("S")
    await _settle(pilot)
    await pilot.pause(0.3)  # the charts are drawn again once laid out
    await _settle(pilot)


@pytest.mark.slow  # its charts are drawn again once laid out: under load, not yet at times
def test_snapshot_statistics_german_80x24(
    german: None, demo_store: Store, snap_compare: Any
) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(80, 24), run_before=_statistics)


@pytest.mark.slow  # as above
def test_snapshot_statistics_english_80x24(demo_store: Store, snap_compare: Any) -> None:
    assert snap_compare(NetInboxApp(demo_store), terminal_size=(80, 24), run_before=_statistics)


async def _calm(pilot: Pilot[Any]) -> None:
    """Fixed frames: the first profile and draft shown, no blinking cursor."""
    app = pilot.app
    app.animation_level = "none"
    await _settle(pilot)
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await _settle(pilot)


async def test_the_snooze_choices_keep_their_dates_apart(german: None, demo_store: Store) -> None:
    """German choices are longer ("In einer Woche"): each still has its date after a gap."""
    screen = await _show(NetInboxApp(demo_store), (80, 24), ("z",))
    for label in ("Morgen", "In 3 Tagen", "In einer Woche", "In einem Monat"):
        assert re.search(rf"{label}  +\w\w \d\d\.\d\d\.\d{{4}}", screen), (label, screen)


async def test_the_draft_says_where_it_stands_in_german(german: None, demo_store: Store) -> None:
    app = NetInboxApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        for key in ("2", "a", "x"):  # a follow-up to ask why, and a word typed into it
            await pilot.press(key)
            await _settle(pilot)
        draft = app.screen.query_one(DraftEditor)
        assert str(draft.border_subtitle).startswith("in Arbeit")
        await pilot.pause(1.0)  # saved at a pause in typing
        await _settle(pilot)
        assert str(draft.border_subtitle) == "gespeichert · esc, dann s: senden"


async def test_the_search_box_says_its_keys_in_german(german: None, demo_store: Store) -> None:
    app = NetInboxApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        for key in ("slash", "m", "a"):
            await pilot.press(key)
        await _settle(pilot)
        assert "Suche: ma" in _screen_text(app)
        assert "enter übernehmen · esc leeren" in _screen_text(app)
        await pilot.press("enter")
        await _settle(pilot)
        assert "/ bearbeiten · esc leeren" in _screen_text(app)
