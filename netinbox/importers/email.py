"""Notification e-mails in their containers: mbox, Maildir and single .eml files.

A mailbox is mostly not invitations, and can be huge, so an mbox is scanned line by line
in binary and only the header block of each message is looked at; the body of a mail from
another sender is skipped without being kept. Only candidates (mail from an invitation
robot) are buffered and handed to `email_parse.parse_candidate` for full MIME parsing.

`mailbox.mbox` is not used: it indexes the whole file first and keeps every message's
offsets, and its `From ` handling offers no header-only skip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.email_parse import (
    MAX_HEADER_BYTES,
    MAX_MESSAGE_BYTES,
    header_block,
    invitation_platform,
    parse_candidate,
    sender_address,
)
from netinbox.models import AnyRecord, Platform, SkippedRecord

#: Longest piece read at once; a longer line is read in pieces (bounded memory even for a
#: file without line breaks).
_READ_LIMIT = 1024 * 1024
#: Progress is reported in steps of this many bytes, not per line.
_PROGRESS_STEP = 1024 * 1024

# `From sender Thu Jan  2 07:39:06 2025`, also with a zone before or after the year
# (Thunderbird writes `From - …`, Google Takeout `From 123@xxx Sat Mar 14 … +0000 2025`).
_FROM_LINE = re.compile(
    r"^From \S*\s+(?:[A-Za-z]{3},?\s+)?(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s+(?:(?P<z1>[+-]\d{4})\s+)?"
    r"(?P<year>\d{4})(?:\s+(?P<z2>[+-]\d{4}))?"
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ESCAPED_FROM = re.compile(rb"^>+From ")
_BLANK = (b"\n", b"\r\n")


def from_line_time(line: bytes) -> datetime | None:
    """The time on an mbox `From ` line, in UTC (mbox writers use UTC when no zone is given)."""
    match = _FROM_LINE.match(line.decode("latin-1"))
    if match is None or match["mon"].lower() not in _MONTHS:
        return None
    zone = match["z1"] or match["z2"] or "+0000"
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    try:
        when = datetime(
            int(match["year"]),
            _MONTHS[match["mon"].lower()],
            int(match["day"]),
            int(match["h"]),
            int(match["m"]),
            int(match["s"] or 0),
            tzinfo=timezone(-offset if zone[0] == "-" else offset),
        )
        return when.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _file_time(path: Path) -> datetime | None:
    """The file's modification time: a stable fallback when a message has no Date."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, OverflowError, ValueError):
        return None


def _records(raw: bytes, source: str, fallback_time: datetime | None) -> Iterator[AnyRecord]:
    """The record of one whole message, or nothing when it is not from an invitation robot."""
    platform = invitation_platform(sender_address(header_block(raw)))
    if platform is None:
        return
    record = parse_candidate(raw, source, platform, fallback_time)
    if record is not None:
        yield record


# --- mbox --------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """A message of an mbox from an invitation robot, cut out of the file."""

    number: int
    from_line: bytes | None
    platform: Platform
    raw: bytes
    too_large: bool


_HEADER, _SKIP, _KEEP = 0, 1, 2


def _scan_mbox(handle: BinaryIO, ctx: ImportContext) -> Iterator[_Candidate]:
    """Cut an mbox into messages and return the candidates, reading line by line.

    A `From ` line at the start of a line separates messages: after an empty line (or at
    the file start) any one, as in `mailbox.mbox`; elsewhere only one shaped like a real
    From_ line, for writers that leave no empty line between messages. While the header
    block is read the message is undecided; then it is either kept (a candidate, with
    `>From ` unescaped) or skipped line by line without being stored. One flat loop: this
    runs once per line of a file that may hold 100,000 mails.
    """
    readline = handle.readline
    number, from_line, state = 1, None, _HEADER
    header: list[bytes] = []
    kept: list[bytes] = []
    header_size = size = pending = 0
    platform: Platform | None = None
    too_large = has_content = False
    line_start = after_blank = True
    while True:
        piece = readline(_READ_LIMIT)
        if piece:
            pending += len(piece)
            if pending >= _PROGRESS_STEP:
                ctx.read(pending)
                pending = 0
        starts, line_start = line_start, piece[-1:] == b"\n"
        separator = (
            starts
            and piece[:5] == b"From "
            and (after_blank or _FROM_LINE.match(piece.decode("latin-1")) is not None)
        )
        if separator or not piece:
            if state == _HEADER and header:  # the message ended inside its header block
                platform = invitation_platform(sender_address(b"".join(header)))
                kept = header
            if platform is not None:
                if kept and kept[-1] in _BLANK:
                    kept.pop()  # the empty line the writer put before the next `From `
                yield _Candidate(number, from_line, platform, b"".join(kept), too_large)
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
            if blank or header_size > MAX_HEADER_BYTES:
                block = b"".join(header)
                header = []
                platform = invitation_platform(sender_address(block))
                state, kept, size = (
                    (_SKIP, [], 0) if platform is None else (_KEEP, [block], len(block))
                )
            continue
        if starts and piece[:1] == b">" and _ESCAPED_FROM.match(piece):
            piece = piece[1:]  # mboxrd: `>From ` in a body was written for `From `
        size += len(piece)
        if size > MAX_MESSAGE_BYTES:
            state, kept, too_large = _SKIP, [], True
        else:
            kept.append(piece)
    ctx.read(pending)


