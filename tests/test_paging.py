"""Every way the list reads a page gives the same rows as walking the view from its top.

The list reads a page next to one it has from that page's edge row (`after`/`before`),
and a page in a view's second half from its end (`total`): each must be exactly the
page an offset gives, in every view, with and without free text and terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from netinbox.query import View, parse
from netinbox.store import Store
from tests.conftest import Clock, copy_store

ANCHORED = re.compile(r"[<>]\?[ )]|VIRTUAL TABLE INDEX \d+:M\d+[<>]")
SEARCHES = ("", "no:msg", "net:xing", "a", "e no:msg", "state:asked")


@pytest.fixture
def demo(demo_file: Path, db_path: Path, clock: Clock) -> Iterator[Store]:
    with Store(copy_store(demo_file, db_path), clock=clock) as store:
        yield store


@pytest.mark.parametrize("view", list(View))
@pytest.mark.parametrize("search", SEARCHES)
def test_pages_read_from_a_neighbour_or_the_end_are_the_pages_of_the_view(
    demo: Store, view: View, search: str
) -> None:
    query = parse(search, view)
    every = demo.rows(query, 0, 10_000)
    total = len(every)
    assert demo.count(query) == total
    size = 3  # small pages: the demo's views hold a few dozen requests
    for offset in range(0, total, size):
        page = every[offset : offset + size]
        assert demo.rows(query, offset, size) == page
        assert demo.rows(query, offset, size, total=total) == page, offset
        if offset:
            assert demo.rows(query, limit=size, after=every[offset - 1].id) == page, offset
        if offset + size < total:
            following = every[offset + size].id
            assert demo.rows(query, limit=size, before=following) == page, offset


@pytest.mark.parametrize("view", list(View))
def test_a_page_next_to_another_walks_the_index_from_it(demo: Store, view: View) -> None:
    """No sort of the view and no walk from its top: the anchor bounds the index range."""
    for search in ("", "manager"):
        query = parse(search, view)
        plans = demo.plans(query, walk="after") | demo.plans(query, walk="before")
        for steps in plans.values():
            # The walk starts at the anchor: an index range (`received_at<?`), or the
            # search index's own rowid range (`M…<`).
            assert any(ANCHORED.search(step) for step in steps), steps


def test_the_snoozed_view_pages_and_places_in_wake_order(demo: Store, clock: Clock) -> None:
    """Snoozed is in the order the requests wake (the next to wake first), not the order
    they came in: its neighbour pages and a request's place follow that order too. (They
    followed the time order: past its first page, Snoozed showed rows twice and skipped
    others, and the cursor lost its request.)"""
    from datetime import timedelta

    new = demo.rows(parse("", View.NEW), 0, 12)
    for days, row in zip((9, 2, 5, 1, 7, 3, 8, 4, 6, 10, 11, 12), new, strict=True):
        demo.snooze(row.id, clock.now + timedelta(days=days))  # waking in another order
    query = parse("", View.SNOOZED)
    every = demo.rows(query, 0, 10_000)
    assert len(every) >= 12
    size = 3
    for offset in range(size, len(every), size):
        page = every[offset : offset + size]
        assert demo.rows(query, limit=size, after=every[offset - 1].id) == page, offset
        if offset + size < len(every):
            assert demo.rows(query, limit=size, before=every[offset + size].id) == page
    assert [demo.position(query, row.id) for row in every] == list(range(len(every)))
