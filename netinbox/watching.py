"""Watching mailboxes for new notification mails (`netinbox watch`).

Idle, a watch costs a few `stat` calls per mailbox and interval: an mbox file's identity,
size and times; a Maildir's `new/` and `cur/` folders, whose times change when a mail is
delivered, moved or removed. Python has no inotify of its own, and polling a handful of
`stat`s is cheap enough not to need it.

A mailbox that changed is read once it has settled (unchanged for one more poll), so a
mail still being delivered is not read half-way:
- an mbox is read again whole, with the same reader as `import`: re-reading adds nothing
  twice, and a mailbox truncated, compacted or replaced by another file is simply read as
  it now is;
- a Maildir's mails are known by the unique part of their file name (before `:`), which
  stays when a mail client moves it from `new/` to `cur/` and adds flags, so only mails
  not seen before are read.

The store is opened (and locked) only to apply what was read, so the app and the other
commands can use it in between. `Watch` and `take` are the one engine of `netinbox watch`
and of the app's watch while it is open (`netinbox.tui.watcher`): what one look at the
mailboxes finds, and what applying a mailbox's new mail did. This module returns records
and codes; the words are the CLI's and the app's.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from netinbox.importers.base import BadInput, ImportContext
from netinbox.models import AnyRecord, SkippedRecord

if TYPE_CHECKING:
    from netinbox.store import Store

Stamp = tuple[int, ...] | None


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def unique_name(file_name: str) -> str:
    """A Maildir mail's name without its flags: `1700000000.M1P2.host:2,S` → `1700…host`."""
    return file_name.split(":", 1)[0].split("!", 1)[0]


