"""Notification e-mails: the samples pinned field by field, the containers, hostile mail."""

from __future__ import annotations

import base64
import io
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinbox.importers import email as email_module
from netinbox.importers import email_parse, mail_mime, mail_sender, mbox_scan
from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.email import read_eml, read_maildir, read_mbox
from netinbox.models import AnyRecord, Platform, RequestRecord, SkippedRecord
from tests.conftest import SAMPLES as ALL_SAMPLES

SAMPLES = ALL_SAMPLES / "email"
INVITATION_ID = "7000000000000000001"

EXPECTED: dict[str, RequestRecord] = {
    "linkedin_invitation_classic.eml": RequestRecord(
        source="linkedin_invitation_classic.eml",
        platform=Platform.LINKEDIN,
        name="Ole Brømmer",
        headline="Freelance Sound Designer at Støj & Stilhed ApS",
        message="",  # the stock text "I'd like to join your LinkedIn network." is no note
        profile_url="https://www.linkedin.com/in/ole-broemmer",
        invitation_id=INVITATION_ID,
        received_at=datetime(2025, 1, 2, 7, 39, 6, tzinfo=UTC),
    ),
    "linkedin_invitation_i_want_to_connect.eml": RequestRecord(
        source="linkedin_invitation_i_want_to_connect.eml",
        platform=Platform.LINKEDIN,
        name="Zoë O'Connor-Smith",
        headline="Head of Data, Privacy & Trust at Fjordlicht Analytics AS",
        mutual_contacts=3,
        message='Hi Mira 👋 quick question re: your post "GDPR for humans" – got 5 min?',
        profile_url="https://www.linkedin.com/in/zoe-oconnor-smith-123abc",
        invitation_id=INVITATION_ID,
        received_at=datetime(2025, 3, 10, 10, 0, 41, tzinfo=UTC),
    ),
    "linkedin_invitation_reminder.eml": RequestRecord(
        source="linkedin_invitation_reminder.eml",
        platform=Platform.LINKEDIN,
        name="Renée Dubois, PhD",
        headline='Directrice "Produit" at Atelier Nuage, S.A.R.L.',
        message="",
        profile_url=None,  # the reminder links no profile
        invitation_id=INVITATION_ID,
        received_at=datetime(2025, 3, 16, 9, 12, tzinfo=UTC),
    ),
    "linkedin_invitation_with_note_de.eml": RequestRecord(
        source="linkedin_invitation_with_note_de.eml",
        platform=Platform.LINKEDIN,
        name="Jördis Übermuth",
        headline="Rechtsanwältin | Datenschutz & IT-Recht",
        mutual_contacts=2,
        # The quoted-printable soft break leaves the sender's double space; „…“ removed.
        message=(
            "Hallo Mira, ich habe Ihren Vortrag über Datenschutz gesehen.  Hätten Sie Lust, "
            "sich zu vernetzen? Viele Grüße, Jördis"
        ),
        profile_url="https://www.linkedin.com/in/j%C3%B6rdis-%C3%BCbermuth-7f3e21",
        invitation_id=INVITATION_ID,
        received_at=datetime(2025, 3, 14, 0, 3, 52, tzinfo=UTC),
    ),
    "xing_contact_request.eml": RequestRecord(
        source="xing_contact_request.eml",
        platform=Platform.XING,
        name="Grete Sommerfeld",
        headline="Referentin Öffentlichkeitsarbeit",
        company="Stadtwerke Beispielstadt",
        message="Hallo Mira, wir haben uns auf dem Barcamp Leipzig kennengelernt.",
        profile_url=None,  # the mail links the notification page, not the profile
        received_at=datetime(2025, 3, 11, 7, 30, tzinfo=UTC),  # 08:30 +0100
    ),
}

# notifications.mbox holds the same five mails in this order.
MBOX_ORDER = [
    "linkedin_invitation_classic.eml",
    "linkedin_invitation_with_note_de.eml",
    "linkedin_invitation_i_want_to_connect.eml",
    "linkedin_invitation_reminder.eml",
    "xing_contact_request.eml",
]


def _eml(path: Path, ctx: ImportContext) -> list[AnyRecord]:
    return list(read_eml(path, path.read_bytes(), ctx))


def _without_source(records: list[AnyRecord]) -> list[AnyRecord]:
    return [record.model_copy(update={"source": ""}) for record in records]


def _mail(
    body: str,
    *,
    sender: str = "=?utf-8?q?Max_Muster?= <invitations@linkedin.com>",
    subject: str = "Mira, please add me to your LinkedIn network",
    date: str | None = "Wed, 05 Feb 2025 12:00:00 +0100",
    html: str | None = None,
) -> bytes:
    """A LinkedIn-shaped mail; `html` alone (body "") gives an HTML-only mail."""
    headers = [f"From: {sender}", f"Subject: {subject}", "MIME-Version: 1.0"]
    if date is not None:
        headers.append(f"Date: {date}")
    if html is not None and not body:
        headers.append("Content-Type: text/html; charset=utf-8")
        return ("\n".join(headers) + "\n\n" + html + "\n").encode()
    if html is None:
        headers.append("Content-Type: text/plain; charset=utf-8")
        return ("\n".join(headers) + "\n\n" + body + "\n").encode()
    headers.append('Content-Type: multipart/alternative; boundary="b1"')
    parts = [
        "--b1\nContent-Type: text/plain; charset=utf-8\n\n" + body,
        "--b1\nContent-Type: text/html; charset=utf-8\n\n" + html,
        "--b1--",
    ]
    return ("\n".join(headers) + "\n\n" + "\n".join(parts) + "\n").encode()


def _parse(raw: bytes, ctx: ImportContext, tmp_path: Path, name: str = "m.eml") -> list[AnyRecord]:
    path = tmp_path / name
    path.write_bytes(raw)
    return list(read_eml(path, raw, ctx))


def _mbox(messages: list[bytes], escape: bool = True) -> bytes:
    """An mboxrd file: From_ line, body lines starting with (>*)From escaped, blank line."""
    out = bytearray()
    for number, message in enumerate(messages):
        out += b"From sender@example.org Mon Feb  3 10:00:%02d 2025\n" % (number % 60)
        for line in message.splitlines(keepends=True):
            stripped = line.lstrip(b">")
            out += (b">" + line) if escape and stripped.startswith(b"From ") else line
        if not message.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    return bytes(out)


def _unrelated(number: int) -> bytes:
    senders = [
        "Newsletter <news@example.com>",
        "LinkedIn <groups-noreply@linkedin.com>",
        "LinkedIn Job Alerts <jobs-noreply@linkedin.com>",
        "LinkedIn <notifications-noreply@linkedin.com>",
        "Kollegin <kollegin@example.de>",
    ]
    return (
        f"From: {senders[number % len(senders)]}\n"
        f"Subject: Mail {number}\n"
        f"Date: Mon, 3 Feb 2025 10:00:00 +0000\n"
        f"Content-Type: text/plain; charset=utf-8\n\n"
        f"Hello,\n\nthis is mail {number}.\n\nFrom the team\n"
    ).encode()


