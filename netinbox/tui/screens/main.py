"""The main screen: filters, search, the request list, the profile and the draft, and the loop.

The screen is the one place that talks to the store. Widgets show what it gives them and
post messages upward; after every change the screen refreshes the counts, the list and
the profile, keeping the cursor on the same request (or moving on after a decision).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo
from functools import cached_property, partial
from time import monotonic
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.worker import Worker, WorkerState, get_current_worker

from netinbox.db import StoreError
from netinbox.i18n import N_, _, ngettext
from netinbox.kinds import Direction
from netinbox.query import Query, QueryError, View, parse
from netinbox.readers import Readers, interrupted
from netinbox.rows import RequestRow
from netinbox.store import Store
from netinbox.text import for_terminal
from netinbox.tui import messages as msg
from netinbox.tui import textual_private as private
from netinbox.tui.actions import (
    ACTIONS,
    BY_ID,
    NEEDS_REQUEST,
    OWED,
    REASON,
    RECEIVED,
    SENT,
    Meaning,
    bindings,
    keys_of,
    meaning,
    role,
)
from netinbox.tui.ahead import AFTER as AHEAD_AFTER
from netinbox.tui.ahead import NEXT as AHEAD_NEXT
from netinbox.tui.ahead import Ahead, Ready
from netinbox.tui.format import day
from netinbox.tui.keys import key_display, keymap_in_effect
from netinbox.tui.safe import plain, toast
from netinbox.tui.widgets.draft_slot import DraftSlot
from netinbox.tui.widgets.filter_bar import FilterBar
from netinbox.tui.widgets.footer import WordsFooter
from netinbox.tui.widgets.profile import Drawn, ProfilePane, describe
from netinbox.tui.widgets.request_list import NEAR_WALK, PAGE_SIZE, RequestList

if TYPE_CHECKING:
    from netinbox.models import RequestDetail
    from netinbox.templates import TemplateBook
    from netinbox.tui.review import Outcome, ReviewLoop
    from netinbox.tui.watcher import MailArrived, MailWatcher
    from netinbox.tui.widgets.draft import DraftEditor
    from netinbox.tui.widgets.search_bar import SearchBar

ALSO_IN_HELP = {"app.focus_next", "app.focus_previous", "command_palette"}
"""Textual's own bindings the help lists besides netinbox's (`netinbox.tui.actions`)."""
HELP_WORDS = {  # Textual's own descriptions, as netinbox's help says them
    "app.focus_next": N_("Next pane"),
    "app.focus_previous": N_("Previous pane"),
    "command_palette": N_("Command palette: every action"),
}
PANE_NAMES = {
    "requests": N_("request list"),
    "draft": N_("draft"),
    "draft-slot": N_("draft"),
    "profile": N_("profile"),
    "search-input": N_("search"),
}


T = TypeVar("T")

_SlotDraft = tuple[int | None, str, str, Content, str]
"""What the draft pane shows: request id, text, template, title, note (`DraftEditor.load`)."""
NOT_LOADED = object()
"""No request's draft shown yet."""


WARM_UP_DELAY = 0.5
"""Seconds after the main screen mounts before the review steps load (the first frames first)."""

WARM_UP_QUIET = 0.3
"""Seconds without a key before the review steps load: keys typed one after the other
(views, the cursor) do not share the interpreter with their imports."""

WATCH_DELAY = 1.0
"""Seconds after the main screen mounts before the watch on mailboxes starts (its first
look reads them whole, in a thread: the first screen and keys come first)."""

HELD_KEY_GAP = 0.05
"""Seconds between two highlights below which a key counts as held (a repeat comes every
30 ms or so; a person's separate presses are further apart)."""

SEARCHING_NOTE_DELAY = 0.1
"""Seconds a new search in the same view may take before the list's title says
`searching…`: a quick one shows its result in the next frame, with no frame of its own
for the word before it."""

DEADLINE_VIEWS = frozenset({View.AWAITING, View.OVERDUE})
"""Views whose members change as time passes, without a change in the store."""

DEADLINE_READ_HERE = 20_000
"""A deadline view with at most this many requests (by the last count) is counted, and
its first page read, on the UI thread as its key is pressed: an indexed range of its
rows, ~1 ms at 5,000 (Awaiting answer and Overdue at 100,000 requests). A bigger one is
read in a thread."""

DUE_TODAY = "due:today"
"""The search behind the palette's "Due today"."""

FIRST_RUN_KEYS = frozenset({"import_file", "add_request", "quit"})
"""Binding ids the footer shows while the store is empty: the ways to start (and out)."""
FIRST_RUN_HIDDEN = frozenset({"search", "undo"})
"""Actions left out of the footer while the store is empty, besides the request's own."""

EMPTY_VIEWS: dict[View, str] = {
    View.NEW: N_(
        "No new requests.\nRequests you import ({import}) or add ({add}) wait here"
        " until you ask, decide or snooze them."
    ),
    View.TO_ASK: N_(
        "Nobody to ask.\nNew requests that came without a message wait here until"
        " you ask the sender why ({ask}, then {send})."
    ),
    View.AWAITING: N_(
        "No answers awaited.\nOnce you ask why ({ask}) and send the follow-up"
        " ({send}), the request waits here until its answer deadline."
    ),
    View.OVERDUE: N_(
        "Nothing overdue.\nA request you asked about comes here when its answer"
        " deadline passes with no answer recorded; declining it ({decline}) is suggested."
    ),
    View.ANSWERED: N_(
        "No answers to read.\nWhen a sender answers, record it ({answer}): the"
        " request waits here for your decision."
    ),
    View.DECIDED: N_(
        "Nothing decided yet.\nRequests you accept ({accept}) or decline"
        " ({decline}) are kept here; reopen one from the palette."
    ),
    View.ALL: N_("No requests."),
    View.SNOOZED: N_(
        "Nothing snoozed.\nSnooze a request ({snooze}) to hide it until a date:"
        " it waits here, with the day it wakes, and then comes back on its own."
    ),
    View.SENT: N_(
        "No requests of yours waiting.\nRequests you sent (imported from your LinkedIn"
        " export, or added with direction outgoing) wait here, with their age, until the"
        " other accepts; those you sent without a message are flagged: follow up with"
        " your reason ({ask}, then {send})."
    ),
    View.OWED: N_(
        "You owe nobody an answer.\nWhen someone asks you why you sent them a request,"
        " or writes after it (messages.csv, notification mails), the question waits here"
        " until you record your answer ({answer})."
    ),
}
"""What an empty view holds and how requests get there, with the keys as remapped."""

