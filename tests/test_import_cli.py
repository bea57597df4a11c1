"""`netinbox import` end to end: sample files into a store, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netinbox.cli import main
from netinbox.db import StoreError
from netinbox.importing import run_import
from netinbox.query import Query, parse
from netinbox.store import Store
from tests.conftest import EXPORT, EXPORT_ZIP, SAMPLES

# LinkedIn's `Sent At` has no zone: the reader's zone is pinned so results are exact.
pytestmark = pytest.mark.usefixtures("berlin")


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def every_sample() -> list[Path]:
    """Every sample file a user might hand to `import` (the unpacked export as a folder)."""
    files = [EXPORT, SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip"]
    for folder in ("linkedin/variants", "linkedin/nasty", "email", "vcard", "thirdparty"):
        files.extend(sorted((SAMPLES / folder).iterdir()))
    return files


def export_json(db: Path) -> str:
    result = cli("export", "--db", db)
    assert result.exit_code == 0, result.output
    return result.output


def by_name(db: Path) -> dict[str, dict]:
    return {item["name"]: item for item in json.loads(export_json(db))}


def test_linkedin_export_zip(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    result = cli(
        "import", "--db", db, SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip"
    )
    assert result.exit_code == 0, result.output
    assert "9 new" in result.output
    assert "Connections.csv:8: hidden profile (only a date)" in result.output
    people = by_name(db)
    assert len(people) == 9
    assert "Mira Testfeld" not in people  # the owner is never a request
    outgoing = {n for n, p in people.items() if p["direction"] == "outgoing"}
    assert outgoing == {"Konstantin Weiß", "Ana-Lucía Peña", "Ole Brømmer"}
    # Connections.csv: these senders were accepted on LinkedIn already.
    accepted = {n for n, p in people.items() if p["status"] == "accepted"}
    assert accepted == {
        "Zoë O'Connor-Smith", "Renée Dubois, PhD", "Tarek Haddad 🚀", "Grete Sommerfeld",
        "Konstantin Weiß", "Ana-Lucía Peña",
    }  # fmt: skip
    assert people["Rita Recruiterova"]["status"] == "new"
    joerdis = people["Jördis Übermuth"]
    assert joerdis["message"].startswith("Hallo Mira, ich habe Ihren Vortrag")
    assert "gesehen.  Hätten" in joerdis["message"]  # the double space that was a line break
    assert joerdis["received_at"] == "2025-03-13T23:03:00Z"  # 3/14/25 12:03 AM in Berlin
    assert joerdis["profile_url"] == "https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21"
    assert "no_message" not in joerdis["flags"]
    assert "no_message" in people["Renée Dubois, PhD"]["flags"]
    # Invitations.csv has no job title or company: unknown, not a placeholder
    rita = people["Rita Recruiterova"]
    assert rita["headline"] == "" and rita["company"] == ""
    assert not {"placeholder_title", "placeholder_company"} & set(rita["flags"])


@pytest.mark.parametrize("export", [EXPORT, EXPORT_ZIP], ids=["folder", "zip"])
def test_an_export_into_an_empty_store_is_all_new_and_again_all_unchanged(
    tmp_path: Path, export: Path
) -> None:
    """What the user reads: the connections and messages that refer to requests this same
    import added are part of "new", never counted as updated (a trial read "9 new, 6
    updated" on an empty store); a second import of the same files changes nothing."""
    db = tmp_path / "n.db"
    first = cli("import", "--db", db, export)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "requests: 9 new",
        "connections: 6 accepted on platform (just imported)",
        "messages: 1 not from a requester, 2 context, 1 question (just imported), 1 ignored",
        "skipped: 1",
        "  Connections.csv:8: hidden profile (only a date)",
        "9 new, 0 updated, 0 unchanged, 1 skipped",
    ]
    again = cli("import", "--db", db, export)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines() == [
        "requests: 9 unchanged",
        "connections: 6 unchanged",
        "messages: 1 not from a requester, 3 unchanged, 1 ignored",
        "skipped: 1",
        "  Connections.csv:8: hidden profile (only a date)",
        "0 new, 0 updated, 18 unchanged, 1 skipped",
    ]


