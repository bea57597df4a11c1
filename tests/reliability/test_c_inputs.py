"""C: untrusted input files (docs/reliability.md, the C cases), one case at a time, through
`netinbox import` as a user runs it. Each is either read correctly or refused with one
line naming the file (and line) and the problem; the store is never half-written.
The importers fuzzed with hypothesis (C-24) are in test_c_fuzz_importers.py.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from netinbox.importers import base
from netinbox.models import AnyRecord
from tests.conftest import EXPORT, EXPORT_ZIP, SAMPLES

from .conftest import cli, ok, refused, snapshot

NASTY = SAMPLES / "linkedin" / "nasty"
VARIANTS = SAMPLES / "linkedin" / "variants"
GENERIC = "name,date,message,headline\n"


@pytest.fixture(autouse=True)
def _zone(berlin: Path) -> None:
    """LinkedIn times carry no zone: read them as Berlin time, so results are exact."""


@pytest.fixture
def db(filled: Path) -> Path:
    return filled


def imported(db: Path) -> dict[str, tuple]:
    return {r[1]: r for r in snapshot(db)[1]}


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def unchanged_after(db: Path, *args: str | Path) -> str:
    before = snapshot(db)
    line = refused("import", "--db", db, *args)
    assert snapshot(db) == before
    return line


# --- C-1 … C-5: encodings and delimiters ----------------------------------------------------


def test_c1_a_utf8_bom_is_not_part_of_the_header(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", "\ufeff" + GENERIC + "Anna Albers,2026-01-02,Hi,Dev\n")
    ok("import", "--db", db, path)
    ok("import", "--db", db, NASTY / "Connections_excel_resaved_bom_crlf.csv")
    assert "Anna Albers" in imported(db)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_c2_utf16_with_bom_and_tabs(db: Path, tmp_path: Path, encoding: str) -> None:
    text = "name\tdate\tmessage\nJürgen Weiß 🚀\t2026-01-02\tServus\n"
    bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
    ok("import", "--db", db, write(tmp_path / "l.txt", bom + text.encode(encoding)))
    assert imported(db)["Jürgen Weiß 🚀"][3] == "Servus"


def test_c3_windows_1252_is_read_as_cp1252_not_latin1(db: Path, tmp_path: Path) -> None:
    data = (GENERIC + "Jürgen Weiß,2026-01-02,Kostet €5 – „gut“,Büro\n").encode("cp1252")
    result = ok("import", "--db", db, write(tmp_path / "l.csv", data))
    assert imported(db)["Jürgen Weiß"][3] == "Kostet €5 – „gut“"
    assert "1252" in result.stdout  # the user is told how the file was read
    ok("import", "--db", db, NASTY / "Connections_excel_de_semicolon_cp1252.csv")


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_c3_an_undefined_cp1252_byte_is_refused_not_misread(
    db: Path, tmp_path: Path, byte: int
) -> None:
    data = (GENERIC + "Jürgen,2026-01-02,x,y\n").encode("cp1252") + bytes([byte]) + b"\n"
    line = unchanged_after(db, write(tmp_path / "l.csv", data))
    assert str(tmp_path / "l.csv") in line


def test_c4_double_encoded_text_is_repaired_or_flagged(db: Path) -> None:
    result = ok("import", "--db", db, NASTY / "Invitations_mojibake.csv")
    names = set(imported(db))
    assert "Jördis Übermuth" in names and not any("Ã" in n for n in names), names
    assert (
        "mojibake" in result.stdout.lower()
        or "double" in result.stdout.lower()
        or "repaired" in result.stdout.lower()
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_c5_the_delimiter_is_detected(db: Path, tmp_path: Path, delimiter: str) -> None:
    rows = ["name,date,message,headline", 'Anna Albers,2026-01-02,"Hi, you; there",Dev']
    text = "\n".join(r.replace(",", delimiter) if i == 0 else r for i, r in enumerate(rows))
    text = text.replace("Anna Albers,2026-01-02,", f"Anna Albers{delimiter}2026-01-02{delimiter}")
    text = text.replace('",Dev', f'"{delimiter}Dev')
    ok("import", "--db", db, write(tmp_path / "l.csv", text + "\n"))
    assert imported(db)["Anna Albers"][3] == "Hi, you; there"


# --- C-6 … C-12: CSV shapes ---------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(p.name for p in VARIANTS.iterdir()) + ["Connections.csv"])
def test_c6_every_export_era_is_read(db: Path, sample: str) -> None:
    path = VARIANTS / sample if (VARIANTS / sample).exists() else EXPORT / sample
    result = ok("import", "--db", db, path)
    assert "Traceback" not in result.output


def test_c7_an_unterminated_quote_is_refused_with_its_line(db: Path, tmp_path: Path) -> None:
    text = (
        GENERIC + 'Anna,2026-01-02,fine,x\nBen,2026-01-03,"never closed,x\nCarla,2026-01-04,y,z\n'
    )
    line = unchanged_after(db, write(tmp_path / "l.csv", text))
    assert f"{tmp_path / 'l.csv'}:3:" in line, line


def test_c8_a_row_with_the_wrong_field_count_is_listed_never_shifted(
    db: Path, tmp_path: Path
) -> None:
    text = (
        GENERIC
        + "Anna,2026-01-02,fine,Dev\nBen,2026-01-03,one,two,three,four\nCarla,2026-01-04,ok,Ops\n"
    )
    result = ok("import", "--db", db, write(tmp_path / "l.csv", text))
    assert "l.csv:3" in result.stdout
    people = imported(db)
    assert "Ben" not in people and people["Carla"][3] == "ok"
    unchanged_after(db, "--strict", write(tmp_path / "again.csv", text))


def test_c9_a_200_kb_field_is_fine_and_an_oversized_one_is_named(db: Path, tmp_path: Path) -> None:
    ok(
        "import",
        "--db",
        db,
        write(tmp_path / "a.csv", GENERIC + f"Anna,2026-01-02,{'x' * 200_000},y\n"),
    )
    assert len(imported(db)["Anna"][3]) == 200_000
    big = "y" * (base.MAX_FIELD_CHARS + 10)
    line = unchanged_after(db, write(tmp_path / "b.csv", GENERIC + f"Ben,2026-01-02,{big},y\n"))
    assert "b.csv" in line and ("limit" in line or "larger" in line or "long" in line), line


def test_c10_nul_bytes_never_reach_the_store(db: Path, tmp_path: Path) -> None:
    ok(
        "import",
        "--db",
        db,
        write(
            tmp_path / "l.json",
            json.dumps([{"name": "A\x00nna", "date": "2026-01-02", "message": "h\x00i"}]),
        ),
    )
    assert imported(db)["Anna"][3] == "hi"


def test_c11_a_file_over_the_size_limit_is_refused_before_reading(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netinbox.importers import detect

    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path / "l.csv", GENERIC + "Anna,2026-01-02,x,y\n" * 200)
    line = unchanged_after(db, path)
    assert "larger than" in line, line


def long_invitations(path: Path, rows: int) -> Path:
    """An Invitations.csv of `rows` requests, each with an 8,000-character message."""
    message = ("Hallo Mira, ich würde mich gern mit Ihnen vernetzen. " * 160)[:8000]
    lines = [INVITATIONS_HEADER] + [
        f'Person {i},Mira Testfeld,"1/2/26, 9:15 AM","{message}",INCOMING,'
        f"https://www.linkedin.com/in/p{i},https://www.linkedin.com/in/mira\n"
        for i in range(rows)
    ]
    return write(path, "".join(lines))


INVITATIONS_HEADER = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"


def test_c11_a_csv_on_disk_is_read_a_chunk_at_a_time(tmp_path: Path) -> None:
    """Reading an 8 MB Invitations.csv holds about what reading a 2 MB one holds, and far
    less than the file: it is read from the disk a chunk at a time on each pass, never held
    whole (the import of 100,000 rows peaked 24 MB above that of 10,000 while it did)."""
    peak_memory_reading(long_invitations(tmp_path / "warm.csv", 5))  # the readers imported
    small, problem = peak_memory_reading(long_invitations(tmp_path / "small.csv", 250))
    big_file = long_invitations(tmp_path / "big.csv", 1000)
    big, problem_big = peak_memory_reading(big_file)
    assert problem == problem_big == ""
    assert big < 1.3 * small, f"{big / 2**20:.1f} MB against {small / 2**20:.1f} MB"
    assert big < big_file.stat().st_size / 3, f"{big / 2**20:.1f} MB"


def padded_zip(path: Path, row: bytes, count: int, *, extra: bytes = b"") -> Path:
    """An export zip whose Invitations.csv is `count` copies of `row`: small on disk, large
    unpacked, and inside the compression ratio limit (checked)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("Invitations.csv", "w", force_zip64=True) as member:
            member.write(b"From,To,Sent At,Message,Direction\n" + extra)
            for _ in range(count):
                member.write(row)
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
        assert 50 < info.file_size / info.compress_size < base.MAX_ZIP_RATIO
    return path


