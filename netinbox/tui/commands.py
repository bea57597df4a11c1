"""Every netinbox action in the command palette (ctrl+p), with the key that runs it now.

Hits are built from `Content`, never from markup strings: Textual's `Matcher.highlight`
and `str` prompts are parsed as markup, and a key or title must never be able to turn
into a clickable action. The commands run on the main screen with `run_action`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen

from netinbox.query import View
from netinbox.text import for_terminal


@dataclass(frozen=True)
class Command:
    action: str  # as the main screen names it: "decline", "view('overdue')"
    title: str
    help: str

    @property
    def method(self) -> str:
        """The `action_…` method the main screen must have for this command."""
        return "action_" + self.action.split("(", 1)[0]


COMMANDS: tuple[Command, ...] = (
    Command("ask", "Ask why", "Draft a polite question asking why they want to connect"),
    Command("next_template", "Next template", "Switch the draft to the next template"),
    Command("send", "Mark as sent", "Copy the draft to the clipboard and start the deadline"),
    Command("record_answer", "Record answer", "Paste what the sender answered"),
    Command("accept", "Accept", "Record your acceptance (accept on the platform yourself)"),
    Command("decline", "Decline", "Record that you decline (decline on the platform yourself)"),
    Command("snooze", "Snooze", "Hide the request until a date"),
    Command("could_not_ask", "Could not ask", "The platform allows no message to this sender"),
    Command("reopen", "Reopen", "Take back a decision: the request is open again"),
    Command("undo", "Undo", "Undo the last change"),
    Command("open_profile", "Open profile", "Open the profile in the browser (LinkedIn/XING)"),
    Command("edit_in_editor", "Edit draft in $EDITOR", "Write the follow-up in your editor"),
    Command("add_request", "Add a request", "Type in a request by hand"),
    Command("import_file", "Import a file", "LinkedIn export, e-mails, vCards, CSV or JSON"),
    *(
        Command(f"view('{view.value}')", f"Show: {view.title}", f"The {view.title} filter")
        for view in View
    ),
    Command("due_today", "Show: Due today", "Every request whose answer is due today (due:today)"),
    Command("search", "Search", "Filter by words and terms: no:msg state:asked due:overdue"),
    Command("help", "Help", "Keys, list symbols, red flags and the search terms"),
    Command("ask_marked", "Ask all marked", "Ask every marked request, after a confirmation"),
    Command(
        "decline_marked", "Decline all marked", "Decline every marked request, after a confirmation"
    ),
)

UNAVAILABLE = "Not available right now"
_ACTION_NOISE = re.compile(r"[\s'\"]")


def _action_key(action: str) -> str:
    """An action string normalised for comparison: no namespace, quotes or spaces."""
    return _ACTION_NOISE.sub("", action.removeprefix("screen."))


def current_keys(screen: Screen[object]) -> dict[str, list[str]]:
    """{normalised action: [key, …]} for every binding of the screen, with the user's
    keymap applied (keys are remapped by binding id).

    Only the screen's own: a widget's binding runs the widget's action of the same name
    (ctrl+z in the draft undoes typing, not the last change).
    """
    keymap: dict[str, str] = dict(getattr(screen.app, "_keymap", {}) or {})
    found: dict[str, list[str]] = {}
    nodes: list[DOMNode] = [screen]
    for node in nodes:
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                keys = [key]
                if binding.id and binding.id in keymap:
                    keys = [k.strip() for k in keymap[binding.id].split(",") if k.strip()]
                known = found.setdefault(_action_key(binding.action), [])
                known.extend(k for k in keys if k not in known)
    return found


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
        """(command, its key label, whether it can run now) for the calling screen.

        Commands the screen cannot run at the moment (no request selected) are still
        listed, dimmed, so the palette always shows everything netinbox can do.
        """
        screen = self.screen
        if not hasattr(screen, "action_ask"):  # a dialog or another screen: nothing to run
            return
        keys = current_keys(screen)
        for command in COMMANDS:
            if not hasattr(screen, command.method):
                continue
            key = key_label(screen, keys.get(_action_key(command.action), []))
            yield command, key, is_available(screen, command.action)

    def _run(self, action: str) -> Callable[[], Awaitable[None]]:
        return partial(self.screen.run_action, action)

    @staticmethod
    def _help(command: Command, available: bool) -> str:
        return command.help if available else f"{command.help} ({UNAVAILABLE.lower()})"

    async def discover(self) -> Hits:
        for command, key, available in self._commands():
            yield DiscoveryHit(
                command_display(Content(command.title), key, available=available),
                self._run(command.action),
                text=command.title,
                help=self._help(command, available),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, key, available in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score if available else score / 2,
                    command_display(highlight(matcher, command.title), key, available=available),
                    self._run(command.action),
                    text=command.title,
                    help=self._help(command, available),
                )
