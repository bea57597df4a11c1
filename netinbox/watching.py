"""Watching mailboxes for new notification mails (`netinbox watch`).

Idle, a watch costs nothing on Linux: the thread sleeps until the kernel says (inotify,
`netinbox.inotify`) that a watched folder changed, and looks once a minute anyway, as
network file systems do not say. Elsewhere, or where no watch is to be had, it polls: a
few `stat` calls per mailbox and interval, an mbox file's identity, size and times; a
Maildir's `new/` and `cur/` folders, whose times change when a mail is delivered, moved or
removed. `waiter` picks the way, and says which (`mode`).

A mailbox that changed is read once it has settled — no event for a quiet moment
(`QUIET`), or, polled, unchanged for one more poll — so a mail still being delivered is
not read half-way:
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

import errno
import json
import os
import re
import select
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from netinbox import state_record
from netinbox.importers.base import BadInput, ImportContext
from netinbox.inotify import (
    IN_CREATE,
    IN_DELETE,
    IN_DELETE_SELF,
    IN_IGNORED,
    IN_MOVE_SELF,
    IN_MOVED_FROM,
    IN_MOVED_TO,
    IN_Q_OVERFLOW,
    Event,
    Inotify,
)
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

    def poll(self, settled: bool = False) -> bool:
        """True when the mailbox should be read now: it changed, and has not changed since
        the poll before (it settled) — or `settled`: the kernel said it changed, and
        nothing more came for a quiet moment since."""
        now = self.stamp()
        if now != self.last:
            self.last = now
            self.changed = True
            if now is not None:
                self.gone = False
            return settled and now is not None
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

    def look(self, settled: Collection[Path] = ()) -> list[Mailbox]:
        """The mailboxes to read now (a few `stat` calls each); those in `settled` changed
        (the kernel said so) and have been quiet since: read at once if they did."""
        first, self._first = self._first, False
        return [
            box
            for box in self.boxes
            if box.poll(box.path in settled) or (first and box.stamp() is not None)
        ]

    def pending(self) -> bool:
        """A mailbox changed and is not read yet: it is settling, the store was busy, or it
        has gone and that is not said yet. Looked at again after the poll interval."""
        return any(box.changed and not box.gone for box in self.boxes)

    def pause(self, waiter: Poller) -> float:
        """Seconds to wait before the next look, unless woken."""
        return waiter.interval if self.pending() else waiter.idle()

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


# --- waiting for mail: inotify where there is, else the clock ----------------------------

QUIET = 0.25
"""Seconds with no event after which a burst of them has settled (a mail client writes a
mail in several steps): the mailbox is read then."""

SAFETY = 60.0
"""With inotify, a look every minute anyway (or every poll interval, if longer): network
file systems do not deliver events of changes made on other machines."""

WAIT_MODES = ("inotify", "poll")

REMOTE_FILE_SYSTEMS = frozenset(
    {
        "9p",  # WSL's Windows drives, VM shares
        "afs",
        "ceph",
        "cifs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.sshfs",
        "gfs2",
        "glusterfs",
        "lustre",
        "nfs",
        "nfs4",
        "ocfs2",
        "smb3",
        "smbfs",
        "virtiofs",
    }
)
"""File systems changed by other machines too, whose changes the kernel here never
hears of: a mailbox on one is polled for (as well as watched)."""


def file_system(path: Path, mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """The type of the file system `path` is on (Linux), or None when unknown."""
    try:
        with open(mountinfo, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
        where = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    best, found = -1, None
    for line in lines:
        fields, _, rest = line.partition(" - ")
        parts = fields.split(" ")
        if len(parts) < 5 or not rest:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), parts[4])
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= best:  # the deepest, and the later of two on one point
            best, found = len(point), rest.split(" ", 1)[0]
    return found


class Poller:
    """Waits by the clock, where there is no inotify: a look every `interval` seconds (a
    few `stat` calls per mailbox). `wait` returns early when `interrupt`ed (stop, or look
    now)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._woken = threading.Event()

    @property
    def mode(self) -> str:
        """How it waits (`WAIT_MODES`), for the user to know."""
        return "poll"

    @property
    def covered(self) -> bool:
        """Every path is watched by the kernel (nothing to poll for)."""
        return False

    def idle(self) -> float:
        """Seconds to wait while no mailbox has changed."""
        return self.interval

    def wait(self, timeout: float) -> set[Path]:
        """Wait up to `timeout` seconds; the paths that changed and have settled since (a
        poller does not know: none)."""
        self._woken.wait(timeout)
        self._woken.clear()
        return set()

    def interrupt(self) -> None:
        """End a wait now (from another thread)."""
        self._woken.set()

    def close(self) -> None:
        pass


