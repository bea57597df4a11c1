"""The request list: a virtual list over the store, fetched a page of rows at a time.

A DataTable of 100,000 rows takes half a minute to appear; this list asks the store for
the row count and for the 100-row pages it shows, keeping a few pages in a small LRU
cache, so it opens as fast at 100,000 requests as at 10 (docs/architecture.md,
"From a file to the screen").
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import ClassVar, NamedTuple, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from netinbox.i18n import N_, _, language, pgettext
from netinbox.kinds import Direction, InvitationKind, Status
from netinbox.query import Query, View
from netinbox.readers import Readers, interrupted
from netinbox.rows import RequestRow
from netinbox.tui import textual_private as private
from netinbox.tui.actions import bindings
from netinbox.tui.format import age, due_cell, due_width, late_cell, late_width, wake_cell
from netinbox.tui.framed import FramedLines
from netinbox.tui.messages import MarksChanged, RequestHighlighted
from netinbox.tui.safe import clean
from netinbox.tui.scrollbar import QuickScrollBar
from netinbox.tui.strips import compact
from netinbox.words import PLATFORM_TAGS, platform_label

PAGE_SIZE = 100
CACHED_PAGES = 8
STRIP_CACHE = 2_000  # drawn rows kept: a few views' first pages
LOOKAROUND = 2 * PAGE_SIZE  # how far to look for the next request that needs attention
NEAR_WALK = 2_000
"""Rows an offset page read (or a count of the rows before one) may walk on the UI thread (a few ms). A page further from
both ends of the view, with no neighbour cached to read it from (the scrollbar dragged to
the middle of 100,000), is read in a thread when the list has `readers`, and drawn blank
until it comes: SQLite walks an offset row by row (~200 ms in the middle of 100,000)."""

STATUS_SYMBOLS: dict[Status, str] = {
    Status.NEW: "•",
    Status.ASKED: "…",
    Status.ANSWERED: "↩",
    Status.ACCEPTED: "✓",
    Status.DECLINED: "✗",
    Status.WITHDRAWN: "✗",
    Status.SNOOZED: "z",
    Status.COULD_NOT_ASK: "⊘",
}
OVERDUE_SYMBOL = "!"
FLAG_LETTERS: dict[str, str] = {
    "no_message": "M",
    "placeholder_title": "T",
    "placeholder_company": "C",
    "contacts_hidden": "H",
    "no_mutual": "0",
    "no_answer": "!",
}
MARK = "*"
DUE_TITLES: dict[View, str] = {
    View.AWAITING: N_("Due"),
    View.OVERDUE: N_("Due"),
    View.SNOOZED: N_("Wakes"),
    View.OWED: N_("Asked"),
}
"""The views with a deadline column, and its header: they are sorted by it (I owe an
answer: by how long ago I was asked)."""
LATE: dict[View, bool] = {View.OVERDUE: True, View.AWAITING: False}
"""Deadline views where every answer is late, or none is (`Columns.for_width`)."""
SENT_MARK = "→ "
"""Before the name of a request the user sent: "→ Jonas Weber" (to Jonas)."""
KIND_LABELS: dict[InvitationKind, str] = {
    InvitationKind.PAGE: N_("Page"),
    InvitationKind.NEWSLETTER: N_("Newsletter"),
    InvitationKind.EVENT: N_("Event"),
    InvitationKind.GROUP: N_("Group"),
}
"""Before the headline (or, in a narrow list, the name) of an invitation that is not a
person's contact request."""


def name_cell(row: RequestRow, headline_shown: bool) -> str:
    """The name as the list shows it: "→ " before a request the user sent; the
    invitation's type before it when there is no headline column to show it."""
    name = row.name
    if row.kind is not InvitationKind.PERSON and not headline_shown:
        name = f"{_(KIND_LABELS[row.kind])} · {name}"
    return (SENT_MARK + name) if row.direction is Direction.OUTGOING else name