def peak_memory_reading(path: Path) -> tuple[int, str]:
    """The most memory Python held while reading `path` as `import` does, and the refusal."""
    import tracemalloc

    from netinbox.importers import BadInput, ImportContext, iter_records

    tracemalloc.start()
    try:
        for _ in iter_records([path], ImportContext()):
            pass
        problem = ""
    except BadInput as err:
        problem = str(err)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, problem


def _padding_rows() -> bytes:
    return b"".join(
        b'Person,Mira,"1/2/26, 9:15 AM",n%02d,INCOMING\n' % (i % 100) for i in range(100)
    )


def test_c11_a_zip_member_padded_with_rows_is_refused_at_once_in_bounded_memory(
    db: Path, tmp_path: Path
) -> None:
    """A 300 KB zip whose Invitations.csv declares 43 MB, a million near-identical rows, at
    ~150:1 (inside the ratio limit). It used to be read whole (3.7 GB and 68 s for a 1.3 MB
    one, issue 11); now it is streamed, and refused once the rows outnumber what the
    compressed bytes read so far can hold: one line naming the member and the problem."""
    path = padded_zip(tmp_path / "padded.zip", _padding_rows(), 10_000)
    line = unchanged_after(db, path)
    assert "padded.zip/Invitations.csv" in line and "padded" in line, line
    assert "zip bomb" in line, line
    peak, problem = peak_memory_reading(path)
    assert "rows from" in problem, problem
    assert peak < 24 * 2**20, f"{peak / 2**20:.0f} MB held for a 300 KB zip"


