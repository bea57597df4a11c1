"""LinkedIn exports: every sample pinned to the record, plus the rules behind them."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from netinbox.importers import BadInput, ImportContext, iter_records
from netinbox.importers.decoding import CsvInput, first_error
from netinbox.importers.linkedin import parse_time, profile_ref
from netinbox.importers.linkedin_invitations import read_invitations
from netinbox.importers.linkedin_messages import html_to_text
from netinbox.models import (
    ConnectionRecord,
    Direction,
    MessageRecord,
    OwnerRecord,
    Platform,
    RequestRecord,
    SkippedRecord,
)
from tests.conftest import BERLIN, EXPORT
from tests.conftest import SAMPLES as ALL_SAMPLES

SAMPLES = ALL_SAMPLES / "linkedin"
IN = Direction.INCOMING
OUT = Direction.OUTGOING
MIRA = "https://www.linkedin.com/in/mira-testfeld-0a1b2c"
ZOE = "https://www.linkedin.com/in/zoe-oconnor-smith-123abc"
KONSTANTIN = "https://www.linkedin.com/in/konstantin-weiss-55c0d4"
ANA = "https://www.linkedin.com/in/ana-lucia-pena-9e8d7c"
JOERDIS = "https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21"
RITA = "https://www.linkedin.com/in/rita-recruiterova-talent"
TAREK = "https://www.linkedin.com/in/tarek-haddad-rocket"
GRETE = "https://www.linkedin.com/in/grete-sommerfeld-2c4e6a"
RITA_NOTE = (
    "Hello Mira, I lead talent acquisition for a fast-growing, remote-first scale-up and your "
    "background in privacy engineering caught my eye. We are hiring a Staff Engineer (Privacy) "
    "in Berlin or fully remote. Would you be open to a quick chat next week? No pressure at "
    "all — happy to share details first"
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def read(*paths: Path | str, strict: bool = False) -> list:
    return list(iter_records(list(paths), ImportContext(tz=BERLIN), strict=strict))


def of(records: list, kind: type) -> list:
    return [r for r in records if isinstance(r, kind)]


def requests(records: list) -> list[tuple]:
    return [
        (r.source, r.direction, r.name, r.profile_url, r.message, r.received_at)
        for r in of(records, RequestRecord)
    ]


def connections(records: list) -> list[tuple]:
    return [
        (r.source, r.name, r.profile_url, r.company, r.position, r.connected_on)
        for r in of(records, ConnectionRecord)
    ]


def messages(records: list) -> list[tuple]:
    return [
        (r.source, r.sender_name, r.sender_url, r.recipient_urls, r.sent_at, r.content, r.is_draft)
        for r in of(records, MessageRecord)
    ]


def skipped(records: list) -> list[tuple[str, str]]:
    return [(r.source, r.reason) for r in of(records, SkippedRecord)]


# --- The 2025 export ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export_records() -> list:
    return read(SAMPLES / "Basic_LinkedInDataExport_03-14-2025.zip")


def test_export_counts_and_order(export_records: list) -> None:
    kinds = [type(r).__name__ for r in export_records]
    assert Counter(kinds) == {
        "OwnerRecord": 1,
        "RequestRecord": 9,
        "ConnectionRecord": 6,
        "SkippedRecord": 1,
        "MessageRecord": 5,
    }
    order = ["OwnerRecord", "RequestRecord", "ConnectionRecord", "MessageRecord"]
    ranks = [order.index(k) for k in kinds if k != "SkippedRecord"]
    assert ranks == sorted(ranks)


def test_export_owner(export_records: list) -> None:
    (owner,) = of(export_records, OwnerRecord)
    assert owner.name == "Mira Testfeld"
    assert owner.headline == "Privacy Engineer | DPO-in-training | she/her"
    assert owner.profile_url == MIRA  # learned from Invitations.csv
    assert owner.platform is Platform.LINKEDIN
    assert owner.source == "Profile.csv:2"


def test_export_invitations(export_records: list) -> None:
    assert requests(export_records) == [
        ("Invitations.csv:2", OUT, "Konstantin Weiß", KONSTANTIN, "", utc(2025, 3, 12, 8, 41)),
        (
            "Invitations.csv:3",
            OUT,
            "Ana-Lucía Peña",
            ANA,
            'Hola Ana-Lucía, we met at the "Data & Dogs" meetup, great talk! Let\'s stay in touch.',
            utc(2025, 2, 28, 22, 5),
        ),
        (
            "Invitations.csv:4",
            OUT,
            "Ole Brømmer",
            "https://www.linkedin.com/in/ole-broemmer",
            "",
            utc(2025, 1, 1, 23, 0),  # "1/2/25, 12:00 AM" in Berlin
        ),
        (
            "Invitations.csv:5",
            IN,
            "Jördis Übermuth",
            JOERDIS,  # percent-encoded slug kept as given
            "Hallo Mira, ich habe Ihren Vortrag über Datenschutz gesehen.  Hätten Sie Lust, "
            "sich zu vernetzen? Viele Grüße, Jördis",  # the double space stays
            utc(2025, 3, 13, 23, 3),
        ),
        ("Invitations.csv:6", IN, "Rita Recruiterova", RITA, RITA_NOTE, utc(2025, 3, 13, 15, 17)),
        (
            "Invitations.csv:7",
            IN,
            "Zoë O'Connor-Smith",
            ZOE,
            'Hi Mira 👋 quick question re: your post "GDPR for humans" – got 5 min?',
            utc(2025, 3, 10, 9, 0),
        ),
        (
            "Invitations.csv:8",
            IN,
            "Renée Dubois, PhD",
            "https://www.linkedin.com/in/renee-dubois-phd",
            "",
            utc(2025, 3, 9, 18, 30),
        ),
        ("Invitations.csv:9", IN, "Tarek Haddad 🚀", TAREK, "Servus!   ", utc(2025, 2, 27, 7, 2)),
        ("Invitations.csv:10", IN, "Grete Sommerfeld", GRETE, "", utc(2024, 10, 31, 22, 59)),
    ]
    assert len(RITA_NOTE) == 300
    assert {r.platform for r in of(export_records, RequestRecord)} == {Platform.LINKEDIN}


def test_export_connections(export_records: list) -> None:
    assert connections(export_records) == [
        (
            "Connections.csv:5",
            "Zoë O'Connor-Smith",
            ZOE,
            "Fjordlicht Analytics AS",
            "Head of Data, Privacy & Trust",
            utc(2025, 3, 11, 23, 0),  # 12 Mar 2025, local midnight
        ),
        (
            "Connections.csv:6",
            "Konstantin Weiß",
            KONSTANTIN,
            "Brückenbau Müller GmbH & Co. KG",
            "Werkstudent",
            utc(2025, 3, 11, 23, 0),
        ),
        (
            "Connections.csv:7",
            "Renée Dubois, PhD",
            "https://www.linkedin.com/in/renee-dubois-phd",
            "Atelier Nuage, S.A.R.L.",
            'Directrice "Produit"',
            utc(2025, 3, 10, 23, 0),
        ),
        (
            "Connections.csv:9",
            "Ana-Lucía Peña",
            ANA,
            "Cooperativa Sol y Luna",
            "Ingeniera de Datos",
            utc(2025, 2, 28, 23, 0),
        ),
        ("Connections.csv:10", "Tarek Haddad 🚀", TAREK, "", "", utc(2025, 2, 27, 23, 0)),
        (
            "Connections.csv:11",
            "Grete Sommerfeld",
            GRETE,
            "Stadtwerke Beispielstadt",
            "Referentin Öffentlichkeitsarbeit",
            utc(2024, 10, 31, 23, 0),
        ),
    ]
    assert skipped(export_records) == [("Connections.csv:8", "hidden profile (only a date)")]


def test_export_messages(export_records: list) -> None:
    zoe_thread = "2-nQF+JoG38xcl4cD74mEuiQecIoBrAs96iUtQDdWiGcHIimUSAzDPxg=="
    assert messages(export_records) == [
        (
            "messages.csv:2",
            "Zoë O'Connor-Smith",
            ZOE,
            [MIRA],
            utc(2025, 3, 12, 9, 15, 44),
            'Hi Mira 👋 quick question re: your post "GDPR for humans" – got 5 min?',
            False,
        ),
        (
            "messages.csv:3",
            "Mira Testfeld",
            MIRA,
            [ZOE],
            utc(2025, 3, 12, 10, 2, 3),
            "Hi Zoë, sure!\u2028Why do you want to connect – for the DPO role, or the podcast?",
            False,
        ),
        # messages.csv:4 is sponsored ("LinkedIn Member", no URL): dropped without a trace.
        (
            "messages.csv:5",
            "Konstantin Weiß",
            KONSTANTIN,
            [MIRA, ANA],
            utc(2025, 3, 5, 20, 44, 10),
            "Treffen am Do., 20.03., 19:00 Uhr?  Ort: „Zum Goldenen Hirsch“, Raum 2.\u00a0"
            "Bitte zusagen!",
            False,
        ),
        (
            "messages.csv:6",
            "Rita Recruiterova",
            RITA,
            [MIRA],
            utc(2025, 3, 13, 16, 20),
            "Hello Mira,\nas promised, details attached.\n\nBest, Rita",
            False,
        ),
        (
            "messages.csv:7",
            "Mira Testfeld",
            MIRA,
            [RITA],
            utc(2025, 3, 14, 7, 1),
            "Thanks Rita, before we talk: what made you reach out to me specifically?",
            True,
        ),
    ]
    first = of(export_records, MessageRecord)[0]
    assert first.conversation_id == zoe_thread
    assert first.platform is Platform.LINKEDIN


def test_zip_and_unpacked_folder_give_identical_records(export_records: list) -> None:
    assert read(EXPORT) == export_records


def test_folder_found_recursively_and_case_insensitively(tmp_path: Path) -> None:
    inner = tmp_path / "Downloads" / "export"
    inner.mkdir(parents=True)
    for name in ("Invitations.csv", "Profile.csv", "Connections.csv", "messages.csv"):
        shutil.copy(EXPORT / name, inner / name.upper())
    records = read(tmp_path)
    assert len(of(records, RequestRecord)) == 9
    assert of(records, OwnerRecord)[0].profile_url == MIRA
    assert records[1].source == "INVITATIONS.CSV:2"


def test_single_files_of_the_export(export_records: list) -> None:
    invitations = read(EXPORT / "Invitations.csv")
    assert invitations == of(export_records, RequestRecord)
    (owner,) = read(EXPORT / "Profile.csv")
    assert owner.name == "Mira Testfeld" and owner.profile_url is None  # nothing to learn from


def test_folder_with_only_registration_is_refused(tmp_path: Path) -> None:
    shutil.copy(EXPORT / "Registration.csv", tmp_path)
    with pytest.raises(BadInput, match="no LinkedIn export, Maildir, e-mails or vCards found"):
        read(tmp_path)


# --- Older and newer layouts ------------------------------------------------------------------


def test_2018_invitations_without_urls() -> None:
    assert requests(read(SAMPLES / "variants" / "2018_Invitations.csv")) == [
        ("2018_Invitations.csv:2", IN, "Grete Sommerfeld", None, "", utc(2018, 10, 3, 19, 0)),
        (
            "2018_Invitations.csv:3",
            OUT,
            "Ole Brømmer",
            None,
            "Hej Ole, nice meeting you at the Øresund meetup!",
            utc(2017, 1, 11, 9, 45),
        ),
    ]


def test_2018_connections_without_url_and_us_dates() -> None:
    assert connections(read(SAMPLES / "variants" / "2018_Connections.csv")) == [
        (
            "2018_Connections.csv:2",
            "Grete Sommerfeld",
            None,
            "Stadtwerke Beispielstadt",
            "Referentin",
            utc(2018, 10, 4, 13, 17),
        ),
        ("2018_Connections.csv:3", "Ole Brømmer", None, "", "", utc(2017, 1, 12, 10, 2)),
    ]


def test_2018_messages_with_direction_and_folder() -> None:
    assert messages(read(SAMPLES / "variants" / "2018_Messages.csv")) == [
        (
            "2018_Messages.csv:2",
            "Grete Sommerfeld",
            None,
            [],
            utc(2018, 10, 5, 6, 30),
            "Danke fürs Annehmen, Mira.",
            False,
        ),
        ("2018_Messages.csv:3", "Mira Testfeld", None, [], utc(2018, 10, 5, 7, 12), "Gern!", False),
        (
            "2018_Messages.csv:4",
            "Ole Brømmer",
            None,
            [],
            utc(2017, 1, 13, 17, 0),
            "Old thread",
            False,
        ),
    ]


def test_2021_connections_with_preamble_and_no_url() -> None:
    assert connections(read(SAMPLES / "variants" / "2021_Connections.csv")) == [
        (
            "2021_Connections.csv:5",
            "Ana-Lucía Peña",
            None,
            "Cooperativa Sol y Luna",
            "Ingeniera de Datos",
            utc(2021, 8, 24, 22, 0),
        )
    ]


def test_2021_messages_nine_columns() -> None:
    assert messages(read(SAMPLES / "variants" / "2021_messages.csv")) == [
        (
            "2021_messages.csv:2",
            "Ana-Lucía Peña",
            ANA,
            [],
            utc(2021, 8, 25, 17, 3, 12),
            "¡Gracias por conectar!",
            False,
        )
    ]


def test_dec_2023_slugless_urls_mean_unknown() -> None:
    assert requests(read(SAMPLES / "variants" / "2023-12_Invitations_broken_urls.csv")) == [
        (
            "2023-12_Invitations_broken_urls.csv:2",
            IN,
            "Jördis Übermuth",
            None,
            "",
            utc(2023, 12, 14, 14, 5),
        ),
        (
            "2023-12_Invitations_broken_urls.csv:3",
            OUT,
            "Konstantin Weiß",
            None,
            "",
            utc(2023, 12, 1, 9, 10),
        ),
    ]


def test_jan_2024_urns_kept_as_profile_reference() -> None:
    assert requests(read(SAMPLES / "variants" / "2024-01_Invitations_urn.csv")) == [
        (
            "2024-01_Invitations_urn.csv:2",
            IN,
            "Zoë O'Connor-Smith",
            "urn:li:member:900000001",
            "Hi Mira, loved your talk!",
            utc(2024, 1, 9, 5, 45),
        ),
        (
            "2024-01_Invitations_urn.csv:3",
            OUT,
            "Ole Brømmer",
            "urn:li:member:900000007",
            "",
            utc(2024, 1, 3, 12, 15),
        ),
    ]


def test_dec_2023_messages_ten_columns_empty_folder() -> None:
    assert messages(read(SAMPLES / "variants" / "2023-12_messages_10col.csv")) == [
        (
            "2023-12_messages_10col.csv:2",
            "Konstantin Weiß",
            KONSTANTIN,
            [MIRA],
            utc(2023, 12, 2, 8, 0, 1),
            "Moin!",
            False,
        )
    ]


def test_dec_2024_messages_draft_columns() -> None:
    assert messages(read(SAMPLES / "variants" / "2024-12_messages_drafts.csv")) == [
        (
            "2024-12_messages_drafts.csv:2",
            "Mira Testfeld",
            MIRA,
            [TAREK],
            utc(2024, 12, 20, 11, 11, 11),
            "Entwurf…",
            True,
        )
    ]


# --- Excel and other damage ------------------------------------------------------------------


def test_excel_resave_bom_crlf_padded_preamble_and_excel_dates() -> None:
    assert connections(read(SAMPLES / "nasty" / "Connections_excel_resaved_bom_crlf.csv")) == [
        (
            "Connections_excel_resaved_bom_crlf.csv:5",
            "Zoë O'Connor-Smith",
            ZOE,
            "Fjordlicht Analytics AS",
            "Head of Data, Privacy & Trust",
            utc(2025, 3, 11, 23, 0),  # 12-Mar-25
        ),
        (
            "Connections_excel_resaved_bom_crlf.csv:6",
            "Konstantin Weiß",
            KONSTANTIN,
            "Brückenbau Müller GmbH & Co. KG",
            "Werkstudent",
            utc(2025, 3, 2, 23, 0),  # 3-Mar-25
        ),
    ]


def test_german_excel_semicolon_cp1252() -> None:
    records = read(SAMPLES / "nasty" / "Connections_excel_de_semicolon_cp1252.csv")
    assert connections(records) == [
        (
            "Connections_excel_de_semicolon_cp1252.csv:2",
            "Konstantin Weiß",
            KONSTANTIN,
            "Brückenbau Müller GmbH & Co. KG",
            "Werkstudent",
            utc(2025, 3, 2, 23, 0),  # 03.03.2025
        ),
        (
            "Connections_excel_de_semicolon_cp1252.csv:3",
            "Jördis Übermuth",
            JOERDIS,
            "Kanzlei Übermuth; Partner",
            "Rechtsanwältin",
            utc(2025, 3, 13, 23, 0),
        ),
    ]


def test_bom_crlf_and_a_real_multiline_message() -> None:
    assert requests(read(SAMPLES / "nasty" / "Invitations_bom_multiline.csv")) == [
        (
            "Invitations_bom_multiline.csv:2",
            IN,
            "Jördis Übermuth",
            JOERDIS,
            "Hallo Mira,\nich habe Ihren Vortrag „Privacy by Design“ gesehen.\n\nViele Grüße,\n"
            "Jördis",
            utc(2025, 3, 13, 23, 3),
        ),
        (
            "Invitations_bom_multiline.csv:7",  # the record above spans lines 2 to 6
            IN,
            "Zoë O'Connor-Smith",
            ZOE,
            'She said "why connect?" – I say: why not? 😅',
            utc(2025, 3, 10, 9, 0),
        ),
        (
            "Invitations_bom_multiline.csv:8",
            OUT,
            "Konstantin Weiß",
            KONSTANTIN,
            "",
            utc(2025, 3, 12, 8, 41),
        ),
    ]


def test_mojibake_repaired() -> None:
    assert requests(read(SAMPLES / "nasty" / "Invitations_mojibake.csv")) == [
        (
            "Invitations_mojibake.csv:2",
            IN,
            "Jördis Übermuth",
            JOERDIS,
            "Hätten Sie Lust, sich zu vernetzen? Grüße, Jördis",
            utc(2025, 3, 13, 23, 3),
        ),
        (
            "Invitations_mojibake.csv:3",
            IN,
            "Tarek Haddad 🚀",
            TAREK,
            "Servus! 🚀",
            utc(2025, 2, 27, 7, 2),
        ),
    ]


def test_all_quoted_header() -> None:
    assert messages(read(SAMPLES / "nasty" / "messages_all_quoted_header.csv")) == [
        (
            "messages_all_quoted_header.csv:2",
            "Ole Brømmer",
            "https://www.linkedin.com/in/ole-broemmer",
            [MIRA],
            utc(2025, 2, 1, 12, 0),
            "Hej!",
            False,
        )
    ]


# --- Invitations are built without re-validation: the same as validation ---------------------


def invitations(text: str) -> list:
    src = CsvInput("Invitations.csv", "/in/Invitations.csv", text.encode("utf-8"))
    return list(read_invitations(src, ImportContext(tz=BERLIN)))


@pytest.mark.parametrize(
    ("name", "url", "message", "sent"),
    [
        ("Zoë O'Connor", ZOE, "", "3/1/25, 9:05 AM"),
        ("Jo\u0308rdis U\u0308bermuth", JOERDIS, "Gru\u0308\u00dfe", "3/1/25, 9:05 PM"),  # NFD
        (
            "Bob\u2028Smith\x85",
            "https://www.linkedin.com/in/bob\x0b",
            "a\r\nb\rc\u2028d",
            "01 Mar 2025",
        ),
        ("Ann\x00e ", "urn:li:member:123", "x\x00y", "2025-03-01T10:00:00.654321+01:00"),
        ("  Eve\u200b\x1c", "https://www.linkedin.com/in", "\ufb01ne  ", "2025-03-01 10:00:00 UTC"),
    ],
)
def test_invitation_records_equal_validated_ones(
    name: str, url: str, message: str, sent: str
) -> None:
    text = f'{INVITATIONS_HEADER}"{name}",Mira,"{sent}","{message}",INCOMING,{url},\n'
    (record,) = invitations(text)
    expected = RequestRecord(
        platform=Platform.LINKEDIN,
        direction=IN,
        name=name.strip(),
        profile_url=profile_ref(url),
        message=message,
        received_at=parse_time(sent, BERLIN),
        source="Invitations.csv:2",
    )
    assert record == expected
    assert record.model_fields_set == expected.model_fields_set
    assert record.received_at.microsecond == 0 and record.received_at.tzinfo is UTC


def test_invitation_name_that_storage_empties_is_skipped_as_validation_would() -> None:
    with pytest.raises(ValidationError) as caught:
        RequestRecord(platform=Platform.LINKEDIN, name="\x00", received_at=utc(2025, 1, 1))
    assert skipped(
        invitations(f'{INVITATIONS_HEADER}"\x00",Mira,"3/1/25, 9:05 AM",,INCOMING,,\n')
    ) == [("Invitations.csv:2", first_error(caught.value))]


# --- Rows that cannot be used -----------------------------------------------------------------

INVITATIONS_HEADER = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_bad_rows_are_skipped_with_their_line_and_the_rest_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Invitations.csv",
        INVITATIONS_HEADER
        + 'Ada,Mira Testfeld,"3/1/25, 9:00 AM",,INCOMING,,\n'
        + 'Bob,Mira Testfeld,"yesterday",,INCOMING,,\n'
        + 'Cleo,Mira Testfeld,"3/2/25, 9:00 AM",,SIDEWAYS,,\n'
        + ',Mira Testfeld,"3/3/25, 9:00 AM",,INCOMING,,\n'
        + 'Dan,Mira Testfeld,"3/4/25, 9:00 AM",,INCOMING\n'
        + 'Mira Testfeld,Eve,"3/5/25, 9:00 AM",hi,OUTGOING,,\n',
    )
    records = read(path)
    assert skipped(records) == [
        ("Invitations.csv:3", "unparseable date 'yesterday'"),
        ("Invitations.csv:4", "unknown direction 'SIDEWAYS'"),
        ("Invitations.csv:5", "missing name"),
        ("Invitations.csv:6", "expected 7 fields, found 5"),
    ]
    assert [(r.name, r.direction) for r in of(records, RequestRecord)] == [
        ("Ada", IN),
        ("Eve", OUT),
    ]


def test_strict_mode_raises_on_the_first_skipped_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Invitations.csv",
        INVITATIONS_HEADER + 'Bob,Mira Testfeld,"yesterday",,INCOMING,,\n',
    )
    with pytest.raises(BadInput) as caught:
        read(path, strict=True)
    assert caught.value.line == 2
    assert caught.value.path == str(path)
    assert caught.value.problem == "unparseable date 'yesterday'"


def test_strict_mode_accepts_hidden_profiles() -> None:
    records = read(EXPORT / "Connections.csv", strict=True)
    assert len(of(records, ConnectionRecord)) == 6


def test_strict_mode_names_the_file_inside_an_export(tmp_path: Path) -> None:
    write(tmp_path, "Invitations.csv", INVITATIONS_HEADER + 'Bob,Me,"soon",,INCOMING,,\n')
    with pytest.raises(BadInput) as caught:
        read(tmp_path, strict=True)
    assert caught.value.path == str(tmp_path / "Invitations.csv")
    assert caught.value.line == 2


def test_connection_without_name_but_with_data_is_not_hidden(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.csv",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        ",,,,ACME,,01 Mar 2025\n"
        "Ada,Lovelace,,,,,someday\n"
        "Bea,Bauer,,,,,\n",
    )
    records = read(path)
    assert skipped(records) == [
        ("c.csv:2", "missing name"),
        ("c.csv:3", "unparseable date 'someday'"),
    ]
    (bea,) = of(records, ConnectionRecord)
    assert bea.connected_on is None


def test_messages_keep_linkedin_member_with_a_url_and_skip_nameless(tmp_path: Path) -> None:
    header = "CONVERSATION ID,FROM,SENDER PROFILE URL,DATE,CONTENT,FOLDER\n"
    path = write(
        tmp_path,
        "messages.csv",
        header
        + "c1,LinkedIn Member,https://www.linkedin.com/in/x,2025-01-01 10:00:00 UTC,hi,INBOX\n"
        + "c2,LinkedIn Member,,2025-01-01 10:00:00 UTC,<p>ad</p>,INBOX\n"
        + "c3,,https://www.linkedin.com/in/y,2025-01-01 10:00:00 UTC,hi,INBOX\n"
        + "c4,Ada,,2025-01-01 10:00:00 UTC,draft,DRAFTS\n",
    )
    records = read(path)
    assert [(m.sender_name, m.is_draft) for m in of(records, MessageRecord)] == [
        ("LinkedIn Member", False),
        ("Ada", True),
    ]
    assert skipped(records) == [("messages.csv:4", "missing sender name")]


def test_owner_url_only_learned_under_the_owner_name(tmp_path: Path) -> None:
    write(tmp_path, "Profile.csv", "First Name,Last Name,Maiden Name,Headline\nMira,Testfeld,,x\n")
    write(
        tmp_path,
        "Invitations.csv",
        INVITATIONS_HEADER
        + 'Ada,Someone Else,"3/1/25, 9:00 AM",,INCOMING,https://www.linkedin.com/in/ada,'
        "https://www.linkedin.com/in/else\n",
    )
    (owner, request) = read(tmp_path)
    assert isinstance(owner, OwnerRecord) and owner.profile_url is None
    assert request.profile_url == "https://www.linkedin.com/in/ada"


# --- Value parsers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/19/26, 9:15 AM", utc(2026, 1, 19, 8, 15)),
        ("3/1/18, 9:05 AM", utc(2018, 3, 1, 8, 5)),
        ("3/1/18, 9:05\u202fAM", utc(2018, 3, 1, 8, 5)),  # CLDR 42 writes a narrow NBSP
        ("12/31/25, 12:00 PM", utc(2025, 12, 31, 11, 0)),
        ("7/4/2024, 11:59 pm", utc(2024, 7, 4, 21, 59)),
        ("2025-11-17 22:05:06 UTC", utc(2025, 11, 17, 22, 5, 6)),
        ("2024/02/01 10:00:00 UTC", utc(2024, 2, 1, 10, 0)),
        ("01 Mar 2025", utc(2025, 2, 28, 23, 0)),
        ("12-Mar-25", utc(2025, 3, 11, 23, 0)),
        ("03.03.2025", utc(2025, 3, 2, 23, 0)),
        ("14.03.2025 09:30", utc(2025, 3, 14, 8, 30)),
        ("12 Mär 2025", utc(2025, 3, 11, 23, 0)),
        ("Mar 1, 2025", utc(2025, 2, 28, 23, 0)),
        ("2025-06-01", utc(2025, 5, 31, 22, 0)),
        ("2025-06-01T14:03:22Z", utc(2025, 6, 1, 14, 3, 22)),
        ("2025-06-01T14:03:22+02:00", utc(2025, 6, 1, 12, 3, 22)),
        ("2025-06-01T14:03:22", utc(2025, 6, 1, 12, 3, 22)),
        ("3/4/2025", None),  # March or April? refused, not guessed
        ("13/1/25, 9:00 AM", None),
        ("1/1/25, 13:00 PM", None),
        ("31 Foo 2025", None),
        ("30.02.2025", None),
        ("", None),
        ("yesterday", None),
        ("0001-01-01T00:00:00+05:00", None),
    ],
)
def test_parse_time(text: str, expected: datetime | None) -> None:
    assert parse_time(text, BERLIN) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.linkedin.com/in", None),
        ("https://www.linkedin.com/in/", None),
        ("  ", None),
        ("urn:li:member:123", "urn:li:member:123"),
        (JOERDIS, JOERDIS),
        (" https://www.linkedin.com/in/x ", "https://www.linkedin.com/in/x"),
        ("HTTPS://DE.LINKEDIN.COM/IN/", None),
        ("linkedin.com/in", None),
        ("https://www.linkedin.com/in/in", "https://www.linkedin.com/in/in"),
        ("https://example.com/in", "https://example.com/in"),
    ],
)
def test_profile_ref(value: str, expected: str | None) -> None:
    assert profile_ref(value) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "<p>Hi Mira,</p><p>try our new tool &amp; save 20%.</p>",
            "Hi Mira,\ntry our new tool & save 20%.",
        ),
        ("a<br>b<BR/>c<br />d", "a\nb\nc\nd"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("I <3 you & me", "I <3 you & me"),
        ("two  spaces  ", "two  spaces  "),
        ("<b>x</b> &#x202e;", "x \u202e"),  # unescaped; the display boundary sanitises
    ],
)
def test_html_to_text(content: str, expected: str) -> None:
    assert html_to_text(content) == expected
