"""Running netinbox and its floor alternately, so drift on a noisy machine hits both."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Sides(Generic[T]):
    """The measurements of both sides; a side that failed keeps its first error."""

    netinbox: list[T] = field(default_factory=list)
    floor: list[T] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def note(self) -> str:
        return "; ".join(
            f"only {error}" if side == "budget" else f"{side} failed: {error}"
            for side, error in self.errors.items()
        )


def describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1] if text else ''}"[:300]


def alternate(
    repeat: int,
    netinbox: Callable[[], T],
    floor: Callable[[], T],
    budget: float | None = None,
) -> Sides[T]:
    """Run both sides `repeat` times, netinbox first in even rounds and the floor first in odd
    ones; a side that raises is reported and not run again.

    With `budget` (seconds), no new round starts that would, at the pace so far, end after
    it: a slow side gets fewer runs (at least one each), and the note says so.
    """
    sides: Sides[T] = Sides()
    runs = {"netinbox": (netinbox, sides.netinbox), "floor": (floor, sides.floor)}
    started = time.perf_counter()
    for round_ in range(repeat):
        spent = time.perf_counter() - started
        if round_ and budget is not None and spent * (round_ + 1) / round_ > budget:
            sides.errors["budget"] = f"{round_} of {repeat} rounds within {budget:.0f} s"
            break
        order = ("netinbox", "floor") if round_ % 2 == 0 else ("floor", "netinbox")
        for side in order:
            if side in sides.errors:
                continue
            run, results = runs[side]
            try:
                results.append(run())
            except Exception as error:  # a missing or broken part is reported, not fatal
                sides.errors[side] = describe(error)
    return sides