def headline_cell(row: RequestRow, view: View) -> str:
    """The headline column: the question I owe an answer to (in that view), the
    invitation's type before the headline, or the headline."""
    if view is View.OWED and row.owed_question:
        return "“" + " ".join(row.owed_question.split()) + "”"
    if row.kind is not InvitationKind.PERSON:
        label = _(KIND_LABELS[row.kind])
        return f"{label}: {row.headline}" if row.headline.strip() else label
    return row.headline


def needs_attention(row: RequestRow) -> bool:
    """Something the user should do now: ask, read an answer, decide, or decline the silent."""
    if row.status in (Status.NEW, Status.ANSWERED, Status.COULD_NOT_ASK):
        return True
    return row.status is Status.ASKED and "no_answer" in row.flags


def fit(text: str, width: int) -> str:
    """Text cut or padded to exactly `width` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class RowSource(Protocol):
    """What the list needs from the store."""

    def count(self, query: Query) -> int: ...

    def rows(
        self,
        query: Query,
        offset: int = 0,
        limit: int = 100,
        *,
        after: int | None = None,
        before: int | None = None,
        total: int | None = None,
    ) -> list[RequestRow]: ...


def flag_marks(flags: Iterable[str]) -> str:
    """The flags as letters in fixed slots (FLAG_LETTERS order), a space for each absent one,
    so every flag keeps its own column down the list."""
    present = set(flags)
    return "".join(letter if flag in present else " " for flag, letter in FLAG_LETTERS.items())


FLAG_SLOTS = len(FLAG_LETTERS)


class Columns(NamedTuple):
    """Cell widths of one layout; `headline` is 0 when there is no room for it.

    A row is: mark, status, then name, headline, network, age, the deadline (`due`, in
    the views that have one) and flags, each after `gap` spaces (one space after the
    status), and `end` spaces before the edge. A narrow list shows the deadline in the
    age's place: in those views it is what the user sorts and acts by.
    """

    name: int
    headline: int
    platform: int
    gap: int = 2
    end: int = 1
    age: int = 3
    due: int = 0
    flags: int = FLAG_SLOTS
    asked: bool = False
    """I owe an answer: the deadline column says how long ago the user was asked."""
    late: bool = False
    """Narrow Overdue: the deadline column says how late, under "Late"."""

    @property
    def short_platform(self) -> bool:
        return self.platform < 8

    @property
    def short_due(self) -> bool:
        """The deadline in its short words ("2d late"), in the age's place."""
        return 0 < self.due <= due_width(short=True)

    @classmethod
    def for_width(
        cls,
        width: int,
        *,
        due: bool = False,
        asked: bool = False,
        late: bool | None = None,
        header: str = "",
    ) -> Columns:
        """The layout of a list `width` cells wide; `due`: with a deadline column (`header`
        over it); `asked`: I owe an answer's, when the user was asked (every row is the
        user's own request); `late`: every answer is late (Overdue), or none is
        (Awaiting answer), or either (None).

        A wide list gives the name as many cells in every view (the headline gives way
        to a deadline); a narrow one shows the deadline in the age's place, in its
        shortest words ("in 3d"; Overdue: "3d" under "Late"), and leaves out the flag
        `!` where every row has it or none does (the status column says it): the name
        keeps the room a person is recognised by."""
        wide = width >= 60
        gap, end, platform = (2, 1, 8) if wide else (1, 0, 3)
        # A header longer than its cells widens its column (German "Netz" over "LI").
        if not wide:
            platform = max(platform, cell_len(pgettext("column", "Net")))
        age = max(3, cell_len(pgettext("column", "Age")))
        flags = FLAG_SLOTS
        if asked:
            due_cells = asked_width(short=not wide)
            if not wide:
                # The question's age in the request's age's place, and only the one flag
                # a request the user sent can have: the name keeps the room it has in New.
                age, flags = 0, max(1, cell_len(pgettext("column", "Flag")))
        elif due and not wide and late:
            due_cells = late_width()
        else:
            due_cells = max(due_width(short=not wide), cell_len(header)) if due else 0
        if due and not asked and not wide and late is not None:
            flags = FLAG_SLOTS - 1  # `!` (no answer): in every row of Overdue, in none of Awaiting
        fixed = 2 + 1 + (gap + platform) + (gap + age if age else 0) + (gap + flags) + end
        plain = fixed  # without the deadline: the name's room in a wide list
        fixed += gap + due_cells if due_cells else 0
        if due and not asked and not wide and width - fixed < NARROW_NAME:
            age, fixed = 0, fixed - gap - age  # the deadline before the age
        rest = max(width - fixed, 4)
        sizes = {"platform": platform, "gap": gap, "end": end, "age": age, "due": due_cells}
        late_cells = bool(due and not wide and late)
        if rest < 36:  # no room for a useful headline: the whole name instead
            return cls(name=rest, headline=0, flags=flags, asked=asked, late=late_cells, **sizes)
        name = min(28, max(18, int((width - plain) * 0.4)))
        return cls(
            name=name, headline=rest - name - gap, flags=flags, asked=asked, late=late_cells,
            **sizes,
        )  # fmt: skip


