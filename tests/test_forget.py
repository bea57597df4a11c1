"""Forgetting a person leaves no trace in the file, and a re-import does not bring them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from netinbox.db import StoreError
from netinbox.importing import apply_import
from netinbox.models import Platform
from netinbox.query import Query, parse
from netinbox.store import Store

from .conftest import Clock

SECRETS = {
    "name": "Quirinius Zaphodbeeblebrox",
    "headline": "Xylophonspezialistin",
    "company": "Gehimnisträgerwerk",
    "message": "Mein Codewort lautet Vorhangschnalle",
    "draft": "Entwurf mit Kartoffelpuffertext",
    "answer": "Die Antwort heißt Wolkenkuckucksheim",
    "note": "Notiz über Fledermausleiter",
}
URL = "https://www.linkedin.com/in/quirinius-z"


def needles() -> list[bytes]:
    """Each secret word as stored, and as FTS5 tokens (lower-case, diacritics removed)."""
    words = {w for text in SECRETS.values() for w in text.split() if len(w) > 9}
    words |= {w.lower() for w in words} | {"gehimnistragerwerk", "quirinius-z"}
    return sorted(w.encode() for w in words)


def traces(db_path: Path) -> list[bytes]:
    blob = b"".join(
        Path(f"{db_path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{db_path}{suffix}").exists()
    )
    return [needle for needle in needles() if needle in blob]


@pytest.fixture
def secret_request(store: Store, clock: Clock, rec) -> int:
    record = rec(
        SECRETS["name"],
        profile_url=URL,
        headline=SECRETS["headline"],
        company=SECRETS["company"],
        message=SECRETS["message"],
    )
    rid = store.add_request(record)
    store.save_draft(rid, SECRETS["draft"], "en")
    store.mark_sent(rid)
    clock.advance(days=1)
    store.record_answer(rid, SECRETS["answer"])
    store.add_note(rid, SECRETS["note"])
    store.accept(rid, SECRETS["note"])
    return rid


def test_forget_leaves_no_trace_in_db_or_wal(
    store: Store, db_path: Path, rec, secret_request: int
) -> None:
    keep = store.add_request(rec("Lena Vogt", message="Bleibt erhalten"))
    assert traces(db_path)  # the check can see the secrets while they are there
    person = store.person_id_of(secret_request)

    assert store.forget_person(person) == SECRETS["name"]

    assert traces(db_path) == []
    assert store.ids(Query()) == [keep]
    assert store.ids(parse("Zaphodbeeblebrox")) == []
    assert store.ids(parse("Bleibt")) == [keep]
    for table in ("persons", "follow_ups", "drafts", "events", "search"):
        count = store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count == (0 if table in ("follow_ups", "drafts") else 1), table
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    store.close()
    assert traces(db_path) == []


def test_forgotten_person_stays_forgotten(
    store: Store, db_path: Path, clock: Clock, rec, secret_request: int
) -> None:
    store.forget_person(store.person_id_of(secret_request))
    again = rec(SECRETS["name"], profile_url=URL, message="Hallo nochmal")
    by_url_only = rec("Q. Z.", profile_url=URL + "/?trk=abc")
    by_name_only = rec(SECRETS["name"].upper(), days_ago=40)

    summary = apply_import(store, [again, by_url_only, by_name_only])
    assert summary.counts["requests"] == {"forgotten": 3}
    with pytest.raises(StoreError, match="forgotten"):
        store.add_request(again)
    assert store.undo() is None  # nothing of theirs is left to undo
    store.close()

    with Store(db_path, clock=clock) as reopened:
        assert apply_import(reopened, [again]).counts["requests"] == {"forgotten": 1}
        with pytest.raises(StoreError, match="forgotten"):
            reopened.add_request(again)
        assert reopened.count(Query()) == 0
        # The tombstone is a keyed hash, not the name.
        keys = [r[0] for r in reopened.conn.execute("SELECT key FROM tombstones")]
        assert len(keys) == 2 and all(len(k) == 64 for k in keys)
        # Another platform is another person.
        assert reopened.add_request(again.model_copy(update={"platform": Platform.XING}))


def test_forget_unknown_person(store: Store) -> None:
    with pytest.raises(StoreError, match="No person 42"):
        store.forget_person(42)


def test_forgetting_one_namesake_keeps_the_other(store: Store, rec) -> None:  # type: ignore[no-untyped-def]
    """A tombstone by profile URL does not keep out someone else with the same name."""
    first = rec("Thomas Müller", profile_url="https://www.linkedin.com/in/thomas-mueller-1")
    other = rec("Thomas Müller", profile_url="https://www.linkedin.com/in/thomas-mueller-2")
    apply_import(store, [first])
    (request_id,) = store.ids(Query())
    store.forget_person(store.person_id_of(request_id))
    summary = apply_import(store, [first, other, first.model_copy(update={"profile_url": None})])
    assert summary.counts["requests"]["forgotten"] == 2
    assert summary.counts["requests"]["new"] == 1
    (kept,) = store.ids(Query())
    assert store.get(kept).person.profile_url == "https://www.linkedin.com/in/thomas-mueller-2"


def test_a_reader_holding_up_the_wipe_is_told_and_the_next_open_finishes_it(
    store: Store, db_path: Path, secret_request: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from click.testing import CliRunner

    from netinbox.cli import main
    from netinbox.store import opening as store_module

    monkeypatch.setattr(store_module, "WIPE_WAIT_MS", 50)
    person = store.person_id_of(secret_request)
    store.close()
    reader = sqlite3.connect(db_path)  # another program, in the middle of a read
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM requests").fetchone()
    result = CliRunner().invoke(main, ["forget", "--db", str(db_path), str(person), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Forgot {SECRETS['name']}, but another program is reading")
    assert "wipes it the next time the app, or a command that changes the store" in (
        " ".join(result.stdout.split())
    )
    assert traces(db_path)  # which is why it did not just say "Forgot"
    reader.close()
    with Store(db_path) as reopened:  # the next open for writing finishes the wipe
        assert reopened.wiped
        assert reopened.count(Query()) == 0
    assert traces(db_path) == []
