"""The two text boundaries: into the store, and onto the screen.

Senders choose their own names and headlines, so all outside text is hostile in boring
ways. `for_storage` keeps it as written but storable; `for_terminal` makes it inert on a
terminal. Neither touches brackets or `$`: the display must treat text as data instead.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI, OSC, DCS, SOS, PM, APC, and two-byte escapes) and their
# 8-bit C1 forms. Strings end at BEL or ST (ESC \ or U+009C).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                      # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])              # OSC, DCS, SOS, PM, APC
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?                                       # other escapes (ESC c, ESC ( B)
    """,
    re.VERBOSE,
)

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_KEEP_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: needed for emoji and some scripts
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
# Everything `str.splitlines()` breaks at, so a one-line field really is one line.
_STORAGE_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SURROGATE = re.compile("[\ud800-\udfff]")

REPLACEMENT = "\ufffd"
ELLIPSIS = "…"
LIST_CELL_CAP = 200


def for_storage(value: str, *, one_line: bool = False) -> str:
    """Make outside text storable without changing what the sender wrote.

    NFC; NUL removed; lone surrogates replaced; in one-line fields every line break
    becomes a space. Everything else (brackets, `$`, emoji, escapes) is kept: the
    terminal boundary deals with display.
    """
    if not value:
        return ""
    text = _SURROGATE.sub(REPLACEMENT, value).replace("\x00", "")
    if one_line:
        text = _STORAGE_LINE_BREAKS.sub(" ", text)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _placeholder(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def for_terminal(value: str | None, *, cap: int | None = None, one_line: bool = True) -> str:
    """Make text safe to put on a terminal, as data.

    Escape sequences (7-bit and C1) are removed whole; every other control character
    becomes a visible placeholder; bidi controls and other invisible format characters
    become U+FFFD (ZWJ and ZWNJ stay); line breaks become spaces in one-line text. With
    `cap`, the result is cut to that many characters with an ellipsis.
    """
    if not value:
        return ""
    text = _SURROGATE.sub(REPLACEMENT, value)
    text = _ESCAPE_SEQUENCE.sub("", text)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    else:
        text = _LINE_BREAKS.sub("\n", text)
    out: list[str] = []
    for char in text:
        if char == "\n" and not one_line:
            out.append(char)
            continue
        if char == "\t":
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp"):
            out.append(_placeholder(char))
        elif category == "Cf" and char not in _KEEP_FORMAT:
            out.append(REPLACEMENT if char in _BIDI_CONTROLS or char != "\u00ad" else "")
        else:
            out.append(char)
    result = "".join(out)
    if cap is not None and len(result) > cap:
        result = result[: max(cap - 1, 0)] + ELLIPSIS
    return result


def is_display_safe(value: str) -> bool:
    """True when nothing in `value` can move the cursor, change terminal state or reorder text."""
    for char in value:
        if char == "\n":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp"):
            return False
        if category == "Cf" and char not in _KEEP_FORMAT:
            return False
    return True


def match_key(name: str) -> str:
    """A key under which two spellings of the same name meet: NFKC, casefolded,
    zero-width characters dropped, whitespace collapsed."""
    text = for_storage(name, one_line=True)
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.casefold().split())


def first_name(name: str) -> str:
    """The first word of a name, for greetings ("Dubois, PhD" → "Dubois")."""
    parts = name.replace(",", " ").split()
    return parts[0] if parts else ""
