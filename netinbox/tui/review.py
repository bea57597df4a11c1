"""The review loop's steps on the main screen's current request: ask, send, decide, undo.

Each step asks the store for one change (one undo step) and returns an `Outcome`: what to
tell the user, which request to keep the cursor on, whether to move on, what to put in
the draft. The loop reads the screen through `Host` and never changes it; the screen
applies the outcome (`MainScreen.apply`). A step that asks first (a dialog, the
clipboard) returns None and reports its outcome when the answer comes. The dialogs
themselves live in `netinbox.tui.screens`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, tzinfo
from typing import Any, Protocol, TypeVar

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultType

from netinbox.db import StoreError
from netinbox.i18n import N_, _, language, ngettext
from netinbox.identity import is_safe_profile_url
from netinbox.importing import ImportSummary
from netinbox.models import Direction, RequestDetail, RequestRecord, Status
from netinbox.store import Store
from netinbox.templates import (
    ANSWER,
    ASK,
    NO_SIGNATURE,
    REASON,
    REASON_MARK,
    Template,
    TemplateBook,
    sender_language,
    template_language,
)
from netinbox.text import for_terminal
from netinbox.tui.copying import copied_fully, copy_out
from netinbox.tui.editor import EditorError, edit_text
from netinbox.tui.format import day
from netinbox.tui.safe import clean
from netinbox.tui.screens.ask_queue import AskQueueDialog, QueuedAsk, QueueOutcome
from netinbox.tui.screens.dialogs import (
    AddRequestDialog,
    AnswerDialog,
    ConfirmDialog,
    DecisionDialog,
    SnoozeDialog,
)
from netinbox.tui.screens.importing import ImportDialog
from netinbox.words import platform_after_on

T = TypeVar("T")

REOPEN_NOTHING = frozenset({Status.NEW, Status.ASKED, Status.ANSWERED})
"""A request in these states is open: reopening it would change nothing."""

MARKED_HERE = 50
"""Marked requests a bulk action reads on the UI thread (about 10 ms); more, in a thread."""
UNDO_HERE = 200
"""Events an undo walks back on the UI thread (a few ms); more (an import's), in a thread."""

UNSIGNED = N_(
    "Not signed: no name is known. Set my_name in the config file, or import your "
    "LinkedIn export (its Profile.csv names you)."
)


@dataclass(frozen=True)
class Note:
    """A toast: what to tell the user (may hold outside text: shown as data)."""

    text: str
    severity: SeverityLevel = "information"
    timeout: float | None = None


@dataclass(frozen=True)
class Outcome:
    """What a step did, for the main screen to show; the screen applies it in this order:
    marks, draft, list, notes, focus."""

    notes: tuple[Note, ...] = ()
    unmark: frozenset[int] = frozenset()
    """Requests no longer marked."""
    unmark_all: bool = False
    stale_drafts: frozenset[int] = frozenset()
    """Requests whose draft changed in the store: the draft pane reloads them."""
    draft: tuple[str, str] | None = None
    """(text, template id) to put in the draft pane, and save."""
    refresh: bool = False
    """Counts, list and profile again (after a change, or to show `keep`)."""
    keep: int | None = None
    """The request the cursor stays on (if it is still in the view)."""
    advance: bool = False
    """Move on from `keep` to the next request that needs attention."""
    changed: bool = True
    """The store changed: the views are counted again."""
    reveal: int | None = None
    """A request just added: show it, in All when the view or search hides it."""
    edit_draft: bool = False
    """Type in the draft now (where the user left off, unless `draft` gave new text)."""
    select: str = ""
    """Text in the new draft to select, so that typing replaces it (the "…" where the
    user's reason goes)."""

    @classmethod
    def say(
        cls, text: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> Outcome:
        return cls(notes=(Note(text, severity, timeout),))

    def and_say(
        self, text: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> Outcome:
        """This outcome, telling the user one thing more."""
        return replace(self, notes=(*self.notes, Note(text, severity, timeout)))


class DraftState(Protocol):
    """The draft pane, as the loop reads it."""

    @property
    def text(self) -> str: ...

    template: str
    request_id: int | None


class ListState(Protocol):
    """The request list, as the loop reads it."""

    marked: set[int]

    @property
    def current_id(self) -> int | None: ...


class Host(Protocol):
    """The main screen, as the review loop reads it: the loop changes none of this."""

    store: Store
    zone: tzinfo

    @property
    def book(self) -> TemplateBook: ...

    @property
    def app(self) -> App[Any]: ...

    @property
    def draft(self) -> DraftState: ...

    @property
    def requests(self) -> ListState: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def current(self) -> RequestDetail | None:
        """The request under the cursor, shown (keys may outrun the list's highlight)."""
        ...

    def key_for(self, binding_id: str) -> str: ...

    def save_draft_now(self) -> None:
        """Hand the draft's unsaved text to the store (before a change that reads it)."""
        ...

    def apply(self, outcome: Outcome | None) -> None:
        """Show what a step did (for steps that finish after a dialog or the clipboard)."""
        ...

    def read_in_thread(self, read: Callable[[Store], T], then: Callable[[T], None]) -> None:
        """`then(read(reader))`, the read in a thread (longer than a frame)."""
        ...

    def write_in_thread(
        self, write: Callable[[Store], T], then: Callable[[T | StoreError], None]
    ) -> None:
        """`then(write(store))`, a long change in a thread, or the StoreError it met."""
        ...


@dataclass(frozen=True)
class DraftReplaced:
    """A hand-edited draft that `t` replaced with a template: `u` brings it back."""

    request_id: int
    body: str
    template: str


@dataclass
class _Filled:
    text: str
    unsigned: bool = False


def clean_lines(lines: list[str], cap: int) -> str:
    """Lines of outside text for a toast: each inert and capped, one under the other."""
    return "\n".join(clean(line, cap) for line in lines)


def _error(error: StoreError) -> Outcome:
    return Outcome.say(str(error), severity="error")


def _unsigned(outcome: Outcome, filled: _Filled) -> Outcome:
    return outcome.and_say(_(UNSIGNED), "warning", 10) if filled.unsigned else outcome


@dataclass
class ReviewLoop:
    """The steps behind the main screen's keys (the `review` rows of
    `netinbox.tui.actions`); `changes` remembers which requests each undoable change of
    this session touched, so undo can put the cursor back on them."""

    host: Host
    changes: list[list[int] | DraftReplaced] = field(default_factory=list)
    """This session's undoable steps, newest last: the requests each store change
    touched, or a draft `t` replaced (undone here, not in the store)."""
    undoing: bool = False
    """A big undo (an import's) is running in a thread."""

    @property
    def store(self) -> Store:
        return self.host.store

    @property
    def book(self) -> TemplateBook:
        return self.host.book

    def _report(self, make: Callable[[], Outcome | None]) -> None:
        """Show the outcome `make` gives, later (after a dialog): a store error too."""
        try:
            outcome = make()
        except StoreError as error:
            outcome = _error(error)
        self.host.apply(outcome)

    # --- ask and send -------------------------------------------------------------------------

    @staticmethod
    def _purpose(detail: RequestDetail | None) -> str:
        """A request the user sent is never asked why: its draft gives the user's reason,
        or answers the question the user was asked about it."""
        if detail is None or detail.request.direction is not Direction.OUTGOING:
            return ASK
        return ANSWER if detail.request.owed_at is not None else REASON

    def _template(self, detail: RequestDetail | None = None) -> Template:
        """The template used before for this draft, else the one in the other person's
        language where the app can tell (a German message, a XING request, a German
        headline), else in the user's — for the request's purpose: asking why, or giving
        the user's own reason."""
        detail = detail if detail is not None else self.host.current()
        purpose = self._purpose(detail)
        template = self.host.draft.template
        if template in self.book.ids() and self.book.get(template).purpose == purpose:
            return self.book.get(template)
        return self._first_template(detail, purpose)

    def _first_template(self, detail: RequestDetail | None, purpose: str = ASK) -> Template:
        """The template to suggest first for a request (`templates.sender_language`)."""
        config = self.store.config
        sender = (
            sender_language(
                detail.person.platform.value, detail.request.message, detail.person.headline
            )
            if detail is not None
            else None
        )
        wanted = template_language(sender, config.language, config.language_given, language())
        return self.book.for_language(wanted, purpose)

    @staticmethod
    def _mark_of(template: Template) -> str:
        """What to select in a freshly filled draft: where the user's reason goes."""
        return REASON_MARK if template.purpose in (REASON, ANSWER) else ""

    def _fill(self, detail: RequestDetail, template: Template) -> _Filled:
        filled = self.book.fill_draft(
            template,
            name=clean(detail.person.name, 200),
            platform=detail.person.platform.value,
            my_name=self.store.my_name(),
        )
        return _Filled(filled.text, NO_SIGNATURE in filled.missing)

    def ask(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None:
            return None
        if self.host.draft.text.strip():  # type on where you left it
            return Outcome(edit_draft=True)
        template = self._template(detail)
        filled = self._fill(detail, template)
        draft = Outcome(
            draft=(filled.text, template.id), edit_draft=True, select=self._mark_of(template)
        )
        return _unsigned(draft, filled)

    def next_template(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        before, before_template = self.host.draft.text, self.host.draft.template
        template = self.book.next_after(self._template(detail).id, self._purpose(detail))
        filled = self._fill(detail, template)
        draft = Outcome(draft=(filled.text, template.id), select=self._mark_of(template))
        outcome = _unsigned(draft, filled)
        if self._hand_written(detail, before, before_template):
            self.changes.append(DraftReplaced(detail.request.id, before, before_template))
            outcome = outcome.and_say(
                _(
                    "Your edited draft was replaced by the template “%(title)s”. "
                    "Press %(undo)s to get your text back."
                )
                % {"title": clean(_(template.title), 60), "undo": self.host.key_for("undo")},
                timeout=8,
            )
        return outcome

    def _hand_written(self, detail: RequestDetail, text: str, template_id: str) -> bool:
        """Text the user wrote or changed: not just what its template gives."""
        if not text.strip():
            return False
        if template_id not in self.book.ids():
            return True
        filled = self._fill(detail, self.book.get(template_id))
        return text.strip() != filled.text.strip()

    def _restore_draft(self, step: DraftReplaced) -> Outcome:
        """Undo a `t`: the hand-written draft comes back (on its request)."""
        undone = _("Undid: the template; your edited draft is back.")
        self.host.save_draft_now()
        if self.host.draft.request_id == step.request_id:
            return Outcome(draft=(step.body, step.template)).and_say(undone)
        self.store.save_draft(step.request_id, step.body, step.template)
        return Outcome(refresh=True, keep=step.request_id, changed=False).and_say(undone)

    def edit_in_editor(self) -> Outcome | None:
        if self.host.current() is None:
            return None
        try:
            text = edit_text(self.host.app, self.host.draft.text)
        except EditorError as error:
            return Outcome.say(str(error), severity="error")
        except Exception as error:  # SuspendNotSupported and the like
            return Outcome.say(
                _("Cannot run an editor here: %(error)s") % {"error": error}, severity="error"
            )
        return Outcome(draft=(for_terminal(text, one_line=False).strip(), self.host.draft.template))

    def send(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        request_id = detail.request.id
        body = self.host.draft.text.strip()
        if not body:
            if detail.request.direction is not Direction.OUTGOING:
                empty = _("The draft is empty: press %(ask)s to write the follow-up first.")
            elif detail.request.owed_at is not None:
                empty = _("The draft is empty: press %(ask)s to write your answer first.")
            else:
                empty = _("The draft is empty: press %(ask)s to write your reason first.")
            return Outcome.say(empty % {"ask": self.host.key_for("ask")}, severity="warning")
        if detail.request.direction is Direction.OUTGOING:
            return self._send_mine(detail, body)
        if detail.request.status.is_decided:
            return Outcome.say(
                _("This request is decided already: reopen it before asking."), severity="warning"
            )
        sent = detail.follow_up
        if sent is not None and sent.answered_at is None and sent.body.strip() == body:
            zone = self.host.zone
            values = {"sent": day(sent.sent_at, zone), "due": day(sent.due_at, zone)}
            if sent.due_at <= self.host.now():
                text = _(
                    "You sent this on %(sent)s; the answer was due %(due)s. "
                    "Change the draft to send a reminder."
                )
            else:
                text = _(
                    "You sent this on %(sent)s; the answer is due %(due)s. "
                    "Change the draft to send a reminder."
                )
            return Outcome.say(
                text % values,
                severity="warning",
            )
        self.host.save_draft_now()
        follow = self._change([request_id], lambda: self.store.mark_sent(request_id, body))
        due = day(follow.due_at, self.host.zone)
        self._copy_and_say(
            body, _("Follow-up recorded as sent; answer due %(due)s.") % {"due": due}
        )
        return Outcome(refresh=True, keep=request_id, advance=True)

    def _send_mine(self, detail: RequestDetail, body: str) -> Outcome:
        """`s` on a request the user sent: the draft is the user's reason, or the answer
        they owed. Copied like a follow-up; no deadline runs (nobody is asked anything)."""
        request_id = detail.request.id or 0
        owed = detail.request.owed_at is not None
        self.host.save_draft_now()
        if owed:
            self._change([request_id], lambda: self.store.answer_owed(request_id, body))
            said = _("Your answer to {name} is recorded; it left I owe an answer.")
        else:
            self._change([request_id], lambda: self.store.mark_reason_sent(request_id, body))
            said = _("Your reason is recorded as sent to {name}; your request stays pending.")
        said = said.format(name=self._who(detail))
        self._copy_and_say(body, said)
        return Outcome(refresh=True, keep=request_id, advance=owed)

    def _copy_and_say(self, body: str, said: str) -> None:
        """Copy the sent text out; when the clipboard answers, say where it went and
        `said` (a warning that stays when it could not be copied)."""

        def copied(where: str) -> None:
            done = copied_fully(where)
            self.host.apply(
                Outcome.say(
                    _("%(where)s. %(said)s") % {"where": where, "said": said},
                    severity="information" if done else "warning",
                    timeout=None if done else 12,
                )
            )

        copy_out(self.host.app, body, copied)

    def _change(self, ids: list[int], apply: Callable[[], Any]) -> Any:
        """Run one undoable store change; remember which requests it touched. A store
        error propagates: the step tells it (`MainScreen.action_step`, `_report`)."""
        result = apply()
        self.changes.append(ids)
        return result

    def _ask_dialog(self, screen: Screen[ScreenResultType], then: Callable[[Any], None]) -> None:
        """Push a dialog; `then` gets its result (None or False when cancelled)."""
        self.host.app.push_screen(screen, then)

    @staticmethod
    def _who(detail: RequestDetail) -> str:
        return clean(detail.person.name, 80) or _("(no name)")

    def record_answer(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        request_id, name = detail.request.id, self._who(detail)
        if detail.request.direction is Direction.OUTGOING:
            return self._record_my_answer(detail)

        def record(answer: str | None) -> Outcome | None:
            if answer is None:
                return None
            self._change([request_id], lambda: self.store.record_answer(request_id, answer))
            return Outcome(refresh=True, keep=request_id).and_say(
                _("Answer of %(name)s recorded.") % {"name": name}
            )

        self._ask_dialog(AnswerDialog(name), lambda answer: self._report(lambda: record(answer)))
        return None

    def _record_my_answer(self, detail: RequestDetail) -> Outcome | None:
        """`r` on a request the user sent: record the answer the user gave to the question
        they owed an answer to; it leaves the I owe an answer view."""
        request_id, name = detail.request.id or 0, self._who(detail)
        if detail.request.owed_at is None:
            return Outcome.say(
                _("{name} asked you nothing about this request: no answer is owed.").format(
                    name=name
                )
            )

        def record(answer: str | None) -> Outcome | None:
            if answer is None:
                return None
            self._change([request_id], lambda: self.store.answer_owed(request_id, answer))
            return Outcome(refresh=True, keep=request_id, advance=True).and_say(
                _("Your answer to {name} recorded.").format(name=name)
            )

        self._ask_dialog(
            AnswerDialog(name, yours=True), lambda answer: self._report(lambda: record(answer))
        )
        return None

    def accept(self) -> Outcome | None:
        return self._decide(Status.ACCEPTED)

    def decline(self) -> Outcome | None:
        return self._decide(Status.DECLINED)

    def _decide(self, status: Status) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        request_id, name = detail.request.id, self._who(detail)
        verb = "Accept" if status is Status.ACCEPTED else "Decline"
        if detail.request.direction is Direction.OUTGOING:
            return self._decide_mine(detail, status)
        accepting = status is Status.ACCEPTED
        if detail.request.status is status:
            already = (
                _("%(name)s is accepted already.")
                if accepting
                else _("%(name)s is declined already.")
            )
            return Outcome.say(already % {"name": name})
        store_call = self.store.accept if accepting else self.store.decline
        platform = platform_after_on(detail.person.platform.value)

        def decide(note: str | None) -> Outcome | None:
            if note is None:
                return None
            self._change([request_id], lambda: store_call(request_id, note))
            if accepting:
                text = _("Accepted %(name)s. Accept the request on %(platform)s yourself.")
            else:
                text = _("Declined %(name)s. Decline the request on %(platform)s yourself.")
            return Outcome(refresh=True, keep=request_id, advance=True).and_say(
                text % {"name": name, "platform": platform}
            )

        self._ask_dialog(
            DecisionDialog(verb, name), lambda note: self._report(lambda: decide(note))
        )
        return None

    def _decide_mine(self, detail: RequestDetail, status: Status) -> Outcome | None:
        """`y`/`d` on a request the user sent: they accepted it, or the user withdrew it."""
        request_id, name = detail.request.id or 0, self._who(detail)
        accepted = status is Status.ACCEPTED
        done_already = (Status.ACCEPTED,) if accepted else (Status.WITHDRAWN, Status.DECLINED)
        if detail.request.status in done_already:
            already = (
                _("{name} accepted your request already.")
                if accepted
                else _("Your request to {name} is withdrawn already.")
            )
            return Outcome.say(already.format(name=name))
        store_call = self.store.accept if accepted else self.store.withdraw
        platform = platform_after_on(detail.person.platform.value)
        if accepted:
            verb, question = _("Accepted"), _("Record that {name} accepted your request?")
            done = _("Recorded: {name} accepted your request.")
        else:
            verb, question = _("Withdraw"), _("Withdraw your request to {name}?")
            done = _("Withdrawn: your request to {name}. Withdraw it on {platform} yourself.")

        def decide(note: str | None) -> Outcome | None:
            if note is None:
                return None
            self._change([request_id], lambda: store_call(request_id, note))
            return Outcome(refresh=True, keep=request_id, advance=True).and_say(
                done.format(name=name, platform=platform)
            )

        meaning = (
            _("This records it in netinbox; nothing is sent.")
            if accepted
            else _("This records it in netinbox. Withdraw it on {platform} yourself.").format(
                platform=platform
            )
        )
        dialog = DecisionDialog(
            verb,
            name,
            question=question,
            declining=not accepted,
            note=meaning,
            doing=_("record it") if accepted else "",
            placeholder=_("Note (optional)"),
        )
        self._ask_dialog(dialog, lambda note: self._report(lambda: decide(note)))
        return None

    def snooze(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        request_id, name = detail.request.id, self._who(detail)

        def snooze(until: date | None) -> Outcome | None:
            if until is None:
                return None
            wake = datetime.combine(until, time(0, 0), tzinfo=self.host.zone)
            self._change([request_id], lambda: self.store.snooze(request_id, wake))
            return Outcome(refresh=True, keep=request_id, advance=True).and_say(
                _("Snoozed %(name)s until %(day)s.")
                % {"name": name, "day": day(wake, self.host.zone)}
            )

        self._ask_dialog(
            SnoozeDialog(name, self.host.today()),
            lambda until: self._report(lambda: snooze(until)),
        )
        return None

    def could_not_ask(self) -> Outcome | None:
        """For the palette: the platform allows no message to this sender."""
        return self._simple_change(self.store.could_not_ask, N_("Marked %(name)s: could not ask."))

    def reopen(self) -> Outcome | None:
        """For the palette: take back a decision, a could-not-ask or a snooze. On a request
        still open it would record a reopening of nothing: said instead."""
        detail = self.host.current()
        if detail is not None and detail.request.status in REOPEN_NOTHING:
            return Outcome.say(
                _("%(name)s is open already: there is nothing to reopen.")
                % {"name": self._who(detail)},
                severity="warning",
            )
        return self._simple_change(self.store.reopen, N_("Reopened %(name)s."))

    def _simple_change(self, call: Callable[[int], None], done: str) -> Outcome | None:
        detail = self.host.current()
        if detail is None or detail.request.id is None:
            return None
        request_id = detail.request.id
        self._change([request_id], lambda: call(request_id))
        return Outcome(refresh=True, keep=request_id).and_say(_(done) % {"name": self._who(detail)})

    def undo(self) -> Outcome | None:
        if self.changes and isinstance(self.changes[-1], DraftReplaced):
            step = self.changes.pop()
            assert isinstance(step, DraftReplaced)
            return self._restore_draft(step)
        if self.undoing:
            return Outcome.say(_("Still undoing the import; a moment."))
        if self.store.undo_size() > UNDO_HERE:  # an import: seconds of deleting, in a thread
            self.undoing = True
            self.host.write_in_thread(
                lambda store: store.undo(), lambda what: self._report(lambda: self._undone(what))
            )
            return Outcome.say(_("Undoing the import…"))
        return self._undone(self.store.undo())

    def _undone(self, what: str | StoreError | None) -> Outcome:
        self.undoing = False
        if isinstance(what, StoreError):
            return _error(what)
        if what is None:
            return Outcome.say(_("Nothing to undo."))
        step = self.changes.pop() if self.changes else []
        ids = step if isinstance(step, list) else []
        keep = ids[0] if len(ids) == 1 else None
        return Outcome(refresh=True, keep=keep).and_say(
            _("Undid: %(what)s") % {"what": clean(what, 200)}
        )

    # --- bulk: ask or decline all marked -----------------------------------------------------

    def _marked(
        self,
        keep: Callable[[RequestDetail], bool],
        then: Callable[[list[RequestDetail]], Outcome | None],
    ) -> Outcome | None:
        """`then` the marked requests `keep` keeps: read here when few, else in a thread
        (a few thousand marked take a second to read), the keys answering meanwhile."""
        ids = sorted(self.host.requests.marked)
        if len(ids) <= MARKED_HERE:
            return then([d for d in self.store.get_many(ids) if keep(d)])
        self.host.read_in_thread(
            lambda reader: [d for d in reader.get_many(ids) if keep(d)],
            lambda chosen: self._report(lambda: then(chosen)),
        )
        return None

    def ask_marked(self) -> Outcome | None:
        if not self.host.requests.marked:
            return self._mark_first()
        return self._marked(
            lambda d: (
                d.request.status in (Status.NEW, Status.COULD_NOT_ASK, Status.SNOOZED)
                and d.request.direction is Direction.INCOMING  # the user's own: never asked why
            ),
            self._ask_chosen,
        )

    def _ask_chosen(self, chosen: list[RequestDetail]) -> Outcome | None:
        if not chosen:
            return Outcome.say(
                _(
                    "None of the marked requests can be asked: asked or decided already,"
                    " or sent by you."
                )
            )
        items: list[QueuedAsk] = []
        unsigned = False
        for detail in chosen:
            saved = detail.draft
            if saved is not None and saved.body.strip():  # what the user wrote comes first
                body, template_id = saved.body, saved.template
            else:
                template = (
                    self.book.get(saved.template)
                    if saved and saved.template in self.book.ids()
                    else self._first_template(detail)
                )
                filled = self._fill(detail, template)
                body, template_id, unsigned = filled.text, template.id, unsigned or filled.unsigned
            platform = platform_after_on(detail.person.platform.value)
            items.append(
                QueuedAsk(detail.request.id or 0, self._who(detail), platform, body, template_id)
            )
        self.host.save_draft_now()

        def record(item: QueuedAsk) -> str | None:
            request_id = item.request_id
            try:  # the draft pane then shows what was sent
                self.store.save_draft(request_id, item.body, item.template)
            except StoreError:
                pass
            try:
                follow = self._change(
                    [request_id], lambda: self.store.mark_sent(request_id, item.body)
                )
            except StoreError as error:
                self.host.apply(_error(error))
                return None
            return day(follow.due_at, self.host.zone)

        def copy(text: str, done: Callable[[str], None]) -> None:
            copy_out(self.host.app, text, done)

        def finished(outcome: QueueOutcome | None) -> Outcome | None:
            if outcome is None:
                return None
            sent = frozenset(outcome.sent)
            still = len(outcome.skipped) + len(outcome.left)
            told = ngettext(
                "Asked %(sent)d of %(count)d: each recorded as sent when you said so.",
                "Asked %(sent)d of %(count)d: each recorded as sent when you said so.",
                len(items),
            ) % {"sent": len(sent), "count": len(items)}
            if still:
                told += " " + ngettext(
                    "%(n)d not asked stays marked.", "%(n)d not asked stay marked.", still
                ) % {"n": still}
            return self._after_bulk(sent, Outcome(unmark=sent, stale_drafts=sent)).and_say(told)

        self._ask_dialog(
            AskQueueDialog(items, record, copy),
            lambda outcome: self._report(lambda: finished(outcome)),
        )
        return Outcome.say(_(UNSIGNED), "warning", 10) if unsigned else None

    def decline_marked(self) -> Outcome | None:
        if not self.host.requests.marked:
            return self._mark_first()
        return self._marked(lambda d: not d.request.status.is_decided, self._decline_chosen)

    def _decline_chosen(self, chosen: list[RequestDetail]) -> Outcome | None:
        if not chosen:
            return Outcome.say(_("All marked requests are decided already."))
        ids = [d.request.id or 0 for d in chosen]
        # Declining a request the user sent withdraws it (`Store.decline_many`): said so.
        mine = sum(1 for d in chosen if d.request.direction is Direction.OUTGOING)
        received = len(chosen) - mine

        def decline(yes: bool | None) -> Outcome | None:
            if not yes:
                return None
            self._change(ids, lambda: self.store.decline_many(ids))
            if not mine:
                done = ngettext(
                    "Declined %(n)d request. Decline it on the platform yourself.",
                    "Declined %(n)d requests. Decline them on the platform yourself.",
                    received,
                ) % {"n": received}
            elif not received:
                done = ngettext(
                    "Withdrew %(n)d request of yours. Withdraw it on the platform yourself.",
                    "Withdrew %(n)d requests of yours. Withdraw them on the platform yourself.",
                    mine,
                ) % {"n": mine}
            else:
                done = _(
                    "Declined %(received)s and withdrew %(mine)s. Do the same on the"
                    " platform yourself."
                ) % {
                    "received": ngettext("%(n)d request", "%(n)d requests", received)
                    % {"n": received},
                    "mine": ngettext("%(n)d of yours", "%(n)d of yours", mine) % {"n": mine},
                }
            return self._after_bulk(frozenset(ids), Outcome(unmark_all=True)).and_say(done)

        if not mine:
            question = ngettext(
                "Decline %(n)d marked request?", "Decline %(n)d marked requests?", received
            ) % {"n": received}
        elif not received:
            question = ngettext(
                "Withdraw %(n)d marked request of yours?",
                "Withdraw %(n)d marked requests of yours?",
                mine,
            ) % {"n": mine}
        else:
            question = ngettext(
                "Decline or withdraw %(n)d marked request?",
                "Decline or withdraw %(n)d marked requests?",
                len(chosen),
            ) % {"n": len(chosen)}
            question += " " + ngettext(
                "%(n)d of them you sent: it is withdrawn.",
                "%(n)d of them you sent: those are withdrawn.",
                mine,
            ) % {"n": mine}
        question += f"\n\n{self._names(chosen)}"
        self._ask_dialog(ConfirmDialog(question), lambda yes: self._report(lambda: decline(yes)))
        return None

    def _mark_first(self) -> Outcome:
        key = self.host.key_for("list.mark")
        return Outcome.say(
            _("Mark requests with %(key)s first.") % {"key": key}, severity="warning"
        )

    def _names(self, chosen: list[RequestDetail], shown: int = 6) -> str:
        """The names of the chosen, one a line; the rest counted."""
        names = [self._who(detail) for detail in chosen[:shown]]
        if len(chosen) > shown:
            names.append(_("and %(n)d more") % {"n": len(chosen) - shown})
        return "\n".join(names)

    def _after_bulk(self, ids: frozenset[int], outcome: Outcome) -> Outcome:
        """After a bulk change: a request under the cursor that was not part of it stays
        there; one that was moves the cursor on to the next that needs attention."""
        current = self.host.requests.current_id
        return replace(outcome, refresh=True, keep=current, advance=current in ids)

    # --- open, add, import ---------------------------------------------------------------------

    def open_profile(self) -> Outcome | None:
        detail = self.host.current()
        if detail is None:
            return None
        url = detail.person.profile_url
        if not url:
            return Outcome.say(_("No profile link is known for this request."), severity="warning")
        if not is_safe_profile_url(url):
            return Outcome.say(
                _("Not opening %(url)s: only https links to linkedin.com or xing.com are opened.")
                % {"url": clean(url, 200)},
                severity="warning",
            )
        self.host.app.open_url(url)
        return Outcome.say(_("Opening %(url)s") % {"url": clean(url, 200)})

    def add_request(self) -> Outcome | None:
        def add(record: RequestRecord | None) -> Outcome | None:
            if record is None:
                return None
            outcome, request_id = self.store.add_request_outcome(record)
            if outcome == "new":
                self.changes.append([request_id])
                said = _("Added %(name)s.") % {"name": clean(record.name, 80)}
            else:  # the same request was stored before: nothing was added
                said = _("%(name)s: already stored; nothing added.") % {
                    "name": clean(record.name, 80)
                }
            return Outcome(reveal=request_id).and_say(said)

        host = self.host
        self._ask_dialog(
            AddRequestDialog(host.today(), now=host.now(), zone=host.zone),
            lambda record: self._report(lambda: add(record)),
        )
        return None

    def import_file(self) -> Outcome | None:
        def imported(summary: ImportSummary | None) -> Outcome | None:
            if summary is None:
                return None
            lines = [_("Imported: %(summary)s") % {"summary": summary.headline()}]
            if summary.undoable:  # one step of this session's undo, like any change
                self.changes.append([])
                lines[0] += " " + _("(%(undo)s takes back what it added)") % {
                    "undo": self.host.key_for("undo")
                }
            lines += summary.notes[:3]
            lines += [
                _("Skipped %(source)s: %(reason)s") % {"source": s.source, "reason": _(s.reason)}
                for s in summary.skipped[:3]
            ]
            if len(summary.skipped) > 3:
                lines.append(_("… and %(n)d more skipped") % {"n": len(summary.skipped) - 3})
            return Outcome(refresh=True).and_say(
                clean_lines(lines, 300),
                severity="warning" if summary.skipped else "information",
                timeout=12 if summary.skipped else None,
            )

        self._ask_dialog(
            ImportDialog(self.store), lambda summary: self._report(lambda: imported(summary))
        )
        return None
