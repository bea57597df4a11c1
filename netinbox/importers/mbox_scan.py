"""Cutting an mbox into messages, fast: only mail from an invitation robot is cut out.

A mailbox is mostly not invitations, and can be huge, so it is read in chunks and each
chunk is searched by C code, not walked line by line: one regex pass (`_MESSAGES`) finds
every `From ` line with the first `From:` line of the header block after it, and the
joined `From:` lines, lower-cased at once, are searched for what an invitation sender's
address needs. A chunk of a thousand messages so costs a few C calls and no Python step
per message; only a candidate (`_Message`) is then looked at piece by piece.

The rules, numbering, pieces and limits are those of the line loop this replaced, which
the tests keep as the reference.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from io import BufferedIOBase
from itertools import accumulate, repeat

from netinbox.importers.base import ImportContext
from netinbox.importers.mail_sender import (
    MAX_HEADER_BYTES,
    MAX_MESSAGE_BYTES,
    invitation_platform,
    may_announce_a_message,
    sender_address,
    sends_invitations,
    subject_may_announce,
)
from netinbox.models import Platform

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


@dataclass
class Candidate:
    """A message of an mbox from an invitation robot, cut out of the file."""

    number: int  # counting every message in the file from 1
    from_line: bytes | None
    platform: Platform
    raw: bytes
    too_large: bool


_HEADER, _SKIP, _KEEP = 0, 1, 2

#: A message that continues into the next chunk is carried there whole up to this size, so
#: that it is counted and skipped with the others rather than followed piece by piece.
_CARRY_BYTES = 64 * 1024
#: Bytes read from the file at once: small enough that the chunk stays in the CPU cache
#: while it is searched (1 MB chunks scan a sixth slower, 2 MB ones half). Tests set it to
#: a few bytes to put chunk boundaries everywhere.
_CHUNK_BYTES = 256 * 1024

# Every `From ` at a line start, with the header lines after it up to the first `From:`
# line, whose value (with its folded lines) is group 1 when the line before is empty (LF
# or CRLF: nearly always), else group 2; there the `From ` line separates messages only
# when shaped like a From_ line, and group 1 is None. A match starts at the F of `From `:
# a literal start, which the regex engine skips ahead to in C (a lower-cased copy of the
# chunk for a case-blind search cost as much as the search). The header lines end at an
# empty line or at another `From `/`From:` line, so no separator is ever inside a match;
# the value is empty when no `From:` line came first, and a line cut off at the end of
# the search ends the match.
_HEADERS = (
    rb"[^\n]*(?:\n(?:(?!From |[Ff][Rr][Oo][Mm]:|\r?\n)[^\n]*\n)*)?"
    rb"((?:[Ff][Rr][Oo][Mm]:[^\n]*(?:\n[ \t][^\n]*)*)?)"
)
_MESSAGES = re.compile(
    rb"From (?:(?<=\n\nFrom )|(?<=\n\r\nFrom ))" + _HEADERS + rb"|From (?<=\nFrom )" + _HEADERS
)
# A sender this scan must look at closely has one of these in its `From:` line (lower
# case): `invitation_platform` needs "invitations…@…linkedin." or "…xing.".
_SENDER_TOKENS = (b"invitations", b"xing.")
# LinkedIn's message robot (`invitation_platform`'s other senders): without a token above
# in its `From:` line, a mail is either the robot's or no candidate, and it is read
# closely only when its Subject may announce a message (`_robot_mail_may_announce`):
# most of the robot's mail is digests and reminders, 10% of the benchmark's mailbox.
_ROBOT_TOKENS = (b"messages-noreply", b"messaging-noreply")
# The end of a header block: an empty line after a line (the loop's empty pieces).
_EMPTY_LINE = re.compile(rb"\n\r?\n")
# The first Subject line of a header block, with its folded lines (`mail_sender._SUBJECT`
# on the block in lower case), searched from the newline before the block's first line.
_HEADER_SUBJECT = re.compile(rb"\n[Ss][Uu][Bb][Jj][Ee][Cc][Tt]:([^\n]*(?:\n[ \t][^\n]*)*)")
_GROUP = re.Match.group  # `map(_GROUP, matches, repeat(n))`: no Python step per match


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
        self.header: list[bytes | bytearray] = []
        self.header_size = 0
        self.has_content = False
        self.platform: Platform | None = None
        self.kept: list[bytes | bytearray] = []
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

    def feed(self, data: bytes | bytearray) -> None:
        """The next run of whole pieces of the message's content."""
        if not data or self.state == _SKIP:
            return
        begin = self._header(data) if self.state == _HEADER else 0
        if self.state == _KEEP and begin < len(data):
            self._body(data[begin:] if begin else data)

    def _header(self, data: bytes | bytearray) -> int:
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

    def _whole_header(self, data: bytes | bytearray) -> int:
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

    def _decide(self, block: bytes | bytearray) -> None:
        self.header = []
        address = sender_address(block)
        self.platform = invitation_platform(address)
        if (
            self.platform is Platform.LINKEDIN
            and not sends_invitations(address)
            and not may_announce_a_message(bytes(block).lower())
        ):
            self.platform = None  # the message robot's digests and reminders: not kept
        if self.platform is None:
            self.state = _SKIP
        else:
            self.state, self.kept, self.size = _KEEP, [block], len(block)

    def _body(self, data: bytes | bytearray) -> None:
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

    def finish(self) -> Candidate | None:
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
        return Candidate(self.number, self.from_line, self.platform, b"".join(kept), self.too_large)


