"""A new user's first commands: the real `netinbox` in a fresh HOME with no XDG folders.

Every command must work (or say clearly why not) on a machine where netinbox never ran,
and a command that fails or only tries (`--dry-run`) leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def netinbox(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real command, as a new user runs it: HOME is `home`, no XDG_* set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("XDG_") and key not in ("NETINBOX_DB", "NETINBOX_CONFIG")
    }
    env.update(HOME=str(home), PYTHONPATH=str(HERE.parent))
    result = subprocess.run(
        [sys.executable, "-m", "netinbox", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def invitations(tmp_path: Path) -> Path:
    path = tmp_path / "Invitations.csv"
    path.write_text(
        "From,To,Sent At,Message,Direction\n"
        'Max Muster,Mira Testfeld,"1/29/26, 2:37 PM",,INCOMING\n'
        'Eva Beispiel,Mira Testfeld,"1/30/26, 9:05 AM",Hallo Mira,INCOMING\n',
        encoding="utf-8",
    )
    return path


def store_of(home: Path) -> Path:
    return home / ".local" / "share" / "netinbox" / "netinbox.db"


def test_reading_commands_on_a_new_machine_read_an_empty_store(home: Path) -> None:
    assert netinbox(home, "due").stdout == "Nothing due.\n"
    assert json.loads(netinbox(home, "due", "--json").stdout) == []
    assert json.loads(netinbox(home, "export").stdout) == []
    csv_text = netinbox(home, "export", "--format", "csv").stdout
    assert csv_text.lstrip("\ufeff").startswith("id,platform,direction,type,name")
    assert everything_in(home) == []  # reading creates nothing


@pytest.mark.slow  # (runs in CI: .ci/run)
@pytest.mark.parametrize(
    "args", [["backup", "copy.db"], ["forget", "1", "--yes"]], ids=["backup", "forget"]
)
def test_commands_that_need_a_store_say_so_and_create_nothing(home: Path, args) -> None:
    result = netinbox(home, *args)
    assert result.returncode == 1
    assert result.stderr == f"netinbox: {store_of(home)}: no such netinbox store\n"
    assert everything_in(home) == []


def test_add_creates_the_data_folder_privately(home: Path) -> None:
    result = netinbox(home, "add", "--name", "Max Muster")
    assert (result.returncode, result.stdout) == (0, "Added request #1.\n"), result.stderr
    store = store_of(home)
    assert everything_in(home) == [
        ".local",
        ".local/share",
        ".local/share/netinbox",
        ".local/share/netinbox/netinbox.db",
    ]
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    assert "Max Muster" in netinbox(home, "export").stdout


def test_import_on_a_new_machine(home: Path, invitations: Path) -> None:
    result = netinbox(home, "import", str(invitations))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("2 new, 0 updated, 0 unchanged, 0 skipped\n")
    assert len(json.loads(netinbox(home, "export").stdout)) == 2


def test_demo_command_on_a_new_machine(home: Path) -> None:
    result = netinbox(home, "demo")
    assert result.returncode == 0 and "demo requests written" in result.stdout, result.stderr


@pytest.mark.parametrize(
    "how",
    [
        "bad file",
        # the same promise, each in a child process of its own: run in CI (.ci/run)
        *(
            pytest.param(how, marks=pytest.mark.slow)
            for how in ("dry-run", "strict", "missing file", "bad add")
        ),
    ],
)
def test_a_first_command_that_fails_or_only_tries_leaves_nothing(
    home: Path, invitations: Path, tmp_path: Path, how: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("From,To,Sent At,Message,Direction\nA,B,someday,,INCOMING\n")
    args = {
        "dry-run": ["import", "--dry-run", str(invitations)],
        "bad file": ["import", str(HERE / "test_first_run.py")],
        "strict": ["import", "--strict", str(bad)],
        "missing file": ["import", str(tmp_path / "nope.csv")],
        "bad add": ["add", "--name", "X", "--received", "someday"],
    }[how]
    result = netinbox(home, *args)
    assert result.returncode == (0 if how == "dry-run" else 1), result.stderr
    assert everything_in(home) == []  # no store, no lock, no folder


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_db_in_a_folder_that_does_not_exist_yet(home: Path, tmp_path: Path, invitations) -> None:
    path = tmp_path / "new" / "deeper" / "n.db"
    assert (
        netinbox(home, "--db", str(path), "import", "--dry-run", str(invitations)).returncode == 0
    )
    assert not (tmp_path / "new").exists()
    assert netinbox(home, "--db", str(path), "add", "--name", "X").returncode == 0
    assert everything_in(tmp_path / "new") == ["deeper", "deeper/n.db"]
    # a named store that does not exist is a mistake to point out, not an empty store
    missing = tmp_path / "typo.db"
    result = netinbox(home, "due", "--db", str(missing))
    assert (result.returncode, result.stderr) == (
        1,
        f"netinbox: {missing}: no such netinbox store\n",
    )


def test_the_app_opens_on_a_new_machine(home: Path) -> None:
    ptyprocess = pytest.importorskip("ptyprocess")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.pop("NETINBOX_DB", None)
    env.update(HOME=str(home), PYTHONPATH=str(HERE.parent), TERM="xterm-256color")
    app = ptyprocess.PtyProcessUnicode.spawn(
        [sys.executable, "-m", "netinbox"], env=env, dimensions=(24, 80)
    )
    try:
        screen = ""
        deadline = time.monotonic() + 60
        while "No requests yet" not in screen and time.monotonic() < deadline:
            try:
                screen += app.read(4096)
            except EOFError:
                break
        assert "No requests yet" in screen, screen[-2000:]
        app.write("q")
        while app.isalive() and time.monotonic() < deadline:
            try:
                app.read(4096)
            except EOFError:
                break
        app.wait()
        assert app.exitstatus == 0
    finally:
        if app.isalive():
            app.terminate(force=True)
    assert store_of(home).exists()