def test_c11_a_zip_member_padded_with_blank_lines_is_refused_too(db: Path, tmp_path: Path) -> None:
    """Blank lines are dropped, but reading them costs as much as rows: they count."""
    import os

    noise = b'Person,Mira,"1/2/26, 9:15 AM",' + os.urandom(150_000).hex().encode() + b",X\n"
    path = padded_zip(tmp_path / "blank.zip", b"\n" * 2**20, 20, extra=noise)
    line = unchanged_after(db, path)
    assert "blank.zip/Invitations.csv" in line and "padded" in line, line


def test_c11_a_member_with_a_line_longer_than_any_row_is_refused_without_holding_it(
    db: Path, tmp_path: Path
) -> None:
    """Fields are at most a million characters, and a line is read whole: a line of 3
    million (in 1.5 MB of zip) is refused with its number, not held."""
    import os

    path = tmp_path / "line.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Invitations.csv", "w") as member:
            member.write(b"From,To,Sent At,Message,Direction\n")
            member.write(b",".join(os.urandom(25).hex().encode() for _ in range(60_000)))
    line = unchanged_after(db, path)
    assert "line.zip/Invitations.csv:2: a line longer than" in line, line


def test_c11_a_streamed_zip_member_reads_the_same_as_the_file_on_disk(tmp_path: Path) -> None:
    zipped, folder = tmp_path / "zip.db", tmp_path / "folder.db"
    ok("import", "--db", zipped, EXPORT_ZIP)
    ok("import", "--db", folder, EXPORT)
    assert snapshot(zipped)[1:] == snapshot(folder)[1:]


