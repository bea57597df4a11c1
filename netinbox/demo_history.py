"""A year of the demo inbox's past, so the statistics show something real: months with
many personal messages and months with none, follow-ups answered in time, late and never,
requests accepted, declined and the ones nobody could ask, and the owner's own requests,
some accepted and some still open.

Everything happened long enough ago to be settled: none of it waits in New, To ask,
Awaiting or Overdue (the demo's present is `netinbox.demo.PEOPLE`). Built through the
store's own operations with the clock moved back, in one transaction; deterministic.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netinbox.models import ContactsVisible, Direction, Platform, RequestRecord
from netinbox.store import Store
from netinbox.templates import TemplateBook

FIRST = (
    "Amira", "Bastian", "Chloé", "Dmitri", "Emma", "Farid", "Gül", "Henrik", "Ines", "Jonas",
    "Katarzyna", "Luca", "Mona", "Nils", "Océane", "Paulo", "Quentin", "Rosa", "Stefan",
    "Tamara", "Uwe", "Valeria", "Wiebke", "Xaver", "Yasmin", "Zeynep", "Arvid", "Bettina",
    "Cem", "Dörte", "Eamon", "Frauke", "Giorgos", "Hanna", "Ilkka", "Jelena", "Kofi",
    "Lorenz", "Maja", "Niamh",
)  # fmt: skip
LAST = (
    "Albrecht", "Baranowski", "Costa", "Dahl", "Eriksen", "Fontaine", "Gündoğdu", "Hartmann",
    "Ivanova", "Jansen", "Kowalski", "Lindner", "Moreau", "Novak", "Okonkwo", "Petersen",
    "Quast", "Rossi", "Schneider", "Tanaka", "Ulrich", "Varga", "Weber", "Xu", "Yilmaz",
    "Zimmermann", "Aalto", "Brenner", "Castillo", "Dufour",
)  # fmt: skip

WITH_MESSAGE = (
    ("Data Protection Officer", "Stadtwerke Nord", "Hi Mira, we met at the IAPP meetup in Hamburg."),
    ("Softwareentwicklerin", "Kiel Digital GmbH", "Hallo Frau Testfeld, Ihr Vortrag zur DSGVO hat mir sehr geholfen."),
    ("Privacy Engineer", "Nordlicht Health", "Loved your post on consent banners; I work on the same problem."),
    ("Journalist", "Netzpolitik Weekly", "I'm writing about cookie walls and would like to quote you."),
    ("IT-Leiter", "Möbel Kraft KG", "Wir suchen eine externe Datenschutzbeauftragte, haben Sie Kapazität?"),
)  # fmt: skip
WITHOUT_MESSAGE = (
    ("tba", "tba"),
    ("Sales Manager", "-"),
    ("Recruiter", "Top Talent Partners"),
    ("Entrepreneur | Visionary", "tba"),
    ("Business Development", "Global Growth Ltd"),
    ("Geschäftsführer", "n/a"),
    ("Consultant", "Self-employed"),
)
ANSWERS = (
    "We spoke after your talk in Berlin; I'd like to stay in touch.",
    "Ich betreue den Datenschutz bei uns und suche Austausch.",
    "I'm hiring for a privacy role and thought of you.",
)

# (incoming with a message, incoming without one, my own sent) per calendar month, from
# 11 months back to 2 (the last month and this one are the demo's present): busy months
# and quiet ones, months rich in messages and months with none.
MONTHS = (
    (2, 5, 1), (0, 7, 2), (3, 4, 0), (1, 9, 1), (4, 3, 2),
    (0, 6, 0), (2, 8, 1), (1, 5, 3), (5, 2, 1), (0, 10, 1),
)  # fmt: skip

# What became of a request without a message, in turn: asked and answered in time then
# accepted, asked and never answered then declined, declined without asking, answered
# late then declined, the platform let nobody ask, answered in time then declined.
SILENT_STORIES = ("in_time", "never", "declined", "late", "could_not_ask", "in_time_no", "never")


@dataclass(frozen=True)
class _Past:
    name: str
    platform: Platform
    direction: Direction
    headline: str
    company: str
    message: str
    received: datetime
    story: str  # "accepted", "declined", "in_time", "late", "never", …, "open"


def history(now: datetime) -> list[_Past]:
    """The past requests, oldest first, as of `now`."""
    found: list[_Past] = []
    count = 0
    this_month = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for months_back, (with_message, without, mine) in zip(
        range(len(MONTHS) + 1, 1, -1), MONTHS, strict=True
    ):
        start = _months_before(this_month, months_back)
        for index in range(with_message + without + mine):
            count += 1
            name = f"{FIRST[count % len(FIRST)]} {LAST[(count * 7) % len(LAST)]}"
            platform = Platform.XING if count % 3 == 0 else Platform.LINKEDIN
            # days 2 to 27 of the month, in daytime: the same month in any zone near UTC
            received = start + timedelta(days=1 + (index * 9) % 26, hours=8 + index % 10)
            if index < with_message:
                headline, company, message = WITH_MESSAGE[count % len(WITH_MESSAGE)]
                story = "accepted" if count % 4 else "declined"
                direction = Direction.INCOMING
            elif index < with_message + without:
                headline, company = WITHOUT_MESSAGE[count % len(WITHOUT_MESSAGE)]
                message = ""
                story = SILENT_STORIES[count % len(SILENT_STORIES)]
                direction = Direction.INCOMING
            else:
                headline, company, message = WITH_MESSAGE[(count + 2) % len(WITH_MESSAGE)]
                if count % 2:
                    message = ""  # sent without a message: the etiquette applies to me too
                # accepted; some withdrawn (declining my own request withdraws it); the
                # rest never answered
                story = "accepted" if count % 3 else ("declined" if count % 2 else "open")
                direction = Direction.OUTGOING
            found.append(
                _Past(name, platform, direction, headline, company, message, received, story)
            )
    return found


def _months_before(month: datetime, n: int) -> datetime:
    index = month.year * 12 + month.month - 1 - n
    return month.replace(year=index // 12, month=index % 12 + 1)


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().split())


def add_history(store: Store, now: datetime, my_name: str) -> int:
    """Add the demo's past to `store` (one transaction); returns how many requests."""
    real_clock = store.clock
    book = store.config.template_book()
    added = 0
    try:
        with store.write():
            for past in history(now):
                added += _add_one(store, past, book, my_name)
    finally:
        store.clock = real_clock
    return added


