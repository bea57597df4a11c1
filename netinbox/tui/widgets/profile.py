"""The profile pane: who asked, what they wrote, why it is hard to judge, and what happened."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.selection import Selection
from textual.strip import Strip
from textual.visual import Visual

from netinbox.i18n import N_, _
from netinbox.kinds import ContactsVisible, Direction, InvitationKind, Status
from netinbox.rules import suggest
from netinbox.store import parse_iso
from netinbox.tui import textual_private as private
from netinbox.tui.format import age, ago, day, due_text, when
from netinbox.tui.framed import FramedLines
from netinbox.tui.safe import block, clean, labelled, plain, styled
from netinbox.tui.scrollbar import QuickScrollBar
from netinbox.tui.strips import compact
from netinbox.tui.widgets.request_list import FLAG_LETTERS
from netinbox.words import (
    ACCEPTED_ON_PLATFORM,
    event_word,
    flag_reason,
    invitation_words,
    platform_name,
    status_word,
    suggestion_text,
)

if TYPE_CHECKING:
    from netinbox.models import Event, RequestDetail

HEADING = "bold $text-accent"
MUTED = "$text-muted"
ALERT = "bold $text-error"
CONTEXT_CAP = 2_000
NOTHING_SHOWN = N_("No request selected.")
DISCLAIMER = N_(
    "Accepting or declining here records your decision; do it on LinkedIn/XING yourself."
)
SUGGESTED_KEYS = {"ask": "ask", "decline": "decline", "explain": "ask", "answer": "ask"}
"""The key each suggested action names: on an answer the user owes, `a` writes it (then
`s` records it), as the footer says."""
IGNORED_AFTER = timedelta(days=30)
"""A request the user sent with no answer for this long is shown as ignored (the
statistics count it so too: `netinbox.stats.IGNORED_AFTER_DAYS`)."""


def _yes_no(value: bool | None) -> str:
    return _("unknown") if value is None else (_("yes") if value else _("no"))


def _who(detail: RequestDetail) -> list[Content]:
    """The name and the job: the lines above everything else."""
    person = detail.person
    work = " · ".join(part for part in (person.headline, person.company) if part.strip())
    return [
        styled(person.name, "bold", 300),
        plain(work or _("(job title and company not in the source)"), 500),
    ]


def _person(detail: RequestDetail) -> list[Content]:
    """Where they are, their profile and their contacts: the details below the message."""
    person = detail.person
    lines: list[Content] = []
    if person.location.strip():
        lines.append(labelled(_("Location:"), person.location, 300))
    lines.append(labelled(_("Profile:"), person.profile_url or _("unknown"), 300))
    visible = {ContactsVisible.YES: True, ContactsVisible.NO: False}.get(person.contacts_visible)
    mutual = _("unknown") if person.mutual_contacts is None else str(person.mutual_contacts)
    lines.append(
        Content.from_markup(
            _("Contacts visible: $visible · Mutual: $mutual · Connected already: $conn"),
            visible=_yes_no(visible),
            mutual=mutual,
            conn=_yes_no(person.is_connection),
        )
    )
    return lines


def _status(detail: RequestDetail, now: datetime, zone: tzinfo) -> Content:
    request = detail.request
    platform = platform_name(detail.person.platform.value)
    status = status_word(request.status, request.direction)
    moment = {"when": when(request.received_at, zone), "ago": ago(request.received_at, now)}
    mine = request.direction is Direction.OUTGOING
    if mine:
        if request.status is Status.NEW and now - request.received_at >= IGNORED_AFTER:
            # ignored, it seems
            status = _("No answer for {age}").format(age=age(request.received_at, now))
        sent = _("sent by you on %(when)s (%(ago)s)") % moment
        text = f"{status} · {platform} · {sent}"
    else:
        received = _("received %(when)s (%(ago)s)") % moment
        text = f"{status} · {platform} · {received}"
    if request.status is Status.SNOOZED and request.snoozed_until:
        text += " · " + _("snoozed until %(day)s") % {"day": day(request.snoozed_until, zone)}
    if request.status.is_decided and request.decided_at:
        # Theirs to decide on a request the user sent: the user records what happened.
        decided = _("recorded %(when)s") if mine else _("decided %(when)s")
        text += " · " + decided % {"when": when(request.decided_at, zone)}
    return Content.styled(text, MUTED)


def _flags(flags: Iterable[str], direction: Direction = Direction.INCOMING) -> list[Content]:
    lines = [  # assembled, not parsed from markup: a few ms less per profile
        Content.assemble((FLAG_LETTERS.get(f, "?"), "$text-error"), "  ", flag_reason(f, direction))
        for f in flags
    ]
    return lines or [Content(_("None."))]


def _owed(detail: RequestDetail, zone: tzinfo) -> list[Content]:
    """The question the user owes an answer to, with who asked it and when."""
    request = detail.request
    if request.owed_at is None:
        return []
    asked = _("{name} asked you on {at}:").format(
        name=clean(detail.person.name, 200), at=when(request.owed_at, zone)
    )
    return [
        Content(""),
        Content.styled(_("You owe an answer"), ALERT),
        Content(asked),
        block(request.owed_question or _("(no text)"), CONTEXT_CAP),
    ]


def _reason_sent(detail: RequestDetail, zone: tzinfo) -> list[Content]:
    """A request the user sent: the reason they followed up with, if they did."""
    follow = detail.follow_up
    if follow is None:
        return [Content.styled(_("No follow-up sent."), MUTED)]
    lines = [Content(_("You sent your reason on {at}").format(at=when(follow.sent_at, zone)))]
    if follow.body.strip():
        lines.append(Content.styled(_("What you sent:"), MUTED))
        lines.append(block(follow.body, CONTEXT_CAP).stylize(MUTED))
    return lines


def _follow_up(detail: RequestDetail, now: datetime, zone: tzinfo) -> list[Content]:
    follow = detail.follow_up
    if follow is None:
        return [Content.styled(_("Not asked yet."), MUTED)]
    lines = [Content(_("Asked %(when)s") % {"when": when(follow.sent_at, zone)})]
    if follow.answered_at is not None:
        lines.append(Content(_("Answered %(when)s:") % {"when": when(follow.answered_at, zone)}))
        lines.append(block(follow.answer or _("(empty answer)")))
    elif detail.request.status is Status.ASKED:
        overdue = follow.due_at <= now
        text = _("%(due)s (deadline %(when)s)") % {
            "due": due_text(follow.due_at, now, zone),
            "when": when(follow.due_at, zone),
        }
        lines.append(Content.styled(text, ALERT if overdue else "bold"))
    if follow.body.strip():
        lines.append(Content.styled(_("What you sent:"), MUTED))
        lines.append(block(follow.body, CONTEXT_CAP).stylize(MUTED))
    return lines


def _context(messages: Iterable[sqlite3.Row], zone: tzinfo) -> list[Content]:
    lines: list[Content] = []
    for message in messages:
        at = parse_iso(message["at"])
        stamp = when(at, zone) if at else "?"
        lines.append(
            Content.from_markup(
                "[$text-muted]$at[/] $sender:", at=stamp, sender=clean(message["sender"], 200)
            )
        )
        lines.append(block(message["content"], CONTEXT_CAP))
    return lines


def _event(event: Event, zone: tzinfo) -> Content:
    words = event_word(event.kind.value)
    note = str(event.data.get("note") or event.data.get("answer") or "")
    until = parse_iso(event.data.get("until")) if event.data.get("until") else None
    if until is not None:
        words += " " + _("until %(day)s") % {"day": day(until, zone)}
    line = Content(f"{when(event.at, zone)}  {words}")
    if note:
        line = line + Content(" — ") + plain(note, 500)
    if event.undone:
        line = (line + Content(" " + _("(undone)"))).stylize("strike $text-muted")
    return line


def describe(
    detail: RequestDetail,
    context: Iterable[sqlite3.Row],
    now: datetime,
    zone: tzinfo,
    keys: Mapping[str, str] | None = None,
) -> Content:
    """Everything the profile pane shows about one request, as inert Content."""
    request = detail.request
    sent = request.direction is Direction.OUTGOING
    suggestion = suggest(
        request.flags,
        request.status,
        direction=request.direction,
        kind=request.kind,
        owed=request.owed_at is not None,
        explained=sent and detail.follow_up is not None,
    )
    hint = (keys or {}).get(SUGGESTED_KEYS.get(suggestion.action, ""), "")
    out: list[Content] = [*_who(detail), _status(detail, now, zone)]
    if request.kind is not InvitationKind.PERSON:
        out.append(Content.styled(invitation_words(request.kind), "bold"))
    out += _owed(detail, zone)
    out.append(Content(""))
    out.append(Content.styled(_("Your message") if sent else _("Message"), HEADING))
    if request.message.strip():
        out.append(block(request.message))
    else:
        out.append(Content(_("You sent it without a message.") if sent else _("No message.")))
    out += [Content(""), Content.styled(_("Red flags"), HEADING)]
    out += _flags(request.flags, request.direction)
    out += [Content(""), Content.styled(_("Suggested"), HEADING)]
    press = " " + _("(press %(key)s)") % {"key": hint} if hint else ""
    out.append(Content(suggestion_text(suggestion.why) + press))
    follow_up = _reason_sent(detail, zone) if sent else _follow_up(detail, now, zone)
    out += [Content(""), Content.styled(_("Follow-up"), HEADING), *follow_up]
    out += [Content(""), Content.styled(_("Details"), HEADING), *_person(detail)]
    if request.decision_note.strip():
        note = request.decision_note
        if note == ACCEPTED_ON_PLATFORM:  # netinbox's own note, stored in English
            note = _(note)
        out += [Content(""), labelled(_("Decision note:"), note, 2_000)]
    earlier = _context(context, zone)
    if earlier:
        out += [Content(""), Content.styled(_("Earlier messages"), HEADING), *earlier]
    out += [Content(""), Content.styled(_("Decision log"), HEADING)]
    out += [_event(event, zone) for event in detail.events] or [Content(_("Nothing yet."))]
    out += [Content(""), Content.styled(_(DISCLAIMER), "italic")]
    return Content("\n").join(out)


def _changed_width(old: Strip | None, new: Strip | None, width: int) -> int:
    """The cells from the left that differ between two lines of the pane: up to where
    both end in the same blanks (a name's line after a longer name's: what the longer
    name covered), or the whole line."""
    if old is None or new is None or not old or not new or old.cell_length != new.cell_length:
        return width
    ends, styles = [], []
    for line in (old, new):
        text, last = line.text, next(reversed(line))
        blanks = len(text) - len(text.rstrip(" "))
        if len(last.text) - len(last.text.rstrip(" ")) != blanks:  # blanks of two styles
            return width
        ends.append(line.cell_length - blanks)
        styles.append(last.style)
    if styles[0] != styles[1]:
        return width
    return max(1, min(width, max(ends)))


def _changed_runs(
    before: list[Strip], after: list[Strip], top: int, height: int
) -> Iterator[tuple[int, int]]:
    """The runs of lines (start, stop), counted from the pane's top, whose strips differ
    between `before` and `after` when both are scrolled to `top`."""
    start = None
    for y in range(height):
        index = top + y
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old != new:
            if start is None:
                start = y
        elif start is not None:
            yield start, y
            start = None
    if start is not None:
        yield start, height


class Drawn:
    """A profile wrapped into the pane's lines ahead of time (`ProfilePane.draw`): shown
    while the pane keeps the width and the styles it was drawn for."""

    __slots__ = ("content", "lines", "look")

    def __init__(self, content: Content, lines: list[Strip], look: tuple[int, int]) -> None:
        self.content = content
        self.lines = lines
        self.look = look  # (width, the pane's styles' generation)


class ProfilePane(FramedLines, ScrollView, can_focus=True):
    """Scrolls; shows `describe(...)` of the highlighted request.

    Drawn line by line (Textual's line API) from the text wrapped once per request and
    width: a new request's profile is a repaint of this pane, never a new layout of the
    screen (a column of Statics cost two layouts a step, the dearest part of moving from
    one request to the next at 100,000 requests).
    """

    DEFAULT_CSS = """
    ProfilePane {
        overflow-x: hidden;
    }
    """

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The scrollbar, drawn once per look (`netinbox.tui.scrollbar`)."""
        return private.make_vertical_scrollbar(self, QuickScrollBar)

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.border_title = _("Profile")
        self.content = Content(_(NOTHING_SHOWN))
        """What the pane shows, as inert Content."""
        self._lines: list[Strip] | None = None  # `content` wrapped at `_width`
        self._width = -1
        self._styles_seen = 0  # counts the pane's style changes: lines drawn before are stale

    def render(self) -> Content:
        """The whole text (selecting and copying with the mouse read it here)."""
        return self.content

    def show(self, content: Content | Drawn, *, scroll: bool = True) -> None:
        """Show `content` (or lines drawn for it ahead, `draw`); with `scroll`, from the top
        (a new request, not a refresh).

        Only the lines on screen that differ from what the pane showed are repainted: from
        one request to the next most of the pane (headings, blank lines, the same flags
        and suggestions) stays the same, and every line written costs the terminal."""
        before, width, top = self._lines, self._width, round(self.scroll_y)
        drawn = content if isinstance(content, Drawn) else None
        self.content = drawn.content if drawn is not None else content  # type: ignore[assignment]
        self._lines = None
        if drawn is not None and drawn.look == self._look():
            self._lines = drawn.lines
        if scroll and self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._fit()
        if before is None or not self.is_mounted or round(self.scroll_y) != top:
            self.refresh()
            return
        after = self._wrapped()
        if self._width != width:
            self.refresh()
            return
        height = self.scrollable_content_region.height
        for start, stop in _changed_runs(before, after, top, height):
            for y in range(start, stop):  # each line up to where both end in blanks
                old = before[top + y] if top + y < len(before) else None
                new = after[top + y] if top + y < len(after) else None
                self.refresh(Region(0, y, _changed_width(old, new, width), 1))

    def clear(self) -> None:
        self.show(Content(_(NOTHING_SHOWN)))

    def draw(self, content: Content) -> Drawn | None:
        """`content` wrapped into lines now, to `show` later without wrapping it then (a
        neighbour's profile, drawn while the user reads this one). None before the pane
        has a width."""
        if not self.is_mounted or self._width <= 0:
            return None
        lines = self._wrap(content, self._width)
        self.frame_ahead(lines[: self.scrollable_content_region.height])  # as first shown
        return Drawn(content, lines, self._look())

    def drawn(self) -> Drawn | None:
        """What the pane shows now, as drawn lines (to show it again without wrapping)."""
        if self._lines is None or self._width <= 0:
            return None
        return Drawn(self.content, self._lines, self._look())

    def _look(self) -> tuple[int, int]:
        return self._width, self._styles_seen

    def _wrap(self, content: Content, width: int) -> list[Strip]:
        if width <= 0:
            return []
        strips = Visual.to_strips(self, content, width, None, self.visual_style, pad=True)
        return [compact(strip) for strip in strips]  # fewer style sequences sent

    def _wrapped(self) -> list[Strip]:
        width = self.line_width()
        if self._lines is None or width != self._width:
            self._width = width
            self._lines = self._wrap(self.content, width)
        return self._lines

    def _fit(self) -> None:
        """The scrollable height of the text, without a new layout of the screen (which
        setting `virtual_size` asks for): only this pane and its scrollbar change."""
        if not self.is_mounted:
            return
        size = Size(self.scrollable_content_region.width, len(self._wrapped()))
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            bar = self.vertical_scrollbar
            if isinstance(bar, QuickScrollBar):
                with bar.changed_lines_only():  # (its thumb: a line or two of it change)
                    self._scroll_update(size)
            else:
                self._scroll_update(size)
            if len(self._wrapped()) != size.height:  # a scrollbar came or went: rewrapped
                self._fit()

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def notify_style_update(self) -> None:
        self._lines = None
        self._styles_seen += 1
        super().notify_style_update()

    def selection_updated(self, selection: Selection | None) -> None:
        self._lines = None
        self._styles_seen += 1
        super().selection_updated(selection)

    def render_line(self, y: int) -> Strip:
        lines = self._wrapped()
        index = round(self.scroll_y) + y
        if 0 <= index < len(lines):
            return lines[index]
        return Strip.blank(self.line_width(), self.rich_style)