@pytest.mark.slow
def test_c11_a_zip_member_padded_with_huge_fields_imports_in_bounded_memory(
    db: Path, tmp_path: Path
) -> None:
    """A 2 MB zip whose 250 rows carry a 900,000-character message each (225 MB unpacked,
    ~100:1): few rows, so not padding by count; read as a stream and written a few rows at
    a time, within 600 MB of address space, or refused in one line."""
    import os
    import resource

    from .conftest import netinbox

    row = b'Person,Mira,"1/2/26, 9:15 AM",' + b"x" * 900_000 + os.urandom(4_500).hex().encode()
    path = padded_zip(tmp_path / "fields.zip", row + b",INCOMING\n", 250)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (600 * 2**20, 600 * 2**20))

    run = netinbox("import", "--db", db, path, preexec=limit, timeout=300)
    assert "Traceback" not in run.err and run.code == 0, run.err[-500:]


MESSAGES_HEADER = (
    b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    b"DATE,SUBJECT,CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n"
)


def padded_messages_zip(path: Path, content_chars: int, count: int) -> Path:
    """An export zip whose messages.csv holds `count` messages of `content_chars` characters
    each, mostly `x` with a varying letter every 60: inside the ratio limit (checked), few
    rows (so not padding by count), large unpacked."""
    import random

    pick = random.Random(11).choice
    content = "".join(pick("ab") if i % 60 == 0 else "x" for i in range(content_chars))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("messages.csv", "w", force_zip64=True) as member:
            member.write(MESSAGES_HEADER)
            for i in range(count):
                member.write(
                    b"c%d,,Person %d,https://www.linkedin.com/in/p%d,Mira,,"
                    b"2026-01-02 12:00:00 UTC,,%s,INBOX,,No\n" % (i, i, i, content.encode())
                )
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
        assert 50 < info.file_size / info.compress_size < base.MAX_ZIP_RATIO
    return path


def peak_memory_importing(db: Path, path: Path) -> tuple[int, list[str]]:
    """The most memory Python held while `import` read and applied `path`, and its report."""
    import tracemalloc

    from netinbox.importing import run_import
    from netinbox.store import Store

    with Store(db) as store:
        tracemalloc.start()
        try:
            summary = run_import(store, [path])
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return peak, summary.lines()


def test_c11_a_padded_messages_csv_is_imported_in_memory_that_follows_the_zip_size(
    db: Path, tmp_path: Path
) -> None:
    """A 350 KB zip whose messages.csv holds 900 messages of 60,000 characters (54 MB
    unpacked, ~150:1): each is under the length cap, so all are kept; messages are applied
    after the requests, in time order, and held until then compressed, not as 54 MB of text
    (issue 11: an import held every message of messages.csv to sort them)."""
    path = padded_messages_zip(tmp_path / "messages.zip", 60_000, 900)
    assert path.stat().st_size < 600_000
    peak, report = peak_memory_importing(db, path)
    assert "messages: 900 not from a requester" in report, report
    assert peak < 24 * 2**20, f"{peak / 2**20:.0f} MB held for a {path.stat().st_size} B zip"


def connections_and_messages(count: int) -> Iterator[AnyRecord]:
    """`count` connections and `count` messages from people with no request, as an
    export's Connections.csv and messages.csv give them."""
    from datetime import UTC, datetime

    from netinbox.models import ConnectionRecord, MessageRecord, Platform

    for i in range(count):
        url = f"https://www.linkedin.com/in/p-{i}"
        yield ConnectionRecord(
            platform=Platform.LINKEDIN, name=f"Vor{i} Nach{i}", profile_url=url,
            company=f"Firma {i}", position="Engineer", source=f"Connections.csv:{i + 2}",
        )  # fmt: skip
        yield MessageRecord(
            platform=Platform.LINKEDIN, conversation_id=f"c{i}", sender_name=f"Vor{i} Nach{i}",
            sender_url=url, recipient_name="Mira", sent_at=datetime(2024, 3, 1 + i % 28, tzinfo=UTC),
            content="Hallo Mira, wie geht es? " * (1 + i % 9), source=f"messages.csv:{i + 2}",
        )  # fmt: skip