def _at(store: Store, moment: datetime) -> None:
    store.clock = lambda: moment


def _add_one(store: Store, past: _Past, book: TemplateBook, my_name: str) -> int:
    host = "xing.com/profile" if past.platform is Platform.XING else "linkedin.com/in"
    record = RequestRecord(
        platform=past.platform,
        direction=past.direction,
        name=past.name,
        profile_url=f"https://www.{host}/{_slug(past.name)}-demo",
        headline=past.headline,
        company=past.company,
        contacts_visible=ContactsVisible.NO if not past.message else ContactsVisible.YES,
        mutual_contacts=0 if not past.message else 3,
        message=past.message,
        received_at=past.received,
        source="demo",
    )
    _at(store, past.received)
    outcome, request_id = store.upsert_request(record)
    if request_id is None or outcome != "new":
        return 0
    day = timedelta(days=1)
    story = past.story
    if story in ("in_time", "late", "never", "in_time_no"):
        template = book.for_language("de" if past.platform is Platform.XING else "en")
        body = book.fill(template, name=past.name, platform=past.platform.value, my_name=my_name)
        asked = past.received + day
        _at(store, asked)
        store.save_draft(request_id, body, template.id)
        store.mark_sent(request_id)
        if story == "never":
            _at(store, asked + 8 * day)
            store.decline(request_id, "No answer to my question.")
            return 1
        answered = asked + (9 * day if story == "late" else timedelta(hours=20 + request_id % 30))
        _at(store, answered)
        store.record_answer(request_id, ANSWERS[request_id % len(ANSWERS)], answered)
        _at(store, answered + day)
        if story == "in_time":
            store.accept(request_id)
        else:
            store.decline(request_id)
    elif story in ("accepted", "declined"):
        _at(store, past.received + 2 * day)
        if story == "accepted":
            store.accept(request_id)
        else:
            store.decline(request_id)
    elif story == "could_not_ask":
        _at(store, past.received + day)
        store.could_not_ask(request_id)
    return 1