_GROWS = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO
"""Entries made, removed or moved: the folders to watch may have changed."""


class Notified(Poller):
    """Waits for the kernel to say that a mailbox changed (inotify), then for a quiet
    moment (`QUIET`); a look at least every `SAFETY` seconds anyway. Idle, the thread
    sleeps in `poll`.

    Watched are folders, each event filtered by the name it concerns: an mbox's folder
    (for the mbox's name: written, truncated, replaced by rename, removed and made again);
    a Maildir, its folder (for its own name), the Maildir (for `new` and `cur`), and its
    `new/` and `cur/` (any mail). Where a symlink leads elsewhere, the target's folder too.
    A folder made later (a Maildir that was not there yet) is watched from when it
    appears. A folder that cannot be watched (not there, or the watch limit reached) is
    polled for: `covered` is False and the look comes every poll interval.

    OSError from the constructor or the first `watch` where inotify is not to be had."""

    def __init__(self, interval: float) -> None:
        super().__init__(interval)
        self._inotify = Inotify()
        try:
            self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            self._inotify.close()
            raise
        self._poller = select.poll()  # (`select.select` fails on descriptors past 1023)
        self._poller.register(self._inotify.fd, select.POLLIN)
        self._poller.register(self._wake_r, select.POLLIN)
        self._closing = threading.Lock()  # `interrupt` (another thread) never writes to a
        # closed descriptor's number
        self._paths: list[Path] = []
        self._watches: dict[int, list[tuple[frozenset[str] | None, Path]]] = {}
        self._covered = False

    @property
    def covered(self) -> bool:
        return self._covered

    @property
    def mode(self) -> str:
        """`inotify`, or `poll` when a mailbox is polled for as well (its folder is not
        there, cannot be watched, or is on a network file system): idle, it looks then."""
        return "inotify" if self._covered else "poll"

    def idle(self) -> float:
        return max(SAFETY, self.interval) if self._covered else self.interval

    def watch(self, paths: Iterable[Path]) -> None:
        """Watch these mailboxes (or paths where one will be); OSError when a watch cannot
        be had at all (the watch limit reached)."""
        self._paths = list(dict.fromkeys(paths))
        self._sync(strict=True)

    def _wanted(self) -> dict[Path, list[tuple[frozenset[str] | None, Path, bool]]]:
        """Folder → (names of interest or None for any, mailbox, needed for coverage)."""
        wanted: dict[Path, list[tuple[frozenset[str] | None, Path, bool]]] = {}
        for path in self._paths:
            places = [path]
            try:
                real = Path(os.path.realpath(path))
            except (OSError, ValueError):
                real = path
            if real != path:
                places.append(real)
            for place in places:
                wanted.setdefault(place.parent, []).append((frozenset([place.name]), path, True))
                wanted.setdefault(place, []).append((frozenset(["new", "cur"]), path, False))
                for folder in ("new", "cur"):
                    wanted.setdefault(place / folder, []).append((None, path, False))
        return wanted

    def _sync(self, *, strict: bool = False) -> None:
        """Watch the folders there are now, and no others."""
        watches: dict[int, list[tuple[frozenset[str] | None, Path]]] = {}
        covered = True
        for folder, wants in self._wanted().items():
            needed = any(needed for _names, _path, needed in wants)
            try:
                wd = self._inotify.add(folder)
            except OSError as error:
                if strict and error.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EACCES):
                    raise  # the watch limit, no memory: poll instead
                if needed:
                    covered = False  # the mailbox's folder itself: polled for
                continue
            if needed and file_system(folder) in REMOTE_FILE_SYSTEMS:
                covered = False  # other machines' changes are not heard of: polled for
            watches.setdefault(wd, []).extend((names, path) for names, path, _ in wants)
        for wd in set(self._watches) - set(watches):
            self._inotify.remove(wd)
        self._watches = watches
        self._covered = covered

    def _changed(self, events: list[Event]) -> tuple[set[Path], bool]:
        """The mailboxes these events concern, and whether folders came or went."""
        changed: set[Path] = set()
        again = False
        for event in events:
            if event.mask & IN_Q_OVERFLOW:  # events were lost: look at everything
                changed.update(self._paths)
                again = True
                continue
            if event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
                changed.update(path for _names, path in self._watches.get(event.wd, ()))
                again = True
                continue
            for names, path in self._watches.get(event.wd, ()):
                if names is None:
                    if not event.name.startswith("."):
                        changed.add(path)
                elif event.name in names:
                    changed.add(path)
                    again = again or bool(event.mask & _GROWS)
        return changed, again

    def wait(self, timeout: float) -> set[Path]:
        """Wait up to `timeout` seconds for a mailbox to change; once one has, until no
        event has come for `QUIET` seconds. The mailboxes that changed."""
        changed: set[Path] = set()
        again = False
        end = time.monotonic() + timeout
        last = 0.0  # when the last event of a mailbox came
        while True:
            # (other files in a mailbox's folder may change all the time: only the
            # mailboxes' own events put off the end of a quiet moment)
            left = (last + QUIET if changed else end) - time.monotonic()
            if left <= 0:
                break
            ready = {fd for fd, _ in self._poller.poll(left * 1000)}
            if self._wake_r in ready:
                self._drain()
                break
            if not ready:
                break  # the time is up, or the burst has settled
            more, grew = self._changed(self._inotify.read())
            if more:
                last = time.monotonic()
            changed |= more
            again = again or grew
        if again:
            self._sync()
        return changed

    def _drain(self) -> None:
        try:
            while os.read(self._wake_r, 512):
                pass
        except (BlockingIOError, OSError):
            pass

    def interrupt(self) -> None:
        with self._closing:
            if self._wake_w < 0:
                return
            try:
                os.write(self._wake_w, b"!")
            except OSError:  # full: a wake-up is waiting already
                pass

    def close(self) -> None:
        with self._closing:
            self._inotify.close()
            for fd in (self._wake_r, self._wake_w):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._wake_r = self._wake_w = -1