# --- The samples ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_eml_is_read_exactly(name: str, ctx: ImportContext) -> None:
    assert _eml(SAMPLES / name, ctx) == [EXPECTED[name]]


def test_sample_mbox_holds_five_requests_and_skips_nothing(ctx: ImportContext) -> None:
    records = list(read_mbox(SAMPLES / "notifications.mbox", ctx))
    assert [r.source for r in records] == [f"notifications.mbox#{n}" for n in range(1, 6)]
    assert not [r for r in records if isinstance(r, SkippedRecord)]
    assert _without_source(records) == _without_source([EXPECTED[n] for n in MBOX_ORDER])


def test_mbox_progress_adds_up_to_the_file_size() -> None:
    seen: list[int] = []
    list(read_mbox(SAMPLES / "notifications.mbox", ImportContext(advance=seen.append)))
    assert sum(seen) == (SAMPLES / "notifications.mbox").stat().st_size


def _html_only(raw: bytes) -> bytes:
    """The same mail with its text/plain part removed: headers plus the HTML part."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    del message["Content-Type"]
    for name in ("Content-Type", "Content-Transfer-Encoding"):
        message[name] = html[name]
    message.set_payload(html.get_payload())
    return message.as_bytes()


@pytest.mark.parametrize(
    ("name", "headline", "note", "invitation_id"),
    [
        (
            "linkedin_invitation_classic.eml",
            "Freelance Sound Designer at Støj & Stilhed ApS",
            "",
            INVITATION_ID,
        ),
        (
            "linkedin_invitation_with_note_de.eml",
            "Rechtsanwältin | Datenschutz & IT-Recht",
            "Hallo Mira, ich habe Ihren Vortrag über Datenschutz gesehen. Hätten Sie Lust, sich "
            "zu vernetzen? Viele Grüße, Jördis",
            INVITATION_ID,
        ),
        (
            "linkedin_invitation_i_want_to_connect.eml",
            "Head of Data, Privacy & Trust at Fjordlicht Analytics AS",
            "",
            None,  # this HTML part has no Accept link
        ),
        ("linkedin_invitation_reminder.eml", "", "", None),  # its HTML names nothing more
    ],
)
def test_sample_mails_as_html_only(
    name: str,
    headline: str,
    note: str,
    invitation_id: str | None,
    ctx: ImportContext,
    tmp_path: Path,
) -> None:
    """Tags stripped, then entities decoded (&amp;, &#39;, &eacute;); the same person."""
    [record] = _parse(_html_only((SAMPLES / name).read_bytes()), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    expected = EXPECTED[name]
    assert (record.name, record.received_at) == (expected.name, expected.received_at)
    assert (record.headline, record.message, record.invitation_id) == (
        headline,
        note,
        invitation_id,
    )


# --- Other senders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        "LinkedIn <messages-noreply@linkedin.com>",
        "LinkedIn <notifications-noreply@linkedin.com>",
        "LinkedIn Job Alerts <jobs-noreply@linkedin.com>",
        "Ole <ole@example.org>",
        "Spoof <invitations@linkedin.com.evil.example>",
    ],
)
def test_other_senders_are_skipped_silently(
    sender: str, ctx: ImportContext, tmp_path: Path
) -> None:
    body = "Hi Mira,\n\nMax Muster\nSome headline\n"
    assert _parse(_mail(body, sender=sender), ctx, tmp_path) == []


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Dein XING Newsletter", "Hallo Mira,\n\ndie Neuigkeiten der Woche.\n"),
        ("Max Muster hat heute Geburtstag", "Hallo Mira,\n\nGratuliere Max Muster.\n"),
        ("Max Muster hat Deine Kontaktanfrage bestätigt", "Hallo Mira,\n\nSchön.\n"),
        ("Du hast 3 offene Kontaktanfragen", "Hallo Mira,\n\nBitte beantworten.\n"),
    ],
)
def test_other_xing_mails_are_skipped(
    subject: str, body: str, ctx: ImportContext, tmp_path: Path
) -> None:
    raw = _mail(body, sender="XING <mailrobot@mail.xing.com>", subject=subject)
    assert _parse(raw, ctx, tmp_path) == []


def test_xing_digest_line_is_no_request(ctx: ImportContext, tmp_path: Path) -> None:
    """Without a request subject a bare "X wants to connect" line names nobody."""
    body = "Hi Mira,\n\nSee who wants to connect with you this week.\n"
    raw = _mail(body, sender="XING <mailrobot@mail.xing.com>", subject="Your week on XING")
    assert _parse(raw, ctx, tmp_path) == []


def test_xing_html_only_request_reads_the_name(ctx: ImportContext, tmp_path: Path) -> None:
    html = (
        "<p>Hallo Mira,</p><p><b>Grete Sommerfeld</b> hat Dir eine Kontaktanfrage geschickt.</p>"
        "<p><a href='https://www.xing.com/profile/Mira_Testfeld'>Dein Profil</a></p>"
    )
    raw = _mail(
        "",
        html=html,
        sender="XING <mailrobot@mail.xing.com>",
        subject="Neue Kontaktanfrage von Grete Sommerfeld",
    )
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.platform, record.name, record.headline, record.profile_url) == (
        Platform.XING,
        "Grete Sommerfeld",
        "",
        None,  # the receiver's own profile link is not the sender's
    )


def test_xing_request_in_english_with_profile_link(ctx: ImportContext, tmp_path: Path) -> None:
    body = (
        "Hi Mira,\n\nMax Muster (Head of Sales, DACH, Beispiel AG) has sent you a contact\n"
        "request:\n\n\u201cWe met in Hamburg.\nLet's stay in touch.\u201d\n\n"
        "View profile: https://www.xing.com/profile/Max_Muster/cv?sc_o=mail\n"
    )
    raw = _mail(
        body, sender="XING <mailrobot@mail.xing.com>", subject="Max Muster wants to connect"
    )
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.platform, record.name, record.headline, record.company) == (
        Platform.XING,
        "Max Muster",
        "Head of Sales, DACH",
        "Beispiel AG",
    )
    assert record.message == "We met in Hamburg.\nLet's stay in touch."
    assert record.profile_url == "https://www.xing.com/profile/Max_Muster"


_XING = "XING <mailrobot@mail.xing.com>"


def test_xing_mail_without_request_words_is_dropped_before_parsing(
    ctx: ImportContext, tmp_path: Path
) -> None:
    raw = _mail("Hallo Mira,\n\ndie Neuigkeiten der Woche.\n", sender=_XING, subject="Woche")
    with mock.patch.object(mail_mime, "read_mail", side_effect=AssertionError("parsed")):
        assert _parse(raw, ctx, tmp_path) == []


