"""Every transition of a request, and its undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from netinbox.config import Config
from netinbox.db import StoreError
from netinbox.importing import apply_import
from netinbox.models import Status
from netinbox.query import Query, parse
from netinbox.store import Store, iso

from .conftest import T0, Clock


def state(store: Store, request_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Everything a user action may change: the request (minus its version) and its follow-ups."""
    row = dict(store.conn.execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone())
    row.pop("version")
    follow_ups = [
        dict(f)
        for f in store.conn.execute(
            "SELECT * FROM follow_ups WHERE request_id = ? ORDER BY id", (request_id,)
        )
    ]
    return row, follow_ups


def found(store: Store, text: str) -> list[int]:
    return store.ids(parse(text))


# Each step: (name, action). Actions take (store, request_id, clock).
def ask(s: Store, rid: int, c: Clock) -> None:
    s.save_draft(rid, "Why would you like to connect?", "en")
    s.mark_sent(rid)


def answer(s: Store, rid: int, c: Clock) -> None:
    c.advance(days=1)
    s.record_answer(rid, "We met at the Barcamp")


def accept(s: Store, rid: int, c: Clock) -> None:
    s.accept(rid, "met in person")


def decline(s: Store, rid: int, c: Clock) -> None:
    s.decline(rid, "no reason given")


def snooze(s: Store, rid: int, c: Clock) -> None:
    s.snooze(rid, c.now + timedelta(days=3))


def could_not_ask(s: Store, rid: int, c: Clock) -> None:
    s.could_not_ask(rid)


def reopen(s: Store, rid: int, c: Clock) -> None:
    s.reopen(rid)


def note(s: Store, rid: int, c: Clock) -> None:
    s.add_note(rid, "talked on the phone")


Action = Callable[[Store, int, Clock], None]
TRANSITIONS: list[tuple[str, list[Action], Action, Status, str]] = [
    ("new→asked", [], ask, Status.ASKED, "asked"),
    ("asked→answered", [ask], answer, Status.ANSWERED, "recorded the answer of"),
    ("new→answered", [], answer, Status.ANSWERED, "recorded the answer of"),
    ("answered→accepted", [ask, answer], accept, Status.ACCEPTED, "accepted"),
    ("new→accepted", [], accept, Status.ACCEPTED, "accepted"),
    ("new→declined", [], decline, Status.DECLINED, "declined"),
    ("asked→declined", [ask], decline, Status.DECLINED, "declined"),
    ("new→snoozed", [], snooze, Status.SNOOZED, "snoozed"),
    ("asked→snoozed", [ask], snooze, Status.SNOOZED, "snoozed"),
    ("snoozed→snoozed", [snooze], snooze, Status.SNOOZED, "snoozed"),
    ("new→could_not_ask", [], could_not_ask, Status.COULD_NOT_ASK, "could not ask"),
    ("declined→reopened", [decline], reopen, Status.NEW, "reopened"),
    ("asked,declined→reopened", [ask, decline], reopen, Status.ASKED, "reopened"),
    ("answered,accepted→reopened", [ask, answer, accept], reopen, Status.ANSWERED, "reopened"),
    ("could_not_ask→declined", [could_not_ask], decline, Status.DECLINED, "declined"),
    ("asked→note", [ask], note, Status.ASKED, "note on"),
]


@pytest.mark.parametrize(
    ("before", "action", "status", "verb"),
    [t[1:] for t in TRANSITIONS],
    ids=[t[0] for t in TRANSITIONS],
)
def test_transition_and_its_undo(
    store: Store,
    clock: Clock,
    add: Callable[..., int],
    before: list[Action],
    action: Action,
    status: Status,
    verb: str,
) -> None:
    rid = add("Grete Sommerfeld")
    other = add("Lena Vogt")
    for step in before:
        step(store, rid, clock)
    clock.advance(hours=1)
    was, untouched = state(store, rid), state(store, other)
    events = len(store.get(rid).events)

    action(store, rid, clock)

    assert not store.conn.in_transaction
    assert store.get(rid).request.status is status
    assert len(store.get(rid).events) == events + 1
    assert store.undo() == f"{verb} Grete Sommerfeld"
    assert state(store, rid) == was
    assert state(store, other) == untouched
    assert not store.conn.in_transaction


