"""The review loop's steps on the main screen's current request: ask, send, decide, undo.

Each step asks the store for one change (one undo step), tells the user what happened in a
toast, and lets the screen refresh counts, list and profile. Dialogs are pushed and their
results handled here; the dialogs themselves live in `netinbox.tui.screens`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from textual.screen import Screen, ScreenResultType

from netinbox.db import StoreError
from netinbox.i18n import _
from netinbox.identity import is_safe_profile_url
from netinbox.importing import ImportSummary
from netinbox.models import RequestDetail, RequestRecord, Status
from netinbox.store import Store
from netinbox.templates import NO_SIGNATURE, PLATFORM_NAMES, Template
from netinbox.text import for_terminal
from netinbox.tui.copying import copy_out
from netinbox.tui.editor import EditorError, edit_text
from netinbox.tui.format import day
from netinbox.tui.messages import MarksChanged
from netinbox.tui.safe import clean, toast
from netinbox.tui.screens.ask_queue import AskQueueDialog, QueuedAsk, QueueOutcome
from netinbox.tui.screens.dialogs import (
    AddRequestDialog,
    AnswerDialog,
    ConfirmDialog,
    DecisionDialog,
    SnoozeDialog,
)
from netinbox.tui.screens.importing import ImportDialog
from netinbox.tui.widgets.draft import DraftEditor
from netinbox.tui.widgets.request_list import RequestList

if TYPE_CHECKING:
    from netinbox.tui.screens.main import MainScreen


MARKED_HERE = 50
"""Marked requests a bulk action reads on the UI thread (about 10 ms); more, in a thread."""
UNDO_HERE = 200
"""Events an undo walks back on the UI thread (a few ms); more (an import's), in a thread."""

UNSIGNED = (
    "Not signed: no name is known. Set my_name in the config file, or import your "
    "LinkedIn export (its Profile.csv names you)."
)


@dataclass(frozen=True)
class DraftReplaced:
    """A hand-edited draft that `t` replaced with a template: `u` brings it back."""

    request_id: int
    body: str
    template: str


def clean_lines(lines: list[str], cap: int) -> str:
    """Lines of outside text for a toast: each inert and capped, one under the other."""
    return "\n".join(clean(line, cap) for line in lines)


class ReviewLoop:
    """The steps behind the main screen's keys; `changes` remembers which requests each
    undoable change of this session touched, so undo can put the cursor back on them."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.changes: list[list[int] | DraftReplaced] = []
        """This session's undoable steps, newest last: the requests each store change
        touched, or a draft `t` replaced (undone here, not in the store)."""
        self._undoing = False  # a big undo runs in a thread

    @property
    def store(self) -> Store:
        return self.screen.store

    @property
    def draft(self) -> DraftEditor:
        return self.screen.draft

    @property
    def requests(self) -> RequestList:
        return self.screen.requests

    # --- ask and send -------------------------------------------------------------------------

    def _template(self) -> Template:
        """The template used before for this draft, else the one for the user's language."""
        if self.draft.template in self.screen.book.ids():
            return self.screen.book.get(self.draft.template)
        return self.screen.book.for_language(self.store.config.language)

    def _fill(self, detail: RequestDetail, template: Template, *, warn: bool = True) -> str:
        filled = self.screen.book.fill_draft(
            template,
            name=clean(detail.person.name, 200),
            platform=detail.person.platform.value,
            my_name=self.store.my_name(),
        )
        if warn and NO_SIGNATURE in filled.missing:
            toast(self.screen, UNSIGNED, severity="warning", timeout=10)
        return filled.text

    def _put_in_draft(self, text: str, template_id: str) -> None:
        self.draft.put(text, template_id, self.screen.draft_title(template_id))
        self.screen.save_draft_now()

    def ask(self) -> None:
        detail = self.screen.current()
        if detail is None:
            return
        if not self.draft.text.strip():
            template = self._template()
            self._put_in_draft(self._fill(detail, template), template.id)
        else:
            self.draft.cursor_to_typing_place()
        self.screen.focus_draft()

    def next_template(self) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        before, before_template = self.draft.text, self.draft.template
        template = self.screen.book.next_after(self._template().id)
        self._put_in_draft(self._fill(detail, template), template.id)
        if self._hand_written(detail, before, before_template):
            self.changes.append(DraftReplaced(detail.request.id, before, before_template))
            toast(
                self.screen,
                f"Your edited draft was replaced by the template "
                f"\u201c{clean(template.title, 60)}\u201d. "
                f"Press {self.screen.key_for('undo')} to get your text back.",
                timeout=8,
            )

    def _hand_written(self, detail: RequestDetail, text: str, template_id: str) -> bool:
        """Text the user wrote or changed: not just what its template gives."""
        if not text.strip():
            return False
        if template_id not in self.screen.book.ids():
            return True
        filled = self._fill(detail, self.screen.book.get(template_id))
        return text.strip() != filled.strip()

    def _restore_draft(self, step: DraftReplaced) -> None:
        """Undo a `t`: the hand-written draft comes back (on its request)."""
        self.screen.save_draft_now()
        if self.draft.request_id == step.request_id:
            self._put_in_draft(step.body, step.template)
        else:
            try:
                self.store.save_draft(step.request_id, step.body, step.template)
            except StoreError as error:
                toast(self.screen, str(error), severity="error")
                return
            self.screen.refresh_all(keep_id=step.request_id, changed=False)
        toast(self.screen, "Undid: the template; your edited draft is back.")

    def edit_in_editor(self) -> None:
        if self.screen.current() is None:
            return
        try:
            text = edit_text(self.screen.app, self.draft.text)
        except EditorError as error:
            toast(self.screen, str(error), severity="error")
            return
        except Exception as error:  # SuspendNotSupported and the like
            toast(self.screen, f"Cannot run an editor here: {error}", severity="error")
            return
        self._put_in_draft(for_terminal(text, one_line=False).strip(), self.draft.template)

    def send(self) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        body = self.draft.text.strip()
        if not body:
            toast(
                self.screen,
                f"The draft is empty: press {self.screen.key_for('ask')} to write the follow-up first.",
                severity="warning",
            )
            return
        if detail.request.status.is_decided:
            toast(
                self.screen,
                "This request is decided already: reopen it before asking.",
                severity="warning",
            )
            return
        sent = detail.follow_up
        if sent is not None and sent.answered_at is None and sent.body.strip() == body:
            zone = self.screen.zone
            due = "was" if sent.due_at <= self.screen.now() else "is"
            toast(
                self.screen,
                f"You sent this on {day(sent.sent_at, zone)}; the answer {due} due "
                f"{day(sent.due_at, zone)}. Change the draft to send a reminder.",
                severity="warning",
            )
            return
        self.screen.save_draft_now()
        follow = self._change(
            [detail.request.id], lambda: self.store.mark_sent(detail.request.id or 0, body)
        )
        if follow is not None:
            due = day(follow.due_at, self.screen.zone)
            self.screen.refresh_all(keep_id=detail.request.id, advance=True)

            def copied(where: str) -> None:
                toast(
                    self.screen,
                    f"{where}. Follow-up recorded as sent; answer due {due}.",
                    severity="information" if where.startswith("Copied") else "warning",
                    timeout=None if where.startswith("Copied") else 12,
                )

            copy_out(self.screen.app, body, copied)

    def _change(self, ids: list[int], apply: Callable[[], Any]) -> Any:
        """Run one undoable store change; remember which requests it touched."""
        try:
            result = apply()
        except StoreError as error:
            toast(self.screen, str(error), severity="error")
            return None
        self.changes.append(ids)
        return result if result is not None else True

    def _ask_dialog(self, screen: Screen[ScreenResultType], then: Callable[[Any], None]) -> None:
        """Push a dialog; `then` gets its result (None or False when cancelled)."""
        self.screen.app.push_screen(screen, then)

    def _who(self, detail: RequestDetail) -> str:
        return clean(detail.person.name, 80) or "(no name)"

    def record_answer(self) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        request_id = detail.request.id

        def record(answer: str | None) -> None:
            if answer is None:
                return
            if self._change([request_id], lambda: self.store.record_answer(request_id, answer)):
                toast(self.screen, f"Answer of {self._who(detail)} recorded.")
                self.screen.refresh_all(keep_id=request_id)

        self._ask_dialog(AnswerDialog(self._who(detail)), record)

    def accept(self) -> None:
        self._decide(Status.ACCEPTED)

    def decline(self) -> None:
        self._decide(Status.DECLINED)

    def _decide(self, status: Status) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        request_id, name = detail.request.id, self._who(detail)
        verb = "Accept" if status is Status.ACCEPTED else "Decline"
        if detail.request.status is status:
            toast(self.screen, f"{name} is {status.value} already.")
            return
        store_call = self.store.accept if status is Status.ACCEPTED else self.store.decline
        platform = PLATFORM_NAMES.get(detail.person.platform.value) or "the platform"

        def decide(note: str | None) -> None:
            if note is None:
                return
            if self._change([request_id], lambda: store_call(request_id, note)):
                toast(
                    self.screen,
                    f"{status.value.capitalize()} {name}. {verb} the request on {platform} yourself.",
                )
                self.screen.refresh_all(keep_id=request_id, advance=True)

        self._ask_dialog(DecisionDialog(verb, name), decide)

    def snooze(self) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        request_id, name = detail.request.id, self._who(detail)

        def snooze(until: date | None) -> None:
            if until is None:
                return
            wake = datetime.combine(until, time(0, 0), tzinfo=self.screen.zone)
            if self._change([request_id], lambda: self.store.snooze(request_id, wake)):
                toast(self.screen, f"Snoozed {name} until {wake.strftime('%a %Y-%m-%d')}.")
                self.screen.refresh_all(keep_id=request_id, advance=True)

        self._ask_dialog(SnoozeDialog(name, self.screen.today()), snooze)

    def could_not_ask(self) -> None:
        """For the palette: the platform allows no message to this sender."""
        self._simple_change(self.store.could_not_ask, "Marked {name}: could not ask.")

    def reopen(self) -> None:
        """For the palette: take back a decision (or a could-not-ask)."""
        self._simple_change(self.store.reopen, "Reopened {name}.")

    def _simple_change(self, call: Callable[[int], None], done: str) -> None:
        detail = self.screen.current()
        if detail is None or detail.request.id is None:
            return
        request_id = detail.request.id
        if self._change([request_id], lambda: call(request_id)):
            toast(self.screen, done.format(name=self._who(detail)))
            self.screen.refresh_all(keep_id=request_id)

    def undo(self) -> None:
        if self.changes and isinstance(self.changes[-1], DraftReplaced):
            step = self.changes.pop()
            assert isinstance(step, DraftReplaced)
            self._restore_draft(step)
            return
        if self._undoing:
            toast(self.screen, _("Still undoing the import; a moment."))
            return
        if self.store.undo_size() > UNDO_HERE:  # an import: seconds of deleting, in a thread
            self._undoing = True
            toast(self.screen, _("Undoing the import…"))
            self.screen.write_in_thread(lambda store: store.undo(), self._undone)
            return
        try:
            what = self.store.undo()
        except StoreError as error:
            toast(self.screen, str(error), severity="error")
            return
        self._undone(what)

    def _undone(self, what: str | StoreError | None) -> None:
        self._undoing = False
        if isinstance(what, StoreError):
            toast(self.screen, str(what), severity="error")
            return
        if what is None:
            toast(self.screen, "Nothing to undo.")
            return
        step = self.changes.pop() if self.changes else []
        ids = step if isinstance(step, list) else []
        toast(self.screen, f"Undid: {clean(what, 200)}")
        self.screen.refresh_all(keep_id=ids[0] if len(ids) == 1 else None)

    # --- bulk: ask or decline all marked -----------------------------------------------------

    def _marked(
        self,
        keep: Callable[[RequestDetail], bool],
        then: Callable[[list[RequestDetail]], None],
    ) -> None:
        """`then` the marked requests `keep` keeps: read here when few, else in a thread
        (a few thousand marked take a second to read), the keys answering meanwhile."""
        ids = sorted(self.requests.marked)
        if len(ids) <= MARKED_HERE:
            then([d for d in self.store.get_many(ids) if keep(d)])
        else:
            self.screen.read_in_thread(
                lambda reader: [d for d in reader.get_many(ids) if keep(d)], then
            )

    def ask_marked(self) -> None:
        if not self.requests.marked:
            self._mark_first()
            return
        self._marked(
            lambda d: d.request.status in (Status.NEW, Status.COULD_NOT_ASK, Status.SNOOZED),
            self._ask_chosen,
        )

    def _ask_chosen(self, chosen: list[RequestDetail]) -> None:
        if not chosen:
            toast(
                self.screen, "None of the marked requests can be asked (asked or decided already)."
            )
            return
        items: list[QueuedAsk] = []
        for detail in chosen:
            saved = detail.draft
            if saved is not None and saved.body.strip():  # what the user wrote comes first
                body, template_id = saved.body, saved.template
            else:
                template = (
                    self.screen.book.get(saved.template)
                    if saved and saved.template in self.screen.book.ids()
                    else self.screen.book.for_language(self.store.config.language)
                )
                body, template_id = self._fill(detail, template), template.id
            platform = PLATFORM_NAMES.get(detail.person.platform.value) or "the platform"
            items.append(
                QueuedAsk(detail.request.id or 0, self._who(detail), platform, body, template_id)
            )
        self.screen.save_draft_now()

        def record(item: QueuedAsk) -> str | None:
            request_id = item.request_id
            try:  # the draft pane then shows what was sent
                self.store.save_draft(request_id, item.body, item.template)
            except StoreError:
                pass
            follow = self._change([request_id], lambda: self.store.mark_sent(request_id, item.body))
            return day(follow.due_at, self.screen.zone) if follow is not None else None

        def copy(text: str, done: Callable[[str], None]) -> None:
            copy_out(self.screen.app, text, done)

        def finished(outcome: QueueOutcome | None) -> None:
            if outcome is None:
                return
            sent = set(outcome.sent)
            self.requests.marked.difference_update(sent)
            self.requests.post_message(MarksChanged(len(self.requests.marked)))
            self.requests.refresh()
            if sent and self.draft.request_id in sent:
                self.draft.request_id = None  # reload it: it now holds what was sent
            still = len(outcome.skipped) + len(outcome.left)
            told = f"Asked {len(sent)} of {len(items)}: each recorded as sent when you said so."
            if still:
                told += f" {still} not asked {'stays' if still == 1 else 'stay'} marked."
            toast(self.screen, told)
            self._after_bulk(sorted(sent))

        self._ask_dialog(AskQueueDialog(items, record, copy), finished)

    def decline_marked(self) -> None:
        if not self.requests.marked:
            self._mark_first()
            return
        self._marked(lambda d: not d.request.status.is_decided, self._decline_chosen)

    def _decline_chosen(self, chosen: list[RequestDetail]) -> None:
        if not chosen:
            toast(self.screen, "All marked requests are decided already.")
            return
        ids = [d.request.id or 0 for d in chosen]

        def decline(yes: bool | None) -> None:
            if yes and self._change(ids, lambda: self.store.decline_many(ids)):
                self.requests.clear_marks()
                toast(
                    self.screen,
                    f"Declined {len(ids)} requests. Decline them on the platform yourself.",
                )
                self._after_bulk(ids)

        question = f"Decline {self._count(chosen)}?\n\n{self._names(chosen)}"
        self._ask_dialog(ConfirmDialog(question), decline)

    def _mark_first(self) -> None:
        key = self.screen.key_for("mark")
        toast(self.screen, f"Mark requests with {key} first.", severity="warning")

    @staticmethod
    def _count(chosen: list[RequestDetail]) -> str:
        return "1 marked request" if len(chosen) == 1 else f"{len(chosen)} marked requests"

    def _names(self, chosen: list[RequestDetail], shown: int = 6) -> str:
        """The names of the chosen, one a line; the rest counted."""
        names = [self._who(detail) for detail in chosen[:shown]]
        if len(chosen) > shown:
            names.append(f"and {len(chosen) - shown} more")
        return "\n".join(names)

    def _after_bulk(self, ids: list[int]) -> None:
        """After a bulk change: a request under the cursor that was not part of it stays
        there; one that was moves the cursor on to the next that needs attention."""
        current = self.requests.current_id
        self.screen.refresh_all(keep_id=current, advance=current in ids)

    # --- open, add, import ---------------------------------------------------------------------

    def open_profile(self) -> None:
        detail = self.screen.current()
        if detail is None:
            return
        url = detail.person.profile_url
        if not url:
            toast(self.screen, "No profile link is known for this request.", severity="warning")
        elif not is_safe_profile_url(url):
            toast(
                self.screen,
                f"Not opening {clean(url, 200)}: only https links to linkedin.com or xing.com are opened.",
                severity="warning",
            )
        else:
            toast(self.screen, f"Opening {clean(url, 200)}")
            self.screen.app.open_url(url)

    def add_request(self) -> None:
        def add(record: RequestRecord | None) -> None:
            if record is None:
                return
            try:
                outcome, request_id = self.store.add_request_outcome(record)
            except StoreError as error:
                toast(self.screen, str(error), severity="error")
                return
            if outcome == "new":
                self.changes.append([request_id])
                toast(self.screen, f"Added {clean(record.name, 80)}.")
            else:  # the same request was stored before: nothing was added
                toast(self.screen, f"{clean(record.name, 80)}: already stored; nothing added.")
            self.screen.go_to(request_id)

        self._ask_dialog(
            AddRequestDialog(self.screen.today(), now=self.screen.now(), zone=self.screen.zone), add
        )

    def import_file(self) -> None:
        def imported(summary: ImportSummary | None) -> None:
            if summary is not None:
                self.screen.refresh_all()
                lines = [f"Imported: {summary.headline()}"]
                if summary.undoable:  # one step of this session's undo, like any change
                    self.changes.append([])
                    lines[0] += f" ({self.screen.key_for('undo')} takes back what it added)"
                lines += summary.notes[:3]
                lines += [f"Skipped {s.source}: {s.reason}" for s in summary.skipped[:3]]
                if len(summary.skipped) > 3:
                    lines.append(f"… and {len(summary.skipped) - 3} more skipped")
                toast(
                    self.screen,
                    clean_lines(lines, 300),
                    severity="warning" if summary.skipped else "information",
                    timeout=12 if summary.skipped else None,
                )

        self._ask_dialog(ImportDialog(self.store), imported)
