"""Remembering that a config file passed validation, so an unchanged one is not validated
again: the validating model (pydantic, `netinbox.config_file`) costs the app's start ~100 ms
to import, paid before the first screen by everyone who has a config file.

A file is the one that passed when its whole text is what it was then and the model that
judged it is the same file (its size and modification time: a new version of netinbox
validates again). Then its settings, as validated then, are taken as they are. A file
that fails is never remembered: its error is told on every start, as before.

The record lives in the user's state folder (`platformdirs`), one entry per config path,
beside the store checks of `netinbox.checked`; a folder that cannot be written costs a
validation per start, nothing else.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from platformdirs import user_state_path

#: Config files remembered; the oldest are forgotten first.
KEEP = 8

MODEL = Path(__file__).with_name("config_file.py")
"""The validating model's source: when it changes, every file is validated again."""


def record_path() -> Path:
    return user_state_path("netinbox", appauthor=False) / "valid-config.json"


def _model() -> list[int]:
    try:
        found = os.stat(MODEL)
    except OSError:
        return []
    return [found.st_size, found.st_mtime_ns]


def _entries() -> list[dict[str, Any]]:
    try:
        entries = json.loads(record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def remembered(path: Path, text: str) -> dict[str, Any] | None:
    """The settings validated from this very `text` of `path`, or None."""
    key = str(path.absolute())
    model = _model()
    for entry in _entries():
        if entry.get("path") == key:
            if entry.get("text") == text and entry.get("model") == model and model:
                fields = entry.get("fields")
                return dict(fields) if isinstance(fields, dict) else None
            return None
    return None


def remember(path: Path, text: str, fields: dict[str, Any]) -> None:
    """Note that `text` of `path` validated to `fields` (quietly not, if it cannot be written)."""
    key = str(path.absolute())
    entry = {"path": key, "text": text, "model": _model(), "fields": fields}
    entries = [entry, *(e for e in _entries() if e.get("path") != key)][:KEEP]
    record = record_path()
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=record.parent, prefix=".valid-config-", delete=False
        ) as handle:
            json.dump(entries, handle, ensure_ascii=False)
        os.replace(handle.name, record)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(handle.name)
        except (OSError, NameError):
            pass
