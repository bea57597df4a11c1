"""Every netinbox action in the command palette (ctrl+p), with the key that runs it now.

Hits are built from `Content`, never from markup strings: Textual's `Matcher.highlight`
and `str` prompts are parsed as markup, and a key or title must never be able to turn
into a clickable action. The commands run on the main screen with `run_action`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.screen import Screen

from netinbox.i18n import N_, _
from netinbox.text import for_terminal
from netinbox.tui.actions import ACTIONS, keys_of
from netinbox.tui.keys import keymap_in_effect


@dataclass(frozen=True)
class Command:
    action: str  # as the main screen runs it: "step('decline')", "view('overdue')"
    title: str
    help: str
    id: str = ""  # the binding id whose key the palette shows (`netinbox.tui.actions`)

    @property
    def method(self) -> str:
        """The `action_…` method the main screen must have for this command."""
        return "action_" + self.action.split("(", 1)[0]


COMMANDS: tuple[Command, ...] = tuple(
    Command(action.action, action.palette, action.help, action.id)
    for action in ACTIONS
    if action.palette
)
"""The palette's commands: the actions of `netinbox.tui.actions` with a palette title, in
its order (titles and help are translated where shown)."""

UNAVAILABLE = N_("Not available right now")


def current_keys(screen: Screen[object], command: Command) -> list[str]:
    """The keys of a command now, with the user's keymap applied (keys are remapped by
    binding id)."""
    return keys_of(command.id, keymap_in_effect(screen.app))


def key_label(screen: Screen[object], keys: list[str]) -> str:
    """The keys as the footer shows them ("d", "^p", "?"), at most two."""
    shown = [screen.app.get_key_display(Binding(key, "")) for key in keys[:2]]
    return for_terminal(" ".join(shown), cap=20)


def command_display(title: Content, key: str, *, available: bool = True) -> Content:
    """A palette line: the title, then its key dimmed; every part is data, not markup."""
    shown = title if available else title.stylize("dim")
    if not key:
        return shown
    return Content.assemble(shown, "  ", (key, "dim"))


def is_available(screen: Screen[object], action: str) -> bool:
    """Whether running `action` on the screen would do something now (its check_action)."""
    _namespace, name, params = parse_action(action)
    return bool(screen.check_action(name, params))


def highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` with the matched letters styled, built as Content (no markup parsing)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class NetInboxCommands(Provider):
    """The netinbox actions, run on the main screen."""

    def _commands(self) -> Iterator[tuple[Command, str, bool]]:
        """(command, its key label, whether it can run now) for the calling screen, its
        words those of what it does on the request shown (on a request the user sent,
        "Withdraw my request" for decline).

        Commands the screen cannot run at the moment (no request selected) are still
        listed, dimmed, so the palette always shows everything netinbox can do.
        """
        screen = self.screen
        if not hasattr(screen, "action_step"):  # a dialog or another screen: nothing to run
            return
        for command in COMMANDS:
            if not hasattr(screen, command.method):
                continue
            key = key_label(screen, current_keys(screen, command))
            said = getattr(screen, "meaning", None)
            if said is not None and command.id:
                meant = said(command.id)
                command = replace(command, title=meant.palette or meant.title, help=meant.help)
            yield command, key, is_available(screen, command.action)

    def _run(self, action: str) -> Callable[[], Awaitable[None]]:
        return partial(self._run_or_explain, self.screen, action)

    @staticmethod
    async def _run_or_explain(screen: Screen[object], action: str) -> None:
        """Run `action`; one that does nothing now says why (`MainScreen.explain`), as
        its key does."""
        _namespace, name, params = parse_action(action)
        explain = getattr(screen, "explain", None)
        if name == "step" and params:
            name = str(params[0])
        if explain is not None and not is_available(screen, action) and explain(name):
            return
        await screen.run_action(action)

    @staticmethod
    def _help(command: Command, available: bool) -> str:
        text = _(command.help)
        return text if available else f"{text} ({_(UNAVAILABLE).lower()})"

    async def discover(self) -> Hits:
        for command, key, available in self._commands():
            title = _(command.title)
            yield DiscoveryHit(
                command_display(Content(title), key, available=available),
                self._run(command.action),
                text=title,
                help=self._help(command, available),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, key, available in self._commands():
            title = _(command.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score if available else score / 2,
                    command_display(highlight(matcher, title), key, available=available),
                    self._run(command.action),
                    text=title,
                    help=self._help(command, available),
                )