def _from_line(buffer: bytearray, newline: int, end: int) -> bytes:
    """The `From ` line after the newline at `newline`, as the line loop read it: up to and
    with its own newline, or only its first `_READ_LIMIT` bytes (`end`: where the buffer's
    whole pieces end)."""
    stop = min(end, newline + 1 + _READ_LIMIT)
    found = buffer.find(b"\n", newline + 1, stop)
    return bytes(buffer[newline + 1 : found + 1 if found >= 0 else stop])


def scan_mbox(handle: BufferedIOBase, ctx: ImportContext) -> Iterator[Candidate]:
    """Cut an mbox into messages and return the candidates, reading in large chunks.

    A `From ` line at the start of a line separates messages: after an empty line (or at
    the file start) any one, as in `mailbox.mbox`; elsewhere only one shaped like a real
    From_ line, for writers that leave no empty line between messages. These are the rules
    (and the numbering, pieces and limits) of the line loop this replaced; the tests hold
    the two against each other.

    A message is only looked at closely (`_Message`) when the first `From:` line of its
    header block holds an invitation sender's token, or when it is too long to be carried
    whole into the next chunk. All other messages are counted and skipped without a Python
    step per message: a 150 MB mailbox is mostly those.
    """
    limit = _READ_LIMIT
    # The file is read into `buffer` behind what is kept of the chunk before (no copy of
    # the chunk itself); `filled` bytes of it are data. Two newlines before the file: its
    # first line then counts as following an empty one, as in the line loop, and every
    # separator has the two bytes before it at hand.
    buffer = bytearray(b"\n\n")
    filled = 2
    search = 0  # where the next separator or header may start (a newline)
    fed = 2  # content before this has been given to `current`
    line = 2  # where the line being read began (negative: in a chunk already dropped)
    # The message that began before `buffer` (at first: the text before any `From ` line);
    # None when the last message was carried whole into `buffer` instead.
    current: _Message | None = _Message(1, None, True)
    number = 1  # with `current` None: the number of the message carried into `buffer`
    at_end = False
    while not at_end:
        if len(buffer) < filled + _CHUNK_BYTES:
            buffer.extend(bytes(filled + _CHUNK_BYTES - len(buffer)))
        with memoryview(buffer) as view:
            size = handle.readinto(view[filled : filled + _CHUNK_BYTES])
        if size:
            ctx.read(size)
            filled += size
        else:
            at_end = True
        # Everything up to `end` is whole pieces; the rest (the last, unfinished line, or
        # less than a piece of a long one) waits for the next chunk.
        if at_end:
            end = filled
        else:
            newline = buffer.rfind(b"\n", fed, filled)
            if newline >= 0:
                line = newline + 1
            end = line + (filled - line) // limit * limit
        count, first, last, chosen = _cut(buffer, search, end)
        if not count:
            if current is not None and current.state != _SKIP:
                current.feed(buffer[fed:end])
        else:
            if current is not None:
                if current.state != _SKIP:
                    current.feed(buffer[fed : first + 1])
                candidate = current.finish()
                if candidate is not None:
                    yield candidate
                number = current.number + (1 if current.counts else 0)
            # Messages between two separators are whole here: only the chosen ones are read.
            for index, start, stop in chosen:
                piece = _from_line(buffer, start, end)
                message = _Message(number + index, piece, piece[-1:] == b"\n")
                message.feed(buffer[start + 1 + len(piece) : stop + 1])
                candidate = message.finish()
                if candidate is not None:
                    yield candidate
            number += count - 1
            if not at_end and end - last <= _CARRY_BYTES:
                current = None  # carried whole into the next chunk, see below
            else:
                piece = _from_line(buffer, last, end)
                current = _Message(number, piece, piece[-1:] == b"\n")
                current.feed(buffer[last + 1 + len(piece) : end])
        # What the next chunk is appended to: the last message from its separator (it is
        # then one of the whole ones there, counted and skipped with them), or else the
        # unfinished line with the newline before it (a match starts there); and the two
        # bytes before either (whether that line follows an empty one).
        if current is None:
            search = last
        else:
            search = end - 1 if buffer[end - 1 : end] == b"\n" else end
        cut = max(search - 2, 0)
        if cut:
            with memoryview(buffer) as view:
                view[: filled - cut] = view[cut:filled]
        filled -= cut
        search, fed, line = search - cut, end - cut, line - cut
    if current is not None:
        candidate = current.finish()
        if candidate is not None:
            yield candidate


