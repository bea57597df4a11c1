"""Screenshots of the real app on the demo store, as SVG.

    python -m netinbox.tui.screenshots [--out screenshots]

Each picture starts from a fresh demo store in a temporary folder, with the clock fixed,
animations off and cursors not blinking, so the same code gives the same pictures.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

FIXED_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
BIG = (160, 48)
SMALL = (80, 24)

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def _nothing(pilot: Pilot[Any]) -> None:
    return None


async def _ask(pilot: Pilot[Any]) -> None:
    """The "To ask" filter (new, no message), then `a` drafts the question."""
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("a")


async def _overdue(pilot: Pilot[Any]) -> None:
    await pilot.press("4")


async def _search(pilot: Pilot[Any]) -> None:
    """All requests, searched as typed: the box keeps the focus, the list follows."""
    from netinbox.tui.screens.main import MainScreen

    await pilot.press("7", "slash", *"no:msg title:tba")
    await pilot.pause(MainScreen.SEARCH_DELAY * 2)  # the list filters after a pause in typing


async def _snoozed(pilot: Pilot[Any]) -> None:
    """The Snoozed view: each request with the day it wakes."""
    await pilot.press("8")


async def _sent(pilot: Pilot[Any]) -> None:
    """Sent by me (`9`): the user's own pending requests, with their age."""
    await pilot.press("9")


async def _owed(pilot: Pilot[Any]) -> None:
    """I owe an answer (`0`): the question someone asked about the user's request."""
    await pilot.press("0")


async def _help(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")


async def _decline(pilot: Pilot[Any]) -> None:
    """Overdue: declining the silent one asks for an optional note."""
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("d")


async def _statistics(pilot: Pilot[Any]) -> None:
    """The statistics screen (`S`): a year of the demo in charts, read in a worker."""
    from netinbox.tui.screens.statistics import StatisticsScreen

    await pilot.press("S")
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, StatisticsScreen) and screen.stats is not None:
            break
    await pilot.pause(0.2)  # a second drawing, if the layout gave the charts another size
    await pilot.app.workers.wait_for_complete()


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    steps: Steps
    demo: bool = True  # else an empty store: the first run
    language: str = "en"  # the interface's language (netinbox.i18n)


SHOTS: tuple[Shot, ...] = (
    Shot("main.svg", BIG, _nothing),
    Shot("ask.svg", BIG, _ask),
    Shot("overdue.svg", BIG, _overdue),
    Shot("snoozed.svg", BIG, _snoozed),
    Shot("sent.svg", BIG, _sent),
    Shot("owed.svg", BIG, _owed),
    Shot("search.svg", BIG, _search),
    Shot("help.svg", BIG, _help),
    Shot("decline.svg", BIG, _decline),
    Shot("statistics.svg", BIG, _statistics),
    Shot("statistics-80x24.svg", SMALL, _statistics),
    Shot("main-80x24.svg", SMALL, _nothing),
    Shot("ask-80x24.svg", SMALL, _ask),
    Shot("overdue-80x24.svg", SMALL, _overdue),
    Shot("sent-80x24.svg", SMALL, _sent),
    Shot("owed-80x24.svg", SMALL, _owed),
    Shot("first-run-80x24.svg", SMALL, _nothing, demo=False),
    Shot("main-de.svg", BIG, _nothing, language="de"),
)


def _fixed_clock() -> datetime:
    return FIXED_NOW


def _still(app: Any) -> None:
    """No blinking cursors: a screenshot shows the same frame every time."""
    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False


async def _settle(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    _still(app)
    await pilot.pause()


async def take(shot: Shot, folder: Path) -> Path:
    """One screenshot of the app on a fresh demo store (or an empty one), written to
    `folder`."""
    from netinbox.demo import build_demo
    from netinbox.i18n import language, set_language
    from netinbox.store import Store
    from netinbox.tui.app import NetInboxApp

    before = language()
    set_language(shot.language)
    with tempfile.TemporaryDirectory(prefix="netinbox-shots-") as tmp:
        store = Store(Path(tmp) / "demo.db", clock=_fixed_clock, lock=True)
        try:
            if shot.demo:
                build_demo(store)
            app = NetInboxApp(store)
            app.animation_level = "none"
            async with app.run_test(size=shot.size) as pilot:
                await _settle(pilot)
                await shot.steps(pilot)
                await _settle(pilot)
                svg = app.export_screenshot(title="netinbox")
        finally:
            store.close()
            set_language(before)
    target = folder / shot.name
    target.write_text(preserve_spaces(svg), encoding="utf-8")
    return target


def preserve_spaces(svg: str) -> str:
    """Keep every space where the terminal has it, in every SVG renderer.

    Textual writes runs of spaces as `&#160;`; librsvg (rsvg-convert) still collapses a
    run at the start of a text element, which shifts columns and hides gaps. Browsers
    agree with `xml:space="preserve"` on the root element.
    """
    return svg.replace("<svg ", '<svg xml:space="preserve" ', 1)


async def take_all(folder: Path, shots: tuple[Shot, ...] = SHOTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [await take(shot, folder) for shot in shots]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netinbox.tui.screenshots", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the SVGs")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="only these pictures (e.g. sent.svg)"
    )
    args = parser.parse_args(argv)
    shots = tuple(s for s in SHOTS if not args.only or s.name in args.only)
    for path in asyncio.run(take_all(args.out, shots)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
