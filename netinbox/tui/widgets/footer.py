"""The footer in the interface's language: Textual's `Footer`, each key's description and
tooltip translated as it is shown (bindings are made at import time, with their English
words marked by `N_()`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from netinbox.i18n import N_, _

TEXTUAL_WORDS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
)
"""The words of Textual's own bindings that the footer or the help can show."""


class WordsFooter(Footer):
    """Textual's footer, its words translated."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            for key in [widget, *getattr(widget, "_pending_children", [])]:
                if isinstance(key, FooterKey):
                    key.description = _(key.description) if key.description else ""
                    tooltip = key.tooltip
                    if isinstance(tooltip, str) and tooltip:
                        key.tooltip = _(tooltip)
            yield widget
