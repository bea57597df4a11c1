"""Rows of the result table, their goals, the statistics and the two output formats.

Every row holds the samples of both sides (netinbox and its floor) and shows, for each,
the median, the 95th percentile, the spread (smallest–largest) and the number of samples.
A step whose screen did not show its result in time is a sample that is missing: the row
says "did not settle in N s" and its goal is not met.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The figures, by number, in the order of the table.
GROUPS: dict[int, str] = {
    1: "start",
    2: "keys",
    3: "views",
    4: "search",
    5: "plan",
    6: "import",
    7: "mbox",
    8: "memory",
    9: "stats",
}


@dataclass(frozen=True)
class Goal:
    """What "met" means for one row; every limit given must hold.

    ratio_max / ratio_min: median(netinbox) / median(floor) at most / at least this.
    delta_max: median(netinbox) − median(floor) at most this, in the row's unit.
    p95_max: netinbox's 95th percentile at most this, in the row's unit.
    """

    text: str
    ratio_max: float | None = None
    ratio_min: float | None = None
    delta_max: float | None = None
    p95_max: float | None = None

    @property
    def relative(self) -> bool:
        return self.ratio_max is not None or self.ratio_min is not None


@dataclass
class Row:
    """One line of the table."""

    group: int
    figure: str
    unit: str
    goal: Goal
    netinbox: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    note: str = ""
    unsettled: str = ""  # "did not settle in 10 s: …" for the first step that did not
    alone: list[float] = field(default_factory=list)
    """Informative, not the floor: the floor's query alone, in-process (search)."""

    @property
    def ratio(self) -> float | None:
        n, f = median(self.netinbox), median(self.floor)
        if n is None or f is None:
            return None
        if self.goal.delta_max is not None:
            return n - f
        return n / f if f else math.inf

    @property
    def met(self) -> bool | None:
        if self.unsettled:
            return False
        n = median(self.netinbox)
        if n is None:
            return None
        goal, ratio = self.goal, self.ratio
        checks: list[bool] = []
        if goal.relative or goal.delta_max is not None:
            if ratio is None:
                return None
            if goal.ratio_max is not None:
                checks.append(ratio <= goal.ratio_max)
            if goal.ratio_min is not None:
                checks.append(ratio >= goal.ratio_min)
            if goal.delta_max is not None:
                checks.append(ratio <= goal.delta_max)
        if goal.p95_max is not None:
            checks.append((p95(self.netinbox) or 0) <= goal.p95_max)
        return all(checks) if checks else None

    def as_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "group_name": GROUPS[self.group],
            "figure": self.figure,
            "unit": self.unit,
            "goal": {k: v for k, v in vars(self.goal).items() if v is not None},
            "netinbox": summary(self.netinbox),
            "floor": summary(self.floor),
            "ratio": self.ratio,
            "met": self.met,
            "note": self.note,
            "unsettled": self.unsettled,
            "samples": {"netinbox": self.netinbox, "floor": self.floor, "alone": self.alone},
            "alone": summary(self.alone),
        }


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """The nearest-rank 95th percentile (no interpolation: it is a sample that happened)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    return {
        "median": median(values),
        "p95": p95(values),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "n": len(values),
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit in ("rows/s",):
        return f"{value:,.0f} {unit}"
    return f"{value:,.1f} {unit}"


def _bare(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" if abs(value) < 100 else f"{value:,.0f}"


def _side(values: Sequence[float], unit: str) -> tuple[str, str]:
    """(median, "p95 · min–max · n") of one side."""
    if not values:
        return "n/a", ""
    spread = f"{_bare(min(values))}–{_bare(max(values))}" if len(values) > 1 else ""
    parts = [f"p95 {_bare(p95(values))}" if len(values) > 2 else "", spread, f"n={len(values)}"]
    return _number(median(values), unit), " · ".join(p for p in parts if p)


def _ratio(row: Row) -> str:
    ratio = row.ratio
    if ratio is None:
        return "n/a"
    if row.goal.delta_max is not None:
        return f"{ratio:+.1f} {row.unit}"
    return f"{ratio:.2f}×"


def _met(row: Row) -> str:
    return {True: "met", False: "NOT MET", None: "n/a"}[row.met]


HEADER = ("figure: what is timed", "netinbox", "(p95 · spread · n)", "floor", "(p95 · spread · n)")
HEADER += ("ratio", "goal", "met")


def table(rows: Sequence[Row], titles: dict[int, str] | None = None) -> str:
    """A plain-text table: one section per group, each under its one-line title."""
    body: list[tuple[str, ...] | str] = []
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            body.append(f"{group}. {(titles or {}).get(group, GROUPS[group])}")
        n, n_more = _side(row.netinbox, row.unit)
        f, f_more = _side(row.floor, row.unit)
        figure = row.figure
        if row.alone:
            figure += f" [SQL alone {_number(median(row.alone), row.unit)}]"
        body.append((figure, n, n_more, f, f_more, _ratio(row), row.goal.text, _met(row)))
    cells = [line for line in body if isinstance(line, tuple)]
    widths = [max(len(line[i]) for line in (HEADER, *cells)) for i in range(len(HEADER))]

    def render(line: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()

    lines = [render(HEADER), "-+-".join("-" * w for w in widths)]
    for line in body:
        lines.append(f"  {line}" if isinstance(line, str) else render(line))
    notes = [
        f"{row.group}. {row.figure}: {text}"
        for row in rows
        for text in (row.unsettled, row.note)
        if text
    ]
    if notes:
        lines += ["", "notes:", *(f"  {n}" for n in notes)]
    return "\n".join(lines)


def to_json(rows: Sequence[Row], meta: dict[str, object]) -> str:
    return json.dumps(
        {"meta": meta, "rows": [row.as_dict() for row in rows]}, ensure_ascii=False, indent=2
    )
