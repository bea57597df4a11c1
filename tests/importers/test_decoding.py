"""Bytes to text, dialects, strict CSV rows and header finding (docs/reliability.md, C-1 … C-9)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import pytest

from netinbox.importers import decoding
from netinbox.importers.base import MAX_FIELD_CHARS, BadInput, ImportContext
from netinbox.importers.decoding import (
    CsvInput,
    OnDisk,
    Repairs,
    decode,
    find_header,
    iter_rows,
    open_table,
    repair_mojibake,
    sniff_delimiter,
    split_lines,
)
from netinbox.models import SkippedRecord

# --- Encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ("Jördis,€\n".encode(), "UTF-8"),
        (codecs.BOM_UTF8 + "Jördis,€\n".encode(), "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE + "Jördis,€\n".encode("utf-16-le"), "UTF-16 LE"),
        (codecs.BOM_UTF16_BE + "Jördis,€\n".encode("utf-16-be"), "UTF-16 BE"),
        ("Jördis,€\n".encode("cp1252"), "Windows-1252"),
    ],
)
def test_decode_by_bom_then_utf8_then_cp1252(data: bytes, label: str) -> None:
    decoded = decode(data, "f.csv")
    assert decoded.label == label
    assert decoded.text() == "Jördis,€\n"  # no BOM left in the text


def test_cp1252_round_trips_euro_and_umlauts() -> None:
    assert decode("Jürgen €5 Grüße".encode("cp1252"), "f").text() == "Jürgen €5 Grüße"


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_cp1252_undefined_byte_is_refused_naming_the_file(byte: int) -> None:
    with pytest.raises(BadInput) as caught:
        decode(b"J\xfcrgen " + bytes([byte]), "/x/Connections.csv")
    assert caught.value.path == "/x/Connections.csv"
    assert f"0x{byte:02X}" in caught.value.problem


def test_broken_utf16_is_a_bad_input() -> None:
    decoded = decode(codecs.BOM_UTF16_LE + b"a\x00b", "f.csv")  # odd byte count
    with pytest.raises(BadInput, match="UTF-16 LE"):
        decoded.text()


# --- Lines --------------------------------------------------------------------------------------


def test_lines_split_only_at_cr_and_lf() -> None:
    text = "a\r\nb\u2028c\rd\ne\u0085f\x0cg"
    assert split_lines(text) == ["a\r\n", "b\u2028c\r", "d\n", "e\u0085f\x0cg"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
def test_lines_survive_any_chunk_boundary(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    text = "Jördis,🚀\r\n\r\nZoë\r,x\n\n€\r\n"
    monkeypatch.setattr(decoding, "CHUNK_BYTES", chunk)
    for data in (text.encode(), codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        assert list(decode(data, "f").lines()) == split_lines(text)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        ("a", ["a"]),
        ("a\n", ["a\n"]),
        ("\r\r\n\n", ["\r", "\r\n", "\n"]),
        ("\n\nb", ["\n", "\n", "b"]),
    ],
)
def test_split_lines_edges(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


def test_progress_adds_up_to_the_size_or_the_given_units(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 10)
    data = ("x" * 95 + "\n").encode()
    steps: list[int] = []
    list(decode(data, "f").lines(steps.append))
    assert sum(steps) == len(data) and len(steps) > 5
    steps.clear()
    list(decode(data, "f").lines(steps.append, units=7))
    assert sum(steps) == 7


# --- Mojibake ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("JÃ¶rdis", "Jördis"),
        ("Ãœbermuth", "Übermuth"),
        ("GrÃ¼ÃŸe", "Grüße"),
        ("Servus! ðŸš€", "Servus! 🚀"),
        ("â€žZitatâ€œ â€“ ok", "„Zitat“ – ok"),
        ("Ã\x81lvaro", "Álvaro"),  # Windows keeps the undefined 0x81 as U+0081
    ],
)
def test_mojibake_repaired(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


@pytest.mark.parametrize(
    "genuine",
    ["Jördis", "Grüße", "plain", "Ã", "Fuß\u00a0ball", "Straße »x«", "Ü¬ber", "café « bon »", ""],
)
def test_genuine_text_is_left_alone(genuine: str) -> None:
    assert repair_mojibake(genuine) is None


def test_repairs_are_counted() -> None:
    repairs = Repairs()
    assert [repairs.fix(s) for s in ("JÃ¶rdis", "Jördis", "x")] == ["Jördis", "Jördis", "x"]
    assert repairs.count == 1


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_mojibake_after_many_clean_rows_is_still_repaired(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Rows are only checked once the text read so far had a typical sequence: the one in
    the last row, in whatever chunk it arrives, still counts."""
    monkeypatch.setattr(decoding, "CHUNK_BYTES", chunk)
    clean = "".join(f"Zoë {i},Grüße Straße café\n" for i in range(200))
    data = f"Name,Note\n{clean}JÃ¶rdis,GrÃ¼ÃŸe\nAna,x\n".encode()
    table = open_table(
        CsvInput("t.csv", "/t.csv", data), lambda n: "name" in n, ImportContext(), ""
    )
    rows = [row.cells for row in table if not isinstance(row, SkippedRecord)]
    assert rows[-2:] == [["Jördis", "Grüße"], ["Ana", "x"]]
    assert rows[:200] == [[f"Zoë {i}", "Grüße Straße café"] for i in range(200)]
    assert table.repairs.count == 2


