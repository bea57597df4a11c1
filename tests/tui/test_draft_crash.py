"""The draft is saved as it is typed: it survives a killed process, quitting and switching."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.widgets.draft import DraftEditor
from tests.conftest import ROOT
from tests.tui.conftest import draft_text, profile_shown

# Runs the real app headless, types into the draft, waits until the debounced save is in
# the store, then dies by SIGKILL: no quit, no cleanup, no chance to flush anything.
CRASHING_APP = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from netinbox.store import Store
    from netinbox.tui.app import NetInboxApp

    async def main(path: str, request_id: int) -> None:
        store = Store(path)
        app = NetInboxApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(500):  # the profile and draft follow the list
                if app.main.detail is not None:
                    break
                await pilot.pause(0.01)
            await pilot.pause()  # and its layout
            await pilot.click("#draft, #draft-slot")  # the pane: its editor comes at first use
            await pilot.press(*"Why?")
            for _ in range(200):  # the save comes half a second after the last key
                draft = store.get(request_id).draft
                if draft is not None and draft.body == "Why?":
                    print("SAVED", flush=True)
                    os.kill(os.getpid(), signal.SIGKILL)
                await pilot.pause(0.05)
        print("NOT SAVED", flush=True)

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


def test_the_draft_survives_a_killed_process(tmp_path: Path, rec: Any) -> None:
    path = tmp_path / "crash.db"
    with Store(path) as store:
        request_id = store.add_request(rec("Kim Krause"))
    script = tmp_path / "crash_app.py"
    script.write_text(CRASHING_APP)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TEXTUAL_ANIMATIONS": "none"}
    done = subprocess.run(
        [sys.executable, str(script), str(path), str(request_id)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == -9, done.stderr[-2000:]
    assert done.stdout.strip() == "SAVED"
    with Store(path) as store:
        draft = store.get(request_id).draft
        assert draft is not None and draft.body == "Why?"


async def test_the_draft_survives_quitting_and_switching(
    store: Store, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DraftEditor, "SAVE_DELAY", 3600)  # only leaving, switching, quitting save
    app = NetInboxApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await profile_shown(pilot)
        await pilot.click("#draft, #draft-slot")  # the pane: its editor comes at first use
        await pilot.press(*"Hi Anna", "escape", "j")  # escape and moving on both save
        assert store.get(people["Anna"]).draft.body == "Hi Anna"  # type: ignore[union-attr]
        await pilot.click("#draft, #draft-slot")  # the pane: its editor comes at first use
        await pilot.press(*"Hi q", "ctrl+q")  # q types a q here; ctrl+q quits before the save
    assert app.return_code == 0
    assert store.get(people["Ben"]).draft.body == "Hi q"  # type: ignore[union-attr]

    again = NetInboxApp(store)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        assert draft_text(again) == "Hi q"
        await pilot.press("k")
        assert draft_text(again) == "Hi Anna"
