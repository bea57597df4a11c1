"""The interface's words in English and German: the catalogue is complete, the compiled
catalogue shipped in the wheel matches it, the language is chosen as a German user
expects, and dates and counts read naturally in German."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from netinbox import i18n
from netinbox.config import load_config
from netinbox.i18n import _, ngettext, set_language

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "netinbox" / "locale" / "de" / "LC_MESSAGES" / "netinbox.po"
MO = PO.with_suffix(".mo")

babel = pytest.importorskip("babel")


def _extracted() -> set[tuple[str | None, str]]:
    """Every string the code marks for translation, as `pybabel extract -F babel.cfg`
    finds it: (context, msgid)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = dict(DEFAULT_KEYWORDS, pgettext=((1, "c"), 2), Binding=(3,))
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "netinbox"), method_map, options_map, keywords=keywords
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def _catalogue():  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with open(PO, "rb") as handle:
        return read_po(handle)


def _key(message):  # type: ignore[no-untyped-def]
    ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
    return (message.context, tuple(ids))


def _strings(message):  # type: ignore[no-untyped-def]
    strings = message.string
    return tuple(strings) if isinstance(strings, list | tuple) else (strings,)


def test_every_marked_string_has_a_german_translation() -> None:
    catalogue = _catalogue()
    translated = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted(_extracted() - translated, key=str)
    assert not missing, f"no German for {len(missing)} strings, e.g. {missing[:10]}"


def test_no_fuzzy_entries() -> None:
    fuzzy = [m.id for m in _catalogue() if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) German: {fuzzy[:10]}"


def test_the_shipped_mo_matches_the_po() -> None:
    from babel.messages.mofile import read_mo

    with open(MO, "rb") as handle:
        compiled = {_key(m): _strings(m) for m in read_mo(handle) if m.id}
    source = {_key(m): _strings(m) for m in _catalogue() if m.id and not m.fuzzy}
    assert compiled == source, "recompile: see docs/german.md"


def test_translations_keep_their_placeholders() -> None:
    """A `%(n)d` or `{name}` lost in German would crash or show a hole."""
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        want = sorted(set(pattern.findall(ids[-1])))
        either = {found for english in ids for found in pattern.findall(english)}
        for string in strings:
            if message.context in ("date format", "month"):  # a format: its order is free
                continue
            got = sorted(set(pattern.findall(string)))
            # a plural form may leave out the count ("1 Tag") or say the singular's words
            assert got == want or (len(ids) > 1 and set(got) <= either), (message.id, string)


def test_english_is_the_default() -> None:
    assert set_language(None) == "en"
    assert _("today") == "today"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LANG", "de_DE.UTF-8", "de"),
        ("LANG", "de_AT", "de"),
        ("LC_ALL", "de_CH.UTF-8", "de"),
        ("LC_MESSAGES", "de_DE", "de"),
        ("LANG", "en_GB.UTF-8", "en"),
        ("LANG", "C.UTF-8", "en"),
        ("LANG", "fr_FR.UTF-8", "en"),
    ],
)
def test_the_environment_chooses_when_the_config_says_nothing(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(name, value)
    config = load_config()  # no file
    assert i18n.choose_for(config.language, config.language_given) == expected


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [('"de"', "en_US.UTF-8", "de"), ('"de-du"', "C", "de"), ('"en"', "de_DE.UTF-8", "en")],
)
def test_the_config_language_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, env: str, expected: str
) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", env)
    path = tmp_path / "config.toml"
    path.write_text(f"language = {setting}\n", encoding="utf-8")
    config = load_config(path)
    assert config.language_given
    assert i18n.choose_for(config.language, config.language_given) == expected


def test_german_is_read_once_for_our_words_and_click_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """Click's own words ("Show this message and exit.", through the standard library's
    gettext) come from the catalogue netinbox read, not from a second reading at start."""
    import gettext

    readings: list[Any] = []
    parse = gettext.GNUTranslations._parse

    def counted(self: gettext.GNUTranslations, handle: Any) -> None:
        readings.append(handle)
        parse(self, handle)

    monkeypatch.setattr(gettext.GNUTranslations, "_parse", counted)
    monkeypatch.setattr(i18n, "_loaded", {"en": i18n._loaded["en"]})
    monkeypatch.setattr(gettext, "_translations", {})
    try:
        assert set_language("de") == "de"
        with i18n.speaking_to_libraries():
            assert gettext.gettext("Show this message and exit.") == (
                "Diese Hilfe zeigen und beenden."
            )
        assert _("today") == "heute"
    finally:
        set_language(None)
    assert len(readings) == 1


def test_german_dates_and_relative_times() -> None:
    from netinbox.tui.format import age, ago, day, due_cell, due_text, when

    set_language("de")
    now = datetime(2026, 12, 7, 14, 3, tzinfo=UTC)
    assert day(now, UTC) == "Mo 07.12.2026"
    assert when(now, UTC) == "07.12.2026 14:03"
    assert ago(now - timedelta(days=3), now) == "vor 3 Tagen"
    assert ago(now - timedelta(days=1), now) == "vor 1 Tag"
    assert age(now - timedelta(days=3), now) == "3T"
    assert due_cell(now - timedelta(days=2), now, UTC) == "2T überfällig"
    assert due_cell(now + timedelta(days=1), now, UTC) == "morgen"
    assert due_text(now + timedelta(days=7), now, UTC) == "Antwort fällig in 7 Tagen"
    assert due_text(now - timedelta(days=1), now, UTC) == "seit 1 Tag überfällig"


def test_english_dates_stay_as_they_were() -> None:
    from netinbox.tui.format import ago, day, due_cell, when

    now = datetime(2026, 12, 7, 14, 3, tzinfo=UTC)
    assert day(now, UTC) == "Mon 2026-12-07"
    assert when(now, UTC) == "2026-12-07 14:03"
    assert ago(now - timedelta(days=3), now) == "3 days ago"
    assert due_cell(now - timedelta(days=2), now, UTC) == "2d overdue"


def test_german_plurals() -> None:
    set_language("de")
    assert ngettext("%(n)d day", "%(n)d days", 1) % {"n": 1} == "1 Tag"
    assert ngettext("%(n)d day", "%(n)d days", 2) % {"n": 2} == "2 Tage"


def test_a_record_s_validation_error_is_said_in_our_words_never_pydantic_s() -> None:
    from pydantic import ValidationError

    from netinbox.models import RequestRecord
    from netinbox.words import record_problem

    def problem(**given: object) -> str:
        try:
            RequestRecord.model_validate({"platform": "linkedin", **given})
        except ValidationError as error:
            return record_problem(error.errors()[0])
        raise AssertionError("valid")

    set_language("de")
    assert problem(name="Max") == "Datum: fehlt"
    assert problem(name=" ", received_at="2026-01-02T10:00:00Z") == "Name: kein Name"
    assert problem(name="Max", received_at="bald") == "Datum: kein Datum"
    assert problem(name="Max", received_at="2026-01-02T10:00:00Z", mutual_contacts=-1) == (
        "gemeinsame Kontakte: muss mindestens 0 sein"
    )
    set_language("en")
    assert problem(name="Max") == "date: missing"
    assert "Field required" not in problem(name="Max")


def test_an_import_s_skipped_rows_are_german(tmp_path: Path) -> None:
    from netinbox.importers.linkedin import time_problem

    set_language("de")
    assert time_problem("nächsten Dienstag", UTC) == "unlesbares Datum 'nächsten Dienstag'"
    assert _(i18n.N_("hidden profile (only a date)")) == "verborgenes Profil (nur ein Datum)"
