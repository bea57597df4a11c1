"""Views, counts, paging, search and the filter language; overdue across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netinbox.config import Config
from netinbox.importing import apply_import
from netinbox.models import ContactsVisible, Direction, Platform, Status
from netinbox.query import Query, QueryError, View, parse
from netinbox.store import Store

from .conftest import BERLIN, T0, Clock, copy_store


def test_paging_gives_every_row_once_in_order(store: Store, rec) -> None:
    # Pairs share a received_at, so the id tie-break matters.
    records = [rec(f"Person {i:03d}", days_ago=(i // 2) / 24) for i in range(250)]
    assert apply_import(store, records).counts["requests"] == {"new": 250}
    everything = store.ids(Query())
    pages: list[int] = []
    for offset in range(0, 260, 37):
        pages += [row.id for row in store.rows(Query(), offset=offset, limit=37)]
    assert pages == everything
    assert len(set(pages)) == 250
    rows = store.rows(Query(), limit=250)
    keys = [(row.received_at, row.id) for row in rows]
    assert keys == sorted(keys, reverse=True)
    assert store.count(Query()) == 250
    assert store.position(Query(), everything[100]) == 100
    assert store.position(Query(view=View.DECIDED), everything[0]) is None


def test_counts_match_every_view(demo_file, db_path, clock: Clock) -> None:
    with Store(copy_store(demo_file, db_path), clock=clock) as store:
        for moment in (clock.now, clock.now + timedelta(days=3), clock.now + timedelta(days=30)):
            clock.now = moment
            counts = store.counts()
            assert set(counts) == set(View)
            for view in View:
                ids = store.ids(Query(view=view))
                assert counts[view] == store.count(Query(view=view)) == len(ids), view
                assert len(store.rows(Query(view=view), limit=1000)) == len(ids)
            # The views plus what no view shows (snoozed, could not ask, our own new
            # requests) partition the store.
            views = (View.NEW, View.AWAITING, View.OVERDUE, View.ANSWERED, View.DECIDED)
            rest = ("state:snoozed", "state:could_not_ask", "dir:out state:new")
            assert counts[View.ALL] == sum(counts[v] for v in views) + sum(
                store.count(parse(term)) for term in rest
            )


def test_overdue_boundary_is_the_deadline_itself(store: Store, clock: Clock, add) -> None:
    rid = add()
    due = store.mark_sent(rid, "Why?").due_at
    clock.now = due - timedelta(seconds=1)
    assert store.ids(Query(view=View.OVERDUE)) == []
    assert store.ids(Query(view=View.AWAITING)) == [rid]
    assert "no_answer" not in store.get(rid).request.flags
    assert store.due(timedelta(0)) == []
    clock.now = due
    assert store.ids(Query(view=View.OVERDUE)) == [rid]
    assert store.ids(Query(view=View.AWAITING)) == []
    assert "no_answer" in store.get(rid).request.flags
    assert "no_answer" in store.rows(Query())[0].flags
    assert [item["overdue"] for item in store.due(timedelta(0))] == [True]


@pytest.mark.parametrize(
    ("sent_local", "hours"),
    [
        (datetime(2026, 3, 28, 20, 0, tzinfo=BERLIN), 7 * 24 - 1),  # clocks go forward 29 March
        (datetime(2026, 10, 24, 20, 0, tzinfo=BERLIN), 7 * 24 + 1),  # clocks go back 25 October
        (datetime(2026, 6, 1, 20, 0, tzinfo=BERLIN), 7 * 24),  # no change in between
    ],
)
@pytest.mark.parametrize("zone_from", ["config", "TZ"])
def test_deadline_keeps_the_wall_clock_time_across_dst(
    db_path, rec, monkeypatch: pytest.MonkeyPatch, sent_local: datetime, hours: int, zone_from: str
) -> None:
    """A follow-up sent Saturday 20:00 is due the next Saturday 20:00 local time, whatever
    the clocks did in between (docs/reliability.md, A-20); overdue flips at that UTC instant."""
    if zone_from == "config":
        config = Config(timezone="Europe/Berlin")
        monkeypatch.setenv("TZ", "America/New_York")  # must not matter
    else:
        config = Config()
        monkeypatch.setenv("TZ", "Europe/Berlin")
    clock = Clock(sent_local.astimezone(UTC))
    with Store(db_path, config=config, clock=clock) as store:
        rid = store.add_request(rec(received_at=clock.now - timedelta(days=1)))
        follow = store.mark_sent(rid, "Why?")
        assert follow.due_at - follow.sent_at == timedelta(hours=hours)
        shown = follow.due_at.astimezone(BERLIN)
        assert (shown.date(), shown.hour, shown.minute) == (
            (sent_local + timedelta(days=7)).date(),
            20,
            0,
        )
        clock.now = follow.due_at - timedelta(seconds=1)
        assert store.counts()[View.OVERDUE] == 0
        clock.now = follow.due_at
        assert store.counts()[View.OVERDUE] == 1
        assert store.ids(parse("due:overdue")) == [rid]


@pytest.fixture
def people(store: Store, clock: Clock, rec) -> dict[str, int]:
    """A small, fully known store for the filter language."""
    records = {
        "tarek": rec("Tarek Haddad", headline="tba", company="tba", contacts_visible=ContactsVisible.NO, mutual_contacts=0),
        "grete": rec("Grete Sommerfeld", platform=Platform.XING, headline="Referentin", company="Stadtwerke",
                     message="Hallo, wir kennen uns vom Barcamp.", contacts_visible=ContactsVisible.YES, mutual_contacts=4),
        "ole": rec("Ole Brømmer", direction=Direction.OUTGOING, headline="Sound Designer", company="Støj ApS",
                   message="Hi Ole, loved your talk!", mutual_contacts=6),
        "kevin": rec("Kevin Schulz", headline="Consultant", company="-", days_ago=20),
        "noura": rec("Noura Haddad", headline="HR Partner", company="Mediq", contacts_visible=ContactsVisible.YES,
                     mutual_contacts=1, days_ago=3),
        "jordis": rec("Jördis Übermuth", headline="Rechtsanwältin", company="Kanzlei Übermuth",
                      message="Ich habe Ihren Vortrag über Datenschutz gesehen.", mutual_contacts=12),
    }  # fmt: skip
    ids = {}
    for key, record in records.items():
        with store.write():
            ids[key] = store.upsert_request(record)[1]
    clock.now = T0 - timedelta(days=10)
    store.mark_sent(ids["kevin"], "Why?")  # overdue at T0
    clock.now = T0 - timedelta(days=2)
    store.mark_sent(ids["noura"], "Why?")  # due in 5 days
    clock.now = T0 - timedelta(days=1)
    store.mark_sent(ids["jordis"], "Danke!")
    store.record_answer(ids["jordis"], "Wir kennen uns aus dem Zauberwürfelverein.")
    clock.now = T0
    return ids


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", {"tarek", "grete", "ole", "kevin", "noura", "jordis"}),
        ("no:msg", {"tarek", "kevin", "noura"}),
        ("has:msg", {"grete", "ole", "jordis"}),
        ("state:asked", {"kevin", "noura"}),
        ("state:answered", {"jordis"}),
        ("state:overdue", {"kevin"}),
        ("due:overdue", {"kevin"}),
        ("flag:no_answer", {"kevin"}),
        ("net:xing", {"grete"}),
        ("net:linkedin has:msg", {"ole", "jordis"}),
        ("title:tba", {"tarek"}),
        ("company:tba", {"tarek", "kevin"}),
        ("company:mediq", {"noura"}),
        ("mutual:0", {"tarek"}),
        ("mutual:12", {"jordis"}),
        ("flag:contacts_hidden", {"tarek"}),
        ("flag:no_mutual", {"tarek"}),
        ("dir:out", {"ole"}),
        ("dir:in no:msg state:new", {"tarek"}),
        ("Haddad", {"tarek", "noura"}),
        ("Haddad state:asked", {"noura"}),
        ("Jordis", {"jordis"}),  # diacritics folded
        ("jör", {"jordis"}),  # prefix
        ("JÖRDIS", {"jordis"}),
        ("Rechtsanw", {"jordis"}),  # headline
        ("kanzlei", {"jordis"}),  # company
        ("datenschutz", {"jordis"}),  # message
        ("zauberwurfelverein", {"jordis"}),  # answer
        ("Sound Designer", {"ole"}),
        ("Støj", {"ole"}),
        ("joerdis uebermuth", {"jordis"}),  # German spelled out finds the umlauts
        ("JOERD", {"jordis"}),
        ("Übermuth", {"jordis"}),
        ("broemmer", {"ole"}),  # ø too, as in his profile link
        ('"kennen uns"', {"grete", "jordis"}),
        ("nobody-like-this", set()),
        ("AND OR NOT", set()),  # FTS operators are data
    ],
)
def test_search_and_filter_language(
    store: Store, people: dict[str, int], search: str, expected: set[str]
) -> None:
    names = {rid: key for key, rid in people.items()}
    query = parse(search)
    got = {names[rid] for rid in store.ids(query)}
    assert got == expected
    assert store.count(query) == len(expected)


def test_search_within_a_view(store: Store, people: dict[str, int]) -> None:
    assert store.ids(parse("Haddad", View.OVERDUE)) == []
    assert store.ids(parse("Haddad", View.AWAITING)) == [people["noura"]]
    assert store.ids(parse("Haddad", View.TO_ASK)) == [people["tarek"]]


@pytest.mark.parametrize("search", ["state:maybe", "due:tomorrow", "mutual:some", "flag:shady"])
def test_bad_values_of_known_terms_are_refused(search: str) -> None:
    with pytest.raises(QueryError, match=search.split()[0].split("/")[0]):
        parse(search)


@pytest.mark.parametrize(
    ("search", "error"),
    [
        ("foo:bar", "foo:bar: unknown term; the help (?) lists them"),
        ("Max stat:asked", "stat:asked: unknown term; did you mean state:?"),
        ("state:aksed", "state:aksed: unknown state; did you mean state:asked?"),
        ("flag:no_mutal", "flag:no_mutal: unknown flag; did you mean flag:no_mutual?"),
        ("no:idea", "no:idea: use no:msg or has:msg"),
    ],
)
def test_an_unknown_term_is_named_with_a_fix_short_enough_for_the_bar(
    search: str, error: str
) -> None:
    with pytest.raises(QueryError) as raised:
        parse(search)
    assert str(raised.value) == error
    assert len(str(raised.value)) <= 60


@pytest.mark.parametrize(
    "search",
    ["Re:Hallo", "AW:Termin", "re:hallo", "https://www.linkedin.com/in/x", "Betreff:Hallo"],
)
def test_words_with_a_colon_that_are_no_terms_are_text(search: str) -> None:
    query = parse(search)
    assert query.where == [] and query.text == search


def test_query_parsing_splits_terms_from_text() -> None:
    query = parse('  Max   no:msg  Muster title:"to be announced" ')
    assert query.text == "Max Muster"
    assert len(query.where) == 2
    assert parse("").is_plain


def test_row_fields(store: Store, people: dict[str, int]) -> None:
    row = next(r for r in store.rows(Query()) if r.id == people["grete"])
    assert (row.platform, row.status, row.direction) == (
        Platform.XING,
        Status.NEW,
        Direction.INCOMING,
    )
    assert "no_message" not in row.flags and row.name == "Grete Sommerfeld"
    row = next(r for r in store.rows(Query()) if r.id == people["kevin"])
    assert {"no_message", "placeholder_company", "no_answer"} <= set(row.flags)


def test_due_lists_overdue_then_soon(store: Store, clock: Clock, people: dict[str, int]) -> None:
    assert [(i["id"], i["overdue"]) for i in store.due()] == [(people["kevin"], True)]
    items = store.due(timedelta(days=7))
    assert [(i["id"], i["overdue"]) for i in items] == [
        (people["kevin"], True),
        (people["noura"], False),
    ]
    assert items[0]["name"] == "Kevin Schulz"
