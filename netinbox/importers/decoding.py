"""Bytes to text and text to CSV rows, for files someone else wrote.

LinkedIn writes UTF-8 without a BOM; Excel re-saves add a BOM and CRLF, switch to `;` and
Windows-1252, or write UTF-16 "Unicode Text"; some round trips double-encode UTF-8
(docs/reliability.md, C-1 … C-9). Everything here is decided from the bytes, never guessed per row.

Text is decoded in chunks and split into lines lazily, so a 100 MB messages.csv never exists
as one Python string (a single emoji would make that string 4 bytes per character).
"""

from __future__ import annotations

import codecs
import csv
import logging
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from netinbox.i18n import _
from netinbox.importers.base import MAX_FIELD_CHARS, Advance, BadInput, ImportContext
from netinbox.models import SkippedRecord

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 18
HEAD_BYTES = 64 * 1024
HEADER_SCAN_ROWS = 20

# The csv module's limit is process-wide; ours is larger than its 131072 default (C-9).
csv.field_size_limit(MAX_FIELD_CHARS)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)
# Bytes Windows-1252 leaves undefined; Python's codec refuses them, latin-1 would not (C-3).
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


# --- Bytes to text ---------------------------------------------------------------------


class Stream(Protocol):
    """Bytes read again from the start each time, one chunk at a time: a zip member,
    which is never held whole (issue 11). `size` is what it may unpack to, `packed` what
    it takes in the archive: limits on rows are reckoned from the latter."""

    size: int
    packed: int

    def chunks(self) -> Iterator[bytes]: ...


#: Compressed bytes a row (a blank one too) of a zip member takes at least, beyond a floor
#: of rows: real rows carry names, links and times, and take 20 or more compressed bytes
#: each; rows that take fewer than 8 are padding, and reading them would cost time the
#: archive's size does not account for.
PACKED_BYTES_PER_ROW = 8
ROW_FLOOR = 10_000
#: A physical line longer than this is not a CSV row (a field is at most MAX_FIELD_CHARS).
MAX_LINE_CHARS = 2 * MAX_FIELD_CHARS + HEAD_BYTES


@dataclass
class Padding:
    """The rows read from a zip member against the compressed bytes they came from.

    `seen` (unpacked bytes decoded so far) is kept by `Decoded.lines`, `rows` by
    `iter_rows`; beyond ROW_FLOOR, more rows than the compressed bytes read so far can
    hold is padding, refused at once rather than at the end of the member (issue 11).
    """

    where: str
    packed: int
    size: int
    seen: int = 0
    rows: int = 0

    def row(self) -> None:
        self.rows += 1
        if self.rows <= ROW_FLOOR:
            return
        packed = self.packed * self.seen // max(self.size, 1)
        if self.rows * PACKED_BYTES_PER_ROW > packed:
            raise BadInput(
                self.where,
                _(
                    "more than %(value)s rows from %(packed)s compressed bytes: padded, not an export (possible zip bomb)"
                )
                % {"value": f"{self.rows - 1:,}", "packed": f"{packed:,}"},
            )


class OnDisk:
    """A file on disk as a `Stream`: read a chunk at a time for each pass, never held whole
    (a 100,000-row Invitations.csv is 16 MB; the import's memory must not grow with it).

    Every pass must read the same bytes, as it would from a copy in memory: a file that
    changes, grows or is replaced between or during the passes is refused (BadInput), and
    the import that was reading it writes nothing."""

    packed = 0  # not compressed: no padding check, the file's size bounds the rows

    def __init__(self, path: Path, where: str | Path) -> None:
        self.path = path
        self.where = str(where)
        try:
            info = os.stat(path)
        except OSError as err:
            raise BadInput(
                self.where, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
            ) from None
        self.size = info.st_size
        self._mark = _mark(info)

    def chunks(self) -> Iterator[bytes]:
        try:
            with open(self.path, "rb") as handle:
                self._same(os.fstat(handle.fileno()))
                left = self.size
                while left > 0:
                    chunk = handle.read(min(CHUNK_BYTES, left))
                    if not chunk:
                        break
                    left -= len(chunk)
                    yield chunk
                self._same(os.fstat(handle.fileno()))  # grown, cut or rewritten meanwhile
        except OSError as err:
            raise BadInput(
                self.where, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
            ) from None

    def _same(self, info: os.stat_result) -> None:
        if _mark(info) != self._mark:
            raise BadInput(self.where, _("changed while it was being read; import it again"))


