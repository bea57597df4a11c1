"""The app's watch on mailboxes while it is open (`[watch] paths`, `netinbox --watch`).

The same engine as `netinbox watch` (`netinbox.watching`): a thread sleeps until the
kernel says a mailbox changed (inotify; a look a minute as a safety net) or, where it
cannot, looks every few seconds (a few `stat` calls: nothing more while no mail comes); a
toast says which when it starts. It reads a mailbox that changed once it has settled, and
applies its new mail in one transaction on a connection of its own, so the store is
locked only while writing and never by the UI's thread. What came is posted to the main screen (`MailArrived`), which refreshes the list,
the counts and the profile and says it in a toast. How it waits is told when that is news
(the first start with these paths, or another way than the last time: the fall back to
polling); the help says it always. A path that is not there yet is
watched from when it appears; one that is no mailbox, vanishes or cannot be read is one
line, never a traceback. Quitting stops the thread (a write under way finishes or rolls
back: nothing is half-imported).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.message import Message

from netinbox.config import Config
from netinbox.db import StoreError
from netinbox.i18n import _, ngettext
from netinbox.importers.base import BadInput
from netinbox.store import Store
from netinbox.text import for_terminal
from netinbox.watching import (
    Mailbox,
    Poller,
    Stopped,
    Taken,
    Watch,
    is_news,
    mailbox,
    take,
    waiter,
)
from netinbox.words import platform_label, watch_mode

NAMES_SHOWN = 3
"""Names a toast lists of what came; more are counted."""


class MailArrived(Message):
    """What one look at the mailboxes brought: requests and answers, or problems."""

    def __init__(
        self,
        taken: Taken | None = None,
        problems: list[str] | None = None,
        *,
        started: str | None = None,
        news: bool = True,
    ) -> None:
        super().__init__()
        self.taken = taken or Taken()
        self.problems = problems or []
        self.started = started
        """The watch has started, waiting for mail this way (`watching.WAIT_MODES`)."""
        self.news = news
        """The way it waits is news: the first time with these paths, or another way than
        the last time (`watching.is_news`); else the start is not told in a toast."""


def said(taken: Taken) -> str:
    """ "2 new requests, 1 answer from mail", then up to three names, one a line."""
    parts = []
    if taken.new:
        parts.append(
            ngettext("%(n)d new request", "%(n)d new requests", taken.new) % {"n": taken.new}
        )
    if taken.answers:
        parts.append(
            ngettext("%(n)d answer", "%(n)d answers", taken.answers) % {"n": taken.answers}
        )
    lines = [_("{what} from mail").format(what=", ".join(parts))]
    for what, name, platform in taken.found[:NAMES_SHOWN]:
        shown = for_terminal(name, cap=60)
        where = platform_label(platform)
        if what == "new":
            lines.append(_("New request: {name} ({platform})").format(name=shown, platform=where))
        else:
            lines.append(_("Answer from {name} ({platform})").format(name=shown, platform=where))
    if len(taken.found) > NAMES_SHOWN:
        more = len(taken.found) - NAMES_SHOWN
        lines.append(_("… and %(n)d more") % {"n": more})
    return "\n".join(lines)


def started_line(count: int, mode: str, interval: float) -> str:
    """ "Watching 2 mailboxes for new mail (inotify)." """
    return ngettext(
        "Watching {count} mailbox for new mail ({how}).",
        "Watching {count} mailboxes for new mail ({how}).",
        count,
    ).format(count=count, how=watch_mode(mode, interval))


def problem_lines(taken: Taken) -> list[str]:
    """One line per mail or mailbox that could not be read, and per mail skipped."""
    lines = [_("Watching mail: {problem}").format(problem=problem) for problem in taken.problems]
    lines += [
        _("Watching mail: skipped {source}: {reason}").format(
            source=record.source, reason=_(record.reason)
        )
        for record in taken.skipped[:NAMES_SHOWN]
    ]
    if len(taken.skipped) > NAMES_SHOWN:
        more = len(taken.skipped) - NAMES_SHOWN
        lines.append(_("Watching mail: … and %(n)d more skipped") % {"n": more})
    return lines


class MailWatcher:
    """A thread that watches `paths` and applies their new mail to the store at `path`;
    `post` hands each `MailArrived` to the screen (from the thread: it must be thread-safe,
    as Textual's `post_message` is)."""

    def __init__(
        self,
        path: Path,
        config: Config,
        clock: Callable[[], datetime],
        paths: list[Path],
        post: Callable[[MailArrived], object],
        *,
        interval: float | None = None,
    ) -> None:
        self.path, self.config, self.clock = path, config, clock
        self.paths = list(dict.fromkeys(paths))
        self.interval = interval if interval is not None else config.watch.interval
        self._post = post
        self._stop = threading.Event()
        self._waiter: Poller | None = None  # made by the thread; `interrupt` wakes it
        self._woken = False  # `wake` came before the waiter was made
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._waiting = False  # said that the store cannot be written (said once)
        self.looks = 0
        """Looks taken so far (tests wait for one)."""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is None and self.paths:
            self._thread = threading.Thread(target=self._run, name="netinbox-watch", daemon=True)
            self._thread.start()

    @property
    def mode(self) -> str | None:
        """How the thread waits for mail (`netinbox.watching.WAIT_MODES`), once it runs."""
        waiter = self._waiter
        return waiter.mode if waiter is not None else None

    def stop(self, wait: float = 5.0) -> None:
        """Stop looking; wait up to `wait` seconds for a write under way to finish."""
        self._stop.set()
        self.wake()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def wake(self) -> None:
        """Look now (tests; a user's "check mail now" could use it)."""
        with self._lock:
            if self._waiter is None:
                self._woken = True
            else:
                self._waiter.interrupt()

    # --- the thread ------------------------------------------------------------------------

    def _send(self, message: MailArrived) -> None:
        try:
            self._post(message)
        except RuntimeError:  # the app's loop is closed: it is quitting
            self._stop.set()

    def _run(self) -> None:
        waiting_for = list(self.paths)  # not there yet: watched from when they appear
        look = Watch([])
        made = waiter(self.interval, self.paths)
        with self._lock:
            self._waiter = made
            if self._woken:
                made.interrupt()
        news = is_news(self.paths, made.mode, self.interval)
        self._send(MailArrived(started=made.mode, news=news))
        settled: set[Path] = set()
        try:
            while not self._stop.is_set():
                problems = self._add_new(look, waiting_for)
                problems += [
                    _(
                        "Watching mail: {path}: gone; its mail is read again when it is back."
                    ).format(path=box.path)
                    for box in look.vanished()
                ]
                if problems:
                    self._send(MailArrived(problems=problems))
                for box in look.look(settled):
                    if self._stop.is_set():
                        break
                    self._take(box)
                self.looks += 1
                if self._stop.is_set():
                    break
                settled = made.wait(look.pause(made))
        except Stopped:
            pass
        finally:
            with self._lock:
                self._waiter = None
                made.close()
            if self._store is not None:
                self._store.close()
                self._store = None

    def _add_new(self, look: Watch, waiting_for: list[Path]) -> list[str]:
        """Start watching the paths that have appeared; a path that is no mailbox is said
        once and left alone."""
        problems: list[str] = []
        for path in list(waiting_for):
            if not path.exists():
                continue
            waiting_for.remove(path)
            try:
                look.boxes.append(mailbox(path))
            except BadInput as error:
                problems.append(_("Watching mail: {problem}").format(problem=error))
        return problems

    def _take(self, box: Mailbox) -> None:
        try:
            if self._store is None:
                self._store = Store(self.path, config=self.config, clock=self.clock)
            taken = take(box, self._store, stop=self._stop.is_set)
        except (StoreError, sqlite3.Error) as error:
            # Busy (another program writes), damaged, the disk full: the mailbox stays
            # changed and is read again at the next look; said once until a write works.
            if self._store is not None:
                self._store.close()
                self._store = None
            if not self._waiting:
                self._waiting = True
                self._send(
                    MailArrived(
                        problems=[
                            _("New mail is not imported yet: {problem}").format(
                                problem=for_terminal(str(error))
                            )
                        ]
                    )
                )
            return
        self._waiting = False
        if taken.found or taken.problems or taken.skipped:
            self._send(MailArrived(taken, problem_lines(taken)))
