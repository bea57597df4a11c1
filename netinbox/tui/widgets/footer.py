"""The footer in the interface's language: Textual's `Footer`, each key's description and
tooltip translated as it is shown (bindings are made at import time, with their English
words marked by `N_()`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from netinbox.i18n import N_, _, pgettext

TEXTUAL_WORDS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
)
"""The words of Textual's own bindings that the footer or the help can show."""


def narrow_word(english: str) -> str:
    """A key's word where the footer is narrow, where the language has a shorter one than
    the help's (German "Später" for "Zurückstellen"); else the usual word."""
    narrow = {
        "Search": pgettext("footer, narrow", "Search"),
        "Accept": pgettext("footer, narrow", "Accept"),
        "Decline": pgettext("footer, narrow", "Decline"),
        "Snooze": pgettext("footer, narrow", "Snooze"),
    }
    return narrow.get(english) or _(english)


def _english(description: str) -> str:
    """A key's description in English: the bindings may have been made in German."""
    from netinbox.tui.actions import ACTIONS

    return {_(action.title): action.title for action in ACTIONS}.get(description, description)


class WordsFooter(Footer):
    """Textual's footer, its words translated (shorter ones where it is narrow)."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            for key in [widget, *getattr(widget, "_pending_children", [])]:
                if isinstance(key, FooterKey):
                    english = _english(key.description) if key.description else ""
                    if self.compact:
                        key.description = narrow_word(english) if english else ""
                    else:
                        key.description = _(english) if english else ""
                    tooltip = key.tooltip
                    if isinstance(tooltip, str) and tooltip:
                        key.tooltip = _(tooltip)
            yield widget
