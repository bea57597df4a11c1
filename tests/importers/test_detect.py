"""Detection by content, dispatch, progress, and the promise: nothing but BadInput."""

from __future__ import annotations

import codecs
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinbox.importers import BadInput, ImportContext, detect, iter_records, total_bytes
from netinbox.models import ConnectionRecord, MessageRecord, Platform, RequestRecord, SkippedRecord
from tests.conftest import BERLIN, EXPORT, SAMPLES

CONNECTIONS_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position"]


def read(*paths: Path, strict: bool = False) -> list:
    return list(iter_records(list(paths), ImportContext(tz=BERLIN), strict=strict))


def problem(path: Path) -> str:
    with pytest.raises(BadInput) as caught:
        read(path)
    assert caught.value.path == str(path)
    return caught.value.problem


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- Files that are nothing we read ---------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert problem(write(tmp_path, "x.csv", data)) == "empty file"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an old Office document (.xls/.doc)"),
        (b"From,To\x00\x00\x01", "binary data"),
        (bytes(range(1, 9)) * 20, "binary data"),
    ],
)
def test_binary_files(tmp_path: Path, data: bytes, what: str) -> None:
    assert problem(write(tmp_path, "Invitations.csv", data)) == (
        f"not a text file this importer knows ({what})"
    )


def test_unrelated_csv_names_its_columns_and_what_was_expected(tmp_path: Path) -> None:
    text = problem(write(tmp_path, "x.csv", "Artist,Album,Year\nNico,Chelsea Girl,1967\n"))
    assert "'Artist', 'Album', 'Year'" in text
    assert "From, To, Sent At, Direction" in text and "a name column" in text


def test_registration_alone_is_explained() -> None:
    assert problem(EXPORT / "Registration.csv") == (
        "This looks like a LinkedIn Registration export; netinbox reads Invitations, "
        "Connections, messages and Profile"
    )


def test_a_tool_list_that_shares_words_with_linkedin_files_is_still_generic(
    tmp_path: Path,
) -> None:
    (record,) = read(write(tmp_path, "x.csv", "Name,Date,Link,Message\nAda,2025-03-01,,hi\n"))
    assert record.name == "Ada" and record.message == "hi"


def test_missing_path_and_folder_without_export(tmp_path: Path) -> None:
    assert problem(tmp_path / "nope.csv") == "no such file or folder"
    assert problem(tmp_path) == (
        "no LinkedIn export, Maildir, e-mails or vCards found in this folder"
    )


def test_a_folder_of_saved_mails_and_vcards_is_read_file_by_file(tmp_path: Path) -> None:
    for sample in sorted((SAMPLES / "email").iterdir()) + sorted((SAMPLES / "vcard").iterdir()):
        shutil.copy(sample, tmp_path)
    write(tmp_path, "scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # beside them: left alone
    write(tmp_path, ".hidden.eml", "From: x\nTo: y\n\nnot one of them\n")
    (tmp_path / "sub").mkdir()
    shutil.copy(SAMPLES / "email" / "xing_contact_request.eml", tmp_path / "sub")
    one_by_one = [
        record
        for sample in sorted(tmp_path.iterdir())
        if sample.suffix in (".eml", ".mbox", ".vcf") and not sample.name.startswith(".")
        for record in read(sample)
    ]
    requests = [record for record in one_by_one if isinstance(record, RequestRecord)]
    assert read(tmp_path) == one_by_one and len(requests) >= 6
    assert total_bytes([tmp_path]) == sum(
        p.stat().st_size
        for p in tmp_path.iterdir()
        if p.suffix in (".eml", ".mbox", ".vcf") and not p.name.startswith(".")
    )


def test_a_bad_card_in_a_folder_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "email" / "linkedin_invitation_classic.eml", tmp_path)
    write(tmp_path, "z.vcf", "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n")
    request, skipped = read(tmp_path)
    assert isinstance(request, RequestRecord)
    assert skipped == SkippedRecord(source="z.vcf#1", reason="vCard without a name (no FN or N)")


def test_size_limit_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shutil.copy(EXPORT / "Invitations.csv", tmp_path / "Invitations.csv")
    monkeypatch.setattr(detect, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(detect, "_read", lambda _: pytest.fail("read despite the limit"))
    assert problem(Path(path)).startswith("larger than")


# --- Content decides, not the name ----------------------------------------------------------------


def test_csv_recognised_by_header_whatever_its_name(tmp_path: Path) -> None:
    path = write(tmp_path, "download (3).txt", (EXPORT / "messages.csv").read_bytes())
    assert {type(r) for r in read(path)} == {MessageRecord}


def test_zip_recognised_by_magic_whatever_its_name(tmp_path: Path) -> None:
    zipped = SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip"
    path = write(tmp_path, "export.csv", zipped.read_bytes())
    assert read(path) == read(zipped)


def test_utf16_tab_separated_connections(tmp_path: Path) -> None:
    text = "\t".join([*CONNECTIONS_HEADER, "Connected On"]) + "\r\n"
    text += "Zoë\tO'Connor-Smith\t\t\tFjordlicht, AS\t\t12 Mar 2025\r\n"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        (record,) = read(write(tmp_path, "c.txt", bom + text.encode(codec)))
        assert isinstance(record, ConnectionRecord)
        assert (record.name, record.company) == ("Zoë O'Connor-Smith", "Fjordlicht, AS")
        assert record.connected_on == datetime(2025, 3, 11, 23, 0, tzinfo=UTC)


def test_a_200_kb_message_is_imported_whole(tmp_path: Path) -> None:
    note = "Grüße 👋 " * 25_000
    path = write(
        tmp_path,
        "Invitations.csv",
        f'From,To,Sent At,Message,Direction\nAda,Mira,"3/1/25, 9:00 AM","{note}",INCOMING\n',
    )
    (record,) = read(path)
    assert record.message == note and len(note) == 200_000


def test_unterminated_quote_is_a_bad_input_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Invitations.csv",
        "From,To,Sent At,Message,Direction\n"
        'Ada,Mira,"3/1/25, 9:00 AM",,INCOMING\n'
        'Bea,Mira,"3/1/25, 9:00 AM","oops,INCOMING\n'
        'Cy,Mira,"3/1/25, 9:00 AM",,INCOMING\n',
    )
    with pytest.raises(BadInput) as caught:
        read(path)
    assert caught.value.line == 3
    assert caught.value.problem.startswith("unterminated or stray quote")
    assert "line 4" in caught.value.problem


