"""Notification e-mails in their containers: mbox, Maildir and single .eml files.

A mailbox is mostly not invitations, and can be huge, so an mbox is read in binary chunks
and its messages are told apart with a few passes of C code per chunk (`_scan_mbox`): only
a message whose `From:` line names an invitation robot is looked at closely, cut out and
handed to `email_parse.parse_candidate` for full MIME parsing; every other message is
counted and skipped without a Python step of its own.

`mailbox.mbox` is not used: it indexes the whole file first and keeps every message's
offsets, and its `From ` handling offers no header-only skip.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from itertools import accumulate, compress
from operator import attrgetter, not_
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

# `From sender Thu Jan  2 07:39:06 2025`, also with a zone before or after the year
# (Thunderbird writes `From - …`, Google Takeout `From 123@xxx Sat Mar 14 … +0000 2025`).
_FROM_LINE = re.compile(
    r"^From \S*\s+(?:[A-Za-z]{3},?\s+)?(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s+(?:(?P<z1>[+-]\d{4})\s+)?"
    r"(?P<year>\d{4})(?:\s+(?P<z2>[+-]\d{4}))?"
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
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

#: A message that continues into the next chunk is carried there whole up to this size, so
#: that it is counted and skipped with the others rather than followed piece by piece.
_CARRY_BYTES = 64 * 1024
#: Bytes read from the file at once: small enough that the chunk, its lower-cased copy and
#: the regex matches stay in the CPU cache (4 MB chunks scan at half the speed). Tests set
#: it to a few bytes to put chunk boundaries everywhere.
_CHUNK_BYTES = 128 * 1024

# One pass over the lower-cased chunk finds both things the scan needs: `from ` at a line
# start (group 1: a separator if the file has `From ` there, after an empty line or shaped
# like a From_ line) and every `From:` header in any letter case, with its folded
# continuation lines, for the sender test. Each match starts at the newline before its
# line. The literal start "\nfrom" lets the regex engine skip ahead without trying every
# line (a `(?i)` pattern on the chunk itself costs twice as much as lower-casing first).
_LINES = re.compile(rb"\nfrom(?:( )|:[^\n]*(?:\n[ \t][^\n]*)*)")
# A sender this scan must look at closely has one of these in its `From:` line (lower
# case): `invitation_platform` needs "invitations…@…linkedin." or "…xing.".
_SENDER_TOKENS = (b"invitations", b"xing.")
# The end of a header block: an empty line after a line (the loop's empty pieces).
_EMPTY_LINE = re.compile(rb"\n\r?\n")
_GROUP = re.Match.group
_START = re.Match.start
_KIND = attrgetter("lastindex")  # 1 for a `from ` line, None for a `from:` header


@functools.lru_cache(maxsize=4)
def _unescape_pattern(limit: int) -> re.Pattern[bytes]:
    """mboxrd `>From ` at a line start, within the first `limit` bytes of the line (the
    line loop looked only at a line's first `readline(limit)` piece)."""
    return re.compile(rb"(?m)^>(>{0,%d}From )" % max(limit - 6, 0))


class _Message:
    """One message of an mbox, fed in whole pieces, decided as the former line loop did.

    A piece is what `readline(_READ_LIMIT)` returns: a line, or a cut of a longer line at
    every `_READ_LIMIT` bytes from its start. The header block is read piece by piece (it
    is short); the body of a candidate is taken in runs of whole pieces with one regex for
    the `>From ` unescaping, and the body of any other mail is not looked at.
    """

    __slots__ = (
        "number",
        "from_line",
        "starts",
        "state",
        "header",
        "header_size",
        "has_content",
        "platform",
        "kept",
        "size",
        "too_large",
        "offset",
        "line_start",
        "last_blank",
    )

    def __init__(self, number: int, from_line: bytes | None, starts: bool) -> None:
        self.number = number
        self.from_line = from_line
        self.starts = starts  # the next piece begins a line
        self.state = _HEADER
        self.header: list[bytes] = []
        self.header_size = 0
        self.has_content = False
        self.platform: Platform | None = None
        self.kept: list[bytes] = []
        self.size = 0
        self.too_large = False
        self.offset = 0  # bytes of content fed so far
        self.line_start = 0  # content offset where the line of the next byte began
        self.last_blank = 0  # length of the last body piece when it is an empty line

    @property
    def counts(self) -> bool:
        """Whether the message gets a number: text before the first `From ` line only does
        when its first line is not empty."""
        return self.from_line is not None or self.has_content

    def feed(self, data: bytes) -> None:
        """The next run of whole pieces of the message's content."""
        if not data or self.state == _SKIP:
            return
        begin = self._header(data) if self.state == _HEADER else 0
        if self.state == _KEEP and begin < len(data):
            self._body(data[begin:] if begin else data)

    def _header(self, data: bytes) -> int:
        """Take header pieces until the block ends (an empty line, or more than
        MAX_HEADER_BYTES); return where in `data` the body starts."""
        position = 0
        if not self.header and self.starts:
            position = self._whole_header(data)
        limit, find, size = _READ_LIMIT, data.find, len(data)
        while self.state == _HEADER and position < size:
            newline = find(b"\n", position, position + limit)
            end = newline + 1 if newline >= 0 else min(size, position + limit)
            piece = data[position:end]
            starts, self.starts = self.starts, newline >= 0
            if newline >= 0:
                self.line_start = self.offset + end
            blank = starts and piece in _BLANK
            self.has_content = self.has_content or not blank
            self.header.append(piece)
            self.header_size += len(piece)
            position = end
            if blank or self.header_size > MAX_HEADER_BYTES:
                self._decide(b"".join(self.header))
        self.offset += position
        return position

    def _whole_header(self, data: bytes) -> int:
        """The common case in one step: the block starts a line and ends at an empty line
        before MAX_HEADER_BYTES (no piece of it can be cut, nor cross the limit). 0 when
        the piece loop must decide."""
        if data[:1] == b"\n" or data[:2] == b"\r\n":
            end = 1 if data[:1] == b"\n" else 2  # the first line is empty: no headers
        else:
            found = _EMPTY_LINE.search(data, 0, MAX_HEADER_BYTES + 2)
            if found is None:
                return 0
            end = found.end()
            self.has_content = True
        if end > min(MAX_HEADER_BYTES, _READ_LIMIT):
            self.has_content = False
            return 0
        self.line_start = self.offset + end
        self._decide(data[:end])
        return end

    def _decide(self, block: bytes) -> None:
        self.header = []
        self.platform = invitation_platform(sender_address(block))
        if self.platform is None:
            self.state = _SKIP
        else:
            self.state, self.kept, self.size = _KEEP, [block], len(block)

    def _body(self, data: bytes) -> None:
        """Keep a run of body pieces, `>From ` unescaped, and note whether the last piece is
        an empty line (the writer's separator line, dropped at the end)."""
        size, limit = len(data), _READ_LIMIT
        text = data
        if b">From " in data:
            pattern = _unescape_pattern(limit)
            if self.starts:
                text = pattern.sub(rb"\1", data)
            else:  # the run continues a line: its start is not a line start
                first = data.find(b"\n") + 1
                if first:
                    text = data[:first] + pattern.sub(rb"\1", data[first:])
        # The last piece: from the start of the last line, cut every `limit` bytes.
        newline = data.rfind(b"\n", 0, size - 1)
        line_start = self.offset + newline + 1 if newline >= 0 else self.line_start
        end = self.offset + size
        last = data[line_start + (end - 1 - line_start) // limit * limit - self.offset :]
        self.last_blank = len(last) if last in _BLANK else 0
        self.starts = data[-1:] == b"\n"
        self.line_start = end if self.starts else line_start
        self.offset = end
        self.size += len(text)
        if self.size > MAX_MESSAGE_BYTES:
            self.state, self.kept, self.too_large = _SKIP, [], True
        else:
            self.kept.append(text)

    def finish(self) -> _Candidate | None:
        """The candidate, once the message has ended; None for any other mail."""
        kept = self.kept
        if self.state == _HEADER and self.header:  # the message ended inside its header block
            self.platform = invitation_platform(sender_address(b"".join(self.header)))
            kept = self.header
            if kept[-1] in _BLANK:
                kept = kept[:-1]
        elif len(kept) > 1 and self.last_blank:
            kept = [*kept[:-1], kept[-1][: -self.last_blank]]
        elif len(kept) == 1 and kept[0] in _BLANK:
            kept = []
        if self.platform is None:
            return None
        return _Candidate(
            self.number, self.from_line, self.platform, b"".join(kept), self.too_large
        )


def _from_line(buffer: bytes, newline: int, end: int) -> bytes:
    """The `From ` line after the newline at `newline`, as the line loop read it: up to and
    with its own newline, or only its first `_READ_LIMIT` bytes (`end`: where the buffer's
    whole pieces end)."""
    stop = min(end, newline + 1 + _READ_LIMIT)
    found = buffer.find(b"\n", newline + 1, stop)
    return buffer[newline + 1 : found + 1 if found >= 0 else stop]


def _scan_mbox(handle: BinaryIO, ctx: ImportContext) -> Iterator[_Candidate]:
    """Cut an mbox into messages and return the candidates, reading in large chunks.

    A `From ` line at the start of a line separates messages: after an empty line (or at
    the file start) any one, as in `mailbox.mbox`; elsewhere only one shaped like a real
    From_ line, for writers that leave no empty line between messages. These are the rules
    (and the numbering, pieces and limits) of the line loop this replaced; the tests hold
    the two against each other.

    Per chunk, one regex pass (`_LINES`) lists the `From ` lines and the `From:` headers;
    a message is only looked at closely (`_Message`) when one of its `From:` lines names an
    invitation sender, or when it spans a chunk boundary. All other messages are counted
    and skipped without a Python step per message: a 150 MB mailbox is mostly those.
    """
    read, limit = handle.read, _READ_LIMIT
    # Two newlines before the file: its first line then counts as following an empty one,
    # as in the line loop, and every separator has the two bytes before it at hand.
    buffer = b"\n\n"
    search = 0  # where the next `_LINES` match may start (a newline)
    fed = 2  # content before this has been given to `current`
    line = 2  # where the line being read began (negative: in a chunk already dropped)
    # The message that began before `buffer` (at first: the text before any `From ` line);
    # None when the last message was carried whole into `buffer` instead.
    current: _Message | None = _Message(1, None, True)
    number = 1  # with `current` None: the number of the message carried into `buffer`
    at_end = False
    while not at_end:
        chunk = read(_CHUNK_BYTES)
        if chunk:
            ctx.read(len(chunk))
            buffer += chunk
        else:
            at_end = True
        # Everything up to `end` is whole pieces; the rest (the last, unfinished line, or
        # less than a piece of a long one) waits for the next chunk.
        if at_end:
            end = len(buffer)
        else:
            newline = buffer.rfind(b"\n", fed)
            if newline >= 0:
                line = newline + 1
            end = line + (len(buffer) - line) // limit * limit
        matches = list(_LINES.finditer(buffer.lower(), search, end))
        kinds = list(map(_KIND, matches))
        starts = _separators(buffer, matches, kinds, end)
        if not starts:
            if current is not None and current.state != _SKIP:
                current.feed(buffer[fed:end])
        else:
            if current is not None:
                if current.state != _SKIP:
                    current.feed(buffer[fed : starts[0] + 1])
                candidate = current.finish()
                if candidate is not None:
                    yield candidate
                number = current.number + (1 if current.counts else 0)
            # Messages between two separators are whole here: only those with an invitation
            # sender in a `From:` line (or a cut From_ line) are read.
            for index in _to_read(buffer, matches, kinds, starts):
                piece = _from_line(buffer, starts[index], end)
                message = _Message(number + index, piece, piece[-1:] == b"\n")
                message.feed(buffer[starts[index] + 1 + len(piece) : starts[index + 1] + 1])
                candidate = message.finish()
                if candidate is not None:
                    yield candidate
            last = len(starts) - 1
            number += last
            if not at_end and end - starts[last] <= _CARRY_BYTES:
                current = None  # carried whole into the next chunk, see below
            else:
                piece = _from_line(buffer, starts[last], end)
                current = _Message(number, piece, piece[-1:] == b"\n")
                current.feed(buffer[starts[last] + 1 + len(piece) : end])
        # What the next chunk is appended to: the last message from its separator (it is
        # then one of the whole ones there, counted and skipped with them), or else the
        # unfinished line with the newline before it (a match starts there); and the two
        # bytes before either (whether that line follows an empty one).
        if current is None:
            search = starts[-1]
        else:
            search = end - 1 if buffer[end - 1 : end] == b"\n" else end
        cut = max(search - 2, 0)
        buffer = buffer[cut:]
        search, fed, line = search - cut, end - cut, line - cut
    if current is not None:
        candidate = current.finish()
        if candidate is not None:
            yield candidate


def _separators(
    buffer: bytes, matches: list[re.Match[bytes]], kinds: list[int | None], end: int
) -> list[int]:
    """Where the newline before each separator is (`end`: where whole pieces end)."""
    starts: list[int] = list(map(_START, compress(matches, kinds)))
    # Almost always each is `From ` after an empty line (LF); else they are checked one by
    # one: `From ` as written, and after an empty CRLF line or shaped like a From_ line.
    if not [start for start in starts if buffer[start - 1 : start + 6] != b"\n\nFrom "]:
        return starts
    return [
        start
        for start in starts
        if buffer.startswith(b"From ", start + 1)
        and (
            buffer[start - 1] == 10
            or buffer[start - 2 : start] == b"\n\r"
            or _FROM_LINE.match(_from_line(buffer, start, end).decode("latin-1"))
        )
    ]


def _to_read(
    buffer: bytes, matches: list[re.Match[bytes]], kinds: list[int | None], starts: list[int]
) -> list[int]:
    """Indexes of the whole messages (all but the last) that need a close look: those with
    an invitation sender's token in a `From:` line, and those whose From_ line is cut into
    pieces (their content starts mid-line, where `_LINES` does not look)."""
    last = len(starts) - 1
    if last < 1:
        return []
    chosen: set[int] = set()
    joined = b"".join(map(_GROUP, compress(matches, map(not_, kinds))))  # lower case already
    headers: list[re.Match[bytes]] = []
    ends: list[int] = []
    for token in _SENDER_TOKENS:
        found = joined.find(token)
        while found >= 0:
            if not ends:
                headers = list(compress(matches, map(not_, kinds)))
                ends = list(accumulate(map(len, map(_GROUP, headers))))
            index = bisect_right(starts, headers[bisect_right(ends, found)].start()) - 1
            if 0 <= index < last:
                chosen.add(index)
            found = joined.find(token, found + 1)
    # A From_ line longer than a piece needs that much of the buffer before its message.
    if starts[last] - starts[0] > _READ_LIMIT:
        chosen.update(
            index
            for index in range(last)
            if buffer.find(b"\n", starts[index] + 1, starts[index] + 1 + _READ_LIMIT) < 0
        )
    return sorted(chosen)


#: Candidates are parsed in batches of this many (or this many bytes), not one by one
#: between chunks: the parser then runs with its code and data still in the CPU caches,
#: which the scan of the next chunk would have flushed (a fifth less parse time).
_BATCH = 64
_BATCH_BYTES = 4 * 1024 * 1024


def read_mbox(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    """Invitations in an mbox file, streamed: memory stays bounded by one batch of candidate
    mails (`_BATCH`).

    `source` is "<file name>#<n>" with n counting every message in the file from 1.
    """
    fallback = _file_time(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(path, f"cannot be read ({exc.strerror or exc})") from exc
    with handle:
        candidates = _scan_mbox(handle, ctx)
        batch: list[_Candidate] = []
        size = 0
        while True:
            error: OSError | None = None
            try:
                candidate: _Candidate | None = next(candidates)
            except StopIteration:
                candidate = None
            except OSError as exc:
                candidate, error = None, exc
            if candidate is not None:
                batch.append(candidate)
                size += len(candidate.raw)
                if len(batch) < _BATCH and size < _BATCH_BYTES:
                    continue
            for found in batch:
                record = _mbox_record(path.name, found, fallback)
                if record is not None:
                    yield record
            batch, size = [], 0
            if error is not None:
                raise BadInput(path, f"read error ({error.strerror or error})") from error
            if candidate is None:
                break


def _mbox_record(name: str, candidate: _Candidate, fallback: datetime | None) -> AnyRecord | None:
    """The record of one candidate of an mbox, or None when it is no invitation."""
    source = f"{name}#{candidate.number}"
    if candidate.too_large:
        return SkippedRecord(
            source=source, reason=f"message too large (over {MAX_MESSAGE_BYTES // 2**20} MB)"
        )
    when = from_line_time(candidate.from_line) if candidate.from_line else None
    return parse_candidate(candidate.raw, source, candidate.platform, when or fallback)


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
