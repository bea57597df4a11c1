"""The statistics as charts: stacked bars a month each, drawn with Unicode blocks as
`Content` (an eighth of a row at a time, two colours a cell at most).

The statistics screen draws them in its worker: a chart is text, cheap to lay out. Every
word here is ours (titles, series, months).

(textual-plotext 1.0.1 runs on Textual 8.2.8, but its stacked bars misdraw: a part of
zero takes a row and lifts the parts above it, neighbouring months' bars merge at 80
columns, and its widget draws on the UI thread at every resize.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content

from netinbox.i18n import _
from netinbox.stats import CHART_SERIES, Statistics
from netinbox.stats_text import TITLES, series

GREEN, AMBER, RED, ORANGE, GREY, BLUE = (
    (76, 175, 80),
    (255, 179, 0),
    (229, 57, 53),
    (251, 140, 0),
    (158, 158, 158),
    (66, 165, 245),
)

SERIES_COLOURS: dict[str, tuple[int, int, int]] = {
    "with_message": GREEN,
    "without_message": AMBER,
    "answered_in_time": GREEN,
    "answered_late": AMBER,
    "no_answer": ORANGE,
    "waiting": GREY,
    "accepted": GREEN,
    "declined": RED,
    "could_not_ask": GREY,
    "open": BLUE,
    "withdrawn": RED,
    "pending": BLUE,
}


@dataclass(frozen=True)
class Chart:
    key: str  # "received", "follow_ups", "outcomes", "sent"
    months: tuple[str, ...]
    series: tuple[str, ...]  # codes, bottom of the bar first
    values: tuple[tuple[int, ...], ...]  # per series, one value a month

    @property
    def title(self) -> str:
        return _(TITLES[self.key])

    @property
    def empty(self) -> bool:
        return not any(any(row) for row in self.values)


def charts(stats: Statistics) -> list[Chart]:
    """The four charts of the statistics screen, in reading order."""
    months = stats.months

    def chart(key: str, rows: Sequence[object], codes: Sequence[str]) -> Chart:
        values = tuple(tuple(int(getattr(row, code)) for row in rows) for code in codes)
        return Chart(key, months, tuple(codes), values)

    rows: dict[str, Sequence[object]] = {
        "received": stats.received,
        "follow_ups": stats.follow_ups_by_month,
        "outcomes": stats.outcomes_by_month(),
        "sent": stats.sent,
    }
    return [chart(key, rows[key], codes) for key, codes in CHART_SERIES.items()]


def legend(codes: Sequence[str]) -> Content:
    """■ name  ■ name …, each square in its series' colour."""
    parts: list[Content | str | tuple[str, str]] = []
    for code in codes:
        if parts:
            parts.append("  ")
        red, green, blue = SERIES_COLOURS[code]
        parts.append(("■", f"rgb({red},{green},{blue})"))
        parts.append(" " + series(code))
    return Content.assemble(*parts)


def month_labels(months: Sequence[str], cells: int) -> list[str]:
    """Each month's label for a bar `cells` wide with its gap: "2026-03" where there is
    room, else "03/26", else "03" ("" where even that does not fit)."""
    if cells >= 8:
        return list(months)
    if cells >= 6:
        return [f"{month[5:7]}/{month[2:4]}" for month in months]
    if cells >= 3:
        return [month[5:7] for month in months]
    return ["" for _ in months]


