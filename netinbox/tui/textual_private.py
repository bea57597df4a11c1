"""Every use of Textual's private API, each in one function that says why.

Textual (8.2) keeps these underscored: a minor release may rename or change them. They
are reached only from here, never with a silent default (`getattr(…, "_keymap", {})`
would fall back to the default keys without a word), and
`tests/tui/test_textual_private.py` runs each against the installed Textual, so a change
there fails loudly in the suite instead of quietly in the app. Two private hooks are
overridden where they belong, and tested here too: the app's `_fatal_error` (it calls
`report_crash_without_locals`) and the search box's `_on_key` (a key typed before the
focus left the box goes where the focus is now). The main screen's compositor is a
subclass of Textual's private one (`paint_changes_only`): a frame after a key renders
and writes what changed, not every widget behind it; a whole frame renders only the
widgets in front; and a frame writes each style's codes once while it lasts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, cast

from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._compositor import Compositor, CompositorUpdate
from textual.app import App
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.keys import _character_to_key, _normalize_key_list
from textual.message import Message
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.strip import SGR_STYLES, Strip
from textual.widget import Widget


def report_crash_without_locals(app: App[Any]) -> None:
    """What Textual 8's `App._fatal_error` does, but for `show_locals`: ring, keep the
    traceback to print on exit (`_exit_renderables`), close the app's message queues
    (`_close_messages_no_wait`). The local variables it would list hold the names and
    messages of the requests on screen (`tests/reliability/test_e_privacy.py`)."""
    import rich
    from rich.segment import Segments
    from rich.traceback import Traceback

    app.bell()
    report = Traceback(show_locals=False, width=None, suppress=[rich])
    app._exit_renderables.append(Segments(app.console.render(report, app.console.options)))
    app._close_messages_no_wait()


def keymap(app: App[Any]) -> Mapping[str, str]:
    """The keymap the app's bindings follow now (`App.set_keymap` keeps it private as
    `_keymap`, already normalised): binding id → keys."""
    return app._keymap


def node_bindings(node: DOMNode) -> BindingsMap:
    """A node's own bindings as Textual uses them (`_bindings`: the class's BINDINGS with
    the keymap applied). Changing one changes what the footer shows: Textual has no public
    way to show or hide a binding after the class is made."""
    return node._bindings


def escape_digits_as_typed() -> None:
    """Escape and a digit (also `-`, `=`, `§`) typed quickly are read as those two keys,
    as escape and a letter are (an alt key the app splits again, `NetInboxApp.on_event`).
    Textual reads them as the characters macOS's option key makes (escape, 4 → `¢`: its
    `ANSI_SEQUENCES_KEYS` maps them), so "esc, then 4" — leave the search, show
    Overdue — did nothing. Only the escaped sequences go: a `£` or `§` typed on a British
    or German keyboard comes as itself and stays. Idempotent."""
    table = cast("dict[str, object]", ANSI_SEQUENCES_KEYS)  # a dict, typed as a Mapping
    for sequence, value in list(table.items()):
        if len(sequence) == 2 and sequence[0] == "\x1b" and isinstance(value, str):
            del table[sequence]


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Resize a widget's scrollbars to a new virtual size without laying out the screen
    (`_scroll_update`, what setting `virtual_size` runs besides a full layout)."""
    widget._scroll_update(virtual_size)


def is_stopped(message: Message) -> bool:
    """Whether a handler stopped the message (`stop()` sets `_stop_propagation`; there
    is no public getter): a key typed into a box never comes back up to the app."""
    return bool(message._stop_propagation)


def key_of_character(character: str) -> str:
    """Textual's key name for one character ("/" → "slash"), as bindings name keys."""
    return _character_to_key(character)


def normalized_keys(keys: str) -> str:
    """A comma-separated key list with characters named as Textual names them
    ("?,f1" → "question_mark,f1"): what the keymap and the bindings map compare."""
    return _normalize_key_list(keys)


