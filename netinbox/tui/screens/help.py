"""Help: the keys of the focused pane, what the list's symbols mean, the search language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from netinbox.i18n import N_, _
from netinbox.rules import FLAGS
from netinbox.text import for_terminal
from netinbox.tui.actions import bindings
from netinbox.tui.screens.dialog_base import Dialog
from netinbox.words import PLATFORM_TAGS, flag_reason, platform_label

REMAP_NOTE = N_("Dimmed: its id, to remap it in the config's [keys] (`netinbox keys`).")
KEY_WIDTH = 24
WIDE = 140  # terminal columns from which keys and legend sit side by side

SEARCH_TERMS: tuple[tuple[str, str], ...] = (
    ("no:msg", N_("no personal message (has:msg: with one)")),
    ("state:asked", N_("by state: new, asked, answered, snoozed, accepted, declined")),
    ("due:overdue", N_("asked, and the deadline has passed (due:soon: within 2 days)")),
    ("due:today", N_("the answer is due today, passed or not")),
    ("net:xing", N_("by platform: linkedin, xing, other")),
    ("title:tba", N_("placeholder job title (title:WORD searches job titles)")),
    ("company:tba", N_("placeholder company (company:WORD searches companies)")),
    ("mutual:0", N_("number of shared contacts")),
    ("flag:contacts_hidden", N_("any red flag by its name")),
    ("dir:out", N_("requests you sent")),
    ("type:newsletter", N_("by type: person, page, newsletter, event, group")),
    (N_("any words"), N_("names, job titles, companies, messages and answers")),
)
"""The search terms (typed as they are, in every language) and what they find."""

STATUS_TEXT: dict[str, str] = {
    "new": N_("not looked at yet"),
    "asked": N_("you asked why; waiting for the answer until the deadline"),
    "overdue": N_("asked, no answer by the deadline: declining is suggested"),
    "answered": N_("they answered: read it and decide"),
    "accepted": N_("accepted in netinbox (accept on the platform yourself)"),
    "declined": N_("declined in netinbox (decline on the platform yourself)"),
    "withdrawn": N_("a request you sent, withdrawn (withdraw it on the platform yourself)"),
    "snoozed": N_("hidden until a date (in the Snoozed view), then back where it was"),
    "could_not_ask": N_("the platform allows no message; decide as it is"),
}
STATUS_NAMES: dict[str, str] = {
    "new": N_("new"),
    "asked": N_("asked"),
    "overdue": N_("overdue"),
    "answered": N_("answered"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "withdrawn": N_("withdrawn"),
    "snoozed": N_("snoozed"),
    "could_not_ask": N_("could not ask"),
}


def legend(
    keys: Mapping[str, str] | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(status rows, flag rows): each the symbol the request list draws, a name, the meaning.

    The symbols come from the request list itself, so the help cannot drift from it; `keys`
    are the user's keys for "mark", "ask_marked" and "decline_marked" (default space, A, D).
    """
    keys = keys or {}
    try:
        from netinbox.tui.widgets import request_list as rl
    except ImportError:  # the list is not there: names only
        symbols: dict[str, str] = {}
        letters: dict[str, str] = {}
        mark = ""
    else:
        symbols = {str(status.value): sym for status, sym in rl.STATUS_SYMBOLS.items()}
        symbols["overdue"] = rl.OVERDUE_SYMBOL
        letters = dict(rl.FLAG_LETTERS)
        mark = rl.MARK

    def label(symbol: str, name: str) -> str:
        return f"{symbol:<2} {name}" if symbols or letters else name

    statuses = [
        (label(symbols.get(state, ""), _(STATUS_NAMES[state])), _(text))
        for state, text in STATUS_TEXT.items()
    ]
    if mark:
        ask_all, decline_all = keys.get("ask_marked", "A"), keys.get("decline_marked", "D")
        statuses.append(
            (
                label(mark, _("marked")),
                _("marked with %(mark)s, for ask all (%(ask)s) or decline all (%(decline)s)")
                % {"mark": keys.get("mark", "space"), "ask": ask_all, "decline": decline_all},
            )
        )
    flags = [(label(letters.get(flag, ""), flag), flag_reason(flag)) for flag in FLAGS]
    return statuses, flags


