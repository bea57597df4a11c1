"""Keys as the user has them: which keys type, and how a (remapped) key is shown.

Textual hides a screen's key from the footer while an Input or TextArea has the focus and
would type it (`check_consume_key`), but it cannot name the character of a few keys
(`key_to_character("slash")` is None), so `/` would still show as "Search" while it types
a slash. `typed_character` fills in those characters.

Help, hints and dialogs name keys with `key_display`, which follows the config's keymap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

PUNCTUATION_KEYS: dict[str, str] = {
    "slash": "/",
    "backslash": "\\",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "underscore": "_",
}
"""Key names whose character Textual's `key_to_character` does not know."""


def typed_character(key: str, character: str | None) -> str | None:
    """The character a key types, where Textual could not tell."""
    return character if character is not None else PUNCTUATION_KEYS.get(key)


def _keymap(app: App[Any]) -> dict[str, str]:
    """The keymap in effect: what `set_keymap` was given, and the config's (not yet set)."""
    return {**getattr(app, "_keymap", {}), **getattr(app, "keymap", {})}


def key_display(
    app: App[Any], binding_id: str, owners: Iterable[type[DOMNode]], *, every: bool = False
) -> str:
    """How the footer shows the key of `binding_id` (the first one, or `every` one), after
    the user's keymap; "" when no owner has that binding."""
    keymap = _keymap(app)
    for owner in owners:
        for binding in getattr(owner, "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id == binding_id:
                keys = [k.strip() for k in keymap.get(binding_id, binding.key).split(",")]
                shown = [app.get_key_display(Binding(k, binding.action)) for k in keys if k]
                return " ".join(dict.fromkeys(shown if every else shown[:1]))
    return ""
