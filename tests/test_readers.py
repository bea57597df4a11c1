"""Workers read on connections of their own, and a query made obsolete is stopped."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from netinbox.query import Query, parse
from netinbox.readers import Readers, interrupted
from netinbox.store import Store

ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


def test_a_reader_sees_the_store_and_cannot_change_it(store: Store, add) -> None:
    add("Anna Albers")
    reader = store.reader()
    try:
        assert reader.count(Query()) == 1
        assert reader.conn is not store.conn
        with pytest.raises(sqlite3.OperationalError):
            reader.conn.execute("DELETE FROM requests")
        add("Ben Brandt", days_ago=2)  # what the app writes, the reader sees next
        assert [row.name for row in reader.rows(parse("brandt"))] == ["Ben Brandt"]
    finally:
        reader.close()
    assert store.count(Query()) == 2


def _run(readers: Readers, tag: str, started: threading.Event, errors: list[BaseException]):
    def work() -> None:
        try:
            with readers.borrow(tag) as reader:
                started.set()
                reader.conn.execute(ENDLESS).fetchone()
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            errors.append(error)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_an_obsolete_query_is_stopped_not_waited_for(store: Store) -> None:
    readers = Readers(store)
    started = [threading.Event(), threading.Event()]
    errors: list[list[BaseException]] = [[], []]
    search = _run(readers, "list", started[0], errors[0])
    counts = _run(readers, "counts", started[1], errors[1])
    assert all(event.wait(10) for event in started)
    readers.interrupt("list")  # the user typed on: the search stops, the counts go on
    search.join(10)
    assert not search.is_alive() and interrupted(errors[0][0])
    assert counts.is_alive() and not errors[1]
    readers.close()  # closing stops everything still running
    counts.join(10)
    assert not counts.is_alive() and interrupted(errors[1][0])
    with pytest.raises(sqlite3.OperationalError):
        with readers.borrow("list"):
            pass


def test_a_stop_that_comes_before_the_query_starts_still_stops_it(store: Store) -> None:
    """The user's next key can come between lending a reader and its query's start, when
    SQLite's own interrupt finds nothing running and does nothing."""
    readers = Readers(store)
    with readers.borrow("list") as reader:
        readers.interrupt("list")
        with pytest.raises(sqlite3.OperationalError) as stopped:
            reader.conn.execute(ENDLESS).fetchone()
        assert interrupted(stopped.value)
    with readers.borrow("list") as reader:  # the next loan starts afresh
        assert tuple(reader.conn.execute("SELECT 1").fetchone()) == (1,)
    readers.close()


def test_a_reader_is_lent_again_and_the_app_store_is_free_meanwhile(store: Store) -> None:
    readers = Readers(store)
    with readers.borrow("list") as first:
        assert store.count(Query()) == 0  # the app's own connection answers at once
    with readers.borrow("counts") as second:
        assert second is first
    readers.close()
