"""A realistic demo store: invented people, dates relative to today, every state and flag.

It is built through the store's own operations (with the clock moved back where a
follow-up was sent in the past), so the demo's history is what real use would leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from netinbox.models import ContactsVisible, Direction, InvitationKind, Platform, RequestRecord
from netinbox.query import parse
from netinbox.store import Clock, Store

L, X = Platform.LINKEDIN, Platform.XING
DEMO_OWNER = "Mira Testfeld"  # whose inbox the demo is: she signs its follow-ups
HIDDEN, SHOWN, UNKNOWN = ContactsVisible.NO, ContactsVisible.YES, ContactsVisible.UNKNOWN


@dataclass(frozen=True)
class DemoPerson:
    name: str
    platform: Platform
    headline: str
    company: str
    days_ago: float
    message: str = ""
    slug: str = ""
    contacts: ContactsVisible = UNKNOWN
    mutual: int | None = None
    location: str = ""
    # What happened next: "", "asked:<days ago>", "answered:<asked>:<answered>", "accepted",
    # "declined", "snoozed:<days ahead>", "could_not_ask", "outgoing", and after
    # "outgoing": "owed:<days ago>" (they asked me why; `answer` holds their question),
    # "reason:<days ago>" (I followed up with the reason I forgot)
    story: str = ""
    answer: str = ""
    kind: InvitationKind = InvitationKind.PERSON


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "Jördis Übermuth",
        L,
        "Rechtsanwältin | Datenschutz & IT-Recht",
        "Kanzlei Übermuth",
        0.2,
        "Hallo, ich habe Ihren Vortrag über Datenschutz gesehen. Hätten Sie Lust, sich zu vernetzen?",
        "joerdis-uebermuth",
        SHOWN,
        12,
        "Leipzig",
    ),
    DemoPerson(
        "Rita Recruiterova",
        L,
        "Talent Partner – we are hiring!",
        "tba",
        0.5,
        "",
        "rita-recruiterova",
        HIDDEN,
        0,
        "Prague",
    ),
    DemoPerson("Tarek Haddad", L, "tba", "tba", 1, "", "tarek-haddad", HIDDEN, 0),
    DemoPerson(
        "Grete Sommerfeld",
        X,
        "Referentin Öffentlichkeitsarbeit",
        "Stadtwerke Beispielstadt",
        1.5,
        "Hallo Mira, wir haben uns auf dem Barcamp Leipzig kennengelernt.",
        "Grete_Sommerfeld",
        SHOWN,
        4,
    ),
    DemoPerson(
        "Chidi Okafor",
        L,
        "Growth Hacker | 10x your pipeline",
        "-",
        2,
        "",
        "chidi-okafor-growth",
        HIDDEN,
        0,
    ),
    DemoPerson(
        "Ana-Lucía Peña",
        L,
        "Data Scientist",
        "Datos y Perros S.L.",
        2.5,
        'Hola! We met at the "Data & Dogs" meetup — great talk, let\'s stay in touch.',
        "ana-lucia-pena",
        SHOWN,
        7,
        "Valencia",
    ),
    DemoPerson("Sven Kowalczyk", X, "n/a", "", 3, "", "Sven_Kowalczyk", HIDDEN, None),
    DemoPerson(
        "Priya Raman",
        L,
        "Senior Product Manager",
        "Fintech Nord GmbH",
        3.5,
        "",
        "priya-raman-pm",
        SHOWN,
        2,
    ),
    DemoPerson("Mr. Bo Lindqvist", L, "CEO & Founder", "tba", 4, "", "bo-lindqvist", HIDDEN, 0),
    DemoPerson(
        "Helga Brandtner",
        X,
        "Geschäftsführerin",
        "Brandtner Consulting",
        4.5,
        "",
        "Helga_Brandtner",
        UNKNOWN,
        1,
    ),
    DemoPerson(
        "[@click=app.quit]Eve[/] Mallory",
        L,
        "Security \x1b]2;PWNED\x07Researcher",
        "Cost [$5] Ltd.",
        5,
        "",
        "eve-mallory",
        HIDDEN,
        0,
    ),
    DemoPerson(
        "Bob [/] Tables",
        L,
        "DBA [bold]red[/bold]",
        "[/",
        5.5,
        "Robert'); DROP TABLE requests;--",
        "bob-tables",
        SHOWN,
        3,
    ),
    DemoPerson(
        "Kwame Mensah", L, "Investor | Angel | Mentor", "…", 6, "", "kwame-mensah-angel", HIDDEN, 0
    ),
    DemoPerson(
        "Lena Vogt", X, "Projektleiterin IT", "Vogt & Söhne AG", 6.5, "", "Lena_Vogt", SHOWN, 6
    ),
    DemoPerson(
        "Marco Bellini", L, "to be announced", "to be announced", 7, "", "marco-bellini", HIDDEN, 0
    ),
    DemoPerson(
        "Yuki Tanaka",
        L,
        "UX Researcher",
        "Kaizen Labs",
        8,
        "Hi! I read your post on dark patterns in cookie banners — I'm writing a thesis on it.",
        "yuki-tanaka-ux",
        SHOWN,
        5,
    ),
    DemoPerson(
        "Dragan Petrović", L, "Sales Director DACH", "tbd", 9, "", "dragan-petrovic", HIDDEN, 0
    ),
    DemoPerson(
        "Fatima Zahra Benali",
        L,
        "Privacy Counsel",
        "Atlas Legal",
        10,
        "",
        "fatima-benali",
        SHOWN,
        9,
    ),
    # Asked, waiting: deadlines still ahead
    DemoPerson(
        "Oskar Nilsson", L, "Consultant", "tba", 12, "", "oskar-nilsson", HIDDEN, 0, story="asked:3"
    ),
    DemoPerson(
        "Claudia Reuter",
        X,
        "Vertrieb",
        "Reuter Vertrieb GmbH",
        11,
        "",
        "Claudia_Reuter",
        UNKNOWN,
        0,
        story="asked:5",
    ),
    DemoPerson(
        "Ivan Sokolov",
        L,
        "Blockchain Evangelist",
        "-",
        10,
        "",
        "ivan-sokolov-web3",
        HIDDEN,
        0,
        story="asked:6",
    ),
    DemoPerson(
        "Noura Haddad",
        L,
        "HR Business Partner",
        "Mediq Group",
        9,
        "",
        "noura-haddad-hr",
        SHOWN,
        1,
        story="asked:1",
    ),
    # Asked, deadline passed: overdue
    DemoPerson(
        "Kevin Schulz", L, "tba", "tba", 30, "", "kevin-schulz-tba", HIDDEN, 0, story="asked:20"
    ),
    DemoPerson(
        "Svetlana Morozova",
        L,
        "Business Development",
        "Global Leads Ltd",
        25,
        "",
        "svetlana-morozova",
        HIDDEN,
        0,
        story="asked:12",
    ),
    DemoPerson(
        "Peter Maier",
        X,
        "Selbstständig",
        "",
        22,
        "",
        "Peter_Maier42",
        UNKNOWN,
        None,
        story="asked:9",
    ),
    DemoPerson(
        "Alex Doe", L, "Open to work", "n/a", 18, "", "alex-doe-otw", HIDDEN, 0, story="asked:8"
    ),
    # Answered
    DemoPerson(
        "Zoë O'Connor-Smith",
        L,
        "Head of Data, Privacy & Trust",
        "Clearwater Analytics",
        16,
        "",
        "zoe-oconnor-smith",
        SHOWN,
        8,
        story="answered:10:9",
        answer="Hi Mira, sorry! I'm hiring a DPO and loved your GDPR post — would you chat for 15 min?",
    ),
    DemoPerson(
        "Thomas Krüger",
        X,
        "Softwarearchitekt",
        "Krüger IT",
        15,
        "",
        "Thomas_Krueger",
        SHOWN,
        3,
        story="answered:12:11",
        answer="Wir haben 2019 zusammen bei der Sparkasse im Projekt gearbeitet :)",
    ),
    DemoPerson(
        "Mei Lin",
        L,
        "Recruiter",
        "tba",
        14,
        "",
        "mei-lin-talent",
        HIDDEN,
        0,
        story="answered:9:3",
        answer="I have an exciting opportunity for you!",
    ),
    # Decided
    DemoPerson(
        "Olivia Brown",
        L,
        "Data Protection Officer",
        "NHS Digital",
        40,
        "Fellow DPO here — loved your talk in Berlin.",
        "olivia-brown-dpo",
        SHOWN,
        15,
        story="accepted",
    ),
    DemoPerson(
        "Hans-Peter Wurst", X, "tba", "tba", 45, "", "HansPeter_Wurst", HIDDEN, 0, story="declined"
    ),
    DemoPerson(
        "Crypto King",
        L,
        "💰 Financial Freedom Coach 🚀",
        "-",
        50,
        "",
        "crypto-king-7",
        HIDDEN,
        0,
        story="declined",
    ),
    DemoPerson(
        "Julia Fischer",
        L,
        "Product Owner",
        "Leipziger Verkehrsbetriebe",
        38,
        "Hi Mira, we spoke at the PyCon DE booth about privacy by design.",
        "julia-fischer-po",
        SHOWN,
        11,
        story="accepted",
    ),
    DemoPerson(
        "Mark Thompson",
        L,
        "VP Sales",
        "tba",
        35,
        "",
        "mark-thompson-vp",
        HIDDEN,
        0,
        story="asked:34|declined",
    ),
    # Snoozed, could not ask
    DemoPerson(
        "Sophie Laurent",
        L,
        "Conference Organiser",
        "PrivacyCon Europe",
        13,
        "",
        "sophie-laurent",
        SHOWN,
        2,
        story="snoozed:5",
    ),
    DemoPerson(
        "Karl-Heinz Obermeier",
        X,
        "Inhaber",
        "Obermeier Immobilien",
        8,
        "",
        "KarlHeinz_Obermeier",
        UNKNOWN,
        0,
        story="could_not_ask",
    ),
    DemoPerson(
        "Birgit Lehmann",
        X,
        "Assistentin der Geschäftsleitung",
        "tba",
        7,
        "",
        "Birgit_Lehmann",
        UNKNOWN,
        None,
        story="could_not_ask",
    ),
    # Outgoing: requests the user sent
    DemoPerson(
        "Konstantin Weiß",
        L,
        "CTO",
        "Datenwerk GmbH",
        11,
        "",
        "konstantin-weiss",
        SHOWN,
        20,
        story="outgoing",
    ),
    DemoPerson(
        "Ole Brømmer",
        L,
        "Freelance Sound Designer",
        "Støj & Stilhed ApS",
        20,
        "Hi Ole, loved your talk on privacy-friendly audio analytics!",
        "ole-broemmer",
        SHOWN,
        6,
        story="outgoing",
    ),
    DemoPerson(
        "Johanna Reiter",
        X,
        "Leiterin IT-Sicherheit",
        "Hafenlogistik Nord AG",
        6,
        "",
        "Johanna_Reiter",
        SHOWN,
        3,
        story="outgoing|owed:1",
        answer="Hallo Frau Testfeld, danke für die Anfrage. Woher kennen wir uns, und worum"
        " geht es Ihnen?",
    ),
    DemoPerson(
        "Marek Nowak",
        L,
        "Head of Data Protection",
        "Baltic Shipping Group",
        9,
        "",
        "marek-nowak-dp",
        SHOWN,
        9,
        story="outgoing|reason:8",
        answer="Hi Marek, I sent you a request without a word, sorry! I would like to connect"
        " because we both work on GDPR in logistics. Best regards, Mira",
    ),
    DemoPerson(
        "Lena Vogt",
        L,
        "UX Researcher",
        "Klarform Studio",
        3,
        "Hi Lena, your talk on consent banners at the UX Camp was great. Let's stay in touch!",
        "lena-vogt-ux",
        SHOWN,
        5,
        story="outgoing",
    ),
    # Invitations that are not a person's contact request: nobody to ask why
    DemoPerson(
        "Datenwerk GmbH",
        L,
        "Data platforms for the Mittelstand",
        "",
        1.2,
        "Konstantin Weiß invited you to follow Datenwerk GmbH.",
        kind=InvitationKind.PAGE,
    ),
    DemoPerson(
        "Privacy Engineering Weekly",
        L,
        "A newsletter by Ana-Lucía Peña",
        "",
        2.2,
        "Ana-Lucía Peña invited you to subscribe to Privacy Engineering Weekly.",
        kind=InvitationKind.NEWSLETTER,
    ),
    DemoPerson(
        "Datenschutz-Stammtisch Leipzig",
        L,
        "Leipzig · 18:30 · Kulturhaus Mühle",
        "",
        5.5,
        "Jördis Übermuth invited you to attend Datenschutz-Stammtisch Leipzig.",
        kind=InvitationKind.EVENT,
    ),
    # More new ones, older
    DemoPerson(
        "Nguyen Van An", L, "Software Engineer", "Saigon Soft", 11, "", "nguyen-van-an", SHOWN, 1
    ),
    DemoPerson("Elif Yıldız", L, "Marketing Manager", "tba", 12, "", "elif-yildiz", HIDDEN, 0),
    DemoPerson(
        "Rafael Souza", L, "Lead Generation Expert", "-", 13, "", "rafael-souza-leads", HIDDEN, 0
    ),
    DemoPerson(
        "Ingrid Hallberg",
        X,
        "Datenschutzbeauftragte",
        "Stadt Musterhausen",
        14,
        "Liebe Frau Testfeld, ich bin ebenfalls DSB und würde mich gern austauschen.",
        "Ingrid_Hallberg",
        SHOWN,
        5,
    ),
    DemoPerson(
        "Tom Becker",
        L,
        "Student",
        "Universität Leipzig",
        15,
        "Hi, I'm writing my master thesis on GDPR tooling and would love your view.",
        "tom-becker-student",
        SHOWN,
        2,
    ),
    DemoPerson("Anonymous Member", L, "", "", 16, "", "", HIDDEN, 0),
)


def _record(person: DemoPerson, now: datetime) -> RequestRecord:
    if person.platform is X:
        url = f"https://www.xing.com/profile/{person.slug}" if person.slug else None
    else:
        url = f"https://www.linkedin.com/in/{person.slug}" if person.slug else None
    return RequestRecord(
        platform=person.platform,
        direction=(
            Direction.OUTGOING if person.story.startswith("outgoing") else Direction.INCOMING
        ),
        kind=person.kind,
        name=person.name,
        profile_url=url,
        headline=person.headline,
        company=person.company,
        location=person.location,
        contacts_visible=person.contacts,
        mutual_contacts=person.mutual,
        message=person.message,
        received_at=now - timedelta(days=person.days_ago),
        source="demo",
    )


def _at(moment: datetime) -> Clock:
    """A clock that stands still at `moment` (what the demo's past actions are dated)."""
    return lambda: moment


def build_demo(store: Store) -> int:
    """Fill `store` with the demo requests; returns how many were added."""
    now = store.now()
    real_clock = store.clock
    book = store.config.template_book()
    my_name = store.config.my_name or DEMO_OWNER
    added = 0
    try:
        for person in PEOPLE:
            with store.write():
                outcome, request_id = store.upsert_request(_record(person, now))
            if request_id is None or outcome != "new":
                continue
            added += 1
            for step in filter(None, person.story.split("|")):
                kind, _, rest = step.partition(":")
                args = [float(a) for a in rest.split(":") if a]
                if kind in ("asked", "answered"):
                    template = book.for_language("de" if person.platform is X else "en")
                    body = book.fill(
                        template, name=person.name, platform=person.platform.value, my_name=my_name
                    )
                    sent = now - timedelta(days=args[0])
                    store.clock = _at(sent)
                    store.save_draft(request_id, body, template.id)
                    store.mark_sent(request_id)
                    if kind == "answered":
                        answered = now - timedelta(days=args[1])
                        store.clock = _at(answered)
                        store.record_answer(request_id, person.answer, answered)
                elif kind in ("accepted", "declined"):
                    store.clock = lambda: now - timedelta(days=1)
                    if kind == "accepted":
                        store.accept(request_id, "Met in person." if person.message else "")
                    else:
                        store.decline(
                            request_id,
                            "No answer to my question." if "asked" in person.story else "",
                        )
                elif kind == "snoozed":
                    store.clock = lambda: now - timedelta(days=1)
                    store.snooze(request_id, now + timedelta(days=args[0]))
                elif kind == "could_not_ask":
                    store.clock = lambda: now - timedelta(hours=5)
                    store.could_not_ask(request_id)
                elif kind == "owed":  # they asked me why I sent my request
                    store.owe_answer(
                        request_id,
                        person.answer,
                        now - timedelta(days=args[0]),
                        sender=person.name,
                        source="demo",
                    )
                elif kind == "reason":  # I followed up with the reason I forgot
                    store.clock = _at(now - timedelta(days=args[0]))
                    store.save_draft(request_id, person.answer, "en-reason")
                    store.mark_reason_sent(request_id, person.answer)
                store.clock = real_clock
        # A year of history before these, for the statistics.
        from netinbox.demo_history import add_history

        added += add_history(store, now, my_name)
        # A draft in progress, so the demo shows that drafts persist.
        first_new = store.ids(parse("no:msg state:new"))
        if first_new:
            request_id = first_new[0]
            detail = store.get(request_id)
            from netinbox.i18n import language
            from netinbox.templates import sender_language, template_language

            # the template the app suggests first: in the sender's language where it
            # can tell (an English headline, a XING request …), else the user's
            config = store.config
            sender = sender_language(
                detail.person.platform.value, detail.request.message, detail.person.headline
            )
            wanted = template_language(sender, config.language, config.language_given, language())
            template = book.for_language(wanted)
            store.save_draft(
                request_id,
                book.fill(
                    template,
                    name=detail.person.name,
                    platform=detail.person.platform.value,
                    my_name=my_name,
                ),
                template.id,
            )
        # Demo history is not the user's to undo.
        store.clear_undo()
    finally:
        store.clock = real_clock
    return added
