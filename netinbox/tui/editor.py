"""Editing a draft in the user's `$EDITOR`, through a private temporary file."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from textual.app import App

from netinbox.i18n import _


class EditorError(Exception):
    """The editor could not be started or its file not read back; the message says why."""


def editor_command() -> list[str]:
    """`$VISUAL`, else `$EDITOR`, else the first of nano, vi found on the PATH."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise EditorError(_("No editor found: set $EDITOR."))


def edit_text(app: App[object], text: str) -> str:
    """Suspend the app, let the user edit `text`, and return the result.

    The file lives in a fresh 0700 directory, is created 0600 by `mkstemp`, and is
    removed afterwards whatever happens.
    """
    command = editor_command()
    folder = tempfile.mkdtemp(prefix="netinbox-")
    try:
        handle, name = tempfile.mkstemp(suffix=".txt", dir=folder)
        path = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        with app.suspend():
            try:
                status = subprocess.call([*command, str(path)])
            except OSError as error:
                raise EditorError(
                    _("Could not start %(editor)s: %(error)s")
                    % {"editor": command[0], "error": error.strerror}
                ) from None
        if status != 0:
            raise EditorError(
                _("%(editor)s exited with status %(status)s; the draft is unchanged.")
                % {"editor": command[0], "status": status}
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EditorError(
                _("Could not read the edited text back: %(error)s") % {"error": error}
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
