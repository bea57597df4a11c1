"""Every word the main screen says about a request fits its direction (issue #14).

On a request the user sent, the keys are named for what they do there (`a` writes the
reason or the answer, `y` records that they accepted, `d` withdraws), keys that do nothing
there are not offered, the empty draft says what `a` will write, and the profile says
"sent by you" once; the same in German. The keys' words follow the cursor from a received
request to a sent one and back. At 80 columns, I owe an answer gives names the room New
gives them."""

from __future__ import annotations

from typing import Any

import pytest

from netinbox.query import View
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.request_list import RequestList
from tests.tui.conftest import calm, go_to, profile_text, screen_lines, settle, toasts

# The demo's requests of mine, as view 9 lists them: Lena Vogt wrote a message with her
# request; Johanna Reiter (XING, no message) asked me why; Konstantin Weiß got none.
SENT_WITH_MESSAGE, OWED, NO_REASON = "Lena Vogt", "Johanna Reiter", "Konstantin Weiß"

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "received": ("a Ask", "s Send", "r Answer", "y Accept", "d Decline"),
        "reason": ("a Reason", "s Send", "y Accepted", "d Withdraw"),
        "owed": ("a Answer", "s Send", "y Accepted", "d Withdraw"),
        "sent": ("y Accepted", "d Withdraw", "z Snooze"),
        "not on mine": (" r ", "Decline", "Accept "),
        "draft reason": "Press a in the list to write your reason.",
        "draft answer": "Press a in the list to write your answer.",
        "draft sent": "Nothing to write: you sent this request with a message.",
        "profile reason": "Pending · LinkedIn · sent by you on ",
        "profile owed": "Pending · XING · sent by you on ",
    },
    "de": {
        "received": ("a Fragen", "s Senden", "r Antwort", "y Ja", "d Nein"),
        # "they accepted": connected, not a bare "yes" (the 80 columns' word for accept)
        "reason": ("a Grund", "s Senden", "y Vernetzt", "d Rückzug"),
        "owed": ("a Antwort", "s Senden", "y Vernetzt", "d Rückzug"),
        "sent": ("y Vernetzt", "d Rückzug", "z Später"),
        "not on mine": (" r ", "Nein", "Fragen", "y Ja "),
        "draft reason": "um Ihren Grund zu schreiben.",
        "draft answer": "um Ihre Antwort zu schreiben.",
        "draft sent": "Nichts zu schreiben: Sie haben diese Anfrage mit einer Nachricht",
        "profile reason": "Offen · LinkedIn · von Ihnen gesendet am ",
        "profile owed": "Offen · XING · von Ihnen gesendet am ",
    },
}


def footer(app: NetInboxApp) -> str:
    return screen_lines(app)[-1]


def screen(app: NetInboxApp) -> str:
    """The screen's text, each line's words joined (a wrapped sentence reads whole)."""
    return " ".join(" ".join(screen_lines(app)).replace("│", " ").split())


@pytest.mark.parametrize(
    ("name", "role"), [(NO_REASON, "reason"), (OWED, "owed"), (SENT_WITH_MESSAGE, "sent")]
)
async def test_the_footer_and_the_empty_draft_say_what_the_keys_do_on_my_request(
    demo: Store, language: str, name: str, role: str
) -> None:
    words = WORDS[language]
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, app, "9", name)
        line = footer(app)
        for said in words[role]:
            assert said in line, (said, line)
        for unsaid in words["not on mine"]:
            assert unsaid not in line, (unsaid, line)
        draft = {"reason": "draft reason", "owed": "draft answer", "sent": "draft sent"}[role]
        assert words[draft] in screen(app)  # the plain draft pane of the first screen
        calm(app)  # the editor in its place: its placeholder says the same
        await settle(pilot)
        assert words[draft] in screen(app)


async def test_the_profile_says_once_that_i_sent_it(demo: Store, language: str) -> None:
    words = WORDS[language]
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "9", NO_REASON)
        text = profile_text(app)
        assert words["profile reason"] in text
        assert text.lower().count("sent by you") + text.lower().count("von ihnen gesendet") == 1
        assert "received" not in text and "erhalten" not in text
        await go_to(pilot, app, "0", OWED)
        assert words["profile owed"] in profile_text(app)


