"""B: untrusted text on the screen (docs/reliability.md, the B cases). Names, headlines, messages, cell
values, mail headers and file names come from strangers. In the app they are shown as
data (never markup, no action, no escape reaching the terminal); on the command line
every message and every output to a terminal passes the same boundary (`for_terminal`),
while data written to a file or a pipe stays exact.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netinbox.identity import is_safe_profile_url
from netinbox.models import Platform
from netinbox.store import Store
from netinbox.text import for_storage, for_terminal, is_display_safe, match_key
from netinbox.tui.app import NetInboxApp
from tests.conftest import T0

from .conftest import (
    ESCAPES,
    HOSTILE,
    ROOT,
    assert_terminal_safe,
    cli,
    netinbox_on_terminal,
    ok,
    snapshot,
)

CLI_GAP = "the command line prints stored or file text raw (issue 11)"


# --- B-1 … B-4, B-8: the app ---------------------------------------------------------------

APP_PEOPLE: tuple[dict[str, Any], ...] = (
    {"name": "[@click=app.quit]Eve[/]", "headline": "Boss\x1b]2;PWNED\x07 of things"},
    {
        "name": "Mal[@click=app.screenshot('owned.svg','/tmp')]lory[/]",
        "company": "[link='https://evil.example']x[/link]",
    },
    {"name": "[/", "message": "\x1b[2J\x9b31m[/foo] x \x00 \u202eevil \x9d52;c;AAAA\x9c"},
    {"name": "Bob [/] Tables", "headline": "\u2066\u202eRTL\u2069 \u200bzero\u00adwidth"},
    {"name": "Long " + "L" * 100_000, "headline": "H" * 1_000_000},
)


@pytest.fixture
def hostile_store(store: Store, add: Callable[..., int]) -> Store:
    for days, fields in enumerate(APP_PEOPLE, 1):
        add(days_ago=days, **fields)
    return store


def assert_inert(app: NetInboxApp) -> None:
    """No clickable action, no link, no control or invisible format character on screen."""
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is not None:
                assert style.link is None, segment
                meta = style.meta or {}
                assert not any(str(key).startswith("@click") for key in meta), segment
            assert is_display_safe(segment.text), repr(segment.text[:80])


async def test_b1_b2_b3_b4_hostile_text_renders_as_inert_data(
    hostile_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.chdir(tmp_path)
    app = NetInboxApp(hostile_store)
    seen = []
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.draft.cursor_blink = False
        for _ in range(len(APP_PEOPLE)):
            await pilot.pause()
            assert_inert(app)
            seen.extend(
                "".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()
            )
            await pilot.click("#profile", offset=(3, 1))  # on the name: runs nothing
            await pilot.press("j")
        await pilot.pause()
        assert app.is_running and app.return_code is None  # no markup crash, no quit action
    text = "\n".join(seen)
    for literal in ("[@click=app.quit]Eve[/]", "Bob [/] Tables", "Boss of things"):
        assert literal in text, literal
    assert not list(tmp_path.glob("*.svg")) and not Path("/tmp/owned.svg").exists()


async def test_b8_a_megabyte_name_is_capped_in_the_list(
    hostile_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    app = NetInboxApp(hostile_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any("LLLL" in line for line in lines)
        assert all(len(line) <= 160 for line in lines)


# --- B-3: what the command line prints ------------------------------------------------------


@pytest.fixture
def hostile_db(db_path: Path, rec) -> Path:  # type: ignore[no-untyped-def]
    """A store whose one person's name, headline, message and answer carry every payload."""
    with Store(db_path) as store:
        rid = store.add_request(
            rec(HOSTILE, headline=HOSTILE, company=HOSTILE, message=HOSTILE, days_ago=30)
        )
        store.mark_sent(rid, HOSTILE)
    return db_path


def test_b3_due_prints_names_inert(hostile_db: Path) -> None:
    result = ok("due", "--db", hostile_db, "--days", "30")
    assert "Eve" in result.stdout
    assert_terminal_safe(result.output)


