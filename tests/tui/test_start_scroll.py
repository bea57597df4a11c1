"""A scroll of the profile right at start stays: nothing the start does afterwards (the
counts read in a thread, the search bar mounted after the first frame, the review steps
loaded, the watch started) shows the first request again from the top.

Checked on the real command too (a pty, mouse wheel over the profile 0–1 s after the first
screen, the screen read 3 s later: still scrolled); here with the pilot, waiting for each
piece of the start to be done rather than for a time."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import netinbox.tui.screens.main as main_module
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.profile import ProfilePane
from tests.tui.conftest import settle


async def until(pilot: Pilot[Any], done: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the start never got there")
        await asyncio.sleep(0.01)
        await pilot.pause()


async def test_a_scroll_of_the_profile_at_start_is_not_undone(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netinbox.config import Config
    from tests.conftest import copy_store

    monkeypatch.setattr(main_module, "WARM_UP_DELAY", 0.05)
    monkeypatch.setattr(main_module, "WATCH_DELAY", 0.05)
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(b"")
    with Store(copy_store(demo_file, tmp_path / "demo.db"), config=Config()) as store:
        app = NetInboxApp(store, watch=[mbox])
        async with app.run_test(size=(80, 24)) as pilot:
            profile = app.main.query_one(ProfilePane)
            assert profile.max_scroll_y > 3  # the first request's profile is longer than its pane
            profile.scroll_to(y=3, animate=False, immediate=True)  # before the start is done
            main = app.main
            await until(pilot, lambda: main._counts is not None)
            await until(pilot, lambda: main._search is not None and main._search.is_mounted)
            await until(pilot, lambda: main.watcher is not None and main.watcher.looks > 0)
            await settle(pilot)
            assert profile.scroll_y == 3
