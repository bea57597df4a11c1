"""Notification e-mails in their containers: mbox, Maildir and single .eml files.

A mailbox is mostly not invitations, and can be huge, so an mbox is cut into messages by
`mbox_scan.scan_mbox`, which cuts out only the messages whose `From:` line names an
invitation robot; those are handed to `email_parse.parse_candidate` for full MIME parsing.

`mailbox.mbox` is not used: it indexes the whole file first and keeps every message's
offsets, and its `From ` handling offers no header-only skip.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import signal
import struct
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from netinbox.i18n import _
from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.email_parse import parse_candidate
from netinbox.importers.mail_sender import (
    MAX_HEADER_BYTES,
    MAX_MESSAGE_BYTES,
    header_block,
    invitation_platform,
    sender_address,
)
from netinbox.importers.mbox_scan import Candidate, from_line_time, scan_mbox
from netinbox.models import AnyRecord, SkippedRecord


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

#: Candidates are parsed in batches of this many (or this many bytes), not one by one
#: between chunks: the parser then runs with its code and data still in the CPU caches,
#: which the scan of the next chunk would have flushed (a fifth less parse time).
_BATCH = 64
_BATCH_BYTES = 4 * 1024 * 1024
#: Batches for a worker (see below) are smaller: the last one is parsed while the scan has
#: nothing left to do. The first one is parsed here, before the worker is started.
_WORKER_BATCH = 16
_FIRST_BATCH = 4


def read_mbox(path: Path, ctx: ImportContext) -> Iterator[AnyRecord]:
    """Invitations in an mbox file, streamed: memory stays bounded by two batches of
    candidate mails (`_BATCH`), one being parsed while the next is cut out.

    `source` is "<file name>#<n>" with n counting every message in the file from 1.
    """
    fallback = _file_time(path)
    try:
        handle = path.open("rb")
        size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise BadInput(
            path, _("cannot be read (%(value)s)") % {"value": exc.strerror or exc}
        ) from exc
    may_fork = _may_fork(size)
    sizes = (_FIRST_BATCH, _WORKER_BATCH) if may_fork else (_BATCH, _BATCH)
    with handle, _BatchParser(path.name, fallback, may_fork=may_fork) as parser:
        for batch, error in _batches(scan_mbox(handle, ctx), *sizes):
            yield from parser.parse(batch)
            if error is not None:
                yield from parser.finish()
                raise BadInput(
                    path, _("read error (%(value)s)") % {"value": error.strerror or error}
                ) from error
        yield from parser.finish()


def _batches(
    candidates: Iterator[Candidate], first: int, then: int
) -> Iterator[tuple[list[Candidate], OSError | None]]:
    """The candidates in batches of `first`, then of `then` (or `_BATCH_BYTES`); a read
    error ends the last one, with it."""
    batch: list[Candidate] = []
    size, limit = 0, first
    while True:
        try:
            candidate = next(candidates)
        except StopIteration:
            break
        except OSError as error:
            yield batch, error
            return
        batch.append(candidate)
        size += len(candidate.raw)
        if len(batch) >= limit or size >= _BATCH_BYTES:
            yield batch, None
            batch, size, limit = [], 0, then
    if batch:
        yield batch, None


def _mbox_record(name: str, candidate: Candidate, fallback: datetime | None) -> AnyRecord | None:
    """The record of one candidate of an mbox, or None when it is no invitation."""
    source = f"{name}#{candidate.number}"
    if candidate.too_large:
        return SkippedRecord(
            source=source,
            reason=_("message too large (over %(value)s MB)")
            % {"value": MAX_MESSAGE_BYTES // 2**20},
        )
    when = from_line_time(candidate.from_line) if candidate.from_line else None
    return parse_candidate(candidate.raw, source, candidate.platform, when or fallback)


# --- Parsing beside the scan ----------------------------------------------------------
#
# Scanning a large mbox keeps one core busy, and the full parse of its candidates (a quarter
# of the time for a mailbox with many notifications) can run on another: a forked child
# parses one batch while the parent cuts out the next, and the records come back in order.
# Only a process without other threads forks (a child runs only the forking thread, so a
# lock another thread held would stay held), only on Linux, only for a file big enough to
# be worth a process, and only while a core is idle: on a busy machine the child takes CPU
# time from the scan, which measured slower than parsing here. Whenever the child fails,
# the parent parses the batch itself, so the records (and any error) are those of parsing
# in one process.

#: Below this size an mbox is parsed where it is scanned: a fork costs milliseconds.
_FORK_BYTES = 16 * 1024 * 1024
_LENGTH = struct.Struct("<Q")


def _may_fork(size: int) -> bool:
    return (
        size >= _FORK_BYTES
        and sys.platform.startswith("linux")
        and threading.active_count() == 1
        and _idle_core()
    )


def _idle_core() -> bool:
    """Whether a core beyond the one this process keeps busy is mostly free, by the load
    average of the last minute (which counts this process too, during a long import)."""
    try:
        return os.getloadavg()[0] < len(os.sched_getaffinity(0)) - 0.5
    except (OSError, AttributeError):
        return False


class _BatchParser:
    """Parses batches of candidates in order: here, or in a forked child (`may_fork`)."""

    def __init__(self, name: str, fallback: datetime | None, *, may_fork: bool) -> None:
        self._name = name
        self._fallback = fallback
        self._may_fork = may_fork
        self._warm = False  # a batch was parsed here
        self._worker: _ParseWorker | None = None
        self._in_flight: list[Candidate] = []  # sent to the worker, records not yet given

    def __enter__(self) -> _BatchParser:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._worker is not None:
            self._worker.close()

    def parse(self, batch: list[Candidate]) -> Iterator[AnyRecord]:
        """Take a batch; give the records that are ready (those of the batch before it
        when a worker parses)."""
        yield from self.finish()
        # The child is forked for the second batch: parsing the first one here warmed up
        # what a parse builds on first use (validators, caches), and the child inherits it.
        if self._may_fork and self._warm:
            self._may_fork = False
            self._worker = _ParseWorker.start(self._name, self._fallback)
        if self._worker is not None and self._worker.send(batch):
            self._in_flight = batch
            return
        yield from self._here(batch)
        self._warm = True

    def finish(self) -> Iterator[AnyRecord]:
        """The records of the batch the worker has, if any."""
        batch, self._in_flight = self._in_flight, []
        if not batch:
            return
        results = self._worker.receive() if self._worker is not None else None
        if results is None or len(results) != len(batch):
            yield from self._here(batch)
        else:
            yield from (record for record in results if record is not None)

    def _here(self, batch: list[Candidate]) -> Iterator[AnyRecord]:
        for candidate in batch:
            record = _mbox_record(self._name, candidate, self._fallback)
            if record is not None:
                yield record


class _ParseWorker:
    """A forked child that parses batches of candidates, one at a time, in order."""

    def __init__(self, pid: int, requests: BinaryIO, results: BinaryIO) -> None:
        self.pid = pid
        self._requests = requests
        self._results = results
        self._alive = True

    @classmethod
    def start(cls, name: str, fallback: datetime | None) -> _ParseWorker | None:
        """The worker, or None when no child could be started."""
        try:
            inbox, requests = os.pipe()
        except OSError:
            return None
        try:
            results, outbox = os.pipe()
        except OSError:
            os.close(inbox)
            os.close(requests)
            return None
        try:
            pid = os.fork()
        except OSError:
            for fd in (inbox, requests, results, outbox):
                os.close(fd)
            return None
        if pid == 0:  # the child: it never returns into the parent's code
            try:
                os.close(requests)  # so that the parent closing its end is seen as EOF
                os.close(results)
                _serve(inbox, outbox, name, fallback)
            finally:
                os._exit(1)
        os.close(inbox)
        os.close(outbox)
        for fd in (requests, results):
            _widen(fd)
        return cls(pid, os.fdopen(requests, "wb"), os.fdopen(results, "rb"))

    def send(self, batch: list[Candidate]) -> bool:
        """Hand the child a batch; False when it is gone."""
        if self._alive:
            try:
                _send(self._requests, batch)
                return True
            except Exception:  # gone, or anything else: the parent parses the batch itself
                self._alive = False
        return False

    def receive(self) -> list[AnyRecord | None] | None:
        """The results of the batch sent last; None when the child could not give them."""
        try:
            results: list[AnyRecord | None] | None = _receive(self._results)
        except Exception:  # the child died or sent garbage: the parent parses the batch itself
            results = None
        if results is None:
            self._alive = False
        return results

    def close(self) -> None:
        """End the child (at once, even in the middle of a batch) and reap it."""
        for stream in (self._requests, self._results):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _serve(inbox: int, outbox: int, name: str, fallback: datetime | None) -> NoReturn:
    """The child's loop: parse each batch that comes, until the parent closes the pipe."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
        gc.freeze()  # the inherited objects: no collection walks (and copies) their pages
        with os.fdopen(inbox, "rb") as requests, os.fdopen(outbox, "wb") as results:
            while (batch := _receive(requests)) is not None:
                try:
                    records = [_mbox_record(name, candidate, fallback) for candidate in batch]
                except Exception:
                    records = None  # the parent parses the batch and meets the error itself
                _send(results, records)
        status = 0
    finally:
        os._exit(status)


#: A pipe this large takes a batch (or its records) without waiting for the other side to
#: be scheduled and read; the kernel's default is 64 kB.
_PIPE_BYTES = 1024 * 1024


def _widen(fd: int) -> None:
    import fcntl  # only here: workers are started on Linux only

    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (OSError, AttributeError):
        pass  # over the system's limit, or not Linux: the default size works too


def _send(stream: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    """The next value sent; None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if not head:
        return None
    if len(head) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # from our own child: trusted


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
        raise BadInput(path, _("not a Maildir (no cur/ or new/ folder)"))
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
            raise BadInput(
                folder, _("cannot be listed (%(value)s)") % {"value": exc.strerror or exc}
            ) from exc
    for _key, _name, file in sorted(files):
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
                        reason=_("message too large (over %(value)s MB)")
                        % {"value": MAX_MESSAGE_BYTES // 2**20},
                    )
                    continue
                raw = head + handle.read()
        except OSError as exc:
            raise BadInput(
                file, _("cannot be read (%(value)s)") % {"value": exc.strerror or exc}
            ) from exc
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
