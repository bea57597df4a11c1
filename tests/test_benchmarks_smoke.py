"""The benchmark harness at a tiny size, so it cannot rot. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_lists_all_six_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "200", "--repeat", "1"]
        + ["--keys", "2", "--settle", "0", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    rows = report["rows"]
    assert {row["group"] for row in rows} == {1, 2, 3, 4, 5, 6}
    assert {row["group_name"] for row in rows} == {
        "start",
        "keypress",
        "search",
        "import",
        "mbox scan",
        "memory",
    }
    for row in rows:  # the floors are the harness's own: they must always run
        assert row["floor"] is not None, row
        assert row["goal"]["text"] and row["met"] in (True, False, None)
    assert report["meta"]["size"] == 200


def test_benchmark_prints_a_table_from_a_file_path() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--size", "50", "--repeat", "1", "--only", "search"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0]
    for column in ("figure", "netinbox", "floor", "ratio", "goal", "met"):
        assert column in header
    assert "3. search as you type: rare" in done.stdout
