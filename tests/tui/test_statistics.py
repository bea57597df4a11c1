"""The statistics screen (`S`, or "Statistics" in the palette): what it shows of the demo's
year at a fixed clock, choosing a period and a platform, and going back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Static

from netinbox.config import Config
from netinbox.demo import build_demo
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.statistics import StatisticsScreen
from tests.tui.conftest import Gate, screen_lines, settle, wait_held

FIXED = datetime(2026, 12, 7, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stats-demo") / "demo.db"
    with Store(path, config=Config(timezone="Europe/Berlin"), clock=lambda: FIXED) as store:
        build_demo(store)
    return path


@pytest.fixture
def demo_store(demo_master: Path, tmp_path: Path) -> Iterator[Store]:
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy2(demo_master, path)
    with Store(path, config=Config(timezone="Europe/Berlin"), clock=lambda: FIXED) as store:
        yield store


def text(screen: StatisticsScreen, selector: str) -> str:
    visual = screen.query_one(selector, Static).visual
    assert isinstance(visual, Content)
    return visual.plain


async def open_statistics(pilot, key: str = "S") -> StatisticsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press(key)
    for _ in range(100):
        await settle(pilot)
        screen = pilot.app.screen
        if isinstance(screen, StatisticsScreen) and screen.stats is not None:
            await pilot.pause()
            return screen
    raise AssertionError("the statistics never showed")


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_the_charts_of_the_demos_year(demo_store: Store, size: tuple[int, int]) -> None:
    app = NetInboxApp(demo_store)
    async with app.run_test(size=size) as pilot:
        screen = await open_statistics(pilot)

        lines = screen_lines(app)
        assert lines[0].strip() == (
            "Statistics · the last 12 months · all platforms (2026-01 – 2026-12)"
        )
        summary = text(screen, "#stats-summary")
        if size[0] >= 160:
            assert summary.splitlines() == [
                "Received: 123 · with a message: 30 (24%) · placeholder profiles (“tba”): 54 (44%)",
                "Follow-ups sent: 55 · answered: 30 (55%) · within the deadline: 21"
                " · median time to answer: 38 hours",
                "My own requests sent: 17 · with a message: 8 · accepted: 10 (59%) · withdrawn: 1"
                " · no answer for 30+ days: 1 · pending: 5",
            ]
        else:  # wrapped between its parts, never inside one
            assert summary.splitlines() == [
                "Received: 123 · with a message: 30 (24%)",
                "  placeholder profiles (“tba”): 54 (44%)",
                "Follow-ups sent: 55 · answered: 30 (55%) · within the deadline: 21",
                "  median time to answer: 38 hours",
                "My own requests sent: 17 · with a message: 8 · accepted: 10 (59%)",
                "  withdrawn: 1 · no answer for 30+ days: 1 · pending: 5",
            ]
        titles = [box.border_title for box in screen.query(".chart")]
        assert titles == [
            "Requests received per month",
            "Follow-ups sent per month and their answers",
            "What became of the requests received",
            "My own requests sent per month",
        ]
        received = text(screen, "#chart-received")
        assert received.splitlines()[0] == "■ with a message  ■ without a message"
        assert "█" in received and "12/26" in received
        follow = text(screen, "#chart-follow_ups").splitlines()[0]
        assert follow == "■ answered in time  ■ answered late  ■ no answer  ■ waiting"
        table = text(screen, "#stats-platforms").splitlines()
        assert table[0].split() == ["Outcomes", "accepted", "declined", "no", "answer", "could",
                                    "not", "ask", "open"]  # fmt: skip
        assert [line.split()[0] for line in table[1:]] == ["LinkedIn", "XING", "all"]
        assert all(len(line) <= size[0] for line in lines)
        assert "p Period" in lines[-1] and "esc Back" in lines[-1]


async def test_choosing_the_period_and_the_platform_then_back(demo_store: Store) -> None:
    app = NetInboxApp(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_statistics(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert text(screen, "#stats-head").startswith("Statistics · the last 24 months")
        assert screen.stats is not None and len(screen.stats.months) == 24
        await pilot.press("n")
        await settle(pilot)
        assert text(screen, "#stats-head") == (
            "Statistics · the last 24 months · LinkedIn (2025-01 – 2026-12)"
        )
        assert screen.stats is not None and screen.stats.platforms == ("linkedin",)
        assert "XING" not in text(screen, "#stats-platforms")
        await pilot.press("p", "p", "p")  # all time, the last 3 months, then 12 again
        await settle(pilot)
        assert text(screen, "#stats-head").startswith("Statistics · the last 12 months")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_from_the_palette(demo_store: Store) -> None:
    app = NetInboxApp(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Statistics")
        await pilot.pause(0.3)
        screen = await open_statistics(pilot, "enter")
        assert text(screen, "#stats-summary").startswith("Received: 123 · ")


async def test_an_empty_store_says_so(store: Store) -> None:
    app = NetInboxApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_statistics(pilot)
        assert text(screen, "#stats-summary") == "No requests in this period."
        assert "Nothing in this period." in text(screen, "#chart-received")


async def test_reading_shows_it_and_keys_work_meanwhile(demo_store: Store, gate: Gate) -> None:
    """The numbers are read off the UI thread: while a read is held, the screen says it is
    reading, `p` stops that read for the next one, and `esc` goes back at once."""
    app = NetInboxApp(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        gate.open.clear()
        await pilot.press("S")
        await wait_held(gate, 1)
        screen = app.screen
        assert isinstance(screen, StatisticsScreen)
        assert text(screen, "#stats-summary") == "Reading the statistics…"
        assert screen.query_one("#stats-charts").loading
        await pilot.press("p")
        await wait_held(gate, 2)
        assert gate.stopped >= 1  # the read of the last 12 months, made obsolete by `p`
        assert text(screen, "#stats-head").startswith("Statistics · the last 24 months")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        gate.open.set()
        await settle(pilot)
        assert app.screen is app.main  # a read that ends after the screen closed shows nothing
