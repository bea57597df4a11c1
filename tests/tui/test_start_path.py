"""The app's start-up path stays light: what the first frame does not need is not imported.

Speed itself is measured by `benchmarks/` (figure 1), never here; this only guards the
imports that made the first frame slow (pydantic, TOML, the TextArea) from coming back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from netinbox.store import Store
from tests.conftest import ROOT

PROBE = """
import json, sys
import netinbox.cli, netinbox.tui.app
from netinbox.config import load_config
load_config()
print(json.dumps(sorted(sys.modules)))
"""


def test_opening_the_app_imports_no_pydantic_toml_or_text_area(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NETINBOX_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert "netinbox.tui.screens.main" in loaded  # the probe did load the app
    assert not {"pydantic", "tomllib", "netinbox.models", "netinbox.config_file"} & loaded
    assert not {"textual.widgets._text_area", "netinbox.tui.review"} & loaded
    assert "netinbox.templates" not in loaded  # made when a draft first needs one


def test_a_config_file_that_passed_before_is_read_without_pydantic(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('my_name = "Mira"\nlanguage = "de"\n', encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NETINBOX_CONFIG": str(config),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    probe = PROBE.replace("load_config()", "assert load_config().my_name == 'Mira'")
    loaded = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        loaded.append(set(json.loads(done.stdout)))
    assert "pydantic" in loaded[0]  # validated the first time
    assert not {"pydantic", "tomllib", "netinbox.config_file"} & loaded[1]
    assert "netinbox.templates" not in loaded[1]  # a file without templates checks none


FIRST_SCREEN = """
import asyncio, json, sys
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp

async def main(path: str) -> None:
    app = NetInboxApp(Store(path))
    async with app.run_test(size=(120, 40)):
        shown = app.main.detail
        assert shown is not None and shown.person.name == "Kim Krause", shown
        print(json.dumps(sorted(sys.modules)))

asyncio.run(main(sys.argv[1]))
"""


def test_the_first_screen_with_its_profile_and_draft_needs_no_pydantic_or_editor(
    tmp_path: Path, rec: Any
) -> None:
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.add_request(rec("Kim Krause"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NETINBOX_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(path)],
        capture_output=True, text=True, env=env, check=True, cwd=tmp_path,
    )  # fmt: skip
    loaded = set(json.loads(done.stdout))
    assert not {"pydantic", "netinbox.models", "textual.widgets._text_area"} & loaded
    assert "netinbox.templates" not in loaded  # the first row has no draft
