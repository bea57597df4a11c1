"""Rows of the result table, their goals, the statistics and the two output formats."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

#: The issue's six figures, by number; every row belongs to one of them.
GROUPS: dict[int, str] = {
    1: "start",
    2: "keypress",
    3: "search",
    4: "import",
    5: "mbox scan",
    6: "memory",
}

GoalKind = Literal["ratio_max", "ratio_min", "abs_max", "delta_max"]


@dataclass(frozen=True)
class Goal:
    """What "met" means for one row.

    ratio_max: netinbox / floor ≤ value (times: lower is better).
    ratio_min: netinbox / floor ≥ value (throughputs: higher is better).
    abs_max: netinbox ≤ value, in the row's unit (the floor is shown for reference).
    delta_max: netinbox − floor ≤ value, in the row's unit.
    """

    kind: GoalKind
    value: float
    text: str

    def ratio(self, netinbox: float, floor: float) -> float:
        if self.kind == "delta_max":
            return netinbox - floor
        return netinbox / floor if floor else math.inf

    def met(self, netinbox: float, floor: float | None) -> bool:
        if self.kind == "abs_max":
            return netinbox <= self.value
        if floor is None:
            return False
        ratio = self.ratio(netinbox, floor)
        if self.kind == "ratio_min":
            return ratio >= self.value
        return ratio <= self.value


@dataclass
class Row:
    """One line of the table. `netinbox`/`floor` are None when that side could not run."""

    group: int
    figure: str
    unit: str
    goal: Goal
    netinbox: float | None = None
    floor: float | None = None
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.netinbox is None or self.floor is None:
            return None
        return self.goal.ratio(self.netinbox, self.floor)

    @property
    def met(self) -> bool | None:
        if self.netinbox is None or (self.floor is None and self.goal.kind != "abs_max"):
            return None
        return self.goal.met(self.netinbox, self.floor)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["group_name"] = GROUPS[self.group]
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: Sequence[float]) -> float | None:
    """The nearest-rank 95th percentile (no interpolation: it is a sample that happened)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit in ("rows/s", "mails/s"):
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}"


def _ratio(row: Row) -> str:
    ratio = row.ratio
    if ratio is None:
        return "n/a"
    if row.goal.kind == "delta_max":
        return f"{ratio:+.1f} {row.unit}"
    return f"{ratio:.2f}×"


def _met(row: Row) -> str:
    return {True: "met", False: "NOT MET", None: "n/a"}[row.met]


def table(rows: Sequence[Row]) -> str:
    header = ("figure", "netinbox", "floor", "ratio", "goal", "met")
    body = [
        (
            f"{row.group}. {row.figure}",
            _number(row.netinbox, row.unit),
            _number(row.floor, row.unit),
            _ratio(row),
            row.goal.text,
            _met(row),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
        for line in (header, *body)
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"{row.group}. {row.figure}: {row.note}" for row in rows if row.note]
    if notes:
        lines += ["", "notes:", *(f"  {n}" for n in notes)]
    return "\n".join(lines)


def to_json(rows: Sequence[Row], meta: dict[str, object]) -> str:
    return json.dumps(
        {"meta": meta, "rows": [row.as_dict() for row in rows]}, ensure_ascii=False, indent=2
    )
