"""Keys as the user has them: which keys type, and how a (remapped) key is shown.

Textual hides a screen's key from the footer while an Input or TextArea has the focus and
would type it (`check_consume_key`), but it cannot name the character of a few keys
(`key_to_character("slash")` is None), so `/` would still show as "Search" while it types
a slash. `typed_character` fills in those characters.

Help, hints and dialogs name keys with `key_display`, which follows the config's keymap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding

from netinbox.i18n import _
from netinbox.tui import textual_private as private
from netinbox.tui.actions import (
    OLD_IDS,
    PLACES,
    SCOPES,
    Action,
    current_id,
    current_keymap,
    home,
    keys_of,
    placed,
    remappable,
)

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


def key_label(key: str) -> str:
    """One key as the footer shows it ("question_mark" → "?", "ctrl+s" → "^s"), where
    there is no app to ask (`App.get_key_display` does the same)."""
    from textual.keys import format_key

    *modifiers, base = key.split("+")
    shown = format_key(base)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        shown = f"^{shown}"
    return "+".join([*modifiers, shown])


def key_table(keymap: Mapping[str, str]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Every key a config may remap, by place: (place title, [(id, keys, what it does)]),
    the keys as the footer shows them after `keymap` (a config's [keys], any ids)."""
    remap = current_keymap(keymap)
    places: dict[str, list[tuple[str, str, str]]] = {}
    for action in remappable():
        keys = " ".join(key_label(key) for key in keys_of(action.id, remap))
        places.setdefault(home(action), []).append((action.id, keys, _(action.help)))
    return [(_(PLACES[place]), rows) for place, rows in places.items()]


def keymap_in_effect(app: App[Any]) -> dict[str, str]:
    """The keymap in effect: what `set_keymap` was given, and the config's (`keymap` of
    the netinbox app, set on the app only when it mounts)."""
    return {**private.keymap(app), **getattr(app, "keymap", {})}


def key_display(app: App[Any], binding_id: str, *, every: bool = False) -> str:
    """How the footer shows the key of `binding_id` (the first one, or `every` one), after
    the user's keymap; "" for an id with no key."""
    keys = keys_of(binding_id, keymap_in_effect(app))
    shown = [app.get_key_display(Binding(key, "")) for key in keys]
    return " ".join(dict.fromkeys(shown if every else shown[:1]))


# --- checking the config's [keys] ------------------------------------------------------------

MODIFIERS = frozenset(("ctrl", "shift", "alt", "meta", "super", "hyper"))
#: What a config's [keys] entry can get wrong; `keymap_problems` reports these codes.
UNKNOWN_ACTION = "unknown_action"
UNKNOWN_KEY = "unknown_key"
SAME_ACTION = "same_action"
TAKEN = "taken"


def _key_names() -> frozenset[str]:
    import string

    from textual.keys import KEY_ALIASES, Keys

    names = {key.value.rsplit("+", 1)[-1] for key in Keys}
    names.update(private.key_of_character(c) for c in string.punctuation)
    names.update(alias for aliases in KEY_ALIASES.values() for alias in aliases)
    return frozenset(name for name in names if not name.startswith("<"))


def _is_key(key: str, names: frozenset[str]) -> bool:
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, base = key.split("+")
    return all(m in MODIFIERS for m in modifiers) and (len(base) == 1 or base in names)


def keymap_problems(keymap: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """What is wrong in a config's [keys]: (binding id as the config names it, code,
    detail) — an action that does not exist (detail: the closest id), one named twice, by
    today's id and an earlier one (detail: the other name), a key Textual has no name for
    (detail: the key), a key that another action in the same place has already (detail:
    "key other_id free"). Ids of earlier versions (`actions.OLD_IDS`) are fine.
    """
    from difflib import get_close_matches

    known = {action.id for action in remappable()}
    names = _key_names()
    problems: list[tuple[str, str, str]] = []
    named: dict[str, str] = {}  # today's id → the name the config gives it
    for binding_id, keys in keymap.items():
        today = current_id(binding_id)
        if today not in known:
            guess = get_close_matches(binding_id, sorted(known | set(OLD_IDS)), n=1)
            problems.append((binding_id, UNKNOWN_ACTION, current_id(guess[0]) if guess else ""))
            continue
        if today in named:
            problems.append((binding_id, SAME_ACTION, named[today]))
            continue
        named[today] = binding_id
        for key in (k.strip() for k in keys.split(",")):
            if not _is_key(key, names):
                problems.append((binding_id, UNKNOWN_KEY, key))
    if problems:
        return problems
    remap = current_keymap(keymap)
    for scope in SCOPES:
        taken: dict[str, str] = {}  # normalised key → binding id, after the keymap
        for action in _in_scope(scope):
            for key in private.normalized_keys(remap.get(action.id, action.keys)).split(","):
                other = taken.setdefault(key, action.id)
                if other != action.id and (action.id in remap or other in remap):
                    mover = action.id if action.id in remap else other
                    holder = other if mover == action.id else action.id
                    free = next(
                        (c for c in FREE_KEYS if c not in taken and _free(c, scope, remap)), ""
                    )
                    problems.append(
                        (named.get(mover, mover), TAKEN, f"{key} {holder} {free}".strip())
                    )
    return list(dict.fromkeys(problems))


FREE_KEYS = "xcvbhlmpwfk"
"""Keys suggested for a remap that took another action's key, the first free one."""


def _in_scope(scope: tuple[str, ...]) -> list[Action]:
    return [action for place in scope for action, _run, _priority in placed(place)]


def _free(key: str, scope: tuple[str, ...], keymap: Mapping[str, str]) -> bool:
    return not any(
        key in private.normalized_keys(keymap.get(action.id, action.keys)).split(",")
        for action in _in_scope(scope)
    )


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
        fix = (
            _("did you mean %(name)s?") % {"name": detail}
            if detail
            else _("`netinbox keys` lists them")
        )
        text = _("[keys]: there is no action '%(name)s'; %(fix)s") % {
            "name": binding_id,
            "fix": fix,
        }
    elif code == SAME_ACTION:
        text = _("[keys] %(name)s and %(other)s are one action (%(id)s); keep one of them") % {
            "name": binding_id,
            "other": detail,
            "id": current_id(binding_id),
        }
    elif code == UNKNOWN_KEY:
        text = _(
            "[keys] %(name)s = \"%(keys)s\": there is no key '%(key)s'; write a "
            "character (x), a key name (f2, enter, space, slash) or ctrl+x"
        ) % {"name": binding_id, "keys": keys, "key": detail}
    else:
        key, holder, *free = detail.split()
        values = {"name": binding_id, "keys": keys, "key": key, "holder": holder}
        if free:
            text = _(
                '[keys] %(name)s = "%(keys)s": %(key)s is already the key of %(holder)s; '
                "choose another key (%(free)s is free), or give %(holder)s another key too"
            ) % dict(values, free=free[0])
        else:
            text = (
                _(
                    '[keys] %(name)s = "%(keys)s": %(key)s is already the key of %(holder)s; '
                    "choose another key, or give %(holder)s another key too"
                )
                % values
            )
    raise ConfigError(f"{where}: {text}")