#: What `_cut` finds between `search` and `end`: how many separators, the newlines before
#: the first and the last, and the whole messages (all but the last) to read closely, as
#: (index among the separators, newline before it, newline before the next one).
_Cut = tuple[int, int, int, list[tuple[int, int, int]]]


def _cut(buffer: bytearray, search: int, end: int) -> _Cut:
    """The separators in `buffer` from `search` (a newline, or an unfinished line's start)
    to `end` (where whole pieces end), and the messages that need a close look: those
    whose first `From:` header holds an invitation sender's token, and those whose From_
    line is cut into pieces (their content starts mid-line, where no search looks)."""
    matches = list(_MESSAGES.finditer(buffer, search + 1, end))
    if not matches:
        return 0, -1, -1, []
    values = list(map(_GROUP, matches, repeat(1)))
    try:
        joined = b"".join(values).lower()
    except TypeError:  # a None: some `From ` line does not follow an empty one (rare)
        return _cut_by_positions(buffer, end, matches)
    last = len(matches) - 1
    first_at, last_at = matches[0].start(), matches[last].start()
    if last_at - first_at > _READ_LIMIT:
        return _cut_by_positions(buffer, end, matches)
    senders = _sender_hits(values, joined, _SENDER_TOKENS)
    robot = _sender_hits(values, joined, _ROBOT_TOKENS)
    if robot:  # the robot's mail that cannot announce a message is dropped here, in bulk
        known = set(senders)
        senders = sorted(
            known.union(
                index
                for index in robot
                if index not in known
                and (
                    index >= last
                    or _robot_mail_may_announce(
                        buffer, matches[index].start(), matches[index + 1].start()
                    )
                )
            )
        )
    # Each `From ` line separates: the one before a `From:` line starts its message.
    chosen = [
        (index, matches[index].start() - 1, matches[index + 1].start() - 1)
        for index in senders
        if index < last
    ]
    return len(matches), first_at - 1, last_at - 1, chosen


def _cut_by_positions(buffer: bytearray, end: int, matches: list[re.Match[bytes]]) -> _Cut:
    """`_cut` for any window: each `From ` line checked, and the long From_ lines found."""
    starts: list[int] = []  # the F of each separator
    for match in matches:
        start = match.start()
        if match.group(1) is not None or _FROM_LINE.match(
            _from_line(buffer, start - 1, end).decode("latin-1")
        ):
            starts.append(start)
    if not starts:
        return 0, -1, -1, []
    last = len(starts) - 1
    values = [match.group(1) if match.group(1) is not None else match.group(2) for match in matches]
    hits = _sender_hits(values, b"".join(values).lower(), _SENDER_TOKENS + _ROBOT_TOKENS)
    # A `From:` line after a `From ` line that separates nothing is in the message before.
    chosen = {
        index
        for index in (bisect_right(starts, matches[at].start()) - 1 for at in hits)
        if index < last
    }
    if starts[last] - starts[0] > _READ_LIMIT:
        chosen.update(
            index
            for index in range(last)
            if buffer.find(b"\n", starts[index], starts[index] + _READ_LIMIT) < 0
        )
    messages = [(index, starts[index] - 1, starts[index + 1] - 1) for index in sorted(chosen)]
    return len(starts), starts[0] - 1, starts[last] - 1, messages


def _robot_mail_may_announce(buffer: bytearray, start: int, stop: int) -> bool:
    """For a whole message (its From_ line at `start`, the next one at `stop`) whose
    `From:` line holds only the message robot's token: False when `_Message` would drop
    it (`_decide`: no invitation sender, and a Subject that cannot announce a message),
    True when it must be looked at closely (also when its header block does not end
    before `stop`: the message then ends inside it, and `finish` decides)."""
    first = buffer.find(b"\n", start, stop)  # the From_ line's end: the block starts after
    block_end = _EMPTY_LINE.search(buffer, first, stop) if first >= 0 else None
    if block_end is None:
        return True
    found = _HEADER_SUBJECT.search(buffer, first, block_end.start() + 1)
    return found is not None and subject_may_announce(found.group(1).lower())


def _sender_hits(values: list[bytes], joined: bytes, tokens: tuple[bytes, ...]) -> list[int]:
    """Indexes of the `From:` lines that hold one of `tokens`, in any letter case (`joined`:
    the lines joined and lower-cased at once, not one by one)."""
    ends: list[int] = []
    hits: set[int] = set()
    for token in tokens:
        at = joined.find(token)
        while at >= 0:
            if not ends:
                ends = list(accumulate(map(len, values)))
            # Within one value: each non-empty one starts with "from:", no token's end.
            index = bisect_right(ends, at)
            hits.add(index)
            at = joined.find(token, ends[index])
    return sorted(hits)
