"""The sender's side in the app: my own requests (9), answers I owe (0), invitation types.

A request the user sent reads as sent everywhere and is never asked why; a page or
newsletter invitation is never flagged for having no message."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from netinbox.config import Config
from netinbox.models import Direction, InvitationKind, Platform, Status
from netinbox.query import View
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.dialogs import AnswerDialog, DecisionDialog
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import T0, Clock
from tests.tui.conftest import calm, listed, profile_text, screen_lines, settle, toasts

OUT = Direction.OUTGOING
SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def mine(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    """Two requests of mine (one without a message, one asked about), one received, a
    page and a newsletter invitation."""
    config = Config(my_name="Mira Testfeld", timezone="Europe/Berlin")
    with Store(tmp_path / "m.db", config=config, clock=clock) as store:
        yield store


def fill(store: Store, rec: Callable[..., object]) -> dict[str, int]:
    ids = {
        "Jonas": store.add_request(
            rec("Jonas Weber", direction=OUT, days_ago=20, headline="CTO", company="Datenwerk")
        ),
        "Petra": store.add_request(
            rec("Petra Klein", direction=OUT, days_ago=2, message="We met at the Barcamp.")
        ),
        "Max": store.add_request(rec("Max Muster", days_ago=1)),
        "Acme": store.add_request(rec("Acme GmbH", days_ago=3, kind=InvitationKind.PAGE)),
        "Weekly": store.add_request(
            rec("Data Weekly", days_ago=4, kind=InvitationKind.NEWSLETTER, headline="On data")
        ),
    }
    store.owe_answer(
        ids["Petra"], "Hi Mira, which Barcamp was that?", T0 - timedelta(days=1), sender="Petra"
    )
    return ids


def row_text(app: NetInboxApp, name: str) -> str:
    requests = app.main.query_one(RequestList)
    width = requests.scrollable_content_region.width
    for y in range(1, requests.row_count + 1):
        text = "".join(s.text for s in requests.render_line(y))
        if name in text:
            return text
    raise AssertionError(f"{name} not in the list ({width} wide)")


@pytest.mark.parametrize("size", SIZES)
async def test_sent_by_me_shows_my_pending_requests_as_sent(
    mine: Store, rec: Callable[..., object], size: tuple[int, int]
) -> None:
    fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=size) as pilot:
        calm(app)
        await settle(pilot)
        bar = screen_lines(app)[0]
        assert ("9:Sent" in bar and "0:Owe 1" in bar) if size[0] == 80 else "9 Sent by me 2" in bar
        await pilot.press("9")
        await settle(pilot)
        assert app.main.view is View.SENT and listed(app) == ["Petra Klein", "Jonas Weber"]
        header = "".join(s.text for s in app.main.query_one(RequestList).render_line(0))
        assert "Age" in header
        jonas = row_text(app, "Jonas Weber")
        assert "→ Jonas Weber" in jonas and "2w" in jonas and "M" in jonas[-8:]
        await pilot.press("j")
        await settle(pilot)
        text = profile_text(app)
        assert "Pending · LinkedIn · sent by you on 2026-01-13" in text
        assert "received" not in text and "the sender gave no reason" not in text
        assert "No personal message: you gave no reason." in text
        assert "You gave no reason: follow up with the reason you forgot. (press a)" in text
        assert "ask why" not in text.lower()


async def test_a_follows_up_on_my_request_with_my_reason_never_a_question(
    mine: Store, rec: Callable[..., object]
) -> None:
    ids = fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        calm(app)
        await pilot.press("9", "j")
        await settle(pilot)
        await pilot.press("a")
        draft = app.main.query_one(DraftEditor)
        assert draft.text.startswith("Hello Jonas,")
        assert "without saying why" in draft.text and "thank you for your contact" not in draft.text
        assert "my reason" in str(draft.border_title)
        # the "…" is selected: typing gives the reason in its place
        await pilot.press(*"we both build data platforms.", "escape", "s")
        await settle(pilot)
        assert "connect because we both build data platforms." in app.clipboard
        detail = mine.get(ids["Jonas"])
        assert detail.request.status is Status.NEW and detail.request.due_at is None
        assert detail.follow_up is not None and "data platforms" in detail.follow_up.body
        assert "your request stays pending" in toasts(app)[-1]
        assert listed(app) == ["Petra Klein", "Jonas Weber"]  # still waiting for a yes
        assert "You sent your reason: wait for them to accept." in profile_text(app)
        assert mine.counts()[View.AWAITING] == 0  # nobody owes me an answer by a deadline


async def test_ask_all_marked_never_asks_my_own_requests(
    mine: Store, rec: Callable[..., object]
) -> None:
    fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("9", "space", "space", "A")
        await settle(pilot)
        assert "sent by you" in toasts(app)[-1]


@pytest.mark.parametrize("size", SIZES)
async def test_an_owed_answer_has_its_view_with_the_question_until_i_record_mine(
    mine: Store, rec: Callable[..., object], clock: Clock, size: tuple[int, int]
) -> None:
    ids = fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=size) as pilot:
        calm(app)
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert app.main.view is View.OWED and listed(app) == ["Petra Klein"]
        assert "Asked" in "".join(s.text for s in app.main.query_one(RequestList).render_line(0))
        # how long ago I was asked ("1d" where the list is narrow, in the age's place)
        assert ("1d ago" if size[0] >= 160 else "  1d") in row_text(app, "Petra Klein")
        if size[0] >= 160:  # the question in the headline's place
            assert "“Hi Mira, which" in row_text(app, "Petra Klein")
        text = profile_text(app)
        assert "You owe an answer" in text and "which Barcamp was that?" in text
        assert "They asked you something: answer them, then record it. (press a)" in text
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, AnswerDialog)
        assert "What did you answer Petra Klein?" in "\n".join(screen_lines(app))
        await pilot.press(*"The Barcamp in Kassel, in May.", "ctrl+s")
        await settle(pilot)
        assert listed(app) == [] and "Your answer to Petra Klein recorded." in toasts(app)
        assert mine.counts()[View.OWED] == 0
        events = mine.get(ids["Petra"]).events
        assert events[-1].kind == "replied" and "Kassel" in events[-1].data["answer"]
        await pilot.press("u")
        await settle(pilot)
        assert listed(app) == ["Petra Klein"]


async def test_r_on_my_request_nobody_asked_about_is_no_key_there(
    mine: Store, rec: Callable[..., object]
) -> None:
    """Nobody asked me anything about Jonas's request: `r` is not offered, and only says
    why."""
    fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("9", "j")
        await settle(pilot)
        assert app.main.detail is not None and app.main.detail.person.name == "Jonas Weber"
        assert " r " not in screen_lines(app)[-1]
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, AnswerDialog)
        assert toasts(app) == ["No answer to record: nobody asked you anything about this request."]


async def test_withdrawing_my_request_says_withdraw(
    mine: Store, rec: Callable[..., object]
) -> None:
    ids = fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("9", "j", "d")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        screen = "\n".join(screen_lines(app))
        assert "Withdraw your request to Jonas Weber?" in screen
        assert "Withdraw it on LinkedIn yourself." in screen
        assert "Accept or decline" not in screen  # nothing to accept or decline: it is mine
        await pilot.press("enter")
        await settle(pilot)
        assert mine.get(ids["Jonas"]).request.status is Status.WITHDRAWN
        assert toasts(app)[-1].startswith("Withdrawn: your request to Jonas Weber.")


async def test_page_and_newsletter_invitations_are_shown_filtered_and_never_flagged(
    mine: Store, rec: Callable[..., object]
) -> None:
    fill(mine, rec)
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        calm(app)
        await settle(pilot)
        assert "Page" in row_text(app, "Acme GmbH")
        assert "Newsletter: On data" in row_text(app, "Data Weekly")
        assert not row_text(app, "Acme GmbH")[-8:].strip()  # no flags, though no message
        await pilot.press("2")
        await settle(pilot)
        assert listed(app) == ["Max Muster"]  # nobody to ask on a page
        await pilot.press("7", "slash", *"type:newsletter")
        await pilot.pause(0.5)
        await settle(pilot)
        assert listed(app) == ["Data Weekly"]
        text = profile_text(app)
        assert "An invitation to subscribe to a newsletter" in text
        assert "Red flags\nNone." in text
        assert "nobody to ask" in text


async def test_the_platform_of_a_page_is_kept(mine: Store, rec: Callable[..., object]) -> None:
    page = mine.add_request(rec("Acme", kind=InvitationKind.PAGE, platform=Platform.LINKEDIN))
    assert mine.get(page).request.kind is InvitationKind.PAGE


async def test_my_request_with_no_answer_for_long_says_so(
    mine: Store, rec: Callable[..., object]
) -> None:
    """A request I sent 40 days ago, still pending: the profile says nobody answered."""
    with mine.write():
        _outcome, old = mine.upsert_request(
            rec(
                "Quiet Quentin",
                direction=Direction.OUTGOING,
                received_at=mine.now() - timedelta(days=40),
            )
        )
    app = NetInboxApp(mine)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("9")
        await settle(pilot)
        assert app.main.detail is not None and app.main.detail.request.id == old
        assert "No answer for 5w · LinkedIn · sent by you on 2025-12-24" in profile_text(app)