def test_repairs_without_a_scan_check_every_row() -> None:
    assert Repairs().fix_row(["JÃ¶rdis", "x"]) == ["Jördis", "x"]
    quiet = Repairs(suspect=False)
    quiet.scan("nothing typical here: Jördis, Grüße")
    assert not quiet.suspect
    quiet.scan("but here: JÃ¶rdis")
    assert quiet.suspect


# --- Dialect -----------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_sniffed(delimiter: str) -> None:
    rows = [
        ["First Name", "Last Name", "Company", "Connected On"],
        ["Ada", "Lovelace", "Analytical, Engines; Ltd", "01 Mar 2025"],
        ["Bea", "Bauer", "", "02 Mar 2025"],
    ]
    lines = [
        delimiter.join(f'"{c}"' if any(d in c for d in ",;\t") else c for c in row) for row in rows
    ]
    assert sniff_delimiter("Notes:\n\n" + "\n".join(lines) + "\n") == delimiter


def test_unquoted_semicolons_in_one_row_do_not_win() -> None:
    head = "From,To,Sent At,Message,Direction\na,b,c,d,e\nf,g,h,x;y;z;w;v;u;t;s;r,i\nj,k,l,m,n\n"
    assert sniff_delimiter(head) == ","


# --- Rows --------------------------------------------------------------------------------------