def make_vertical_scrollbar(widget: Widget, kind: type[ScrollBar]) -> ScrollBar:
    """The widget's vertical scrollbar, made of `kind` the first time it is asked for:
    what `Widget.vertical_scrollbar` does with `ScrollBar` (`_vertical_scrollbar`, and
    `App._start_widget` to mount it beside the widget's children)."""
    bar = widget._vertical_scrollbar
    if bar is None:
        bar = kind(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
        widget._vertical_scrollbar = bar
        bar.display = False
        widget.app._start_widget(widget, bar)
    return bar


class _SpansUpdate(CompositorUpdate):
    """The cells of a partial update, each piece written where it goes: per line, the
    widgets' pieces of the spans that changed, nothing outside them (Textual's
    `ChopsUpdate` writes a piece from the start of its widget's chop, the border and
    padding before the span too, and moves the cursor for pieces it then leaves empty).
    A widget's line goes whole (within a span) and the widgets in front of it follow:
    a list row is one piece with its scrollbar's cell after it, not three cut pieces."""

    def __init__(self, lines: list[tuple[int, list[tuple[int, Strip]]]]) -> None:
        self.lines = lines  # (y, [(x, strip)]) by y, each line's pieces back to front

    def render_segments(self, console: Console) -> str:
        parts: list[str] = [RESET]  # what the terminal had in effect is not known here
        append = parts.append
        color_system = console._color_system or ColorSystem.TRUECOLOR
        styles = _STYLES.setdefault(color_system, {})
        if len(styles) > _KEEP or len(_CHANGES) > _KEEP:  # (a style may carry a cell's meta)
            styles.clear()
            _CHANGES.clear()
        changes = _CHANGES
        current: _Sgr | None = None  # in effect now; None: no style (after a reset)
        for y, pieces in self.lines:
            for x, strip in pieces:
                append(f"\x1b[{y + 1};{x + 1}H")  # (Control.move_to's sequence)
                for text, style, control in strip:
                    if control:
                        continue
                    if style is None:
                        wanted = None
                    else:
                        try:
                            wanted = styles[style]
                        except KeyError:
                            wanted = styles[style] = _sgr(style, color_system)
                        if wanted is not None and wanted.link:  # Textual's way, reset after
                            if current is not None:
                                append(RESET)
                                current = None
                            append(Strip.render_style(style, text, color_system))
                            continue
                    if wanted is not current:
                        try:
                            append(changes[current, wanted])
                        except KeyError:
                            append(changes.setdefault((current, wanted), _change(current, wanted)))
                        current = wanted
                    append(text)
        if current is not None:
            append(RESET)
        return "".join(parts)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        move_to = Control.move_to
        for y, pieces in self.lines:
            for x, strip in pieces:
                yield move_to(x, y).segment
                yield from strip


class _WholeUpdate(_SpansUpdate):
    """A whole-screen frame: written to the terminal as spans, printed (`console.print`:
    `App.export_screenshot`, an SVG) as Textual prints its own, line after line."""

    def __init__(
        self, lines: list[tuple[int, list[tuple[int, Strip]]]], compositor: Compositor
    ) -> None:
        super().__init__(lines)
        self.compositor = compositor

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        new_line = Segment.line()
        for index, strip in enumerate(self.compositor.render_strips()):
            if index:
                yield new_line
            yield from strip


class _PartialCompositor(Compositor):
    """Textual's compositor, but a partial update (a frame after a key) renders only what
    the changed spans show. Textual's renders every widget whose clip meets the box around
    all changed regions (the screen, its containers, the list beside a changed profile:
    ~8 widgets a frame), all their lines, and cuts each of their lines that the box
    crosses at every widget edge (~170 strips a frame after ↓); then writes a few of them.
    Here each line's changed spans pick the pieces (Textual's chops: between two widget
    edges) they cross, each piece belongs to the frontmost widget that covers it (as
    Textual's: the first in `visible_widgets`), and a widget renders only the lines where
    it shows such a piece; its line is written uncut (its drawn text kept, as a row framed
    ahead is), the widgets in front over it. What reaches the terminal is each span's cells, as Textual's
    full render would paint them (`tests/tui/test_partial_frames.py` holds that)."""

    GAP = 4
    """Lines of a widget rendered in one call when no more than this many unneeded lines
    lie between them (a call costs about what a few cached lines do)."""

    whole_frames = 0
    """Whole-screen frames rendered so far."""

    _covered_of: object = None
    _covered: frozenset[Widget] = frozenset()

    def update_widgets(self, widgets: set[Widget]) -> None:
        """Textual's, but a container that the widgets in front of it cover whole (the
        panes' containers) repaints nothing: none of its cells shows. (Its repaint wrote
        every pane in it again: a whole screen after the first frame, for nothing.) The
        screen's own repaint stays whole: it is how Textual writes the terminal again
        (`App.refresh`, after ctrl+z)."""
        covered = self._covered_containers() & widgets
        if covered:
            for widget in covered:
                widget._exchange_repaint_regions()  # shown by the widgets in front
            widgets = widgets - covered
        super().update_widgets(widgets)

    def _covered_containers(self) -> frozenset[Widget]:
        visible = self.visible_widgets  # a new mapping after each layout
        if self._covered_of is not visible:
            self._covered_of = visible
            self._covered = frozenset(_covered_containers(visible, self.root))
        return self._covered

    def render_full_update(self, simplify: bool = False) -> CompositorUpdate:  # type: ignore[override]
        """The whole screen, each cell by the frontmost widget that shows it: as Textual's
        full update paints it, but a widget hidden behind others (the screen and the
        containers, behind the panes) renders nothing, and no line is cut at every widget
        edge and joined again. (An export, `simplify`, stays Textual's.)"""
        if simplify:
            return super().render_full_update(simplify=True)
        self.whole_frames += 1
        self._dirty_regions.clear()
        update = self._spans_update({self.size.region})
        return _WholeUpdate(update.lines if update else [], self)

    def render_partial_update(self) -> CompositorUpdate | None:  # type: ignore[override]
        regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        return self._spans_update(regions)

    def _spans_update(self, regions: set[Region]) -> _SpansUpdate | None:
        if not regions:
            return None
        width, height = self.size
        cuts = self.cuts
        # y → its spans, and the pieces (chop start → end) they cross, not yet painted
        spans: dict[int, list[tuple[int, int]]] = {}
        wanted: dict[int, dict[int, int]] = {}
        for y, x1, x2 in self._regions_to_spans(regions):
            x1, x2 = max(x1, 0), min(x2, width)
            if not (0 <= y < height) or x1 >= x2:
                continue
            spans.setdefault(y, []).append((x1, x2))
            line_cuts = cuts[y]
            line = wanted.setdefault(y, {})
            index = bisect_right(line_cuts, x1) - 1
            last = len(line_cuts) - 1
            while index < last and line_cuts[index] < x2:
                line[line_cuts[index]] = line_cuts[index + 1]
                index += 1
        pieces: dict[int, list[tuple[int, int, Strip]]] = {y: [] for y in spans}
        intersection = Region.intersection
        gap = self.GAP
        for depth, (widget, (region, clip)) in enumerate(self.visible_widgets.items()):
            if not wanted:
                break
            x, top, region_width, region_height = intersection(region, clip)
            if not region_width:
                continue
            right = x + region_width
            mine: list[tuple[int, list[tuple[int, int]]]] = []  # (y, its pieces)
            for y in range(top, top + region_height):
                unpainted = wanted.get(y)
                if unpainted is None:
                    continue
                found = [(start, end) for start, end in unpainted.items() if x <= start < right]
                if found:
                    for start, _end in found:
                        del unpainted[start]
                    if not unpainted:
                        del wanted[y]
                    mine.append((y, found))
            # Render the lines in runs (close lines together), relative to the widget.
            run_start = 0
            for index in range(1, len(mine) + 1):
                if index < len(mine) and mine[index][0] - mine[index - 1][0] <= gap:
                    continue
                first, last = mine[run_start][0], mine[index - 1][0]
                strips = widget.render_lines(
                    Region(x - region.x, first - region.y, region_width, last - first + 1)
                )
                for y, found in mine[run_start:index]:
                    if y - first >= len(strips):
                        break
                    # From its first piece to its last, within each span: the pieces
                    # between that widgets in front own are written after it, over it.
                    strip = strips[y - first]
                    low, high = found[0][0], found[-1][1]
                    add = pieces[y].append
                    for x1, x2 in spans[y]:
                        a, b = max(low, x1), min(high, x2)
                        if a < b:
                            add((-depth, a, strip.crop(a - x, b - x)))
                run_start = index
        lines = [
            (y, [(x, strip) for _, x, strip in sorted(line, key=_back_to_front)])
            for y, line in sorted(pieces.items())
            if line
        ]
        return _SpansUpdate(lines) if lines else None


RESET = "\x1b[0m"


class _Sgr(NamedTuple):
    """A style as the codes that set it (SGR), in three parts: the attributes (bold,
    reverse …), the foreground's codes and the background's ("" for none)."""

    attributes: frozenset[str]
    foreground: str
    background: str
    link: bool
    codes: str  # all of them, as Textual writes them


_STYLES: dict[ColorSystem, dict[Style, _Sgr | None]] = {}
"""Each style's codes, by colour system (a few hundred styles in all)."""
_CHANGES: dict[tuple[_Sgr | None, _Sgr | None], str] = {}
"""The codes from one style to the next, each pair worked out once."""
_KEEP = 4096


def _sgr(style: Style, color_system: ColorSystem) -> _Sgr | None:
    """`style`'s codes, or None for a style that sets nothing: what Textual's
    `Strip.render_ansi` writes, kept in its parts."""
    bits = style._attributes & style._set_attributes
    attributes = [SGR_STYLES[bit] for bit in range(bits.bit_length()) if bits & (1 << bit)]
    color, bgcolor = style._color, style._bgcolor
    foreground = ";".join(color.downgrade(color_system).get_ansi_codes()) if color else ""
    background = (
        ";".join(bgcolor.downgrade(color_system).get_ansi_codes(False)) if bgcolor else ""
    )
    codes = ";".join([*attributes, *filter(None, (foreground, background))])
    if not codes and not style._link:
        return None
    return _Sgr(frozenset(attributes), foreground, background, bool(style._link), codes)


def _change(before: _Sgr | None, after: _Sgr | None) -> str:
    """The codes that turn the style in effect, `before`, into `after`, the fewest that
    leave every cell as Textual's writing would (each segment's codes, then a reset):
    what `after` adds, a colour that differs (default: 39, 49), or a reset first where
    an attribute ends."""
    if after is None:
        return RESET
    if before is None or before.attributes - after.attributes:
        return f"\x1b[0;{after.codes}m" if before is not None else f"\x1b[{after.codes}m"
    codes = sorted(after.attributes - before.attributes, key=SGR_STYLES.index)
    if after.foreground != before.foreground:
        codes.append(after.foreground or "39")
    if after.background != before.background:
        codes.append(after.background or "49")
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def _covered_containers(
    visible: Mapping[Widget, tuple[Region, Region]], root: Widget | None
) -> Iterator[Widget]:
    """The widgets with children (but the screen) whose every cell a widget in front of
    them covers (`visible` is front to back, as Textual paints)."""
    fronts: list[Region] = []
    for widget, (region, clip) in visible.items():
        area = region.intersection(clip)
        if widget is not root and widget.children and area and _all_covered(area, fronts):
            yield widget
        if area:
            fronts.append(area)


def _all_covered(area: Region, fronts: list[Region]) -> bool:
    x, top, width, height = area
    right = x + width
    for y in range(top, top + height):
        spans = sorted(
            (max(f.x, x), min(f.right, right)) for f in fronts if f.y <= y < f.bottom
        )
        reached = x
        for start, end in spans:
            if start > reached:
                return False
            reached = max(reached, end)
        if reached < right:
            return False
    return True


def _back_to_front(piece: tuple[int, int, Strip]) -> tuple[int, int]:
    return piece[0], piece[1]


def first_resume_keeps_styles(screen: Screen[Any], event: events.ScreenResume) -> bool:
    """Called by the screen's `_on_screen_resume` (Textual's private handler), before
    Textual's: its first resume comes a moment after every widget got its styles as it
    was mounted, and nothing has changed them since (a focus change restyles on its own).
    Textual applies them all again there (`refresh_styles`): ~3 ms before the first frame,
    and a repaint of the widgets after it. A later resume (back from a dialog, which may
    have changed the theme) restyles as Textual does."""
    if getattr(screen, "_netinbox_resumed", False):
        return False
    screen._netinbox_resumed = True  # type: ignore[attr-defined]
    event.refresh_styles = False
    return True


def whole_frames(screen: Screen[Any]) -> int:
    """How many whole-screen frames `screen` has rendered (`paint_changes_only`)."""
    compositor = screen._compositor
    return compositor.whole_frames if isinstance(compositor, _PartialCompositor) else 0


def forget_repaint(screen: Screen[Any]) -> None:
    """Drop the repaint of the whole screen that `screen.refresh()` asked for
    (`Screen._repaint_required`, its repaint regions): for when the whole screen was
    rendered a moment ago and nothing has changed since (Textual's first resume paints
    it, then asks for it again)."""
    screen._repaint_required = False
    screen._exchange_repaint_regions()


def paint_changes_only(screen: Screen[Any]) -> None:
    """Give `screen` the compositor whose partial updates render only what changed
    (`_PartialCompositor`), before it is first laid out (`Screen._compositor`)."""
    screen._compositor = _PartialCompositor()