def test_xing_request_with_a_neutral_subject_is_still_read(
    ctx: ImportContext, tmp_path: Path
) -> None:
    """A reminder whose subject has no request words: the intro in the body decides."""
    body = "Hallo Mira,\n\nGrete Sommerfeld (Referentin, Stadtwerke) hat Dir eine\nKontaktanfrage geschickt.\n"
    raw = _mail(body, sender=_XING, subject="Grete Sommerfeld wartet auf Deine Antwort")
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.headline, record.company) == (
        "Grete Sommerfeld",
        "Referentin",
        "Stadtwerke",
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: ("quoted-printable", text.replace("Kontaktanfrage", "Kontakt=\n=61nfrage")),
        lambda text: ("base64", base64.encodebytes(text.encode()).decode()),
    ],
)
def test_xing_words_hidden_by_a_transfer_encoding_are_found(
    encode: Callable[[str], tuple[str, str]], ctx: ImportContext, tmp_path: Path
) -> None:
    body = "Hallo Mira,\n\nGrete Sommerfeld (Referentin) hat Dir eine Kontaktanfrage geschickt.\n"
    encoding, encoded = encode(body)
    raw = _mail(encoded, sender=_XING, subject="Neues auf XING").replace(
        b"MIME-Version: 1.0\n",
        f"MIME-Version: 1.0\nContent-Transfer-Encoding: {encoding}\n".encode(),
    )
    assert b"anfrage" not in raw.lower()
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.name == "Grete Sommerfeld"


def test_reused_header_objects_give_the_results_of_policy_default(
    ctx: ImportContext, tmp_path: Path
) -> None:
    """`POLICY` differs from `policy.default` only in remembering parsed headers."""
    registry = mail_mime.POLICY.header_factory
    value = 'multipart/alternative; boundary="b1"'
    assert registry("Content-Type", value) is registry("Content-Type", value)
    assert str(registry("Content-Type", value)) == str(
        policy.default.header_factory("Content-Type", value)
    )
    samples = [(SAMPLES / name).read_bytes() for name in sorted(EXPECTED)]
    samples += [_html_only(raw) for raw in samples[:4]]
    fallback = datetime(2025, 1, 1, tzinfo=UTC)
    for raw in samples:
        for platform in Platform:
            ours = email_parse.parse_candidate(raw, "s", platform, fallback)
            # `mail_headers` reads `mail_mime.POLICY` when called: one patch serves both.
            with mock.patch.object(mail_mime, "POLICY", policy.default):
                assert email_parse.parse_candidate(raw, "s", platform, fallback) == ours


# --- LinkedIn variants ---------------------------------------------------------------------


