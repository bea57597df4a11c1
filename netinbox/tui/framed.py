"""A pane's lines inside its border, kept by the line they frame.

Textual frames each line of a widget (its border, padding and colours around the line the
widget draws) in `render_lines`, and keeps the result by the line's place: a list row
framed once is framed again when it moves (a page down and back, `G` then `g`, a scroll by
one row), and every line of a new profile is framed as it is shown, ~30 µs a line (a
page of the list: ~1.2 ms). `FramedLines` keeps framed lines by the drawn line they hold,
for as long as the frame looks the same (sizes, border, padding, colours, the terminal's
filters), and frames a line it has not seen by what Textual drew around one it has:
the same segments, put together without Textual's per-line work. `frame_ahead` frames the
lines about to be shown (a profile read ahead, the next page of rows) while the user reads.

Only content lines go this way; the border's own lines (with the title and subtitle),
padding lines and anything with tint, opacity, hatching or an outline are Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

KEPT = 512
"""Framed lines kept (a profile is ~25-60 lines, a page of the list ~36)."""


class _Frame:
    """What Textual drew around one content line, to put around others."""

    __slots__ = ("left", "right", "prefix", "suffix", "width", "inner", "filters", "background")

    def __init__(
        self,
        framed: Strip,
        left: int,
        content_width: int,
        width: int,
        inner: Any,
        filters: list[Any],
        background: Any,
    ) -> None:
        self.left = left
        self.width = content_width
        self.prefix = framed.crop(0, left)
        self.suffix = framed.crop(left + content_width, width)
        self.inner = inner
        self.filters = filters
        self.background = background

    def around(self, line: Strip) -> Strip:
        line = line.adjust_cell_length(self.width, self.inner)
        for line_filter in self.filters:
            line = line.apply_filter(line_filter, self.background)
        return Strip.join([self.prefix, line, self.suffix])


class FramedLines(Widget):
    """A widget whose content lines are framed once per drawn line (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._framed_lines: dict[int, tuple[Strip, Strip]] = {}  # id(line) → (line, framed)
        self._frames_look: tuple[object, ...] | None = None
        self._learnt: _Frame | None = None
        self._line_width: int | None = None

    def _frame_look(self) -> tuple[object, ...] | None:
        """Everything Textual's framing of a content line depends on besides the line,
        or None when the widget looks in a way only Textual frames (tint, opacity…)."""
        styles = self.styles
        if (
            styles.tint.a
            or self.opacity != 1.0
            or styles.text_opacity != 1.0
            or (styles.has_rule("hatch") and styles.hatch != "none")
            or any(edge for edge, _ in styles.outline)
            or (self.auto_links and self.hover_style.link_id)  # a link lit under the mouse
        ):
            return None
        app = self.app
        base, background = self.background_colors
        return (
            self.region.size,
            self.content_region.size,
            styles.gutter,
            styles.padding,
            styles.border,
            base,
            background,
            tuple(self.get_line_filters()),
            app.ansi_theme,
        )

    def _framed_range(self) -> range:
        gutter = self.styles.gutter
        return range(gutter.top, self.region.height - gutter.bottom)

    def line_width(self) -> int:
        """The width of a drawn line (`scrollable_content_region`'s, asked once per
        `render_lines`: the property walks the DOM)."""
        width = self._line_width
        return self.scrollable_content_region.width if width is None else width

    def render_lines(self, crop: Region) -> list[Strip]:
        self._line_width = self.scrollable_content_region.width
        try:
            return self._render_framed(crop)
        finally:
            self._line_width = None

    def _render_framed(self, crop: Region) -> list[Strip]:
        look = self._frame_look()
        if look is None:
            return super().render_lines(crop)
        if look != self._frames_look:
            self._frames_look, self._learnt = look, None
            self._framed_lines.clear()
        content = self._framed_range()
        top = content.start
        height = self.content_region.height
        framed = self._framed_lines
        lines: list[Strip] = []
        for y in crop.line_range:
            if y not in content or y - top >= height:
                lines.append(super().render_lines(Region(0, y, self.region.width, 1))[0])
                continue
            line = self.render_line(y - top)
            kept = framed.get(id(line))
            if kept is not None and kept[0] is line:
                lines.append(kept[1])
                continue
            whole = self._framed_line(line, y)
            lines.append(whole)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.region.width):
            lines = [line.crop(x1, x2) for line in lines]
        return lines

    def _framed_line(self, line: Strip, y: int) -> Strip:
        """`line` framed: by the frame learnt, or by Textual (and the frame learnt)."""
        frame = self._learnt
        if frame is None:
            whole = super().render_lines(Region(0, y, self.region.width, 1))[0]
            base, background = self.background_colors
            self._learnt = _Frame(
                whole,
                self.styles.gutter.left,
                self.content_region.width,
                self.region.width,
                Style(background=base + background).rich_style,
                list(self.get_line_filters()),
                background,
            )
        else:
            whole = frame.around(line)
        self._keep_framed(line, whole)
        return whole

    def _keep_framed(self, line: Strip, whole: Strip) -> None:
        framed = self._framed_lines
        if len(framed) >= KEPT:
            del framed[next(iter(framed))]
        framed[id(line)] = (line, whole)

    def frame_ahead(self, lines: Iterable[Strip]) -> bool:
        """Frame `lines` now, to show them later without framing them then (the frame must
        be known: after the widget's first frame). False if all were framed already."""
        frame, look = self._learnt, self._frames_look
        if frame is None or look is None or look != self._frame_look():
            return False
        framed = self._framed_lines
        done = False
        for line in lines:
            kept = framed.get(id(line))
            if kept is None or kept[0] is not line:
                self._keep_framed(line, frame.around(line))
                done = True
        return done
