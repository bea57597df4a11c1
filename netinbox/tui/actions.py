"""Every key of netinbox, as data: one row per action.

A row says what the user sees — the action's id (the name a config's `[keys]` remaps it
by), its default key(s), its title and what it does — and where its handler lives. From
this one table come the screens' and widgets' `BINDINGS` (`bindings(place)`), the command
palette's commands (`netinbox.tui.commands`), the rows of the help screen, the "needs a
request" guard of the main screen, the ids a config may remap, the keys hints name
(`netinbox.tui.keys`) and `netinbox keys`. Adding an action is one row here plus one
handler: a method named `handler` on the place's class (`action_<handler>`), or, for a
step of the review loop, a `ReviewLoop` method returning what happened.

Places (where a handler lives, and where its key works):

| place | handler on | key works |
|---|---|---|
| `app` | `NetInboxApp.action_…` | everywhere |
| `main` | `MainScreen.action_…` | on the main screen |
| `review` | `ReviewLoop.…` (run by `MainScreen.action_step`) | on the main screen |
| `list`, `draft`, `search` | the pane's widget | while that pane has the focus |
| `dialog` | `Dialog.action_…` | in every dialog |
| `help`, `answer`, `snooze`, `confirm`, `add_request`, `import`, `queue` | that dialog | in that dialog |
| `statistics` | `StatisticsScreen.action_…` | on the statistics screen |

Ids follow one convention: the handler's name for the app's, the main screen's and the
review loop's actions (`ask`, `record_answer`, `view_new` for the views), and
`place.what` for a pane's or dialog's own keys (`list.down`, `draft.leave`,
`dialog.cancel`). Ids an earlier version used still work in a config (`OLD_IDS`).

Titles and help texts are marked with `N_()` and translated with `_()` where shown;
`bindings()` translates them when the screens' classes are made (the language is set
before the interface is imported).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from textual.binding import Binding, BindingType

from netinbox.i18n import N_, _
from netinbox.query import View


class Action(NamedTuple):
    id: str
    """The binding id: what a config's `[keys]` remaps, what `netinbox keys` lists."""
    keys: str
    """Default keys, Textual's names, comma-separated ("question_mark,f1"); "" for an
    action only the palette runs."""
    title: str
    """Short: the footer's label and the help screen's line (N_)."""
    help: str
    """What it does, in a sentence: the footer's tooltip, the palette's help (N_)."""
    handler: str
    """The action run in its place: a method name, with arguments for a parametrised one
    ("view('new')"); for `review`, the `ReviewLoop` method."""
    place: str = "main"
    needs_request: bool = False
    """Does nothing without a request shown: dimmed in footer and palette then."""
    footer: bool = False
    """Shown in the footer (else only in the help screen and the palette)."""
    palette: str = ""
    """The palette's title for it (N_); "" keeps it out of the palette."""
    also: tuple[str, ...] = ()
    """Panes that bind the same key to run it on the screen (`screen.…`)."""
    priority: bool = False
    """The `also` panes take the key before the focused widget's own keys do."""

    @property
    def action(self) -> str:
        """The Textual action string its binding runs in its place."""
        if self.place == "review":
            return f"step('{self.handler}')"
        return self.handler

    @property
    def name(self) -> str:
        """The handler's name without arguments: what `check_action` is asked about."""
        return self.handler.split("(", 1)[0]


def _view(view: View, palette: str, help: str) -> Action:  # noqa: A002
    """Show a view: key 1 … 9, then 0, in the filter bar's order."""
    number = (list(View).index(view) + 1) % 10
    return Action(
        f"view_{view.value}", str(number), view.title, help, f"view('{view.value}')",
        palette=palette,
    )  # fmt: skip


