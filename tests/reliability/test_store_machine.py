"""The store against a simple model (docs/reliability.md; A-4, A-8, C-13, E-2).

A hypothesis `RuleBasedStateMachine` imports, re-imports, adds by hand, asks, records
answers, declines, undoes, forgets, and closes and reopens the store, in any order, and
after every step compares what the store holds with a dictionary that knows what each
of those should do: re-imports add nothing and change nothing the user did, undo walks
back exactly the user's last change, a forgotten person never comes back, and the store
stays whole.

Undo across an import of an answer (issue 11) is specified by the example tests below.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from netinbox.config import Config
from netinbox.db import StoreError
from netinbox.importing import apply_import
from netinbox.models import MessageRecord, Platform, RequestRecord
from netinbox.store import Store
from tests.conftest import Clock

PEOPLE = 5
T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)


def url(k: int) -> str:
    return f"https://www.linkedin.com/in/pool-person-{k}"


def record(k: int) -> RequestRecord:
    return RequestRecord(
        platform=Platform.LINKEDIN,
        name=f"Pool Person {k}",
        profile_url=url(k),
        headline="Engineer",
        company="ACME",
        received_at=T0 - timedelta(days=30 * (k + 1)),
        source=f"pool:{k}",
    )


class StoreMachine(RuleBasedStateMachine):
    batches = Bundle("batches")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="netinbox-machine-"))
        self.path = self.folder / "n.db"
        self.clock = Clock(T0)
        self.store = Store(self.path, config=Config(), clock=self.clock)
        self.status: dict[int, str] = {}  # person → the status of their one request
        self.answers: dict[int, list[bool]] = {}  # person → follow-ups: answered?
        self.forgotten: set[int] = set()
        self.changes: list[tuple[str, int, str | None]] = []  # the undo stack

    def teardown(self) -> None:
        try:
            if self.store.conn is not None:
                assert self.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                self.store.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def rid(self, k: int) -> int:
        row = self.store.conn.execute(
            "SELECT r.id FROM requests r JOIN persons p ON p.id = r.person_id"
            " WHERE p.profile_url = ?",
            (url(k),),
        ).fetchone()
        assert row is not None, k
        return int(row[0])

    # --- what a user and their files do -------------------------------------------------

    def _import(self, people: frozenset[int]) -> None:
        summary = apply_import(self.store, [record(k) for k in sorted(people)])
        fresh = {k for k in people if k not in self.status and k not in self.forgotten}
        assert summary.total("new") == len(fresh), (summary.counts, fresh)
        for k in fresh:
            self.status[k] = "new"
            self.answers[k] = []

    @rule(target=batches, people=st.frozensets(st.integers(0, PEOPLE - 1), min_size=1))
    def import_file(self, people: frozenset[int]) -> frozenset[int]:
        self._import(people)
        return people

    @rule(people=batches)
    def reimport_file(self, people: frozenset[int]) -> None:
        self._import(people)

    @rule(k=st.integers(0, PEOPLE - 1))
    def add_by_hand(self, k: int) -> None:
        if k in self.forgotten:
            with pytest.raises(StoreError, match="forgotten"):
                self.store.add_request(record(k))
            return
        outcome, _ = self.store.add_request_outcome(record(k))
        if k in self.status:
            assert outcome == "unchanged"
        else:
            assert outcome == "new"
            self.status[k] = "new"
            self.answers[k] = []
            self.changes.append(("added", k, None))

    def _with(self, *statuses: str) -> list[int]:
        return sorted(k for k, s in self.status.items() if s in statuses)

    @precondition(lambda self: self._with("new"))
    @rule(data=st.data())
    def ask(self, data: st.DataObject) -> None:
        k = data.draw(st.sampled_from(self._with("new")))
        self.store.mark_sent(self.rid(k), f"Why, {k}?")
        self.changes.append(("asked", k, self.status[k]))
        self.status[k] = "asked"
        self.answers[k].append(False)

    @precondition(lambda self: self._with("asked"))
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        k = data.draw(st.sampled_from(self._with("asked")))
        self.clock.advance(hours=1)
        self.store.record_answer(self.rid(k), f"Because {k}")
        self.changes.append(("answered", k, self.status[k]))
        self.status[k] = "answered"
        self.answers[k][-1] = True

    @precondition(lambda self: self._with("new", "asked", "answered"))
    @rule(data=st.data())
    def decline(self, data: st.DataObject) -> None:
        k = data.draw(st.sampled_from(self._with("new", "asked", "answered")))
        self.store.decline(self.rid(k), "no reason given")
        self.changes.append(("declined", k, self.status[k]))
        self.status[k] = "declined"

    @rule()
    def undo(self) -> None:
        said = self.store.undo()
        if not self.changes:
            assert said is None
            return
        kind, k, before = self.changes.pop()
        assert said is not None and f"Pool Person {k}" in said, (said, kind, k)
        if kind == "added":
            del self.status[k], self.answers[k]
            return
        assert before is not None
        self.status[k] = before
        if kind == "asked":
            self.answers[k].pop()
        elif kind == "answered":
            self.answers[k][-1] = False

    @precondition(lambda self: self.status)
    @rule(data=st.data())
    def forget(self, data: st.DataObject) -> None:
        k = data.draw(st.sampled_from(sorted(self.status)))
        self.store.forget_person(self.store.person_id_of(self.rid(k)))
        del self.status[k], self.answers[k]
        self.forgotten.add(k)
        self.changes = [change for change in self.changes if change[1] != k]

    @rule()
    def close_and_reopen(self) -> None:
        self.store.close()
        self.store = Store(self.path, config=Config(), clock=self.clock)

    # --- what must hold after every step ------------------------------------------------

    @invariant()
    def store_matches_the_model(self) -> None:
        conn = self.store.conn
        assert not conn.in_transaction
        rows = conn.execute(
            "SELECT p.profile_url, r.status, r.id FROM requests r"
            " JOIN persons p ON p.id = r.person_id"
        ).fetchall()
        held = {int(r[0].rsplit("-", 1)[1]): r[1] for r in rows}
        assert held == self.status
        for profile_url, _, request_id in rows:
            k = int(profile_url.rsplit("-", 1)[1])
            follow_ups = conn.execute(
                "SELECT answered_at IS NOT NULL FROM follow_ups WHERE request_id = ? ORDER BY id",
                (request_id,),
            ).fetchall()
            assert [bool(f[0]) for f in follow_ups] == self.answers[k], k
        persons = conn.execute("SELECT count(*) FROM persons").fetchone()[0]
        assert persons == len(self.status)
        names = {r[0] for r in conn.execute("SELECT name FROM persons")}
        assert not names & {f"Pool Person {k}" for k in self.forgotten}


StoreMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStoreAgainstTheModel = StoreMachine.TestCase


class LongStoreMachine(StoreMachine):
    """The same machine, many more and longer runs: for CI (`-m slow`)."""


LongStoreMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStoreAgainstTheModelAtLength = pytest.mark.slow(LongStoreMachine.TestCase)


# --- undo and imports (issue 11) -------------------------------------------------------------


@pytest.fixture
def asked_then_answered_by_import(store: Store, clock: Clock) -> tuple[Store, int]:
    """R was asked; then a messages.csv brought R's reply: R is answered by the import."""
    apply_import(store, [record(1)])
    rid = store.conn.execute("SELECT id FROM requests").fetchone()[0]
    clock.now = T0
    store.mark_sent(rid, "Hello, why would you like to connect?")
    clock.advance(days=1)
    reply = MessageRecord(
        sender_name="Pool Person 1",
        sender_url=url(1),
        sent_at=T0 + timedelta(hours=5),
        content="We met at the meetup in Leipzig.",
        conversation_id="c-1",
        source="messages.csv:2",
    )
    summary = apply_import(store, [reply])
    assert summary.counts["messages"] == {"answer": 1}
    assert store.get(rid).request.status.value == "answered"
    return store, rid