@dataclass
class Mailbox:
    """One mbox file or Maildir folder being watched."""

    path: Path
    maildir: bool
    last: Stamp = None  # what the last poll saw
    changed: bool = True  # read it once it has settled (at first: everything in it)
    seen: set[str] = field(default_factory=set)  # Maildir mails already read
    gone: bool = False  # it vanished (said once): it is read again when it is back

    def stamp(self) -> Stamp:
        """What changes when mail arrives: None while the mailbox is missing."""
        if self.maildir:
            parts: list[int] = []
            for name in ("new", "cur"):
                info = _stat(self.path / name)
                parts += (info.st_ino, info.st_mtime_ns, info.st_nlink) if info else (0, 0, 0)
            return tuple(parts) if any(parts) else None
        info = _stat(self.path)
        if info is None or not stat.S_ISREG(info.st_mode):
            return None
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def poll(self) -> bool:
        """True when the mailbox should be read now: it changed, and has not changed since
        the poll before (it settled)."""
        now = self.stamp()
        if now != self.last:
            self.last = now
            self.changed = True
            if now is not None:
                self.gone = False
            return False
        return self.changed and now is not None

    def vanished(self) -> bool:
        """True once when the mailbox has gone (deleted, moved away, its folder unmounted):
        said once; mail is read again when it is back."""
        if self.last is None and self.stamp() is None and not self.gone:
            self.gone = True
            return True
        return False

    def mails(self) -> list[Path]:
        """The Maildir's mails not read yet, in name order (Maildir names start with the
        time of delivery)."""
        found: dict[str, Path] = {}
        for folder in ("new", "cur"):
            try:
                entries = list(os.scandir(self.path / folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                key = unique_name(entry.name)
                if key not in self.seen:
                    found[key] = Path(entry.path)
        return [found[key] for key in sorted(found)]

    def done(self, read: list[Path] | None = None) -> None:
        """What `records` returned was applied: forget the change, remember the mails."""
        self.changed = False
        for file in read or ():
            self.seen.add(unique_name(file.name))


def mailbox(path: Path) -> Mailbox:
    """A mailbox to watch; BadInput when `path` is neither a Maildir nor an mbox file."""
    if path.is_dir():
        if not is_maildir(path):
            raise BadInput(path, "not a Maildir (no cur/ or new/ folder)")
        return Mailbox(path, maildir=True)
    try:
        with path.open("rb") as handle:
            head = handle.read(5)
    except OSError as error:
        raise BadInput(path, f"cannot be read ({error.strerror or error})") from None
    if head and head != b"From ":
        raise BadInput(path, "not an mbox file (it does not start with a 'From ' line)")
    return Mailbox(path, maildir=False)  # an empty file: mail will come


@dataclass
class Reading:
    """What one read of a changed mailbox found."""

    records: Iterator[AnyRecord]
    read: list[Path] = field(default_factory=list)  # Maildir mails, for `Mailbox.done`
    problems: list[BadInput] = field(default_factory=list)  # mails that could not be read


def read(box: Mailbox, ctx: ImportContext) -> Reading:
    """The records of a changed mailbox, read as `import` reads them."""
    from netinbox.importers import iter_records

    if not box.maildir:
        if box.last is not None and box.last[2] == 0:  # emptied, or no mail yet
            return Reading(iter(()))
        return Reading(iter_records([box.path], ctx))
    records: list[AnyRecord] = []
    reading = Reading(iter(records))
    for file in box.mails():
        try:
            records.extend(iter_records([file], ctx))
        except BadInput as problem:
            if not file.exists():  # moved to cur/ or deleted meanwhile: seen at the next poll
                continue
            reading.problems.append(problem)  # a mail that is not one: not read again
        reading.read.append(file)
    return reading


# --- the engine: looks at the mailboxes, and what their new mail did -----------------------


class Watch:
    """The mailboxes being watched, and which to read at a look: at the first, every one
    that is there (nothing is added twice); then those that changed and settled."""

    def __init__(self, boxes: Iterable[Mailbox]) -> None:
        self.boxes = list(boxes)
        self._first = True

    def look(self) -> list[Mailbox]:
        """The mailboxes to read now (a few `stat` calls each)."""
        first, self._first = self._first, False
        return [box for box in self.boxes if box.poll() or (first and box.stamp() is not None)]

    def vanished(self) -> list[Mailbox]:
        """Mailboxes gone since the last look (each said once)."""
        return [box for box in self.boxes if box.vanished()]


@dataclass
class Taken:
    """What applying one mailbox's new mail did: codes and records, no words."""

    found: list[tuple[str, str, str]] = field(default_factory=list)
    """`(what, name, platform)` per request added ("new") and answer recorded ("answer")."""
    skipped: list[SkippedRecord] = field(default_factory=list)
    problems: list[BadInput] = field(default_factory=list)
    """Mails that could not be read, or the mailbox as a whole (read again at its next
    change)."""

    @property
    def new(self) -> int:
        return sum(1 for what, _name, _platform in self.found if what == "new")

    @property
    def answers(self) -> int:
        return sum(1 for what, _name, _platform in self.found if what == "answer")


HELD_RECORDS = 2000
"""Records read before the store's write lock is taken; a mailbox with more (an archive
watched for the first time) is read on while writing, so memory stays bounded."""


class Stopped(Exception):
    """The watch was stopped while a mailbox was being read: nothing of it was applied."""


def take(box: Mailbox, store: Store, *, stop: Callable[[], bool] | None = None) -> Taken:
    """Read the new mail of a mailbox that changed and apply it in one transaction, as
    `import` does (all or nothing, nothing twice). The mail is read before the store's
    write lock is taken, so the lock is held only while writing. A mailbox that cannot be
    read as a whole is a problem of the result, not an exception; StoreError and
    sqlite3.Error (the store is busy, damaged) leave the mailbox to be read again at the
    next look; `stop()` true while reading raises Stopped."""
    from netinbox.importing import apply_import

    ctx = ImportContext(tz=store.config.zone())
    taken = Taken()
    try:
        reading = read(box, ctx)
        records: list[AnyRecord] = []
        for record in reading.records:
            if stop is not None and stop():
                raise Stopped
            records.append(record)
            if len(records) >= HELD_RECORDS:
                break  # a whole archive: the rest is read while writing
        with store.write():  # what it added, and nothing another writer added meanwhile
            since = store.mark()
            summary = apply_import(store, chain(records, reading.records))
            taken.found = store.news(since)
    except BadInput as error:  # the mailbox as a whole: said, and read at its next change
        box.done()
        taken.problems.append(error)
        return taken
    except OSError as error:  # unreadable, or replaced by a folder meanwhile
        box.done()
        taken.problems.append(BadInput(box.path, error.strerror or str(error)))
        return taken
    taken.skipped = list(summary.skipped)
    taken.problems = list(reading.problems)
    box.done(reading.read)
    return taken