def test_c11_connections_and_messages_wait_for_the_requests_in_flat_memory(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connections and messages are applied after the requests, in time order; until then,
    beyond the first few thousand (50 here) they wait outside Python's memory, so ten
    times as many hold about as much (they were held as objects: 30,000 of each took
    180 MB)."""
    import tracemalloc

    from netinbox import importing
    from netinbox.store import Store

    monkeypatch.setattr(importing, "HELD_IN_MEMORY", 50)
    peaks, reports = [], []
    with Store(db) as store:
        for count in (60, 150, 1500):  # the first fills what is cached on first use
            tracemalloc.start()
            try:
                reports.append(importing.apply_import(store, connections_and_messages(count)))
            finally:
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
    assert reports[2].lines()[:2] == [
        "connections: 1500 not a request",
        "messages: 1500 not from a requester",
    ]
    assert peaks[2] < 1.3 * peaks[1], f"{peaks[2] / 2**20:.1f} against {peaks[1] / 2**20:.1f} MB"


def test_c11_a_message_longer_than_any_real_one_is_cut_with_a_visible_mark(
    db: Path, tmp_path: Path
) -> None:
    """LinkedIn allows 8,000 characters a message: one of 200,000 keeps its first 64 KiB and
    a visible `[…]`, still counts as an answer, and the report names file and line once."""
    from netinbox.importers import ImportContext, iter_records
    from netinbox.importers.linkedin_messages import MAX_MESSAGE_CHARS
    from netinbox.models import MessageRecord

    path = padded_messages_zip(tmp_path / "long.zip", 200_000, 3)
    ctx = ImportContext()
    messages = [r for r in iter_records([path], ctx) if isinstance(r, MessageRecord)]
    assert len(messages) == 3
    for message in messages:
        assert len(message.content) == MAX_MESSAGE_CHARS + len(" […]")
        assert message.content.endswith(" […]")
    assert ctx.notes == [
        "messages.csv:2: a message longer than 65,536 characters was cut, marked […] (and 2 more)"
    ]
    peak, report = peak_memory_importing(db, path)
    assert "messages: 3 not from a requester" in report, report


def test_c12_rows_with_only_a_date_are_counted_not_people(db: Path, tmp_path: Path) -> None:
    text = (EXPORT / "Connections.csv").read_text(encoding="utf-8") + ",,,,,,07 Jun 2026\n" * 3
    result = ok("import", "--db", db, write(tmp_path / "Connections.csv", text))
    assert "hidden" in result.stdout
    assert "" not in imported(db)


# --- C-13, C-14: re-import and dates --------------------------------------------------------------


def every_sample() -> list[Path]:
    files = [EXPORT, EXPORT_ZIP]
    for folder in ("linkedin/variants", "linkedin/nasty", "email", "vcard", "thirdparty"):
        files.extend(sorted((SAMPLES / folder).iterdir()))
    return files


def test_c13_importing_everything_twice_adds_and_changes_nothing(db: Path) -> None:
    ok("import", "--db", db, *every_sample())
    first = snapshot(db)
    again = ok("import", "--db", db, *every_sample()).stdout.strip().splitlines()[-1]
    assert again.startswith("0 new, 0 updated"), again
    assert snapshot(db) == first


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-01-19T09:15:00+01:00", "2026-01-19T08:15:00Z"),
        ("2026-01-19", "2026-01-18T23:00:00Z"),  # local midnight
        ("19.01.2026", "2026-01-18T23:00:00Z"),
        ("1/19/26, 9:15 AM", "2026-01-19T08:15:00Z"),
        ("2025-06-01 14:03:22 UTC", "2025-06-01T14:03:22Z"),
    ],
)
def test_c14_each_date_format_is_read_exactly(
    db: Path, tmp_path: Path, value: str, expected: str
) -> None:
    ok(
        "import",
        "--db",
        db,
        write(tmp_path / "l.json", json.dumps([{"name": "Anna", "date": value}])),
    )
    exported = json.loads(ok("export", "--db", db).stdout)
    (anna,) = [item for item in exported if item["name"] == "Anna"]
    assert anna["received_at"].startswith(expected), anna["received_at"]


def test_c14_an_unparseable_date_is_one_listed_row(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", GENERIC + "Anna,2026-01-02,x,y\nBen,next tuesday,x,y\n")
    result = ok("import", "--db", db, path)
    assert "l.csv:3: unparseable date 'next tuesday'" in result.stdout
    line = unchanged_after(db, "--strict", path)
    assert line.endswith("l.csv:3: unparseable date 'next tuesday'"), line


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01", "9999-12-31T23:59:59"],
)
@pytest.mark.parametrize("strict", [False, True])
def test_c14_dates_at_year_1_or_9999_are_one_clear_line(
    db: Path, tmp_path: Path, value: str, strict: bool
) -> None:
    path = write(
        tmp_path / "l.json",
        json.dumps([{"name": "Anna", "date": "2026-01-02"}, {"name": "Edge", "date": value}]),
    )
    result = cli("import", "--db", db, path, *(["--strict"] if strict else []))
    if result.exit_code == 0:
        assert "Edge" in imported(db) or "l.json" in result.stdout
    else:
        assert result.stderr.count("\n") == 1 and "l.json" in result.stderr, result.output
        assert "Overflow" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01"]
)
def test_c14_a_real_date_beyond_year_1_or_9999_in_utc_is_named_so_not_unparseable(
    db: Path, tmp_path: Path, value: str
) -> None:
    """In Berlin, local midnight of 1 January of year 1 is still year 0 in UTC: the row's
    line says the date is out of range, not that it cannot be read."""
    path = write(tmp_path / "l.csv", GENERIC + f"Anna,2026-01-02,x,y\nEdge,{value},x,y\n")
    result = ok("import", "--db", db, path)
    assert f"l.csv:3: date '{value}' is outside the years 1 to 9999 in UTC" in result.stdout
    line = unchanged_after(db, "--strict", path)
    assert line.endswith(f"l.csv:3: date '{value}' is outside the years 1 to 9999 in UTC"), line


# --- C-15 … C-17: hostile zips ---------------------------------------------------------------------


def test_c15_a_zip_bomb_is_refused_while_reading(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("Invitations.csv", "w") as member:
            member.write(b"From,To,Sent At,Message,Direction\n")
            for _ in range(60):
                member.write(b"\0" * 2**20)
    assert path.stat().st_size < 200_000
    line = unchanged_after(db, path)
    assert "zip bomb" in line, line
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("n.db")) == [
        "bomb.zip",
        "config.toml",
    ]


@pytest.mark.parametrize(
    "member", ["../../Invitations.csv", "/etc/Invitations.csv", "a\\..\\..\\Invitations.csv"]
)
def test_c16_path_traversal_in_member_names_is_refused(
    db: Path, tmp_path: Path, member: str
) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, (EXPORT / "Invitations.csv").read_bytes())
    line = unchanged_after(db, path)
    assert "unsafe member name" in line or "traversal" in line, line
    assert not (tmp_path.parent / "Invitations.csv").exists()


def broken_zips(tmp_path: Path) -> dict[str, Path]:
    good = EXPORT_ZIP.read_bytes()
    made = {"truncated": write(tmp_path / "truncated.zip", good[: len(good) // 2])}
    crc = bytearray(good)
    with zipfile.ZipFile(EXPORT_ZIP) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith("Invitations.csv"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 5
    crc[start : start + 8] = b"\x00" * 8
    made["crc"] = write(tmp_path / "crc.zip", bytes(crc))
    with zipfile.ZipFile(tmp_path / "twice.zip", "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": that is the point
        archive.writestr("Invitations.csv", (EXPORT / "Invitations.csv").read_bytes())
        archive.writestr("Invitations.csv", (EXPORT / "Invitations.csv").read_bytes())
    made["duplicate"] = tmp_path / "twice.zip"
    with zipfile.ZipFile(tmp_path / "locked.zip", "w") as archive:
        info = zipfile.ZipInfo("Invitations.csv")
        info.flag_bits |= 0x1
        archive.writestr(info, b"secret")
    made["encrypted"] = tmp_path / "locked.zip"
    return made


@pytest.mark.parametrize("kind", ["truncated", "crc", "duplicate", "encrypted"])
def test_c17_a_damaged_zip_is_one_line_and_imports_nothing(
    db: Path, tmp_path: Path, kind: str
) -> None:
    path = broken_zips(tmp_path)[kind]
    line = unchanged_after(db, path)
    assert str(path) in line


# --- C-18 … C-22: mails and vCards ------------------------------------------------------------------

INVITE = (SAMPLES / "email" / "linkedin_invitation_classic.eml").read_bytes()


def test_c18_an_encoded_word_decoding_to_escape_is_kept_and_shown_inert(
    db: Path, tmp_path: Path
) -> None:
    data = INVITE.replace(b"Subject:", b"X-Old-Subject:", 1)
    data = b"Subject: =?utf-8?q?Hallo_=1B]2;PWNED=07_Welt?=\n" + data
    result = ok("import", "--db", db, write(tmp_path / "m.eml", data))
    from .conftest import assert_terminal_safe

    assert_terminal_safe(result.output)
    assert_terminal_safe(ok("due", "--db", db, "--days", "30").output)


def test_c19_raw_8bit_headers_are_read_best_effort(db: Path, tmp_path: Path) -> None:
    from email import message_from_bytes

    message = message_from_bytes(INVITE)
    sender = message["From"]
    data = INVITE.replace(
        sender.encode(), "Jürgen Weiß <invitations@linkedin.com>".encode("cp1252"), 1
    )
    result = ok("import", "--db", db, write(tmp_path / "m.eml", data))
    assert "Traceback" not in result.output


def nested(depth: int) -> bytes:
    head = b"From: invitations@linkedin.com\nSubject: deep\nMIME-Version: 1.0\n"
    parts = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(depth)
    )
    return head + parts + b"Content-Type: text/plain\n\nhello\n"


def test_c20_a_deeply_nested_mail_costs_that_mail_not_the_import(db: Path, tmp_path: Path) -> None:
    mbox = b"From a@b Mon Jan  1 00:00:00 2026\n" + nested(3000) + b"\n"
    mbox += (SAMPLES / "email" / "notifications.mbox").read_bytes()
    result = ok("import", "--db", db, write(tmp_path / "mail.mbox", mbox))
    assert "new" in result.stdout and len(imported(db)) > 3


def test_c21_html_entities_decoding_to_controls_are_shown_inert(db: Path, tmp_path: Path) -> None:
    text = (EXPORT / "messages.csv").read_text(encoding="utf-8")
    text = text.replace("<p ", "<p>&#x9d;52;c;AAAA&#x9c; &#x202e;evil &#27;[2J</p><p ", 1)
    ok("import", "--db", db, write(tmp_path / "messages.csv", text))
    from .conftest import assert_terminal_safe

    assert_terminal_safe(ok("due", "--db", db, "--days", "365").output)


@pytest.mark.parametrize("sample", sorted(p.name for p in (SAMPLES / "vcard").iterdir()))
def test_c22_every_vcard_version_is_decoded(db: Path, sample: str) -> None:
    ok("import", "--db", db, SAMPLES / "vcard" / sample)
    names = set(imported(db)) - {"Person 0", "Person 1", "Person 2"}
    assert names and not any("=" in n or "Ã" in n or "\ufffd" in n for n in names), names


# --- C-23: the wrong file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,data,says",
    [
        ("Registration.csv", (EXPORT / "Registration.csv").read_bytes(), "LinkedIn"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("empty.csv", b"", "empty"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG"),
        ("store.csv", b"SQLite format 3\x00" + b"\0" * 100, "SQLite"),
        ("sheet.xlsx", b"PK\x03\x04", "zip"),
    ],
)
def test_c23_the_wrong_file_is_named_for_what_it_is(
    db: Path, tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    line = unchanged_after(db, write(tmp_path / name, data))
    assert says.lower() in line.lower(), line


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"])
def test_c14_add_received_at_year_1_or_9999_is_one_clear_line(db: Path, value: str) -> None:
    before = snapshot(db)
    result = cli("add", "--db", db, "--name", "Edge", "--received", value)
    if result.exit_code == 0:
        assert "Edge" in imported(db)
    else:
        assert result.stderr.startswith("netinbox: ") and result.stderr.count("\n") == 1
        assert snapshot(db) == before