def test_mark_sent_sets_deadline_in_utc(store: Store, add: Callable[..., int]) -> None:
    rid = add()
    store.save_draft(rid, "Warum möchten Sie sich vernetzen?", "de")
    follow = store.mark_sent(rid)
    assert follow.body == "Warum möchten Sie sich vernetzen?"
    assert follow.sent_at == T0
    assert follow.due_at == T0 + timedelta(days=7)
    row, follow_ups = state(store, rid)
    assert row["status"] == "asked"
    assert row["due_at"] == follow_ups[0]["due_at"] == "2026-02-09T09:00:00Z"
    assert follow_ups[0]["sent_at"] == "2026-02-02T09:00:00Z"


def test_deadline_days_come_from_the_config(db_path, clock: Clock, rec) -> None:
    with Store(db_path, config=Config(deadline_days=3), clock=clock) as store:
        rid = store.add_request(rec())
        assert store.mark_sent(rid, "Why?").due_at == T0 + timedelta(days=3)


def test_answer_is_recorded_on_the_follow_up_and_searchable(
    store: Store, clock: Clock, add: Callable[..., int]
) -> None:
    rid = add()
    store.mark_sent(rid, "Why?")
    clock.advance(days=2)
    store.record_answer(rid, "Wir kennen uns vom Zauberwürfelturnier")
    follow = store.get(rid).follow_up
    assert follow is not None
    assert follow.answer == "Wir kennen uns vom Zauberwürfelturnier"
    assert follow.answered_at == clock.now
    assert found(store, "zauberwurfel") == [rid]
    store.undo()
    assert found(store, "zauberwurfel") == []


def test_undo_walks_back_the_whole_chain(
    store: Store, clock: Clock, add: Callable[..., int]
) -> None:
    rid = add("Thomas Krüger")
    states = [state(store, rid)]
    for step in (ask, answer, accept, reopen, decline):
        clock.advance(hours=1)
        step(store, rid, clock)
        states.append(state(store, rid))
    descriptions = []
    for expected in reversed(states[:-1]):
        descriptions.append(store.undo())
        assert state(store, rid) == expected
    assert descriptions == [
        "declined Thomas Krüger",
        "reopened Thomas Krüger",
        "accepted Thomas Krüger",
        "recorded the answer of Thomas Krüger",
        "asked Thomas Krüger",
    ]
    assert store.undo() is None  # the import itself is not the user's change
    assert store.get(rid).request.status is Status.NEW


def test_undo_after_new_changes_takes_the_newest(
    store: Store, clock: Clock, add: Callable[..., int]
) -> None:
    a, b = add("Anna A"), add("Bernd B")
    store.mark_sent(a, "?")
    store.decline(b)
    assert store.undo() == "declined Bernd B"
    store.accept(b)
    assert store.undo() == "accepted Bernd B"
    assert store.undo() == "asked Anna A"
    assert store.undo() is None
    assert {store.get(a).request.status, store.get(b).request.status} == {Status.NEW}


def test_bulk_actions_are_one_undo_step(store: Store, add: Callable[..., int]) -> None:
    ids = [add(f"Person {i}") for i in range(4)]
    before = {rid: state(store, rid) for rid in ids}
    follow_ups = store.mark_sent_many(ids[:3], {ids[0]: "Hello?"})
    assert [f.body for f in follow_ups][0] == "Hello?"
    assert [store.get(rid).request.status for rid in ids] == [Status.ASKED] * 3 + [Status.NEW]
    assert store.undo() == "asked 3 requests"
    assert {rid: state(store, rid) for rid in ids} == before

    store.decline_many(ids, "bulk")
    assert all(store.get(rid).request.decision_note == "bulk" for rid in ids)
    assert store.undo() == "declined 4 requests"
    assert {rid: state(store, rid) for rid in ids} == before


def test_add_request_is_undone_by_removing_it(store: Store, rec) -> None:
    rid = store.add_request(rec("Hand Added", message="Typed in by hand"))
    assert store.count(Query()) == 1
    assert store.undo() == "added Hand Added"
    assert store.count(Query()) == 0
    assert store.conn.execute("SELECT count(*) FROM persons").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM search").fetchone()[0] == 0
    with pytest.raises(StoreError):
        store.get(rid)


