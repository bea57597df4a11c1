"""The sender's side: requests the user sent, answers the user owes, invitation types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from netinbox.models import Direction, InvitationKind, Status
from netinbox.query import QueryError, View, parse
from netinbox.rules import static_flags, suggest
from netinbox.store import Store
from netinbox.templates import REASON, TemplateBook
from netinbox.words import flag_reason, suggestion_text

from .conftest import T0, Clock

OUT = Direction.OUTGOING


def _flags(**given: object) -> list[str]:
    facts: dict[str, object] = {
        "message": "",
        "headline": "tba",
        "company": "tba",
        "contacts_visible": "no",
        "mutual_contacts": 0,
    }
    facts.update(given)
    return static_flags(**facts)  # type: ignore[arg-type]


def test_a_request_i_sent_is_flagged_only_for_the_reason_i_did_not_give() -> None:
    assert _flags() == [
        "no_message",
        "placeholder_title",
        "placeholder_company",
        "contacts_hidden",
        "no_mutual",
    ]
    assert _flags(direction=OUT) == ["no_message"]
    assert _flags(direction=OUT, message="We met at the Barcamp in Kassel.") == []
    assert flag_reason("no_message", OUT) == "No personal message: you gave no reason."
    assert "the sender gave no reason" in flag_reason("no_message", Direction.INCOMING)


@pytest.mark.parametrize("kind", ["page", "newsletter", "event", "group"])
def test_an_invitation_to_a_page_newsletter_or_event_is_never_flagged(kind: str) -> None:
    assert _flags(kind=kind) == []
    hint = suggest([], Status.NEW, kind=kind)
    assert hint.action == "decide" and "nobody to ask" in suggestion_text(hint.why)


def test_a_request_i_sent_is_never_asked_why() -> None:
    no_reason = suggest(["no_message"], Status.NEW, direction=OUT)
    assert no_reason.action == "explain"
    assert "you gave no reason" in suggestion_text(no_reason.why).lower()
    assert suggest([], Status.NEW, direction=OUT).action == "wait"
    assert suggest(["no_message"], Status.NEW, direction=OUT, explained=True).action == "wait"
    owed = suggest(["no_message"], Status.NEW, direction=OUT, owed=True)
    assert owed.action == "answer"
    accepted = suggest(["no_message"], Status.ACCEPTED, direction=OUT)
    assert suggestion_text(accepted.why) == "They accepted your request."
    for status in Status:
        assert suggest(["no_message"], status, direction=OUT).action != "ask"


def test_reason_templates_are_apart_from_the_questions() -> None:
    book = TemplateBook()
    for language in ("en", "de", "de-du"):
        reason = book.for_language(language, REASON)
        assert reason.purpose == REASON and reason.language == language
        assert book.for_language(language).purpose == "ask"
    text = book.fill(
        book.for_language("de", REASON), name="Jonas Weber", platform="xing", my_name="Mira"
    )
    assert text.startswith("Guten Tag Jonas Weber,") and "XING" in text and "weil …" in text
    du = book.fill(
        book.for_language("de-du", REASON), name="Jonas Weber", platform="xing", my_name="Mira"
    )
    assert du.startswith("Hallo Jonas,") and "dir" in du and "Ihnen" not in du
    # `t` cycles through the templates of one purpose
    seen = {book.next_after("en-reason", REASON).id, book.next_after("de-reason", REASON).id}
    assert seen == {"de-reason", "de-du-reason"}
    assert book.next_after("de-du-reason", REASON).id == "en-reason"
    assert book.next_after("de-du").id == "en"


def test_sent_by_me_lists_my_pending_requests_newest_first(
    store: Store, add: Callable[..., int]
) -> None:
    mine_old = add("Jonas Weber", direction=OUT, days_ago=20)
    mine_new = add("Petra Klein", direction=OUT, days_ago=2, message="We met at the Barcamp.")
    theirs = add("Max Muster")
    accepted = add("Ulla Berg", direction=OUT, days_ago=30)
    store.accept(accepted)
    assert store.ids(parse("", View.SENT)) == [mine_new, mine_old]
    assert store.ids(parse("", View.NEW)) == [theirs]
    assert mine_old not in store.ids(parse("", View.NEW))
    assert mine_old not in store.ids(parse("", View.TO_ASK))
    counts = store.counts()
    assert counts[View.SENT] == 2 and counts[View.NEW] == 1 and counts[View.TO_ASK] == 1
    rows = store.rows(parse("", View.SENT))
    assert [r.direction for r in rows] == [OUT, OUT]
    assert rows[1].flags == ("no_message",) and rows[0].flags == ()
    assert store.ids(parse("no:msg", View.SENT)) == [mine_old]


def test_an_owed_answer_waits_until_i_record_mine(
    store: Store, add: Callable[..., int], clock: Clock
) -> None:
    rid = add("Jonas Weber", direction=OUT, days_ago=5)
    asked = T0 - timedelta(days=1)
    assert store.owe_answer(rid, "Hi! Why would you like to connect?", asked, sender="Jonas Weber")
    # the same message again (a re-import) changes nothing
    assert not store.owe_answer(
        rid, "Hi! Why would you like to connect?", asked, sender="Jonas Weber"
    )
    assert store.ids(parse("", View.OWED)) == [rid]
    assert store.counts()[View.OWED] == 1
    row = store.rows(parse("", View.OWED))[0]
    assert row.owed_question == "Hi! Why would you like to connect?" and row.owed_at == asked
    detail = store.get(rid)
    assert detail.request.owed_question.startswith("Hi! Why")
    assert [m["content"] for m in store.context_messages(rid)] == [
        "Hi! Why would you like to connect?"
    ]
    clock.advance(hours=2)
    store.answer_owed(rid, "We met at the Barcamp in Kassel.")
    assert store.ids(parse("", View.OWED)) == []
    assert store.counts()[View.OWED] == 0
    replied = store.get(rid).events[-1]
    assert replied.kind == "replied" and replied.data["answer"].startswith("We met")
    # a question imported again after the answer does not come back
    assert not store.owe_answer(rid, "Hi! Why would you like to connect?", asked, key="other")
    assert store.undo() == "recorded your answer to Jonas Weber"
    assert store.ids(parse("", View.OWED)) == [rid]


def test_following_up_with_my_reason_keeps_my_request_pending(
    store: Store, add: Callable[..., int]
) -> None:
    rid = add("Jonas Weber", direction=OUT, days_ago=5)
    follow = store.mark_reason_sent(rid, "I would like to connect because of your talk.")
    detail = store.get(rid)
    assert detail.request.status is Status.NEW and detail.request.due_at is None
    assert follow.body.startswith("I would like") and detail.events[-1].kind == "explained"
    assert store.ids(parse("", View.SENT)) == [rid]
    assert store.ids(parse("", View.AWAITING)) == []
    assert store.undo() == "sent your reason to Jonas Weber"
    assert store.get(rid).follow_ups == []


def test_type_filters_invitations(store: Store, add: Callable[..., int]) -> None:
    person = add("Max Muster")
    page = add("Acme GmbH", kind=InvitationKind.PAGE)
    letter = add("Data Weekly", kind=InvitationKind.NEWSLETTER, days_ago=2)
    event = add("Barcamp Kassel", kind=InvitationKind.EVENT, days_ago=3)
    assert store.ids(parse("type:newsletter")) == [letter]
    assert store.ids(parse("type:page")) == [page]
    assert store.ids(parse("type:event")) == [event]
    assert store.ids(parse("type:person")) == [person]
    assert store.ids(parse("type:pages")) == [page]
    assert store.get(page).request.kind is InvitationKind.PAGE
    assert store.get(page).request.flags == []
    # nobody to ask: only the person's request is in To ask
    assert store.ids(parse("", View.TO_ASK)) == [person]
    with pytest.raises(
        QueryError, match="type:newsleter: unknown type; did you mean type:newsletter"
    ):
        parse("type:newsleter")


def test_an_older_store_learns_types_and_keeps_only_my_own_flag(tmp_path: Path) -> None:
    """A store made before m006: its requests become person requests, my own requests
    keep only the no-reason flag, and the new views work on it."""
    from netinbox import schema

    path = tmp_path / "old.db"
    with Store(path) as new:
        conn = new.conn
        conn.execute(
            "INSERT INTO persons(id, platform, name_key, name) VALUES (1, 'linkedin', 'x', 'X')"
        )
        conn.execute(
            "INSERT INTO requests(person_id, direction, received_at, flags)"
            " VALUES (1, 'outgoing', '2026-01-01T00:00:00Z', ' no_message no_mutual ')"
        )
        # back to the schema before m006
        conn.execute("DROP INDEX requests_kind")
        conn.execute("DROP INDEX requests_owed")
        for column in ("kind", "owed_at", "owed_question"):
            conn.execute(f"ALTER TABLE requests DROP COLUMN {column}")
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'm006_invitation_kinds_and_owed_answers'"
        )
        conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION - 1}")
    with Store(path) as upgraded:
        row = upgraded.conn.execute("SELECT kind, flags, owed_at FROM requests").fetchone()
        assert tuple(row) == ("person", " no_message ", None)
        assert upgraded.counts()[View.SENT] == 1


def test_an_older_store_records_my_withdrawn_requests_as_withdrawn(tmp_path: Path) -> None:
    """Before m007 a request I sent and withdrew was stored as declined: after the
    upgrade it is withdrawn, still decided; a request I received and declined stays so."""
    from netinbox import schema

    path = tmp_path / "old.db"
    with Store(path) as new:
        conn = new.conn
        conn.execute(
            "INSERT INTO persons(id, platform, name_key, name) VALUES (1, 'linkedin', 'x', 'X')"
        )
        for direction in ("outgoing", "incoming"):
            conn.execute(
                "INSERT INTO requests(person_id, direction, received_at, status)"
                f" VALUES (1, '{direction}', '2026-01-0{1 if direction == 'outgoing' else 2}"
                "T00:00:00Z', 'declined')"
            )
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = 'm007_withdrawn_is_its_own_outcome'"
        )
        conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION - 1}")
    with Store(path) as upgraded:
        rows = upgraded.conn.execute(
            "SELECT direction, status FROM requests ORDER BY id"
        ).fetchall()
        assert [tuple(r) for r in rows] == [("outgoing", "withdrawn"), ("incoming", "declined")]
        assert upgraded.counts()[View.DECIDED] == 2
