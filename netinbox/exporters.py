"""Exports: JSON (data, unaltered) and CSV for spreadsheets (formula triggers neutralised).

Read inside one read transaction, so an export is a consistent snapshot even while the
app writes (D-4); files are written atomically and privately (D-3).
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from netinbox.store import Store
from netinbox.text import for_terminal

CSV_COLUMNS = (
    "id", "platform", "direction", "type", "name", "headline", "company", "profile_url",
    "message", "received_at", "status", "flags", "decided_at", "decision_note", "asked_at",
    "due_at", "answered_at", "answer", "owed_at", "owed_question", "reason_sent_at",
)  # fmt: skip
"""`direction`: incoming (sent to you) or outgoing (sent by you; then `received_at` is
when you sent it, and `status` is new while pending, accepted, or withdrawn); `type`: what
the invitation is for (person, page, newsletter, event, group); `asked_at` … `answer`:
your follow-up to a request you received and its answer; `owed_at`/`owed_question`: the
question about your own request that you have not answered yet; `reason_sent_at`: when you
followed up on your own request with the reason it lacked (nobody was asked anything)."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CWE-1236, docs/reliability.md D-1)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def iter_requests(store: Store | None) -> Iterator[dict[str, Any]]:
    """Every request with its person and follow-ups, oldest first, in one snapshot
    (`Store.all_requests`); none when there is no store yet."""
    if store is None:  # no store yet: nothing to export
        return
    yield from store.all_requests()


# Characters JSON leaves as they are but a terminal acts on or hides: C1 controls, DEL,
# bidi and other format characters, line and paragraph separators, lone surrogates.
_UNSAFE_IN_JSON = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def dumps(value: Any) -> str:
    """JSON as `json.dumps(ensure_ascii=False, indent=2)`, with every character a terminal
    would act on written as a `\\uXXXX` escape: the same data, safe to print."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(store: Store | None, out: TextIO) -> None:
    """The export as one JSON array, written one request at a time."""
    out.write("[")
    first = True
    for item in iter_requests(store):
        out.write("\n" if first else ",\n")
        first = False
        out.write(textwrap.indent(dumps(item), "  "))
    out.write("\n]\n" if not first else "]\n")


def write_csv(
    store: Store | None, out: TextIO, *, delimiter: str = ",", terminal: bool = False
) -> None:
    """One row per request for Excel: UTF-8 with BOM, every text cell neutralised.

    `terminal`: the rows are shown, not saved; no BOM, and each cell made visible text.
    """
    if not terminal:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if not terminal else "\n")
    writer.writerow(CSV_COLUMNS)
    for item in iter_requests(store):
        last = item["follow_ups"][-1] if item["follow_ups"] else {}
        mine = item["direction"] == "outgoing"  # its follow-up gave the user's reason
        asked = {} if mine else last
        values = {
            **item,
            "flags": " ".join(item["flags"]),
            "asked_at": asked.get("sent_at"),
            "due_at": asked.get("due_at"),
            "answered_at": asked.get("answered_at"),
            "answer": asked.get("answer"),
            "reason_sent_at": last.get("sent_at") if mine else None,
        }
        cells = [neutralise(str(values[c])) if values[c] is not None else "" for c in CSV_COLUMNS]
        if terminal:
            cells = [for_terminal(cell, one_line=False) for cell in cells]
        writer.writerow(cells)


def write_private(path: Path, content: str | Callable[[TextIO], None]) -> None:
    """Write atomically: a 0600 temp file in the same folder, fsync, rename, fsync the
    folder. `content` is the text, or a function that writes it (streamed). If anything
    fails (a full disk), no partial file is left."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(path)  # name the file the user asked for, not the temp one
        raise