def waiter(interval: float, paths: Iterable[Path]) -> Poller:
    """How to wait for mail on `paths`: inotify where the kernel offers it (Linux, watches
    to be had), else a poll every `interval` seconds. `.mode` says which."""
    try:
        notified = Notified(interval)
    except OSError:
        return Poller(interval)
    try:
        notified.watch(paths)
    except OSError:
        notified.close()
        return Poller(interval)
    return notified


# --- what the app said about its watch the last time ---------------------------------------

NEWS_KEEP = 32
"""Sets of watched paths remembered (`is_news`); the oldest are forgotten first."""


def news_record_path() -> Path:
    from platformdirs import user_state_path

    return user_state_path("netinbox", appauthor=False) / "watched.json"


def is_news(paths: Iterable[Path], mode: str, interval: float) -> bool:
    """Whether watching `paths` this way is news to the user: the first time with these
    paths, or another way than the last time (inotify, or polling at another interval —
    the fall back to polling included). Remembers this time in the user's state folder; a
    folder that cannot be read or written makes every time news."""
    key = json.dumps(sorted({str(path) for path in paths}))
    how = mode if mode == "inotify" else f"{mode}:{interval:g}"
    target = news_record_path()
    try:
        records = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        records = {}
    if not isinstance(records, dict):
        records = {}
    news = records.get(key) != how
    if news:
        records.pop(key, None)
        records[key] = how  # the newest last
        while len(records) > NEWS_KEEP:
            records.pop(next(iter(records)))
        state_record.save(target, records)  # if not kept: the next start says it again
    return news
