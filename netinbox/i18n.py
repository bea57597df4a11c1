"""The words of the interface, apart from the logic: one gettext domain for the app and
the CLI. Code that shows text to a person wraps it in `_()` (or `ngettext()` for counts);
a table of words kept at import time marks its entries with `N_()` and translates them
where they are shown. The core returns codes; the words live in the catalogues.

This is the shared entry point; `set_language()` installs the catalogue for a language
(English, the default, needs none)."""

from __future__ import annotations

import gettext as _gettext

DOMAIN = "netinbox"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()


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


def set_language(language: str | None) -> None:
    """Install the catalogue for `language` ("en", "de", "de-du", …); unknown languages
    fall back to English."""
    global _translations
    _translations = _gettext.NullTranslations()
    del language  # catalogues arrive with the German UI (issue #13)