DRAFT_PLACEHOLDERS: dict[str, str] = {
    RECEIVED: N_("No draft yet. Press %(ask)s in the list to write a follow-up."),
    REASON: N_("No draft yet. Press %(ask)s in the list to write your reason."),
    SENT: N_("Nothing to write: you sent this request with a message."),
    OWED: N_("No draft yet. Press %(ask)s in the list to write your answer."),
}
"""What the empty draft says, by what `a` writes on the request shown (`actions.role`)."""

FIRST_RUN = N_(
    "No requests yet.\n\n"
    "Press {import} to import a file: a LinkedIn data export (the zip, or Invitations.csv),"
    " notification e-mails, a XING export, vCards, CSV or JSON.\n\n"
    "Press {add} to add a request by hand.\n\n"
    "Press {quit} to quit; {help} shows every key."
)
"""What an empty store opens on."""


class MainScreen(Screen[None]):
    """The review loop.

    | key | action |
    |---|---|
    | `a` / `t` / `e` | ask: fill the draft / next template / edit it in `$EDITOR` |
    | `s` | copy the draft, record it as sent with its deadline |
    | `r` / `y` / `d` / `z` | record the answer / accept / decline / snooze |
    | `o` / `n` / `i` | open the profile / add a request / import |
    | `u` | undo the last change |
    | `/` | search; `1`…`8` views; `A` / `D` ask / decline all marked; `?` help |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("main")

    SEARCH_DELAY: ClassVar[float] = 0.15
    """Seconds after the last keystroke in the search box before the list is filtered:
    longer than a fast typist's gaps within a word (0.05–0.1 s), so a word typed in one
    go is searched once, at its end; a search that a later key makes obsolete is stopped
    at that key (README, "Is the search debounce right for fast typists?")."""

    def __init__(self, store: Store, now: Callable[[], datetime], zone: tzinfo) -> None:
        super().__init__()
        private.paint_changes_only(self)  # a key's frame renders what changed, no more
        self.store = store
        self.now = now
        self.zone = zone
        self.view = View.NEW
        self.query_ = Query(view=View.NEW)
        self.detail: RequestDetail | None = None
        self._search_timer: Timer | None = None
        self._highlighted_at = 0.0  # when the list last moved to another request
        self._pending_show: tuple[bool, bool] | None = None  # (force, scroll), after a frame
        self._list_frame_first = False  # a view or search shown: the list's frame first
        self._counts: dict[View, int] | None = None  # the filter bar's, while no change is pending
        self._first_pages: dict[View, list[RequestRow]] = {}  # read with the counts
        self._deadlines_until: datetime | None = None  # when the deadline views' pages expire
        self._store_empty = False  # then the list and footer say how to start
        self._provisional = False  # the list's size is its first page's until counted
        self._readers = Readers(store)  # the workers' own connections (netinbox.readers)
        self._pending: Query | None = None  # asked for, still being read in a thread
        self._pending_said = False  # the title says `counting…` / `searching…` for it
        self._first_run_keys: tuple[bool, int, int] | None = None  # `_show_first_run_keys`
        self._reading = 0  # the number of the latest read for the list; older ones are stale
        self._loop: ReviewLoop | None = None
        self._draft: DraftEditor | None = None
        self._slot_draft: _SlotDraft | None = None  # what the draft's slot shows, till the editor
        self._focus_draft_when_placed = False
        self._search: SearchBar | None = None
        self.watcher: MailWatcher | None = None  # `_start_watch`
        self._titles: tuple[str, str] | None = None  # the list's border title and subtitle
        self._ahead = Ahead()  # profiles read and drawn ahead (netinbox.tui.ahead)
        self._ahead_timer: Timer | None = None
        self._key_held = False  # the last move came while a key was held down
        self._role = RECEIVED  # what the keys do on the request shown (`actions.role`)
        self._explained_keys: dict[str, str] | None = None  # `on_key`: key → action's name

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filters")  # the search bar comes after the first frame
        with Horizontal(id="panes"):
            requests = RequestList(
                self.store, self.query_, now=self.now, zone=self.zone, id="requests"
            )
            requests.readers = self._readers  # far pages are read in a thread
            requests.on_cursor_moved = self._cursor_moved
            yield requests
            with Vertical(id="side"):
                yield ProfilePane(id="profile")
                # The draft's text, drawn plainly: the editor (a TextArea) takes its
                # place when the draft is first used (`draft`), not on the first screen.
                slot = DraftSlot(id="draft-slot")
                slot.border_title = Content(_("Draft"))
                slot.wanted = self.focus_draft
                yield slot
        yield WordsFooter()

    @property
    def requests(self) -> RequestList:
        return self.query_one("#requests", RequestList)

    @property
    def draft(self) -> DraftEditor:
        """The draft editor, made on first use (until then the slot shows the draft) with
        the slot's text, and put in its place as soon as its pane is mounted (it works
        before: text, request and saving need no screen)."""
        if self._draft is None:
            from netinbox.tui.widgets.draft import DraftEditor

            editor = DraftEditor(id="draft")
            send = self.key_for("send")
            editor.placeholder = self._draft_placeholder()
            editor.hint = _("%(leave)s, then %(send)s: send") % {
                "leave": self.key_for("draft.leave"),
                "send": send,
            }
            if self._slot_draft is not None:
                editor.load(*self._slot_draft)
            self._draft = editor
            self._place_draft()
        return self._draft

    def _show_draft(
        self, request_id: int | None, text: str, template: str, title: Content, note: str = ""
    ) -> None:
        """Show a request's saved draft: in the editor once it is made, else in its slot."""
        if self._draft is not None:
            self._draft.load(request_id, text, template, title, note)
            return
        self._slot_draft = (request_id, text, template, title, note)
        slot = self.query_one("#draft-slot", DraftSlot)
        slot.show(text, self._draft_placeholder(), title, note, enabled=request_id is not None)

    def _draft_shows(self) -> int | None | object:
        """The request whose draft the pane shows (`NOT_LOADED` before the first)."""
        if self._draft is not None:
            return self._draft.request_id
        return self._slot_draft[0] if self._slot_draft is not None else NOT_LOADED

    def _place_draft(self) -> None:
        """Swap the draft's slot for the editor; on a busy start the pane may still be
        mounting, so try again after the next frame."""
        if self._draft is None or self._draft.is_attached or not self.is_attached:
            return
        side = self.query_one("#side", Vertical)
        if not side.is_mounted:
            self.call_after_refresh(self._place_draft)
            return
        slot = self.query_one("#draft-slot")
        with self.app.batch_update():
            mounted = side.mount(self._draft, before=slot)
            slot.remove()
        if self._focus_draft_when_placed:
            self.call_later(self._focus_placed_draft, mounted)

    async def _focus_placed_draft(self, mounted: Awaitable[object]) -> None:
        """The draft was asked for by the focus (a click, tab, `a`): the editor takes it."""
        await mounted
        self._focus_draft_when_placed = False
        if self._draft is not None and not self._draft.disabled and not self._draft.has_focus:
            self._draft.focus()

    @property
    def loop(self) -> ReviewLoop:
        """The review steps, with their dialogs: loaded on first use, or just after the
        first frame (`_warm_up`), so the list appears before they are imported. (A step
        reads its request through `current`, which shows a pending profile first.)"""
        if self._loop is None:
            from netinbox.tui.review import ReviewLoop

            self._loop = ReviewLoop(self)
        return self._loop

    def on_mount(self) -> None:
        self._fit(self.app.size)  # the first frame laid out for the terminal's size
        first = self.store.rows(Query(view=View.NEW), 0, PAGE_SIZE)
        if not first:
            self.view = View.ALL
            first = self.store.rows(Query(view=View.ALL), 0, PAGE_SIZE)
            self._store_empty = not first
        self.query_ = self._wanted = Query(view=self.view)
        # The first page, the first row's profile and its draft in the first frame; the
        # view's exact size comes with the filter bar's counts (a thread) a moment later.
        self._provisional = len(first) == PAGE_SIZE
        self.refresh_all(count=len(first), first_page=first, later=False)
        self.requests.provisional = self._provisional
        # With that first profile, in the same new layout: the search bar (hidden till `/`).
        self.call_after_refresh(self._search_bar_soon)
        self.requests.focus()
        self.set_interval(60, self._tick)
        self.set_timer(WARM_UP_DELAY, self._warm_up)
        if getattr(self.app, "watch_paths", None):
            self.set_timer(WATCH_DELAY, self._start_watch)

    def _warm_up(self) -> None:
        """Load the review steps and their dialogs once the first screen is up: the first
        `a`, `d` or `n` then waits for nothing. Their modules are imported in a thread
        (~100 ms of Python, 300 under load), at a pause in typing: on this thread, a view
        key or a cursor key pressed meanwhile waited for all of it, and beside keys typed
        one after the other it would share the interpreter with them."""
        if self._loop is not None or not self.is_attached:
            return
        gate = getattr(self.app, "type_ahead", None)
        quiet = monotonic() - gate.last_key_at if gate is not None else WARM_UP_QUIET
        if quiet < WARM_UP_QUIET:  # keys are coming: after them
            self.set_timer(WARM_UP_QUIET - quiet, self._warm_up)
            return
        self._import_steps()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _import_steps(self) -> None:
        try:
            import netinbox.tui.review  # noqa: F401 (the steps and their dialogs)
            import netinbox.tui.widgets.draft  # noqa: F401 (the editor, made at first use)
        except Exception:  # noqa: BLE001, S110 (imported again, and said, at first use)
            pass

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # (Textual runs Screen's own handler after this one, with the same event.)
        if private.first_resume_keeps_styles(self, event):
            self.call_next(self._first_resumed, private.whole_frames(self))

    def _first_resumed(self, whole_frames: int) -> None:
        if private.whole_frames(self) > whole_frames:  # the first frame: the whole screen
            private.forget_repaint(self)  # Textual's resume asks for it again at once

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Narrow terminals give the profile more room; short ones shrink the draft. (Also
        before the first frame: Textual's first resize comes after it.)"""
        self.set_class(size.width < 110, "-narrow")
        self.set_class(size.height < 32, "-short")
        footer = self.query_one(WordsFooter)
        narrow = size.width < 110
        footer.compact = narrow
        footer.show_command_palette = not narrow  # ctrl+p still works; help says so

    def _tick(self) -> None:
        """Once a minute: wake snoozed requests, let deadlines pass, refresh the counts.
        (Finding the snoozed ones due is an indexed look-up; the counts come from threads.)"""
        self.store.wake_snoozed()
        self.refresh_all(scroll=False)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self._readers.close()

    # --- mail that comes while the app is open (netinbox.tui.watcher) ----------------------

    def _start_watch(self) -> None:
        """Watch the mailboxes of `[watch] paths` and `--watch` in a thread of its own."""
        from netinbox.tui.watcher import MailWatcher

        paths = getattr(self.app, "watch_paths", None)
        if not paths or self.watcher is not None or not self.is_attached:
            return
        store = self.store
        self.watcher = MailWatcher(store.path, store.config, store.clock, paths, self.post_message)
        self.watcher.start()

    def on_mail_arrived(self, event: MailArrived) -> None:
        """New requests or answers from mail: the counts, list and profile again (the
        cursor stays), and a toast says what came; a mailbox that cannot be read, one line.
        How the watch waits is said when it is news (`watching.is_news`), and in the help."""
        from netinbox.tui.watcher import said, started_line

        if event.started is not None and self.watcher is not None and event.news:
            watcher = self.watcher
            toast(self, started_line(len(watcher.paths), event.started, watcher.interval))
        taken = event.taken
        if taken.found:
            self.refresh_all(scroll=False)
            toast(self, said(taken))
        for line in event.problems:
            toast(self, line, severity="warning", timeout=10)

    # --- keys, as the user configured them -------------------------------------------------

    def key_for(self, binding_id: str, *, every: bool = False) -> str:
        """The key shown for a binding id (of this screen, its panes or the app), after the
        user's keymap; `every` key, or the first."""
        return key_display(self.app, binding_id, every=every)

    def _search_bar_soon(self) -> None:
        """The search bar, a frame after the first screen, unless the app is gone by then
        (`q` typed as it starts)."""
        if self.is_attached:
            self.search_bar()

    def search_bar(self) -> SearchBar:
        """The search bar, mounted on first use (after the first frame, or at `/`): it is
        hidden until then, and mounting its input cost the first frame a tenth of its time
        (its module, too, is loaded then)."""
        if self._search is None:
            from netinbox.tui.widgets.search_bar import SearchBar

            bar = SearchBar(id="search")
            bar.keys = {"search": self.key_for("search"), "clear": self.key_for("clear_search")}
            bar.leave_to = self.requests
            self._search = bar
            mounting = self.mount(bar, before=self.query_one("#panes"))
            self.call_next(self._search_bar_mounted, mounting)
        return self._search

    async def _search_bar_mounted(self, mounting: AwaitMount) -> None:
        """A mount asks for a layout and a repaint of the whole screen; the layout repaints
        what it moves (nothing while the bar is hidden), so the repaint is dropped: it wrote
        the whole screen again a moment after the first frame."""
        await mounting
        private.forget_repaint(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the request actions while no request is shown.

        Keys that type in the draft or the search box (`/` too: `netinbox.tui.keys`) are
        left out of the footer there by Textual itself, so every action still runs from
        the palette whatever has the focus.
        """
        if action == "step" and parameters:
            action = str(parameters[0])  # a step of the review loop, by its handler's name
        if self._store_empty and (action in NEEDS_REQUEST or action in FIRST_RUN_HIDDEN):
            return False  # nothing to act on or search: the footer shows how to start
        if action in NEEDS_REQUEST:
            # A request about to be shown (`_show_soon`) counts: its step flushes it first.
            coming = self._pending_show is not None and self.requests.current_id is not None
            if coming:
                return True
            if self.detail is None or not self.meaning(action).available:
                return None  # dimmed; a key the shown request's role has no use for
            return True
        return True

    def meaning(self, binding_id: str) -> Meaning:
        """What a key does on the request shown (on a request the user sent, `a` writes
        the reason or the answer, `d` withdraws it): its words, and whether it does anything."""
        action = BY_ID.get(binding_id)
        if action is None:
            return Meaning(binding_id, "")
        return meaning(action, self._role)

    def why_not(self, action: str) -> str | None:
        """Why the request action `action` (a handler's name) does nothing now, in the
        user's words; None when it runs (or is no request action). Said when its key is
        pressed or the palette runs it: a key that does nothing and says nothing looks
        broken."""
        if action not in NEEDS_REQUEST and action not in FIRST_RUN_HIDDEN:
            return None
        if self.check_action(action, ()):
            return None
        if self._store_empty:
            return _(
                "No requests yet: press %(import)s to import a file or %(add)s to add one."
            ) % {"import": self.key_for("import_file"), "add": self.key_for("add_request")}
        if self.detail is None:
            if self.requests.row_count:
                return None  # the request is being read: its key works in a moment
            if not self.query_.is_plain:
                return _("No request matches the search: there is nothing to act on.")
            return _("%(view)s is empty: there is no request to act on.") % {
                "view": self.view.title
            }
        meant = self.meaning(action)
        if meant.available:
            return None
        return _(meant.refusal or meant.help)

    def explain(self, action: str) -> bool:
        """Say why `action` does nothing now (`why_not`), in a short toast; whether it did."""
        why = self.why_not(action)
        if why is not None:
            toast(self, why, severity="warning", timeout=4)
        return why is not None

    def on_key(self, event: events.Key) -> None:
        """A request key the screen holds back (`check_action`: nothing to do on the
        request shown, no request, no requests yet) says why instead of nothing. Keys the
        focused pane used (typing in the draft or the search) never come here."""
        keys = self._explained_keys
        if keys is None:
            keymap = keymap_in_effect(self.app)
            keys = self._explained_keys = {}
            for action in ACTIONS:
                if action.needs_request or action.id in FIRST_RUN_HIDDEN:
                    for key in keys_of(action.id, keymap):
                        keys.setdefault(key, action.name)
        name = keys.get(event.key)
        if name is not None and self.explain(name):
            event.stop()

    def _show_role(self, detail: RequestDetail | None) -> None:
        """Name the keys for the request shown: the footer's words and the draft's
        placeholder change when the role does (a request received, one the user sent,
        one they owe an answer to), never from one request to the next of the same."""
        if detail is None:
            return  # the request's keys are dimmed; their words stay
        request = detail.request
        now = role(
            mine=request.direction is Direction.OUTGOING,
            owed=request.owed_at is not None,
            reason_given="no_message" not in request.flags,
        )
        if now == self._role:
            return
        self._role = now
        self.query_one(WordsFooter).show_role(now)
        if self._draft is not None:
            self._draft.placeholder = self._draft_placeholder()

    # --- refreshing --------------------------------------------------------------------------

    def refresh_all(
        self,
        *,
        keep_id: int | None = None,
        advance: bool = False,
        scroll: bool = True,
        count: int | None = None,
        first_page: list[RequestRow] | None = None,
        near: int | None = None,
        later: bool = False,
        changed: bool = True,
    ) -> None:
        """Counts, list and profile again after a change; the cursor stays where it can.

        With `later`, the profile and draft follow one frame after the list (switching
        views, opening): the list answers the key at once. `changed=False` says the store
        did not change, so the view counts need no recount.
        """
        self._provisional = self._provisional and count is not None
        self.requests.provisional = self._provisional
        self._show_counts(self.query_one(FilterBar).counts)
        if changed or self._counts is None:
            self._counts, self._first_pages = None, {}
            self._readers.interrupt("counts")
            if self.is_mounted:
                self._count_views()
            else:  # opening: the first frame first (the thread's Python holds the GIL too)
                self.call_after_refresh(self._count_views)
        recount = count is None
        if recount:
            # The list keeps its size until its view is counted again, in a thread: a
            # count can take long (a big view, a common word), a page read cannot.
            count = self.requests.row_count
        self.requests.reload(
            self.query_,
            keep_id=keep_id,
            advance=advance,
            count=count,
            first_page=first_page,
            near=near,
        )
        if recount:
            pending = self._pending
            self._read_list(pending or self.query_, count_only=pending is None)
        if later:
            self._show_soon(force=True, scroll=scroll)
        else:
            self._pending_show = None
            self.show_request(self.requests.current_id, force=True, scroll=scroll)
        self._update_titles()

    def _show_soon(self, *, force: bool = False, scroll: bool = True) -> None:
        """Show the request under the cursor after the next frame. The cursor's move is
        painted first, so a key held down scrolls smoothly and never waits for profiles it
        passes anyway (the profile's new layout is the dearest part of a step)."""
        if self._pending_show is None:
            self.call_after_refresh(self._show_pending)
            self._pending_show = (force, scroll)
        else:
            was_force, was_scroll = self._pending_show
            self._pending_show = (force or was_force, scroll or was_scroll)

    def _show_pending(self) -> None:
        self._list_frame_first = False
        if self._pending_show is not None:
            force, scroll = self._pending_show
            self._pending_show = None
            # The list may have moved on since: show where it is now.
            self.show_request(self.requests.current_id, force=force, scroll=scroll)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count_views(self) -> None:
        """The filter bar's counts, and the first page of every view, read off the UI
        thread: a switch to a view then waits for no query, and no key waits for these.

        Awaiting answer and Overdue change as deadlines pass, with no change in the store:
        Awaiting's first page is read first, and its first row is the next deadline to
        pass (it is sorted by them); until then, what is read here of both stays true."""
        pages = {}
        try:
            with self._readers.borrow("counts") as reader:
                awaiting = reader.rows(Query(view=View.AWAITING), 0, PAGE_SIZE)
                until = awaiting[0].due_at if awaiting else None
                pages[View.AWAITING] = awaiting
                counts = reader.counts()
                for view in View:
                    if get_current_worker().is_cancelled:
                        return
                    if view is not View.AWAITING:
                        pages[view] = reader.rows(Query(view=view), 0, PAGE_SIZE)
                if until is not None and reader.clock() >= until:  # one passed meanwhile
                    for view in DEADLINE_VIEWS:
                        pages.pop(view, None)
        except sqlite3.OperationalError as error:
            if interrupted(error):
                return  # a change came: the counts of after it are on their way
            raise
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, counts, pages, until)

    def _counted(
        self,
        counts: dict[View, int],
        pages: dict[View, list[RequestRow]],
        until: datetime | None = None,
    ) -> None:
        self._counts, self._first_pages = counts, pages
        self._deadlines_until = until
        self._show_counts(counts)
        if self._store_empty != (counts[View.ALL] == 0):
            self._store_empty = counts[View.ALL] == 0
            self._update_titles()
        if self._provisional:
            self._provisional = False
            if self.query_.is_plain and self.query_.view in counts:
                self.requests.resize(counts[self.query_.view])
                self._update_titles()
        pending = self._pending
        if pending is not None and pending.is_plain and pending.view in pages:
            # A view key pressed before the counts came (just after start): it is shown
            # from them now, not when its own read, begun later, comes.
            if self._still_true(pending.view):
                self._run_query(pending)

    def _show_counts(self, counts: dict[View, int]) -> None:
        keys = {view: self.key_for(f"view_{view.value}") for view in View}
        self.query_one(FilterBar).show(counts, self.view, keys)

    def _update_titles(self) -> None:
        requests = self.requests
        more = "+" if self._provisional else ""  # the first page, until the view is counted
        title = f"{self.view.title} · {requests.row_count}{more}"
        if not self.query_.is_plain:
            title += " · " + _("searched")
        wanted = self._pending
        if wanted is not None and self._pending_said:  # read in a thread: the list changes
            # when it comes
            doing = _("counting…") if wanted.is_plain else _("searching…")
            title = f"{wanted.view.title} · {doing}"
        marked = len(requests.marked)
        subtitle = ngettext("%(n)d marked", "%(n)d marked", marked) % {"n": marked} if marked else ""
        if (title, subtitle) != self._titles:  # setting either repaints the whole list
            self._titles = (title, subtitle)
            requests.border_title = Content(title)
            requests.border_subtitle = Content(subtitle)
        if requests.row_count:
            self._store_empty = False
        requests.show_empty_text(self._empty_text())
        self._show_first_run_keys(self._store_empty)

    def _empty_text(self) -> str:
        """What the empty list says: how to start, what the view holds, or the search."""
        keys = {
            name: self.key_for(binding_id)
            for name, binding_id in (
                ("import", "import_file"), ("add", "add_request"), ("quit", "quit"),
                ("help", "help"), ("ask", "ask"), ("send", "send"), ("answer", "record_answer"),
                ("accept", "accept"), ("decline", "decline"), ("snooze", "snooze"),
                ("clear_search", "clear_search"),
            )
        }  # fmt: skip
        if self._store_empty:
            return _(FIRST_RUN).format(**keys)
        if not self.query_.is_plain:
            values = {
                "view": self.view.title,
                "clear": keys["clear_search"],
                "all": self.key_for("view_all"),
            }
            if self.view is View.ALL:
                text = _("No request in %(view)s matches the search.\nPress %(clear)s to clear it.")
            else:
                text = _(
                    "No request in %(view)s matches the search.\n"
                    "Press %(clear)s to clear it, or %(all)s to search all requests."
                )
            return text % values
        return _(EMPTY_VIEWS[self.view]).format(**keys)

    def _draft_placeholder(self) -> str:
        if self._store_empty:
            return _(
                "Follow-ups are written here. Import (%(import)s) or add (%(add)s) a request first."
            ) % {"import": self.key_for("import_file"), "add": self.key_for("add_request")}
        return _(DRAFT_PLACEHOLDERS[self._role]) % {"ask": self.key_for("ask")}

    def _show_first_run_keys(self, show: bool) -> None:
        """While the store is empty the footer shows how to start: import, add, quit.

        Textual's footer shows a binding by its `show`, which is fixed; the bindings of
        these ids (as remapped) are swapped for copies that show, and back. (Said after
        every search and view switch: the bindings are gone through only when `show` or
        the bindings themselves, after a new keymap, are new.)"""
        maps = (private.node_bindings(self), private.node_bindings(self.app))
        done = (show, id(maps[0]), id(maps[1]))
        if done == self._first_run_keys:
            return
        self._first_run_keys = done
        changed = False
        for bindings_map in maps:
            for keyed in bindings_map.key_to_bindings.values():
                for index, binding in enumerate(keyed):
                    if binding.id in FIRST_RUN_KEYS and binding.show != show:
                        keyed[index] = replace(binding, show=show)
                        changed = True
        if changed:
            self.refresh_bindings()
            if self._draft is not None:
                self._draft.placeholder = self._draft_placeholder()
            elif self._slot_draft is not None:
                self._show_draft(*self._slot_draft)

    def show_request(
        self, request_id: int | None, *, force: bool = False, scroll: bool = True
    ) -> None:
        """Show a request in the profile and draft panes (saving the draft it leaves)."""
        shown = self.detail.request.id if self.detail else None
        if request_id == shown and not force:
            return
        self.save_draft_now()
        had = self.detail is not None
        profile = self.query_one(ProfilePane)
        ready = None
        if request_id is not None and not force:  # (forced: something changed, read it)
            ready = self._ahead.get(request_id, self._ahead_token(), self.now())
        if ready is not None:
            self.detail = ready.detail
        else:
            self.detail = self.store.get(request_id) if request_id is not None else None
        self._show_role(self.detail)
        if self.detail is None:
            profile.clear()
            self._show_draft(None, "", "", Content(_("Draft")))
        else:
            body: Content | Drawn = ready.drawn if ready else self._describe(self.detail)
            profile.show(body, scroll=scroll or request_id != shown)
            drawn = profile.drawn() if ready is None else None
            if drawn is not None and request_id is not None:  # to show again (`g`, `G`)
                self._keep_ahead(request_id, self.detail, drawn)
            note = self._draft_note(self.detail)
            if self._draft_shows() != request_id:
                saved = self.detail.draft
                template = saved.template if saved else ""
                text = for_terminal(saved.body, one_line=False) if saved else ""
                self._show_draft(request_id, text, template, self.draft_title(template), note)
            elif note and self._draft is not None and not self._draft.dirty:
                self._draft.show_note(note)
            elif note and self._slot_draft is not None:
                self._show_draft(*self._slot_draft[:4], note)
        if had != (self.detail is not None):
            self.refresh_bindings()
        # After a held key, once it is let go: the next press finds its profile ready (a
        # key still held meanwhile stops this, `_cursor_moved`).
        self._read_ahead_soon(HELD_KEY_GAP + AHEAD_AFTER if self._key_held else AHEAD_AFTER)

    def _suggested_keys(self) -> dict[str, str]:
        """The keys a profile's suggestion names, as the user has them."""
        return {name: self.key_for(name) for name in ("ask", "decline", "record_answer")}

    def _describe(self, detail: RequestDetail) -> Content:
        """The profile of `detail` as the pane shows it."""
        context = self.store.context_messages(detail.request.id or 0)
        return describe(detail, context, self.now(), self.zone, self._suggested_keys())

    def _ahead_token(self) -> tuple[object, ...]:
        """What a profile read ahead depends on besides its request and the time: the
        store's state and the keys its suggestion names."""
        return (self.store.state(), tuple(self._suggested_keys().values()))

    def _keep_ahead(self, request_id: int, detail: RequestDetail, drawn: Drawn) -> None:
        self._ahead.keep(request_id, Ready(detail, drawn, self._ahead_token(), self.now()))

    def _read_ahead_soon(self, after: float = AHEAD_AFTER) -> None:
        """Read the neighbours' profiles once this one is painted and no key followed."""
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(after, self._read_ahead, name="read ahead")

    def _read_ahead(self) -> None:
        """Read and draw one profile a key away from the cursor (`one_key_away`) that is
        not ready; then the next, in a turn of its own (a key typed meanwhile goes first).
        Once they are ready, the list's rows a page away, a page at a turn."""
        self._ahead_timer = None
        requests = self.requests
        try:
            token, now = self._ahead_token(), self.now()
            away = requests.one_key_away()
            for index in away:
                row = requests.row(index, wait=False)
                if row is None or self._ahead.get(row.id, token, now) is not None:
                    continue
                detail = self.store.get(row.id)
                drawn = self.query_one(ProfilePane).draw(self._describe(detail))
                if drawn is None:  # the pane has no width (yet): nothing to draw for
                    return
                self._keep_ahead(row.id, detail, drawn)
                self._read_ahead_soon(AHEAD_NEXT)
                return
            for index in away:
                if abs(index - requests.cursor) > 1 and requests.draw_ahead(index):
                    self._read_ahead_soon(AHEAD_NEXT)
                    return
        except (StoreError, sqlite3.Error):
            return  # (a request just gone, the store closing): read when the cursor comes

    def _draft_note(self, detail: RequestDetail) -> str:
        """ "sent Mon 2025-03-10" when the draft is what was sent last, else ""."""
        follow, draft = detail.follow_up, detail.draft
        if follow is None or draft is None or draft.body.strip() != follow.body.strip():
            return ""
        return _("sent %(day)s") % {"day": day(follow.sent_at, self.zone)}

    def current(self) -> RequestDetail | None:
        """The request under the list cursor, shown (keys may outrun the highlight message)."""
        self._show_pending()
        self.show_request(self.requests.current_id)
        return self.detail

    def save_draft_now(self) -> None:
        """Hand the draft's unsaved text to the store (before switching, quitting, sending)."""
        if self._draft is None:
            return
        pending = self._draft.take_pending()
        if pending is not None:
            self._save_draft(pending)

    def _save_draft(self, change: msg.DraftChanged) -> None:
        try:
            self.store.save_draft(change.request_id, change.body, change.template)
        except StoreError as error:
            toast(
                self,
                _("The draft could not be saved: %(error)s") % {"error": error},
                severity="error",
            )

    @on(msg.DraftChanged)
    def _draft_changed(self, event: msg.DraftChanged) -> None:
        self._save_draft(event)

    @on(msg.DraftLeft)
    def _draft_left(self) -> None:
        self.requests.focus()

    @on(msg.RequestHighlighted)
    def _highlighted(self, event: msg.RequestHighlighted) -> None:
        """A reload's new row (a key's move was shown as it happened: `_cursor_moved`).
        A view or search shown by its key has its profile after the list's frame."""
        if event.shown or (self._list_frame_first and self._pending_show is not None):
            return
        self._cursor_moved(event.request_id)

    def _cursor_moved(self, _request_id: int | None) -> None:
        """The new row's profile in the frame of the cursor's move: the list calls this
        before it is painted (`RequestList.on_cursor_moved`), and the profile pane repaints
        the lines that changed, without a layout. While a key is held, a frame after the
        move, so the list never waits for the profiles it passes."""
        now = monotonic()
        held, self._highlighted_at = now - self._highlighted_at < HELD_KEY_GAP, now
        self._key_held = held
        if held and self._ahead_timer is not None:  # no reading ahead while a key is held
            self._ahead_timer.stop()
            self._ahead_timer = None
        if held:
            self._show_soon()
        else:
            self._show_pending()
            self.show_request(self.requests.current_id)

    @on(msg.MarksChanged)
    def _marks_changed(self) -> None:
        self._update_titles()

    # --- filters and search ------------------------------------------------------------------

    def action_view(self, name: str) -> None:
        self.view = View(name)
        self.requests.clear_marks()
        self._apply_search(self._search.text if self._search else "", now=True)

    @on(msg.FilterChosen)
    def _filter_chosen(self, event: msg.FilterChosen) -> None:
        self.action_view(event.view.value)

    def action_due_today(self) -> None:
        """Every request whose answer is due today, passed or not: `due:today` in All."""
        self.view = View.ALL
        self.requests.clear_marks()
        bar = self.search_bar()
        if bar.is_mounted:
            bar.show_search(DUE_TODAY)
        self._apply_search(DUE_TODAY, now=True)

    def action_search(self) -> None:
        bar = self.search_bar()
        if bar.is_mounted:
            bar.open()
        else:
            bar.open_when_mounted = True
        # The search words typed right after `/` belong in the box, not to the list's keys.
        self.hold_keys_until(lambda: bar.is_mounted and bar.input.has_focus)

    def focus_draft(self) -> None:
        """Type in the draft: keys typed meanwhile go there too, even while its pane is
        still being made (the first moment after start)."""
        self._focus_draft_when_placed = True
        draft = self.draft

        def focused() -> bool:
            if draft.is_mounted and not draft.has_focus and self.focused is not draft:
                draft.focus()
            return draft.has_focus or draft.disabled

        draft.focus()
        self.hold_keys_until(focused)

    def hold_keys_until(self, ready: Callable[[], bool]) -> None:
        """Keys typed from now on wait until `ready()` (a pane about to take the focus)."""
        gate = getattr(self.app, "type_ahead", None)
        if gate is not None:
            gate.hold_until(ready)

    def action_clear_search(self) -> None:
        bar = self._search
        if bar is not None and (bar.text or bar.has_class("-open")):
            bar.action_close()

    def close_search(self) -> None:
        """Empty and close the search box, if there is one."""
        if self._search is not None:
            self._search.action_close()

    @on(msg.SearchChanged)
    def _search_changed(self, event: msg.SearchChanged) -> None:
        self._apply_search(event.text, now=event.final)
        if event.final:
            self.requests.focus()
            if self._pending is not None:  # keys typed after Enter are meant for its result
                self.hold_keys_until(lambda: self._pending is None)

    @on(msg.SearchClosed)
    def _search_closed(self) -> None:
        self._apply_search("", now=True)
        self.requests.focus()

    def _apply_search(self, text: str, *, now: bool) -> None:
        """Parse at once (errors show inline); filter now, or after a pause in typing."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        pending = self._pending
        if not now and pending is not None and not pending.is_plain:
            # Other words: the search of the words before is obsolete at this key, not at
            # the next pause; its query stops now and its result never shows.
            self._stop_reading()
            self._update_titles()
        try:
            query = parse(text, self.view)
        except QueryError as error:
            if self._search is not None:
                self._search.show_error(str(error))
            return
        if self._search is not None:
            self._search.show_error(None)
        if now or not self.SEARCH_DELAY:
            self._run_query(query)
        else:
            self._search_timer = self.set_timer(self.SEARCH_DELAY, lambda: self._run_query(query))

    def _run_query(self, query: Query) -> None:
        """Show a view or search: at once when its count and first page are known (the
        filter bar's, read with the counts), else from a thread; keys keep working meanwhile
        and the list changes when the result comes."""
        # A plain view's size is the filter bar's count for it, when that is current; not
        # for the views a passing deadline changes (small ones, quickly counted anyway).
        known = self._counts if query.is_plain and self._still_true(query.view) else None
        count = known.get(query.view) if known is not None else None
        first = self._first_pages.get(query.view)
        if count is None and self._small_deadline_view(query):
            # Counted here, exactly as of now, in the key's own frame: a thread's result
            # would come a frame or two later.
            count, first = self.store.count(query), self.store.rows(query, 0, PAGE_SIZE)
        if count is None:
            self._show_counts(self.query_one(FilterBar).counts)  # the key shows at once
            self._read_list(query)
            self._update_titles()
            return
        self._stop_reading()
        self.query_ = query
        self._list_frame_first = True
        self.refresh_all(count=count, first_page=first, later=True, changed=False)

    def _still_true(self, view: View) -> bool:
        """Whether the count and first page read with the counts still hold for `view`:
        always, but for Awaiting answer and Overdue once their next deadline has passed."""
        if view not in DEADLINE_VIEWS:
            return True
        if view not in self._first_pages:
            return False
        until = self._deadlines_until
        return until is None or self.store.clock() < until

    def _small_deadline_view(self, query: Query) -> bool:
        """A plain deadline view small enough (by the last count) to count and read its
        first page on this thread within a frame (`DEADLINE_READ_HERE`)."""
        counts = self._counts
        if not query.is_plain or query.view not in DEADLINE_VIEWS or counts is None:
            return False
        return counts.get(query.view, DEADLINE_READ_HERE + 1) <= DEADLINE_READ_HERE

    def _stop_reading(self) -> None:
        """Make every read for the list in flight obsolete, and stop its query."""
        self._reading += 1
        self._pending = None
        self.workers.cancel_group(self, "list")
        self._readers.interrupt("list")

    def _read_list(self, query: Query, *, count_only: bool = False) -> None:
        """Count `query` (and read its first page) in a thread; what an older read finds
        is dropped, and its query stopped: the last key wins, and never waits for another."""
        self._stop_reading()
        if not count_only:
            # Other words in the same view: the title keeps what the list shows until
            # the search has taken long enough to say so; another view says it at once.
            quick = not query.is_plain and query.view == self.query_.view
            self._pending, self._pending_said = query, not quick
            if quick:
                self.set_timer(SEARCHING_NOTE_DELAY, partial(self._say_pending, self._reading))
        self._read_in_thread(query, self._reading, count_only)

    def _say_pending(self, reading: int) -> None:
        if reading == self._reading and self._pending is not None and not self._pending_said:
            self._pending_said = True
            self._update_titles()

    @work(thread=True, group="list", exit_on_error=False)
    def _read_in_thread(self, query: Query, reading: int, count_only: bool) -> None:
        try:
            with self._readers.borrow("list") as reader:
                # The first page first: a page that is not full is the whole answer, and
                # its length the count, without a second walk through every match (a
                # rare word, or a common one that few requests of the view hold).
                first = None if count_only else reader.rows(query, 0, PAGE_SIZE)
                if get_current_worker().is_cancelled:
                    return
                full = first is None or len(first) == PAGE_SIZE
                count = reader.count(query) if full else len(first or ())
        except sqlite3.OperationalError as error:
            if interrupted(error):
                return  # a newer key made this read obsolete
            raise
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._list_read, query, reading, count, first)

    def _list_read(
        self, query: Query, reading: int, count: int, first: list[RequestRow] | None
    ) -> None:
        if reading != self._reading or not self.is_attached:
            return  # a newer read is on its way (or done): this one must not overwrite it
        if first is None:  # a recount of the list shown, after a change
            if query == self.query_:
                self.requests.resize(count)
                self._update_titles()
                # The row under the cursor may be another now (the first in a view that
                # was empty): its profile and keys at once, as a synchronous count gave.
                self.show_request(self.requests.current_id)
            return
        self.query_, self._pending = query, None
        if query.is_plain:  # a view read in a thread: the list's frame first
            self._list_frame_first = True
            self.refresh_all(count=count, first_page=first, later=True, changed=False)
            return
        # A search, read in a thread, so no key waits for this: the list and its profile
        # in one frame (the profile a frame later would be one frame more before it settles).
        self.refresh_all(count=count, first_page=first, changed=False)

    def read_in_thread(self, read: Callable[[Store], T], then: Callable[[T], None]) -> None:
        """`then(read(reader))`: the read on a worker's connection, `then` here after it,
        for reads that may take longer than a frame (the keys answer meanwhile)."""
        self._read_for(read, then)

    @work(thread=True, group="reads", exit_on_error=False)
    def _read_for(self, read: Callable[[Store], T], then: Callable[[T], None]) -> None:
        try:
            with self._readers.borrow("reads") as reader:
                result = read(reader)
        except sqlite3.OperationalError as error:
            if interrupted(error):
                return  # the app is closing
            raise
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(then, result)

    def write_in_thread(
        self, write: Callable[[Store], T], then: Callable[[T | StoreError], None]
    ) -> None:
        """`then(write(store))`: a long change (undoing an import) on a connection of its
        own in a thread, `then` here after it with its result or the StoreError it met."""
        self._write_for(write, then)

    @work(thread=True, group="writes", exit_on_error=False)
    def _write_for(
        self, write: Callable[[Store], T], then: Callable[[T | StoreError], None]
    ) -> None:
        result: T | StoreError
        try:
            with Store(self.store.path, config=self.store.config, clock=self.store.clock) as store:
                result = write(store)
        except StoreError as error:
            result = error
        except sqlite3.Error as error:
            result = StoreError(str(error))
        self.app.call_from_thread(then, result)

    def go_to(self, request_id: int) -> None:
        """Put the cursor on `request_id` (just added): in this view when it is in it, else
        in All. Far down a big view it is found in a thread, and the cursor goes there
        when it is (counting the rows before it took ~600 ms near the end of 100,000)."""
        position = self.store.position(self.query_, request_id, within=NEAR_WALK)
        if position is None:
            self.view, self.query_ = View.ALL, Query(view=View.ALL)
            self.close_search()
            position = self.store.position(self.query_, request_id, within=NEAR_WALK)
        if position is None or position < NEAR_WALK:
            self.refresh_all(keep_id=request_id, near=position)
            return
        self.refresh_all(keep_id=request_id)
        query = self.query_

        def locate(reader: Store) -> tuple[int | None, int, list[RequestRow]]:
            at, total = reader.position(query, request_id), reader.count(query)
            if at is None:
                return None, total, []
            return at, total, reader.rows(query, at - at % PAGE_SIZE, PAGE_SIZE, total=total)

        def located(found: tuple[int | None, int, list[RequestRow]]) -> None:
            at, total, rows = found
            if at is not None and query == self.query_ and self._pending is None:
                page = (at // PAGE_SIZE, rows)
                self.requests.reload(keep_id=request_id, count=total, near=at, page=page)

        self.read_in_thread(locate, located)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            toast(
                self,
                _("Reading the store failed: %(error)s") % {"error": event.worker.error},
                severity="error",
            )

    # --- small helpers ---------------------------------------------------------------------

    @cached_property
    def book(self) -> TemplateBook:
        """The templates, made when a draft first needs one (not before the first screen)."""
        return self.store.config.template_book()

    def draft_title(self, template_id: str) -> Content:
        """The draft pane's title: the template's name, as data."""
        if template_id and template_id in self.book.ids():
            title = plain(_(self.book.get(template_id).title), 60)  # a default's: translated
            return Content.assemble(_("Draft") + " · ", title)
        return Content(_("Draft"))

    def today(self) -> date:
        """Today in the user's time zone."""
        return self.now().astimezone(self.zone).date()

    # --- the loop's steps (netinbox.tui.review) ----------------------------------------------

    def action_step(self, name: str) -> None:
        """Run the review loop's step `name` (a `review` row of `netinbox.tui.actions`)
        and show what it did."""
        try:
            outcome = getattr(self.loop, name)()
        except StoreError as error:
            toast(self, str(error), severity="error")
            return
        self.apply(outcome)

    def apply(self, outcome: Outcome | None) -> None:
        """Show what a step of the review loop did: marks, draft, list, what to say, focus
        (the loop itself changes nothing on this screen)."""
        if outcome is None:
            return
        requests = self.requests
        if outcome.unmark_all:
            requests.clear_marks()
        elif outcome.unmark:
            requests.marked.difference_update(outcome.unmark)
            requests.post_message(msg.MarksChanged(len(requests.marked)))
            requests.refresh()
        if self._draft is not None and self._draft.request_id in outcome.stale_drafts:
            self._draft.request_id = None  # reloaded with the next show: the store's text
        elif self._slot_draft is not None and self._slot_draft[0] in outcome.stale_drafts:
            self._slot_draft = None
        if outcome.draft is not None:
            text, template = outcome.draft
            self.draft.put(text, template, self.draft_title(template))
            self.save_draft_now()
        if outcome.reveal is not None:
            self.go_to(outcome.reveal)
        elif outcome.refresh:
            self.refresh_all(keep_id=outcome.keep, advance=outcome.advance, changed=outcome.changed)
        for note in dict.fromkeys(outcome.notes):  # the same warning once
            toast(self, note.text, severity=note.severity, timeout=note.timeout)
        if outcome.draft is not None and outcome.select:
            self.draft.select_text(outcome.select)
        if outcome.edit_draft:
            if outcome.draft is None:
                self.draft.cursor_to_typing_place()
            self.focus_draft()

    def action_statistics(self) -> None:
        """The statistics screen: charts of a period (read in a worker)."""
        self.save_draft_now()
        from netinbox.tui.screens.statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen(self.store, self.now, self.zone))

    def action_help(self) -> None:
        """The keys of the focused pane (as remapped), with what they do."""
        focused = self.focused
        name = PANE_NAMES.get(focused.id or "", "") if focused else ""
        pane = _(name) if name else "netinbox"
        keys: dict[str, list[str]] = {}  # binding id (or Textual's action) → keys
        descriptions: dict[str, str] = {}
        for active in self.active_bindings.values():
            binding = active.binding
            action = BY_ID.get(binding.id or "")
            if action is not None:
                meant = self.meaning(action.id)
                if self.detail is not None and not meant.available:
                    continue  # nothing to do on the request shown: not offered, as in the footer
                name, description = action.id, _(meant.title)
            elif binding.action in ALSO_IN_HELP:
                name = binding.action
                description = _(HELP_WORDS.get(name, binding.description))
            else:
                continue  # Textual's own scrolling and editing keys: not ours to explain
            keys.setdefault(name, []).append(self.app.get_key_display(binding))
            descriptions[name] = description
        rows = [
            (" ".join(dict.fromkeys(keys[name])), descriptions[name], name if name in BY_ID else "")
            for name in keys
        ]
        legend_keys = {name: self.key_for(name) for name in ("ask_marked", "decline_marked")}
        legend_keys |= {"mark": self.key_for("list.mark"), "search": self.key_for("search")}
        from netinbox.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(pane, rows, legend_keys, mail=self._watch_line()))

    def _watch_line(self) -> str:
        """How the mailboxes are watched, for the help ("" without a watch)."""
        watcher = self.watcher
        mode = watcher.mode if watcher is not None else None
        if watcher is None or mode is None:
            return ""
        from netinbox.tui.watcher import started_line

        return started_line(len(watcher.paths), mode, watcher.interval)