def _mark(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def padding(src: CsvInput) -> Padding | None:
    """A `Padding` check for a zip member; None for a file on disk (its size bounds it)."""
    if isinstance(src.data, bytes | OnDisk):
        return None
    return Padding(src.where, src.data.packed, src.data.size)


def _chunks(data: bytes | Stream) -> Iterator[bytes]:
    if not isinstance(data, bytes):
        yield from data.chunks()
        return
    view = memoryview(data)
    for start in range(0, len(data), CHUNK_BYTES):
        yield bytes(view[start : start + CHUNK_BYTES])


def size_of(data: bytes | Stream) -> int:
    return len(data) if isinstance(data, bytes) else data.size


@dataclass(frozen=True)
class Decoded:
    """A file's bytes (or a stream of them) and the encoding they were found to be in."""

    data: bytes | Stream
    codec: str
    label: str
    where: str

    def lines(
        self,
        advance: Advance | None = None,
        units: int | None = None,
        *,
        scan: Callable[[str], None] | None = None,
        max_line: int | None = MAX_LINE_CHARS,
        padding: Padding | None = None,
    ) -> Iterator[str]:
        """Physical lines with their endings, split at `\\n`, `\\r\\n` or `\\r` only (the
        `newline=''` rule: U+2028 inside a message is text, not a line break).

        `advance` is told about progress in `units` (default: this file's byte count).
        `scan`, if given, sees each run of whole lines before the first of them is yielded.
        A line longer than `max_line` characters is refused: it would be held whole.
        """
        total = size_of(self.data)
        units = total if units is None else units
        reported = 0
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        pending: list[str] = []  # pieces of a line not yet complete; joined once, not per chunk
        waiting = 0  # characters in `pending`
        number = 0  # lines yielded so far
        end = 0
        for chunk in _chunks(self.data):
            start, end = end, end + len(chunk)
            piece = self._decode(decoder, chunk, start, final=False)
            if padding is not None:
                padding.seen = end
            if advance is not None and total:
                target = min(units, units * end // total)
                advance(target - reported)
                reported = target
            cut = _last_complete_line(piece)
            if cut == 0:
                pending.append(piece)
                waiting += len(piece)
                if max_line is not None and waiting > max_line:
                    raise BadInput(
                        self.where,
                        _("a line longer than %(max_line)s characters")
                        % {"max_line": f"{max_line:,}"},
                        number + 1,
                    )
                continue
            text = "".join(pending) + piece[:cut]
            if scan is not None:
                scan(text)
            lines = _split_lines(text)
            number += len(lines)
            yield from lines
            pending = [piece[cut:]]
            waiting = len(pending[0])
        pending.append(self._decode(decoder, b"", end, final=True))
        if pending != [""] * len(pending):
            text = "".join(pending)
            if scan is not None:
                scan(text)
            yield from _split_lines(text)
        if advance is not None and reported < units:
            advance(units - reported)

    def _decode(
        self, decoder: codecs.IncrementalDecoder, chunk: bytes, at: int, *, final: bool
    ) -> str:
        try:
            return decoder.decode(chunk, final=final)
        except UnicodeDecodeError as err:
            raise BadInput(
                self.where,
                _("cannot be read as %(label)s: %(reason)s at byte %(value)s")
                % {"label": self.label, "reason": err.reason, "value": at + err.start},
            ) from None

    def head(self, limit: int = HEAD_BYTES) -> str:
        """The first `limit` bytes as text, for sniffing; a character cut in half is dropped."""
        decoder = codecs.getincrementaldecoder(self.codec)("replace")
        data = _head(self.data, limit)
        return decoder.decode(data, final=len(data) < limit)

    def text(self) -> str:
        return "".join(self.lines(max_line=None))


def _head(data: bytes | Stream, limit: int) -> bytes:
    if isinstance(data, bytes):
        return data[:limit]
    parts: list[bytes] = []
    have = 0
    chunks = data.chunks()
    try:
        for chunk in chunks:
            parts.append(chunk)
            have += len(chunk)
            if have >= limit:
                break
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return b"".join(parts)[:limit]


def decode(data: bytes | Stream, where: str | Path) -> Decoded:
    """Find the encoding: a BOM decides; else strict UTF-8; else Windows-1252 (never latin-1).

    A stream is read once to decide, and again by whoever reads its lines."""
    start = _head(data, 4)
    for bom, codec, label in _BOMS:
        if start.startswith(bom):
            return Decoded(data, codec, label, str(where))
    if _is_utf8(data):
        return Decoded(data, "utf-8", "UTF-8", str(where))
    found = _undefined_cp1252(data)
    if found is not None:
        offset, byte = found
        raise BadInput(
            where,
            _(
                "neither UTF-8 nor Windows-1252 (byte 0x%(byte)s at offset %(offset)s is undefined in Windows-1252); save it as UTF-8 and import again"
            )
            % {"byte": f"{byte:02X}", "offset": offset},
        )
    return Decoded(data, "cp1252", "Windows-1252", str(where))


def _undefined_cp1252(data: bytes | Stream) -> tuple[int, int] | None:
    """The offset and value of the first byte Windows-1252 leaves undefined, if any."""
    at = 0
    for chunk in _chunks(data):
        found = [(i, byte) for byte in _CP1252_UNDEFINED if (i := chunk.find(bytes([byte]))) >= 0]
        if found:
            offset, byte = min(found)
            return at + offset, byte
        at += len(chunk)
    return None


#: Charset labels read as Windows-1252, as browsers do: Latin-1 would turn 0x80–0x9F into
#: C1 controls, and text labelled ASCII carries those bytes too (docs/reliability.md, C-3).
_READ_AS_CP1252 = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"})


def decode_labelled(data: bytes, labels: Iterable[str]) -> str:
    """A value whose charset is named in its headers (a mail part, a vCard property): read by
    the first label that reads it, else as UTF-8, else as Windows-1252 with replacement
    characters; never an error."""
    for label in (*labels, "utf-8"):
        codec = label.lower()
        if codec in _READ_AS_CP1252:
            codec = "cp1252"
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _is_utf8(data: bytes | Stream) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for chunk in _chunks(data):
            decoder.decode(chunk, final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _split_lines(text: str) -> list[str]:
    if "\r" not in text:  # the common case, at C speed however long the lines are
        lines = [line + "\n" for line in text.split("\n")]
        lines[-1] = lines[-1][:-1]
        if not lines[-1]:
            lines.pop()
        return lines
    # One C call for a whole chunk. The pattern matches nothing only at the very end.
    lines = _LINE.findall(text)
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _last_complete_line(text: str) -> int:
    """Where the last complete line ends; a final `\\r` waits, its `\\n` may come next."""
    cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
    return cut + 1


def split_lines(text: str) -> list[str]:
    """`text` as physical lines with their endings (the same rule as `Decoded.lines`)."""
    return list(_split_lines(text))


# --- Double-encoded UTF-8 ("JÃ¶rdis") ----------------------------------------------------

# Characters Windows-1252 shows for the UTF-8 continuation bytes 0x80-0xBF. Windows maps
# its five undefined bytes to U+0081 etc., so those count too.
_CONTINUATION = "".join(
    bytes([b]).decode("cp1252") if bytes([b]) not in _CP1252_UNDEFINED else chr(b)
    for b in range(0x80, 0xC0)
)
_C = "[" + re.escape(_CONTINUATION) + "]"
# Lead byte read as cp1252, then the right number of continuations. Two-byte leads stop at
# 0xDB (Arabic): Ü and ß (0xDC, 0xDF) start many genuine German words.
_MOJIBAKE = re.compile(f"[\u00c2-\u00db]{_C}|[\u00e0-\u00ef]{_C}{{2}}|[\u00f0-\u00f4]{_C}{{3}}")
# Looser, but quick to search for: one class first lets `re` skip ahead, the alternatives
# above make it try every position. Whatever `_MOJIBAKE` finds, this finds too.
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00db\u00e0-\u00f4]{_C}")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def repair_mojibake(value: str) -> str | None:
    """The text UTF-8 that was read as Windows-1252 once more is repaired to, or None.

    Only whole fields are repaired, and only when a typical sequence (`Ã¶`, `â€“`, `ðŸš€`)
    is present and *every* character round-trips: genuine text almost never does.
    """
    if value.isascii() or not _MOJIBAKE.search(value):
        return None
    raw = bytearray()
    for char in value:
        if char in "\x81\x8d\x8f\x90\x9d":
            raw.append(ord(char))
            continue
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            return None
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(_CONTROLS.findall(repaired)) > len(_CONTROLS.findall(value)):
        return None
    return repaired


@dataclass
class Repairs:
    """Counts the fields repaired in one file, so the import can say so.

    `suspect=False` with `scan` fed all text before its rows are parsed (`Decoded.lines`):
    rows are then checked only once some text had a typical sequence, as most files have
    none. A sequence never spans a line break, so scanning runs of whole lines misses none.
    """

    count: int = 0
    suspect: bool = True

    def scan(self, text: str) -> None:
        if not self.suspect and not text.isascii() and _MOJIBAKE_HINT.search(text):
            self.suspect = True

    def fix(self, value: str) -> str:
        repaired = repair_mojibake(value)
        if repaired is None:
            return value
        self.count += 1
        return repaired

    def fix_row(self, row: list[str]) -> list[str]:
        """`fix` for each field; one search for the whole row first, as most rows are clean."""
        if not self.suspect or not _MOJIBAKE.search("\x1f".join(row)):
            return row
        return [self.fix(cell) for cell in row]


# --- Dialect -------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t")


def sniff_delimiter(head: str) -> str:
    """`,` `;` or tab: the one whose per-line count (outside quotes) repeats most often.

    A preamble line has none, the header and rows share one count; a message full of
    semicolons in a comma file stays a single line with an odd count.
    """
    counts: dict[str, list[int]] = {d: [] for d in DELIMITERS}
    current = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    lines = 0
    for char in head:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in current:
            current[char] += 1
        elif char in "\r\n":
            if any(current.values()):
                for d in DELIMITERS:
                    counts[d].append(current[d])
                current = dict.fromkeys(DELIMITERS, 0)
                lines += 1
                if lines >= HEADER_SCAN_ROWS * 2:
                    break
    if any(current.values()):
        for d in DELIMITERS:
            counts[d].append(current[d])

    def score(delimiter: str) -> tuple[int, int, int]:
        nonzero = [n for n in counts[delimiter] if n]
        if not nonzero:
            return (0, 0, -DELIMITERS.index(delimiter))
        mode = max(set(nonzero), key=lambda n: (nonzero.count(n), n))
        return (nonzero.count(mode), mode, -DELIMITERS.index(delimiter))

    return max(DELIMITERS, key=score)


# --- Rows ------------------------------------------------------------------------------------


def iter_rows(
    lines: Iterable[str],
    where: str | Path,
    *,
    delimiter: str = ",",
    repairs: Repairs | None = None,
    padding: Padding | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """`(line, fields)` per record; `line` is the 1-based physical line where it starts.

    `strict=True`: the default reader silently swallows the rest of the file into one field
    after an unterminated quote (C-7); strict raises, and we name the line.
    Each record (blank ones too: they cost as much to read) is counted by `padding`.
    """
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', strict=True)
    start = 1
    while True:
        if padding is not None:
            padding.row()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _csv_problem(where, str(err), start, reader.line_num) from None
        if repairs is not None:
            row = repairs.fix_row(row)
        yield start, row
        start = reader.line_num + 1


def _csv_problem(where: str | Path, message: str, start: int, current: int) -> BadInput:
    """The error at the line where the broken record starts: that is where the bad quote is."""
    if "unexpected end of data" in message:
        return BadInput(
            where, _("unterminated quote: the quoted field starting here never ends"), start
        )
    if "field larger than field limit" in message:
        return BadInput(
            where,
            _("a field is longer than %(max_field_chars)s characters")
            % {"max_field_chars": f"{MAX_FIELD_CHARS:,}"},
            start,
        )
    if current > start:
        return BadInput(
            where,
            _(
                "unterminated or stray quote: the record starting here runs into line %(current)s (%(message)s)"
            )
            % {"current": current, "message": message},
            start,
        )
    return BadInput(where, _("stray quote (%(message)s)") % {"message": message}, start)


def header_key(cell: str) -> str:
    """A header cell as compared: BOM, quotes and outer whitespace gone, case folded."""
    text = cell.replace("\ufeff", "").strip().strip('"').strip()
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Header:
    line: int
    cells: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def width(self) -> int:
        """Columns up to the last named one (Excel pads headers with empty cells)."""
        named = [i for i, name in enumerate(self.names) if name]
        return named[-1] + 1 if named else 0

    @cached_property
    def _positions(self) -> dict[str, int]:
        positions: dict[str, int] = {}
        for position, name in enumerate(self.names):
            positions.setdefault(name, position)
        return positions

    def index(self, *names: str) -> int | None:
        """The position of the first of `names` this header has."""
        for name in names:
            if name in self._positions:
                return self._positions[name]
        return None

    def column(self, *names: str) -> Callable[[Sequence[str]], str]:
        """`Row.get` for one column, looked up once: for readers of large files."""
        index = self.index(*names)
        if index is None:
            return lambda cells: ""
        return lambda cells: cells[index]


Accept = Callable[[frozenset[str]], bool]


def find_header(
    rows: Iterator[tuple[int, list[str]]],
    accept: Accept | Collection[str],
    *,
    scan: int = HEADER_SCAN_ROWS,
) -> Header | None:
    """Consume rows until one is a header `accept`s (or has all the names given); None after
    `scan` rows. Found by content: preambles come and go with Excel re-saves (C-6)."""
    if not callable(accept):
        required = frozenset(accept)
        accept = required.issubset
    for _attempt in range(scan):
        try:
            line, row = next(rows)
        except StopIteration:
            return None
        names = tuple(header_key(cell) for cell in row)
        if accept(frozenset(names)):
            return Header(line, tuple(row), names)
    return None


# --- Tables: a CSV file with its header found -------------------------------------------------


@dataclass(frozen=True)
class CsvInput:
    """One CSV to read: `label` names it in record sources ("Invitations.csv:12"), `where`
    in error messages; `units` is the progress it is worth (its compressed size in a zip).
    A zip member is a `Stream`, read again for each pass and never held whole."""

    label: str
    where: str
    data: bytes | Stream
    units: int | None = None


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]
    header: Header
    source: str

    def get(self, *names: str) -> str:
        """The first of `names` this file has, as written; "" when it has none."""
        index = self.header.index(*names)
        return self.cells[index] if index is not None else ""

    def skip(self, reason: str) -> SkippedRecord:
        return SkippedRecord(source=self.source, reason=reason)


@dataclass
class Table:
    """Rows of one CSV mapped by column name; rows with the wrong field count are skipped
    (never shifted into the wrong columns, C-8), blank rows dropped."""

    src: CsvInput
    header: Header
    rows: Iterator[tuple[int, list[str]]]
    decoded: Decoded
    repairs: Repairs = field(default_factory=Repairs)
    ctx: ImportContext | None = None

    def __iter__(self) -> Iterator[Row | SkippedRecord]:
        width = self.header.width
        for line, cells in self.rows:
            if not "".join(cells).strip():
                continue
            source = f"{self.src.label}:{line}"
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]
            if len(cells) != width:
                yield SkippedRecord(
                    source=source,
                    reason=_("expected %(want)d fields, found %(found)d")
                    % {"want": width, "found": len(cells)},
                )
                continue
            yield Row(line, cells, self.header, source)
        self._report()

    def _report(self) -> None:
        note = self.ctx.note if self.ctx is not None else log.info
        if self.decoded.codec == "cp1252":
            note(f"{self.src.label}: read as Windows-1252")
        if self.repairs.count:
            note(
                f"{self.src.label}: repaired {self.repairs.count} double-encoded field(s)"
                " (UTF-8 read as Windows-1252)"
            )


def open_table(src: CsvInput, accept: Accept, ctx: ImportContext, expected: str) -> Table:
    """Decode, sniff the delimiter and find the header; BadInput naming `expected` if none."""
    decoded = decode(src.data, src.where)
    delimiter = sniff_delimiter(decoded.head())
    repairs = Repairs(suspect=False)
    check = padding(src)
    rows = iter_rows(
        decoded.lines(ctx.read, src.units, scan=repairs.scan, padding=check),
        src.where,
        delimiter=delimiter,
        repairs=repairs,
        padding=check,
    )
    header = find_header(rows, accept)
    if header is None:
        raise BadInput(
            src.where,
            _("no header with %(expected)s in the first %(header_scan_rows)s lines")
            % {"expected": expected, "header_scan_rows": HEADER_SCAN_ROWS},
        )
    return Table(src, header, rows, decoded, repairs, ctx)


def first_error(err: ValidationError) -> str:
    """A pydantic error as one short sentence for the import report, in our words."""
    from netinbox.words import record_problem

    errors = err.errors()
    if not errors:
        return _("not a valid value")
    return record_problem(errors[0])