ACTIONS: tuple[Action, ...] = (
    # The main screen, in the footer's order, then the rest.
    Action(
        "ask", "a", N_("Ask"), N_("Draft a polite question asking why they want to connect"),
        "ask", "review", needs_request=True, footer=True, palette=N_("Ask why"),
    ),
    Action(
        "send", "s", N_("Send"), N_("Copy the draft to the clipboard and start the deadline"),
        "send", "review", needs_request=True, footer=True, palette=N_("Mark as sent"),
    ),
    Action(
        "record_answer", "r", N_("Answer"), N_("Paste what the sender answered"),
        "record_answer", "review", needs_request=True, footer=True,
        palette=N_("Record answer"),
    ),
    Action(
        "accept", "y", N_("Accept"), N_("Record your acceptance (accept on the platform yourself)"),
        "accept", "review", needs_request=True, footer=True, palette=N_("Accept"),
    ),
    Action(
        "decline", "d", N_("Decline"),
        N_("Record that you decline (decline on the platform yourself)"),
        "decline", "review", needs_request=True, footer=True, palette=N_("Decline"),
    ),
    Action(
        "snooze", "z", N_("Snooze"), N_("Hide the request until a date"),
        "snooze", "review", needs_request=True, footer=True, palette=N_("Snooze"),
    ),
    Action(
        "undo", "u", N_("Undo"), N_("Undo the last change"),
        "undo", "review", footer=True, palette=N_("Undo"),
    ),
    Action(
        "search", "slash", N_("Search"),
        N_("Filter by words and terms: no:msg state:asked due:overdue"),
        "search", footer=True, palette=N_("Search"),
        # Run by the focused list before the next key is handled (a priority key): what
        # is typed right after `/` goes into the search box.
        also=("list",), priority=True,
    ),
    Action(
        "help", "question_mark,f1", N_("Help"),
        N_("Keys, list symbols, red flags and the search terms"),
        "help", footer=True, palette=N_("Help"),
    ),
    Action(
        "next_template", "t", N_("Next template"), N_("Switch the draft to the next template"),
        "next_template", "review", needs_request=True, palette=N_("Next template"),
    ),
    Action(
        "edit_in_editor", "e", N_("Edit in $EDITOR"), N_("Write the follow-up in your editor"),
        "edit_in_editor", "review", needs_request=True, palette=N_("Edit draft in $EDITOR"),
    ),
    Action(
        "open_profile", "o", N_("Open profile"),
        N_("Open the profile in the browser (LinkedIn/XING)"),
        "open_profile", "review", needs_request=True, palette=N_("Open profile"),
    ),
    Action(
        "could_not_ask", "", N_("Could not ask"),
        N_("The platform allows no message to this sender"),
        "could_not_ask", "review", needs_request=True, palette=N_("Could not ask"),
    ),
    Action(
        "reopen", "", N_("Reopen"), N_("Take back a decision: the request is open again"),
        "reopen", "review", needs_request=True, palette=N_("Reopen"),
    ),
    Action(
        "add_request", "n", N_("Add a request"), N_("Type in a request by hand"),
        "add_request", "review", palette=N_("Add a request"),
    ),
    Action(
        "import_file", "i", N_("Import a file"),
        N_("LinkedIn export, e-mails, vCards, CSV or JSON"),
        "import_file", "review", palette=N_("Import a file"),
    ),
    Action(
        "ask_marked", "A", N_("Ask all marked"),
        N_("Ask every marked request, after a confirmation"),
        "ask_marked", "review", palette=N_("Ask all marked"),
    ),
    Action(
        "decline_marked", "D", N_("Decline all marked"),
        N_("Decline every marked request, after a confirmation"),
        "decline_marked", "review", palette=N_("Decline all marked"),
    ),
    Action(
        "clear_search", "escape", N_("Clear search"), N_("Clear the search"),
        "clear_search", also=("search",),
    ),
    _view(View.NEW, N_("Show: New"), N_("Requests you have not asked about or decided")),
    _view(View.TO_ASK, N_("Show: To ask"), N_("New requests without a message: ask why")),
    _view(
        View.AWAITING, N_("Show: Awaiting answer"),
        N_("Asked: the answer is awaited until its deadline"),
    ),
    _view(View.OVERDUE, N_("Show: Overdue"), N_("Asked, and the answer deadline has passed")),
    _view(View.ANSWERED, N_("Show: Answered"), N_("They answered: read it and decide")),
    _view(View.DECIDED, N_("Show: Decided"), N_("The requests you accepted or declined")),
    _view(View.ALL, N_("Show: All"), N_("Every request")),
    _view(View.SNOOZED, N_("Show: Snoozed"), N_("Hidden until a date, with the day each wakes")),
    _view(
        View.SENT, N_("Show: Sent by me"),
        N_("Your own requests still pending, with their age; those without a message flagged"),
    ),
    _view(
        View.OWED, N_("Show: I owe an answer"),
        N_("Someone asked you about your request: the question, until you record your answer"),
    ),
    Action(
        "statistics", "S", N_("Statistics"),
        N_("Charts: requests per month, follow-ups and answers, outcomes, your own requests"),
        "statistics", palette=N_("Statistics"),
    ),
    Action(
        "due_today", "", N_("Due today"),
        N_("Every request whose answer is due today (due:today)"),
        "due_today", palette=N_("Show: Due today"),
    ),
    # The app: everywhere.
    Action("quit", "q", N_("Quit"), N_("Save the draft and quit"), "quit", "app"),
    # The request list.
    Action("list.down", "down,j", N_("Next"), N_("The next request"), "cursor_down", "list"),
    Action("list.up", "up,k", N_("Previous"), N_("The request before"), "cursor_up", "list"),
    Action("list.first", "home,g", N_("First"), N_("The first request"), "first", "list"),
    Action("list.last", "end,G", N_("Last"), N_("The last request"), "last", "list"),
    Action(
        "list.page_down", "pagedown", N_("Page down"), N_("A screen down"), "page_down", "list"
    ),
    Action("list.page_up", "pageup", N_("Page up"), N_("A screen up"), "page_up", "list"),
    Action(
        "list.mark", "space", N_("Mark"), N_("Mark this request for ask-all or decline-all"),
        "toggle_mark", "list",
    ),
    # The draft.
    Action(
        "draft.leave", "escape", N_("Back to list"),
        N_("Save the draft and go back to the request list"), "leave", "draft", footer=True,
    ),
    # Every dialog, then each dialog's own.
    Action(
        "dialog.cancel", "escape", N_("Cancel"), N_("Close the dialog; nothing changes"),
        "cancel", "dialog", footer=True,
    ),
    Action("help.close", "question_mark,q,f1", N_("Close"), N_("Close the help"), "cancel",
           "help", footer=True),
    Action("answer.save", "ctrl+s", N_("Save"), N_("Record the answer"), "save", "answer",
           footer=True),
    Action("snooze.tomorrow", "t", N_("Tomorrow"), N_("Snooze until tomorrow"), "quick(0)",
           "snooze", footer=True),
    Action("snooze.three_days", "3", N_("In 3 days"), N_("Snooze for three days"), "quick(1)",
           "snooze", footer=True),
    Action("snooze.week", "w", N_("In a week"), N_("Snooze for a week"), "quick(2)", "snooze",
           footer=True),
    Action("snooze.month", "m", N_("In a month"), N_("Snooze for a month"), "quick(3)",
           "snooze", footer=True),
    Action("snooze.type_date", "slash,d", N_("Type a date"), N_("Type the day it wakes"),
           "type_date", "snooze", footer=True),
    Action("confirm.yes", "y", N_("Yes"), N_("Yes, do it"), "answer(True)", "confirm",
           footer=True),
    Action("confirm.no", "n", N_("No"), N_("No, leave it"), "answer(False)", "confirm",
           footer=True),
    Action("confirm.enter", "enter", N_("Yes"), N_("Yes, do it"), "answer(True)", "confirm"),
    Action("add_request.save", "ctrl+s", N_("Add"), N_("Add the request"), "save",
           "add_request", footer=True),
    Action("import.start", "ctrl+s", N_("Import"), N_("Import the file"), "start", "import"),
    Action("queue.sent", "enter", N_("Sent"), N_("Record this follow-up as sent"), "sent",
           "queue", footer=True),
    Action("queue.skip", "s", N_("Skip"), N_("Leave this one marked, go on"), "skip", "queue",
           footer=True),
    Action("queue.copy", "c", N_("Copy again"), N_("Copy the follow-up again"), "copy",
           "queue", footer=True),
    # The statistics screen.
    Action("statistics.period", "p", N_("Period"),
           N_("The next period: 12 months, 24 months, all time, 3 months"), "period",
           "statistics", footer=True),
    Action("statistics.platform", "n", N_("Platform"),
           N_("The next platform: all, LinkedIn, XING"), "platform", "statistics", footer=True),
    Action("statistics.close", "escape,q", N_("Back"), N_("Back to the requests"), "close",
           "statistics", footer=True),
)  # fmt: skip

