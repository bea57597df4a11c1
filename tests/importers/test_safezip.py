"""Hostile zips: traversal names, bombs, damage, encryption, duplicates (C-15 … C-17)."""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import pytest

from netinbox.importers import BadInput, ImportContext, iter_records, safezip
from netinbox.importers.safezip import SafeZip, read_limited, unsafe_name
from tests.conftest import BERLIN

INVITATIONS = (
    b"From,To,Sent At,Message,Direction\n"
    b'Ada Lovelace,Mira Testfeld,"3/1/25, 9:00 AM",Hi!,INCOMING\n'
)
SAMPLE_ZIP = (
    Path(__file__).parent.parent
    / "fixtures"
    / "samples"
    / "linkedin"
    / "Basic_LinkedInDataExport_03-14-2025.zip"
)


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we want them
        with zipfile.ZipFile(path, "w", method) as archive:
            for name, data in members.items():
                archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def read_all(path: Path) -> list:
    return list(iter_records([path], ImportContext(tz=BERLIN)))


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --- Finding members ----------------------------------------------------------------------------


def test_members_found_by_base_name_in_any_case_and_folder(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "e.zip",
        {
            "Export/Deep/INVITATIONS.CSV": b"deep",
            "Export/invitations.csv": b"shallow",
            "__MACOSX/Export/._Invitations.csv": b"apple",
        },
    )
    with SafeZip(path) as archive:
        found = archive.find("Invitations.csv")
        assert found is not None and archive.read(found) == b"shallow"
        assert archive.find("messages.csv") is None
        assert "__MACOSX/Export/._Invitations.csv" not in list(archive.names())


def test_two_candidates_at_the_same_depth_are_ambiguous(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "e.zip", {"a/Invitations.csv": b"1", "b/invitations.csv": b"2"})
    with SafeZip(path) as archive, pytest.raises(BadInput, match="two files called"):
        archive.find("Invitations.csv")


def test_the_sample_export_zip_reads_like_the_folder() -> None:
    with SafeZip(SAMPLE_ZIP) as archive:
        info = archive.find("profile.csv")
        assert info is not None
        folder = SAMPLE_ZIP.with_suffix("")
        assert archive.read(info) == (folder / "Profile.csv").read_bytes()


# --- Names that would escape ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.csv",
        "/etc/evil.csv",
        "C:/evil.csv",
        "c:evil.csv",
        "a\\..\\..\\evil.csv",
        "x/../../y",
    ],
)
def test_path_traversal_names_rejected_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    assert unsafe_name(name)
    work = tmp_path / "work"
    work.mkdir()
    path = make_zip(tmp_path / "evil.zip", {"Invitations.csv": INVITATIONS, name: b"pwned"})
    monkeypatch.chdir(work)
    before = listing(tmp_path)
    with pytest.raises(BadInput, match="unsafe member name"):
        read_all(path)
    assert listing(tmp_path) == before
    assert not any(p.name == "evil.csv" for p in tmp_path.parent.iterdir())


@pytest.mark.parametrize("name", ["Invitations.csv", "a/b/messages.csv", "..x/y", "a..b.csv"])
def test_ordinary_names_are_safe(name: str) -> None:
    assert not unsafe_name(name)


# --- Bombs ----------------------------------------------------------------------------------------


def test_zip_bomb_rejected_quickly(tmp_path: Path) -> None:
    """300 MB of zeros (about 1.3 MB zipped at level 1): refused from the declared size,
    before a byte is unpacked."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("Invitations.csv", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(300):
                member.write(zeros)
    with pytest.raises(BadInput, match="possible zip bomb"):
        read_all(path)


def test_high_compression_ratio_rejected(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "ratio.zip", {"Invitations.csv": INVITATIONS + bytes(5 << 20)})
    with pytest.raises(BadInput, match=r"compressed \d+:1"):
        read_all(path)


def test_reading_stops_mid_stream_at_the_limit() -> None:
    class Endless(io.RawIOBase):
        """A member that never ends, counting what was asked of it."""

        served = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            size = 1 << 16 if size is None or size < 0 else size
            self.served += size
            return bytes(size)

    stream = Endless()
    with pytest.raises(BadInput, match="unpacks to more than"):
        read_limited(stream, 3 << 20, "x.csv", "a.zip")
    assert stream.served <= (3 << 20) + 1


def test_too_many_members_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safezip, "MAX_MEMBERS", 3)
    path = make_zip(tmp_path / "many.zip", {f"f{i}.csv": b"x" for i in range(5)})
    with pytest.raises(BadInput, match="lists 5 files"):
        SafeZip(path)


# --- Damage ---------------------------------------------------------------------------------------


def test_truncated_zip(tmp_path: Path) -> None:
    data = SAMPLE_ZIP.read_bytes()
    path = tmp_path / "cut.zip"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInput, match="truncated"):
        read_all(path)


def test_crc_error(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "crc.zip", {"Invitations.csv": INVITATIONS}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"Ada Lovelace")
    data[at] = ord("E")
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match="damaged"):
        read_all(path)


def test_encrypted_member(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "enc.zip", {"Invitations.csv": INVITATIONS}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + flag_offset] |= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match="encrypted"):
        read_all(path)


def test_duplicate_member_names(tmp_path: Path) -> None:
    path = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("Invitations.csv", INVITATIONS)
            archive.writestr("Invitations.csv", b"From,To\n")
    with pytest.raises(BadInput, match="two members named"):
        read_all(path)


def test_not_a_zip_behind_the_magic(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(BadInput):
        read_all(path)


def test_zip_without_export_files(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "other.zip", {"notes.txt": b"hello", "Registration.csv": b"x"})
    with pytest.raises(BadInput, match="no LinkedIn export in this zip"):
        read_all(path)


def test_office_document_is_named(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "sheet.csv", {"[Content_Types].xml": b"<x/>", "xl/a.xml": b""})
    with pytest.raises(BadInput, match="Office document"):
        read_all(path)
