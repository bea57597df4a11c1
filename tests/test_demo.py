"""The demo store: realistic, complete (every state and flag), hostile where it should be."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from netinbox.demo import build_demo
from netinbox.exporters import iter_requests
from netinbox.models import Platform, Status
from netinbox.query import Query, View
from netinbox.rules import FLAGS
from netinbox.store import Store, parse_iso

from .conftest import T0, Clock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[dict]]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path, clock=Clock())
    added = build_demo(store)
    items = list(iter_requests(store))
    assert added == len(items)
    yield store, items
    store.close()


def test_size_states_flags_platforms(demo) -> None:
    store, items = demo
    assert len(items) >= 40
    assert {i["status"] for i in items} == {s.value for s in Status}
    assert {f for i in items for f in i["flags"]} == set(FLAGS)
    assert {i["platform"] for i in items} == {Platform.LINKEDIN.value, Platform.XING.value}
    assert {i["direction"] for i in items} == {"incoming", "outgoing"}
    counts = store.counts()
    assert all(counts[view] > 0 for view in View), counts


def test_languages_and_hostile_text(demo) -> None:
    _, items = demo
    messages = [i["message"] for i in items if i["message"]]
    assert any(" ich " in f" {m.lower()} " for m in messages)  # German
    assert any(" the " in f" {m.lower()} " for m in messages)  # English
    fields = [i[k] for i in items for k in ("name", "headline", "company", "message")]
    assert any("[" in i["name"] for i in items)
    assert any("\x1b" in field for field in fields)
    answers = [f["answer"] for i in items for f in i["follow_ups"] if f["answer"]]
    assert len(answers) >= 2


def test_dates_follow_the_clock(demo) -> None:
    store, items = demo
    for item in items:
        received = parse_iso(item["received_at"])
        assert T0 - timedelta(days=366) <= received <= T0  # a year of history
        for follow in item["follow_ups"]:
            assert parse_iso(follow["sent_at"]) <= T0
    snoozed = [parse_iso(i["snoozed_until"]) for i in items if i["status"] == "snoozed"]
    assert snoozed and all(s > T0 for s in snoozed)
    overdue = [i for i in items if "no_answer" in i["flags"]]
    assert overdue and all(parse_iso(i["follow_ups"][-1]["due_at"]) <= T0 for i in overdue)


def test_demo_history_is_not_undoable_but_drafts_exist(demo) -> None:
    store, _ = demo
    assert store.undo() is None
    drafts = store.conn.execute("SELECT count(*) FROM drafts WHERE body != ''").fetchone()[0]
    assert drafts >= 1
    assert store.count(Query()) >= 40


def test_a_year_of_history_for_the_statistics(demo) -> None:
    """Months with and without messages, follow-ups answered in time, late and never,
    accepted and declined, my own requests: all settled, none waiting in the open views."""
    from netinbox.stats import parse_period, statistics

    store, items = demo
    stats = statistics(store, parse_period("12m", today=T0.date()))
    received = [m for m in stats.received[:-2] if m.total]
    assert len(received) >= 10
    assert any(m.with_message == 0 for m in received) and any(m.with_message >= 3 for m in received)
    follow = stats.follow_ups
    assert follow.answered_in_time and follow.answered_late and follow.no_answer
    totals = stats.outcome_totals()
    assert totals["accepted"] and totals["declined"] and totals["could_not_ask"]
    sent = stats.sent_totals()
    assert sent.with_message and sent.without_message and sent.accepted and sent.pending
    assert sent.withdrawn and sent.no_answer
    old = [i for i in items if parse_iso(i["received_at"]) < T0 - timedelta(days=60)]
    assert old and {i["status"] for i in old if i["direction"] == "incoming"} <= {
        "accepted",
        "declined",
        "could_not_ask",
    }
