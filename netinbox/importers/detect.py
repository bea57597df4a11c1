"""What a path is, decided by its content, and the reader for it.

A folder is a Maildir or an unpacked LinkedIn export; a file is a zip (LinkedIn export),
a vCard, an mbox, a single e-mail, JSON or CSV (LinkedIn by its header, else generic),
whatever its name says. Nothing but BadInput leaves `iter_records` (C-24): the e-mail and
vCard readers are wrapped so a bug there costs one file, not the whole import.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from types import ModuleType
from zipfile import ZipInfo

from netinbox.i18n import _
from netinbox.importers import generic
from netinbox.importers.base import MAX_FILE_BYTES, MAX_MBOX_BYTES, BadInput, ImportContext
from netinbox.importers.decoding import (
    HEADER_SCAN_ROWS,
    CsvInput,
    OnDisk,
    decode,
    header_key,
    sniff_delimiter,
    split_lines,
)
from netinbox.importers.linkedin import (
    EXPECTED,
    HIDDEN_PROFILE,
    Kind,
    kind_of,
    other_export,
    owner_url,
    read_profile,
)
from netinbox.importers.linkedin_connections import read_connections
from netinbox.importers.linkedin_invitations import owner_links, read_invitations
from netinbox.importers.linkedin_messages import read_messages
from netinbox.importers.safezip import SafeZip, base_name
from netinbox.models import AnyRecord, OwnerRecord, SkippedRecord
from netinbox.text import match_key

log = logging.getLogger(__name__)

HEAD_BYTES = 8192
MAX_FOLDER_DEPTH = 4
MAX_FOLDER_ENTRIES = 50_000
_MB = 1024 * 1024

_BINARY = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.xls/.doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xfd7zXZ\x00", "an xz archive"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MAIL_HEADERS = frozenset(
    "from to cc subject date received return-path message-id mime-version delivered-to "
    "content-type content-transfer-encoding reply-to sender dkim-signature user-agent "
    "authentication-results envelope-to list-unsubscribe".split()
)
_HEADER_FIELD = re.compile(r"([!-9;-~]+):")
_KNOWN = "Invitations, Connections, messages and Profile"


# --- The public API -------------------------------------------------------------------------


def iter_records(
    paths: Sequence[str | Path], ctx: ImportContext, *, strict: bool = False
) -> Iterator[AnyRecord]:
    """Everything in `paths`, one after the other. Within a LinkedIn export: the owner,
    then requests, connections, messages. With `strict`, the first skipped row raises
    instead (hidden-profile connections excepted: they are expected, not errors)."""
    for raw in paths:
        path = Path(raw)
        for record in _read_path(path, ctx):
            if strict and isinstance(record, SkippedRecord) and record.reason != HIDDEN_PROFILE:
                raise _strict_error(path, record)
            yield record


def total_bytes(paths: Sequence[str | Path]) -> int:
    """What `iter_records` will report through `ctx.read`, for a progress bar."""
    total = 0
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                if _is_maildir(path):
                    total += sum(f.stat().st_size for f in _maildir_files(path))
                else:
                    files = list(_export_in_folder(path).values())
                    files = files or _mails_and_cards_in_folder(path)
                    total += sum(p.stat().st_size for p in files)
            elif path.is_file():
                total += path.stat().st_size
        except (OSError, BadInput):
            continue
    return total


def _strict_error(path: Path, record: SkippedRecord) -> BadInput:
    label, _sep, line = record.source.rpartition(":")
    if label and line.isdigit():
        where = path if label == path.name else path / label
        return BadInput(where, _(record.reason), int(line))
    reason = _(record.reason)
    return BadInput(path, f"{record.source}: {reason}" if record.source else reason)


# --- Paths ------------------------------------------------------------------------------------------


def _read_path(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadInput(path, _("no such file or folder")) from None
    except OSError as err:
        raise BadInput(
            path, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
        ) from None
    if stat.S_ISDIR(info.st_mode):
        yield from _read_folder(path, ctx)
        return
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(path, _("not a regular file"))
    if info.st_size == 0:
        raise BadInput(path, _("empty file"))
    head = _read_head(path)
    kind = _sniff(path, head)
    # An mbox is streamed, so a whole mail archive may be larger than what is read at once.
    limit = MAX_MBOX_BYTES if kind == "mbox" else MAX_FILE_BYTES
    if info.st_size > limit:
        raise BadInput(
            path, _("larger than %(value)s MB, the most netinbox reads") % {"value": limit // _MB}
        )
    if kind == "zip":
        yield from _read_zip(path, info.st_size, ctx)
    elif kind == "mbox":
        yield from _delegate(path, lambda: _module("email").read_mbox(path, ctx))
    elif kind == "eml":
        data = _read(path)
        yield from _delegate(path, lambda: _module("email").read_eml(path, data, ctx))
    elif kind == "vcard":
        data = _read(path)
        yield from _delegate(path, lambda: _module("vcard").read_vcards(path, data, ctx))
    else:
        yield from _read_text(path, OnDisk(path, path), ctx)


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError as err:
        raise BadInput(
            path, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
        ) from None


def _read(path: Path) -> bytes:
    """The whole file, refusing one over the limit (also if it grew after `stat`)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise BadInput(
            path, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise BadInput(
            path,
            _("larger than %(value)s MB, the most netinbox reads")
            % {"value": MAX_FILE_BYTES // _MB},
        )
    return data


def _sniff(path: Path, head: bytes) -> str:
    """zip, mbox, eml, vcard or text, from the first bytes; BadInput for binary files."""
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    for magic, what in _BINARY:
        if head.startswith(magic):
            raise BadInput(
                path, _("not a text file this importer knows (%(what)s)") % {"what": what}
            )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
        if b"\x00" in head or controls > len(head) // 10:
            raise BadInput(path, _("not a text file this importer knows (binary data)"))
        text = head.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    if text.lstrip()[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if text.startswith("From "):
        return "mbox"
    if _looks_like_mail(text):
        return "eml"
    return "text"


def _looks_like_mail(text: str) -> bool:
    """A header block: only `Name: value` lines (or folded ones) up to the first blank line,
    at least two of them names mail uses. A `Notes:` preamble is one line, then text."""
    known = 0
    for number, line in enumerate(text.splitlines()[:60]):
        if not line.strip():
            break
        if line[0] in " \t" and number:
            continue
        match = _HEADER_FIELD.match(line)
        if match is None:
            return False
        name = match.group(1).lower()
        known += name in _MAIL_HEADERS or name.startswith("x-")
    return known >= 2


def _module(name: str) -> ModuleType:
    """The e-mail and vCard readers, imported when first needed."""
    import importlib

    return importlib.import_module(f"netinbox.importers.{name}")


def _delegate(path: Path, records: Callable[[], Iterator[AnyRecord]]) -> Iterator[AnyRecord]:
    try:
        yield from records()
    except BadInput:
        raise
    except ImportError as err:
        raise BadInput(
            path, _("this build cannot import such files (%(err)s)") % {"err": err}
        ) from None
    except Exception as err:  # the promise of iter_records: nothing but BadInput
        log.exception("reading %s failed", path)
        raise BadInput(
            path,
            _("could not be read (%(name)s: %(err)s)") % {"name": type(err).__name__, "err": err},
        ) from err


# --- Text files: JSON or CSV -------------------------------------------------------------------------


def _read_text(path: Path, data: OnDisk, ctx: ImportContext) -> Iterator[AnyRecord]:
    src = CsvInput(path.name, str(path), data)
    head = decode(data, path).head()
    start = head.lstrip("\ufeff \t\r\n")
    if not start:
        raise BadInput(path, _("empty file"))
    fallback = _mtime(path)
    if start[0] in "[{":
        yield from generic.read_json(src, ctx, fallback)
        return
    rows = _head_rows(head)
    for cells in rows:
        names = frozenset(header_key(cell) for cell in cells)
        kind = kind_of(names)
        if kind is not None:
            yield from _read_linkedin_csv(kind, src, ctx)
            return
        other = other_export(names)
        if other is not None:
            raise BadInput(
                path,
                _("This looks like a LinkedIn %(other)s export; netinbox reads %(known)s")
                % {"other": other, "known": _KNOWN},
            )
        if generic.is_generic_header(cells):
            yield from generic.read_csv(src, ctx, fallback)
            return
    data_rows = [cells for cells in rows if any(cell.strip() for cell in cells)]
    if any(generic.is_scrape_row(cells) for cells in data_rows[:3]):
        yield from generic.read_scrape(src, ctx, fallback)
        return
    found = ", ".join(repr(cell.strip()[:40]) for cell in (data_rows or [[]])[0][:12])
    raise BadInput(
        path,
        _(
            "unrecognised columns (%(value)s); expected a LinkedIn %(known)s CSV (Invitations: %(value2)s) or a list with %(expected)s"
        )
        % {
            "value": found or "none",
            "known": _KNOWN,
            "value2": EXPECTED[Kind.INVITATIONS],
            "expected": generic.EXPECTED,
        },
    )


def _head_rows(head: str) -> list[list[str]]:
    """The first rows of the file, for recognising it; rows the parser refuses are left out
    (the reader chosen will report them properly)."""
    parsed = generic.salvage_rows(split_lines(head), sniff_delimiter(head))
    rows = (cells for _, cells in islice(parsed, HEADER_SCAN_ROWS))
    return [cells for cells in rows if cells is not None]


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
    except (OSError, ValueError, OverflowError):
        return None


def _read_linkedin_csv(kind: Kind, src: CsvInput, ctx: ImportContext) -> Iterator[AnyRecord]:
    if kind is Kind.PROFILE:
        yield from read_profile(src, ctx)
    elif kind is Kind.INVITATIONS:
        yield from read_invitations(src, ctx)
    elif kind is Kind.CONNECTIONS:
        yield from read_connections(src, ctx)
    else:
        yield from read_messages(src, ctx)


# --- LinkedIn exports: zip or folder -------------------------------------------------------------------

Loader = Callable[[], CsvInput]


def _read_export(files: dict[Kind, Loader], ctx: ImportContext) -> Iterator[AnyRecord]:
    """Owner first (its link learned from Invitations.csv), then requests, connections,
    messages: what the store needs to know before it reads the next kind."""
    owner: OwnerRecord | None = None
    profile_skips: list[AnyRecord] = []
    if Kind.PROFILE in files:
        for record in read_profile(files[Kind.PROFILE](), ctx):
            if isinstance(record, OwnerRecord):
                owner = record
            else:
                profile_skips.append(record)
    invitations = files[Kind.INVITATIONS]() if Kind.INVITATIONS in files else None
    if owner is not None:
        links: Counter[tuple[str, str]] = Counter()
        if invitations is not None:  # the owner's link, learned in a quiet first pass
            links = owner_links(invitations, ctx, match_key(owner.name))
        url = owner_url(owner, links)
        yield OwnerRecord(**{**owner.model_dump(), "profile_url": url}) if url else owner
    yield from profile_skips
    if invitations is not None:  # streamed: one record at a time, however many rows
        yield from read_invitations(invitations, ctx)
    if Kind.CONNECTIONS in files:
        yield from read_connections(files[Kind.CONNECTIONS](), ctx)
    if Kind.MESSAGES in files:
        yield from read_messages(files[Kind.MESSAGES](), ctx)


def _read_zip(path: Path, size: int, ctx: ImportContext) -> Iterator[AnyRecord]:
    with SafeZip(path) as archive:
        if archive.find("[Content_Types].xml") is not None:
            raise BadInput(
                path, _("an Office document (Excel, Word), not a LinkedIn export; save it as CSV")
            )
        members = {kind: archive.find(kind.file_name) for kind in Kind}
        found = {kind: info for kind, info in members.items() if info is not None}
        if not found:
            raise BadInput(
                path,
                _("no LinkedIn export in this zip (no %(known)s CSV files)") % {"known": _KNOWN},
            )
        loaders: dict[Kind, Loader] = {
            kind: functools.partial(_zip_input, archive, path, info) for kind, info in found.items()
        }
        yield from _read_export(loaders, ctx)
    # Progress was reported per member in compressed bytes; the rest of the zip now.
    ctx.read(max(0, size - sum(info.compress_size for info in found.values())))


def _zip_input(archive: SafeZip, path: Path, info: ZipInfo) -> CsvInput:
    """A CSV member of the export's zip, streamed when its turn comes (never held whole)."""
    return CsvInput(
        base_name(info.filename),
        f"{path}/{info.filename}",
        archive.stream(info),
        info.compress_size,
    )


def _read_folder(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    if _is_maildir(path):
        yield from _delegate(path, lambda: _module("email").read_maildir(path, ctx))
        return
    files = _export_in_folder(path)
    if not files:
        mails = _mails_and_cards_in_folder(path)
        if not mails:
            raise BadInput(
                path, _("no LinkedIn export, Maildir, e-mails or vCards found in this folder")
            )
        for file in mails:  # saved notification mails, or XING's one vCard per contact
            yield from _read_path(file, ctx)
        return
    loaders: dict[Kind, Loader] = {
        kind: functools.partial(_folder_input, file) for kind, file in files.items()
    }
    yield from _read_export(loaders, ctx)


def _folder_input(file: Path) -> CsvInput:
    """A CSV of an export unpacked into a folder, streamed from the disk when its turn comes."""
    data = OnDisk(file, file)
    if data.size > MAX_FILE_BYTES:
        raise BadInput(
            file,
            _("larger than %(value)s MB, the most netinbox reads")
            % {"value": MAX_FILE_BYTES // _MB},
        )
    return CsvInput(file.name, str(file), data)


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def _maildir_files(path: Path) -> list[Path]:
    return [
        entry
        for folder in (path / "cur", path / "new")
        if folder.is_dir()
        for entry in folder.iterdir()
        if not entry.name.startswith(".") and entry.is_file()
    ]


def _mails_and_cards_in_folder(path: Path) -> list[Path]:
    """The e-mails (.eml), mailboxes and vCards lying in a folder (not its subfolders),
    known by their first bytes, in name order; anything else there is left alone."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(path), key=lambda entry: entry.name)
    except OSError as err:
        raise BadInput(
            path, _("cannot be read (%(value)s)") % {"value": err.strerror or err}
        ) from None
    if len(entries) > MAX_FOLDER_ENTRIES:
        raise BadInput(path, _("too many files here; point netinbox at the export folder"))
    for entry in entries:
        if entry.name.startswith(".") or not entry.is_file():
            continue
        file = Path(entry.path)
        try:
            if entry.stat().st_size and _sniff(file, _read_head(file)) in _MAIL_OR_CARD:
                found.append(file)
        except (OSError, BadInput):  # unreadable or binary: not one of them
            continue
    return found


_MAIL_OR_CARD = frozenset({"eml", "mbox", "vcard"})


def _export_in_folder(path: Path) -> dict[Kind, Path]:
    """The export's files by base name, any case, in any subfolder (up to a few levels):
    the shallowest wins, two at the same depth are ambiguous."""
    wanted = {kind.file_name.casefold(): kind for kind in Kind}
    found: dict[Kind, list[tuple[int, str, Path]]] = {}
    seen = 0
    for folder, dirs, names in os.walk(path):
        depth = len(Path(folder).relative_to(path).parts)
        dirs[:] = sorted(d for d in dirs if d != "__MACOSX" and depth < MAX_FOLDER_DEPTH)
        seen += len(dirs) + len(names)
        if seen > MAX_FOLDER_ENTRIES:
            raise BadInput(path, _("too many files here; point netinbox at the export folder"))
        for name in names:
            kind = wanted.get(name.casefold())
            if kind is not None and (Path(folder) / name).is_file():
                found.setdefault(kind, []).append((depth, name, Path(folder) / name))
    result: dict[Kind, Path] = {}
    for kind, candidates in found.items():
        candidates.sort()
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            raise BadInput(
                path,
                f"two {kind.file_name} files: {candidates[0][2]} and {candidates[1][2]}",
            )
        result[kind] = candidates[0][2]
    return result
