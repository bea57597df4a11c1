"""The benchmark harness at a tiny size, so it cannot rot. No timing is asserted.

One run of every figure: each must give its rows, every floor (the harness's own) must
have run, and every netinbox step must have settled (at 400 requests nothing takes
seconds: a step that did not is a broken harness, or a broken app).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TINY = ["--size", "400", "--repeat", "1", "--rounds", "1", "--import-rounds", "1"]
TINY += ["--search-repeat", "1", "--search-views", "7"]


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_every_figure_runs_end_to_end_and_prints_a_readable_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", *TINY, "--json"],  # as a file: no shadowing
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    rows = report["rows"]
    for row in rows:
        assert not row["note"].startswith("harness failed"), row
        assert not row["unsettled"], row
        relative = {"ratio_max", "ratio_min", "delta_max"} & set(row["goal"])
        assert row["floor"]["n"] or not relative, row  # a ratio needs its floor
        assert row["netinbox"]["n"], row  # every kind of step was timed
        assert row["goal"]["text"] and row["met"] in (True, False, None)
    groups = {row["group_name"] for row in rows}
    assert groups == {
        "start", "keys", "views", "search", "plan", "import", "mbox", "memory", "stats"
    }  # fmt: skip
    stats = [row["figure"] for row in rows if row["group_name"] == "stats"]
    assert stats[0] == "S → the summary with its exact count and the charts"
    assert len(stats) == 3
    figures = [row["figure"] for row in rows]
    assert "launch → first page, first row's profile and draft pane" in figures
    for key in ("↓ within the screen", "page down", "G, to the last row", "held ↓"):
        assert any(figure.startswith(key) for figure in figures), key
    assert {"first visit of a view since launch", "revisit of a view"} <= set(figures)
    searched = [row["figure"].split(" (")[0] for row in rows if row["group_name"] == "search"]
    assert searched == [
        "`/`, then the first letter at once → the letter in the search box",
        "All, rare 'Quellenhöfer'",
        "All, common 'Manager'",
    ]
    for row in rows:
        if row["group_name"] == "search" and "debounce" in row["figure"]:
            assert row["alone"]["n"], row  # the floor is the bare app; the SQL alone is told
    assert report["meta"]["size"] == 400

    saved = tmp_path / "run.json"
    saved.write_text(done.stdout, encoding="utf-8")
    shown = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--table", str(saved)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("netinbox benchmark, ") and "400 requests" in lines[0]
    header = next(line for line in lines if line.startswith("figure"))
    for column in ("netinbox", "floor", "ratio", "goal", "met"):
        assert column in header
    for section in ("1. start", "2. cursor keys", "4. search", "6. import", "8. memory"):
        assert any(line.strip().startswith(section) for line in lines), section


def test_in_german_the_harness_reads_the_app_s_german_words(tmp_path: Path) -> None:
    from benchmarks.e2e import child_env
    from benchmarks.expect import words

    english, german = words("en"), words("de")
    assert (english.profile, english.draft, english.no_draft) == (
        "Profile",
        "Draft",
        "No draft yet",
    )
    assert german.profile == "Profil" and german.draft == "Entwurf"
    assert german.no_draft and german.no_draft != english.no_draft
    env = child_env(tmp_path, "de")  # the app reads its language from its config file
    config = Path(env["XDG_CONFIG_HOME"]) / "netinbox" / "config.toml"
    assert config.read_text(encoding="utf-8") == 'language = "de"\n'
    assert not (Path(child_env(tmp_path)["XDG_CONFIG_HOME"]) / "netinbox").exists()
    assert words("en") == english  # reading German words left the language as it was


@pytest.mark.slow  # (runs in CI: .ci/run)
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_the_instruction_count_of_the_start_runs_both_sides(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.instructions", "--size", "400", "--runs", "1",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = re.search(r"netinbox ([\d,]+) M, the bare app ([\d,]+) M: ([\d.]+)×", done.stdout)
    assert found is not None, done.stdout
    assert all(int(n.replace(",", "")) > 100 for n in found.groups()[:2])  # both ran to a frame
