"""Text as the search index holds it, and words as a search looks for them.

German is typed both ways: `Krüger` or `Krueger`, `Weiß` or `Weiss`. The index keeps each
text as written (FTS5's tokenizer folds case and accents, so `Krüger` is also `kruger`)
and adds, for each word with ä, ö, ü or ß, that word spelled out (`krueger`, `weiss`). A
search word is looked for as typed and spelled out, so each spelling finds the other.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

_SPELLED_OUT = str.maketrans(
    {
        **{"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"},
        **{"ø": "oe", "Ø": "Oe", "æ": "ae", "Æ": "Ae"},  # Brømmer is "broemmer" in his link
    }
)
_SPECIAL = re.compile("[äöüÄÖÜßẞøØæÆ]")
_WORD = re.compile(r"\w+")
#: The GLOB that finds a text `index_text` would change (SQLite tests it without Python).
SPECIAL_GLOB = "*[äöüÄÖÜßẞøØæÆ]*"
#: The SQL function `register` adds: `netinbox_index_text(text)`.
SQL_FUNCTION = "netinbox_index_text"


def spelled_out(word: str) -> str:
    """ä, ö, ü, ß written as ae, oe, ue, ss."""
    return word.translate(_SPELLED_OUT)


def index_text(text: str | None) -> str:
    """`text` for the search index: as written, plus its words with umlauts or ß spelled
    out ("Weiß Müller" → "Weiß Müller Weiss Mueller")."""
    if not text:
        return ""
    if not _SPECIAL.search(text):
        return text
    extra = [spelled_out(word) for word in _WORD.findall(text) if _SPECIAL.search(word)]
    return f"{text} {' '.join(extra)}"


def index_sql(column: str) -> str:
    """SQL for `index_text(column)` that calls Python only for texts it would change."""
    return (
        f"CASE WHEN {column} GLOB '{SPECIAL_GLOB}' THEN {SQL_FUNCTION}({column}) ELSE {column} END"
    )


def register(conn: sqlite3.Connection) -> None:
    """Make `netinbox_index_text` callable in `conn`'s SQL."""
    conn.create_function(SQL_FUNCTION, 1, index_text, deterministic=True)


def match_words(text: str) -> list[str]:
    """Each search word as an FTS5 term: a prefix, quoted as data; a word with umlauts or ß
    matches it spelled out too, and a spelled-out word (`weiss`) matches `Weiß` through
    the index's spelled-out copy."""
    terms: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        other = spelled_out(word)
        if other != word:
            terms.append(f'("{word}"* OR "{other}"*)')
        else:
            terms.append(f'"{word}"*')
    return terms