def read_mbox(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    """Invitations in an mbox file, streamed: memory stays bounded by one candidate mail.

    `source` is "<file name>#<n>" with n counting every message in the file from 1.
    """
    fallback = _file_time(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(path, f"cannot be read ({exc.strerror or exc})") from exc
    with handle:
        candidates = _scan_mbox(handle, ctx)
        while True:
            try:
                candidate = next(candidates)
            except StopIteration:
                break
            except OSError as exc:
                raise BadInput(path, f"read error ({exc.strerror or exc})") from exc
            source = f"{path.name}#{candidate.number}"
            if candidate.too_large:
                yield SkippedRecord(
                    source=source,
                    reason=f"message too large (over {MAX_MESSAGE_BYTES // 2**20} MB)",
                )
                continue
            when = from_line_time(candidate.from_line) if candidate.from_line else None
            record = parse_candidate(candidate.raw, source, candidate.platform, when or fallback)
            if record is not None:
                yield record


# --- Maildir and .eml --------------------------------------------------------------------

_MAILDIR_TIME = re.compile(r"^(\d{9,11})[.\-_]")


def _maildir_time(file: Path) -> datetime | None:
    """Delivery time from a Maildir file name (`1741600841.M1P2.host:2,S`), else mtime."""
    match = _MAILDIR_TIME.match(file.name)
    if match:
        return datetime.fromtimestamp(int(match.group(1)), UTC)
    return _file_time(file)


def read_maildir(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    """Invitations in a Maildir: the files in `cur/` and `new/` (`tmp/` holds mail still
    being delivered), sorted by file name so the order is stable and, with Maildir's
    time-first names, chronological. `source` is the file name."""
    folders = [path / "cur", path / "new"]
    if not any(folder.is_dir() for folder in folders):
        raise BadInput(path, "not a Maildir (no cur/ or new/ folder)")
    files: list[tuple[str, str, Path]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        try:
            files.extend(
                (entry.name, folder.name, entry)
                for entry in folder.iterdir()
                if not entry.name.startswith(".") and entry.is_file()
            )
        except OSError as exc:
            raise BadInput(folder, f"cannot be listed ({exc.strerror or exc})") from exc
    for _, _, file in sorted(files):
        try:
            size = file.stat().st_size
            with file.open("rb") as handle:
                head = handle.read(MAX_HEADER_BYTES)
                platform = invitation_platform(sender_address(header_block(head)))
                if platform is None:
                    ctx.read(size)
                    continue
                if size > MAX_MESSAGE_BYTES:
                    ctx.read(size)
                    yield SkippedRecord(
                        source=file.name,
                        reason=f"message too large (over {MAX_MESSAGE_BYTES // 2**20} MB)",
                    )
                    continue
                raw = head + handle.read()
        except OSError as exc:
            raise BadInput(file, f"cannot be read ({exc.strerror or exc})") from exc
        ctx.read(size)
        record = parse_candidate(raw, file.name, platform, _maildir_time(file))
        if record is not None:
            yield record


def read_eml(path: Path, data: bytes, ctx: ImportContext) -> Iterator[AnyRecord]:
    """An invitation in one saved message (`source` is the file name).

    Some programs save a single message with its mbox `From ` line; it is dropped, and its
    time serves as the fallback when the Date header is missing.
    """
    fallback = _file_time(path)
    raw = data
    if raw.startswith(b"From "):
        first, _, raw = raw.partition(b"\n")
        fallback = from_line_time(first) or fallback
    ctx.read(len(data))
    yield from _records(raw, path.name, fallback)
