"""Fixtures for driving the real app headless: a store with people in it, and the app on it."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from netinbox import clipboard, readers
from netinbox.config import Config
from netinbox.i18n import set_language
from netinbox.models import ContactsVisible, Platform
from netinbox.readers import Readers
from netinbox.store import Store
from netinbox.tui import copying
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.draft_slot import DraftSlot
from netinbox.tui.widgets.profile import ProfilePane
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import Clock, copy_store

# Three people, newest first in the list: Anna (LinkedIn, a message), Ben (XING, none),
# Carla (LinkedIn, none, placeholders and no mutual contacts).
PEOPLE: tuple[dict[str, Any], ...] = (
    {
        "name": "Anna Albers",
        "days_ago": 1,
        "headline": "Data Engineer",
        "company": "Acme",
        "message": "We met at PyCon, let's stay in touch!",
        "profile_url": "https://www.linkedin.com/in/anna-albers",
    },
    {
        "name": "Ben Brandt",
        "days_ago": 2,
        "platform": Platform.XING,
        "headline": "Vertrieb",
        "company": "Brandt GmbH",
        "profile_url": "https://www.xing.com/profile/Ben_Brandt",
    },
    {
        "name": "Carla Crespo",
        "days_ago": 3,
        "headline": "tba",
        "company": "-",
        "mutual_contacts": 0,
        "contacts_visible": ContactsVisible.NO,
    },
)


@pytest.fixture(autouse=True)
def _quiet_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    """No animations: a scroll or a toast is where it ends at once. Textual reads
    TEXTUAL_ANIMATIONS when it is imported (long before a test), and an app takes the
    level from that constant when it is made: both are set (the variable for children)."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _no_clipboard_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's own clipboard stays theirs: no wl-copy, xclip, pbcopy or tmux buffer
    (a test that wants one puts a stand-in on PATH and sets DISPLAY)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX", "WSL_DISTRO_NAME"):
        monkeypatch.delenv(name, raising=False)
    commands = functools.partial(clipboard.clipboard_commands, platform="linux")
    monkeypatch.setattr(copying, "clipboard_commands", commands)  # no pbcopy either


