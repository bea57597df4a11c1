"""Follow-up templates: filled politely, never broken by a missing value or a stray brace."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netinbox.config import Config, TemplateConfig
from netinbox.templates import (
    DEFAULT_TEMPLATES,
    NO_SIGNATURE,
    PLACEHOLDERS,
    Template,
    TemplateBook,
    render,
    safe_render,
    sender_language,
    template_language,
)

BOOK = TemplateBook()
FULL = {"first_name": "Grete", "name": "Grete Sommerfeld", "platform": "XING", "my_name": "Mira"}


def assert_clean(text: str) -> None:
    assert "{" not in text and "}" not in text
    assert "  " not in text
    for mark in ",.!?":
        assert f" {mark}" not in text
    assert text == text.strip()
    assert all(line == line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t.id)
def test_defaults_with_every_value(template) -> None:
    text = render(template.body, FULL)
    assert_clean(text)
    for key, value in FULL.items():
        if f"{{{key}}}" in template.body:
            assert value in text, key


def test_languages_and_forms_of_address() -> None:
    de = BOOK.fill(
        BOOK.for_language("de"), name="Grete Sommerfeld", platform="xing", my_name="Mira"
    )
    assert de.startswith("Guten Tag Grete Sommerfeld,")
    assert "Ihre Kontaktanfrage auf XING" in de and "Sie" in de and " du " not in de
    du = BOOK.fill(
        BOOK.for_language("de-du"), name="Grete Sommerfeld", platform="xing", my_name="Mira"
    )
    assert du.startswith("Hallo Grete,")
    assert "deine Kontaktanfrage" in du and " Sie " not in du
    en = BOOK.fill(BOOK.for_language("en"), name="Dubois, PhD", platform="linkedin", my_name="Mira")
    assert en.startswith("Hello Dubois,")
    assert "on LinkedIn." in en and en.endswith("Best regards,\nMira")


@pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t.id)
@pytest.mark.parametrize("missing", list(itertools.product([False, True], repeat=4)))
def test_missing_values_leave_no_trace(template, missing: tuple[bool, ...]) -> None:
    values = {
        key: (None if gone else FULL[key]) for key, gone in zip(PLACEHOLDERS, missing, strict=True)
    }
    assert_clean(render(template.body, values))


def test_fill_with_nothing_known() -> None:
    for template in DEFAULT_TEMPLATES:
        text = BOOK.fill(template, name="", platform="other", my_name="")
        assert_clean(text)
    assert BOOK.fill(BOOK.get("de-du"), name="", platform="xing", my_name="").startswith("Hallo,")


def test_user_templates_override_and_add() -> None:
    config = Config(
        templates={
            "en": TemplateConfig(body="Hey {first_name}, why {platform}?"),
            "mine": TemplateConfig(language="de", title="Kurz", body="Servus {first_name}!"),
        }
    )
    book = config.template_book()
    assert book.ids() == [t.id for t in DEFAULT_TEMPLATES] + ["mine"]
    assert book.get("en").body == "Hey {first_name}, why {platform}?"
    assert book.fill(book.get("en"), name="Max Muster", platform="linkedin", my_name="") == (
        "Hey Max, why LinkedIn?"
    )
    assert book.get("mine").title == "Kurz"
    assert book.fill(book.get("mine"), name="", platform="xing", my_name="") == "Servus!"
    assert book.get("no-such-id").id == "en"
    assert book.next_after("de-du").id == "mine"
    assert book.next_after("mine").id == "en"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hi {first_name} :-} {", "Hi Max :-} {"),
        ("Hi {first_name, {oops", "Hi {first_name, {oops"),
        ("{ {my_name}", "{ Mira"),
        ("Hi {first_name} {company} {0} {}", "Hi Max {company} {0} {}"),
        ("Hi {first_name!r:>10}", "Hi Max"),
    ],
)
def test_stray_braces_and_unknown_fields_do_not_crash(body: str, expected: str) -> None:
    assert safe_render(body, {"first_name": "Max", "my_name": "Mira"}) == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(list("{}!:ab ,\n") + ["{first_name}", "{name}"]), max_size=20).map(
        "".join
    )
)
def test_safe_render_never_raises_and_fills_our_fields(body: str) -> None:
    out = safe_render(body, FULL)
    # "{{first_name}}" writes the braces themselves; "{x:{first_name}}" is someone else's field.
    if not any(mark in body for mark in ("{{", ":", "!")):
        assert "{first_name}" not in out and "{name}" not in out


def test_without_a_name_no_closing_dangles_and_the_draft_says_so() -> None:
    for template in DEFAULT_TEMPLATES:
        filled = BOOK.fill_draft(template, name="Ben Brandt", platform="xing", my_name="")
        assert filled.missing == (NO_SIGNATURE,), template.id
        # The question ends the text; a reason template ends where the user writes the reason.
        ending = ("connect?", "möchten?", "möchtest?") if template.purpose == "ask" else "weil …"
        if template.id in ("en-reason", "en-answer"):
            ending = "because …"
        assert filled.text.endswith(ending), filled.text
        assert not filled.text.rstrip().endswith((",", "—", "Grüße", "Grüßen"))
        signed = BOOK.fill_draft(template, name="Ben Brandt", platform="xing", my_name="Mira")
        assert signed.missing == () and signed.text.endswith("Mira")
    own = Template("own", "en", "Own", "Hi {first_name}, why connect?\nCheers, {my_name}")
    assert BOOK.fill_draft(own, name="Ben", platform="xing", my_name="").text == (
        "Hi Ben, why connect?\nCheers"
    )


@pytest.mark.parametrize(
    ("platform", "message", "headline", "expected"),
    [
        ("linkedin", "Hallo Frau Testfeld, ich würde mich gerne mit Ihnen vernetzen.", "", "de"),
        ("linkedin", "Hi Mira, I would like to connect about the meetup.", "", "en"),
        ("xing", "", "", "de"),
        ("linkedin", "", "Geschäftsführer bei Muster GmbH", "de"),
        ("linkedin", "", "Head of Sales at ACME", "en"),
        ("linkedin", "", "tba", None),
        ("linkedin", "I'd like to join your LinkedIn network.", "Leiter Vertrieb", "de"),
        ("xing", "Hi Mira, I would like to connect about the meetup.", "", "en"),
    ],
)
def test_the_sender_says_which_language_to_ask_in(
    platform: str, message: str, headline: str, expected: str | None
) -> None:
    assert sender_language(platform, message, headline) == expected


def test_a_german_sender_gets_the_users_own_form_of_german() -> None:
    assert template_language("de", "en", False, "en") == "de"
    assert template_language("de", "de-du", True, "en") == "de-du"
    assert template_language("en", "de", True, "de") == "en"
    assert template_language(None, "de-du", True, "en") == "de-du"
    assert template_language(None, "en", False, "de") == "de"  # a German LANG, no config
