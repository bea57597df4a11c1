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


# --- checking the config's [keys] ------------------------------------------------------------

MODIFIERS = frozenset(("ctrl", "shift", "alt", "meta", "super", "hyper"))
#: What a config's [keys] entry can get wrong; `keymap_problems` reports these codes.
UNKNOWN_ACTION = "unknown_action"
UNKNOWN_KEY = "unknown_key"
TAKEN = "taken"


def _scopes() -> list[tuple[type[DOMNode], ...]]:
    """The bindings that are active together: a key may mean one thing in each."""
    from netinbox.tui.app import NetInboxApp
    from netinbox.tui.screens import dialogs
    from netinbox.tui.screens.help import HelpScreen
    from netinbox.tui.screens.importing import ImportDialog
    from netinbox.tui.screens.main import MainScreen
    from netinbox.tui.widgets.draft import DraftEditor
    from netinbox.tui.widgets.request_list import RequestList
    from netinbox.tui.widgets.search_bar import SearchBar

    dialog_types = (
        dialogs.AnswerDialog,
        dialogs.SnoozeDialog,
        dialogs.ConfirmDialog,
        dialogs.AddRequestDialog,
        dialogs.DecisionDialog,
        ImportDialog,
    )
    return [
        (NetInboxApp, MainScreen, RequestList),
        (DraftEditor,),
        (SearchBar,),
        *((NetInboxApp, dialogs.Dialog, kind) for kind in dialog_types),
        (NetInboxApp, HelpScreen),
    ]


def _key_names() -> frozenset[str]:
    import string

    from textual.keys import KEY_ALIASES, Keys, _character_to_key

    names = {key.value.rsplit("+", 1)[-1] for key in Keys}
    names.update(_character_to_key(c) for c in string.punctuation)
    names.update(alias for aliases in KEY_ALIASES.values() for alias in aliases)
    return frozenset(name for name in names if not name.startswith("<"))


def _is_key(key: str, names: frozenset[str]) -> bool:
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, base = key.split("+")
    return all(m in MODIFIERS for m in modifiers) and (len(base) == 1 or base in names)


def keymap_problems(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """What is wrong in a config's [keys]: (binding id, code, detail) — an action that does
    not exist (detail: the closest id), a key Textual has no name for (detail: the key), a
    key that another action in the same place has already (detail: "key other_id free").
    """
    from difflib import get_close_matches

    from textual.keys import _normalize_key_list

    scopes = _scopes()
    known: dict[str, Binding] = {}
    for scope in scopes:
        for owner in scope:
            for binding in getattr(owner, "BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    known.setdefault(binding.id, binding)
    names = _key_names()
    problems: list[tuple[str, str, str]] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            guess = get_close_matches(binding_id, sorted(known), n=1)
            problems.append((binding_id, UNKNOWN_ACTION, guess[0] if guess else ""))
            continue
        for key in (k.strip() for k in keys.split(",")):
            if not _is_key(key, names):
                problems.append((binding_id, UNKNOWN_KEY, key))
    if problems:
        return problems
    for scope in scopes:
        taken: dict[str, str] = {}  # normalised key → binding id, after the keymap
        remapped: set[str] = set()
        for owner in scope:
            for binding in getattr(owner, "BINDINGS", ()):
                if not isinstance(binding, Binding):
                    continue
                keys = binding.key
                if binding.id in keymap:
                    keys = keymap[binding.id]
                    remapped.add(binding.id)
                for key in _normalize_key_list(keys).split(","):
                    other = taken.setdefault(key, binding.id or binding.action)
                    if other != (binding.id or binding.action) and (
                        binding.id in remapped or other in remapped
                    ):
                        mover = binding.id if binding.id in remapped else other
                        holder = other if mover == binding.id else binding.id
                        free = next(
                            (
                                c
                                for c in "xcvbhlmpwfk"
                                if c not in taken and _free(c, scope, keymap)
                            ),
                            "",
                        )
                        problems.append((str(mover), TAKEN, f"{key} {holder} {free}".strip()))
    return list(dict.fromkeys(problems))


def _free(key: str, scope: tuple[type[DOMNode], ...], keymap: dict[str, str]) -> bool:
    from textual.keys import _normalize_key_list

    for owner in scope:
        for binding in getattr(owner, "BINDINGS", ()):
            if isinstance(binding, Binding):
                keys = keymap.get(binding.id or "", binding.key)
                if key in _normalize_key_list(keys).split(","):
                    return False
    return True


def check_keymap(config: Any) -> None:
    """Refuse a config whose [keys] would break a key: one line naming file, line, fix.

    `config` is a `netinbox.config.Config` (its `path` and `key_lines` say where)."""
    from netinbox.config import ConfigError

    problems = keymap_problems(config.keys)
    if not problems:
        return
    binding_id, code, detail = problems[0]
    keys = config.keys.get(binding_id, "")
    where = f"{config.path or 'config'}:{config.key_lines.get(binding_id, '?')}"
    if code == UNKNOWN_ACTION:
        fix = f"did you mean {detail}?" if detail else "the README's key table names them"
        text = f"[keys]: there is no action '{binding_id}'; {fix}"
    elif code == UNKNOWN_KEY:
        text = (
            f"[keys] {binding_id} = \"{keys}\": there is no key '{detail}'; write a "
            "character (x), a key name (f2, enter, space, slash) or ctrl+x"
        )
    else:
        key, holder, *free = detail.split()
        other = f" ({free[0]} is free)" if free else ""
        text = (
            f'[keys] {binding_id} = "{keys}": {key} is already the key of {holder}; '
            f"choose another key{other}, or give {holder} another key too"
        )
    raise ConfigError(f"{where}: {text}")