def test_connections_and_messages_held_in_a_temporary_database_apply_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large export's connections and messages wait in a temporary database instead of
    memory: applied in the same order (connections first, messages oldest first), they
    give the same store and the same report as when held in memory."""
    from netinbox import importing

    asked_at = datetime(2025, 3, 13, 15, 30, tzinfo=UTC)
    results = []
    for held in (importing.HELD_IN_MEMORY, 0):
        monkeypatch.setattr(importing, "HELD_IN_MEMORY", held)
        db = tmp_path / f"held-{held}.db"
        assert cli("import", "--db", db, EXPORT / "Invitations.csv").exit_code == 0
        with Store(db, clock=lambda: asked_at) as store:
            (rita,) = store.ids(parse("Rita"))
            store.mark_sent(rita, "Hello Rita, why would you like to connect?")
        result = cli("import", "--db", db, EXPORT)
        assert result.exit_code == 0, result.output
        results.append((result.output, export_json(db)))
    assert results[1] == results[0]
    lines = results[0][0].splitlines()
    assert "messages: 1 not from a requester, 1 context, 1 question, 1 answer, 1 ignored" in lines


def test_answer_found_in_messages_csv(tmp_path: Path) -> None:
    """Rita wrote back after our follow-up: importing messages.csv records her answer."""
    db = tmp_path / "n.db"
    assert cli("import", "--db", db, EXPORT / "Invitations.csv").exit_code == 0
    asked_at = datetime(2025, 3, 13, 15, 30, tzinfo=UTC)  # after her request, before her message
    with Store(db, clock=lambda: asked_at) as store:
        (rita,) = store.ids(parse("Rita"))
        store.mark_sent(rita, "Hello Rita, why would you like to connect?")
    result = cli("import", "--db", db, EXPORT)
    assert result.exit_code == 0, result.output
    item = by_name(db)["Rita Recruiterova"]
    assert item["status"] == "answered"
    (follow_up,) = item["follow_ups"]
    assert follow_up["answered_at"] == "2025-03-13T16:20:00Z"
    assert follow_up["answer"] == "Hello Mira,\nas promised, details attached.\n\nBest, Rita"


def test_undo_never_deletes_an_answer_a_later_import_brought(tmp_path: Path) -> None:
    """Asked in the app, answered per messages.csv, then `u`: the answer must stay."""
    db = tmp_path / "n.db"
    assert cli("import", "--db", db, EXPORT / "Invitations.csv").exit_code == 0
    asked_at = datetime(2025, 3, 13, 15, 30, tzinfo=UTC)
    with Store(db, clock=lambda: asked_at) as store:
        (rita,) = store.ids(parse("Rita"))
        store.mark_sent(rita, "Hello Rita, why would you like to connect?")
    assert cli("import", "--db", db, EXPORT).exit_code == 0
    with Store(db) as store:
        with pytest.raises(StoreError) as refused:
            store.undo()
        assert str(refused.value) == (
            "Cannot undo 'asked Rita Recruiterova': an import since then brought Rita "
            "Recruiterova's answer, which undoing would delete. Change the request by hand "
            "instead."
        )
    item = by_name(db)["Rita Recruiterova"]
    assert item["status"] == "answered"
    assert item["follow_ups"][0]["answer"].startswith("Hello Mira,")


def test_every_sample_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    for path in every_sample():
        cli("import", "--db", db, path)  # malformed-on-purpose files are reported, not fatal
    first = export_json(db)
    assert len(json.loads(first)) >= 20
    for path in every_sample():
        result = cli("import", "--db", db, path)
        assert "0 new" in result.output or result.exit_code != 0, (path, result.output)
    assert export_json(db) == first


def test_zip_and_folder_are_the_same_export(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    assert cli("import", "--db", db, EXPORT).exit_code == 0
    before = export_json(db)
    result = cli(
        "import", "--db", db, SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip"
    )
    assert "0 new" in result.output and "0 updated" in result.output
    assert export_json(db) == before


def test_mbox_and_maildir_with_the_same_mails(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    mbox = SAMPLES / "email" / "notifications.mbox"
    first = cli("import", "--db", db, mbox)
    assert first.exit_code == 0 and " 0 new" not in first.output
    maildir = tmp_path / "Mail"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    import mailbox

    for number, message in enumerate(mailbox.mbox(mbox)):
        (maildir / "cur" / f"{number}.eml").write_bytes(message.as_bytes())
    again = cli("import", "--db", db, maildir)
    assert again.exit_code == 0, again.output
    assert "0 new" in again.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"%PDF-1.7\n\x00\x01binary", "not a text file"),
        (b"Date,Amount,Currency\n2026-01-01,5,EUR\n", "Amount"),
    ],
    ids=["empty", "binary", "unrelated-csv"],
)
def test_bad_file_is_one_clear_error_and_changes_nothing(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    db = tmp_path / "n.db"
    assert cli("import", "--db", db, EXPORT / "Invitations.csv").exit_code == 0
    before = export_json(db)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(bad)])
    assert result.exit_code != 0
    assert str(bad) in result.output and problem in result.output
    assert "Traceback" not in result.output
    assert export_json(db) == before


def test_truncated_zip_and_traversal_zip(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    data = (SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip").read_bytes()
    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(data[: len(data) // 2])
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(truncated)])
    assert result.exit_code != 0 and "cut.zip" in result.output
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escaped.csv", (EXPORT / "Invitations.csv").read_bytes())
    listing = sorted(p.name for p in tmp_path.parent.rglob("*") if p.is_file())
    result = CliRunner().invoke(main, ["import", "--db", str(db), str(evil)])
    assert result.exit_code != 0 and "evil.zip" in result.output
    assert sorted(p.name for p in tmp_path.parent.rglob("*") if p.is_file()) == listing
    with Store(db) as store:
        assert store.count(Query()) == 0


def test_unparseable_date_is_skipped_with_its_line(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    csv_file = tmp_path / "Invitations.csv"
    csv_file.write_text(
        "From,To,Sent At,Message,Direction\n"
        'Ana Alpha,Mira Testfeld,"1/19/26, 9:15 AM",,INCOMING\n'
        "Bert Beta,Mira Testfeld,yesterday-ish,,INCOMING\n"
        'Cleo Gamma,Mira Testfeld,"1/20/26, 10:00 AM",Hi!,INCOMING\n',
        encoding="utf-8",
    )
    result = cli("import", "--db", db, csv_file)
    assert result.exit_code == 0
    assert "Invitations.csv:3:" in result.output and "2 new" in result.output
    strict = CliRunner().invoke(
        main, ["import", "--strict", "--db", str(tmp_path / "s.db"), str(csv_file)]
    )
    assert strict.exit_code != 0 and "Invitations.csv:3" in strict.output
    with Store(tmp_path / "s.db") as store:
        assert store.count(Query()) == 0


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    result = cli("import", "--dry-run", "--db", db, EXPORT)
    assert "9 new" in result.output and "dry run" in result.output
    with Store(db) as store:
        assert store.count(Query()) == 0


def test_refused_while_the_app_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with Store(db, lock=True):
        result = CliRunner().invoke(main, ["import", "--db", str(db), str(EXPORT)])
    assert result.exit_code != 0 and "already open" in result.output


def test_a_few_thousand_mails_with_a_handful_of_invitations(tmp_path: Path) -> None:
    invitation = (SAMPLES / "email" / "linkedin_invitation_classic.eml").read_bytes()
    with (tmp_path / "big.mbox").open("wb") as out:
        for number in range(3000):
            if number % 600 == 7:
                body = invitation.replace(b"Ole Br=C3=B8mmer", f"Ole Number{number}".encode())
                body = body.replace(b"=?utf-8?q?Ole_Br=C3=B8mmer?=", f"Ole Number{number}".encode())
                body = body.replace(b"in/ole-broemmer", f"in/ole-{number}".encode())
            else:
                body = (
                    f"From: News <news@shop.example>\nSubject: Offer {number}\n"
                    f"Date: Mon, 5 Jan 2026 10:00:00 +0000\n\nBuy now, {number}!\n"
                ).encode()
            out.write(b"From sender@example Mon Jan  5 10:00:00 2026\n" + body + b"\n")
    result = cli("import", "--db", tmp_path / "n.db", tmp_path / "big.mbox")
    assert result.exit_code == 0, result.output
    assert "5 new" in result.output


KILL_CHILD = """
import sys
from netinbox.importing import run_import
from netinbox.store import Store
store = Store(sys.argv[1])
def advance(n):
    print("progress", n, flush=True)