async def test_the_keys_words_follow_the_cursor_across_directions(
    demo: Store, language: str
) -> None:
    """All mixes requests received and sent: each row's footer names its own keys."""
    words = WORDS[language]
    app = NetInboxApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        seen = set()
        for _ in range(17):  # the demo's first rows in All: received, sent, owed
            detail = app.main.detail
            assert detail is not None
            mine = detail.request.direction.value == "outgoing"
            owed = detail.request.owed_at is not None
            role = ("owed" if owed else "reason" if "no_message" in detail.request.flags
                    else "sent") if mine else "received"  # fmt: skip
            line = footer(app)
            assert all(said in line for said in words[role]), (detail.person.name, role, line)
            seen.add(role)
            await pilot.press("down")
            await settle(pilot)
        assert {"received", "owed", "sent"} <= seen


@pytest.mark.slow
async def test_the_palette_and_help_name_withdraw_on_my_request(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "9", NO_REASON)
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = screen(app)
        assert "d Withdraw" in help_text and "a Reason" in help_text
        assert "Decline" not in help_text.split("Red flags")[0]
        await pilot.press("escape", "ctrl+p", *"withdraw")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "Withdraw my request" in screen(app)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_i_owe_an_answer_gives_names_the_room_new_gives_them(
    demo: Store, language: str, size: tuple[int, int]
) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        requests = app.main.query_one(RequestList)
        width = requests.scrollable_content_region.width
        new = requests._columns(width).name
        await pilot.press("0")
        await settle(pilot)
        assert app.main.view is View.OWED
        assert requests._columns(width).name >= new
        rows = [line for line in screen_lines(app) if "→ " in line]
        assert rows and all("…" not in row.split("→ ", 1)[1][:20] for row in rows), rows
        assert f"→ {OWED} " in rows[0]
        header = screen_lines(app)[2]
        assert "…" not in header, header


async def test_a_on_a_question_i_owe_drafts_my_answer_not_my_forgotten_reason(
    demo: Store,
) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "0", OWED)
        await pilot.press("a")
        await settle(pilot)
        text = app.main.draft.text
        # Johanna wrote in German on XING: the German answer, my reason where the … was
        assert text.startswith("Guten Tag Johanna Reiter,") and "vielen Dank für Ihre Nachfrage" in text
        assert "ohne Nachricht" not in text and "Kontaktanfrage auf" not in text
        assert "meine Antwort" in str(app.main.draft.border_title)


async def test_declining_marked_requests_of_mine_says_withdraw(demo: Store) -> None:
    """D on marked requests I sent withdraws them, and says so; mixed with received
    ones, it says which is which."""
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("space", "space", "D")
        await settle(pilot)
        assert app.screen.question.plain.startswith("Withdraw 2 marked requests of yours?")
        await pilot.press("n", "7", "g")
        await settle(pilot)
        received = app.main.detail
        assert received is not None and received.request.direction.value == "incoming"
        await pilot.press("space", *["down"] * 7)  # Jördis, received; Lena, mine
        await settle(pilot)
        assert app.main.detail is not None and app.main.detail.request.id == demo.rows(
            app.main.query_, 8, 1
        )[0].id
        await pilot.press("space", "D")
        await settle(pilot)
        said = " ".join(app.screen.question.plain.split())  # the confirmation's question
        assert said.startswith(
            "Decline or withdraw 2 marked requests? 1 of them you sent: it is withdrawn."
        )
        assert "Lena Vogt" in said and "Jördis Übermuth" in said
        await pilot.press("y")
        await settle(pilot)
        assert "Declined 1 request and withdrew 1 of yours." in toasts(app)[-1]


async def test_undoing_their_acceptance_of_my_request_says_it_in_my_terms(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "9", SENT_WITH_MESSAGE)
        await pilot.press("y", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert toasts(app)[-1] == f"Undid: recorded that {SENT_WITH_MESSAGE} accepted your request"


async def test_s_on_my_empty_draft_says_what_to_write(demo: Store) -> None:
    app = NetInboxApp(demo)
    async with app.run_test(size=(160, 48)) as pilot:
        await go_to(pilot, app, "0", OWED)
        await pilot.press("s")
        await settle(pilot)
        assert toasts(app)[-1] == "The draft is empty: press a to write your answer first."
        await go_to(pilot, app, "9", NO_REASON)
        await pilot.press("s")
        await settle(pilot)
        assert toasts(app)[-1] == "The draft is empty: press a to write your reason first."
