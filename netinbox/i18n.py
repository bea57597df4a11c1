"""The words of the interface, apart from the logic: one gettext domain for the app and
the CLI. Code that shows text to a person wraps it in `_()` (or `ngettext()` for counts);
a table of words kept at import time marks its entries with `N_()` and translates them
where they are shown. The core returns codes; the words live in the catalogues.

The catalogues are standard gettext files under `netinbox/locale/`: the `.po` files are
edited (see docs/german.md for the commands and the glossary), the `.mo` files are
compiled from them, committed and shipped in the wheel (a test checks they match). At run
time only the standard library's `gettext` reads them: choosing German costs reading one
small file, no Babel.

The language is the config's `language` when the config file gives one (`de` and `de-du`
mean German; the interface always says "Sie", only the follow-up templates say "du"),
else the environment's (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, as gettext reads
them); anything else is English, the default.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "netinbox"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "de")
"""The interface's languages: English (the words in the code) and German."""

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
_loaded: dict[str, _gettext.NullTranslations] = {"en": _translations}
"""Each catalogue read once (the command line chooses from the environment, then again
from the config)."""


def _(message: str) -> str:
    """The message in the chosen language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the chosen language."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the chosen language, told apart from the same English word in
    another role (a column header and a button, say)."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it (tables built at import
    time); translate it with `_()` where it is shown."""
    return message


def interface_language(language: str | None) -> str:
    """The interface language ("en" or "de") for a config or locale code: "de", "de-du",
    "de_DE.UTF-8", "de_AT" are German; anything else (None, "en", "C", "fr") English."""
    code = (language or "").strip().lower().replace("_", "-")
    return "de" if code == "de" or code.startswith("de-") or code.startswith("de.") else "en"


def environment_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language the environment asks for, read as gettext reads it: the first of
    LANGUAGE (its first entry), LC_ALL, LC_MESSAGES, LANG that is set (the user's
    LANGUAGE, not the one `speaking_to_libraries` stands in with)."""
    env: os._Environ[str] | dict[str, str] = os.environ if environ is None else environ
    if environ is None and _stand_in is not None and os.environ.get("LANGUAGE") == _stand_in[1]:
        env = {**os.environ, "LANGUAGE": _stand_in[0] or ""}
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return interface_language(value.split(":", 1)[0])
    return "en"


def set_language(language: str | None) -> str:
    """Install the catalogue for `language` ("en", "de", "de-du", a locale name …; None:
    the environment's); unknown languages fall back to English. Returns the interface
    language chosen ("en" or "de")."""
    global _translations, _language
    chosen = environment_language() if language is None else interface_language(language)
    if chosen not in _loaded:
        try:
            # Through gettext's own cache: click's words (`speaking_to_libraries`) are
            # then read from this same catalogue, not parsed a second time at start.
            _loaded[chosen] = _gettext.translation(DOMAIN, str(LOCALE_DIR), [chosen])
        except OSError:  # a broken install: English rather than no app
            chosen = "en"
    _translations, _language = _loaded[chosen], chosen
    if _stand_in is not None:
        _tell_libraries(chosen)
    return chosen


def language() -> str:
    """The interface language in use: "en" or "de"."""
    return _language


def choose_for(config_language: str | None, given: bool) -> str:
    """Install the interface language for a config: its `language` if the file gives
    one, else the environment's. Returns the language chosen."""
    return set_language(config_language if given else None)


_stand_in: tuple[str | None, str] | None = None
"""While `speaking_to_libraries`: (the user's LANGUAGE or None, the one standing in)."""


def _tell_libraries(chosen: str) -> None:
    global _stand_in
    user = _stand_in[0] if _stand_in is not None else os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = chosen
    _stand_in = (user, chosen)


@contextmanager
def speaking_to_libraries() -> Iterator[None]:
    """Libraries that translate with the standard library's gettext — click's "Usage:",
    "Show this message and exit.", "Error: No such option" — speak the interface's
    language while this lasts: their words are in our catalogue (`netinbox.click_words`),
    gettext's default domain is ours and its LANGUAGE the language chosen (as
    `set_language` changes it). Afterwards the domain and LANGUAGE are as they were."""
    global _stand_in
    domain = _gettext.textdomain()
    user = os.environ.get("LANGUAGE")
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)
    _tell_libraries(_language)
    try:
        yield
    finally:
        _stand_in = None
        _gettext.textdomain(domain)
        if user is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = user


@contextmanager
def users_environment() -> Iterator[None]:
    """The user's own LANGUAGE while this lasts, not the one `speaking_to_libraries`
    stands in with: the programs the app starts (the editor, the clipboard tools) speak
    as the user's environment says."""
    if _stand_in is None:
        yield
        return
    user, ours = _stand_in
    if user is None:
        os.environ.pop("LANGUAGE", None)
    else:
        os.environ["LANGUAGE"] = user
    try:
        yield
    finally:
        if _stand_in is not None:
            os.environ["LANGUAGE"] = _stand_in[1]
