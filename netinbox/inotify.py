"""Linux's inotify through `ctypes`, with no dependency: the kernel says when a folder
changes, so a watch on mailboxes sleeps until mail comes instead of looking every few
seconds.

`Inotify()` raises OSError where there is none (not Linux, no such function in the C
library, too many instances). Watches are on folders only (`IN_ONLYDIR`): the events of a
folder name the entry that changed, which is how a mailbox rewritten by rename, truncated,
or deleted and made again is seen (a watch on the file itself would stay on the old file).
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys
from typing import NamedTuple

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_UNMOUNT = 0x00002000
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000

FOLDER_CHANGES = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)
"""What a watch on a folder reports: an entry written, its times or mode changed, moved in
or out, made or removed; and the folder itself removed or moved."""

_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (struct inotify_event)
_READ_SIZE = 64 * 1024


class Event(NamedTuple):
    wd: int
    mask: int
    name: str  # the entry in the watched folder ("" for the folder itself)


class Inotify:
    """One inotify instance: non-blocking, closed on exec; `fileno()` for `select`."""

    def __init__(self) -> None:
        if not sys.platform.startswith("linux"):
            raise OSError(errno.ENOSYS, "inotify is Linux only")
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            self._init1 = libc.inotify_init1
            self._add = libc.inotify_add_watch
            self._rm = libc.inotify_rm_watch
        except (OSError, AttributeError) as error:
            raise OSError(errno.ENOSYS, f"no inotify in the C library ({error})") from None
        self._init1.argtypes = [ctypes.c_int]
        self._init1.restype = ctypes.c_int
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._add.restype = ctypes.c_int
        self._rm.argtypes = [ctypes.c_int, ctypes.c_int]
        self._rm.restype = ctypes.c_int
        fd = self._init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
        self.fd: int = int(fd)

    def fileno(self) -> int:
        return self.fd

    def add(self, path: str | os.PathLike[str], mask: int = FOLDER_CHANGES) -> int:
        """Watch a folder; its watch descriptor (the same one when watched already).
        OSError: ENOENT or ENOTDIR when it is not a folder, ENOSPC at the user's watch
        limit (fs.inotify.max_user_watches), EACCES when it cannot be read."""
        wd = int(self._add(self.fd, os.fsencode(path), mask))
        if wd < 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), os.fspath(path))
        return wd

    def remove(self, wd: int) -> None:
        """Stop watching (a watch the kernel removed already is no error)."""
        self._rm(self.fd, wd)

    def read(self) -> list[Event]:
        """The events waiting now ([] when there are none)."""
        events: list[Event] = []
        while True:
            try:
                data = os.read(self.fd, _READ_SIZE)
            except BlockingIOError:
                return events
            except InterruptedError:
                continue
            offset = 0
            while offset + _HEADER.size <= len(data):
                wd, mask, _cookie, size = _HEADER.unpack_from(data, offset)
                offset += _HEADER.size
                raw = data[offset : offset + size].split(b"\0", 1)[0]
                offset += size
                events.append(Event(wd, mask, os.fsdecode(raw)))
            if len(data) < _READ_SIZE - 512:  # room for another event was left: drained
                return events

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
