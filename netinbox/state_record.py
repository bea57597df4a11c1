"""Small JSON records netinbox keeps in the user's state folder (stores that passed their
check, the ways mailboxes were last watched): written whole or not at all.

A record is a cache of something netinbox can find out again, so a folder that cannot be
written loses nothing but the saving; `save` says whether it was kept.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def save(target: Path, data: object) -> bool:
    """Write `data` as JSON to `target` by way of a private file beside it, renamed over it
    (a reader sees the old record or the new, never half of one); the folder is made
    private (0700) if it is new. False if it could not be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(name, target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
