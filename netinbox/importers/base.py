"""What every importer shares: the error it raises and the context it reads with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from netinbox.models import Platform

#: Called with the number of bytes read since the last call.
Advance = Callable[[int], None]


class BadInput(Exception):
    """An input the user gave us cannot be used. The message names file, line and problem."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


def _local_zone() -> tzinfo:
    from netinbox.config import local_zone  # the zone with its DST rules, not today's offset

    return local_zone()


@dataclass
class ImportContext:
    """How to read: the platform the user named, the zone of times without one, progress."""

    platform: Platform | None = None
    tz: tzinfo = field(default_factory=_local_zone)
    advance: Advance | None = None
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        """Something the user should know about how a file was read (not an error)."""
        self.notes.append(text)

    def read(self, count: int) -> None:
        if self.advance is not None and count:
            self.advance(count)


# Limits against hostile files (docs/reliability.md, C-9, C-11, C-15, C-20).
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_MBOX_BYTES = 64 * 1024 * 1024 * 1024  # streamed: only one mail at a time is held
MAX_ZIP_MEMBER_BYTES = 256 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_FIELD_CHARS = 1_000_000
MAX_MIME_DEPTH = 20
MAX_MIME_PARTS = 200
