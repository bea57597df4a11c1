"""A key that does nothing in the request's state says why (never nothing at all).

`a` and `s` on a request I sent with a message, `r` where nobody asked me, `t` and `e`
where there is nothing to write, any request key in an empty view or before the first
request: the footer does not offer them, and pressing one says why in a short toast,
in English and German. The palette's dimmed commands say the same when chosen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from tests.tui.conftest import go_to, listed, screen_lines, settle, toasts

SENT_WITH_MESSAGE, NO_REASON = "Lena Vogt", "Konstantin Weiß"

SAID: dict[str, dict[str, str]] = {
    "en": {
        "write": "Nothing to write: you sent this request with a message.",
        "send": "Nothing to send: you sent this request with a message.",
        "answer": "No answer to record: nobody asked you anything about this request.",
        "first run": "No requests yet: press i to import a file or n to add one.",
        "search": "No request matches the search: there is nothing to act on.",
    },
    "de": {
        "write": "Nichts zu schreiben: Sie haben diese Anfrage mit einer Nachricht gesendet.",
        "send": "Nichts zu senden: Sie haben diese Anfrage mit einer Nachricht gesendet.",
        "answer": "Keine Antwort festzuhalten: Niemand hat Sie zu dieser Anfrage etwas gefragt.",
        "first run": ("Noch keine Anfragen: i importiert eine Datei, n fügt eine von Hand hinzu."),
        "search": "Keine Anfrage passt zur Suche: Hier gibt es nichts zu tun.",
    },
}


async def said_after(pilot: Pilot[Any], app: NetInboxApp, key: str) -> list[str]:
    """The toasts pressing `key` added."""
    before = len(toasts(app))
    await pilot.press(key)
    await settle(pilot)
    return toasts(app)[before:]


async def test_keys_with_nothing_to_do_on_my_request_say_why(demo: Store, language: str) -> None:
    said = SAID[language]
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, app, "9", SENT_WITH_MESSAGE)
        shown = app.main.detail
        assert [*await said_after(pilot, app, "a")] == [said["write"]]
        assert [*await said_after(pilot, app, "s")] == [said["send"]]
        assert [*await said_after(pilot, app, "r")] == [said["answer"]]
        assert [*await said_after(pilot, app, "t")] == [said["write"]]
        assert [*await said_after(pilot, app, "e")] == [said["write"]]
        assert app.main.detail == shown  # nothing changed, the list keeps the focus
        assert app.focused is app.main.requests
        await go_to(pilot, app, "9", NO_REASON)
        assert [*await said_after(pilot, app, "r")] == [said["answer"]]


async def test_keys_that_work_say_no_refusal(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, app, "9", NO_REASON)
        await pilot.press("a")
        await settle(pilot)
        assert app.focused is app.main.draft  # `a` writes my reason: no refusal
        await pilot.press("escape", "j", "k")
        await settle(pilot)
        refusals = set(SAID["en"].values())
        assert not refusals & set(toasts(app)), toasts(app)


async def test_a_request_key_in_an_empty_search_says_there_is_none(
    demo: Store, language: str
) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "slash", *"zzqxw", "enter")
        await settle(pilot)
        assert listed(app) == []
        for key in "asydz":
            assert await said_after(pilot, app, key) == [SAID[language]["search"]], key


async def test_an_empty_view_says_it_is_empty(app: NetInboxApp, language: str) -> None:
    empty = {
        "en": "Overdue is empty: there is no request to act on.",
        "de": "Überfällig ist leer: Hier gibt es nichts zu tun.",
    }[language]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert listed(app) == []
        assert await said_after(pilot, app, "d") == [empty]


async def test_before_the_first_request_keys_say_how_to_start(store: Store, language: str) -> None:
    app = NetInboxApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert "a Ask" not in footer and "a Fragen" not in footer
        for key in ("a", "y", "u", "slash"):
            assert await said_after(pilot, app, key) == [SAID[language]["first run"]], key


@pytest.mark.slow
async def test_a_dimmed_palette_command_says_why(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "9", SENT_WITH_MESSAGE)
        await pilot.press("ctrl+p", *"mark as sent")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert toasts(app)[-1] == SAID["en"]["send"]
