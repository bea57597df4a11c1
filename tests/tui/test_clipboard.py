"""`s` copies the follow-up with the system's clipboard tool where there is one, and the
toast says truthfully where the text went."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netinbox.clipboard import clipboard_commands, copy_with
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from tests.tui.conftest import calm, profile_shown, settle, toasts


def stand_in(folder: Path, name: str, body: str) -> Path:
    """A fake clipboard tool on PATH: a shell script (run without a shell by netinbox)."""
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


async def send_to_ben(app: NetInboxApp) -> str:
    async with app.run_test(size=(120, 40)) as pilot:
        await profile_shown(pilot)
        calm(app)
        await pilot.press("j", "a", "escape", "s")
        await settle(pilot)
        return toasts(app)[-1]


async def test_with_xclip_the_text_is_on_the_clipboard(
    app: NetInboxApp,
    store: Store,
    people: dict[str, int],
    bin_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    got = tmp_path / "clipboard.txt"
    stand_in(bin_dir, "xclip", f'[ "$1 $2 $3" = "-selection clipboard -in" ] && cat > {got}')
    said = await send_to_ben(app)
    assert said.startswith("Copied to the clipboard. Follow-up recorded as sent")
    assert got.read_text() == store.get(people["Ben"]).follow_up.body  # type: ignore[union-attr]


async def test_without_a_tool_it_does_not_claim_a_copy(
    app: NetInboxApp, people: dict[str, int]
) -> None:
    said = await send_to_ben(app)
    assert not said.startswith("Copied")
    assert "no clipboard tool was found" in said and "select the text" in said
    assert said.endswith("Follow-up recorded as sent; answer due Mon 2026-02-09.")


async def test_a_failing_tool_is_named(
    app: NetInboxApp, people: dict[str, int], bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    stand_in(bin_dir, "wl-copy", "exit 1")
    said = await send_to_ben(app)
    assert said.startswith("Could not copy to the clipboard (wl-copy: exit 1)")


def test_the_tools_follow_the_system(bin_dir: Path) -> None:
    for name in ("pbcopy", "wl-copy", "xclip", "xsel", "tmux"):
        stand_in(bin_dir, name, "exit 0")
    path = {"PATH": str(bin_dir)}
    names = lambda env, platform="linux": [  # noqa: E731
        Path(argv[0]).name for argv in clipboard_commands({**path, **env}, platform)
    ]
    assert names({}) == []
    assert names({}, "darwin") == ["pbcopy"]
    assert names({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}) == ["wl-copy", "xclip", "xsel"]
    assert names({"TMUX": "/tmp/tmux-0/default,1,0"}) == ["tmux"]


def test_a_hanging_tool_times_out(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netinbox.clipboard.TIMEOUT", 0.3)
    tool = stand_in(bin_dir, "xclip", "sleep 5")
    result = copy_with([[str(tool)]], "hello")
    assert not result.copied and result.tried == (("xclip", "timeout"),)
