"""Run a command and report its peak resident memory: `python -m benchmarks.peak CMD…`.

A child's `ru_maxrss` counts the memory of the process it was started from (Linux keeps
the high-water mark across `exec`, and `subprocess` starts children with `vfork`): read
from the benchmark's own process it would be the benchmark's size. This small process
starts the command instead and prints `peak-kb <ru_maxrss>` as the last line of stderr;
its own size (~10 MB) is below anything measured with it. The exit code is the command's.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main(argv: list[str]) -> int:
    child = subprocess.Popen(argv)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    print(f"peak-kb {usage.ru_maxrss}", file=sys.stderr, flush=True)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
