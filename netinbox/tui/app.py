"""The netinbox Textual app: a thin shell around the main screen, built on a given Store."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from time import monotonic
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from netinbox.i18n import N_, _
from netinbox.store import Store
from netinbox.tui import textual_private as private
from netinbox.tui.actions import BY_ID, bindings, current_keymap
from netinbox.tui.early_keys import EarlyKeys
from netinbox.tui.format import user_zone
from netinbox.tui.safe import toast
from netinbox.tui.screens.main import MainScreen
from netinbox.tui.typeahead import KeyGate


def _netinbox_commands() -> type[Provider]:
    """The palette's netinbox commands, imported when the palette first opens."""
    try:
        from netinbox.tui.commands import NetInboxCommands
    except ModuleNotFoundError as error:
        if error.name != "netinbox.tui.commands":
            raise
        return SystemCommandsProvider  # not written yet: the set keeps one copy
    return NetInboxCommands


TEXTUAL_COMMAND_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""The words of Textual's own palette commands (`App.get_system_commands`)."""


class NetInboxApp(App[int]):
    """Review contact requests: the store comes in, nothing else is read from outside.

    `clock` overrides the time the app shows and judges deadlines by (default: the
    store's clock, which tests inject).
    """

    CSS_PATH = "app.tcss"
    TITLE = "netinbox"
    COMMANDS = App.COMMANDS | {_netinbox_commands}
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    def action_command_palette(self) -> None:
        """Textual's command palette, its search box in the interface's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # is_open takes App[object]; App is invariant in its return type
            placeholder = _("Search for commands…")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, quit, keys, screenshot …), in the
        interface's language (`TEXTUAL_COMMAND_WORDS`)."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        watch: Iterable[Path] = (),
    ) -> None:
        super().__init__()
        private.escape_digits_as_typed()  # "esc, then 4" is escape and 4, as with letters
        self.store = store
        self.clock = clock or store.now
        self.watch_paths: list[Path] = [*store.config.watch.mailboxes(), *watch]
        """Mailboxes whose new mail is imported while the app is open (`[watch] paths`
        in the config, `netinbox --watch`): `netinbox.tui.watcher`, started by the main
        screen after its first frame."""
        self.keymap: dict[str, str] = current_keymap(store.config.keys)
        """Binding id → keys, from the config file; overrides the default keys. (An id
        of an earlier version is named as today.)"""
        self._main: MainScreen
        self.type_ahead = KeyGate(self)
        """Keys typed before their place (a dialog, the search box) has the focus."""

    def get_default_screen(self) -> Screen[None]:
        self._main = MainScreen(self.store, self.clock, user_zone(self.store.config))
        return self._main

    freeze_gc = False

    def on_mount(self) -> None:
        # Keys typed as the app starts (they come after this) wait for the list's focus.
        main = self._main
        self.type_ahead.hold_until(lambda: main.is_mounted and main.requests.has_focus)
        self.call_after_refresh(self._first_frame_painted)
        if self.freeze_gc:
            self.call_after_refresh(_settle_gc)
        if self.keymap:
            self.set_keymap(self.keymap)
            unknown = sorted(set(self.keymap) - BY_ID.keys())
            if unknown:
                toast(
                    self,
                    _(
                        "Unknown key names in the config's [keys]: %(names)s. "
                        "Press %(help)s to see what each key does."
                    )
                    % {"names": ", ".join(unknown), "help": self.main.key_for("help")},
                    severity="warning",
                    timeout=10,
                )

    _painted = False

    def _first_frame_painted(self) -> None:
        self._painted = True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self._painted and event.key == "ctrl+j":
                # Typed before the command started: the terminal, still in line mode, made
                # this Enter a newline (`netinbox.tui.early_keys`); nobody types ctrl+j then.
                event = events.Key("enter", "\r")
            elif _escape_then_key(event):
                # Escape and a key typed within 0.1 s of each other reach Textual as one
                # alt+key (a terminal sends alt+j as escape, j). No key of the app is an
                # alt key, so this is what the user typed: "esc, then s: send", quickly.
                character = event.character or ""
                before = self.focused
                await self.on_event(events.Key("escape", "\x1b"))
                # The key waits for what escape does (the draft gives the list the focus).
                since = monotonic()
                self.type_ahead.hold_until(
                    lambda: self.focused is not before or monotonic() - since > ESCAPE_SETTLES
                )
                event = events.Key(private.key_of_character(character), character)
        if self.type_ahead.gate(event):
            return
        await super().on_event(event)
        if isinstance(event, events.Key):
            self.type_ahead.dispatched(event)

    def on_key(self, event: events.Key) -> None:
        self.type_ahead.arrived(event)

    async def dispatch_held_key(self, event: events.Key) -> None:
        """Handle a key the gate held, as if it arrived now."""
        await super().on_event(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Push a dialog; keys typed meanwhile wait for it (they are meant for it)."""
        result = super().push_screen(screen, *args, **kwargs)
        pushed = self.get_screen(screen) if isinstance(screen, str) else screen
        self.type_ahead.hold_until(lambda: pushed.is_mounted)
        return result

    def _fatal_error(self) -> None:
        """Textual's crash report, without the local variables it lists: they hold the
        names and messages of the requests on screen, and a crash report gets pasted into
        bug reports (docs/reliability.md, E-5). Overrides Textual's private hook
        (`netinbox.tui.textual_private.report_crash_without_locals`)."""
        private.report_crash_without_locals(self)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit: keys typed after `q` are dropped (the app is closing)."""
        self.type_ahead.closing = True
        super().exit(*args, **kwargs)

    @property
    def main(self) -> MainScreen:
        """The main screen (also while a dialog is open on top of it)."""
        return self._main

    async def action_quit(self) -> None:
        """Save the draft being typed, then quit."""
        self.main.save_draft_now()
        self.exit(0)


def _settle_gc() -> None:
    """After the first frame: what was loaded so far lives as long as the process, so it
    leaves the collector's care (full passes over it paused keys ~70 ms now and then)."""
    gc.freeze()
    gc.enable()


ESCAPE_SETTLES = 0.05
"""Seconds a key typed with escape waits for escape to move the focus, if it does."""


def _escape_then_key(event: events.Key) -> bool:
    """An alt+key that is escape and a key typed quickly: a one-character key (the app
    binds no alt key; an alt+arrow is a key of its own, kept)."""
    character = event.character
    return (
        event.key.startswith("alt+")
        and character is not None
        and len(character) == 1
        and character.isprintable()
    )


def run_app(store: Store, *, watch: Iterable[Path] = (), early: EarlyKeys | None = None) -> int:
    """Run the app on `store` until the user quits; returns the exit code. `watch`:
    mailboxes to watch for new mail besides the config's. `early`: the terminal as the
    command found it, for Textual to give back on quit and on ctrl+z."""
    app = NetInboxApp(store, watch=watch)
    if early is not None:
        app.driver_class = early.driver_for(app.driver_class)
    app.freeze_gc = True  # the process ends with the app (not so in tests)
    # No collection until the first frame is up: start-up only allocates, and a full pass
    # over Textual's objects then costs the first frame ~60 ms for nothing.
    gc.disable()
    try:
        app.run()
    finally:
        gc.enable()
        watcher = app._main.watcher if hasattr(app, "_main") else None
        if watcher is not None:  # stopped when the screen closed; this waits for it
            watcher.stop()
    return app.return_code or 0
