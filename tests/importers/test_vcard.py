"""vCard files: the samples pinned field by field, then the format's corners."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.vcard import read_vcards
from netinbox.models import AnyRecord, Platform, RequestRecord, SkippedRecord
from tests.conftest import SAMPLES as ALL_SAMPLES

SAMPLES = ALL_SAMPLES / "vcard"
MTIME = 1_741_600_000  # 2025-03-10 09:46:40 UTC
FILE_TIME = datetime.fromtimestamp(MTIME, UTC)


def _read(path: Path, ctx: ImportContext) -> list[AnyRecord]:
    return list(read_vcards(path, path.read_bytes(), ctx))


def _sample(name: str, tmp_path: Path) -> Path:
    """A copy of a sample with a known modification time (the fallback date)."""
    path = tmp_path / name
    shutil.copyfile(SAMPLES / name, path)
    os.utime(path, (MTIME, MTIME))
    return path


def _card(text: str | bytes, tmp_path: Path, name: str = "card.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    os.utime(path, (MTIME, MTIME))
    return path


# --- The samples ---------------------------------------------------------------------------


def test_v40_card(ctx: ImportContext, tmp_path: Path) -> None:
    assert _read(_sample("contact_v40.vcf", tmp_path), ctx) == [
        RequestRecord(
            source="contact_v40.vcf#1",
            platform=Platform.LINKEDIN,
            name="Ana-Lucía Peña",
            headline="Ingeniera de Datos",
            company="Cooperativa Sol y Luna",
            message='Nos conocimos en "Data & Dogs"; pidió conectar el 28/02/2025.',
            profile_url="https://www.linkedin.com/in/ana-lucia-pena-9e8d7c",
            received_at=FILE_TIME,  # no REV: the file's time, stable across re-imports
        )
    ]


def test_v30_two_cards_folded_and_escaped(ctx: ImportContext, tmp_path: Path) -> None:
    assert _read(_sample("contacts_v30_utf8_folded.vcf", tmp_path), ctx) == [
        RequestRecord(
            source="contacts_v30_utf8_folded.vcf#1",
            platform=Platform.LINKEDIN,  # the card's first profile link
            name="Dr. Jördis Übermuth",
            headline="Rechtsanwältin | Datenschutz & IT-Recht",
            company="Kanzlei Übermuth, Partner",  # `\,` unescaped; the department dropped
            # The folded line joined without its space, `\,` and `\n` unescaped.
            message=(
                'Kontaktanfrage 14.03.2025 via LinkedIn, Nachricht: "Hätten Sie Lust, sich zu '
                'vernetzen?"\nFrist für Antwort: 28.03.2025'
            ),
            profile_url="https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21",
            received_at=datetime(2025, 3, 14, 0, 10, tzinfo=UTC),  # REV
        ),
        RequestRecord(
            source="contacts_v30_utf8_folded.vcf#2",
            platform=Platform.LINKEDIN,
            name="Tarek Haddad 🚀",
            profile_url="https://www.linkedin.com/in/tarek-haddad-rocket",
            received_at=FILE_TIME,
        ),
    ]


def test_v30_card_prefers_the_platform_the_user_named(tmp_path: Path) -> None:
    records = _read(
        _sample("contacts_v30_utf8_folded.vcf", tmp_path),
        ImportContext(platform=Platform.XING, tz=UTC),
    )
    first = records[0]
    assert isinstance(first, RequestRecord)
    assert (first.platform, first.profile_url) == (
        Platform.XING,
        "https://www.xing.com/profile/Joerdis_Uebermuth",  # from X-SOCIALPROFILE;TYPE=xing
    )


def test_v21_xing_card_in_latin1(ctx: ImportContext, tmp_path: Path) -> None:
    assert _read(_sample("xing_contact_v21_latin1.vcf", tmp_path), ctx) == [
        RequestRecord(
            source="xing_contact_v21_latin1.vcf#1",
            platform=Platform.XING,
            name="Grete Sommerfeld",
            headline="Referentin Öffentlichkeitsarbeit",  # CHARSET=ISO-8859-1 byte 0xD6
            company="Stadtwerke Beispielstadt",
            profile_url="https://www.xing.com/profile/Grete_Sommerfeld",
            received_at=FILE_TIME,
        )
    ]


def test_progress_is_the_file_size(tmp_path: Path) -> None:
    seen: list[int] = []
    path = _sample("contact_v40.vcf", tmp_path)
    list(read_vcards(path, path.read_bytes(), ImportContext(advance=seen.append)))
    assert seen == [path.stat().st_size]


# --- vCard 2.1 ---------------------------------------------------------------------------


def test_v21_quoted_printable_soft_breaks_and_mixed_charsets(
    ctx: ImportContext, tmp_path: Path
) -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
        b"FN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:J=FCrgen M=\r\n=FCller\r\n"
        b"TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gesch=C3=A4ftsf=C3=BChrer=\r\n"
        b" & Gr=C3=BCnder\r\n"
        b"ORG:B\xe4ckerei M\xfcller;Vertrieb\r\n"  # no CHARSET and not UTF-8: cp1252
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Zeile 1=0D=0AZeile 2 =E2=82=AC\r\n"
        b"URL;TYPE=XING:https://www.xing.com/profile/Juergen_Mueller?sc_o=vcard\r\n"
        b"END:VCARD\r\n"
    )
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.headline, record.company) == (
        "Jürgen Müller",
        "Geschäftsführer & Gründer",
        "Bäckerei Müller",
    )
    assert record.message == "Zeile 1\nZeile 2 €"
    assert (record.platform, record.profile_url) == (
        Platform.XING,
        "https://www.xing.com/profile/Juergen_Mueller",
    )


def test_v21_base64_name_and_escaped_backslash_before_separator(
    ctx: ImportContext, tmp_path: Path
) -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=BASE64:SsO2cmRpcyDDnGJlcm11dGg=\r\n"
        b"ORG:Kanzlei A\\\\;Datenschutz\r\n"
        b"END:VCARD\r\n"
    )
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.company) == ("Jördis Übermuth", "Kanzlei A\\")


def test_iso_8859_1_is_read_as_cp1252(ctx: ImportContext, tmp_path: Path) -> None:
    """0x80 is € in the charset every Windows program means; latin-1 would make it C1."""
    data = b"BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:Euro \x80 Mann\nEND:VCARD\n"
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert record.name == "Euro € Mann"


# --- vCard 3.0 / 4.0 corners -------------------------------------------------------------


def test_lf_line_ends_tab_folding_and_escapes(ctx: ImportContext, tmp_path: Path) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Max\n\tMuster\nTITLE:CTO\\; Gründer\n"
        "ORG:A\\\\B GmbH\nNOTE:eins\\ntwo\\Ndrei\\, vier\\\\n\nEND:VCARD\n"
    )
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.headline, record.company) == (
        "MaxMuster",
        "CTO; Gründer",
        "A\\B GmbH",
    )
    assert record.message == "eins\ntwo\ndrei, vier\\n"


def test_name_from_n_when_fn_is_missing(ctx: ImportContext, tmp_path: Path) -> None:
    data = "BEGIN:VCARD\nVERSION:3.0\nN:Dubois;Renée;Marie;Dr.;PhD\nEND:VCARD\n"
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert record.name == "Dr. Renée Marie Dubois, PhD"
    assert record.platform is Platform.OTHER


def test_card_without_a_name_is_skipped_and_the_next_is_read(
    ctx: ImportContext, tmp_path: Path
) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nORG:Nobody Inc.\nFN:  \nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Eva Muster\nEND:VCARD\n"
    )
    skipped, record = _read(_card(data, tmp_path, "two.vcf"), ctx)
    assert skipped == SkippedRecord(source="two.vcf#1", reason="vCard without a name (no FN or N)")
    assert isinstance(record, RequestRecord)
    assert (record.source, record.name) == ("two.vcf#2", "Eva Muster")


def test_social_profile_grouped_url_and_homepage(ctx: ImportContext, tmp_path: Path) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:A\nURL:https://a.example/\n"
        "item1.X-SOCIALPROFILE;TYPE=xing:https://www.xing.com/profile/A_B\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:B\nitem2.URL:https://b.example/me\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:C\nURL:https://www.linkedin.com/company/c/\nEND:VCARD\n"
    )
    records = _read(_card(data, tmp_path), ctx)
    assert [(r.platform, r.profile_url) for r in records if isinstance(r, RequestRecord)] == [
        (Platform.XING, "https://www.xing.com/profile/A_B"),
        (Platform.OTHER, "https://b.example/me"),  # a homepage is all we know of "other"
        (Platform.LINKEDIN, None),  # a company page names the platform, not the person
    ]


def test_homepage_is_no_profile_for_a_named_platform(tmp_path: Path) -> None:
    data = "BEGIN:VCARD\nVERSION:3.0\nFN:B\nURL:https://b.example/me\nEND:VCARD\n"
    [record] = _read(_card(data, tmp_path), ImportContext(platform=Platform.LINKEDIN, tz=UTC))
    assert isinstance(record, RequestRecord)
    assert (record.platform, record.profile_url) == (Platform.LINKEDIN, None)


@pytest.mark.parametrize(
    ("rev", "expected"),
    [
        ("20250314T001000Z", datetime(2025, 3, 14, 0, 10, tzinfo=UTC)),
        ("2025-03-14T01:10:00+01:00", datetime(2025, 3, 14, 0, 10, tzinfo=UTC)),
        ("2025-03-13T19:10:00-0500", datetime(2025, 3, 14, 0, 10, tzinfo=UTC)),
        ("2025-03-14", datetime(2025, 3, 13, 23, 0, tzinfo=UTC)),  # midnight, user's zone
        ("2025-03-14T01:10:00", datetime(2025, 3, 14, 0, 10, tzinfo=UTC)),
        ("not a date", FILE_TIME),
        ("0001-01-01T00:00:00+01:00", FILE_TIME),  # placeholder year
    ],
)
def test_rev_forms(rev: str, expected: datetime, tmp_path: Path) -> None:
    data = f"BEGIN:VCARD\nVERSION:3.0\nFN:A\nREV:{rev}\nEND:VCARD\n"
    zone = ImportContext(tz=timezone(timedelta(hours=1)))
    [record] = _read(_card(data, tmp_path), zone)
    assert isinstance(record, RequestRecord)
    assert record.received_at == expected


def test_nested_agent_card_and_missing_end(ctx: ImportContext, tmp_path: Path) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:2.1\nFN:Chef\nAGENT:\nBEGIN:VCARD\nFN:Assistenz\nEND:VCARD\n"
        "TITLE:Leitung\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Offen\n"
    )
    records = _read(_card(data, tmp_path), ctx)
    assert [(r.source, getattr(r, "name", ""), getattr(r, "headline", "")) for r in records] == [
        ("card.vcf#1", "Chef", "Leitung"),
        ("card.vcf#2", "Offen", ""),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_bom_and_utf16_files(encoding: str, ctx: ImportContext, tmp_path: Path) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jördis Übermuth\r\nEND:VCARD\r\n"
    [record] = _read(_card(text.encode(encoding), tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert record.name == "Jördis Übermuth"


def test_control_characters_are_stored_as_the_models_allow(
    ctx: ImportContext, tmp_path: Path
) -> None:
    data = "BEGIN:VCARD\nVERSION:4.0\nFN:Max\x00 \x1b]2;x\x07Muster\nNOTE:a\\nb\u2028c\nEND:VCARD\n"
    [record] = _read(_card(data, tmp_path), ctx)
    assert isinstance(record, RequestRecord)
    assert record.name == "Max \x1b]2;x\x07Muster"  # NUL gone; ESC kept for the display layer
    assert record.message == "a\nb\u2028c"


# --- Files that are not vCards -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "no vCard"),
        (b"Name,Company\nMax,Beispiel\n", "no vCard"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00\x01\x02binary", "no vCard"),
        (b"\xff\xfeB\x00E\x00G\x00I\x00N\x00\x00", "UTF-16"),
    ],
)
def test_not_a_vcard_is_bad_input(
    data: bytes, problem: str, ctx: ImportContext, tmp_path: Path
) -> None:
    path = _card(data, tmp_path, "wrong.vcf")
    with pytest.raises(BadInput, match=problem) as caught:
        _read(path, ctx)
    assert caught.value.path == str(path)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=500))
def test_any_bytes_give_records_or_bad_input(tmp_path: Path, body: bytes) -> None:
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + body
    path = tmp_path / "fuzz.vcf"
    path.write_bytes(data)
    try:
        records = list(read_vcards(path, data, ImportContext(tz=UTC)))
    except BadInput:
        return
    assert all(isinstance(r, RequestRecord | SkippedRecord) for r in records)
