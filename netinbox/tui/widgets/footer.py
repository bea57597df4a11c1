"""The footer in the interface's language: the keys that work now, each with its word,
dimmed while it has nothing to do, the palette's key on the right (the bindings are made at
import time, with their English words marked by `N_()`).

One widget draws the whole line. Textual's `Footer` makes a widget for each key (ten here)
and makes them anew whenever the bindings change: styling and laying out those widgets cost
the first screen ~20 ms and every change of focus or dimming a frame. Here a change of the
bindings makes a new line of text, and only if it differs; a click on a key presses it, a
hover shows its tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

from netinbox.i18n import N_, _, pgettext
from netinbox.tui.actions import ACTIONS, BY_ID, MEANINGS, RECEIVED, Action, Meaning, meaning

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


class Shown(NamedTuple):
    """A key as the footer shows it."""

    action: str
    palette: bool  # the command palette's key, drawn on the right
    key: str
    key_display: str
    description: str
    dimmed: bool
    tooltip: str


class WordsFooter(Widget, can_focus=False):
    """The keys that work now, in the interface's language (shorter words where it is
    narrow), named for what they do on the request shown (`role`): on a request the user
    sent, `a` writes the reason or the answer and `d` withdraws it; a key with nothing to
    do there is not shown. A new role changes the words, and only then: moving between
    requests of one role changes nothing here."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    WordsFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer-key--separator {
            color: $foreground 20%;
        }
    }
    """

    compact = reactive(False)
    """Narrow: less room between the keys, and shorter words (`narrow_word`)."""
    show_command_palette = reactive(True)
    """Show the palette's key, on the right."""

    role: str = RECEIVED

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._keys: list[Shown] | None = None  # read from the bindings when first drawn
        self._spans: list[tuple[int, int, Shown]] = []  # each key's columns, as drawn
        self._hover: Shown | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._update_keys()

    def watch_compact(self) -> None:
        self._update_keys()

    def watch_show_command_palette(self) -> None:
        self._update_keys()

    def show_role(self, role: str) -> None:
        """Name the keys for a request of `role` (`actions.role`)."""
        if role == self.role:
            return
        self.role = role
        self._update_keys()

    def shown(self) -> list[Shown]:
        """The keys the footer shows now, in its order."""
        if self._keys is None:
            self._keys = self._wanted() if self.is_attached else []
        return self._keys

    def _update_keys(self) -> None:
        """Read the keys again; draw the line anew only if they changed."""
        if self._keys is None or not self.is_attached:
            return  # read when first drawn
        wanted = self._wanted()
        if wanted != self._keys:
            self._keys = wanted
            self.refresh()

    def _meant(self, action: str) -> Meaning | None:
        """What a key whose words depend on the role does on the request shown; None for
        the others."""
        found = ROLE_ACTIONS.get(action)
        return meaning(found, self.role) if found is not None else None

    def _words(self, english: str) -> str:
        """A key's English words as shown here (`_wanted` reads them from the action
        table; Textual's own bindings are in English)."""
        if not english:
            return ""
        return narrow_word(english) if self.compact else _(english)

    def _wanted(self) -> list[Shown]:
        """The keys to show now, as Textual's footer orders them: by action, the first
        binding of each; the palette's last."""
        app = self.app
        screen = self.screen
        bindings = screen.active_bindings
        by_action: dict[str, tuple[str, str, str, bool, str]] = {}
        for _node, binding, enabled, tooltip in bindings.values():
            if not binding.show:
                continue
            description = binding.description
            known = BY_ID.get(binding.id) if binding.id else None
            if known is not None:  # its English words: the binding keeps those of the
                description, tooltip = known.title, known.help  # language it was made in
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
            Shown(action, False, key, display, self._words(description), dim,
                  _(tip) if tip else "")
            for action, (key, display, description, dim, tip) in by_action.items()
        ]  # fmt: skip
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tip = found
                tip = binding.tooltip or binding.description
                wanted.append(Shown(
                    binding.action, True, binding.key, app.get_key_display(binding),
                    self._words(binding.description), not enabled, _(tip) if tip else "",
                ))  # fmt: skip
        return wanted

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        words_style = self.get_component_rich_style("footer-key--description")
        hover = self.get_component_rich_style("footer-key--hover")
        dim = Style(dim=True)
        compact = self.compact
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Shown]] = []
        palette: list[Shown] = []

        def draw(key: Shown, text: Text, compact: bool) -> None:
            start = text.cell_len
            # as Textual's key: its hover under the key's colours, dimmed if unavailable
            under = hover if key == self._hover else Style()
            over = dim if key.dimmed else Style()
            pad = "" if compact else " "
            if key.description:
                text.append(f"{pad}{key.key_display}{pad}", under + key_style + over)
                words = f" {key.description}" if compact else f"{key.description} "
                text.append(words, under + words_style + over)
            else:
                text.append(key.key_display, under + key_style + over)
            spans.append((start, text.cell_len, key))

        for key in self.shown():
            if key.palette:
                palette.append(key)
                continue
            draw(key, line, compact)
            if compact:
                line.append(" ")
        if palette:  # on the right, after a thin line
            right = Text("▏", self.get_component_rich_style("footer-key--separator"), end="")
            first = len(spans)
            for key in palette:
                draw(key, right, True)  # as Textual draws it: tight beside its line
            if not compact:
                right.append(" ")
            line.append(" " * max(0, self.size.width - line.cell_len - right.cell_len))
            offset = line.cell_len
            spans[first:] = [
                (offset + start, offset + end, key) for start, end, key in spans[first:]
            ]
            line.append_text(right)
        self._spans = spans
        return line

    def _key_at(self, x: int) -> Shown | None:
        for start, end, key in self._spans:
            if start <= x < end:
                return key
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.dimmed:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hovering(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hovering(None)

    def _hovering(self, key: Shown | None) -> None:
        if key == self._hover:
            return
        self._hover = key
        self.tooltip = key.tooltip if key is not None and key.tooltip else None
        self.refresh()
