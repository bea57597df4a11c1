"""The `netinbox` script opens the app without click when the command line holds only the
app's own options (`netinbox.launch`), and is then exactly `netinbox.cli.main`: it reads
the line as click reads it, or leaves the line to click; the same words, exit codes and
store whichever way it goes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netinbox.cli import main
from netinbox.launch import AppOptions, app_options
from netinbox.store import Store
from tests.conftest import ROOT

FOLDER = ROOT / "netinbox"  # a folder that is there, absolute
FILE = ROOT / "pyproject.toml"  # a readable file that is there


@contextmanager
def environment(db: str | None) -> Iterator[dict[str, str]]:
    """os.environ with NETINBOX_DB set to `db` (None: unset) while this lasts."""
    with mock.patch.dict(os.environ):
        os.environ.pop("NETINBOX_DB", None)
        if db is not None:
            os.environ["NETINBOX_DB"] = db
        yield dict(os.environ)


def click_reads(args: Sequence[str]) -> AppOptions | None:
    """What click's parse of `args` (and the environment) gives the app: None where click
    refuses the line, answers it itself (--help, --version) or runs a command."""
    try:
        ctx = main.make_context("netinbox", list(args), resilient_parsing=False)
    except (click.ClickException, click.exceptions.Exit):
        return None
    if ctx._protected_args or ctx.args:  # a command (and its arguments) follows
        return None
    return ctx.params["db_path"], ctx.params["demo"], ctx.params["watch_paths"]


def same_as_click(args: Sequence[str], db: str | None = None) -> AppOptions | None:
    """The launcher's reading of the line, checked against click's: it declines, or it
    gives exactly what click gives."""
    with environment(db) as env:
        fast = app_options(args, env)
        if fast is not None:
            assert fast == click_reads(args), f"the launcher reads {args} (db={db!r}) otherwise"
    return fast


@pytest.mark.parametrize(
    ("args", "db", "expected"),
    [
        ([], None, (None, False, ())),
        (["--demo"], None, (None, True, ())),
        (["--db", "a.db"], None, (Path("a.db"), False, ())),
        (["--db=a.db"], None, (Path("a.db"), False, ())),
        ([], "env.db", (Path("env.db"), False, ())),
        (["--db", "a.db"], str(FOLDER), (Path("a.db"), False, ())),  # the line wins
        (["--db", "a.db", "--demo"], None, (Path("a.db"), True, ())),
        (["--demo", "--demo"], None, (None, True, ())),
        (["--db==x"], None, (Path("=x"), False, ())),
        (
            ["--watch", str(FOLDER), "--demo", f"--watch={FILE}", "--db", "x/"],
            None,
            (Path("x"), True, (FOLDER, FILE)),
        ),
    ],
)
def test_the_apps_own_options_are_read_as_click_reads_them(
    args: list[str], db: str | None, expected: AppOptions
) -> None:
    assert same_as_click(args, db) == expected


@pytest.mark.parametrize(
    ("args", "db"),
    [
        (["due"], None),
        (["--db", "a.db", "due"], None),
        (["-h"], None),
        (["--help"], None),
        (["--version"], None),
        (["--bogus"], None),
        (["--d"], None),  # no abbreviations in click, but leave it to click all the same
        (["--db"], None),  # a missing value
        (["--watch"], None),
        (["--db", ""], None),  # an empty value: click reads it as "." (the current folder)
        (["--db="], None),
        (["--watch="], None),
        (["--db", "--demo"], None),  # click takes "--demo" as the store's name
        (["--db", "-"], None),
        (["--"], None),
        (["--", "--demo"], None),
        (["-"], None),
        (["="], None),
        ([""], None),
        (["--demo=1"], None),
        (["--db", "a", "--db", "b"], None),
        (["--db", str(FOLDER)], None),  # click: "File '…' is a directory."
        ([f"--db={FOLDER}"], None),
        ([], str(FOLDER)),  # NETINBOX_DB a folder: click says so
        ([], ""),  # an empty NETINBOX_DB
        (["--demo"], ""),
    ],
)
def test_anything_else_is_left_to_click(args: list[str], db: str | None) -> None:
    assert same_as_click(args, db) is None


def test_shell_completion_is_left_to_click() -> None:
    with mock.patch.dict(os.environ, {"_NETINBOX_COMPLETE": "bash_complete"}):
        assert app_options([], os.environ) is None


TOKENS = [
    "--db", "--db=x", "--db=", "--db==", "--demo", "--demo=", "--watch", "--watch=x",
    "--watch=", "x", "y.db", "-h", "--help", "--version", "due", "import", "--", "-", "=",
    "", "--d", "--dem", "-x", "--DB", str(FOLDER), str(FILE), f"--db={FOLDER}",
    f"--db={FILE}", f"--watch={FOLDER}", "netinbox", "x/",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    args=st.lists(st.sampled_from(TOKENS), max_size=6),
    db=st.sampled_from([None, "", "env.db", str(FOLDER), str(FILE), "-"]),
)
def test_no_line_is_read_otherwise_than_click_reads_it(args: list[str], db: str | None) -> None:
    same_as_click(args, db)


# --- as the user runs it ---------------------------------------------------------------

APP = """
import sys, types
app = types.ModuleType("netinbox.tui.app")  # the app itself is not this test's business

def run_app(store, **_):
    {app}

