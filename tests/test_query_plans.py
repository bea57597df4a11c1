"""The shape of every query plan: a search costs what its matches cost, not what its view holds.

SQLite plans from the schema alone here (no `ANALYZE` statistics are kept), so the plan an
empty store gets is the plan a store of 1,000,000 requests gets. Without these shapes the
planner walked New's index and ran the full-text match once per row: counting a name in
New took 23 s at 100,000 requests.
"""

from __future__ import annotations

import pytest

from netinbox.query import View, parse
from netinbox.store import Store

TERMS = (
    "",
    "no:msg",
    "has:msg",
    "state:new",
    "state:asked",
    "state:overdue",
    "state:decided",
    "state:snoozed",
    "due:overdue",
    "due:soon",
    "net:xing",
    "title:tba",
    "title:engineer",
    "company:tba",
    "company:acme",
    "mutual:0",
    "flag:contacts_hidden",
    "flag:no_answer",
    "dir:out",
    "type:newsletter",
    "type:person",
    "net:linkedin dir:in no:msg",
    "type:page dir:in",
)
"""Every term of the filter language (`query.py`), each kind of value, and a mix."""


def _shapes() -> list[tuple[View, str]]:
    return [(view, term) for view in View for term in TERMS]


@pytest.mark.parametrize(("view", "term"), _shapes())
def test_free_text_walks_the_search_index_first(store: Store, view: View, term: str) -> None:
    plans = store.plans(parse(f"müller {term}", view))
    for what, steps in plans.items():
        # The outer loop reads the matches from the index; each match then finds its
        # request by key, and its person by key: nothing scans a view.
        assert steps[0].startswith("SCAN s VIRTUAL TABLE"), (what, steps)
        assert "requests_search_key" in steps[1] or "PRIMARY KEY" in steps[1], (what, steps)
        assert not any(step.startswith("SCAN r") or step.startswith("SCAN p") for step in steps)
        assert all("MATCH" not in step for step in steps[1:]), (what, steps)


@pytest.mark.parametrize(("view", "term"), _shapes())
def test_filters_without_text_walk_an_index_of_requests(
    store: Store, view: View, term: str
) -> None:
    plans = store.plans(parse(term, view))
    for what, steps in plans.items():
        assert not any(" s " in f" {step} " for step in steps), (what, steps)  # no search
        if what != "count":
            # A page (and the ids in order) walks requests first, through an index (the
            # view's, the time order, its key), and looks each person up by key.
            walk = [s for s in steps if s.startswith(("SCAN", "SEARCH"))]
            assert walk[1 if what == "page" else 0].startswith(("SCAN r", "SEARCH r"))
            requests = [step for step in steps if step.startswith(("SCAN r", "SEARCH r"))]
            assert all("INDEX" in s or "PRIMARY KEY" in s for s in requests), (what, steps)
            people = [step for step in steps if step.startswith(("SCAN p", "SEARCH p"))]
            assert all("PRIMARY KEY" in step for step in people), (what, steps)
        else:
            # A count reads an index of requests, or (for a person's term in All) the
            # persons that match and their requests by key: never a table scan of both.
            assert all(
                "INDEX" in step or "PRIMARY KEY" in step or step == "SCAN p" for step in steps
            ), steps


@pytest.mark.parametrize("view", list(View))
def test_a_view_page_reads_its_ids_in_index_order(store: Store, view: View) -> None:
    """A page of a view stops after its rows: no sort of the whole view first."""
    for term in TERMS:
        if term.startswith(("state:", "due:", "flag:no_answer")):
            continue  # these narrow the view through the deadline index: a small set
        steps = store.plans(parse(term, view))["page"]
        inner = steps[steps.index("LIST SUBQUERY 1") + 1 :]
        # The sort after the persons' lookup orders the page's 100 ids, not the view.
        last = max(i for i, step in enumerate(inner) if step.startswith("SEARCH p"))
        assert not any("TEMP B-TREE" in step for step in inner[:last]), (term, steps)


@pytest.mark.parametrize("view", list(View))
def test_a_search_page_is_read_newest_first_from_the_index(store: Store, view: View) -> None:
    steps = store.plans(parse("manager", view))["page"]
    assert not any("TEMP B-TREE" in step for step in steps), steps
