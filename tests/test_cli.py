"""The `netinbox` command: what it prints, what it writes, and one clear line on every error."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netinbox.cli import main
from netinbox.config import Config
from netinbox.demo import build_demo
from netinbox.store import Store


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if ok:
        assert result.exit_code == 0, result.output
    return result


def fails(*args: str) -> str:
    """Run a command that must fail; return its one line of error."""
    result = run(*args, ok=False)
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.stderr.startswith("netinbox: "), result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store for the module (building it takes a while); tests get copies."""
    path = tmp_path_factory.mktemp("demo") / "master.db"
    with Store(path, config=Config()) as store:
        build_demo(store)
    return path


@pytest.fixture
def demo_db(demo_master: Path, tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    shutil.copy2(demo_master, path)
    return path


def test_demo_then_due(tmp_path: Path) -> None:
    demo_db = tmp_path / "x.db"
    assert "demo requests written" in run("demo", "--db", str(demo_db)).output
    assert stat.S_IMODE(demo_db.stat().st_mode) == 0o600
    lines = run("due", "--db", str(demo_db)).stdout.splitlines()
    overdue = [line for line in lines if line.startswith("OVERDUE ")]
    assert len(overdue) >= 3
    assert any("Kevin Schulz" in line for line in overdue)
    items = json.loads(run("due", "--db", str(demo_db), "--json").stdout)
    assert {"id", "name", "platform", "sent_at", "due_at", "overdue"} <= set(items[0])
    assert sum(item["overdue"] for item in items) == len(overdue)
    assert [i["due_at"] for i in items] == sorted(i["due_at"] for i in items)


def test_due_output_is_terminal_safe(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute(
        "UPDATE persons SET name = 'Evil \x1b]2;PWNED\x07 Name' WHERE name = 'Kevin Schulz'"
    )
    conn.commit()
    conn.close()
    out = run("due", "--db", str(demo_db)).stdout
    assert "Evil  Name" in out and "\x1b" not in out and "\x07" not in out


def test_group_level_db_option_and_environment(demo_db: Path, monkeypatch) -> None:
    assert "OVERDUE" in run("--db", str(demo_db), "due").stdout
    monkeypatch.setenv("NETINBOX_DB", str(demo_db))
    assert "OVERDUE" in run("due").stdout


def test_export_json_and_csv(demo_db: Path, tmp_path: Path) -> None:
    items = json.loads(run("export", "--db", str(demo_db)).stdout)
    assert len(items) >= 40
    out = tmp_path / "f.csv"
    result = run("export", "--db", str(demo_db), "--format", "csv", "-o", str(out))
    assert f"Wrote {out}." in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(items) + 1
    german = run("export", "--db", str(demo_db), "--format", "csv", "--delimiter", ";").stdout
    assert german.splitlines()[0].startswith("\ufeffid;platform;")


def test_backup(demo_db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "backup.db"
    assert f"Backed up to {dest}." in run("backup", "--db", str(demo_db), str(dest)).stdout
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM requests").fetchone()[0] >= 40
    conn.close()


def test_forget(demo_db: Path) -> None:
    items = json.loads(run("export", "--db", str(demo_db)).stdout)
    yuki = next(i for i in items if i["name"] == "Yuki Tanaka")
    out = run("forget", "--db", str(demo_db), str(yuki["person_id"]), "--yes").stdout
    assert out.startswith("Forgot Yuki Tanaka.")
    after = json.loads(run("export", "--db", str(demo_db)).stdout)
    assert len(after) == len(items) - 1
    assert b"Yuki Tanaka" not in demo_db.read_bytes()
    message = fails("add", "--db", str(demo_db), "--name", "Yuki Tanaka")
    assert "forgotten" in message
    assert "no person 99999" in fails("forget", "--db", str(demo_db), "99999", "--yes")
    result = CliRunner().invoke(
        main, ["forget", "--db", str(demo_db), str(items[0]["person_id"])], input="n\n"
    )
    assert result.exit_code != 0 and "nothing was forgotten" in result.stderr


def test_add(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = run(
        "add", "--db", str(db), "--name", "Hand Added", "--headline", "tba",
        "--message", "Hallo", "--platform", "xing", "--received", "2026-01-02",
    )  # fmt: skip
    assert result.stdout.startswith("Added request #1.")
    [item] = json.loads(run("export", "--db", str(db)).stdout)
    assert item["name"] == "Hand Added" and item["platform"] == "xing"
    assert item["received_at"].startswith(("2026-01-01T", "2026-01-02T"))
    assert item["flags"] == ["placeholder_title"]  # "tba"; no company given: unknown
    assert "not a date" in fails("add", "--db", str(db), "--name", "X", "--received", "soon")
    assert "no name" in fails("add", "--db", str(db), "--name", "   ")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_demo_needs_an_empty_store(demo_db: Path) -> None:
    assert "already holds requests" in fails("demo", "--db", str(demo_db))


def test_empty_store_reads_as_empty(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    run("add", "--db", str(db), "--name", "Someone")
    run("forget", "--db", str(db), "1", "--yes")
    assert run("due", "--db", str(db)).stdout == "Nothing due.\n"
    assert json.loads(run("export", "--db", str(db)).stdout) == []


def test_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for command in ("due", "export"):
        assert f"{missing}: no such netinbox store" in fails(command, "--db", str(missing))
    assert "no such netinbox store" in fails("backup", "--db", str(missing), str(tmp_path / "b"))
    assert "no such netinbox store" in fails("forget", "--db", str(missing), "1", "--yes")
    assert not missing.exists()


@pytest.mark.parametrize("command", ["due", "export", "add", "demo"])
def test_text_file_as_store(tmp_path: Path, command: str) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Dear diary,\nthis is not a database.\n")
    before = text.read_bytes()
    args = ["--name", "X"] if command == "add" else []
    assert "not a netinbox database" in fails(command, "--db", str(text), *args)
    assert text.read_bytes() == before


@pytest.mark.parametrize("command", ["due", "export", "add", "demo"])
def test_newer_schema(demo_db: Path, command: str) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = demo_db.read_bytes()
    args = ["--name", "X"] if command == "add" else []
    assert "newer netinbox (schema 99" in fails(command, "--db", str(demo_db), *args)
    assert demo_db.read_bytes() == before


def test_store_that_is_not_netinbox(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert "not a netinbox store" in fails("export", "--db", str(other))
    empty = tmp_path / "empty.db"
    empty.touch()
    assert "empty" in fails("due", "--db", str(empty))


def test_config_syntax_error_names_file_and_line(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('my_name = "Mira"\ndeadline_days = seven\n')
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    for args in (["due", "--db", str(demo_db)], ["add", "--db", str(demo_db), "--name", "X"]):
        assert fails(*args).startswith(f"netinbox: {config}:2: ")


def test_config_unknown_key_is_named(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('my_name = "Mira"\n\ndeadlin_days = 3\n')
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    message = fails("export", "--db", str(demo_db))
    assert message == (
        f"netinbox: {config}:3: unknown setting 'deadlin_days' — did you mean 'deadline_days'?"
    )


def test_import_of_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "Invitations.csv"
    assert f"{missing}: no such file or folder" in fails(
        "import", "--db", str(tmp_path / "n.db"), str(missing)
    )


def test_damaged_store_is_one_line_not_a_traceback(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'requests'")]
    conn.close()
    data = bytearray(demo_db.read_bytes())
    for page in pages:
        data[(page - 1) * size + 8 : page * size] = b"\xee" * (size - 8)
    demo_db.write_bytes(bytes(data))
    before = demo_db.read_bytes()
    for args in (["due"], ["export"], ["add", "--name", "Y"], ["backup", str(demo_db) + ".b"]):
        message = fails(*args, "--db", str(demo_db))
        assert f"{demo_db} is damaged" in message and "restore your newest backup" in message
    assert demo_db.read_bytes() == before  # nothing was written into it
    assert not Path(str(demo_db) + ".b").exists()


def test_add_refuses_a_link_that_is_not_a_profile(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    error = fails("add", "--db", db, "--name", "Eve", "--url", "http://evil.example.com/x")
    assert "--url" in error and "linkedin.com or xing.com" in error
    assert "https://" in fails(
        "add", "--db", db, "--name", "Eve", "--url", "http://www.linkedin.com/in/eve"
    )
    assert "--platform xing" in fails(
        "add", "--db", db, "--name", "Eve", "--url", "https://www.xing.com/profile/Eve_X"
    )
    ok = run("add", "--db", db, "--name", "Eve", "--url", "https://www.linkedin.com/in/eve")
    assert ok.stdout.startswith("Added request #")


def test_add_of_a_stored_request_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    args = ("add", "--db", db, "--name", "Grete Sommerfeld", "--received", "2026-01-02")
    assert run(*args).stdout.startswith("Added request #1.")
    again = run(*args).stdout
    assert "Already stored as request #1" in again and "nothing added" in again
    filled = run(*args, "--headline", "Referentin").stdout
    assert "Already stored as request #1" in filled and "filled in" in filled
    assert len(json.loads(run("export", "--db", db).stdout)) == 1


@pytest.mark.parametrize(
    ("keys", "error"),
    [
        (
            'decline = "a"',
            '[keys] decline = "a": a is already the key of ask; choose another key (x is free),'
            " or give ask another key too",
        ),
        (
            'decline = "banana"',
            "[keys] decline = \"banana\": there is no key 'banana'; write a character (x),"
            " a key name (f2, enter, space, slash) or ctrl+x",
        ),
        ('declin = "x"', "[keys]: there is no action 'declin'; did you mean decline?"),
    ],
)
def test_a_key_remap_that_breaks_a_key_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: str, error: str
) -> None:
    """`decline = "a"` would silently take Ask's key: the app does not start on it."""
    config = tmp_path / "config.toml"
    config.write_text(f'my_name = "Mira"\n\n[keys]\nhelp = "f2"\n{keys}\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    assert fails("--db", str(tmp_path / "n.db")) == f"netinbox: {config}:5: {error}"


def test_a_key_remap_that_fits_opens_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netinbox.tui import keys

    config = tmp_path / "config.toml"
    config.write_text('[keys]\nask = "d"\ndecline = "a"\n', encoding="utf-8")  # a swap
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    from netinbox.config import load_config

    keys.check_keymap(load_config())  # no error


@pytest.mark.parametrize(
    "zone,received", [("Europe/Berlin", "0001-01-01"), ("America/New_York", "9999-12-31T23:00")]
)
def test_add_a_date_at_the_edge_of_time_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str, received: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'timezone = "{zone}"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    db = tmp_path / "n.db"
    message = fails("add", "--db", str(db), "--name", "Old", "--received", received)
    assert (
        message == f"netinbox: --received: '{received}' is out of range (years 1 to 9999, in UTC)"
    )
    assert not db.exists()


def test_due_within_an_absurd_number_of_days_is_refused_by_click(demo_db: Path) -> None:
    result = run("due", "--db", str(demo_db), "--days", "100000000", ok=False)
    assert result.exit_code == 2 and "0<=x<=36500" in result.output


def test_a_record_at_the_edge_of_time_is_a_validation_error_not_an_overflow() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from pydantic import ValidationError

    from netinbox.models import Platform, RequestRecord

    edge = datetime(1, 1, 1, tzinfo=ZoneInfo("Europe/Berlin"))
    with pytest.raises(ValidationError, match=r"out of range \(years 1 to 9999, in UTC\)"):
        RequestRecord(platform=Platform.LINKEDIN, name="Old", received_at=edge)
