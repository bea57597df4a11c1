"""Other tools' lists: CSV and JSON mapped by column name, and the header-less scrape."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netinbox.importers import BadInput, ImportContext, iter_records
from netinbox.importers.generic import generic_columns, is_generic_header, salvage_rows
from netinbox.models import Direction, Platform, RequestRecord, SkippedRecord
from tests.conftest import BERLIN

SCRAPE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "samples"
    / "thirdparty"
    / "invitation_cards_dom_scrape_noheader.csv"
)
MTIME = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def read(path: Path, platform: Platform | None = None, strict: bool = False) -> list:
    ctx = ImportContext(platform=platform, tz=BERLIN)
    return list(iter_records([path], ctx, strict=strict))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return path


def brief(records: list) -> list[tuple]:
    return [
        (r.source, r.reason)
        if isinstance(r, SkippedRecord)
        else (r.source, r.platform, r.direction, r.name, r.profile_url, r.headline, r.message)
        for r in records
    ]


# --- The browser scrape -----------------------------------------------------------------------------


def test_scrape_without_header_imported_and_malformed_row_reported(tmp_path: Path) -> None:
    path = tmp_path / SCRAPE.name
    shutil.copy(SCRAPE, path)
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    records = read(path)
    assert brief(records) == [
        (
            f"{SCRAPE.name}:1",
            Platform.LINKEDIN,
            Direction.INCOMING,
            "Jördis Übermuth",
            "https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21",
            "Rechtsanwältin | Datenschutz & IT-Recht",
            "Hallo Mira, ich habe Ihren Vortrag über Datenschutz gesehen.",
        ),
        (
            f"{SCRAPE.name}:2",
            Platform.LINKEDIN,
            Direction.INCOMING,
            "Rita Recruiterova",
            "https://www.linkedin.com/in/rita-recruiterova-talent",
            "Talent Partner – we are hiring!",
            "",
        ),
        (f"{SCRAPE.name}:3", 'malformed quotes (a " inside a quoted field is not doubled)'),
    ]
    # No date in a scrape: the file's modification time, stable across re-imports.
    assert {r.received_at for r in records if isinstance(r, RequestRecord)} == {MTIME}


def test_scrape_in_strict_mode_raises_at_the_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "scrape.csv"
    shutil.copy(SCRAPE, path)
    with pytest.raises(BadInput) as caught:
        read(path, strict=True)
    assert caught.value.line == 3


def test_salvage_rows_keeps_multiline_fields_and_resyncs_after_a_bad_one() -> None:
    lines = ['a,"b\n', 'c",d\n', 'e,"f"g,h\n', "i,j\n", 'k,"never\n', "l,m\n"]
    assert list(salvage_rows(lines, ",")) == [
        (1, ["a", "b\nc", "d"]),
        (3, None),
        (4, ["i", "j"]),
        (5, None),
        (6, ["l", "m"]),
    ]


# --- CSV with named columns ------------------------------------------------------------------------


def test_columns_matched_by_synonyms_with_semicolons(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tool.csv",
        "Full Name;Profile Link;Job Title;Organization;Invitation Message;Received At;"
        "Network;Direction\n"
        "Ada Lovelace;https://www.xing.com/profile/Ada_Lovelace;Countess;Engines;Hallo!;"
        "2025-03-01T10:00:00Z;;received\n"
        "Bea Bauer;https://www.linkedin.com/in/bea;;;;01.03.2025;;\n"
        "Cy Chen;;;;;3/1/25, 9:00 AM;LinkedIn;outgoing\n"
        "Di Diaz;;;;;2025-03-01;;\n",
    )
    records = read(path)
    assert brief(records) == [
        (
            "tool.csv:2",
            Platform.XING,
            Direction.INCOMING,
            "Ada Lovelace",
            "https://www.xing.com/profile/Ada_Lovelace",
            "Countess",
            "Hallo!",
        ),
        (
            "tool.csv:3",
            Platform.LINKEDIN,
            Direction.INCOMING,
            "Bea Bauer",
            "https://www.linkedin.com/in/bea",
            "",
            "",
        ),
        ("tool.csv:4", Platform.LINKEDIN, Direction.OUTGOING, "Cy Chen", None, "", ""),
        ("tool.csv:5", Platform.OTHER, Direction.INCOMING, "Di Diaz", None, "", ""),
    ]
    assert records[0].company == "Engines"
    assert [r.received_at for r in records] == [
        datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
        datetime(2025, 2, 28, 23, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
        datetime(2025, 2, 28, 23, 0, tzinfo=UTC),
    ]


def test_platform_falls_back_to_the_context(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "Name,Date\nAda,2025-03-01\n")
    (record,) = read(path, platform=Platform.XING)
    assert record.platform is Platform.XING


def test_first_and_last_name_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path, "t.csv", "first_name,lastName,profileUrl\nAda,Lovelace,linkedin.com/in/ada\n"
    )
    (record,) = read(path)
    assert (record.name, record.profile_url, record.platform) == (
        "Ada Lovelace",
        "linkedin.com/in/ada",
        Platform.LINKEDIN,
    )


def test_missing_date_uses_the_file_mtime_and_bad_rows_are_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.csv",
        "Name,Note,Date,Direction\n"
        "Ada,hi,,\n"
        "Bea,hi,someday,\n"
        ",hi,2025-03-01,\n"
        "Cy,hi,2025-03-01,sideways\n"
        "Di,hi,2025-03-01,incoming,extra\n",
    )
    records = read(path)
    assert records[0].received_at == MTIME
    assert brief(records[1:]) == [
        ("t.csv:3", "unparseable date 'someday'"),
        ("t.csv:4", "missing name"),
        ("t.csv:5", "unknown direction 'sideways'"),
        ("t.csv:6", "expected 4 fields, found 5"),
    ]


def test_generic_header_needs_a_name_and_one_more_field() -> None:
    assert is_generic_header(["Name", "URL"])
    assert is_generic_header(["Vorname", "Nachname", "Firma", "x"]) is False  # Firma unknown
    assert not is_generic_header(["Name"])
    assert not is_generic_header(["URL", "Date"])
    assert generic_columns(["Title", "Position", "NAME", "link"]) == {
        "name": 2,
        "profile url": 3,
        "headline": 0,
    }


# --- JSON -------------------------------------------------------------------------------------------


def test_json_array_of_objects(tmp_path: Path) -> None:
    items = [
        {
            "fullName": "Ada Lovelace",
            "profile_url": "https://www.linkedin.com/in/ada",
            "headline": "Countess",
            "message": "Hi",
            "sentAt": "2025-03-01T10:00:00+01:00",
            "mutual": 3,
        },
        {"name": "Bea", "date": 1741600800},  # Unix seconds
        {"name": "Cy", "date": 1741600800000, "network": "XING"},  # milliseconds
        {"name": "Di", "date": "2025-02-30"},
        "not an object",
        {"name": {"first": "nested"}, "url": "https://www.xing.com/profile/x"},
    ]
    records = read(write(tmp_path, "r.json", json.dumps(items)))
    assert brief(records) == [
        (
            "r.json#1",
            Platform.LINKEDIN,
            Direction.INCOMING,
            "Ada Lovelace",
            "https://www.linkedin.com/in/ada",
            "Countess",
            "Hi",
        ),
        ("r.json#2", Platform.OTHER, Direction.INCOMING, "Bea", None, "", ""),
        ("r.json#3", Platform.XING, Direction.INCOMING, "Cy", None, "", ""),
        ("r.json#4", "unparseable date '2025-02-30'"),
        ("r.json#5", "not an object"),
        ("r.json#6", "missing name"),
    ]
    assert [r.received_at for r in records[:3]] == [
        datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2025, 3, 10, 10, 0, tzinfo=UTC),
        datetime(2025, 3, 10, 10, 0, tzinfo=UTC),
    ]


def test_json_object_with_requests(tmp_path: Path) -> None:
    document = {"exported": "today", "requests": [{"Name": "Ada", "Network": "xing"}]}
    (record,) = read(write(tmp_path, "r.json", json.dumps(document)))
    assert (record.name, record.platform, record.received_at) == ("Ada", Platform.XING, MTIME)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[{"name": "Ada",}\n]', "not valid JSON"),
        ('{"people": []}', "expected a JSON array"),
        ("[" * 100_000, "not valid JSON"),
        ('{"requests": [1, 2', "not valid JSON"),
    ],
    ids=["trailing comma", "no list", "deep nesting", "cut short"],
)
def test_bad_json(tmp_path: Path, content: str, problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        read(write(tmp_path, "r.json", content))