def test_b3_forget_asks_and_answers_with_the_name_inert(hostile_db: Path) -> None:
    result = cli("forget", "--db", hostile_db, "1", stdin="n\n")
    assert "Eve" in result.output
    assert_terminal_safe(result.output)
    result = ok("forget", "--db", hostile_db, "1", "--yes")
    assert_terminal_safe(result.output)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_b3_export_to_a_pipe_is_exact_data(hostile_db: Path, fmt: str) -> None:
    """D-5: the data export keeps what the sender wrote, byte for byte."""
    out = ok("export", "--db", hostile_db, "--format", fmt).stdout
    stored = for_storage(HOSTILE, one_line=True)
    if fmt == "json":
        assert json.loads(out)[0]["name"] == stored
    else:
        row = next(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        assert row["name"] == stored


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_b3_export_to_a_terminal_is_inert(hostile_db: Path, fmt: str) -> None:
    run = netinbox_on_terminal("export", "--db", hostile_db, "--format", fmt)
    assert run.code == 0, run.out
    assert "Eve" in run.out
    assert_terminal_safe(run.out)


def csv_with(tmp_path: Path, header: str, row: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


PAYLOAD = "\x1b]2;PWNED\x07\x1b]52;c;cm0gLXJm\x07\x9d2;C1\x9c\u202eevil"

STRICT_CASES = {
    "generic date": ("name,date", f"Eve,{PAYLOAD}"),
    "generic direction": ("name,date,direction", f"Eve,2026-01-02,{PAYLOAD}"),
    "invitations date": (
        "From,To,Sent At,Message,Direction",
        f"Eve,Mira,{PAYLOAD},,INCOMING",
    ),
    "invitations direction": (
        "From,To,Sent At,Message,Direction",
        f'Eve,Mira,"1/2/26, 9:15 AM",,{PAYLOAD}',
    ),
}


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("case", sorted(STRICT_CASES))
def test_b3_import_messages_quote_values_inert(
    db_path: Path, tmp_path: Path, case: str, strict: bool
) -> None:
    header, row = STRICT_CASES[case]
    name = "Invitations.csv" if case.startswith("invitations") else "list.csv"
    path = csv_with(tmp_path, header, row, name)
    result = cli("import", "--db", db_path, path, *(["--strict"] if strict else []))
    assert "Traceback" not in result.output
    if strict:
        assert result.exit_code != 0
    assert_terminal_safe(result.output)


def zip_with_member(path: Path, member: str, *, encrypted: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member), "From,To,Sent At,Message,Direction\n")
    if encrypted:  # `writestr` clears the flag: set bit 0 in both headers by hand
        data = bytearray(path.read_bytes())
        for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.index(signature)
            data[start + at] |= 0x1
        path.write_bytes(bytes(data))
        with zipfile.ZipFile(path) as archive:
            assert archive.infolist()[0].flag_bits & 0x1
    return path


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "member,encrypted",
    [
        pytest.param(
            f"{PAYLOAD}/Invitations.csv",
            True,
            id="encrypted",
        ),
        pytest.param(f"../{PAYLOAD}/Invitations.csv", False, id="traversal"),
    ],
)
def test_b3_zip_member_names_in_messages_are_inert(
    db_path: Path, tmp_path: Path, member: str, encrypted: bool, strict: bool
) -> None:
    archive = zip_with_member(tmp_path / "export.zip", member, encrypted=encrypted)
    result = cli("import", "--db", db_path, archive, *(["--strict"] if strict else []))
    assert result.exit_code != 0
    assert_terminal_safe(result.output)


@pytest.mark.parametrize("command", ["import", "add", "due"])
def test_b3_file_names_in_messages_are_inert(tmp_path: Path, command: str) -> None:
    """A file name is text from outside too (a downloaded attachment, a shared folder)."""
    hostile = tmp_path / f"x{PAYLOAD}.csv"
    if command == "import":
        result = cli("import", "--db", tmp_path / "n.db", hostile)
    elif command == "add":  # a folder where the store should be: refused, by name
        (tmp_path / f"folder{PAYLOAD}.db").mkdir()
        result = cli("add", "--db", tmp_path / f"folder{PAYLOAD}.db", "--name", "X")
    else:
        result = cli("due", "--db", hostile)
    assert result.exit_code != 0
    assert_terminal_safe(result.output)


def test_b3_add_refusals_quote_the_value_inert(tmp_path: Path) -> None:
    result = cli("add", "--db", tmp_path / "n.db", "--name", "X", "--received", PAYLOAD)
    assert result.exit_code != 0
    assert_terminal_safe(result.output)


def test_b3_a_config_error_quotes_its_key_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'"{PAYLOAD}" = 1\n'.replace("\x1b", "\\u001b").replace("\x07", "\\u0007"))
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    result = cli("due", "--db", tmp_path / "n.db")
    assert result.exit_code != 0
    assert_terminal_safe(result.output)


