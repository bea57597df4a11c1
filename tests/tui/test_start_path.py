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