run_import(store, [sys.argv[2]], advance=advance)
print("done", flush=True)
"""


def test_killed_mid_import_leaves_nothing_half_written(tmp_path: Path) -> None:
    rows = ["From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl"]
    for i in range(20000):
        rows.append(
            f'Person {i:05d},Mira Testfeld,"1/{i % 28 + 1}/26, 9:{i % 60:02d} AM",,INCOMING,'
            f"https://www.linkedin.com/in/person-{i},https://www.linkedin.com/in/mira"
        )
    big = tmp_path / "Invitations.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "n.db"
    Store(db).close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_CHILD, str(db), str(big)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert child.stdout is not None
    first = child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert first.startswith(("progress", "done"))
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.count(Query()) in (0, 20000)  # all or nothing
        summary = run_import(store, [big])
        assert store.count(Query()) == 20000
        assert summary.total("new") + summary.total("unchanged") == 20000


def _export_with_a_conversation(tmp_path: Path, messages: list[str]) -> Path:
    """The sample export plus Paul, whose request (no message) waits, and the given
    messages.csv rows: what the user wrote to him outside netinbox, and his replies."""
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("Profile.csv", "Connections.csv"):
        (folder / name).write_bytes((EXPORT / name).read_bytes())
    invitations = (EXPORT / "Invitations.csv").read_text(encoding="utf-8")
    invitations += (
        'Paul Pending,Mira Testfeld,"3/1/25, 9:00 AM",,INCOMING,'
        "https://www.linkedin.com/in/paul-pending,https://www.linkedin.com/in/mira-testfeld-0a1b2c\n"
    )
    (folder / "Invitations.csv").write_text(invitations, encoding="utf-8")
    header = (EXPORT / "messages.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "messages.csv").write_text("\n".join([header, *messages]) + "\n", encoding="utf-8")
    return folder


MIRA = "Mira Testfeld,https://www.linkedin.com/in/mira-testfeld-0a1b2c"
PAUL = "Paul Pending,https://www.linkedin.com/in/paul-pending"
ASKED = f"2-paul,,{MIRA},{PAUL},2025-03-02 10:00:00 UTC,,Hi Paul — why would you like to connect?,INBOX,,No"
REPLY = f"2-paul,,{PAUL},{MIRA},2025-03-04 18:30:00 UTC,,We met at PyData Berlin!,INBOX,,No"


def test_a_question_asked_and_answered_outside_the_app_is_recorded(tmp_path: Path) -> None:
    """Mira asked Paul why on LinkedIn itself, and he answered: importing the export
    records her question as the follow-up (sent then, due 7 days later) and his reply as
    the answer, so the request is Answered, not New with "ask why"."""
    db = tmp_path / "n.db"
    folder = _export_with_a_conversation(tmp_path, [REPLY, ASKED])  # files are not in order
    result = cli("import", "--db", db, folder)
    assert result.exit_code == 0, result.output
    paul = by_name(db)["Paul Pending"]
    assert paul["status"] == "answered"
    (follow_up,) = paul["follow_ups"]
    assert follow_up["body"] == "Hi Paul — why would you like to connect?"
    assert follow_up["sent_at"] == "2025-03-02T10:00:00Z"
    assert follow_up["due_at"] == "2025-03-09T10:00:00Z"
    assert follow_up["answered_at"] == "2025-03-04T18:30:00Z"
    assert follow_up["answer"] == "We met at PyData Berlin!"
    before = export_json(db)
    again = cli("import", "--db", db, folder)  # idempotent
    assert again.exit_code == 0 and "0 new, 0 updated" in again.output
    assert export_json(db) == before


def test_a_question_outside_the_app_starts_the_deadline_then(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    cli("import", "--db", db, _export_with_a_conversation(tmp_path, [ASKED]))
    paul = by_name(db)["Paul Pending"]
    assert paul["status"] == "asked"
    assert paul["follow_ups"][0]["due_at"] == "2025-03-09T10:00:00Z"
    with Store(db) as store:
        (rid,) = store.ids(parse("Paul"))
        detail = store.get(rid)
        assert detail.request.due_at == datetime(2025, 3, 9, 10, 0, tzinfo=UTC)
        assert "no_answer" in detail.request.flags  # long overdue by now


def test_what_the_user_did_in_the_app_stays(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    folder = _export_with_a_conversation(tmp_path, [ASKED, REPLY])
    assert cli("import", "--db", db, folder / "Invitations.csv").exit_code == 0
    with Store(db) as store:
        (rid,) = store.ids(parse("Paul"))
        store.decline(rid, "not my field")
    assert cli("import", "--db", db, folder).exit_code == 0
    paul = by_name(db)["Paul Pending"]
    assert paul["status"] == "declined" and paul["decision_note"] == "not my field"


def test_a_message_to_nobody_or_to_a_group_asks_nobody(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    nobody = f"2-x,,{MIRA},,,2025-03-02 11:00:00 UTC,,Anyone there?,INBOX,,No"
    group = (
        f'2-g,,{MIRA},"Paul Pending,Zoë O\'Connor-Smith",'
        '"https://www.linkedin.com/in/paul-pending,https://www.linkedin.com/in/zoe-oconnor-smith-123abc",'
        "2025-03-02 12:00:00 UTC,,Meetup tonight?,INBOX,,No"
    )
    result = cli("import", "--db", db, _export_with_a_conversation(tmp_path, [nobody, group]))
    assert result.exit_code == 0, result.output
    paul = by_name(db)["Paul Pending"]
    assert paul["status"] == "new" and paul["follow_ups"] == []