def _ticks(largest: int, rows: int) -> list[int]:
    """Whole-number steps for the y axis, 1, 2 or 5 × 10ⁿ apart, about one every third
    row, from 0 to at least `largest`."""
    wanted = max(rows // 3, 1)
    step = next(
        m * 10**e for e in range(19) for m in (1, 2, 5) if -(-largest // (m * 10**e)) <= wanted
    )
    top = max(-(-largest // step), 1) * step
    return list(range(0, top + step, step))


EIGHTHS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom by 0 … 8 eighths."""


def _colour(code: str) -> str:
    red, green, blue = SERIES_COLOURS[code]
    return f"rgb({red},{green},{blue})"


def _stack(values: Sequence[int], scale: float) -> list[int]:
    """Where each part of a bar ends, in eighths of a row from the axis; a part above
    zero shows at least an eighth."""
    ends: list[int] = []
    running = 0
    end = 0
    for value in values:
        running += value
        wanted = round(running * scale)
        end = max(wanted, end + 1) if value > 0 else end
        ends.append(end)
    return ends


def _cell(ends: list[int], codes: Sequence[str], row: int) -> tuple[str, str]:
    """The glyph and style of one cell of a bar, `row` rows above the axis: the lowest
    part in it below, the next one above (a cell shows two colours at most)."""
    low, high = row * 8, row * 8 + 8
    start = 0
    inside: list[tuple[int, int, str]] = []  # (from, to, code), clipped to this cell
    for end, code in zip(ends, codes, strict=True):
        if end > start and end > low and start < high:
            inside.append((max(start, low), min(end, high), code))
        start = max(start, end)
    if not inside:
        return " ", ""
    first_from, first_to, first = inside[0]
    if len(inside) == 1 and first_from == low and first_to == high:
        return "█", _colour(first)
    if first_from > low:  # cannot happen: parts touch from the axis up
        return " ", ""
    top = inside[-1][1]
    if len(inside) == 1:
        return EIGHTHS[top - low], _colour(first)
    above = inside[-1][2] if top == high else inside[1][2]
    return EIGHTHS[first_to - low], f"{_colour(first)} on {_colour(above)}"


def draw(chart: Chart, width: int, height: int) -> Content:
    """The chart in `width` × `height` cells: its legend, its stacked bars (a month each,
    the newest on the right) over a y axis, and the months under them; or a line saying
    the period has none."""
    head = legend(chart.series)
    if chart.empty or not chart.months or width < 20 or height < 5:
        return Content.assemble(head, "\n", (_("Nothing in this period."), "dim"))
    rows = height - 2  # the legend above, the months below
    totals = [sum(column) for column in zip(*chart.values, strict=True)]
    ticks = _ticks(max(totals), rows)
    top = ticks[-1]
    # A value's label on the row whose top edge is that value (a bar of 1 ends level
    # with "1"); 0, the bars' foot, under the lowest row, beside the months.
    labels = {round(tick * rows / top) - 1: f"{tick:,}" for tick in ticks if tick}
    axis = max(len(label) for label in [*labels.values(), "0"]) + 1
    room = width - axis
    count = min(len(chart.months), room)  # the newest months that fit, a cell each at least
    first = len(chart.months) - count
    cells = room // count
    bar = max(cells - 1, 1) if cells >= 3 else cells
    scale = rows * 8 / top
    stacks = [
        _stack([values[m] for values in chart.values], scale)
        for m in range(first, len(chart.months))
    ]
    lines: list[Content] = [head]
    for row in range(rows - 1, -1, -1):
        parts: list[Content] = [
            Content(f"{labels.get(row, ''):>{axis - 1}}" + ("┤" if row in labels else "│"))
        ]
        for ends in stacks:
            glyph, style = _cell(ends, chart.series, row)
            parts.append(Content.styled(glyph * bar, style) if style else Content(" " * bar))
            parts.append(Content(" " * (cells - bar)))
        lines.append(Content("").join(parts))
    under = [" "] * width
    under[:axis] = f"{0:>{axis - 1}}└"
    free = 0  # the first column no label has taken yet
    for index, name in enumerate(month_labels(chart.months[first:], cells)):
        start = axis + index * cells
        if name and start >= free and start + len(name) <= width:
            under[start : start + len(name)] = name
            free = start + len(name) + 1
    lines.append(Content("".join(under).rstrip()))
    return Content("\n").join(lines)
