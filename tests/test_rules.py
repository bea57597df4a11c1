"""Red flags and the suggested action."""

from __future__ import annotations

from datetime import timedelta

import pytest

from netinbox.config import Config
from netinbox.models import ContactsVisible, Status
from netinbox.rules import (
    DEFAULT_PLACEHOLDERS,
    FLAGS,
    all_flags,
    is_overdue,
    is_placeholder,
    is_stock_message,
    static_flags,
    suggest,
)
from netinbox.store import Store
from netinbox.words import FLAG_REASONS, SUGGESTIONS, flag_reason

from .conftest import T0, Clock

GOOD = dict(
    message="We met at PyCon DE.",
    headline="Data Protection Officer",
    company="NHS Digital",
    contacts_visible=ContactsVisible.YES,
    mutual_contacts=3,
)


def flags(**changes: object) -> list[str]:
    return static_flags(**{**GOOD, **changes})  # type: ignore[arg-type]


def test_a_good_request_has_no_flags() -> None:
    assert flags() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"message": ""}, ["no_message"]),
        ({"message": "   \n "}, ["no_message"]),
        ({"message": "I'd like to join your LinkedIn network."}, ["no_message"]),
        ({"message": "I’d like to add you to my professional network on LinkedIn."}, ["no_message"]),
        ({"message": "  I'D LIKE TO JOIN YOUR LINKEDIN NETWORK.  "}, ["no_message"]),
        ({"message": "Ich möchte mich gerne mit Ihnen auf LinkedIn vernetzen."}, ["no_message"]),
        ({"message": "I'd like to join your LinkedIn network. We met in Berlin."}, []),
        ({"headline": ""}, []),  # not in the source: unknown, not a placeholder
        ({"headline": "  "}, []),
        ({"company": ""}, []),
        ({"headline": "tba"}, ["placeholder_title"]),
        ({"headline": "T.B.D."}, ["placeholder_title"]),
        ({"headline": "n/a"}, ["placeholder_title"]),
        ({"headline": "…"}, ["placeholder_title"]),
        ({"headline": "To be announced"}, ["placeholder_title"]),
        ({"headline": "---"}, ["placeholder_title"]),
        ({"headline": "tba consulting"}, []),
        ({"company": "-"}, ["placeholder_company"]),
        ({"company": "keine"}, ["placeholder_company"]),
        ({"contacts_visible": ContactsVisible.NO}, ["contacts_hidden"]),
        ({"contacts_visible": "no"}, ["contacts_hidden"]),
        ({"contacts_visible": ContactsVisible.UNKNOWN}, []),
        ({"mutual_contacts": 0}, ["no_mutual"]),
        ({"mutual_contacts": None}, []),
        (
            {"message": "", "headline": "tba", "company": "tba", "contacts_visible": "no", "mutual_contacts": 0},
            ["no_message", "placeholder_title", "placeholder_company", "contacts_hidden", "no_mutual"],
        ),
    ],
)  # fmt: skip
def test_static_flags(changes: dict[str, object], expected: list[str]) -> None:
    assert flags(**changes) == expected


def test_every_flag_has_a_reason() -> None:
    assert set(FLAGS) == {
        "no_message",
        "placeholder_title",
        "placeholder_company",
        "contacts_hidden",
        "no_mutual",
        "no_answer",
    }
    assert all(flag_reason(flag).endswith(".") for flag in FLAGS)
    assert set(FLAG_REASONS) == set(FLAGS)


def test_placeholder_list_is_configurable() -> None:
    assert is_placeholder("TBA")
    assert not is_placeholder("TBA", ["egal"])
    assert is_placeholder("Egal", ["egal"])
    assert is_placeholder("", ["egal"])  # empty is always a placeholder
    assert is_placeholder("tba", DEFAULT_PLACEHOLDERS)
    assert is_stock_message("")
    assert not is_stock_message("Hi!")


def test_store_uses_the_configured_placeholder_words(db_path, clock: Clock, rec) -> None:
    config = Config(placeholder_words=["egal", "weiß nicht"])
    with Store(db_path, config=config, clock=clock) as store:
        a = store.add_request(rec("A", headline="Weiß nicht", company="ACME", message="Hi"))
        b = store.add_request(rec("B", headline="tba", company="egal", message="Hi"))
        assert store.get(a).request.flags == ["placeholder_title"]
        assert store.get(b).request.flags == ["placeholder_company"]


def test_overdue_is_derived_from_the_clock() -> None:
    due = T0 + timedelta(days=7)
    assert not is_overdue(Status.ASKED, due, due - timedelta(seconds=1))
    assert is_overdue(Status.ASKED, due, due)
    assert not is_overdue(Status.ANSWERED, due, due + timedelta(days=1))
    assert not is_overdue(Status.ASKED, None, due)
    assert all_flags(["no_message"], Status.ASKED, due, due) == ["no_message", "no_answer"]
    assert all_flags(["no_message"], Status.ASKED, due, T0) == ["no_message"]


@pytest.mark.parametrize(
    ("found", "status", "action"),
    [
        (["no_answer", "no_message"], Status.ASKED, "decline"),
        (["no_message"], Status.NEW, "ask"),
        (["no_message", "placeholder_title"], Status.NEW, "ask"),
        ([], Status.NEW, "decide"),
        (["contacts_hidden"], Status.NEW, "decide"),
        (["no_message"], Status.ASKED, "wait"),
        (["no_message"], Status.ANSWERED, "decide"),
        (["no_message"], Status.COULD_NOT_ASK, "decide"),
        (["no_answer"], Status.DECLINED, "none"),
        ([], Status.ACCEPTED, "none"),
    ],
)
def test_suggest(found: list[str], status: Status, action: str) -> None:
    suggestion = suggest(found, status)
    assert suggestion.action == action
    assert suggestion.why in SUGGESTIONS


@pytest.mark.parametrize(
    ("message", "stock"),
    [
        ("Hi Mira, I’d like to join your LinkedIn network", True),
        ("Hallo Frau Testfeld, ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen. VG Tom", True),
        ("Hi Mira, we met at PyCon. I'd like to join your LinkedIn network.", False),
    ],
)  # fmt: skip
def test_stock_text_with_a_greeting_is_still_no_message(message: str, stock: bool) -> None:
    assert (flags(message=message) == ["no_message"]) is stock
