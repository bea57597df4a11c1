"""The review loop through the real app: ask, send, wait, decide, undo; answers; bulk steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import Static, TextArea

from netinbox.importing import ImportSummary
from netinbox.models import Platform, RequestRecord, SkippedRecord
from netinbox.query import View
from netinbox.store import Store
from netinbox.tui.actions import BY_ID
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.ask_queue import AskQueueDialog
from netinbox.tui.screens.dialogs import (
    AddRequestDialog,
    AnswerDialog,
    ConfirmDialog,
    DecisionDialog,
)
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList
from tests.conftest import T0, Clock
from tests.tui.conftest import calm, listed, plain_text, profile_text, settle, toasts


async def test_ask_send_overdue_decline_undo(
    app: NetInboxApp, store: Store, clock: Clock, people: dict[str, int]
) -> None:
    ben = people["Ben"]
    async with app.run_test(size=(120, 40)) as pilot:
        calm(app)
        await pilot.press("j", "a")  # Ben wrote no message: ask him why
        draft = app.main.query_one(DraftEditor)
        # a XING request with a German headline: the German template first
        assert app.focused is draft and draft.text.startswith("Guten Tag Ben Brandt,")
        assert "XING" in draft.text and "Deutsch (Sie)" in str(draft.border_title)
        assert str(draft.border_subtitle).endswith("esc, then s: send")  # how to send it
        await pilot.press(*" Hi", "escape")
        assert isinstance(app.focused, RequestList)
        typed = draft.text
        # no name is known to sign with: no dangling "Mit freundlichen Grüßen", and the
        # user is told
        assert typed.endswith("weshalb Sie sich mit mir vernetzen möchten? Hi")
        assert any(t.startswith("Not signed: no name is known.") for t in toasts(app))
        await pilot.press("s")
        await pilot.pause()
        detail = store.get(ben)
        assert detail.request.status == "asked"
        assert detail.follow_up is not None and detail.follow_up.due_at == T0 + timedelta(days=7)
        assert app.clipboard == typed == detail.follow_up.body
        assert app.main.query_one(RequestList).current_id == people["Carla"]  # on to the next
        assert toasts(app)[-1].endswith(". Follow-up recorded as sent; answer due Mon 2026-02-09.")

        clock.advance(days=8)
        await pilot.press("4")  # Overdue
        assert listed(app) == ["Ben Brandt"]
        assert "overdue by 1 day" in profile_text(app)
        assert "No answer by the deadline: decline." in profile_text(app)

        await pilot.press("d")
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("enter")  # no note
        await pilot.pause()
        assert store.get(ben).request.status == "declined"
        assert listed(app) == []
        assert "Decline the request on XING yourself" in toasts(app)[-1]

        await pilot.press("u")
        assert store.get(ben).request.status == "asked"
        assert toasts(app)[-1] == "Undid: declined Ben Brandt"
        assert listed(app) == ["Ben Brandt"]
        assert app.main.query_one(RequestList).current_id == ben

        # The draft says it was sent; sending the same text again is refused.
        assert str(draft.border_subtitle) == "sent Mon 2026-02-02"
        await pilot.press("s")
        assert toasts(app)[-1].startswith("You sent this on Mon 2026-02-02;")
        assert store.get(ben).follow_up.sent_at == T0  # type: ignore[union-attr]


async def test_answer_then_accept(app: NetInboxApp, store: Store, people: dict[str, int]) -> None:
    carla = people["Carla"]
    store.mark_sent(carla, "Why?")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")  # Awaiting answer
        assert listed(app) == ["Carla Crespo"]
        await pilot.press("r")
        assert isinstance(app.screen, AnswerDialog)
        app.screen.query_one(TextArea).insert("Same team")  # pasted
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.get(carla).request.status == "answered"
        await pilot.press("5")
        assert "Same team" in profile_text(app)
        assert "They answered: read it and decide." in profile_text(app)
        await pilot.press("y", "enter")
        await pilot.pause()
        assert store.get(carla).request.status == "accepted"
        assert "Accept the request on LinkedIn yourself" in toasts(app)[-1]


async def test_a_decision_moves_on_to_the_next_request(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7", "d")  # All: Anna stays in the list once declined
        await pilot.press(*"spam", "enter")
        await pilot.pause()
        assert store.get(people["Anna"]).request.decision_note == "spam"
        assert app.main.query_one(RequestList).current_id == people["Ben"]
        await pilot.press("k")
        assert "Decision note: spam" in profile_text(app)
        await pilot.press("d", "escape")  # cancelled: nothing happens
        assert store.get(people["Anna"]).request.status == "declined"


async def test_bulk_decline_and_undo_all_at_once(
    app: NetInboxApp, store: Store, people: dict[str, int], add: Any
) -> None:
    add("Dora Dietz", days_ago=4)
    marked = {people["Anna"], people["Ben"]}
    async with app.run_test(size=(120, 40)) as pilot:
        requests = app.main.query_one(RequestList)
        await pilot.press("space", "space")
        assert requests.marked == marked and requests.current_id == people["Carla"]
        assert "2 marked" in str(requests.border_subtitle)
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmDialog)  # it names whom it declines
        assert app.screen.question.plain == "Decline 2 marked requests?\n\nAnna Albers\nBen Brandt"
        await pilot.press("y")
        await pilot.pause()
        assert {store.get(i).request.status for i in marked} == {"declined"}
        assert listed(app) == ["Carla Crespo", "Dora Dietz"] and not requests.marked
        # Carla was not marked: the cursor stays on her, nothing is skipped
        assert requests.current_id == people["Carla"]
        await pilot.press("u")
        assert {store.get(i).request.status for i in marked} == {"new"}
        assert toasts(app)[-1] == "Undid: declined 2 requests"
        assert len(listed(app)) == 4


async def test_bulk_ask_is_a_queue_each_sent_when_the_user_says_so(
    app: NetInboxApp, store: Store, clock: Clock, people: dict[str, int]
) -> None:
    ben, carla = people["Ben"], people["Carla"]
    store.save_draft(carla, "Carla, why? Mira", "")  # what she wrote is what is sent
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "space", "space", "A")
        queue = app.screen
        assert isinstance(queue, AskQueueDialog)
        assert "1 of 2" in str(queue.query_one("#dialog").border_title)
        assert "Ben Brandt" in plain_text(queue.query_one("#queue-who", Static))
        body = plain_text(queue.query_one("#queue-body", Static))
        assert body.startswith("Guten Tag Ben Brandt,")  # XING: the German template first
        assert app.clipboard.startswith("Guten Tag Ben Brandt,")  # copied at once, one text
        assert "Carla" not in app.clipboard
        assert store.get(ben).request.status == "new"  # nothing recorded before enter

        await pilot.press("enter")  # sent on XING: recorded now, due from now
        assert store.get(ben).request.status == "asked"
        assert store.get(ben).follow_up.sent_at == T0  # type: ignore[union-attr]
        assert "2 of 2" in str(queue.query_one("#dialog").border_title)
        assert app.clipboard == "Carla, why? Mira"
        assert store.get(carla).request.status == "new"

        clock.advance(hours=1)
        await pilot.press("enter")
        await pilot.pause()
        follow = store.get(carla).follow_up
        assert follow is not None and follow.body == "Carla, why? Mira", (
            toasts(app),
            app.focused,
            app.screen,
        )
        assert follow.due_at == T0 + timedelta(days=7, hours=1)  # her deadline: from her send
        assert not isinstance(app.screen, AskQueueDialog)
        assert toasts(app)[-1].startswith("Asked 2 of 2")
        assert not app.main.requests.marked

        await pilot.press("u")  # each send is its own step
        assert store.get(carla).request.status == "new"
        assert store.get(ben).request.status == "asked"


async def test_bulk_ask_skip_and_stop_leave_the_rest_marked(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "space", "space", "A")  # Anna, Ben, Carla
        await pilot.press("s")  # skip Anna
        await pilot.press("enter")  # Ben sent
        await pilot.press("escape")  # stop before Carla
        await pilot.pause()
        statuses = {name: store.get(i).request.status for name, i in people.items()}
        assert statuses == {"Anna": "new", "Ben": "asked", "Carla": "new"}
        assert app.main.requests.marked == {people["Anna"], people["Carla"]}
        assert toasts(app)[-1] == (
            "Asked 1 of 3: each recorded as sent when you said so. 2 not asked stay marked."
        )


async def test_next_template_switches_language(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        draft = app.main.query_one(DraftEditor)
        assert draft.template == "en-short" and draft.text.startswith("Hi Anna, thanks")
        await pilot.press("t")
        assert draft.template == "de" and draft.text.startswith("Guten Tag Anna Albers,")
        assert "Deutsch (Sie)" in str(draft.border_title)
        assert store.get(people["Anna"]).draft.template == "de"  # type: ignore[union-attr]
        await pilot.press("j", "k", "a")  # the template used before is kept
        assert draft.template == "de" and app.focused is draft


async def test_send_needs_a_draft(app: NetInboxApp, store: Store, people: dict[str, int]) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        assert store.get(people["Anna"]).request.status == "new"
        assert "The draft is empty: press a" in toasts(app)[-1]


async def test_snooze_until_tomorrow_and_wake(
    app: NetInboxApp, store: Store, clock: Clock, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("z", "t")  # the snooze dialog's "tomorrow"
        await pilot.pause()
        assert store.get(people["Anna"]).request.status == "snoozed"
        assert listed(app) == ["Ben Brandt", "Carla Crespo"]
        clock.advance(days=1)
        app.main._tick()
        assert listed(app)[0] == "Anna Albers"


async def test_palette_actions_could_not_ask_and_reopen(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await app.main.run_action(BY_ID["could_not_ask"].action)  # as the palette runs it
        assert store.get(people["Anna"]).request.status == "could_not_ask"
        assert "Could not ask" in profile_text(app)
        store.decline(people["Anna"])
        await app.main.run_action(BY_ID["reopen"].action)
        await pilot.pause()
        assert store.get(people["Anna"]).request.status == "new"
        assert toasts(app)[-1] == "Reopened Anna Albers."


async def test_reopen_on_an_open_request_says_so_and_records_nothing(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        before = len(store.get(people["Anna"]).events)
        await app.main.run_action(BY_ID["reopen"].action)  # as the palette runs it
        await pilot.pause()
        assert toasts(app)[-1] == "Anna Albers is open already: there is nothing to reopen."
        assert len(store.get(people["Anna"]).events) == before


async def test_add_by_hand_selects_it_and_undo_removes_it(app: NetInboxApp, store: Store) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")  # in Decided, where a new request is not shown
        assert isinstance(app.screen, AddRequestDialog)
        app.screen.dismiss(RequestRecord(name="Dana Dorn", platform=Platform.XING, received_at=T0))
        await settle(pilot)
        assert app.main.view is View.ALL
        assert app.main.query_one(RequestList).current_row.name == "Dana Dorn"  # type: ignore[union-attr]
        await pilot.press("u")
        assert "Dana Dorn" not in listed(app)


async def test_import_refreshes_and_says_what_came_in(
    app: NetInboxApp, store: Store, rec: Any
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        store.add_request(rec("Emil Ernst", days_ago=0.5))  # what the dialog's worker would do
        summary = ImportSummary()
        summary.add("requests", "new")
        app.screen.dismiss(summary)
        await settle(pilot)
        assert listed(app)[0] == "Emil Ernst"
        assert toasts(app)[-1] == "Imported: 1 new, 0 updated, 0 unchanged, 0 skipped"

        await pilot.press("i")  # what was skipped, and why, is said too
        summary.skipped.append(SkippedRecord(source="x.csv:7", reason="no name"))
        app.screen.dismiss(summary)
        await settle(pilot)
        assert toasts(app)[-1].endswith("1 skipped\nSkipped x.csv:7: no name")


async def test_adding_a_request_already_stored_says_so(
    app: NetInboxApp, store: Store, people: dict[str, int]
) -> None:
    anna = store.get(people["Anna"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Anna Albers", "tab", "tab")
        assert isinstance(app.screen, AddRequestDialog)
        app.screen.query_one("#url").value = anna.person.profile_url  # type: ignore[attr-defined]
        app.screen.query_one("#received").value = (  # type: ignore[attr-defined]
            anna.request.received_at.date().isoformat()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert toasts(app)[-1] == "Anna Albers: already stored; nothing added."
        assert len(listed(app)) == 3
        await pilot.press("u")  # nothing was added, so nothing of it to undo
        assert toasts(app)[-1] == "Nothing to undo."
