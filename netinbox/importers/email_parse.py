"""One notification e-mail → one record: the front of reading mail.

The containers (mbox, Maildir, .eml) live in `email.py` and `mbox_scan.py`; the modules
below know what a single message looks like, one concern each (docs/formats.md,
"Notification e-mails"; docs/architecture.md, "Importers"):

- `mail_sender`: step 1, which mails are invitations, from the raw From header alone, with
  no MIME parsing, so a 100,000-mail mbox is sorted cheaply;
- `mail_mime`: step 2 for the few candidates, the message's top headers and its first plain
  and HTML bodies, decoded (policy `default`, with fast paths for simply built mail);
- `mail_headers`: what the headers say (encoded words, the inviter's display name, Date);
- `mail_text`: bodies as text (HTML to lines and links, footer, greetings, quotes, the
  inviter's profile link);
- `mail_linkedin`, `mail_xing`: each platform's wording → a `RequestRecord`;
- `mail_messages`: "X sent you a message" (both platforms) → a `MessageRecord`;
- here: `parse_candidate`, the record built from one mail, with every failure of a
  hostile or broken message turned into a `SkippedRecord`.

Every string goes through the models, which apply `for_storage`; display sanitising
happens at the terminal boundary, so an encoded word that decodes to ESC is kept here.
"""

from __future__ import annotations

from datetime import datetime
from email.errors import MessageError

from pydantic import ValidationError

from netinbox.i18n import _
from netinbox.importers.base import MAX_MIME_PARTS
from netinbox.importers.mail_headers import decode_words, display_name, header_date, raw_header
from netinbox.importers.mail_linkedin import linkedin_record
from netinbox.importers.mail_messages import message_record
from netinbox.importers.mail_mime import TooComplex, read_mail
from netinbox.importers.mail_sender import (
    MAX_MESSAGE_BYTES,
    header_block,
    may_announce_a_message,
    sender_address,
    sends_invitations,
)
from netinbox.importers.mail_xing import cannot_be_xing, xing_record
from netinbox.models import AnyRecord, Platform, SkippedRecord


def parse_candidate(
    raw: bytes, source: str, platform: Platform, fallback_time: datetime | None
) -> AnyRecord | None:
    """Parse one message from an invitation sender; None when it is not a request.

    Hostile or broken messages become a SkippedRecord so the import goes on with the next.
    XING's robot also sends newsletters and notices; one that has none of the words of a
    request is dropped without parsing (`cannot_be_xing`).
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        return SkippedRecord(
            source=source,
            reason=_("message too large (over %(value)s MB)")
            % {"value": MAX_MESSAGE_BYTES // 2**20},
        )
    # Each MIME part carries (at most) one Content-Type line, so counting them bounds the
    # parts before the recursive stdlib parser sees a 3,000-level nest (C-20).
    lowered = raw.lower()  # ASCII only, as the IGNORECASE of a bytes pattern
    if lowered.count(b"\ncontent-type:") + lowered.startswith(b"content-type:") > MAX_MIME_PARTS:
        return _too_complex(source, f"more than {MAX_MIME_PARTS} parts")
    if platform is Platform.XING and fallback_time is not None and cannot_be_xing(lowered):
        return None  # what `xing_record` would say after the full parse (a date is at hand)
    invitation = platform is Platform.XING or sends_invitations(sender_address(header_block(raw)))
    if not invitation and not may_announce_a_message(header_block(lowered)):
        return None  # LinkedIn's message robot, but no "sent you a message": not parsed
    try:
        mail = read_mail(raw)
        headers, bodies = mail.headers, mail.bodies
        subject = decode_words(raw_header(headers, "Subject"))
        received = header_date(raw_header(headers, "Date")) or fallback_time
        if received is None:
            return SkippedRecord(
                source=source, reason=_("no usable date (Date header missing or invalid)")
            )
        display = display_name(raw_header(headers, "From"))
        # "X sent you a message": perhaps X's answer. LinkedIn's invitation robot uses that
        # wording for an invitation with a note, which stays an invitation.
        if platform is Platform.XING or not invitation:
            message = message_record(display, subject, bodies, received, source, platform)
            if message is not None:
                return message
        if platform is Platform.LINKEDIN:
            if not invitation:
                return None  # the message robot's other mail (digests, reminders)
            return linkedin_record(display, subject, bodies, received, source)
        return xing_record(subject, bodies, received, source)
    except RecursionError:
        return _too_complex(source, "nested too deeply")
    except TooComplex as exc:
        return _too_complex(source, str(exc))
    except ValidationError as exc:
        from netinbox.words import record_problem

        problem = record_problem(exc.errors()[0]) if exc.errors() else _("not a valid value")
        return SkippedRecord(
            source=source,
            reason=_("invitation mail not usable (%(problem)s)") % {"problem": problem},
        )
    except (MessageError, LookupError, ValueError, TypeError, AttributeError, IndexError) as exc:
        # The stdlib parser is lenient, but header and charset edge cases still raise;
        # one odd mail must not end the import (C-24).
        return SkippedRecord(
            source=source,
            reason=_("message could not be read (%(name)s)") % {"name": type(exc).__name__},
        )


def _too_complex(source: str, detail: str) -> SkippedRecord:
    return SkippedRecord(
        source=source, reason=_("message too complex (%(detail)s)") % {"detail": detail}
    )
