"""Figure 5: scanning the generated mbox, in MB/s, against `grep -c '^From '`.

netinbox: `netinbox.importers.iter_records([mbox], ImportContext())`, fully consumed.
Floor: `grep -c '^From '` on the same file, as a subprocess (its start-up included; it
is ~1 ms against seconds of reading).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from benchmarks.data import Dataset
from benchmarks.report import Goal, Row, median
from benchmarks.runner import alternate


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


def measure(data: Dataset, repeat: int, invitations: int) -> list[Row]:
    megabytes = data.mbox.stat().st_size / 1e6
    sides = alternate(repeat, lambda: netinbox_scan(data.mbox), lambda: grep_scan(data.mbox))
    notes = [sides.note()] if sides.errors else []
    found = {n for _, n in sides.netinbox}
    if found and found != {invitations}:
        notes.append(f"netinbox found {sorted(found)} invitations of {invitations}")
    rate = [megabytes / seconds for seconds, _ in sides.netinbox]
    floor_rate = [megabytes / seconds for seconds, _ in sides.floor]
    return [
        Row(
            group=5,
            figure=f"mbox scan ({megabytes:,.0f} MB, {data.size:,} mails)",
            unit="MB/s",
            goal=Goal("ratio_min", 0.3, "≥ 0.3×"),
            netinbox=median(rate),
            floor=median(floor_rate),
            note="; ".join(notes),
            samples={"netinbox": rate, "floor": floor_rate},
        )
    ]
