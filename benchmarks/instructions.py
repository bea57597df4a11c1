"""Instructions from launch to the first frame, netinbox against the bare app: a figure that
does not move with the load on the machine (a development aid, not one of the figures).

    python -m benchmarks.instructions [--db STORE] [--language de] [--runs 3]

Each side runs under `valgrind --tool=callgrind` on the same pseudo-terminal as the
end-to-end figures (`terminal.py`, which answers the terminal's queries), and stops right
after its first frame is handed to the terminal (`first_frame.py`): netinbox through its
script's own code (`netinbox.launch.main`, `--db STORE`), the floor as figure 1's bare app
(one `Static`). It prints the main thread's instructions, each run and the median:
callgrind counts the same for the same code and input whatever else the machine does
(a worker thread's, e.g. the store's integrity check, is left out: under valgrind's
slowdown a timer fires long before the first frame that never does so in a real start).
About 10 s a run. Without `--db` it makes the 100,000-request store in a folder of its own
first (`--workdir`, kept for the next time).

At 2026-12-08 (commit d6ab775): netinbox 1,158 M, the bare app 918 M (1.26×); the
end-to-end start figure was 1.20–1.25× then.
"""

from __future__ import annotations

import argparse
import glob
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.terminal import Exited, Terminal  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR_TEXT = "Hello from the floor"


def main_thread_instructions(argv: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run `argv` (a Python program's arguments) under callgrind on a pseudo-terminal
    until it exits; returns the instructions of its main thread."""
    with tempfile.TemporaryDirectory(prefix="netinbox-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "-q", "--separate-threads=yes",
            f"--callgrind-out-file={out}", sys.executable, str(HERE / "first_frame.py"), *argv,
        ]  # fmt: skip
        term = Terminal(command, env, cwd=cwd)
        try:
            term.wait(lambda _term: False, 600, "the first frame, under valgrind")
        except Exited:
            pass
        finally:
            term.close(quit_keys=None)
        files = sorted(glob.glob(f"{out}-*"))
        if not files:
            raise RuntimeError(f"valgrind wrote nothing (screen: {term.glimpse()})")
        text = Path(files[0]).read_text(encoding="utf-8", errors="replace")  # thread 1
        found = re.search(r"^summary: (\d+)", text, re.M)
        if found is None:
            raise RuntimeError(f"no summary in {files[0]}")
        return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the store to open (a copy is used)")
    parser.add_argument("--workdir", type=Path, help="where to make and keep the store")
    parser.add_argument("--size", type=int, default=100_000, help="requests (100,000)")
    parser.add_argument("--language", choices=("en", "de"), default="en")
    parser.add_argument("--runs", type=int, default=3, help="runs per side (3)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt install valgrind)", file=sys.stderr)
        return 2

    from benchmarks.e2e import child_env, compile_bytecode

    folder = args.workdir or Path(tempfile.gettempdir()) / f"netinbox-instructions-{args.size}"
    folder.mkdir(parents=True, exist_ok=True)
    store = args.db
    if store is None:
        from benchmarks.data import generate

        print(f"the store of {args.size:,} requests in {folder} …", file=sys.stderr)
        store = generate(folder, args.size, parts=["store"], reuse=True).store
    copy = folder / "instructions-store.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(store, copy)
    compile_bytecode()
    env = {**child_env(folder, args.language), "PYTHONHASHSEED": "0"}
    sides = {
        "netinbox": (["netinbox", "--db", str(copy)], folder),
        "bare app": (["bare", FLOOR_TEXT], ROOT),
    }
    counts: dict[str, list[int]] = {name: [] for name in sides}
    for _ in range(args.runs):
        for name, (side, cwd) in sides.items():
            counts[name].append(main_thread_instructions(side, env, cwd))
            print(f"{name:9s} {counts[name][-1] / 1e6:8.1f} M", file=sys.stderr, flush=True)
    mine, floor = (statistics.median(counts[name]) for name in sides)
    print(
        f"launch → first frame, main thread, median of {args.runs}: netinbox {mine / 1e6:,.0f} M,"
        f" the bare app {floor / 1e6:,.0f} M: {mine / floor:.2f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