def test_b3_the_import_summary_is_inert(db_path: Path, tmp_path: Path) -> None:
    rows = [{"name": f"{HOSTILE} {i}", "date": f"not a date {PAYLOAD}"} for i in range(3)]
    path = tmp_path / f"list{PAYLOAD}.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    result = cli("import", "--db", db_path, path)
    assert result.exit_code == 0 and "skipped" in result.output
    assert_terminal_safe(result.output)


# --- B-4 … B-10: the text boundaries --------------------------------------------------------


@pytest.mark.parametrize("payload", ESCAPES)
def test_b3_b4_every_payload_is_inert_after_the_boundary(payload: str) -> None:
    shown = for_terminal(f"a{payload}b")
    assert is_display_safe(shown)
    assert for_terminal(shown) == shown


def test_b5_zero_width_and_normal_form_do_not_make_a_second_person(store: Store, rec) -> None:  # type: ignore[no-untyped-def]
    nfd = unicodedata.normalize("NFD", "Jürgen Weiß")
    sneaky = nfd.replace("Weiß", "Wei\u200bß")
    assert match_key(sneaky) == match_key("Jürgen Weiß")
    store.add_request(rec("Jürgen Weiß", days_ago=60))
    store.add_request(rec(sneaky, days_ago=1))
    assert store.conn.execute("SELECT count(*) FROM persons").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM requests").fetchone()[0] == 2


def test_b7_names_are_stored_in_normal_form_c(db_path: Path, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Jürgen Müller")
    path = csv_with(tmp_path, "name,date", f"{nfd},2026-01-02")
    ok("import", "--db", db_path, path)
    (name,) = [r[1] for r in snapshot(db_path)[1]]
    assert name == "Jürgen Müller" and unicodedata.is_normalized("NFC", name)


def test_b9_line_breaks_in_one_line_fields_stay_on_one_line(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    people = [
        {"name": f"Multi{sep}Line {i}", "date": "2025-12-01", "headline": f"a{sep}b"}
        for i, sep in enumerate(["\n", "\r", "\u2028", "\u2029", "\x85", "\x0b"])
    ]
    path.write_text(json.dumps(people), encoding="utf-8")
    ok("import", "--db", db_path, path)
    with Store(db_path) as store:
        for rid in range(1, 7):
            store.mark_sent(rid, "Why?")
    due = ok("due", "--db", db_path, "--days", "30").stdout
    assert len(due.splitlines()) == 6, due
    for _, name, _, _ in snapshot(db_path)[1]:
        assert len(name.splitlines()) == 1, repr(name)


def test_b10_lone_surrogates_never_crash(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        '[{"name": "Broken \\ud83d Emoji", "date": "2026-01-02", "message": "\\udfff"}]'
    )
    ok("import", "--db", db_path, path)
    (name,) = [r[1] for r in snapshot(db_path)[1]]
    assert name == "Broken \ufffd Emoji"
    assert json.loads(ok("export", "--db", db_path).stdout)[0]["name"] == name
    assert_terminal_safe(ok("due", "--db", db_path).output)


# --- B-11, B-12: links and rendered text ----------------------------------------------------


@pytest.mark.parametrize(
    "url,safe",
    [
        ("https://www.linkedin.com/in/anna-albers", True),
        ("https://de.linkedin.com/in/anna", True),
        ("https://www.xing.com/profile/Ben_Brandt", True),
        ("http://www.linkedin.com/in/anna", False),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://linkedin.com.evil.example/in/x", False),
        ("https://evil.example/www.linkedin.com/in/x", False),
        ("https://www.linkedin.com@evil.example/in/x", False),
        ("https://xn--lnkedin-9ya.com/in/x", False),
        ("", False),
    ],
)
def test_b11_only_https_links_to_linkedin_or_xing_are_opened(url: str, safe: bool) -> None:
    assert is_safe_profile_url(url) is safe


def test_b12_no_untrusted_text_goes_through_markdown_or_markup_strings() -> None:
    """Markdown makes links live; f-strings into markup run actions (B-1). Neither in the app."""
    offenders = []
    for path in sorted((ROOT / "netinbox" / "tui").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            if "Markdown(" in line or "MarkdownViewer" in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
            if 'Static(f"' in line or 'Label(f"' in line or 'border_title = f"' in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, offenders


_ = (Platform, T0)
