"""The footer in the interface's language: Textual's `Footer`, each key's description and
tooltip translated as it is shown (bindings are made at import time, with their English
words marked by `N_()`).

Textual's footer makes all its keys anew whenever the bindings change: at every change of
focus (`/`, enter in the search box) and whenever a key is dimmed (a view or search with no
request). Making, styling and laying out ten keys cost those frames tens of ms. This one
changes the keys it has in place: a key that is dimmed or lit restyles itself alone, one
that goes (the letters, while the search box types them) is hidden and comes back the same,
so the footer is only made anew when a key it never had comes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

from netinbox.i18n import N_, _, pgettext
from netinbox.tui import textual_private as private
from netinbox.tui.actions import ACTIONS, MEANINGS, RECEIVED, Action, Meaning, meaning

ROLE_ACTIONS: dict[str, Action] = {
    action.action: action
    for action in ACTIONS
    if any(action.id in meanings for meanings in MEANINGS.values())
}
"""The keys whose words differ by the role of the request shown, by their binding's action."""

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
        "Accepted": pgettext("footer, narrow", "Accepted"),
        "Withdraw": pgettext("footer, narrow", "Withdraw"),
    }
    return narrow.get(english) or _(english)


def _english(description: str) -> str:
    """A key's description in English: the bindings may have been made in German."""
    from netinbox.tui.actions import ACTIONS

    return {_(action.title): action.title for action in ACTIONS}.get(description, description)


Shown = tuple[str, bool, str, str, str, bool, str]
"""A key as the footer shows it: action, is the palette's, key, key display, description,
dimmed, tooltip."""


class WordsFooter(Footer):
    """Textual's footer, its words translated (shorter ones where it is narrow), its keys
    changed in place when the bindings change (the module's docstring says why), and
    named for what they do on the request shown (`role`): on a request the user sent, `a`
    writes the reason or the answer and `d` withdraws it; a key with nothing to do there
    is not shown. A new role changes the keys in place too (`show_role`), and only then:
    moving between requests of one role touches no key."""

    _update_due = False
    role: str = RECEIVED

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            for key in [widget, *getattr(widget, "_pending_children", [])]:
                if isinstance(key, FooterKey):
                    said = self._meant(key.action)
                    if said is not None:
                        key.description = self._words(said.title)
                        key.tooltip = _(said.help)
                        key.display = said.in_footer
                        continue
                    key.description = self._words(key.description)
                    tooltip = key.tooltip
                    if isinstance(tooltip, str) and tooltip:
                        key.tooltip = _(tooltip)
            yield widget

    def _meant(self, action: str) -> Meaning | None:
        """What a key whose words depend on the role does on the request shown; None for
        the others."""
        found = ROLE_ACTIONS.get(action)
        return meaning(found, self.role) if found is not None else None

    def show_role(self, role: str) -> None:
        """Name the keys for a request of `role` (`actions.role`), in place."""
        if role == self.role:
            return
        self.role = role
        if self.is_attached and not self._update_due:
            self._update_due = True
            self.call_later(self._update_keys)

    def _words(self, description: str) -> str:
        english = _english(description) if description else ""
        if not english:
            return ""
        return narrow_word(english) if self.compact else _(english)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._update_due:
            self._update_due = True  # in the frame being made (Textual's: a frame later)
            self.call_later(self._update_keys)

    def _wanted(self) -> list[Shown] | None:
        """The keys Textual's footer would show now, in its order (None: a group of keys,
        which only Textual's own composing draws)."""
        app = self.app
        by_action: dict[str, tuple[str, str, str, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            description = binding.description
            said = self._meant(binding.action)
            if said is not None:
                if not said.in_footer:
                    continue  # nothing to do on the request shown
                description, tooltip = said.title, said.help
            if binding.action not in by_action:
                by_action[binding.action] = (
                    binding.key, app.get_key_display(binding), description,
                    not enabled, tooltip,
                )  # fmt: skip
        wanted = [
            (action, False, key, display, self._words(description), dim, _(tip) if tip else "")
            for action, (key, display, description, dim, tip) in by_action.items()
        ]
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tip = found
                tip = binding.tooltip or binding.description
                wanted.append((
                    binding.action, True, binding.key, app.get_key_display(binding),
                    self._words(binding.description), not enabled, _(tip) if tip else "",
                ))  # fmt: skip
        return wanted

    async def _update_keys(self) -> None:
        """Change the keys shown in place; make them anew only when a key is new."""
        self._update_due = False
        if not self.is_attached:
            return
        wanted = self._wanted()
        keys = [child for child in self.children if isinstance(child, FooterKey)]
        have = {(key.action, key.has_class("-command-palette")): key for key in keys}
        if (
            wanted is None
            or not keys
            or len(keys) != len(self.children)
            or any((shown[0], shown[1]) not in have for shown in wanted)
        ):
            await self.recompose()
            return
        order = [have[(shown[0], shown[1])] for shown in wanted]
        if order != [key for key in keys if key in order]:
            await self.recompose()  # the same keys in another order
            return
        shown_keys = dict(zip(order, wanted, strict=True))
        for key in keys:
            now = shown_keys.get(key)
            if now is None:
                key.display = False
                continue
            _action, _palette, binding_key, display, description, dim, tooltip = now
            key.key = binding_key
            wider = (display, description) != (key.key_display, key.description)
            if wider:
                key.key_display, key.description = display, description
            if (key.tooltip or "") != tooltip:
                key.tooltip = tooltip or None
            if private.footer_key_dimmed(key) != dim:
                private.dim_footer_key(key, dim)  # restyles this key alone
            if not key.display:
                key.display = True
            elif wider:
                key.refresh(layout=True)