RECEIVED, REASON, SENT, OWED = "received", "reason", "sent", "owed"
"""What the highlighted request asks of the user, for the keys that mean something else on
a request the user sent (`role`): a request received; one the user sent without a reason
(`a` writes it); one sent with a message (nothing to write); one the other asked the user
about (`a` writes the answer)."""


def role(*, mine: bool, owed: bool, reason_given: bool) -> str:
    """The role of a request (`RECEIVED`, `REASON`, `SENT`, `OWED`) for its keys' words."""
    if not mine:
        return RECEIVED
    if owed:
        return OWED
    return SENT if reason_given else REASON


class Meaning(NamedTuple):
    """What a key does on a request of one role, where that differs from `Action`'s words."""

    title: str
    """The footer's and the help's word (N_)."""
    help: str
    """The tooltip and the palette's help (N_)."""
    palette: str = ""
    """The palette's title (N_); "" for the title."""
    shown: bool = True
    """In the footer (the key works either way while `available`)."""
    available: bool = True
    """Does something on such a request; else it is left out of the footer, dimmed in the
    palette, and its key only says why (`refusal`)."""
    refusal: str = ""
    """What pressing the key says where it is not `available`: why it does nothing here,
    a sentence in the user's words (N_); "" for `help`."""

    @property
    def in_footer(self) -> bool:
        """Whether the footer offers the key on such a request."""
        return self.shown and self.available