def test_stale_version_is_refused(store: Store, add: Callable[..., int]) -> None:
    rid = add()
    seen = store.get(rid).request.version
    store.mark_sent(rid, "Why?", version=seen)  # the current version: fine
    was = state(store, rid)
    with pytest.raises(StoreError, match="changed elsewhere"):
        store.decline(rid, "too late", version=seen)
    with pytest.raises(StoreError, match="changed elsewhere"):
        store.mark_sent(rid, "again", version=seen)
    with pytest.raises(StoreError, match="changed elsewhere"):
        store.record_answer(rid, "answer", version=seen)
    assert state(store, rid) == was  # nothing half-written: no second follow-up, no answer
    assert not store.conn.in_transaction
    assert store.undo() == "asked Max Mustermann"


def test_snoozed_request_wakes_to_its_previous_state_on_the_date(
    store: Store, clock: Clock, add: Callable[..., int]
) -> None:
    rid = add()
    store.mark_sent(rid, "Why?")
    until = T0 + timedelta(days=3)
    store.snooze(rid, until)
    store.snooze(rid, until + timedelta(days=1))  # snoozing again keeps "asked" as the state
    row, _ = state(store, rid)
    assert (row["status"], row["status_before_snooze"]) == ("snoozed", "asked")
    assert row["snoozed_until"] == iso(until + timedelta(days=1))
    clock.now = until + timedelta(days=1, seconds=-1)
    assert store.wake_snoozed() == 0
    clock.advance(seconds=1)
    assert store.wake_snoozed() == 1
    row, _ = state(store, rid)
    assert (row["status"], row["snoozed_until"], row["status_before_snooze"]) == (
        "asked",
        None,
        None,
    )
    assert store.wake_snoozed() == 0


def test_readd_same_record_is_unchanged(store: Store, rec) -> None:
    record = rec("Ana-Lucía Peña", profile_url="https://www.linkedin.com/in/ana-lucia-pena/")
    with store.write():
        first = store.upsert_request(record)
        second = store.upsert_request(record)
    assert first[0] == "new"
    assert second == ("unchanged", first[1])
    summary = apply_import(store, [record, record])
    assert summary.counts["requests"] == {"unchanged": 2}
    assert store.count(Query()) == 1


def test_same_person_within_14_days_fills_the_message(store: Store, rec) -> None:
    url = "https://www.linkedin.com/in/yuki-tanaka"
    with store.write():
        _, rid = store.upsert_request(rec("Yuki Tanaka", profile_url=url, days_ago=10))
    assert "no_message" in store.get(rid).request.flags
    with store.write():
        outcome = store.upsert_request(
            rec("Yuki Tanaka", profile_url=url + "?trk=x", days_ago=2, message="Read your post")
        )
    assert outcome == ("updated", rid)
    detail = store.get(rid)
    assert detail.request.message == "Read your post"
    assert "no_message" not in detail.request.flags
    assert found(store, "your post") == [rid]
    with store.write():  # 15 days later it is a new request
        outcome = store.upsert_request(rec("Yuki Tanaka", profile_url=url, days_ago=-5))
    assert outcome[0] == "new"


def test_readd_does_not_change_a_decided_request(store: Store, clock: Clock, rec) -> None:
    record = rec("Hans-Peter Wurst", headline="tba")
    rid = store.add_request(record)
    store.mark_sent(rid, "Why?")
    clock.advance(days=8)
    store.decline(rid, "no answer")
    was = state(store, rid)
    assert apply_import(store, [record]).counts["requests"] == {"unchanged": 1}
    assert state(store, rid) == was
    with store.write():
        outcome, _ = store.upsert_request(rec("Hans-Peter Wurst", message="Hallo!"))
    assert outcome == "updated"  # an empty fact is filled in …
    row, follow_ups = state(store, rid)
    for key in ("status", "decided_at", "decision_note", "due_at"):  # … the decision stays
        assert row[key] == was[0][key]
    assert follow_ups == was[1]


def test_actions_on_a_missing_request_fail_clearly(store: Store) -> None:
    with pytest.raises(StoreError, match="No request 99"):
        store.accept(99)
    with pytest.raises(StoreError, match="No request 99"):
        store.get(99)
    assert store.undo() is None
