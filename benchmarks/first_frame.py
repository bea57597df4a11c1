"""Run netinbox (its script's code) or figure 1's bare app, and end the process right after
its first frame is handed to the terminal: what `instructions.py` counts.

    python benchmarks/first_frame.py netinbox ARGS…   netinbox.launch.main with ARGS
    python benchmarks/first_frame.py bare TEXT         the bare app showing TEXT
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import textual.app
from textual._compositor import CompositorUpdate

_display = textual.app.App._display


def _display_then_end(self: textual.app.App[Any], screen: Any, renderable: Any) -> None:
    _display(self, screen, renderable)
    if isinstance(renderable, CompositorUpdate):
        os._exit(0)  # the first frame is written: nothing after it is counted


textual.app.App._display = _display_then_end  # type: ignore[method-assign]

if __name__ == "__main__":
    kind, *arguments = sys.argv[1:]
    if kind == "bare":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from benchmarks.bare import main as bare

        bare(["static", *arguments])
    else:
        from netinbox.launch import main

        sys.argv = ["netinbox", *arguments]
        main()
