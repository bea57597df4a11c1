"""The benchmark harness at a tiny size, so it cannot rot. No timing is asserted.

Every figure must produce its rows, every floor (the harness's own) must have run, and
every netinbox step must have settled: a step that did not is a broken harness here (at
300 requests nothing takes seconds), or a broken app.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ["--size", "400", "--repeat", "1", "--rounds", "1", "--json"]


def _run(*args: str, timeout: float = 240) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", *TINY, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def _check(rows: list[dict[str, object]]) -> None:
    for row in rows:
        assert not str(row["note"]).startswith("harness failed"), row
        assert not row["unsettled"], row
        assert row["floor"]["n"], row  # type: ignore[index]
        assert row["goal"]["text"] and row["met"] in (True, False, None)  # type: ignore[index]


def test_the_real_app_in_a_terminal_gives_every_end_to_end_figure() -> None:
    report = _run("--only", "start,keys,views,search", "--search-repeat", "1",
                  "--search-views", "7")  # fmt: skip
    rows = report["rows"]
    assert isinstance(rows, list)
    _check(rows)
    figures = {(row["group_name"], row["figure"].split(" →")[0]) for row in rows}
    assert ("start", "launch") in figures
    assert {name for group, name in figures if group == "keys"} >= {
        "↓ within the screen", "page down", "G, to the last row", "g, to the first row",
    }  # fmt: skip
    assert {row["figure"] for row in rows if row["group_name"] == "views"} == {
        "first visit of a view since launch", "revisit of a view",
    }  # fmt: skip
    searched = [row for row in rows if row["group_name"] == "search"]
    assert [row["figure"].split(" (")[0] for row in searched] == [
        "All, rare 'Quellenhöfer'", "All, common 'Manager'",
    ]  # fmt: skip
    for row in rows:  # the start, each kind of key, and each search was timed
        assert row["netinbox"]["n"], row
    assert report["meta"]["size"] == 400  # type: ignore[index]


def test_the_command_line_and_search_plan_figures_and_a_readable_table() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--size", "300", "--repeat", "1", "--rounds",
         "1", "--import-rounds", "1", "--only", "plan,import,mbox,memory"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("netinbox benchmark, ") and "300 requests" in lines[0]
    header = next(line for line in lines if line.startswith("figure"))
    for column in ("netinbox", "floor", "ratio", "goal", "met"):
        assert column in header
    for section in ("5. search plan", "6. import", "7. mbox", "8. memory"):
        assert any(line.strip().startswith(section) for line in lines), section
    assert "notes:" not in lines, done.stdout  # no step failed, nothing was missing
    assert "n/a" not in "".join(line for line in lines if "import 300" in line)
