"""An mbox of ordinary mail with a few hundred LinkedIn invitations in it.

Most messages are from unrelated senders (newsletters, people, LinkedIn's other robots,
XING's mailrobot); about 1 % carry a base64 attachment, some have body lines that start
with `From ` (written `>From `, as mbox writers do). The invitations are shaped like
`tests/fixtures/samples/email/linkedin_invitation_classic.eml`: multipart/alternative,
quoted-printable, RFC 2047 sender name.
"""

from __future__ import annotations

import base64
import quopri
import random
from datetime import datetime
from email.utils import format_datetime, formataddr
from pathlib import Path

from benchmarks.people import SPAN, Sender, senders

WORDS = (
    "Angebot Woche Termin meeting update Rechnung invoice Lieferung shipping Konto account "
    "Projekt project Bericht report bitte please danke thanks morgen tomorrow heute today "
    "Grüße regards Änderung change Übersicht overview Größe size Straße street café résumé"
).split()
SENDERS = (
    "Newsletter Bücherwurm <news@buecherwurm.example>",
    "Deutsche Beispielbahn <noreply@bahn.example>",
    "Jana Küster <jana.kuester@example.org>",
    "Ole Brømmer <ole@example.net>",
    "LinkedIn <messages-noreply@linkedin.com>",
    "LinkedIn <notifications-noreply@linkedin.com>",
    "LinkedIn Job Alerts <jobs-noreply@linkedin.com>",
    "GitHub <noreply@github.example>",
    "Stadtbibliothek <ausleihe@bibliothek.example>",
    "Kita Sonnenschein <info@kita.example>",
)
XING_ROBOT = "XING <mailrobot@mail.xing.com>"
INVITATION_TEXT = """Hi Mira,

I'd like to join your LinkedIn network.

{name}
{headline}
{note}
View profile: https://www.linkedin.com/comm/in/{slug}?trk=eml-synthetic

Accept: https://www.linkedin.com/comm/mynetwork/invite-accept?invitationId={invitation}&sharedKey=SyNtHeT1&trk=eml-synthetic

.....................................

Unsubscribe: https://www.linkedin.com/e/v2?e=synthetic&t=lun

You are receiving Invitation emails.

This email was intended for Mira Testfeld (Privacy Engineer | DPO-in-training | she/her).
Learn why we included this: https://www.linkedin.com/e/v2?e=synthetic&a=customerServiceUrl

© 2025 LinkedIn Corporation, 1000 West Maude Avenue, Sunnyvale, CA 94085.
"""
INVITATION_HTML = (
    "<html><body><p>Hi Mira,</p><p>I&#39;d like to join your LinkedIn network.</p>"
    '<p><b>{name}</b><br>{headline}</p><p>{note}</p><p><a href="https://www.linkedin.com/'
    'comm/mynetwork/invite-accept?invitationId={invitation}&sharedKey=SyNtHeT1">Accept</a>'
    "</p></body></html>"
)
BOUNDARY = "----=_Part_4242_1717171717.a1b2c3d4"


def _from_line(address: str, moment: datetime) -> str:
    return f"From {address} {moment:%a %b} {moment.day:2d} {moment:%H:%M:%S %Y}\n"


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def invitation(sender: Sender, number: int) -> str:
    """One invitation mail, without its `From ` line."""
    fields = {
        "name": sender.name,
        "headline": sender.headline or "LinkedIn member",
        "slug": sender.slug,
        "invitation": 7000000000000000000 + number,
        "note": f"\n{sender.message}\n" if sender.message else "",
    }
    html = INVITATION_HTML.format(**fields)
    return (
        f"From: {formataddr((sender.name, 'invitations@linkedin.com'))}\n"
        f"Message-ID: <inv{number}@synthetic.example>\n"
        f"Subject: Mira, please add me to your LinkedIn network\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/alternative; boundary="{BOUNDARY}"\n'
        "To: Mira Testfeld <mira@example.org>\n"
        f"Date: {format_datetime(sender.received_at)}\n\n"
        f"--{BOUNDARY}\nContent-Type: text/plain;charset=UTF-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{_qp(INVITATION_TEXT.format(**fields))}\n"
        f"--{BOUNDARY}\nContent-Type: text/html;charset=UTF-8\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{_qp(html)}\n--{BOUNDARY}--\n"
    )


class _Bodies:
    """Pre-built paragraphs and an attachment, so 100,000 mails are quick to write."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.paragraphs = [
            "\n".join(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
                for _ in range(rng.randint(2, 6))
            )
            for _ in range(300)
        ]
        blob = base64.encodebytes(rng.randbytes(12_000)).decode("ascii")
        self.attachment = (
            '\n--b1\nContent-Type: application/pdf; name="Rechnung.pdf"\n'
            f"Content-Transfer-Encoding: base64\n\n{blob}--b1--\n"
        )

    def body(self) -> str:
        rng = self.rng
        text = "\n\n".join(rng.choice(self.paragraphs) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.02:
            text += "\n\n>From the desk of the editor: see you next week.\n"
        return text


def ordinary(bodies: _Bodies, sender: str, number: int, moment: datetime) -> str:
    rng = bodies.rng
    body = bodies.body()
    head = (
        f"From: {sender}\nTo: Mira Testfeld <mira@example.org>\n"
        f"Subject: {' '.join(rng.choice(WORDS) for _ in range(5))}\n"
        f"Date: {format_datetime(moment)}\nMessage-ID: <m{number}@synthetic.example>\n"
        "MIME-Version: 1.0\n"
    )
    if rng.random() < 0.01:
        return (
            f'{head}Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            f"{body}\n{bodies.attachment}"
        )
    return (
        f"{head}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{body}\n"
    )


def write_mbox(path: Path, size: int, now: datetime) -> int:
    """Write `size` mails, of which about 0.3 % (at least two) are invitations; returns that count."""
    rng = random.Random(5)
    bodies = _Bodies(rng)
    wanted = max(2, size * 3 // 1000)
    inviters = iter(senders(wanted, now, seed=13))
    every = max(1, size // wanted)
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for number in range(size):
            if number % every == every // 2 and written < wanted:
                sender = next(inviters)
                handle.write(_from_line("invitations@linkedin.com", sender.received_at))
                handle.write(invitation(sender, number))
                written += 1
            else:
                moment = now - SPAN * rng.random()
                address = XING_ROBOT if rng.random() < 0.003 else rng.choice(SENDERS)
                handle.write(_from_line(address.split("<")[1].rstrip(">"), moment))
                handle.write(ordinary(bodies, address, number, moment))
            handle.write("\n")
    return written
