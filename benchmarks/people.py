"""Invented but realistic senders: umlauts and other scripts, "tba" titles, unique slugs.

Everything is drawn from one seeded `random.Random`, so a size always gives the same data.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

FIRST = (
    "Jördis Jürgen Sören Małgorzata Zoë Anna Lukas Maria Jonas Léa Mehmet Ayşe Björn Ingrid "
    "Øystein Ana-Lucía Chidi Priya Kwame Yuki Fatima Dragan Svetlana Oskar Noura Kevin "
    "Claudia Peter Sabine Thomas Julia Stefan Katharina Michael Elif Grete Tarek Helga Sven "
    "Lena Marco Ivan François Renée José Zoltán Åsa Günther Bärbel Dörte Jörg Käthe Ülkü"
).split()
LAST = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Übermuth "
    "Groß Weiß Brømmer Kowalczyk Nowak Petrović Yılmaz Öztürk Haddad Okafor Raman Tanaka "
    "Lindqvist Sokolov Peña García Dubois Rossi Nilsson Jäger Köhler Krüger Löwe Vogt "
    "Brandtner Sommerfeld Reuter Maier Bellini Benali Mensah Morozova Kaya Şahin Dvořák"
).split()
INITIALS = "ABCDEFGHIJKLMNOPRSTUVWZ"
#: Planted in a handful of rows: the "rare" search term.
RARE_LAST = "Quellenhöfer"
RARE_EVERY = 20_000
PLACEHOLDERS = ("tba", "tba", "tba", "-", "n/a", "to be announced", "", "tbd", "…")
HEADLINES = (
    "Senior Project Manager",
    "Account Manager DACH",
    "Product Manager | Fintech",
    "Marketing Manager",
    "Key Account Manager – Healthcare",
    "Talent Partner – we are hiring!",
    "Rechtsanwältin | Datenschutz & IT-Recht",
    "Geschäftsführer",
    "Software Engineer",
    "Data Scientist",
    "Founder & CEO",
    "Vertriebsleiter Süd",
    "UX Researcher",
    "Growth Hacker | 10x your pipeline",
    "Steuerberaterin",
    "HR Business Partner",
    "Berater für Digitalisierung",
    "Investor | Angel | Mentor",
    "Referentin Öffentlichkeitsarbeit",
    "Blockchain Evangelist",
)
COMPANIES = (
    "Kanzlei Übermuth",
    "Fintech Nord GmbH",
    "Stadtwerke Beispielstadt",
    "Datos y Perros S.L.",
    "Kaizen Labs",
    "Vogt & Söhne AG",
    "Global Leads Ltd",
    "Mediq Group",
    "Brandtner Consulting",
    "Bäckerei Größl KG",
    "Atlas Legal",
    "Nordlicht Software GmbH",
    "Støj & Stilhed ApS",
    "Müller & Partner mbB",
)
MESSAGES = (
    "Hallo Mira, ich habe Ihren Vortrag über Datenschutz gesehen. Hätten Sie Lust, sich zu vernetzen?",
    'Hi Mira, we met at the "Data & Dogs" meetup, great talk! Let\'s stay in touch.',
    "Guten Tag, ich bin auf Ihr Profil gestoßen und würde mich über eine Vernetzung freuen.",
    "Hi, I'm building a network of professionals in privacy engineering. Let's connect!",
    "Hola Mira, gran charla ayer, ¿conectamos?",
    "Liebe Mira, danke für das Gespräch auf dem Barcamp – wie besprochen hier meine Anfrage.",
)
MESSAGE_SHARE = 0.05
OWNER = ("Mira Testfeld", "https://www.linkedin.com/in/mira-testfeld-0a1b2c")
SPAN = timedelta(days=335)  # 11 months


@dataclass(frozen=True)
class Sender:
    index: int
    name: str
    first: str
    platform: str  # "linkedin" | "xing"
    slug: str
    profile_url: str
    headline: str
    company: str
    message: str
    incoming: bool
    received_at: datetime  # UTC
    contacts_visible: str
    mutual: int | None


@functools.cache
def ascii_slug(text: str) -> str:
    folded = text.replace("ß", "ss").replace("ø", "oe").replace("Ø", "Oe").replace("ł", "l")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return "-".join(folded.lower().replace("-", " ").split())


def _slug(rng: random.Random, first: str, last: str, index: int) -> str:
    if rng.random() < 0.1:  # LinkedIn keeps some slugs with their umlauts, percent-encoded
        return quote(f"{first}-{last}".lower()) + f"-{index:06x}"
    return f"{ascii_slug(first)}-{ascii_slug(last)}-{index:06x}"


def _pick(rng: random.Random, real: tuple[str, ...], placeholder_share: float) -> str:
    return rng.choice(PLACEHOLDERS) if rng.random() < placeholder_share else rng.choice(real)


def senders(size: int, now: datetime, seed: int = 20260119) -> Iterator[Sender]:
    """`size` senders, one request each, received over the 11 months before `now`."""
    rng = random.Random(seed)
    for index in range(size):
        first = rng.choice(FIRST)
        last = RARE_LAST if index % RARE_EVERY == RARE_EVERY // 2 else rng.choice(LAST)
        if rng.random() < 0.15:  # double names and middle initials, as real lists have
            last = f"{last}-{rng.choice(LAST)}"
        if rng.random() < 0.25:
            first = f"{first} {rng.choice(INITIALS)}."
        xing = rng.random() < 0.15
        slug = _slug(rng, first, last, index)
        url = (
            f"https://www.xing.com/profile/{ascii_slug(first).title()}_{ascii_slug(last).title()}{index}"
            if xing
            else f"https://www.linkedin.com/in/{slug}"
        )
        message = rng.choice(MESSAGES) if rng.random() < MESSAGE_SHARE else ""
        yield Sender(
            index=index,
            name=f"{first} {last}",
            first=first,
            platform="xing" if xing else "linkedin",
            slug=slug,
            profile_url=url,
            headline=_pick(rng, HEADLINES, 0.15),
            company=_pick(rng, COMPANIES, 0.2),
            message=message,
            incoming=rng.random() < 0.85,
            received_at=(now - SPAN * rng.random()).replace(microsecond=0, tzinfo=UTC),
            contacts_visible=rng.choice(("no", "no", "yes", "yes", "unknown")),
            mutual=rng.choice((0, 0, 0, None, None, 1, 2, 3, 5, 8, 13, 40)),
        )


def linkedin_time(moment: datetime) -> str:
    """LinkedIn's `Sent At`: `1/19/26, 9:15 AM`, no zero padding, no zone."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment.year % 100:02d}, {hour}:{moment.minute:02d} {half}"
