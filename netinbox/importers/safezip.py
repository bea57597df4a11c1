"""Reading members of an untrusted zip into memory, never onto disk (docs/reliability.md, C-15 …
C-17).

Python 3.11 lacks the overlapping-entry check (gh-109858), so sizes are checked three
times: the declared size, the compression ratio, and the bytes actually read, which stop
mid-stream. Member names are only compared, never used as paths, and `..`, absolute or
drive-letter names reject the whole archive: a real export never has them.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

from netinbox.i18n import _
from netinbox.importers import base
from netinbox.importers.base import BadInput

READ_CHUNK = 1 << 20
#: A LinkedIn export has a few dozen files; millions of entries only exhaust memory.
MAX_MEMBERS = 100_000
#: Below this size a high compression ratio is harmless (and a tiny CSV may well have one).
RATIO_FLOOR = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_MB = 1024 * 1024

# What zipfile and zlib raise for damaged, truncated or unsupported archives.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


def unsafe_name(name: str) -> bool:
    """True for names that would escape a folder if extracted: `..`, `/x`, `C:x`, `a\\..\\x`."""
    path = name.replace("\\", "/")
    return (
        "\x00" in path
        or path.startswith("/")
        or bool(_DRIVE.match(path))
        or any(part == ".." for part in path.split("/"))
    )


def base_name(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def read_limited(stream: IO[bytes], limit: int, what: str, where: str | Path) -> bytes:
    """At most `limit` bytes of `stream`; BadInput as soon as there are more, without
    reading (or holding) the rest."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > limit:
            raise BadInput(where, _too_big(what, limit))
        parts.append(chunk)


class SafeZip:
    """An archive opened for lookup by base name and checked reading of members."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._unpacked = 0
        count = declared_members(self.path)
        if count is not None and count > MAX_MEMBERS:
            raise BadInput(
                path,
                _("the archive lists %(count)s files; more than %(max_members)s")
                % {"count": f"{count:,}", "max_members": f"{MAX_MEMBERS:,}"},
            )
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except zipfile.BadZipFile as err:
            raise BadInput(
                path, _("not a zip file, or a truncated one (%(err)s)") % {"err": err}
            ) from None
        except _ZIP_ERRORS as err:
            raise BadInput(path, _("damaged zip file (%(err)s)") % {"err": err}) from None
        seen: set[str] = set()
        for info in infos:
            if unsafe_name(info.filename):
                self.close()
                raise BadInput(
                    path,
                    _("unsafe member name %(filename)s (path traversal)")
                    % {"filename": f"{info.filename!r}"},
                )
            if info.filename in seen:
                self.close()
                raise BadInput(
                    path, _("two members named %(filename)s") % {"filename": f"{info.filename!r}"}
                )
            seen.add(info.filename)
        self.infos = [i for i in infos if not i.is_dir() and not _is_metadata(i.filename)]

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> Iterator[str]:
        return (info.filename for info in self.infos)

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member called `name` (any case) in any folder; the shallowest one wins, two
        at the same depth are ambiguous."""
        wanted = name.casefold()
        found = sorted(
            (info.filename.count("/"), info.filename, info)
            for info in self.infos
            if base_name(info.filename).casefold() == wanted
        )
        if not found:
            return None
        if len(found) > 1 and found[0][0] == found[1][0]:
            raise BadInput(
                self.path,
                _("two files called %(name)s: %(value)s and %(value2)s")
                % {"name": name, "value": f"{found[0][1]!r}", "value2": f"{found[1][1]!r}"},
            )
        return found[0][2]

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, after the checks against encryption and zip bombs."""
        return b"".join(self.stream(info).chunks())

    def stream(self, info: zipfile.ZipInfo) -> Member:
        """The member as a `Stream` (decoding.py), after the checks against encryption and
        zip bombs; its bytes are read a chunk at a time, each time they are needed."""
        what = info.filename
        if info.flag_bits & 0x1:
            raise BadInput(
                self.path, _("%(what)s is encrypted; netinbox cannot read it") % {"what": what}
            )
        if info.file_size > base.MAX_ZIP_MEMBER_BYTES:
            raise BadInput(
                self.path,
                _(
                    "%(what)s would unpack to %(value)s MB, more than the %(value2)s MB allowed (possible zip bomb)"
                )
                % {
                    "what": what,
                    "value": info.file_size // _MB,
                    "value2": base.MAX_ZIP_MEMBER_BYTES // _MB,
                },
            )
        if info.file_size > RATIO_FLOOR and info.file_size > base.MAX_ZIP_RATIO * max(
            info.compress_size, 1
        ):
            raise BadInput(
                self.path,
                _(
                    "%(what)s is compressed %(value)s:1, more than %(max_zip_ratio)s:1 (possible zip bomb)"
                )
                % {
                    "what": what,
                    "value": info.file_size // max(info.compress_size, 1),
                    "max_zip_ratio": base.MAX_ZIP_RATIO,
                },
            )
        if self._unpacked + info.file_size > base.MAX_ZIP_TOTAL_BYTES:
            raise BadInput(
                self.path,
                _("the archive would unpack to more than %(value)s MB")
                % {"value": base.MAX_ZIP_TOTAL_BYTES // _MB},
            )
        self._unpacked += info.file_size
        return Member(self, info)

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        # Declared sizes can lie: the cap also holds for what is actually decompressed.
        what = info.filename
        limit = min(info.file_size, base.MAX_ZIP_MEMBER_BYTES)
        total = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(min(READ_CHUNK, limit + 1 - total)):
                    total += len(chunk)
                    if total > limit:
                        raise BadInput(self.path, _too_big(what, limit))
                    yield chunk
        except BadInput:
            raise
        except zipfile.BadZipFile as err:
            raise BadInput(
                self.path, _("%(what)s is damaged (%(err)s)") % {"what": what, "err": err}
            ) from None
        except _ZIP_ERRORS as err:
            raise BadInput(
                self.path, _("%(what)s cannot be read (%(err)s)") % {"what": what, "err": err}
            ) from None


class Member:
    """One member of a SafeZip, read from its start each time `chunks` is called."""

    def __init__(self, archive: SafeZip, info: zipfile.ZipInfo) -> None:
        self._archive = archive
        self.info = info
        self.size = info.file_size
        self.packed = info.compress_size

    def chunks(self) -> Iterator[bytes]:
        return self._archive._chunks(self.info)


def _too_big(what: str, limit: int) -> str:
    return _("%(what)s unpacks to more than %(value)s %(value2)s (possible zip bomb)") % {
        "what": what,
        "value": limit // _MB or limit,
        "value2": "MB" if limit >= _MB else "bytes",
    }


def declared_members(path: Path) -> int | None:
    """The entry count from the end-of-archive record, before zipfile builds an object per
    entry; None when there is no such record (zipfile then reports the damage)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - 0x10000 - 22 - 20))
            tail = handle.read()
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    count: int = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        try:
            with path.open("rb") as handle:
                handle.seek(offset + 32)
                raw = handle.read(8)
        except (OSError, ValueError, OverflowError):
            return None
        if len(raw) == 8:
            count = struct.unpack("<Q", raw)[0]
    return count


def _is_metadata(name: str) -> bool:
    """macOS adds `__MACOSX/` and `._name` copies when zipping; they are not export files."""
    path = name.replace("\\", "/")
    return path.startswith("__MACOSX/") or base_name(path).startswith("._")