def undo_or_refusal(store: Store) -> str | None:
    """What undo says: what it undid, or (raised) what it cannot undo."""
    try:
        return store.undo()
    except StoreError as refusal:
        return str(refusal)


def test_undo_never_deletes_what_a_later_import_brought(
    asked_then_answered_by_import: tuple[Store, int],
) -> None:
    store, rid = asked_then_answered_by_import
    undo_or_refusal(store)
    detail = store.get(rid)
    assert detail.request.status.value == "answered"
    assert [f.answer for f in detail.follow_ups] == ["We met at the meetup in Leipzig."]


def test_undo_says_what_it_cannot_undo(asked_then_answered_by_import: tuple[Store, int]) -> None:
    store, rid = asked_then_answered_by_import
    said = undo_or_refusal(store)
    assert said is not None and "annot" in said and "Pool Person 1" in said, said


def test_undo_after_an_unrelated_import_undoes_the_users_change(store: Store, clock: Clock) -> None:
    apply_import(store, [record(1)])
    rid = store.conn.execute("SELECT id FROM requests").fetchone()[0]
    store.mark_sent(rid, "Why?")
    apply_import(store, [record(2), record(3)])
    assert store.undo() == "asked Pool Person 1"
    assert store.get(rid).request.status.value == "new"
    assert store.conn.execute("SELECT count(*) FROM requests").fetchone()[0] == 3
