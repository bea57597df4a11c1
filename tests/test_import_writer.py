"""Imports larger than one writer chunk: the search index, events and idempotence hold."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netinbox.importers import BadInput
from netinbox.importing import apply_import, run_import
from netinbox.models import Platform, RequestRecord
from netinbox.query import parse
from netinbox.store import CHUNK, Store

from .conftest import Clock

HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
START = datetime(2025, 3, 1, 12, 0)  # local time of the newest row; the file lists newest first


def row(i: int, *, message: str = "", minutes: int | None = None) -> list[str]:
    sent = START - timedelta(minutes=i if minutes is None else minutes)
    return [
        f"Sender{i:05d} Person",
        "Mira Testfeld",
        sent.strftime("%m/%d/%y, %I:%M %p"),
        message,
        "INCOMING",
        f"https://www.linkedin.com/in/sender-{i:05d}",
        "https://www.linkedin.com/in/mira-testfeld-0a1b2c",
    ]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def counts(store: Store) -> tuple[int, int, int]:
    one = store.conn.execute
    return (
        one("SELECT count(*) FROM requests").fetchone()[0],
        one("SELECT count(*) FROM search").fetchone()[0],
        one("SELECT count(*) FROM events").fetchone()[0],
    )


def index_is_sound(store: Store) -> None:
    """FTS5's own check, and every request's entry under its search_key."""
    with store.write():
        store.conn.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    missing = store.conn.execute(
        "SELECT count(*) FROM requests r WHERE NOT EXISTS"
        " (SELECT 1 FROM search s WHERE s.rowid = r.search_key)"
    ).fetchone()[0]
    assert missing == 0


N = 2 * CHUNK + 123  # three writer chunks


def test_a_file_of_several_chunks_is_indexed_once_and_imported_once(
    tmp_path: Path, berlin_store: Store, clock: Clock
) -> None:
    source = write_csv(tmp_path / "Invitations.csv", [row(i) for i in range(N)])
    summary = run_import(berlin_store, [source])
    assert summary.total("new") == N
    assert counts(berlin_store) == (N, N, N)
    index_is_sound(berlin_store)
    # Found by name from the first and the last chunk, newest first.
    assert len(berlin_store.ids(parse("Sender00000"))) == 1
    assert len(berlin_store.ids(parse(f"Sender{N - 1:05d}"))) == 1
    assert len(berlin_store.ids(parse("Person"))) == N
    events = berlin_store.conn.execute("SELECT DISTINCT kind, at, change_id FROM events").fetchall()
    assert [tuple(e) for e in events] == [("imported", "2026-02-02T09:00:00Z", None)]
    assert (
        berlin_store.conn.execute(
            "SELECT count(DISTINCT request_id) FROM events WHERE kind = 'imported'"
        ).fetchone()[0]
        == N
    )

    again = run_import(berlin_store, [source])
    assert again.total("new") == 0 and again.total("unchanged") == N
    assert counts(berlin_store) == (N, N, N)


def test_a_later_chunk_fills_a_request_an_earlier_chunk_added(tmp_path: Path, berlin_store: Store) -> None:
    """Row N-1 is the first row's request again (same person, same minute) with its message:
    the request was added in chunk one, is filled in chunk three, indexed once. It counts
    as new once and as repeated, not as an update: the berlin_store did not have it before."""
    rows = [row(i) for i in range(N - 1)]
    rows.append(row(0, message="Hello, we met at the flamingo conference", minutes=0))
    summary = run_import(berlin_store, [write_csv(tmp_path / "Invitations.csv", rows)])
    assert summary.counts["requests"] == {"new": N - 1, "repeated": 1}
    assert summary.headline().startswith(f"{N - 1} new, 0 updated")
    assert counts(berlin_store) == (N - 1, N - 1, N - 1)
    index_is_sound(berlin_store)
    (found,) = berlin_store.ids(parse("flamingo"))
    detail = berlin_store.get(found)
    assert detail.person.name == "Sender00000 Person"
    assert "no_message" not in detail.request.flags


def test_answers_after_a_large_import_find_the_indexed_requests(
    tmp_path: Path, berlin_store: Store
) -> None:
    """Messages are applied after the requests: the index must be complete by then."""
    source = write_csv(tmp_path / "Invitations.csv", [row(i) for i in range(N)])
    run_import(berlin_store, [source])
    request_id = berlin_store.ids(parse("Sender00007"))[0]
    berlin_store.mark_sent(request_id, "Why would you like to connect?")
    sent = berlin_store.get(request_id).follow_up
    assert sent is not None
    messages = tmp_path / "messages.csv"
    answer_at = (sent.sent_at + timedelta(hours=2)).astimezone(UTC)
    messages.write_text(
        "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE,CONTENT\n"
        f"c1,Sender00007 Person,https://www.linkedin.com/in/sender-00007,Mira Testfeld,"
        f"{answer_at:%Y-%m-%d %H:%M:%S} UTC,Because of the quokka project\n",
        encoding="utf-8",
    )
    summary = run_import(berlin_store, [source, messages])
    assert summary.counts["requests"] == {"unchanged": N}
    assert summary.counts["messages"] == {"answer": 1}
    assert berlin_store.ids(parse("quokka")) == [request_id]
    index_is_sound(berlin_store)


def test_a_bad_file_after_several_chunks_leaves_nothing(tmp_path: Path, berlin_store: Store) -> None:
    source = write_csv(tmp_path / "Invitations.csv", [row(i) for i in range(N)])
    bad = tmp_path / "broken.csv"
    bad.write_text('From,To,Sent At,Message,Direction\n"never closed,x\n', encoding="utf-8")
    with pytest.raises(BadInput):
        run_import(berlin_store, [source, bad])
    assert counts(berlin_store) == (0, 0, 0)


def test_dry_run_of_several_chunks_writes_nothing(tmp_path: Path, berlin_store: Store) -> None:
    source = write_csv(tmp_path / "Invitations.csv", [row(i) for i in range(N)])
    summary = run_import(berlin_store, [source], dry_run=True)
    assert summary.total("new") == N
    assert counts(berlin_store) == (0, 0, 0)


def test_requests_added_one_by_one_are_indexed_at_once(berlin_store: Store) -> None:
    """Without `batch_search` (the app's hand entry), each write indexes its own requests."""
    record = RequestRecord(
        platform=Platform.LINKEDIN,
        name="Wilhelmina Quast",
        message="About the zeppelin meetup",
        received_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
    )
    request_id = berlin_store.add_request(record)
    assert berlin_store.ids(parse("zeppelin")) == [request_id]
    summary = apply_import(berlin_store, [record])
    assert summary.counts["requests"] == {"unchanged": 1}
    assert counts(berlin_store) == (1, 1, 1)
