"""A vertical scrollbar drawn straight into its lines, kept by how it looks.

Textual draws a scrollbar through Rich: a renderable the console renders, then styled
line by line, ~1 ms for the profile pane's bar, in every frame of a cursor key (each
request's profile has a length of its own, so the thumb changes), and as much for the
list's bar on every jump (`G`, page down). This bar draws the same segments
(`ScrollBarRender.render_bar`: the same glyphs, colours and mouse actions) into one line
each, and keeps the lines of the last few looks: a length seen before costs a lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

LOOKS = 16
"""Looks of the bar kept drawn."""

CELLS = 64
"""Kinds of cell kept styled (a few per look: the track, the thumb and its ends)."""


class QuickScrollBar(ScrollBar):
    """A vertical `ScrollBar` whose lines are drawn once per look (position, thumb,
    colours, size)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._looks: OrderedDict[tuple[object, ...], list[Strip]] = OrderedDict()
        self._cells: dict[tuple[object, ...], Strip] = {}  # a kind of cell → its line
        self._painted: list[Strip] | None = None  # the lines last drawn: what the screen shows
        self._only_changed = False
        self._asked = False

    @contextmanager
    def changed_lines_only(self) -> Iterator[None]:
        """Within: a repaint of the whole bar (its length or position set) repaints only the
        lines that look different from those on the screen. A thumb that grows by a cell
        changes a line or two of the profile's 23: the others are not sent again."""
        self._only_changed, self._asked = True, False
        try:
            yield
        finally:
            self._only_changed = False
            if self._asked:
                self._repaint_changed()

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False,
        recompose: bool = False,
    ) -> Self:  # fmt: skip
        if self._only_changed and repaint and not (regions or layout or recompose):
            self._asked = True
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _repaint_changed(self) -> None:
        painted = self._painted
        lines = self._lines() if painted is not None and self.is_mounted else None
        if painted is None or lines is None or len(lines) != len(painted):
            super().refresh()
            return
        width = self.size.width
        pairs = enumerate(zip(painted, lines, strict=True))
        changed = [Region(0, y, width, 1) for y, (old, new) in pairs if old != new]
        if changed:
            super().refresh(*changed)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = self._lines()
        if lines is None:
            self._painted = None
            return super().render_lines(crop)
        self._painted = lines
        x1, x2 = crop.column_span
        return [lines[y].crop(x1, x2) for y in crop.line_range if 0 <= y < len(lines)]

    def _lines(self) -> list[Strip] | None:
        """The bar's lines as it looks now (None: not a vertical bar Textual draws so)."""
        bar = self.render()
        if not self.vertical or not isinstance(bar, ScrollBarRender):
            return None
        width, height = self.size
        base, background = self.background_colors
        filters = tuple(self.get_line_filters())
        look = (width, height, bar.virtual_size, bar.window_size, bar.position, bar.style,
                filters, base, background, self.rich_style)  # fmt: skip
        lines = self._looks.get(look)
        if lines is None:
            # Under the bar, the pane's background (as Textual's styles lay it under a line).
            under = self.rich_style + Style(bgcolor=(base + background).rich_color)
            # A bar is a few kinds of cell (track, thumb, its ends): each kind styled once,
            # and a line that looks as before is the same line (`changed_lines_only`).
            cells = self._cells
            if len(cells) > CELLS:
                cells.clear()
            lines = []
            for segment in self._segments(bar, width, height):
                key = (segment, under, filters, background)
                line = cells.get(key)
                if line is None:
                    line = Strip([segment], width).apply_style(under)
                    for line_filter in filters:
                        line = line.apply_filter(line_filter, background)
                    cells[key] = line
                lines.append(line)
            self._looks[look] = lines
            while len(self._looks) > LOOKS:
                self._looks.popitem(last=False)
        else:
            self._looks.move_to_end(look)
        return lines

    @staticmethod
    def _segments(bar: ScrollBarRender, width: int, height: int) -> list[Segment]:
        style = bar.style
        back = getattr(style, "bgcolor", None) or Color.parse("#555555")
        ink = getattr(style, "color", None) or Color.parse("bright_magenta")
        drawn = ScrollBarRender.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            vertical=True,
            back_color=back,  # Rich's colours, as Textual itself passes them
            bar_color=ink,
        )
        return list(drawn.segments)
