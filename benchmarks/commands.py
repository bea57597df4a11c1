"""The command-line figures: `netinbox import` against a fair raw floor, and memory bounds.

Each side is its own process, timed from spawn to exit on this process's clock (so the
store is closed on both sides), its peak resident memory read from the kernel when it
is reaped (`ru_maxrss`, through the small `benchmarks.peak` process: see there). netinbox runs as the user runs it: the installed
`netinbox` command with `--db` on a fresh store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.e2e import ROOT, Samples, netinbox_command


@dataclass
class Ran:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    code: int


def run(argv: list[str], env: dict[str, str], timeout: float) -> Ran:
    """Run a command to its end; kill it after `timeout` seconds (then RuntimeError)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.peak", *argv],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
        )  # fmt: skip
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = -9
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        errors = err.read().decode(errors="replace").rstrip().splitlines()
        peak = errors.pop().split() if errors and errors[-1].startswith("peak-kb ") else []
        ran = Ran(
            seconds,
            int(peak[1]) / 1024 if peak else 0.0,
            out.read().decode(errors="replace"),
            "\n".join(errors),
            code,
        )
    if seconds >= timeout:
        raise RuntimeError(f"did not finish in {timeout:g} s: {' '.join(argv[-3:])}")
    if ran.code != 0:
        tail = (ran.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RuntimeError(f"exit {ran.code}: {tail[:200]}")
    return ran


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def netinbox_import(source: Path, folder: Path, env: dict[str, str], timeout: float) -> Ran:
    db = fresh(folder / "import-netinbox.db")
    return run([*netinbox_command(), "import", "--db", str(db), str(source)], env, timeout)


def floor_import(source: Path, folder: Path, env: dict[str, str], timeout: float) -> Ran:
    db = fresh(folder / "import-floor.db")
    argv = [sys.executable, "-m", "benchmarks.import_floor", str(source), str(db)]
    return run(argv, env, timeout)


def export(store: Path, kind: str, folder: Path, env: dict[str, str], timeout: float) -> Ran:
    target = folder / f"export.{kind}"
    target.unlink(missing_ok=True)
    argv = [*netinbox_command(), "export", "--db", str(store), "--format", kind, "-o", str(target)]
    return run(argv, env, timeout)


def guarded_run(call: object, samples: Samples) -> Ran | None:
    try:
        return call()  # type: ignore[operator,no-any-return]
    except (RuntimeError, OSError) as error:
        samples.fail(error)
        return None


def stats(store: Path, folder: Path, env: dict[str, str], timeout: float) -> Ran:
    """`netinbox stats` of the last 12 months, as a person runs it (output to a pipe)."""
    return run([*netinbox_command(), "stats", "--db", str(store)], env, timeout)


def stats_floor(store: Path, folder: Path, env: dict[str, str], timeout: float) -> Ran:
    return run([sys.executable, "-m", "benchmarks.stats_floor", str(store)], env, timeout)
