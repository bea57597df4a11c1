"""`netinbox --demo` opens the app on a store of its own and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from netinbox import demo
from netinbox.cli import main
from netinbox.store import Store
from netinbox.tui import app as tui_app


@pytest.mark.parametrize("ends", ["quit", "crash", "terminal closed"])
def test_the_demo_folder_is_removed_when_the_app_exits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ends: str
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(demo, "build_demo", lambda store: 0)  # the real one takes a while
    seen: list[Path] = []

    def run_app(store: Store, **_: object) -> int:
        seen.append(store.path)
        folder = store.path.parent
        assert folder.name.startswith("netinbox-demo-") and folder.parent == tmp_path
        assert {p.name for p in folder.iterdir()} >= {"demo.db"}
        if ends == "crash":
            raise RuntimeError("the app crashed")
        if ends == "terminal closed":
            os.kill(os.getpid(), signal.SIGHUP)
        return 0

    monkeypatch.setattr(tui_app, "run_app", run_app)
    handlers = signal.getsignal(signal.SIGHUP), signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(main, ["--demo"])
    assert len(seen) == 1
    assert result.exit_code == {"quit": 0, "crash": 1, "terminal closed": 129}[ends]
    assert list(tmp_path.iterdir()) == []  # db, -wal and -shm: all gone
    assert (signal.getsignal(signal.SIGHUP), signal.getsignal(signal.SIGTERM)) == handlers


def test_a_demo_on_a_given_store_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "build_demo", lambda store: 0)
    monkeypatch.setattr(tui_app, "run_app", lambda store, **_: 0)
    path = tmp_path / "mine.db"
    result = CliRunner().invoke(main, ["--demo", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert path.exists()