def asked_width(*, short: bool) -> int:
    """I owe an answer's column: how long ago the user was asked ("12w ago"; in a narrow
    list the age alone, "12w"), or its header if that is wider."""
    if short:
        return max(3, cell_len(pgettext("column", "Asked")))
    return max(cell_len(_("{age} ago").format(age="12w")), cell_len(_("Asked")))


NARROW_NAME = 20
"""A narrow list with a deadline shows the age too while the name keeps this many cells."""


class RequestList(FramedLines, ScrollView, can_focus=True):
    """The requests of one view and search, newest first; `space` marks rows.

    | key | action |
    |---|---|
    | `j`/`down`, `k`/`up` | next / previous request |
    | `g`/`home`, `G`/`end` | first / last request |
    | `pagedown`, `pageup` | a screen down / up |
    | `space` | mark or unmark the request, then go to the next |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("list")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "request-list--header",
        "request-list--cursor",
        "request-list--marked",
        "request-list--flags",
        "request-list--decided",
        "request-list--overdue",
        "request-list--empty",
    }

    DEFAULT_CSS = """
    RequestList {
        overflow-x: hidden;
        & > .request-list--header { color: $text-muted; text-style: bold; }
        & > .request-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .request-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .request-list--marked { color: $accent; text-style: bold; }
        & > .request-list--flags { color: $text-error; }
        & > .request-list--decided { color: $text-muted; }
        & > .request-list--overdue { color: $error; text-style: bold; }
        & > .request-list--empty { color: $text-muted; }
    }
    """

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The scrollbar, drawn once per look (`netinbox.tui.scrollbar`)."""
        return private.make_vertical_scrollbar(self, QuickScrollBar)

    def __init__(
        self,
        source: RowSource,
        query: Query | None = None,
        *,
        now: Callable[[], datetime],
        zone: tzinfo = UTC,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = source
        self._now = now
        self._zone = zone
        self._query = query or Query()
        self._pages: LRUCache[int, list[RequestRow]] = LRUCache(CACHED_PAGES)
        self._count = 0
        self.provisional = False
        """The size is the first page's until the view is counted (the screen says so)."""
        self._last_when_counted = False  # `G` pressed before the count: the last row then
        self._announced: int | None = -1
        self._styles: dict[str, Style] = {}  # the widget's and components' styles, and
        self._inks: dict[str, Style] = {}  # their colours alone: both until the CSS changes
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(STRIP_CACHE)  # drawn rows
        self._layouts: dict[tuple[int, View, str], Columns] = {}  # by width, view, language
        self._headers: dict[tuple[object, ...], Strip] = {}  # the header line, by the same
        self.cursor = 0
        """Index of the highlighted row in the current view."""
        self.empty_text = _("Nothing here.")
        """What an empty list says (the screen sets it: what the view holds, how to fill
        it); paragraphs on lines of their own, wrapped to the width."""
        self._empty_lines: tuple[int, str, list[str]] = (0, "", [])
        self.marked: set[int] = set()
        """Ids of the rows marked with space."""
        self.readers: Readers | None = None
        """Connections for reading far pages in a thread (`NEAR_WALK`); none: read here."""
        self._far: dict[int, int] = {}  # far pages being read in a thread → their reading
        self._reading = 0  # bumped whenever the pages are dropped: older reads are stale
        self.on_cursor_moved: Callable[[int | None], None] | None = None
        """Called as a key or click moves the cursor to another request, before this list
        is painted: the screen shows that request's profile in the same frame (the
        `RequestHighlighted` message, posted too, arrives after the frame)."""

    # --- data -----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def row(self, index: int, *, wait: bool = True) -> RequestRow | None:
        """The row at `index`, from the page cache or one page query. Without `wait`,
        a far page is read in a thread (None until it comes: `NEAR_WALK`)."""
        if not 0 <= index < self._count:
            return None
        number, offset = divmod(index, PAGE_SIZE)
        page = self._page(number, wait=wait)
        return page[offset] if page is not None and offset < len(page) else None

    def _page(self, number: int, *, wait: bool = True) -> list[RequestRow] | None:
        page = self._pages.get(number)
        if page is None:
            # From a neighbour's edge row when one is cached (scrolling, holding a key):
            # as cheap deep in 1,000,000 requests as at the top. Else by offset, counted
            # from the nearer end (`G`, a jump); far from both ends, in a thread.
            before, after = self._pages.get(number - 1), self._pages.get(number + 1)
            if number > 0 and before is not None and len(before) == PAGE_SIZE:
                page = self._source.rows(self._query, limit=PAGE_SIZE, after=before[-1].id)
            elif after:
                page = self._source.rows(self._query, limit=PAGE_SIZE, before=after[0].id)
            else:
                offset = number * PAGE_SIZE
                walk = min(offset, self._count - offset)
                if not wait and walk > NEAR_WALK and self.readers is not None:
                    self._read_far(number)
                    return None
                page = self._source.rows(self._query, offset, PAGE_SIZE, total=self._count)
            self._keep(number, page)
        return page

    def _keep(self, number: int, page: list[RequestRow]) -> None:
        self._pages[number] = page  # the least recently used page makes room
        self._stop_far(number)

    def _read_far(self, number: int) -> None:
        """Read page `number` in a thread; pages no longer on screen stop being read."""
        if self._far.get(number) == self._reading:
            return
        top = round(self.scroll_y)
        shown = range(top // PAGE_SIZE, (top + self._visible_rows) // PAGE_SIZE + 1)
        for other in [n for n in self._far if n not in shown]:
            self._stop_far(other)
        self._far[number] = self._reading
        self.run_worker(
            lambda: self._far_page(number, self._query, self._count, self._reading),
            thread=True,
            group="far-pages",
            exit_on_error=False,
        )

    def _stop_far(self, number: int) -> None:
        if self._far.pop(number, None) is not None and self.readers is not None:
            self.readers.interrupt(f"page {number}")

    def _stop_all_far(self) -> None:
        self._reading += 1
        for number in list(self._far):
            self._stop_far(number)

    def _far_page(self, number: int, query: Query, total: int, reading: int) -> None:
        assert self.readers is not None
        try:
            with self.readers.borrow(f"page {number}") as reader:
                page = reader.rows(query, number * PAGE_SIZE, PAGE_SIZE, total=total)
        except sqlite3.OperationalError as error:
            if interrupted(error):
                return  # scrolled on, or the view changed: not needed any more
            raise
        self.app.call_from_thread(self._far_read, number, reading, page)

    def _far_read(self, number: int, reading: int, page: list[RequestRow]) -> None:
        if reading != self._reading or self._far.get(number) != reading:
            return  # the view, its rows or the scroll moved on: a newer read is due
        self._keep(number, page)
        self.refresh()

    def _rows_from(self, start: int, stop: int) -> Iterator[tuple[int, RequestRow]]:
        for index in range(max(start, 0), min(stop, self._count)):
            row = self.row(index)
            if row is not None:
                yield index, row

    @property
    def current_row(self) -> RequestRow | None:
        return self.row(self.cursor)

    @property
    def current_id(self) -> int | None:
        row = self.current_row
        return row.id if row is not None else None

    def reload(
        self,
        query: Query | None = None,
        *,
        keep_id: int | None = None,
        advance: bool = False,
        count: int | None = None,
        first_page: list[RequestRow] | None = None,
        near: int | None = None,
        page: tuple[int, list[RequestRow]] | None = None,
    ) -> None:
        """Read the view again, keeping the cursor on the same request where it can.

        `keep_id` is the request to stay on (default: the current one). With `advance`,
        the cursor moves on to the next request that needs attention (after a decision).
        A request that left the view leaves the cursor on the row that took its place.
        `count` and `first_page`, when a worker has read them already, save the queries;
        `near` is where to look for `keep_id` when the caller knows (default: the cursor),
        and `page` (its number, its rows) the page there when a worker read it.
        """
        target = keep_id if keep_id is not None else self.current_id
        new_view = query is not None and query != self._query
        if new_view:
            self._query = query  # type: ignore[assignment]
            self.cursor = 0  # a new view or search starts at the top, unless target is in it
        self._pages.clear()
        self._stop_all_far()
        self._last_when_counted = False
        self._count = self._source.count(self._query) if count is None else count
        if first_page is not None:
            self._pages[0] = first_page
        if page is not None:
            self._pages[page[0]] = page[1]
        index = min(self.cursor if near is None else near, max(self._count - 1, 0))
        # In a new view only its first page is searched: one query, not three, per switch.
        found = self._find(target, index, only_page=new_view) if target is not None else None
        if found is not None:
            index = found
        if advance:
            start = index + 1 if found is not None else index
            index = next(
                (
                    i
                    for i, row in self._rows_from(start, start + LOOKAROUND)
                    if needs_attention(row)
                ),
                min(start, max(self._count - 1, 0)),
            )
        self._set_height(self._count + 1)
        self.cursor = index
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def resize(self, count: int) -> None:
        """The view's exact size, once counted (in a thread: the first page, or the rows
        after a change, came before it). The cursor stays on its request where it can."""
        if count != self._count:
            self._count = count
            first = self._pages.get(0)
            self._pages.clear()
            if first is not None:
                self._pages[0] = first
            self._stop_all_far()
            self._set_height(count + 1)
            if self.cursor >= count:
                self.cursor = max(count - 1, 0)
                self._scroll_to_cursor()
            self.refresh()  # the rows past the first page
        self.provisional = False
        if self._last_when_counted:  # `G` came before the count: the last row is known now
            self._move(count - 1)
            return
        self._announce()

    def _set_height(self, lines: int) -> None:
        """The scrollable height, without a new layout of the whole screen (which setting
        `virtual_size` asks for): only this list and its scrollbar change. (The scrollbar
        is always shown, `app.tcss`: one that came or went would lay out the screen.)"""
        size = Size(0, lines)
        if size != self.virtual_size:
            self.set_reactive(RequestList.virtual_size, size)
            private.update_scrollbars(self, size)

    def _find(self, request_id: int, near: int, *, only_page: bool = False) -> int | None:
        """Where `request_id` is now: on the page of `near`, else the page before or after."""
        number = near // PAGE_SIZE
        for candidate in (number,) if only_page else (number, number - 1, number + 1):
            if 0 <= candidate * PAGE_SIZE < self._count:
                for offset, row in enumerate(self._page(candidate) or ()):
                    if row.id == request_id:
                        return candidate * PAGE_SIZE + offset
        return None

    # --- marks ----------------------------------------------------------------------------

    def clear_marks(self) -> None:
        if not self.marked:
            return  # nothing to repaint or say (a view's key clears the marks first)
        self.marked.clear()
        self.refresh()
        self.post_message(MarksChanged(0))

    def action_toggle_mark(self) -> None:
        request_id = self.current_id
        if request_id is None:
            return
        self.marked.symmetric_difference_update({request_id})
        self.post_message(MarksChanged(len(self.marked)))
        self._move(self.cursor + 1)
        self.refresh()

    # --- moving ---------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _move(self, index: int) -> None:
        self._last_when_counted = False
        before, top = self.cursor, round(self.scroll_y)
        self.cursor = max(0, min(index, self._count - 1))
        self._scroll_to_cursor()
        if round(self.scroll_y) == top:
            # Only the two rows the cursor left and reached change: a full repaint per key
            # is what made holding `j` stutter at 100,000 requests.
            self._refresh_row(before, top)
            self._refresh_row(self.cursor, top)
        else:
            self.refresh()
        self._announce(moved=True)

    def _refresh_row(self, index: int, top: int) -> None:
        line = index - top + 1  # line 0 is the header
        if 0 < line <= self._visible_rows:
            self.refresh(Region(0, line, self.scrollable_content_region.width, 1))

    def _top_showing(self, index: int) -> int:
        """The first row shown once row `index` is scrolled into view (the least scroll)."""
        top, height = round(self.scroll_y), self._visible_rows
        if index < top:
            return index
        if index >= top + height:
            return index - height + 1
        return top

    def _scroll_to_cursor(self) -> None:
        top = self._top_showing(self.cursor)
        if max(top, 0) != round(self.scroll_y):  # a no-op scroll still repaints the bar
            bar = self.vertical_scrollbar
            if isinstance(bar, QuickScrollBar):
                with bar.changed_lines_only():  # (its thumb: a few lines of the bar change)
                    self.scroll_to(y=max(top, 0), animate=False, immediate=True, force=True)
            else:
                self.scroll_to(y=max(top, 0), animate=False, immediate=True, force=True)

    def _announce(self, *, moved: bool = False) -> None:
        request_id = self.current_id
        if request_id != self._announced:
            self._announced = request_id
            shown = moved and self.on_cursor_moved is not None
            if shown:
                self.on_cursor_moved(request_id)  # type: ignore[misc]
            self.post_message(RequestHighlighted(request_id, shown=shown))

    def one_key_away(self) -> list[int]:
        """The rows one key moves the cursor to from here, the likeliest first: the next,
        a page down, the one before (after `j`, the row just left), a page up (each once,
        in the view)."""
        last = self._count - 1
        page = self._visible_rows
        wanted = (self.cursor + 1, min(self.cursor + page, last), self.cursor - 1,
                  max(self.cursor - page, 0))  # fmt: skip
        rows = [i for i in dict.fromkeys(wanted) if 0 <= i <= last and i != self.cursor]
        return rows

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self._count - 1)
        # Pressed while only the first page is known (just after start): the last row is
        # the view's, so go there when the count comes.
        self._last_when_counted = self.provisional

    def action_page_down(self) -> None:
        self._move(self.cursor + self._visible_rows)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._visible_rows)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index < self._count:
            self.focus()
            self._move(index)

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    # --- rendering ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._inks.clear()
        self._strips.clear()
        self._headers.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.line_width()
        base = self._style("")
        if y == 0:
            return self._header(width, base)
        index = round(self.scroll_y) + y - 1
        if self._count == 0:
            lines = self._wrapped_empty_text(width)
            if y - 1 < len(lines):
                style = base + self._ink("request-list--empty")
                return Strip([Segment(fit(lines[y - 1], width), style)], width)
        row = self.row(index, wait=False)
        if row is None:
            return Strip.blank(width, base)
        return self._row_strip(row, index, width, base)

    def show_empty_text(self, text: str) -> None:
        """Say `text` while the list is empty."""
        if text != self.empty_text:
            self.empty_text = text
            if self._count == 0:
                self.refresh()

    def _wrapped_empty_text(self, width: int) -> list[str]:
        cached_width, cached_text, lines = self._empty_lines
        if (cached_width, cached_text) != (width, self.empty_text):
            lines = []
            for paragraph in self.empty_text.split("\n"):
                wrapped = textwrap.wrap(paragraph, max(width - 2, 10))
                lines += [" " + line for line in wrapped] or [""]
            self._empty_lines = (width, self.empty_text, lines)
        return lines

    def _style(self, component: str) -> Style:
        """The widget's style (for "") or a component's, cached: both walk the DOM."""
        style = self._styles.get(component)
        if style is None:
            style = self.get_component_rich_style(component) if component else self.rich_style
            self._styles[component] = style
        return style

    def _ink(self, component: str) -> Style:
        """A component's colour and text style only, to lay over a row (cursor included)."""
        style = self._inks.get(component)
        if style is None:
            full = self._style(component)
            style = Style(color=full.color, bold=full.bold, dim=full.dim, italic=full.italic)
            self._inks[component] = style
        return style

    def _columns(self, width: int) -> Columns:
        view = self._query.view
        key = (width, view, language())  # (asked for every row drawn: kept)
        cols = self._layouts.get(key)
        if cols is None:
            cols = Columns.for_width(
                width,
                due=view in DUE_TITLES,
                asked=view is View.OWED,
                late=LATE.get(view),
                header=_(DUE_TITLES[view]) if view in DUE_TITLES else "",
            )
            self._layouts[key] = cols
        return cols

    def _header(self, width: int, base: Style) -> Strip:
        key = (width, base, self._query.view, language())
        kept = self._headers.get(key)
        if kept is None:  # (the same line, framed once: `netinbox.tui.framed`)
            kept = self._headers[key] = self._draw_header(width, base)
        return kept

    def _draw_header(self, width: int, base: Style) -> Strip:
        cols = self._columns(width)
        style = base + self._ink("request-list--header")
        platform = pgettext("column", "Net") if cols.short_platform else _("Network")
        due = _(DUE_TITLES[self._query.view]) if self._query.view in DUE_TITLES else ""
        if cols.asked and not cols.age:  # narrow: "Asked" over the question's age
            due = pgettext("column", "Asked")
        elif cols.late:  # narrow Overdue: how late, under "Late"
            due = pgettext("column", "Late")
        cells = self._cells(
            cols,
            "",
            "",
            pgettext("column", "Name"),
            pgettext("column", "Headline"),
            platform,
            pgettext("column", "Age"),
            due,
            pgettext("column", "Flags")
            if cols.flags >= FLAG_SLOTS - 1
            else pgettext("column", "Flag"),
        )
        return self._strip([(text, style) for text in cells], width, style)

    @staticmethod
    def _cells(
        cols: Columns,
        mark: str,
        status: str,
        name: str,
        headline: str,
        platform: str,
        age: str,
        due: str,
        flags: str,
    ) -> list[str]:
        """The texts of one line, each cut or padded to its column, gaps included."""
        gap = " " * cols.gap
        cells = [fit(mark, 1), fit(status, 1), " " + fit(name, cols.name)]
        if cols.headline:
            cells.append(gap + fit(headline, cols.headline))
        cells.append(gap + fit(platform, cols.platform))
        if cols.age:
            cells.append(gap + fit(age.rjust(cols.age), cols.age))
        if cols.due:
            cells.append(gap + fit(due, cols.due))
        cells += [gap, fit(flags, cols.flags)]
        return cells

    @staticmethod
    def _strip(parts: list[tuple[str, Style]], width: int, fill: Style) -> Strip:
        """One line of exactly `width` cells; the fill (cursor and all) reaches the edge."""
        segments = [Segment(text, style) for text, style in parts if text]
        used = sum(cell_len(segment.text) for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), fill))
        return compact(Strip(segments).crop(0, width))  # fewer style sequences sent

    def draw_ahead(self, index: int) -> bool:
        """Draw and frame now the rows the list shows once the cursor is on `index` (a
        page down: a page of new rows, drawn while the user reads this one). False when
        there was nothing to draw: every row drawn already, or not read yet."""
        height, top = self._visible_rows, self._top_showing(index)
        width, base = self.line_width(), self._style("")
        lines = []
        for shown in range(max(top, 0), min(top + height, self._count)):
            row = self.row(shown, wait=False)
            if row is None:
                return False
            lines.append(self._row_strip(row, shown, width, base, cursor=index))
        return self.frame_ahead(lines)

    def _row_strip(
        self, row: RequestRow, index: int, width: int, base: Style, *, cursor: int | None = None
    ) -> Strip:
        # The same row looks the same until it, its place under the cursor, its mark, the
        # width, its age or the styles change: switching back and forth between views and
        # paging redraw from this cache (it is emptied with the styles).
        marked = row.id in self.marked
        now = self._now()
        when = age(row.received_at, now)
        cols = self._columns(width)
        due = self._due(row, now, cols)
        owed = self._query.view is View.OWED  # the question in the headline's place
        on_cursor = index == (self.cursor if cursor is None else cursor)
        key = (row, on_cursor, marked, width, cols, when, due, base, owed)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw_row(row, on_cursor, marked, when, due, cols, base)
            self._strips[key] = strip
        return strip

    def _due(self, row: RequestRow, now: datetime, cols: Columns) -> str:
        """The deadline cell: when the answer is due, or when a snoozed request wakes."""
        if not cols.due:
            return ""
        if row.status is Status.SNOOZED:
            if row.snoozed_until is None:
                return ""
            return wake_cell(row.snoozed_until, now, self._zone, short=cols.short_due)
        if row.status is Status.ASKED and row.due_at is not None:
            if cols.late:
                return late_cell(row.due_at, now, self._zone)
            return due_cell(row.due_at, now, self._zone, short=cols.short_due)
        if row.owed_at is not None and cols.asked:
            if not cols.age:  # narrow: the question's age, in the age's place
                return age(row.owed_at, now).rjust(cols.due)
            return _("{age} ago").format(age=age(row.owed_at, now))
        return ""

    def _draw_row(
        self,
        row: RequestRow,
        cursor: bool,
        marked: bool,
        when: str,
        due: str,
        cols: Columns,
        base: Style,
    ) -> Strip:
        width = self.line_width()
        style = base
        if row.status.is_decided:
            style += self._ink("request-list--decided")
        if marked:
            style += self._ink("request-list--marked")
        overdue = row.status is Status.ASKED and "no_answer" in row.flags
        if cursor:
            # Red on the cursor's blue is unreadable: the cursor's own colours, in bold.
            style += self._style("request-list--cursor")
            symbol_style = flag_style = style + Style(bold=True)
        else:
            flag_style = style + self._ink("request-list--flags")
            symbol_style = style + self._ink("request-list--overdue") if overdue else style
        symbol = OVERDUE_SYMBOL if overdue else STATUS_SYMBOLS.get(row.status, "?")
        long, short = platform_label(row.platform), PLATFORM_TAGS.get(row.platform, "--")
        cells = self._cells(
            cols,
            MARK if marked else " ",
            symbol,
            clean(name_cell(row, bool(cols.headline)), cols.name + 1),
            clean(headline_cell(row, self._query.view), cols.headline + 1) if cols.headline else "",
            short if cols.short_platform else long,
            when,
            due,
            flag_marks(row.flags)[: cols.flags],  # narrow I owe an answer: its one flag
        )
        styles = [style] * len(cells)
        styles[1], styles[-1] = symbol_style, flag_style
        if overdue and cols.due and not cursor:
            styles[-3] = symbol_style  # the deadline, in the overdue colour
        return self._strip(list(zip(cells, styles, strict=True)), width, style)
