"""Which mails are invitations, from the raw header block alone (step 1 of reading mail).

Most mail in a real mailbox is not an invitation, so a 100,000-mail mbox is sorted by the
From address found with a regex, without any MIME parsing; only the few candidates are
parsed in full (`email_parse.parse_candidate`). See docs/formats.md, "Notification e-mails".
"""

from __future__ import annotations

import re

from netinbox.models import Platform

#: A candidate message larger than this is not parsed. Invitation mails are ~10 kB; 25 MB
#: is the common mail-server size limit, so anything bigger is not a notification.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
#: Only this much of a message is searched for the header block when sorting mail.
MAX_HEADER_BYTES = 256 * 1024

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FROM_HEADER = re.compile(rb"^from:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_ANGLE_ADDR = re.compile(r"<\s*([^<>\s@]+@[^<>\s@]+)\s*>")
_ADDR_DELIMITERS = re.compile(r"[\s<>\"(),;:]+")
#: A real From header is one short line; a longer one is cut before any regex sees it.
MAX_FROM_CHARS = 4096
# Mail domains, not profile hosts (those are `identity.platform_of_url`'s): a From
# address is never opened or stored, and LinkedIn sends localised mail from national
# domains (invitations@linkedin.de), so the sender rule is the wider one.
_LINKEDIN_DOMAIN = re.compile(r"(?:^|\.)linkedin\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$")
_XING_DOMAIN = re.compile(r"(?:^|\.)xing\.(?:com|de)$")


def header_block(raw: bytes) -> bytes:
    """The header lines of a raw message (everything before the first empty line)."""
    head = raw[:MAX_HEADER_BYTES]
    if head.startswith((b"\r\n", b"\n")):
        return b""  # no headers at all
    end = _HEADER_END.search(head)
    return head[: end.start()] if end else head


def sender_address(headers: bytes | bytearray) -> str | None:
    """The address in the From header, lower-cased, found with a regex.

    No RFC 5322 parser on purpose: both the stdlib parsers recurse on nested comments, and
    a hostile From header must not cost more than a regex scan when sorting mail.
    """
    match = _FROM_HEADER.search(headers)
    if match is None:
        return None
    value = match.group(1)[:MAX_FROM_CHARS].decode("latin-1")
    found = _ANGLE_ADDR.findall(value)
    if not found:  # a bare `From: invitations@linkedin.com`
        found = [token for token in _ADDR_DELIMITERS.split(value) if "@" in token]
    return found[-1].lower() if found else None


#: LinkedIn's robots whose mail netinbox reads: invitations, and "X sent you a message"
#: (`mail_messages`). Its other robots (jobs-noreply@, notifications-noreply@ …) are not.
_LINKEDIN_SENDERS = ("invitations", "messages-noreply", "messaging-noreply")


def sends_invitations(address: str | None) -> bool:
    """Whether a LinkedIn robot's mail can be an invitation (not its message notifier's)."""
    return (address or "").startswith("invitations")


def invitation_platform(address: str | None) -> Platform | None:
    """The platform whose invitation robot sent this, or None for every other mail.

    LinkedIn: an `invitations…@` local part at linkedin.com or a national LinkedIn domain,
    or its message notifier (`messages-noreply@`; jobs-noreply@ … are neither). XING: any address of its
    domains (mailrobot@mail.xing.com and its siblings); which XING mails are contact
    requests is decided later from the subject and body, so those few are parsed.
    """
    if not address or "@" not in address:
        return None
    local, _, domain = address.rpartition("@")
    if _LINKEDIN_DOMAIN.search(domain) and local.startswith(_LINKEDIN_SENDERS):
        return Platform.LINKEDIN
    if _XING_DOMAIN.search(domain):
        return Platform.XING
    return None


#: What the subject of a message notification holds ("sent you a message", "messaged you",
#: "Nachricht"), or what could hide it (an encoded word).
_MESSAGE_WORDS = (b"messag", b"nachr", b"=?")
_SUBJECT = re.compile(rb"^subject:(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)


def may_announce_a_message(lowered_header: bytes) -> bool:
    """Whether a mail (its header block in lower case) may be "X sent you a message",
    from its Subject alone: LinkedIn's message robot's other mail is dropped unparsed,
    both by the mbox scan and by the parser."""
    found = _SUBJECT.search(lowered_header)
    return found is not None and subject_may_announce(found.group(1))


def subject_may_announce(lowered_subject: bytes) -> bool:
    """`may_announce_a_message` for the value of the Subject header, in lower case."""
    return any(word in lowered_subject for word in _MESSAGE_WORDS)
