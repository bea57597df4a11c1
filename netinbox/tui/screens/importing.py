"""Importing files from the app: a path, a progress bar, and one clear message on failure.

The import runs in a thread with its own store connection (SQLite connections are not
shared across threads); the store's write helper makes it all-or-nothing. A file that
cannot be read leaves the dialog open with the file, line and problem, so the user can
fix the path and try again.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from time import monotonic
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from netinbox.i18n import N_, _
from netinbox.importing import ImportSummary, run_import
from netinbox.store import Store
from netinbox.text import for_terminal
from netinbox.tui.actions import bindings
from netinbox.tui.screens.dialog_base import Dialog

PROGRESS_EVERY = 0.05  # seconds between progress-bar updates from the worker
MESSAGE_CAP = 600


class ImportCancelled(Exception):
    """Raised inside the worker when the user cancels; the transaction rolls back."""


class PathProblem(ValueError):
    """The path box names nothing importable; the message says which path and why."""


def split_paths(text: str) -> list[Path]:
    """The paths in the box: one path (spaces and all) if it exists, else shell-style words.

    `~` is expanded. Raises PathProblem for an empty box, an unbalanced quote or a path
    that does not exist.
    """
    value = text.strip()
    if not value:
        raise PathProblem(_("Type the path of a file to import (several: separate with spaces)."))
    whole = Path(value).expanduser()
    if whole.exists():
        return [whole]
    try:
        words = shlex.split(value)
    except ValueError:
        raise PathProblem(_("A quote is not closed in the path.")) from None
    paths = [Path(word).expanduser() for word in words]
    for path in paths:
        if not path.exists():
            raise PathProblem(_("%(path)s: no such file or folder.") % {"path": path})
    return paths


def describe_error(error: BaseException) -> str:
    """One line for the user: file, line and problem where the error knows them."""
    from netinbox.db import StoreError
    from netinbox.importers.base import BadInput

    if isinstance(error, BadInput | StoreError | PathProblem):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    if isinstance(error, ImportError):
        return _("Importing is not available in this build (%(error)s).") % {"error": error}
    return _("The import failed: %(error)s") % {"error": f"{type(error).__name__}: {error}"}


class PathSuggester(Suggester):
    """Completes the path being typed from the files and folders that exist (→ takes it).

    A folder is completed with its slash; hidden entries only once a dot is typed.
    """

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # the disk changes

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(("'", '"')) or "\n" in value:
            return None
        return complete_path(value)


def complete_path(value: str) -> str | None:
    """`value` with the rest of the first existing entry it starts, or None."""
    typed = Path(value).expanduser()
    folder, start = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
    try:
        names = sorted(
            entry.name + (os.sep if entry.is_dir() else "")
            for entry in os.scandir(folder)
            if entry.name.startswith(start)
            and (start.startswith(".") or not entry.name.startswith("."))
        )
    except OSError:
        return None
    for name in names:
        if name != start:
            return value + name[len(start) :]
    return None


class ImportDialog(Dialog[ImportSummary | None]):
    """Import one or more files into the store; dismisses with the summary."""

    TITLE_TEXT = N_("Import")
    BINDINGS: ClassVar[list[BindingType]] = bindings("import")

    def __init__(self, store: Store, initial_path: str = "") -> None:
        super().__init__()
        self.store = store
        self.initial_path = initial_path
        self._worker: Worker[ImportSummary] | None = None

    def compose(self) -> ComposeResult:
        yield self.box(
            Static(
                Content(
                    _(
                        "A LinkedIn export (.zip or Invitations.csv), notification e-mails "
                        "(.eml, .mbox, Maildir), vCards or a generic CSV/JSON."
                    )
                ),
                classes="note",
            ),
            Input(
                self.initial_path,
                id="path",
                placeholder="~/Downloads/Basic_LinkedInDataExport.zip",
                suggester=PathSuggester(),
                select_on_focus=False,  # shift+tab back must not make the next key erase it
            ),
            Checkbox(_("Dry run: count only, change nothing"), id="dry-run"),
            ProgressBar(id="progress", show_eta=False),
            Static(id="error", classes="message"),
            self.buttons(
                Button(_("Import"), id="start", variant="primary"),
                Button(_("Cancel"), id="cancel"),
            ),
            self.hint(
                ("→", _("complete")),
                ("enter", _("import")),
                (self.key("dialog.cancel"), _("cancel")),
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#path", Input).focus()

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def _show_error(self, message: str) -> None:
        self.say("#error", for_terminal(message, cap=MESSAGE_CAP))

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#progress").display = busy
        for selector in ("#path", "#dry-run", "#start"):
            self.query_one(selector).disabled = busy
        if not busy:
            self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.running or self._finished:
            return
        try:
            paths = split_paths(self.query_one("#path", Input).value)
        except PathProblem as problem:
            self._show_error(str(problem))
            return
        self._show_error("")
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=None, progress=0)
        self._set_busy(True)
        self._worker = self._import(paths, self.query_one("#dry-run", Checkbox).value)

    def action_cancel(self) -> None:
        if self.running and self._worker is not None:
            self._worker.cancel()  # the worker stops at its next read and rolls back
        super().action_cancel()

    # --- the worker -----------------------------------------------------------------------

    def _progress(self, total: int | None, done: int) -> None:
        bar = self.query_one_optional("#progress", ProgressBar)
        if bar is not None:  # None once the dialog is gone
            bar.update(total=total, progress=done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, paths: list[Path], dry_run: bool) -> ImportSummary:
        from netinbox.importers import total_bytes

        worker = get_current_worker()
        total = total_bytes(paths) or None
        done = 0
        last = 0.0

        def advance(nbytes: int) -> None:
            nonlocal done, last
            if worker.is_cancelled:
                raise ImportCancelled
            done += nbytes
            now = monotonic()
            if now - last >= PROGRESS_EVERY:
                last = now
                self.app.call_from_thread(self._progress, total, done)

        # The same import as `netinbox import`: the configured time zone, the notes on
        # how each file was read. Its own connection: this is another thread.
        store = Store(self.store.path, config=self.store.config, clock=self.store.clock)
        try:
            summary = run_import(store, paths, dry_run=dry_run, undoable=True, advance=advance)
        finally:
            store.close()
        self.app.call_from_thread(self._progress, total, total or done)
        return summary

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._worker:
            return
        if event.state == WorkerState.SUCCESS:
            summary = event.worker.result
            if summary is not None:
                self.finish(summary)
        elif event.state == WorkerState.ERROR:
            self._set_busy(False)
            error = event.worker.error
            self._show_error(
                describe_error(error) if error is not None else _("The import failed.")
            )
        elif event.state == WorkerState.CANCELLED and not self._finished:
            self._set_busy(False)
