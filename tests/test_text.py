"""The two text boundaries: into the store (`for_storage`) and onto the screen (`for_terminal`)."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from netinbox.models import RequestRecord
from netinbox.text import (
    ELLIPSIS,
    REPLACEMENT,
    first_name,
    for_storage,
    for_terminal,
    is_display_safe,
    match_key,
)

# Characters that matter at the boundaries, mixed into arbitrary text.
SPECIAL = list(
    "\x00\x07\x08\x1b\x7f\x85\x90\x98\x9b\x9c\x9d\x9e\x9f\r\n\t\x0b\x0c\x1c\x1d\x1e"
    "\u2028\u2029\u200b\u200c\u200d\u2060\ufeff\u00ad"
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "[]$/@=\\;:PX^_ "
)
any_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.characters(categories=["Cs"]),  # lone surrogates, which st.characters() leaves out
        st.sampled_from(SPECIAL),
    ),
    max_size=80,
)
HOSTILE = [
    "\x1b[2J\x1b[H",
    "\x1b]2;PWNED\x07",
    "\x1b]52;c;ZXZpbA==\x1b\\",
    "\x9d2;title\x9c",
    "\x9b31m",
    "\x1bP+q544e\x1b\\",
    "[@click=app.screenshot('x.svg','/tmp')]Max[/]",
    "[/",
    "\u202eevil\u202c",
    "a\ud800b",
    "\x00\x7f\x85",
]
ONE_LINE_BREAKS = "\n\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"


# --- onto the screen --------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(any_text, st.booleans())
@example("\x1b]2;PWNED\x07", True)
@example("\x1b\x1b[[31m", True)
def test_for_terminal_is_display_safe_and_idempotent(text: str, one_line: bool) -> None:
    out = for_terminal(text, one_line=one_line)
    assert is_display_safe(out)
    assert for_terminal(out, one_line=one_line) == out
    if one_line:
        assert "\n" not in out


@settings(max_examples=100, deadline=None)
@given(any_text, st.integers(min_value=1, max_value=40))
def test_for_terminal_cap(text: str, cap: int) -> None:
    out = for_terminal(text, cap=cap)
    assert len(out) <= cap
    assert for_terminal(out, cap=cap) == out
    if len(for_terminal(text)) > cap:
        assert out.endswith(ELLIPSIS)
    else:
        assert out == for_terminal(text)


no_escapes = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from(SPECIAL)).filter(
        lambda c: c != "\x1b" and not "\x80" <= c <= "\x9f"
    ),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(no_escapes)
def test_for_terminal_never_touches_brackets_or_dollar(text: str) -> None:
    out = for_terminal(text)
    for char in "[]$":
        assert out.count(char) == text.count(char)


@pytest.mark.parametrize(
    "emoji", ["👩\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "🧑🏽\u200d🚀"]
)
def test_for_terminal_keeps_zwj_emoji(emoji: str) -> None:
    assert for_terminal(f"Ana {emoji} Peña") == f"Ana {emoji} Peña"


@pytest.mark.parametrize(
    "sequence",
    [
        "\x1b[2J",  # CSI: clear screen
        "\x1b[38;2;255;0;0m",
        "\x1b]2;PWNED\x07",  # OSC title, BEL-terminated
        "\x1b]0;PWNED\x1b\\",  # OSC, ST-terminated
        "\x1b]8;;https://evil.example/\x1b\\",  # OSC 8 hyperlink
        "\x1b]52;c;ZXZpbA==\x07",  # OSC 52 clipboard write
        "\x1bP+q544e\x1b\\",  # DCS
        "\x9b2J",  # C1 CSI
        "\x9d2;PWNED\x9c",  # C1 OSC with C1 ST
        "\x9d52;c;ZXZpbA==\x07",
        "\x90+q544e\x9c",  # C1 DCS
        "\x1bc",  # reset
    ],
)
def test_for_terminal_removes_escape_sequences_whole(sequence: str) -> None:
    assert for_terminal(f"Max{sequence} Muster") == "Max Muster"


@pytest.mark.parametrize(
    "control",
    sorted(set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")),
)
def test_for_terminal_neutralises_bidi(control: str) -> None:
    out = for_terminal(f"abc{control}def")
    assert control not in out
    assert out == f"abc{REPLACEMENT}def"


def test_for_terminal_makes_controls_visible() -> None:
    assert for_terminal("a\x00b\x7fc\x85d") == "a\u2400b\u2421c d"
    assert for_terminal("a\x01b") == "a\u2401b"
    assert for_terminal("a\tb\nc") == "a b c"
    assert for_terminal("a\nb", one_line=False) == "a\nb"
    assert for_terminal("a\ud800b") == f"a{REPLACEMENT}b"
    assert for_terminal(None) == ""


def test_for_terminal_keeps_markup_looking_text_as_is() -> None:
    for text in ("[@click=app.quit]Eve[/] Mallory", "Bob [/] Tables", "[/", "Cost [$5] Ltd."):
        assert for_terminal(text) == text


def test_for_terminal_caps_long_text() -> None:
    out = for_terminal("x" * 1_000_000, cap=200)
    assert len(out) == 200 and out.endswith(ELLIPSIS)


# --- into the store ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (v TEXT)")
    return conn


def test_sqlite_refuses_lone_surrogates_without_for_storage(
    sqlite_conn: sqlite3.Connection,
) -> None:
    with pytest.raises(UnicodeEncodeError):
        sqlite_conn.execute("INSERT INTO t VALUES (?)", ("a\ud800b",))


@settings(max_examples=150, deadline=None)
@given(any_text, st.booleans())
@example("Ju\u0308rgen\x00\ud83d", True)
def test_for_storage_always_fits_sqlite(
    sqlite_conn: sqlite3.Connection, text: str, one_line: bool
) -> None:
    stored = for_storage(text, one_line=one_line)
    sqlite_conn.execute("DELETE FROM t")
    sqlite_conn.execute("INSERT INTO t VALUES (?)", (stored,))
    assert sqlite_conn.execute("SELECT v FROM t").fetchone()[0] == stored
    assert "\x00" not in stored
    assert unicodedata.is_normalized("NFC", stored)
    assert for_storage(stored, one_line=one_line) == stored
    if one_line:
        assert len(stored.splitlines()) <= 1
        assert not any(char in stored for char in ONE_LINE_BREAKS)
    else:
        assert "\r" not in stored


plain = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=60
).map(lambda s: unicodedata.normalize("NFC", s))


@settings(max_examples=100, deadline=None)
@given(plain)
def test_for_storage_keeps_ordinary_text_exactly(text: str) -> None:
    assert for_storage(text, one_line=True) == text


def test_for_storage_examples() -> None:
    assert for_storage("Ju\u0308rgen") == "Jürgen"
    assert for_storage("a\r\nb\rc") == "a\nb\nc"
    assert for_storage("a\r\nb\u2028c", one_line=True) == "a b c"
    assert for_storage("[@click=x]\x1b]2;t\x07$") == "[@click=x]\x1b]2;t\x07$"
    assert for_storage("") == ""


def test_models_store_one_line_fields_on_one_line() -> None:
    record = RequestRecord(
        platform="linkedin",
        name="Max\nMuster\x00",
        headline="CTO\u2028CEO",
        message="Hallo\r\nWelt",
        received_at="2026-01-01T00:00:00Z",
    )
    assert record.name == "Max Muster"
    assert record.headline == "CTO CEO"
    assert record.message == "Hallo\nWelt"


def test_match_key_ignores_case_zero_width_and_normal_form() -> None:
    assert match_key("Ju\u0308rgen  MU\u0308\u200bLLER") == match_key("Jürgen Müller")
    assert match_key("ＡＢＣ") == match_key("abc")
    assert first_name("Dubois, PhD") == "Dubois"
    assert first_name("") == ""