# --- E-mail and vCard are handed on -----------------------------------------------------------------


class FakeReaders:
    """Stands in for the e-mail and vCard modules, recording how they were called."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple] = []
        self.error: Exception | None = None
        modules = {
            "email": SimpleNamespace(
                read_mbox=lambda path, ctx: self._records("mbox", path),
                read_maildir=lambda path, ctx: self._records("maildir", path),
                read_eml=lambda path, data, ctx: self._records("eml", path, data),
            ),
            "vcard": SimpleNamespace(
                read_vcards=lambda path, data, ctx: self._records("vcard", path, data)
            ),
        }
        monkeypatch.setattr(detect, "_module", modules.__getitem__)

    def _records(self, kind: str, *args: object) -> Iterator[SkippedRecord]:
        self.calls.append((kind, *args))
        yield SkippedRecord(source=f"{kind}#1", reason="fake")
        if self.error is not None:
            raise self.error


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"From someone@example.com Sat Mar  1 10:00:00 2025\nFrom: a\n\nbody\n", "mbox"),
        (b"Received: by x\r\nFrom: A <a@b.c>\r\nSubject: hi\r\n\r\nbody", "eml"),
        (b"Return-Path: <x@y>\nX-Mailer: z\nTo: m\n\nbody", "eml"),
        (b"\xef\xbb\xbf\r\nbegin:vcard\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n", "vcard"),
    ],
)
def test_mail_and_vcards_are_handed_on_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, kind: str
) -> None:
    fakes = FakeReaders(monkeypatch)
    path = write(tmp_path, "Invitations.csv", data)
    assert [r.source for r in read(path)] == [f"{kind}#1"]
    expected = (kind, path) if kind == "mbox" else (kind, path, data)
    assert fakes.calls == [expected]


def test_notes_preamble_is_not_mistaken_for_mail() -> None:
    assert detect._looks_like_mail('Notes:\n"When exporting your connection data…"\n') is False


def test_maildir_folder_is_handed_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = FakeReaders(monkeypatch)
    (tmp_path / "cur").mkdir()
    read(tmp_path)
    assert fakes.calls == [("maildir", tmp_path)]


def test_a_crash_in_a_delegate_becomes_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakes = FakeReaders(monkeypatch)
    fakes.error = KeyError("boom")
    path = write(tmp_path, "a.eml", b"From: a\nTo: b\n\nx")
    with pytest.raises(BadInput, match="could not be read .KeyError"):
        read(path)


def test_strict_mode_applies_to_delegates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeReaders(monkeypatch)
    path = write(tmp_path, "a.eml", b"From: a\nTo: b\n\nx")
    with pytest.raises(BadInput, match="eml#1: fake"):
        read(path, strict=True)


# --- Progress ----------------------------------------------------------------------------------------


def consumed(*paths: Path) -> int:
    steps: list[int] = []
    list(iter_records(list(paths), ImportContext(tz=BERLIN, advance=steps.append)))
    assert all(step >= 0 for step in steps)
    return sum(steps)


def test_progress_adds_up_to_total_bytes(tmp_path: Path) -> None:
    json_file = write(tmp_path, "r.json", '[{"name": "Ada", "date": "2025-03-01"}]')
    paths = [
        SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip",
        EXPORT,
        EXPORT / "Invitations.csv",
        SAMPLES / "thirdparty" / "invitation_cards_dom_scrape_noheader.csv",
        json_file,
    ]
    for path in paths:
        assert consumed(path) == total_bytes([path]) > 0, path
    assert total_bytes(paths) == sum(total_bytes([p]) for p in paths)
    assert total_bytes([tmp_path / "missing"]) == 0


# --- The promise: nothing but BadInput, whatever the bytes ---------------------------------------------

PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"From,To,Sent At,Message,Direction\n",
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    b"CONVERSATION ID,FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER\n",
    b"Name,Profile URL,Date\n",
    b'"A","B",,"C",https://www.linkedin.com/in/x\n',
    b'[{"name": ',
    b"PK\x03\x04",
]


def _zip_of(data: bytes) -> bytes:
    with tempfile.SpooledTemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w") as archive:
            archive.writestr("Invitations.csv", data)
        handle.seek(0)
        return handle.read()


inputs = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=500)),
    st.builds(
        lambda p, t: p + t.encode("utf-8", "surrogatepass"),
        st.sampled_from(PREFIXES),
        st.text(alphabet=st.sampled_from('a,;\t"\r\n\x00ä€🚀 /:-AMP0123'), max_size=300),
    ),
    st.builds(lambda p, b: _zip_of(p + b), st.sampled_from(PREFIXES), st.binary(max_size=300)),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs)
def test_any_bytes_give_records_or_bad_input(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes(data)
        try:
            records = list(iter_records([path], ImportContext(tz=BERLIN)))
        except BadInput:
            return
        for record in records:
            if isinstance(record, RequestRecord):
                assert record.name.strip() and record.platform in Platform
