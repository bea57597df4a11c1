"""Figures 1 and 6: whole-process start-up to the first page, and peak memory.

Each run spawns a fresh `benchmarks.start_child` (netinbox and the bare app alternately)
and measures on this process's clock from just before the spawn to the child's `frame`
signal; the same child then reports its peak RSS after settling.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.data import Dataset
from benchmarks.report import Goal, Row, median
from benchmarks.runner import alternate

ROOT = Path(__file__).resolve().parent.parent
FLOOR_TEXT = "netinbox benchmark floor"
NAME_CHARS = 12  # enough to be sure, short enough to survive a narrow name column
TIMEOUT = 120.0


@dataclass(frozen=True)
class Launch:
    seconds: float  # spawn → first frame showing the first page
    peak_rss_mb: float


def first_page_names(db: Path) -> list[str]:
    """The top names of every view: the app opens on one of them."""
    from netinbox.query import Query, View
    from netinbox.store import Store

    with Store(db) as store:
        names = {row.name[:NAME_CHARS] for view in View for row in store.rows(Query(view), 0, 3)}
    return sorted(names)


def child_env(folder: Path) -> dict[str, str]:
    """This environment, minus anything that changes how netinbox or textual start."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "NETINBOX")) and k not in ("COLUMNS", "LINES")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # no user config file
    env["XDG_DATA_HOME"] = str(folder / "data")
    return env


def launch(kind: str, db: Path, texts: list[str], settle: float, env: dict[str, str]) -> Launch:
    read_fd, write_fd = os.pipe()
    command = [sys.executable, "-m", "benchmarks.start_child", kind, str(write_fd), str(settle)]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [*command, str(db), *texts],
            pass_fds=(write_fd,),
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        os.close(write_fd)
        try:
            shown, lines = _read_signals(read_fd, started)
            child.wait(timeout=TIMEOUT)
        finally:
            os.close(read_fd)
            if child.poll() is None:
                child.kill()
                child.wait()
        errors.seek(0)
        tail = errors.read().decode(errors="replace").strip().splitlines()[-1:]
    rss = [line for line in lines if line.startswith("rss ")]
    if shown is None or not rss:
        raise RuntimeError(f"{kind} showed no first page (exit {child.returncode}): {tail}")
    return Launch(seconds=shown - started, peak_rss_mb=int(rss[0].split()[1]) / 1024)


def _read_signals(fd: int, started: float) -> tuple[float | None, list[str]]:
    """Read the child's lines until it closes the pipe; the time `frame` arrived."""
    shown: float | None = None
    buffer = b""
    while time.perf_counter() - started < TIMEOUT:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if shown is None and b"frame\n" in buffer + chunk:
            shown = time.perf_counter()
        if not chunk:
            break
        buffer += chunk
    return shown, buffer.decode().splitlines()


def compile_bytecode() -> None:
    """Byte-compile netinbox as `pip install` does. Textual's bytecode was written when it
    was installed; netinbox runs from this tree here, and with PYTHONDONTWRITEBYTECODE set
    (as on these machines) it would be compiled afresh on every launch, which no installed
    copy does."""
    import compileall

    compileall.compile_dir(ROOT / "netinbox", quiet=1)


def measure(data: Dataset, repeat: int, settle: float) -> list[Row]:
    compile_bytecode()
    env = child_env(data.folder)
    try:
        names = first_page_names(data.store)
    except Exception:
        names = []  # the netinbox side will fail and say why
    sides = alternate(
        repeat,
        lambda: launch("netinbox", data.store, names, settle, env),
        lambda: launch("bare", data.store, [FLOOR_TEXT], settle, env),
    )
    note = sides.note()

    def row(
        group: int, figure: str, unit: str, goal: Goal, value: Callable[[Launch], float]
    ) -> Row:
        netinbox = [value(launched) for launched in sides.netinbox]
        floor = [value(launched) for launched in sides.floor]
        return Row(
            group=group,
            figure=figure,
            unit=unit,
            goal=goal,
            netinbox=median(netinbox),
            floor=median(floor),
            note=note,
            samples={"netinbox": netinbox, "floor": floor},
        )

    start = row(
        1,
        "start: launch → first page",
        "s",
        Goal("ratio_max", 1.3, "≤ 1.3×"),
        lambda launched: launched.seconds,
    )
    memory = row(
        6,
        "memory: peak RSS",
        "MB",
        Goal("delta_max", 60.0, "≤ +60 MB"),
        lambda launched: launched.peak_rss_mb,
    )
    return [start, memory]