_NOTHING_OWED = Meaning(
    N_("Answer"), N_("Nobody asked you anything about this request"), shown=False,
    available=False,
    refusal=N_("No answer to record: nobody asked you anything about this request."),
)  # fmt: skip
_NOT_ASKED = Meaning(
    N_("Could not ask"), N_("A request you sent is never asked why"), available=False,
    refusal=N_("A request you sent is never asked why: there is no answer to wait for."),
)  # fmt: skip
_NOTHING_TO_WRITE = N_("Nothing to write: you sent this request with a message.")
_ACCEPTED = Meaning(
    N_("Accepted"), N_("Record that they accepted your request (nothing is sent)"),
    N_("They accepted"),
)  # fmt: skip
_WITHDRAW = Meaning(
    N_("Withdraw"),
    N_("Record that you withdraw your request (withdraw it on the platform yourself)"),
    N_("Withdraw my request"),
)
_SEND_MINE = Meaning(
    N_("Send"), N_("Copy the draft to the clipboard and record it as sent (no deadline runs)"),
    N_("Mark as sent"),
)  # fmt: skip

MEANINGS: dict[str, dict[str, Meaning]] = {
    REASON: {
        "ask": Meaning(
            N_("Reason"), N_("Draft a follow-up that gives the reason your request lacked"),
            N_("Write my reason"),
        ),
        "send": _SEND_MINE,
        "record_answer": _NOTHING_OWED,
        "accept": _ACCEPTED,
        "decline": _WITHDRAW,
        "could_not_ask": _NOT_ASKED,
    },
    SENT: {
        "ask": Meaning(
            N_("Reason"), N_("You sent this request with a message: nothing to write"),
            N_("Write my reason"), shown=False, available=False, refusal=_NOTHING_TO_WRITE,
        ),
        "send": Meaning(
            N_("Send"), N_("You sent this request with a message: nothing to send"),
            N_("Mark as sent"), shown=False, available=False,
            refusal=N_("Nothing to send: you sent this request with a message."),
        ),
        "next_template": Meaning(
            N_("Next template"), N_("You sent this request with a message: nothing to write"),
            available=False, refusal=_NOTHING_TO_WRITE,
        ),
        "edit_in_editor": Meaning(
            N_("Edit in $EDITOR"),
            N_("You sent this request with a message: nothing to write"),
            N_("Edit draft in $EDITOR"), available=False, refusal=_NOTHING_TO_WRITE,
        ),
        "record_answer": _NOTHING_OWED,
        "accept": _ACCEPTED,
        "decline": _WITHDRAW,
        "could_not_ask": _NOT_ASKED,
    },
    OWED: {
        "ask": Meaning(
            N_("Answer"), N_("Draft your answer to their question"), N_("Write my answer")
        ),
        "send": _SEND_MINE,
        # `a` then `s` is the way shown; `r` records an answer given elsewhere.
        "record_answer": Meaning(
            N_("Answered"), N_("Paste the answer you gave them"), N_("Record my answer"),
            shown=False,
        ),
        "accept": _ACCEPTED,
        "decline": _WITHDRAW,
        "could_not_ask": _NOT_ASKED,
    },
}  # fmt: skip
"""The keys whose words or use differ on a request the user sent, by role."""


