"""Answers the user owes, and invitation types, as imports bring them: a message after the
user's own request (messages.csv, or a "sent you a message" mail) is a question the user
owes an answer to; the user's own later message answers it; LinkedIn's mails and the
generic CSV say what an invitation is for (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netinbox.cli import main
from netinbox.importers import ImportContext, iter_records
from netinbox.importers.mail_linkedin import invitation_kind
from netinbox.importing import apply_import
from netinbox.models import (
    Direction,
    InvitationKind,
    MessageRecord,
    OwnerRecord,
    Platform,
    RequestRecord,
)
from netinbox.query import View, parse
from netinbox.store import Store
from tests.conftest import T0

MAIL = Path(__file__).parent / "fixtures" / "mail"
ME = OwnerRecord(name="Mira Testfeld", profile_url="https://www.linkedin.com/in/mira-testfeld")
JONAS = "https://www.linkedin.com/in/jonas-weber"


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def message(sender: str, to: str, days_ago: float, text: str, **fields: object) -> MessageRecord:
    return MessageRecord(
        platform=Platform.LINKEDIN,
        sender_name=sender,
        recipient_name=to,
        sent_at=T0 - timedelta(days=days_ago),
        content=text,
        conversation_id="c-1",
        source="messages.csv:2",
        **fields,  # type: ignore[arg-type]
    )


def test_a_message_after_my_request_is_an_answer_i_owe_until_i_write_back(
    store: Store, rec: Callable[..., RequestRecord]
) -> None:
    mine = store.add_request(rec("Jonas Weber", direction=Direction.OUTGOING, days_ago=10))
    before = message("Jonas Weber", "Mira Testfeld", 12, "Hello from last year")
    question = message("Jonas Weber", "Mira Testfeld", 2, "Hi Mira, why do you want to connect?")
    summary = apply_import(store, [ME, before, question])
    assert summary.counts["messages"]["question to you"] == 1
    assert store.ids(parse("", View.OWED)) == [mine]
    assert store.get(mine).request.owed_question == "Hi Mira, why do you want to connect?"
    # the same export again: nothing new
    again = apply_import(store, [ME, before, question])
    assert "question to you" not in again.counts.get("messages", {})
    # a later export holds my answer: nothing is owed any more
    answer = message("Mira Testfeld", "Jonas Weber", 1, "We met at the Barcamp in Kassel.")
    later = apply_import(store, [ME, before, question, answer])
    assert later.counts["messages"]["your answer"] == 1
    assert store.ids(parse("", View.OWED)) == []
    replied = store.get(mine).events[-1]
    assert replied.kind == "replied" and replied.data["answer"].startswith("We met")
    assert store.ids(parse("", View.SENT)) == [mine]  # still waiting for a yes


def test_a_message_to_an_accepted_request_is_a_conversation_not_a_question(
    store: Store, rec: Callable[..., RequestRecord]
) -> None:
    mine = store.add_request(rec("Jonas Weber", direction=Direction.OUTGOING, days_ago=10))
    store.accept(mine)
    apply_import(store, [ME, message("Jonas Weber", "Mira Testfeld", 2, "Thanks for connecting!")])
    assert store.ids(parse("", View.OWED)) == []


def test_a_message_mail_after_my_request_is_an_answer_i_owe(
    db_path: Path, rec: Callable[..., RequestRecord]
) -> None:
    sent = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)  # the mail came on the 5th
    with Store(db_path) as store:
        grete = store.add_request(
            rec(
                "Grete Sommerfeld",
                platform=Platform.XING,
                direction=Direction.OUTGOING,
                received_at=sent,
            )
        )
    out = run("import", "--db", db_path, MAIL / "xing_message_de.eml")
    assert "question to you" in out
    with Store(db_path) as store:
        assert store.ids(parse("", View.OWED)) == [grete]
        assert store.get(grete).request.owed_question.startswith("Hallo Mira, gern erkläre")
    again = run("import", "--db", db_path, MAIL / "xing_message_de.eml")
    assert "question to you" not in again


@pytest.mark.parametrize(
    ("subject", "kind", "what"),
    [
        (
            "Konstantin Weiß invited you to follow Datenwerk GmbH",
            InvitationKind.PAGE,
            "Datenwerk GmbH",
        ),
        (
            "Ana Peña invited you to subscribe to Privacy Engineering Weekly",
            InvitationKind.NEWSLETTER,
            "Privacy Engineering Weekly",
        ),
        (
            "Jördis Übermuth invited you to attend Datenschutz-Stammtisch",
            InvitationKind.EVENT,
            "Datenschutz-Stammtisch",
        ),
        ("Tom has invited you to join the group GDPR Tools", InvitationKind.GROUP, "GDPR Tools"),
        (
            "Konstantin Weiß hat Sie eingeladen, Datenwerk GmbH zu folgen",
            InvitationKind.PAGE,
            "Datenwerk GmbH",
        ),
        (
            "Ana Peña hat dich eingeladen, den Newsletter Datenschutz kompakt zu abonnieren",
            InvitationKind.NEWSLETTER,
            "Datenschutz kompakt",
        ),
        (
            "Jördis hat Sie zur Veranstaltung Stammtisch Leipzig eingeladen",
            InvitationKind.EVENT,
            "Stammtisch Leipzig",
        ),
        ("Mira, please add me to your LinkedIn network", InvitationKind.PERSON, ""),
        ("Ole Brømmer hat Sie eingeladen, sich zu vernetzen", InvitationKind.PERSON, ""),
    ],
)
def test_an_invitation_mail_says_what_it_invites_to(
    subject: str, kind: InvitationKind, what: str
) -> None:
    found, target, _ = invitation_kind(subject)
    assert (found, target) == (kind, what)


def test_a_page_invitation_mail_is_imported_as_a_page_never_flagged(tmp_path: Path) -> None:
    mail = tmp_path / "page.eml"
    mail.write_bytes(
        b"From: Konstantin Weiss <invitations@linkedin.com>\r\n"
        b"Subject: Konstantin Weiss invited you to follow Datenwerk GmbH\r\n"
        b"Date: Tue, 03 Feb 2026 10:15:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hi Mira,\r\n\r\nKonstantin Weiss invited you to follow Datenwerk GmbH.\r\n\r\n"
        b"Follow: https://www.linkedin.com/company/datenwerk?invitationId=123\r\n"
    )
    (record,) = iter_records([mail], ImportContext())
    assert isinstance(record, RequestRecord)
    assert (record.kind, record.name) == (InvitationKind.PAGE, "Datenwerk GmbH")
    assert record.message == "Konstantin Weiss invited you to follow Datenwerk GmbH"
    db = tmp_path / "n.db"
    run("import", "--db", db, mail)
    with Store(db) as store:
        (page,) = store.ids(parse("type:page"))
        assert store.get(page).request.flags == []
        assert store.ids(parse("", View.TO_ASK)) == []


def test_the_generic_csv_says_the_type(tmp_path: Path) -> None:
    csv = tmp_path / "tool.csv"
    csv.write_text(
        "name,type,date\nData Weekly,newsletter,2026-01-02\nMax Muster,,2026-01-03\n"
        "Acme,company page,2026-01-04\nOdd,spaceship,2026-01-05\n",
        encoding="utf-8",
    )
    records = list(iter_records([csv], ImportContext()))
    kinds = [getattr(r, "kind", None) for r in records]
    assert kinds[:3] == [InvitationKind.NEWSLETTER, InvitationKind.PERSON, InvitationKind.PAGE]
    assert "unknown type 'spaceship'" in getattr(records[3], "reason", "")


@pytest.mark.parametrize(
    "subject",
    [
        "Ole invited you to join his network",
        "Ole hat Sie zu seinem LinkedIn-Netzwerk eingeladen",
        "Ole invited you to join LinkedIn",
    ],
)
def test_an_invitation_to_a_network_is_a_persons(subject: str) -> None:
    assert invitation_kind(subject)[0] is InvitationKind.PERSON
