"""An import from the app is one change `u` takes back: the requests it added go, with
all it recorded about them; nothing the user did, and nothing stored before, changes.
An import from the command line is no step of anyone's undo."""

from __future__ import annotations

from collections.abc import Callable

from netinbox.importing import run_import
from netinbox.kinds import Status
from netinbox.models import RequestRecord
from netinbox.query import Query
from netinbox.store import Store
from tests.conftest import EXPORT


def _names(store: Store) -> set[str]:
    return {name for (name,) in store.conn.execute("SELECT name FROM persons")}


def test_undo_takes_back_what_the_apps_import_added_and_nothing_else(
    store: Store, rec: Callable[..., RequestRecord]
) -> None:
    mine = store.add_request(rec("Vera Vorher"))
    store.decline(mine, "not my field")
    before = _names(store)
    summary = run_import(store, [EXPORT], undoable=True)
    added = summary.total("new")
    assert summary.undoable and added == 9
    assert store.count(Query()) == 1 + added
    assert store.undo() == f"the import of {added} new requests"
    assert store.count(Query()) == 1 and _names(store) == before
    assert store.get(mine).request.status is Status.DECLINED  # the user's decision stays
    assert store.conn.execute("SELECT count(*) FROM follow_ups").fetchone()[0] == 0
    again = run_import(store, [EXPORT])  # and the export brings them back as it did
    assert again.total("new") == added


def test_a_command_line_import_is_no_step_of_undo(
    store: Store, rec: Callable[..., RequestRecord]
) -> None:
    mine = store.add_request(rec("Vera Vorher"))
    store.decline(mine)
    summary = run_import(store, [EXPORT])
    assert not summary.undoable
    assert store.undo() == "declined Vera Vorher"  # the user's own last change
    assert store.count(Query()) == 1 + summary.total("new")


def test_an_import_that_added_nothing_is_no_step_of_undo(store: Store) -> None:
    run_import(store, [EXPORT])
    again = run_import(store, [EXPORT], undoable=True)
    assert again.total("new") == 0 and not again.undoable
    assert store.undo() is None