def meaning(action: Action, of_role: str) -> Meaning:
    """What `action` does on a request of `of_role` (its own words on a request received)."""
    return MEANINGS.get(of_role, {}).get(action.id) or Meaning(
        action.title, action.help, action.palette
    )


PLACES: dict[str, str] = {
    "main": N_("Main screen"),
    "app": N_("Everywhere"),
    "list": N_("Request list"),
    "draft": N_("Draft"),
    "search": N_("Search box"),
    "dialog": N_("Every dialog"),
    "help": N_("Help"),
    "answer": N_("Record answer"),
    "snooze": N_("Snooze"),
    "confirm": N_("Confirmation"),
    "add_request": N_("Add a request"),
    "import": N_("Import a file"),
    "queue": N_("Ask all marked"),
    "statistics": N_("Statistics"),
}
"""Where keys work, as `netinbox keys` heads them (a review step's key is the main
screen's)."""

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}

OLD_IDS: dict[str, str] = {
    "answer": "record_answer",
    "import": "import_file",
    "add": "add_request",
    "template": "next_template",
    "edit": "edit_in_editor",
    "open": "open_profile",
    "mark": "list.mark",
    "list_down": "list.down",
    "list_up": "list.up",
    "list_first": "list.first",
    "list_last": "list.last",
    "list_page_down": "list.page_down",
    "list_page_up": "list.page_up",
    "search_clear": "clear_search",
    "draft_leave": "draft.leave",
}
"""Ids of earlier versions → today's: a config naming the old one keeps working."""

NEEDS_REQUEST: frozenset[str] = frozenset(a.name for a in ACTIONS if a.needs_request)
"""Handler names that do nothing without a request shown (the main screen's guard)."""

SCOPES: tuple[tuple[str, ...], ...] = (
    ("app", "main", "list"),
    ("draft",),
    ("search",),
    *(
        ("app", "dialog", dialog)
        for dialog in ("answer", "snooze", "confirm", "add_request", "import", "queue", "help")
    ),
    ("app", "statistics"),
)
"""Places whose keys are active together: a key may mean one thing in each scope."""


def placed(place: str) -> Iterator[tuple[Action, str, bool]]:
    """(action, the action string, priority) of every binding `place` has: its own
    actions, and those it runs on the screen (`also`)."""
    for action in ACTIONS:
        if not action.keys:
            continue
        if home(action) == place:
            yield action, action.action, False
        elif place in action.also:
            yield action, f"screen.{action.action}", action.priority


def bindings(place: str) -> list[BindingType]:
    """The Textual bindings of `place`, in the table's order (the footer's)."""
    return [
        Binding(
            action.keys,
            run,
            _(action.title),
            show=action.footer,
            priority=priority,
            tooltip=_(action.help),
            id=action.id,
        )
        for action, run, priority in placed(place)
    ]


def home(action: Action) -> str:
    """The place whose keys an action's key is among (a review step's: the main screen)."""
    return "main" if action.place == "review" else action.place


def remappable() -> list[Action]:
    """The actions a config's `[keys]` can give other keys: those with a key."""
    return [action for action in ACTIONS if action.keys]


def current_id(binding_id: str) -> str:
    """Today's id for an id a config names (an earlier version's id, or already today's)."""
    return OLD_IDS.get(binding_id, binding_id)


def current_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """A config's `[keys]` with earlier versions' ids named as today (today's id wins)."""
    renamed = {current_id(binding_id): keys for binding_id, keys in keymap.items()}
    return renamed | {
        binding_id: keys for binding_id, keys in keymap.items() if binding_id in BY_ID
    }


def keys_of(binding_id: str, keymap: Mapping[str, str]) -> list[str]:
    """The keys of an action after the keymap, in order, as Textual names them."""
    action = BY_ID.get(binding_id)
    if action is None:
        return []
    keys = keymap.get(binding_id, action.keys)
    return [key.strip() for key in keys.split(",") if key.strip()]
