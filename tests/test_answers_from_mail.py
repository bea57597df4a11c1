"""Answers from mail: a "X sent you a message" notification (LinkedIn, XING; English and
German) from a person the user asked records X's answer, clearing the deadline, as an
answer in messages.csv does (issue 14)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from netinbox.cli import main
from netinbox.importers import ImportContext, iter_records
from netinbox.models import MessageRecord, Platform
from netinbox.store import Store
from tests.conftest import Clock

MAIL = Path(__file__).parent / "fixtures" / "mail"


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def follow_up(db: Path, name: str) -> tuple[str, str | None, str | None]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT r.status, f.answered_at, f.answer FROM requests r"
            " JOIN persons p ON p.id = r.person_id JOIN follow_ups f ON f.request_id = r.id"
            " WHERE p.name = ?",
            (name,),
        ).fetchone()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("name", "platform", "sender", "text"),
    [
        (
            "linkedin_message_en.eml",
            Platform.LINKEDIN,
            "Person 0",
            "Hi Mira, thanks for asking! We met at the Data & Dogs meetup – I'd\n"
            "like to stay in touch about privacy engineering.",
        ),
        ("linkedin_message_de_no_text.eml", Platform.LINKEDIN, "Person 1", ""),
        (
            "xing_message_de.eml",
            Platform.XING,
            "Grete Sommerfeld",
            "Hallo Mira, gern erkläre ich es: Ich baue ein Team für Datenschutz auf.",
        ),
    ],
)
def test_a_message_notification_is_read_as_a_message_from_its_sender(
    name: str, platform: Platform, sender: str, text: str
) -> None:
    (record,) = iter_records([MAIL / name], ImportContext())
    assert isinstance(record, MessageRecord)
    assert (record.platform, record.sender_name, record.content) == (platform, sender, text)
    assert record.from_mail


@pytest.mark.parametrize(
    "subject",
    [
        "Anna Albers sent you a message",
        "Anna Albers sent you a new message",
        "Anna Albers just messaged you",
        "New message from Anna Albers",
        "You have a new message from Anna Albers",
        "Anna Albers hat Ihnen eine Nachricht gesendet",
        "Anna Albers hat dir eine neue Nachricht geschickt",
        "Neue Nachricht von Anna Albers",
        "Sie haben eine neue Nachricht von Anna Albers",
    ],
)
def test_the_sender_is_read_from_every_wording_of_the_subject(subject: str) -> None:
    from netinbox.importers.mail_messages import message_sender

    assert message_sender(subject) == "Anna Albers"


@pytest.mark.parametrize(
    "subject",
    ["Mira, please add me to your LinkedIn network", "Your messages this week", "Nachrichten"],
)
def test_other_subjects_name_no_sender(subject: str) -> None:
    from netinbox.importers.mail_messages import message_sender

    assert message_sender(subject) is None


def test_the_answer_of_a_person_asked_is_recorded_and_the_deadline_cleared(
    filled: Path, clock: Clock
) -> None:
    with Store(filled, clock=clock) as store:
        (person1,) = [
            row[0]
            for row in store.conn.execute(
                "SELECT r.id FROM requests r JOIN persons p ON p.id = r.person_id"
                " WHERE p.name = 'Person 1'"
            )
        ]
        store.mark_sent(person1, "Why would you like to connect?")
    run("import", "--db", filled, MAIL / "linkedin_message_en.eml")
    status, answered_at, answer = follow_up(filled, "Person 0")
    assert status == "answered" and answered_at is not None
    assert answer.startswith("Hi Mira, thanks for asking!")
    out = run("import", "--db", filled, MAIL / "linkedin_message_de_no_text.eml")
    assert "answer" in out
    assert follow_up(filled, "Person 1")[:1] == ("answered",)  # answered, no text to show
    assert "Nothing due" in run("due", "--db", filled, "--days", "30")
    again = run("import", "--db", filled, *sorted(MAIL.glob("linkedin_message_*.eml")))
    assert again.strip().splitlines()[-1].startswith("0 new, 0 updated"), again


def test_a_message_from_someone_never_asked_answers_nothing(filled: Path) -> None:
    before = follow_up(filled, "Person 0")
    run("import", "--db", filled, MAIL / "xing_message_de.eml")  # Grete: no request of hers
    assert follow_up(filled, "Person 0") == before


def test_a_xing_answer_is_recorded_too(db_path: Path, clock: Clock, rec) -> None:  # type: ignore[no-untyped-def]
    with Store(db_path, clock=clock) as store:
        grete = store.add_request(rec("Grete Sommerfeld", platform=Platform.XING))
        store.mark_sent(grete, "Warum möchten Sie sich vernetzen?")
    run("import", "--db", db_path, MAIL / "xing_message_de.eml")
    status, _, answer = follow_up(db_path, "Grete Sommerfeld")
    assert status == "answered" and answer.startswith("Hallo Mira, gern erkläre ich es")


def test_the_message_robots_other_mail_is_dropped_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A digest from messages-noreply@ costs a look at its Subject, not a MIME parse."""
    from netinbox.importers import email_parse

    def no_parse(raw: bytes) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(email_parse, "read_mail", no_parse)
    raw = (
        b"From: LinkedIn <messages-noreply@linkedin.com>\nSubject: Your weekly digest\n"
        b"Date: Tue, 03 Feb 2026 10:15:00 +0100\n\nSomeone viewed your profile.\n"
    )
    assert email_parse.parse_candidate(raw, "m.eml", Platform.LINKEDIN, None) is None


def test_an_invitation_worded_as_a_message_stays_an_invitation() -> None:
    """LinkedIn's invitation robot may announce a request with a note as "X has sent you a
    message": from invitations@ it is a request, not an answer."""
    from netinbox.importers import email_parse
    from netinbox.models import RequestRecord

    raw = (
        (MAIL / "linkedin_message_en.eml")
        .read_bytes()
        .replace(b"<messages-noreply@linkedin.com>", b"<invitations@linkedin.com>")
    )
    record = email_parse.parse_candidate(raw, "m.eml", Platform.LINKEDIN, None)
    assert isinstance(record, RequestRecord) and record.name == "Person 0"