def rows_of(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    return list(iter_rows(split_lines(text), "f.csv", delimiter=delimiter))


def test_rows_carry_the_line_where_they_start() -> None:
    text = 'a,b\r\n1,"two\r\nlines"\r\n\r\n3,"x ""q"""\r\n4,"u\u2028v"'
    assert rows_of(text) == [
        (1, ["a", "b"]),
        (2, ["1", "two\r\nlines"]),
        (4, []),
        (5, ["3", 'x "q"']),
        (6, ["4", "u\u2028v"]),
    ]


def test_unterminated_quote_names_the_line_it_starts_on() -> None:
    with pytest.raises(BadInput) as caught:
        rows_of('a,b\n1,2\n3,"never closed\n4,5\n6,7\n')
    assert caught.value.line == 3
    assert caught.value.problem.startswith("unterminated quote")


def test_stray_quote_after_a_quoted_field_is_refused() -> None:
    with pytest.raises(BadInput) as caught:
        rows_of('a,b\n"x"y,z\n')
    assert caught.value.line == 2
    assert "quote" in caught.value.problem


def test_a_200_kb_field_is_fine() -> None:
    big = "ä" * 200_000
    assert rows_of(f'a,b\n1,"{big}"\n')[1] == (2, ["1", big])


def test_a_field_over_the_limit_is_refused() -> None:
    with pytest.raises(BadInput, match="longer than"):
        rows_of("a,b\n1," + "x" * (MAX_FIELD_CHARS + 1) + "\n")


# --- Header ------------------------------------------------------------------------------------


def test_header_found_after_a_preamble_and_mapped_by_name() -> None:
    rows = iter(rows_of('\ufeffNotes:,,\n"long, note",,\n,,\n"LAST NAME", First Name ,url\n'))
    header = find_header(rows, {"first name", "last name"})
    assert header is not None and header.line == 4
    assert header.index("first name") == 1 and header.index("url") == 2
    assert header.index("missing", "last name") == 0


def test_header_column_getters() -> None:
    header = find_header(iter(rows_of("Name,URL\n")), {"name"})
    assert header is not None
    assert header.column("url")(["Ada", "https://x"]) == "https://x"
    assert header.column("missing", "name")(["Ada", "https://x"]) == "Ada"
    assert header.column("missing")(["Ada", "https://x"]) == ""


def test_header_not_found_after_the_scan_limit() -> None:
    text = "x\n" * 20 + "First Name,Last Name\n"
    assert find_header(iter(rows_of(text)), {"first name"}) is None
    assert find_header(iter(rows_of(text)), {"first name"}, scan=21) is not None


def test_table_skips_rows_with_the_wrong_field_count_and_keeps_padded_ones() -> None:
    data = b"Name,Date,,\nAda,1,,\nBea,2\nCy,3,4\n\nDi,4,,,\n"
    table = open_table(
        CsvInput("t.csv", "/t.csv", data), lambda n: "name" in n, ImportContext(), ""
    )
    out = [
        (row.source, row.reason) if isinstance(row, SkippedRecord) else (row.source, row.cells)
        for row in table
    ]
    assert out == [
        ("t.csv:2", ["Ada", "1"]),
        ("t.csv:3", ["Bea", "2"]),
        ("t.csv:4", "expected 2 fields, found 3"),
        ("t.csv:6", ["Di", "4"]),
    ]


def test_table_without_header_names_what_it_expected() -> None:
    with pytest.raises(BadInput, match="no header with From, To"):
        src = CsvInput("t.csv", "/t.csv", b"a,b\n")
        open_table(src, lambda names: False, ImportContext(), "From, To")


class _Chunks:
    """A Stream (a zip member) in chunks of awkward sizes: a character or a CRLF split."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step
        self.size = len(data)
        self.packed = len(data)

    def chunks(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.step):
            yield self.data[start : start + self.step]


@pytest.mark.parametrize("step", [1, 2, 3, 7, 1 << 20])
@pytest.mark.parametrize(
    "data",
    [
        "a,b\r\nJürgen,€\r\n\r\nx\ry\u2028z\n".encode(),
        codecs.BOM_UTF8 + "é\r\n".encode(),
        "Grüße\r\n".encode("cp1252"),
        codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le"),
        b"",
    ],
)
def test_a_stream_decodes_to_the_same_lines_as_its_bytes(data: bytes, step: int) -> None:
    from_bytes = decode(data, "f")
    from_stream = decode(_Chunks(data, step), "f")
    assert (from_stream.codec, from_stream.head()) == (from_bytes.codec, from_bytes.head())
    assert list(from_stream.lines()) == list(from_bytes.lines())


# --- Files on disk ---------------------------------------------------------------------------


def test_a_file_on_disk_is_read_the_same_on_every_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 4)
    path = tmp_path / "Invitations.csv"
    path.write_bytes(b"From,To\nAnna,Mira\n")
    data = OnDisk(path, path)
    assert data.size == 18
    assert b"".join(data.chunks()) == b"".join(data.chunks()) == b"From,To\nAnna,Mira\n"
    assert decode(data, path).text() == "From,To\nAnna,Mira\n"


@pytest.mark.parametrize("change", ["grown", "cut", "replaced"])
def test_a_file_changed_between_passes_is_refused(tmp_path: Path, change: str) -> None:
    """What one pass read (the encoding, the owner's link) must hold for the next: a file
    written to meanwhile is refused, naming it, and the import writes nothing."""
    path = tmp_path / "Invitations.csv"
    path.write_bytes(b"From,To\nAnna,Mira\n")
    data = OnDisk(path, path)
    assert b"".join(data.chunks()) == b"From,To\nAnna,Mira\n"
    if change == "grown":
        with path.open("ab") as handle:
            handle.write(b"Ben,Mira\n")
    elif change == "cut":
        path.write_bytes(b"From,To\n")
    else:
        other = tmp_path / "other.csv"
        other.write_bytes(b"From,To\nAnna,Miri\n")
        other.replace(path)
    with pytest.raises(BadInput) as caught:
        b"".join(data.chunks())
    assert str(caught.value) == f"{path}: changed while it was being read; import it again"