app.run_app = run_app
sys.modules["netinbox.tui.app"] = app
"""

APP_SAYS = """from netinbox.i18n import language
    print("the app on", store.path.name, "in", language())
    return 3"""


def netinbox(
    entry: str, *args: str | Path, env: dict[str, str] | None = None, app: str = APP_SAYS
) -> tuple[int, str, str]:
    """`netinbox ARGS` through `entry` (the launcher, or `netinbox.cli`: the script of
    before), as its own process, the app standing in: its exit code, stdout, stderr."""
    code = (
        "import sys\nsys.argv[0] = 'netinbox'\n"
        + APP.format(app=app)
        + f"from {entry} import main\nmain()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def as_before(*args: str | Path, **kwargs: Any) -> tuple[int, str, str]:
    """What the launcher does, which must be what the click command did alone."""
    seen = netinbox("netinbox.launch", *args, **kwargs)
    assert seen == netinbox("netinbox.cli", *args, **kwargs)
    return seen


def one_line(seen: tuple[int, str, str], code: int = 1) -> str:
    assert seen[0] == code, seen
    assert seen[2].startswith("netinbox: ") and seen[2].count("\n") == 1, seen
    return seen[2]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    Store(path).close()
    return path


PROBE = """
import json, sys
import netinbox.tui.app as app  # the real one: it does not bring click either

def run_app(store, **_):
    print(json.dumps({"store": str(store.path), "loaded": sorted(sys.modules)}))
    return 0

app.run_app = run_app
sys.argv[1:] = ["--db", sys.argv[1]]
from netinbox.launch import main
main()
"""


def test_opening_the_app_loads_no_click(filled: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(filled)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["store"] == str(filled)
    assert not {"click", "netinbox.cli"} & set(seen["loaded"])


def test_the_app_opens_on_the_store_named_and_exits_with_its_code(filled: Path) -> None:
    assert as_before("--db", filled) == (3, "the app on store.db in en\n", "")
    assert as_before(env={"NETINBOX_DB": str(filled)})[1] == "the app on store.db in en\n"


def test_the_config_and_the_environment_choose_the_language_as_before(
    filled: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "de"\n', encoding="utf-8")
    assert as_before("--db", filled, env={"NETINBOX_CONFIG": str(config)})[1].endswith("de\n")
    assert as_before("--db", filled, env={"LANGUAGE": "de"})[1].endswith("de\n")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--help"], 0, "Usage: netinbox [OPTIONS]"),
        (["--version"], 0, "netinbox, version"),
        (["--bogus"], 2, "Error: No such option '--bogus'."),
        (["--db"], 2, "Error: Option '--db' requires an argument."),
        (["--db", FOLDER], 2, f"Error: Invalid value for '--db': File '{FOLDER}' is a directory."),
    ],
)
def test_what_click_answers_is_said_as_before(args: list[str], code: int, says: str) -> None:
    seen = as_before(*args)
    assert seen[0] == code and says in seen[1] + seen[2], seen


def test_a_command_runs_as_before(filled: Path) -> None:
    assert as_before("due", "--db", filled) == (0, "Nothing due.\n", "")


def test_a_damaged_store_is_one_clear_line_as_before(filled: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(filled.read_bytes()[:3000])  # cut off in its first page
    line = one_line(as_before("--db", damaged))
    assert f"{damaged} is damaged" in line, line
    config = tmp_path / "config.toml"
    config.write_text('language = "de"\n', encoding="utf-8")
    german = one_line(as_before("--db", damaged, env={"NETINBOX_CONFIG": str(config)}))
    assert german != line  # said in German, as before


def test_a_broken_config_is_one_clear_line_as_before(filled: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("language = \n", encoding="utf-8")
    line = one_line(as_before("--db", filled, env={"NETINBOX_CONFIG": str(config)}))
    assert str(config) in line, line


def test_a_watched_mailbox_that_is_not_there_is_one_clear_line_as_before(
    filled: Path, tmp_path: Path
) -> None:
    one_line(as_before("--db", filled, "--watch", tmp_path / "no-such-mbox"))


@pytest.fixture
def read_only_folder(tmp_path: Path, filled: Path) -> Iterator[Path]:
    """A folder holding a store that cannot be written: a read-only mount as root (who
    passes over a folder's mode), a folder without write permission otherwise."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        shutil.copy2(filled, folder / "store.db")
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    if shutil.which("mount") is None:
        pytest.skip("no mount to make a read-only folder as root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        shutil.copy2(filled, folder / "store.db")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_store_in_a_read_only_folder_is_said_as_before(read_only_folder: Path) -> None:
    for path in (read_only_folder / "new.db", read_only_folder / "store.db"):
        line = one_line(as_before("--db", path))
        assert str(path) in line, line


@pytest.mark.parametrize(
    ("raised", "code"),
    [("EOFError", 1), ("KeyboardInterrupt", 130), ("BrokenPipeError", 0), ("RuntimeError", 1)],
)
def test_what_the_app_raises_ends_the_program_as_before(
    filled: Path, raised: str, code: int
) -> None:
    seen = netinbox("netinbox.launch", "--db", filled, app=f"raise {raised}()")
    before = netinbox("netinbox.cli", "--db", filled, app=f"raise {raised}()")
    assert seen[0] == before[0] == code, (seen, before)
    if raised == "RuntimeError":  # a bug: its traceback, whichever way it went
        assert "RuntimeError" in seen[2] and "RuntimeError" in before[2]
    else:
        assert seen == before
