"""The mbox figure: scanning the generated mbox, in MB/s, against `grep -c '^From '`.

netinbox: `netinbox.importers.iter_records([mbox], ImportContext())`, fully consumed, in
this process (the scan alone: `netinbox import` would add the writing). Floor: `grep -c
'^From '` on the same file, as a subprocess (its start-up included: ~1 ms).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path


def netinbox_scan(path: Path) -> tuple[float, int]:
    from netinbox.importers import ImportContext, iter_records
    from netinbox.models import RequestRecord

    started = time.perf_counter()
    found = sum(isinstance(r, RequestRecord) for r in iter_records([path], ImportContext()))
    return time.perf_counter() - started, found


def grep_scan(path: Path) -> tuple[float, int]:
    grep = shutil.which("grep")
    if grep is None:
        raise RuntimeError("grep not found")
    started = time.perf_counter()
    done = subprocess.run([grep, "-c", "^From ", str(path)], capture_output=True, check=True)
    return time.perf_counter() - started, int(done.stdout)