@pytest.fixture(params=["en", "de"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test taking it runs in English and in German."""
    set_language(request.param)
    yield request.param
    set_language("en")


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path, clock: Clock) -> Iterator[Store]:
    """A copy of the demo store built once for the session, on the test's clock."""
    with Store(copy_store(demo_file, tmp_path / "demo.db"), config=Config(), clock=clock) as opened:
        yield opened


@pytest.fixture
def people(add: Callable[..., int]) -> dict[str, int]:
    """The three PEOPLE in the store; first name → request id."""
    return {p["name"].split()[0]: add(**p) for p in PEOPLE}


@pytest.fixture
def app(store: Store, people: dict[str, int]) -> NetInboxApp:
    return NetInboxApp(store)


#: The size dialogs are tried at on their `Host`.
DIALOG_SIZE = (120, 40)


class Host(App[None]):
    """An empty app that pushes one dialog and keeps what it was dismissed with."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


async def import_path(app: Host, pilot: Any, path: str) -> None:
    """Type `path` into the import dialog on `app`, press enter, wait for the import."""
    dialog = app.dialog
    dialog.query_one("#path", Input).value = path
    await pilot.press("enter")
    try:
        await app.workers.wait_for_complete()
    except WorkerFailed:
        pass  # a file refused: the dialog says why (what the test reads)
    await pilot.pause()


def calm(app: NetInboxApp) -> None:
    """No blinking cursor: screens are deterministic. (`draft` puts the editor in place if
    the first request's profile has not come yet.)"""
    app.main.draft.cursor_blink = False


def listed(app: NetInboxApp) -> list[str]:
    """The names in the request list, in order (all of them, page by page)."""
    requests = app.main.query_one(RequestList)
    return [requests.row(i).name for i in range(requests.row_count)]  # type: ignore[union-attr]


def draft_pane(app: NetInboxApp) -> DraftEditor | DraftSlot:
    """The draft pane: its editor, or before the draft's first use its slot (the same
    text and placeholder, drawn plainly)."""
    main = app.main
    if main.query("#draft"):
        return main.query_one("#draft", DraftEditor)
    return main.query_one("#draft-slot", DraftSlot)


def draft_text(app: NetInboxApp) -> str:
    """What the draft pane shows (its text; the placeholder when empty)."""
    return draft_pane(app).text


def profile_text(app: NetInboxApp) -> str:
    return app.main.query_one(ProfilePane).content.plain


def plain_text(static: Static) -> str:
    """What a Static shows, without styles."""
    visual = static.visual
    assert isinstance(visual, Content)
    return visual.plain


def toasts(app: NetInboxApp) -> list[str]:
    return [n.message for n in app._notifications]


def screen_lines(app: NetInboxApp) -> list[str]:
    """The text of every line on the screen as the terminal would get it."""
    return ["".join(segment.text for segment in strip) for strip in screen_strips(app)]


def screen_strips(app: NetInboxApp) -> Iterable[Strip]:
    return app.screen._compositor.render_strips()


_ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and messages drain. A read made obsolete by the next key is
    cancelled on purpose; waiting goes on for the rest."""
    for _ in range(50):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        # What the pause ran may have started a worker (the counts' read, begun after the
        # first frame; a far page asked for by a paint): wait for it too, not for a guess.
        if not any(worker.state in _ACTIVE for worker in pilot.app.workers):
            return
    await pilot.pause()


async def go_to(pilot: Pilot[Any], app: NetInboxApp, view: str, name: str) -> None:
    """Show view `view` (its key) with `name`'s request highlighted (moving down to it)."""
    await pilot.press(view)
    await settle(pilot)
    for _ in range(len(listed(app))):
        if app.main.detail is not None and app.main.detail.person.name == name:
            return
        await pilot.press("down")
        await settle(pilot)
    raise AssertionError(f"{name} not in view {view}: {listed(app)}")


async def profile_shown(pilot: Pilot[Any]) -> None:
    """Wait for the first request's profile and draft: they follow the list one frame
    later (a user cannot click into the draft sooner; a pilot can)."""
    for _ in range(200):
        if pilot.app.main.detail is not None:
            await pilot.pause()  # and its layout
            return
        await pilot.pause(0.01)
    raise AssertionError("the first request was never shown")


# --- slow reads: a gate that holds every worker's query ------------------------------------


class Gate:
    """Holds every worker query while closed; counts the queries the app stopped."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.open.set()
        self.held = 0  # queries that waited at the gate
        self.stopped = 0  # of those, the ones the app interrupted
        self._interrupted: set[int] = set()

    def handler(self, conn: sqlite3.Connection):
        def hold() -> int:
            if self.open.is_set():
                return 0
            self.held += 1
            while not self.open.wait(0.005):
                if id(conn) in self._interrupted:
                    self._interrupted.discard(id(conn))
                    self.stopped += 1
                    return 1  # abort: what `interrupt()` does to a running query
            return 0

        return hold

    def interrupted(self, conn: sqlite3.Connection) -> None:
        self._interrupted.add(id(conn))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    make_reader = Store.reader
    interrupt = Readers.interrupt

    def slow_reader(self: Store) -> Store:
        reader = make_reader(self)
        reader.conn.set_progress_handler(gate.handler(reader.conn), 1)
        return reader

    def held_or_stopped(stop: threading.Event, conn: sqlite3.Connection):
        hold = gate.handler(conn)  # a loan's own stop flag, then the gate
        return lambda: 1 if stop.is_set() else hold()

    def interrupt_and_tell(self: Readers, tag: str) -> None:
        for busy_tag, reader, _ in list(self._busy.values()):
            if busy_tag == tag:
                gate.interrupted(reader.conn)
        interrupt(self, tag)

    monkeypatch.setattr(Store, "reader", slow_reader)
    monkeypatch.setattr(readers, "_stop_check", held_or_stopped)
    monkeypatch.setattr(readers, "_CHECK_EVERY", 1)
    monkeypatch.setattr(Readers, "interrupt", interrupt_and_tell)
    yield gate
    gate.open.set()


async def wait_held(gate: Gate, count: int) -> None:
    """Until the app's worker holds `count` reads; the event loop runs meanwhile, since it
    is the loop that starts workers (a blocking sleep here failed under load)."""
    deadline = time.monotonic() + 20
    while gate.held < count:
        if time.monotonic() > deadline:
            raise AssertionError("the app never started the read")
        await asyncio.sleep(0.005)