def networks() -> list[tuple[str, str]]:
    """The list's short network tags and what they stand for."""
    return [(tag, platform_label(platform)) for platform, tag in PLATFORM_TAGS.items()]


def _table(rows: Iterable[tuple[str, ...]], width: int = KEY_WIDTH) -> Content:
    """Columns of plain text: a bold left cell padded to `width`, then the text, then
    (for a key) the id that remaps it, dimmed, in a column of its own."""
    cells = [[for_terminal(cell) for cell in row] for row in rows]
    middle = max((len(row[1]) for row in cells if len(row) > 2 and row[2]), default=0)
    lines = []
    for left, right, *more in cells:
        parts: list[str | tuple[str, str]] = [(left.ljust(width - 1), "bold"), " "]
        if more and more[0]:
            parts += [right.ljust(middle + 2), (more[0], "dim")]
        else:
            parts.append(right)
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def _legend_rows(rows: Iterable[tuple[str, str]]) -> VerticalGroup:
    """A legend: a bold left cell, then its meaning, which wraps under itself (a hanging
    indent) where the help is narrow rather than being cut off."""
    return VerticalGroup(
        *(
            HorizontalGroup(
                Static(Content.styled(for_terminal(left), "bold"), classes="legend-key"),
                Static(Content(for_terminal(right)), classes="legend-text"),
            )
            for left, right in rows
        ),
        classes="table",
    )


class HelpScreen(Dialog[None]):
    """Every key of the focused pane, the list's legend and the search terms."""

    TITLE_TEXT = N_("Help")
    BINDINGS: ClassVar[list[BindingType]] = bindings("help")

    def __init__(
        self,
        title: str,
        bindings: list[tuple[str, str]] | list[tuple[str, str, str]],
        keys: Mapping[str, str] | None = None,
        *,
        mail: str = "",
    ) -> None:
        super().__init__()
        self.mail = mail
        """How the mailboxes are watched ("Watching 2 mailboxes … (inotify)."), or "":
        the start's toast says it only when it is news."""
        self.pane_title = title
        self.key_rows = bindings
        self.keys = dict(keys or {})
        """The user's keys for the legend: "ask_marked", "decline_marked", "mark", "search"."""

    def compose(self) -> ComposeResult:
        statuses, flags = legend(self.keys)
        search = self.keys.get("search", "/")
        pane = for_terminal(self.pane_title, cap=60)
        key_width = max([8, *(len(row[0]) + 3 for row in self.key_rows)])
        mail = self._section(_("New mail"), Content(for_terminal(self.mail))) if self.mail else []
        keys = [
            *mail,
            *self._section(
                _("Keys: %(pane)s") % {"pane": pane},
                _table(self.key_rows, min(key_width, KEY_WIDTH)),
            ),
            Static(Content(_(REMAP_NOTE)), classes="table note"),
        ]
        terms = [(_(term), _(text)) for term, text in SEARCH_TERMS]
        legend_sections = [
            *self._section(_("Status"), _legend_rows(statuses)),
            *self._section(_("Red flags"), _legend_rows(flags)),
            *self._section(_("Network (in a narrow list)"), _legend_rows(networks())),
            *self._section(
                _("Search (%(key)s): free words and terms, combined") % {"key": search},
                _legend_rows(terms),
            ),
        ]
        yield self.box(
            VerticalScroll(
                VerticalGroup(
                    VerticalGroup(*keys, id="keys-column"),
                    VerticalGroup(*legend_sections, id="legend-column"),
                    id="columns",
                ),
                id="help-body",
            ),
            self.hint(
                (f"{self.key('dialog.cancel')} {self.key('help.close')}", _("close")),
                ("↑ ↓ pgup pgdn", _("scroll")),
            ),
            title=Content.assemble(_("Help") + " · ", pane),
        )

    @staticmethod
    def _section(heading: str, table: Content | VerticalGroup) -> list[Static | VerticalGroup]:
        shown = table if isinstance(table, VerticalGroup) else Static(table, classes="table")
        return [Static(Content(heading), classes="heading"), shown]

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.query_one("#help-body").focus()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Keys beside the legend on a wide terminal, above it on a narrow one."""
        self.set_class(width >= WIDE, "-wide")