def test_footer_names_the_receiver_not_the_inviter(ctx: ImportContext, tmp_path: Path) -> None:
    """No headline line under the name: the footer's "(Privacy Engineer)" must not fill it."""
    body = (
        "Hi Mira,\n\nI'd like to join your LinkedIn network.\n\nMax Muster\n\n"
        "View profile: https://www.linkedin.com/comm/in/max-muster?trk=x\n\n"
        "This email was intended for Mira Testfeld (Privacy Engineer).\n"
        "Learn why we included this: https://www.linkedin.com/e/v2?e=1\n"
    )
    [record] = _parse(_mail(body), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.headline == ""
    assert "Privacy Engineer" not in record.model_dump_json()
    assert record.profile_url == "https://www.linkedin.com/in/max-muster"


def test_footer_trap_in_an_html_only_mail(ctx: ImportContext, tmp_path: Path) -> None:
    html = (
        "<table><tr><td><a href='https://www.linkedin.com/comm/in/mira-testfeld'>Mira</a>"
        "</td></tr><tr><td><a href='https://www.linkedin.com/comm/in/max-muster?trk=1'>"
        "Max Muster</a></td></tr></table>"
        "<p><a href='https://www.linkedin.com/comm/mynetwork/invite-accept?invitationId=42&amp;s=1'>"
        "Accept</a></p><p>This email was intended for Mira Testfeld (Privacy Engineer)</p>"
    )
    [record] = _parse(_mail("", html=html), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.headline) == ("Max Muster", "")
    assert record.profile_url == "https://www.linkedin.com/in/max-muster"  # not Mira's own
    assert record.invitation_id == "42"


def test_html_only_entities_are_decoded_after_the_tags_are_gone(
    ctx: ImportContext, tmp_path: Path
) -> None:
    html = (
        "<p>Hi Mira,</p><p><b>Max Muster</b><br>CTO &lt;b&gt;at&lt;/b&gt; A&amp;B &#x202e;x</p>"
        "<blockquote>Hallo&nbsp;Mira, &bdquo;gern&ldquo; <script>alert(1)</script>vernetzen.</blockquote>"
        "<p><a href='https://www.linkedin.com/comm/in/max-muster'>View profile</a></p>"
    )
    [record] = _parse(_mail("", html=html), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    # Text, never markup; the bidi override is sanitised at display, not here.
    assert record.headline == "CTO <b>at</b> A&B \u202ex"
    assert record.message == "Hallo\xa0Mira, „gern“ vernetzen."
    assert record.profile_url == "https://www.linkedin.com/in/max-muster"


def test_rfc2047_name_decoding_to_escape_is_kept(ctx: ImportContext, tmp_path: Path) -> None:
    sender = "=?utf-8?q?Max_=1B]2;PWNED=07_Muster?= <invitations@linkedin.com>"
    body = "Hi Mira,\n\nMax \x1b]2;PWNED\x07 Muster\nCTO at Beispiel\n"
    [record] = _parse(_mail(body, sender=sender), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.name == "Max \x1b]2;PWNED\x07 Muster"
    assert record.headline == "CTO at Beispiel"


@pytest.mark.parametrize(
    ("sender", "name"),
    [
        ('"Ole Brømmer via LinkedIn" <invitations@linkedin.com>', "Ole Brømmer"),
        (
            '"=?utf-8?q?Ren=C3=A9e_Dubois=2C_PhD?=" via LinkedIn <invitations@linkedin.de>',
            "Renée Dubois, PhD",
        ),
        ("Renée Dubois, PhD <invitations@linkedin.com>", "Renée Dubois, PhD"),
        ("=?iso-8859-1?q?J=FCrgen_M=FCller?= <invitations-noreply@linkedin.com>", "Jürgen Müller"),
    ],
)
def test_display_name_forms(sender: str, name: str, ctx: ImportContext, tmp_path: Path) -> None:
    [record] = _parse(_mail("Hi Mira,\n", sender=sender), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.name == name


def test_raw_8bit_cp1252_name_is_decoded(ctx: ImportContext, tmp_path: Path) -> None:
    """C-19: a header with raw cp1252 bytes instead of an encoded word."""
    raw = _mail("Hi Mira,\n", sender="Jxrgen <invitations@linkedin.com>").replace(
        b"Jxrgen", b"J\xfcrgen"
    )
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.name == "Jürgen"


def test_generic_sender_name_falls_back_to_the_subject(ctx: ImportContext, tmp_path: Path) -> None:
    raw = _mail(
        "Hallo Mira,\n\nMax Muster\nCTO\n",
        sender="LinkedIn <invitations@linkedin.com>",
        subject="Max Muster möchte sich mit Ihnen vernetzen",
    )
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.name, record.headline) == ("Max Muster", "CTO")


def test_note_in_place_of_the_stock_text_is_kept(ctx: ImportContext, tmp_path: Path) -> None:
    body = (
        "Hi Mira,\n\nGreat talk at the meetup - would love to stay in touch.\n\n"
        "Max Muster\nCTO at Beispiel\n\nAccept: https://www.linkedin.com/x?invitationId=9\n"
    )
    [record] = _parse(_mail(body), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.message == "Great talk at the meetup - would love to stay in touch."


def test_older_layout_with_the_note_above_the_name(ctx: ImportContext, tmp_path: Path) -> None:
    body = (
        "Hi Mira,\n\nMax Muster would like to join your LinkedIn network and has sent you "
        "a message:\n\n\u201cWe met at the DPO meetup in Köln.\u201d\n\n"
        "Max Muster\nCTO at Beispiel\nKöln\n\n"
        "Accept: https://www.linkedin.com/comm/mynetwork/invite-accept?invitationId=9\n"
    )
    [record] = _parse(_mail(body), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert (record.headline, record.message) == (
        "CTO at Beispiel",
        "We met at the DPO meetup in Köln.",
    )


@pytest.mark.parametrize(
    "stock",
    [
        "I\u2019d like to join your LinkedIn network.",
        "Hi Mira, I'd like to add you to my professional network on LinkedIn. - Max",
        "Ich möchte mich gerne mit Ihnen auf LinkedIn vernetzen.",
        "Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.",
    ],
)
def test_stock_text_is_no_message(stock: str, ctx: ImportContext, tmp_path: Path) -> None:
    body = f"Max Muster\nCTO\n\n{stock}\n\nAccept: https://www.linkedin.com/x?invitationId=9\n"
    [record] = _parse(_mail(body), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.message == ""


def test_urls_inside_the_note_and_headline_are_text(ctx: ImportContext, tmp_path: Path) -> None:
    body = (
        "Max Muster\nFounder of https://beispiel.example\n\n"
        "Hi Mira, my talk is at https://talk.example/x - see you there?\n\n"
        "Accept: https://www.linkedin.com/comm/mynetwork/invite-accept?invitationId=9\n"
        "View profile: https://www.linkedin.com/comm/in/max-muster\n"
    )
    [record] = _parse(_mail(body), ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.headline == "Founder of https://beispiel.example"
    assert record.message == "Hi Mira, my talk is at https://talk.example/x - see you there?"
    assert (record.invitation_id, record.profile_url) == (
        "9",
        "https://www.linkedin.com/in/max-muster",
    )


def test_invitation_without_any_name_is_reported(ctx: ImportContext, tmp_path: Path) -> None:
    raw = _mail("Hi Mira,\n", sender="invitations@linkedin.com", subject="You have an invitation")
    assert _parse(raw, ctx, tmp_path) == [
        SkippedRecord(source="m.eml", reason="LinkedIn invitation without the inviter's name")
    ]


def test_missing_date_uses_the_file_time_for_an_eml(ctx: ImportContext, tmp_path: Path) -> None:
    path = tmp_path / "nodate.eml"
    raw = _mail("Hi Mira,\n", date=None)
    path.write_bytes(raw)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    [record] = read_eml(path, raw, ctx)
    assert isinstance(record, RequestRecord)
    assert record.received_at == datetime.fromtimestamp(1_700_000_000, UTC)


def test_missing_date_uses_the_mbox_from_line(ctx: ImportContext, tmp_path: Path) -> None:
    path = tmp_path / "in.mbox"
    path.write_bytes(
        b"From invitations@linkedin.com Sun Mar 16 09:12:00 +0100 2025\n"
        + _mail("Hi Mira,\n", date="not a date")
    )
    [record] = read_mbox(path, ctx)
    assert isinstance(record, RequestRecord)
    assert record.received_at == datetime(2025, 3, 16, 8, 12, tzinfo=UTC)


# --- Containers ----------------------------------------------------------------------------


def _five_invitations() -> list[bytes]:
    return [(SAMPLES / name).read_bytes() for name in MBOX_ORDER]


def test_large_mbox_finds_the_five_invitations(ctx: ImportContext, tmp_path: Path) -> None:
    invitations = _five_invitations()
    messages = [_unrelated(n) for n in range(3000)]
    positions = [0, 700, 1500, 2300, 3004]
    for position, invitation in zip(positions, invitations, strict=True):
        messages.insert(position, invitation)
    path = tmp_path / "big.mbox"
    path.write_bytes(_mbox(messages))
    records = list(read_mbox(path, ctx))
    assert [r.source for r in records] == [f"big.mbox#{p + 1}" for p in positions]
    assert _without_source(records) == _without_source([EXPECTED[n] for n in MBOX_ORDER])


def test_maildir_gives_the_same_records_as_the_mbox(ctx: ImportContext, tmp_path: Path) -> None:
    messages = [_unrelated(0), *_five_invitations(), _unrelated(1)]
    mbox = tmp_path / "same.mbox"
    mbox.write_bytes(_mbox(messages))
    maildir = tmp_path / "Maildir"
    for folder in ("cur", "new", "tmp"):
        (maildir / folder).mkdir(parents=True)
    for number, message in enumerate(messages):
        folder = "cur" if number % 2 else "new"
        suffix = ":2,S" if folder == "cur" else ""
        (maildir / folder / f"17000000{number:02d}.M{number}P1.host{suffix}").write_bytes(message)
    (maildir / "tmp" / "1700000099.M9P1.host").write_bytes(_five_invitations()[0])  # ignored
    from_mbox = list(read_mbox(mbox, ctx))
    from_maildir = list(read_maildir(maildir, ctx))
    assert len(from_mbox) == 5
    assert _without_source(from_maildir) == _without_source(from_mbox)
    assert from_maildir[0].source == "1700000001.M1P1.host:2,S"


def test_maildir_without_cur_or_new_is_bad_input(ctx: ImportContext, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a Maildir"):
        list(read_maildir(tmp_path, ctx))


def test_escaped_from_line_is_body_text(ctx: ImportContext, tmp_path: Path) -> None:
    body = (
        "Max Muster\nCTO\n\nHi Mira,\n\nFrom Berlin with love\n>From the archive\n\n"
        "Accept: https://www.linkedin.com/x?invitationId=9\n"
    )
    path = tmp_path / "escaped.mbox"
    path.write_bytes(_mbox([_mail(body), _unrelated(1)]))
    assert b"\n>From Berlin" in path.read_bytes() and b"\n>>From the" in path.read_bytes()
    [record] = read_mbox(path, ctx)
    assert isinstance(record, RequestRecord)
    assert record.message == "Hi Mira,\n\nFrom Berlin with love\n>From the archive"


def test_mbox_with_crlf_and_no_blank_line_between_messages(
    ctx: ImportContext, tmp_path: Path
) -> None:
    """Writers that omit the empty line: a real From_ line still separates."""
    first = _mail("Max Muster\nCTO\n").replace(b"\n", b"\r\n")
    second = _mail("Eva Muster\nCFO\n", sender="Eva Muster <invitations@linkedin.com>")
    path = tmp_path / "crlf.mbox"
    path.write_bytes(
        b"From - Mon Mar 10 10:00:41 2025\r\n"
        + first
        + b"From 1783@xxx Sat Mar 14 00:03:52 +0000 2025\n"
        + second.replace(b"\n", b"\r\n")
    )
    records = list(read_mbox(path, ctx))
    assert [(r.source, getattr(r, "headline", None)) for r in records] == [
        ("crlf.mbox#1", "CTO"),
        ("crlf.mbox#2", "CFO"),
    ]


def test_eml_saved_with_its_from_line(ctx: ImportContext, tmp_path: Path) -> None:
    raw = (
        b"From invitations@linkedin.com Thu Jan  2 07:39:06 2025\n"
        + (SAMPLES / "linkedin_invitation_classic.eml").read_bytes()
    )
    [record] = _parse(raw, ctx, tmp_path, "linkedin_invitation_classic.eml")
    assert record == EXPECTED["linkedin_invitation_classic.eml"]


# --- The chunked mbox scan -----------------------------------------------------------------
#
# `mbox_scan.scan_mbox` reads the file in large chunks and looks closely only at messages whose
# `From:` line names an invitation sender. It must cut, number, cap and unescape exactly as
# the line loop it replaced; that loop is kept here, unchanged, as the reference.

_HEADER, _SKIP, _KEEP = 0, 1, 2
_BLANK = (b"\n", b"\r\n")
_ESCAPED_FROM = re.compile(rb"^>+From ")


def _decided(block: bytes) -> Platform | None:
    """The platform of a header block read whole, as the parser would see it; LinkedIn's
    message robot's mail only when its Subject may announce a message (`mail_sender`)."""
    address = mail_sender.sender_address(block)
    platform = mail_sender.invitation_platform(address)
    if (
        platform is Platform.LINKEDIN
        and not mail_sender.sends_invitations(address)
        and not mail_sender.may_announce_a_message(block.lower())
    ):
        return None
    return platform


def _line_loop(
    data: bytes, *, read_limit: int, max_header: int, max_message: int
) -> Iterator[tuple[int, bytes | None, Platform, bytes, bool]]:
    """The former `_scan_mbox` (readline pieces of at most `read_limit` bytes)."""
    readline = io.BytesIO(data).readline
    number, from_line, state = 1, None, _HEADER
    header: list[bytes] = []
    kept: list[bytes] = []
    header_size = size = 0
    platform: Platform | None = None
    too_large = has_content = False
    line_start = after_blank = True
    while True:
        piece = readline(read_limit)
        starts, line_start = line_start, piece[-1:] == b"\n"
        separator = (
            starts
            and piece[:5] == b"From "
            and (after_blank or mbox_scan._FROM_LINE.match(piece.decode("latin-1")) is not None)
        )
        if separator or not piece:
            if state == _HEADER and header:
                platform = mail_sender.invitation_platform(
                    mail_sender.sender_address(b"".join(header))
                )
                kept = header
            if platform is not None:
                if kept and kept[-1] in _BLANK:
                    kept.pop()
                yield number, from_line, platform, b"".join(kept), too_large
            if not piece:
                break
            if from_line is not None or has_content:
                number += 1
            from_line, state, platform = piece, _HEADER, None
            header, kept = [], []
            header_size = size = 0
            too_large = has_content = after_blank = False
            continue
        blank = starts and piece in _BLANK
        after_blank = blank
        if state == _SKIP:
            continue
        if state == _HEADER:
            has_content = has_content or not blank
            header.append(piece)
            header_size += len(piece)
            if blank or header_size > max_header:
                block = b"".join(header)
                header = []
                platform = _decided(block)
                state, kept, size = (
                    (_SKIP, [], 0) if platform is None else (_KEEP, [block], len(block))
                )
            continue
        if starts and piece[:1] == b">" and _ESCAPED_FROM.match(piece):
            piece = piece[1:]
        size += len(piece)
        if size > max_message:
            state, kept, too_large = _SKIP, [], True
        else:
            kept.append(piece)


def _chunked(
    data: bytes,
    *,
    chunk: int,
    carry: int = 64 * 1024,
    read_limit: int = 1024 * 1024,
    max_header: int = 256 * 1024,
    max_message: int = 25 * 1024 * 1024,
    progress: list[int] | None = None,
) -> list[tuple[int, bytes | None, Platform, bytes, bool]]:
    """What `_scan_mbox` cuts out of `data`, read `chunk` bytes at a time (a message that
    continues into the next chunk is carried there whole up to `carry` bytes)."""
    limits = {
        "_CHUNK_BYTES": chunk,
        "_CARRY_BYTES": carry,
        "_READ_LIMIT": read_limit,
        "MAX_HEADER_BYTES": max_header,
        "MAX_MESSAGE_BYTES": max_message,
    }
    context = ImportContext(tz=UTC, advance=None if progress is None else progress.append)
    with mock.patch.multiple(mbox_scan, **limits):  # type: ignore[arg-type]
        return [
            (c.number, c.from_line, c.platform, c.raw, c.too_large)
            for c in mbox_scan.scan_mbox(io.BytesIO(data), context)
        ]


def _reference(
    data: bytes,
    *,
    read_limit: int = 1024 * 1024,
    max_header: int = 256 * 1024,
    max_message: int = 25 * 1024 * 1024,
) -> list[tuple[int, bytes | None, Platform, bytes, bool]]:
    return list(
        _line_loop(data, read_limit=read_limit, max_header=max_header, max_message=max_message)
    )


def _sample_mbox() -> bytes:
    """Unrelated mail around the five samples, with `>From ` lines in bodies."""
    messages = [_unrelated(0), *_five_invitations()[:3], _unrelated(1), _mail("From: x\n")]
    return _mbox([*messages, *_five_invitations()[3:], _unrelated(2)])


@pytest.mark.parametrize("carry", [0, 100, 64 * 1024])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 13, 64, 100, 4096])
def test_tiny_chunks_cut_the_mbox_as_the_line_loop(chunk: int, carry: int) -> None:
    """Every boundary lands somewhere awkward: inside `\\nFrom `, inside a header block,
    between `\\r` and `\\n`; a message is many chunks long, carried whole or followed
    piece by piece."""
    data = _sample_mbox()
    expected = _reference(data)
    assert [number for number, *_ in expected] == [2, 3, 4, 6, 7, 8]
    assert _chunked(data, chunk=chunk, carry=carry) == expected


def test_separator_split_at_every_offset_of_a_chunk() -> None:
    """`\\n\\nFrom ` split between two 64-byte chunks at each possible place."""
    invitation = (SAMPLES / "linkedin_invitation_classic.eml").read_bytes()
    for shift in range(64):
        data = b"X-Pad: " + b"p" * shift + b"\n\n" + _mbox([_unrelated(1), invitation])
        for carry in (0, 64 * 1024):
            result = _chunked(data, chunk=64, carry=carry)
            assert result == _reference(data)
            assert [(number, raw) for number, _, _, raw, _ in result] == [(3, invitation)]


def test_message_longer_than_a_chunk_is_kept_whole() -> None:
    invitation = (SAMPLES / "linkedin_invitation_with_note_de.eml").read_bytes()
    assert len(invitation) > 10 * 64
    [(number, from_line, platform, raw, too_large)] = _chunked(_mbox([invitation]), chunk=64)
    assert (number, platform, too_large) == (1, Platform.LINKEDIN, False)
    assert from_line == b"From sender@example.org Mon Feb  3 10:00:00 2025\n"
    assert raw == invitation.rstrip(b"\n") + b"\n"


def test_crlf_mbox_in_tiny_chunks() -> None:
    data = _sample_mbox().replace(b"\n", b"\r\n")
    expected = _reference(data)
    assert len(expected) == 6
    for chunk in (1, 2, 63, 64, 65, 4096):
        assert _chunked(data, chunk=chunk) == expected
        assert _chunked(data, chunk=chunk, carry=0) == expected


def test_mbox_without_a_trailing_newline() -> None:
    invitation = (SAMPLES / "linkedin_invitation_classic.eml").read_bytes().rstrip(b"\n")
    data = _mbox([_unrelated(1), invitation]).rstrip(b"\n")
    assert not data.endswith(b"\n")
    for chunk in (1, 64, 4096):
        result = _chunked(data, chunk=chunk)
        assert result == _reference(data)
        assert [(number, raw) for number, _, _, raw, _ in result] == [(2, invitation)]


def test_first_message_at_offset_zero_and_text_before_the_first_from_line() -> None:
    invitation = (SAMPLES / "linkedin_invitation_classic.eml").read_bytes()
    at_zero = _mbox([invitation, _unrelated(1)])
    assert at_zero.startswith(b"From ")
    assert [n for n, *_ in _chunked(at_zero, chunk=64)] == [1]
    # Headers before any `From ` line are a message of their own (without a From_ line);
    # an empty first line before the first `From ` line is not.
    for data, numbers in ((invitation + at_zero, [1, 2]), (b"\n" + at_zero, [1])):
        result = _chunked(data, chunk=64)
        assert result == _reference(data)
        assert [number for number, *_ in result] == numbers
    assert _chunked(invitation, chunk=64)[0][1] is None


def test_progress_is_reported_per_chunk_and_adds_up() -> None:
    data = _sample_mbox()
    seen: list[int] = []
    _chunked(data, chunk=1000, progress=seen)
    assert sum(seen) == len(data)
    assert seen[:-1] == [1000] * (len(seen) - 1)


def test_limits_behave_as_in_the_line_loop() -> None:
    """Pieces of long lines, capped header blocks and too-large messages, at small limits."""
    data = _sample_mbox()
    long_from = b"From " + b"x" * 300 + b" Mon Feb  3 10:00:00 2025\n" + _five_invitations()[0]
    for sample in (data, long_from + b"\n" + data, data.replace(b"\n", b"\r\n")):
        for limits in (
            {"read_limit": 64},
            {"max_header": 200},
            {"max_message": 3000},
            {"read_limit": 37, "max_header": 100, "max_message": 2000},
        ):
            expected = _reference(sample, **limits)
            for chunk in (7, 64, 4096):
                for carry in (0, 500, 64 * 1024):
                    assert _chunked(sample, chunk=chunk, carry=carry, **limits) == expected


def test_the_message_robots_mail_is_kept_only_when_its_subject_may_announce_a_message() -> None:
    """The scan drops the robot's digests in bulk, by the Subject of each header block, and
    keeps what the parser must see: a Subject that may announce a message (folded, or
    encoded), and a robot's mail that ends inside its header block."""
    robot = "LinkedIn <messages-noreply@linkedin.com>"
    announce = _mail("Hallo", sender=robot, subject="Max sent you a message")
    folded = _mail("x", sender=robot, subject="Max\n Muster hat Ihnen eine Nachricht gesendet")
    encoded = _mail("x", sender=robot, subject="=?utf-8?q?Max_hat_Ihnen_geschrieben?=")
    digests = [_mail("x", sender=robot, subject=f"{n} new notifications") for n in range(3)]
    no_subject = announce.replace(b"Subject: Max sent you a message\n", b"")
    subject_in_body = _mail("Subject: sent you a message", sender=robot, subject="Digest")
    data = _mbox(
        [digests[0], announce, digests[1], no_subject, folded, subject_in_body, encoded]
        + [digests[2], _five_invitations()[0]]
    )
    data += b"From sender@example.org Mon Feb  3 10:00:00 2025\n"
    data += b"From: " + robot.encode() + b"\nSubject: Digest\n"  # no empty line: no body
    expected = _reference(data)
    assert [number for number, *_ in expected] == [2, 5, 7, 9, 10]
    for chunk in (7, 64, 4096, 1 << 18):
        assert _chunked(data, chunk=chunk) == expected
        assert _chunked(data, chunk=chunk, carry=0) == expected


_MBOX_LINES = [
    b"From x Mon Jan  2 07:39:06 2025",
    b"From - Mon Mar 10 10:00:41 2025",
    b"From 1783@xxx Sat Mar 14 00:03:52 +0000 2025",
    b"From the team",
    b"From",
    b">From a",
    b">>From b",
    b"From: invitations@linkedin.com",
    b"FROM: Max <INVITATIONS@LinkedIn.COM>",
    b"from: x@mail.xing.com",
    b"From: a@b.example",
    b"From: Max",
    b" <invitations@linkedin.de>",
    b"\t<y@xing.de>",
    b"Subject: invitations xing.",
    b"From: LinkedIn <messages-noreply@linkedin.com>",
    b"from: MESSAGING-NOREPLY@linkedin.de",
    b"From: messages-noreply@example.org",
    b"Subject: Max sent you a message",
    b"SUBJECT: 3 new notifications",
    b"Subject: =?utf-8?q?Neue?=",
    b"subject: Your weekly digest",
    b" Nachricht",
    b"",
    b"\r",
    b"body text",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.one_of(st.sampled_from(_MBOX_LINES), st.binary(max_size=40)), max_size=40),
    ends=st.lists(st.sampled_from([b"\n", b"\n", b"\r\n", b"\n\n"]), min_size=40, max_size=40),
    trailing=st.booleans(),
    chunk=st.sampled_from([1, 2, 3, 7, 16, 64, 1000]),
    carry=st.sampled_from([0, 10, 100, 64 * 1024]),
    read_limit=st.sampled_from([16, 23, 64, 1024 * 1024]),
    max_header=st.sampled_from([8, 30, 100, 256 * 1024]),
    max_message=st.sampled_from([20, 60, 200, 25 * 1024 * 1024]),
)
def test_any_mbox_is_cut_as_by_the_line_loop(
    lines: list[bytes],
    ends: list[bytes],
    trailing: bool,
    chunk: int,
    carry: int,
    read_limit: int,
    max_header: int,
    max_message: int,
) -> None:
    data = b"".join(line + end for line, end in zip(lines, ends, strict=False))
    if not trailing:
        data = data[:-1]
    limits = {"read_limit": read_limit, "max_header": max_header, "max_message": max_message}
    assert _chunked(data, chunk=chunk, carry=carry, **limits) == _reference(data, **limits)


def test_read_error_keeps_the_records_found_before_it(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Candidates are parsed in batches; those cut out before a read error still come."""
    path = tmp_path / "broken.mbox"
    path.write_bytes(_mbox([*_five_invitations()[:2], *(_unrelated(n) for n in range(200))]))
    scan = email_module.scan_mbox

    def failing(handle: io.BufferedReader, context: ImportContext) -> Iterator[object]:
        yield from scan(io.BytesIO(handle.read(8000)), context)  # both invitations
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(email_module, "scan_mbox", failing)
    records: list[AnyRecord] = []
    with pytest.raises(BadInput, match="read error"):
        records.extend(read_mbox(path, ctx))
    assert [r.source for r in records] == ["broken.mbox#1", "broken.mbox#2"]


# --- Parsing in a forked worker beside the scan ----------------------------------------------


def _worker_mbox(tmp_path: Path) -> Path:
    """Invitations, unrelated mail, XING notices and a broken invitation, in that mix."""
    xing = _mail("Hallo Mira,\n\ndie Neuigkeiten der Woche.\n", sender=_XING, subject="Woche")
    broken = _mail("Max Muster\nCTO\n", date=None).replace(b"From: ", b"From: <>", 1)
    messages = [*_five_invitations(), xing, broken, *(_unrelated(n) for n in range(40))]
    messages[8:8] = _five_invitations()
    path = tmp_path / "worker.mbox"
    path.write_bytes(_mbox(messages))
    return path


def _forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make `read_mbox` fork a worker for any file, with batches of two; the pids started."""
    pids: list[int] = []
    start = email_module._ParseWorker.start

    def recording(name: str, fallback: datetime | None) -> object:
        worker = start(name, fallback)
        assert worker is not None
        pids.append(worker.pid)
        return worker

    monkeypatch.setattr(email_module, "_may_fork", lambda size: True)
    monkeypatch.setattr(email_module, "_WORKER_BATCH", 2)
    monkeypatch.setattr(email_module, "_FIRST_BATCH", 2)
    monkeypatch.setattr(email_module._ParseWorker, "start", staticmethod(recording))
    return pids


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_worker_gives_the_records_of_one_process(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _worker_mbox(tmp_path)
    expected = list(read_mbox(path, ctx))
    assert len(expected) == 11  # ten invitations and the broken one's reason
    pids = _forked(monkeypatch)
    assert list(read_mbox(path, ctx)) == expected
    [pid] = pids
    assert _reaped(pid)


def test_worker_that_dies_is_replaced_by_parsing_here(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _worker_mbox(tmp_path)
    expected = list(read_mbox(path, ctx))
    pids = _forked(monkeypatch)
    parent, record = os.getpid(), email_module._mbox_record

    def dying(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(3)
        return record(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(email_module, "_mbox_record", dying)
    assert list(read_mbox(path, ctx)) == expected
    assert len(pids) == 1 and _reaped(pids[0])


def test_error_in_the_worker_is_raised_as_in_one_process(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error while parsing a candidate: the worker hands the batch back, and
    parsing it here raises the error, after the records before it."""
    path = _worker_mbox(tmp_path)
    record = email_module._mbox_record

    def failing(name: str, candidate: Any, fallback: datetime | None) -> object:
        if candidate.number == 9:
            raise ValueError("a bug")
        return record(name, candidate, fallback)

    monkeypatch.setattr(email_module, "_mbox_record", failing)
    records: list[AnyRecord] = []
    with pytest.raises(ValueError, match="a bug"):
        records.extend(read_mbox(path, ctx))
    expected = [r.source for r in records]
    assert expected == [f"worker.mbox#{n}" for n in (1, 2, 3, 4, 5, 7)]
    pids = _forked(monkeypatch)
    records.clear()
    with pytest.raises(ValueError, match="a bug"):
        records.extend(read_mbox(path, ctx))
    assert [r.source for r in records] == expected
    assert len(pids) == 1 and _reaped(pids[0])


def test_closing_the_records_early_ends_the_worker(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = _forked(monkeypatch)
    records = read_mbox(_worker_mbox(tmp_path), ctx)
    for _ in range(4):  # the first batch is parsed here, the next ones by the worker
        next(records)
    [pid] = pids
    assert not _reaped(pid)
    records.close()
    assert _reaped(pid)


def test_no_worker_beside_other_threads_for_a_small_file_or_on_a_busy_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = email_module._FORK_BYTES
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.4, 1.0, 1.0))
    assert email_module._may_fork(big) == sys.platform.startswith("linux")
    assert not email_module._may_fork(big - 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.6, 1.0, 1.0))
    assert not email_module._may_fork(big)
    monkeypatch.setattr(os, "getloadavg", lambda: (3.4, 1.0, 1.0))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not email_module._may_fork(big)
    finally:
        stop.set()
        thread.join()


# --- The message tree of a simply built mail --------------------------------------------------


def _tree(message: object) -> object:
    """Everything of a parsed message that the importer (or anyone) can read from it."""
    payload = message._payload  # type: ignore[attr-defined]
    return (
        type(message).__name__,
        list(message._headers),  # type: ignore[attr-defined]
        message._default_type,  # type: ignore[attr-defined]
        message.preamble,  # type: ignore[attr-defined]
        message.epilogue,  # type: ignore[attr-defined]
        [_tree(part) for part in payload] if isinstance(payload, list) else payload,
    )


def _parser_tree(raw: bytes) -> object:
    return _tree(BytesParser(policy=mail_mime.POLICY).parsebytes(raw))


def _parser_mail(raw: bytes) -> object:
    """What the importer reads off the parser's tree: the top headers and the bodies (or
    the error reading them raises)."""
    message = BytesParser(policy=mail_mime.POLICY).parsebytes(raw)
    try:
        return list(message.raw_items()), mail_mime.message_bodies(message)
    except Exception as error:
        return type(error)


def _simple_mail(raw: bytes) -> object:
    mail = mail_mime.simple_mail(raw)
    return mail if mail is None else (mail.headers, mail.bodies)


def test_simple_tree_of_the_samples_is_the_parsers() -> None:
    assert mail_mime.POLICY.message_factory is EmailMessage
    for name in sorted(EXPECTED):
        raw = (SAMPLES / name).read_bytes().replace(b"\r\n", b"\n")
        simple = mail_mime.simple_tree(raw)
        assert simple is not None, name
        assert _tree(simple) == _parser_tree(raw)
        assert mail_mime.simple_mail(raw) is not None, name
        assert _simple_mail(raw) == _parser_mail(raw), name


_PART_HEADERS = [
    b"",
    b"Content-Type: text/plain; charset=utf-8\n",
    b"Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n",
    b"Content-Type: text/plain;\n charset=UTF-8\n",
    b"Content-Disposition: attachment\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Type: multipart/mixed; boundary=C\n",
    b"bad line\n",
    b'Content-Type: text/plain; charset="ISO-8859-1"\nContent-Transfer-Encoding: QUOTED-PRINTABLE\n',
    b"Content-Type: text/html; charset=x-unknown\nContent-Transfer-Encoding: base64\n",
    b"Content-Type: TEXT/PLAIN; format=flowed; charset=utf-8\nContent-Disposition: inline\n",
    b"Content-Disposition: ATTACHMENT; filename=a.txt\nContent-Type: text/plain\n",
    b"Content-Type: text/plain; charset*=utf-8''%e2%82%ac\nContent-Transfer-Encoding: 8bit\n",
    b"Content-Type: text/plain; charset=utf-8\nContent-Type: text/html\n",
    b"Content-Transfer-Encoding: x-uuencode\n",
]
_PART_LINES = [
    b"text\n",
    b"--B\n",
    b"--Bx\n",
    b" --B\n",
    b"--B--x\n",
    b"\n",
    b"caf\xc3\xa9\n",
    b"--B \n",
    b"soft=\n",
    b"caf=C3=A9 =E9=\n",
    b"w6k=\n",
    b"x\xe9\x80\n",
]


@settings(max_examples=400, deadline=None)
@given(
    top=st.sampled_from(
        [
            b'Content-Type: multipart/alternative; boundary="B"\n',
            b"Content-Type: multipart/mixed; boundary=B\nContent-Transfer-Encoding: base64\n",
            b"Content-Type: MULTIPART/Alternative;\n\tboundary=B\n",
            b"Content-Type: multipart/digest; boundary=B\n",
            b"Content-Type: multipart/alternative\n",
            b"Content-Type: text/plain\n",
            b"",
        ]
    ),
    preamble=st.sampled_from([b"", b"preamble\n", b"pre\n\n", b"\n"]),
    parts=st.lists(
        st.tuples(
            st.sampled_from([b"", b" ", b"\t "]),
            st.sampled_from(_PART_HEADERS),
            st.sampled_from([b"\n", b"", b"\n\n"]),
            st.lists(st.sampled_from(_PART_LINES), max_size=5),
        ),
        max_size=3,
    ),
    close=st.sampled_from([b"--B--\n", b"--B--", b"--B-- \nepilogue\n", b"", b"--B--\n--B\nx\n"]),
    noise=st.sampled_from([b"", b"\r", b"From x\n", b" folded\n", b": empty\n"]),
)
def test_simple_tree_is_the_parsers_or_none(
    top: bytes,
    preamble: bytes,
    parts: list[tuple[bytes, bytes, bytes, list[bytes]]],
    close: bytes,
    noise: bytes,
) -> None:
    raw = b"From: a@b.example\n" + noise + b"Subject: s\n" + top + b"\n" + preamble
    for space, headers, gap, lines in parts:
        raw += b"--B" + space + b"\n" + headers + gap + b"".join(lines)
    raw += close
    simple = mail_mime.simple_tree(raw)
    if simple is not None:
        assert _tree(simple) == _parser_tree(raw)
    mail = _simple_mail(raw)
    if mail is not None:
        assert mail == _parser_mail(raw)


# --- Hostile mail ----------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    body = b"Content-Type: text/plain\n\nMax Muster\nCTO\n"
    for level in range(depth):
        boundary = b"b%d" % level
        body = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\n\n--"
            + boundary
            + b"\n"
            + body
            + b"\n--"
            + boundary
            + b"--\n"
        )
    head = b"From: Max Muster <invitations@linkedin.com>\nDate: Mon, 3 Feb 2025 10:00:00 +0000\n"
    return head + body


def test_deeply_nested_message_is_skipped_and_the_next_is_read(
    ctx: ImportContext, tmp_path: Path
) -> None:
    path = tmp_path / "nested.mbox"
    path.write_bytes(_mbox([_nested(3000), _five_invitations()[0]]))
    skipped, record = list(read_mbox(path, ctx))
    assert isinstance(skipped, SkippedRecord)
    assert skipped.source == "nested.mbox#1"
    assert skipped.reason.startswith("message too complex (")
    assert record == EXPECTED["linkedin_invitation_classic.eml"].model_copy(
        update={"source": "nested.mbox#2"}
    )


def test_recursion_error_is_caught_per_message(
    ctx: ImportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the cheap part count, the stdlib parser recurses and fails: still a skip."""
    monkeypatch.setattr(email_parse, "MAX_MIME_PARTS", 10**6)
    monkeypatch.setattr(mail_mime, "MAX_MIME_PARTS", 10**6)
    [skipped] = _parse(_nested(3000), ctx, tmp_path)
    assert skipped == SkippedRecord(
        source="m.eml", reason="message too complex (nested too deeply)"
    )


def test_nesting_over_the_depth_limit_is_skipped(ctx: ImportContext, tmp_path: Path) -> None:
    [skipped] = _parse(_nested(25), ctx, tmp_path)
    assert skipped == SkippedRecord(
        source="m.eml", reason="message too complex (nested more than 20 levels)"
    )


def test_too_many_parts_is_skipped(ctx: ImportContext, tmp_path: Path) -> None:
    parts = "".join("--b\nContent-Type: text/plain\n\nx\n" for _ in range(300))
    raw = _mail("").replace(
        b"Content-Type: text/plain; charset=utf-8", b'Content-Type: multipart/mixed; boundary="b"'
    )
    raw += (parts + "--b--\n").encode()
    [skipped] = _parse(raw, ctx, tmp_path)
    assert skipped == SkippedRecord(
        source="m.eml", reason="message too complex (more than 200 parts)"
    )


def test_unknown_charset_and_broken_transfer_encoding(ctx: ImportContext, tmp_path: Path) -> None:
    raw = (
        b"From: Max Muster <invitations@linkedin.com>\nDate: Mon, 3 Feb 2025 10:00:00 +0000\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\n"
        b"Content-Transfer-Encoding: base64\n\n!!!not base64???\n"
    )
    [record] = _parse(raw, ctx, tmp_path)
    assert isinstance(record, RequestRecord)
    assert record.name == "Max Muster"


def test_nested_comments_in_from_do_not_recurse(ctx: ImportContext, tmp_path: Path) -> None:
    raw = _mail("Max Muster\nCTO\n", sender="Max Muster <invitations@linkedin.com> " + "(" * 5000)
    records = _parse(raw, ctx, tmp_path)
    assert len(records) == 1  # a record or a skip, but no crash


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_any_bytes_after_an_invitation_header_never_crash(tmp_path: Path, body: bytes) -> None:
    raw = (
        b"From: Max <invitations@linkedin.com>\nContent-Type: multipart/mixed; boundary=x\n\n"
        + body
    )
    for record in _parse(raw, ImportContext(tz=UTC), tmp_path):
        assert isinstance(record, RequestRecord | SkippedRecord)
