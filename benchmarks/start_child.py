"""The child process of the start-up and memory figures.

    python -m benchmarks.start_child KIND FD SETTLE DB TEXT...

KIND `netinbox` runs the real entry point, `netinbox --db DB` (the CLI opens the store with
its lock and calls `run_app`); KIND `bare` runs a bare `App` with one `Static` showing
TEXT. Both run headless at 120×40 (`App.run` is wrapped to force it). Every frame goes
through `benchmarks.frames.hook_display`; the first frame that paints one of the TEXTs
(for netinbox: a name from the first page of a view) writes `frame` to the pipe FD. The
parent takes the time on its own clock. After SETTLE more seconds the child writes
`rss <VmHWM in kB>` (its peak resident memory so far) and exits.
"""

from __future__ import annotations

import os
import sys
from typing import Any

SIZE = (120, 40)


def peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> None:
    kind, fd_text, settle_text, db, *texts = argv
    fd, settle = int(fd_text), float(settle_text)

    from textual.app import App

    from benchmarks.frames import frame_text, hook_display

    shown = False

    def finish(app: Any) -> None:
        os.write(fd, f"rss {peak_rss_kb()}\n".encode())
        app.exit()

    def on_frame(app: Any, _when: float, update: Any) -> None:
        nonlocal shown
        if shown:
            return
        painted = frame_text(update)
        if any(text in painted for text in texts):
            shown = True
            os.write(fd, b"frame\n")
            app.set_timer(max(settle, 0.001), lambda: finish(app))  # 0 divides by 0

    hook_display(App, on_frame)
    original_run = App.run

    def run_headless(self: App[Any], **kwargs: Any) -> Any:
        kwargs.update(headless=True, size=SIZE)
        return original_run(self, **kwargs)

    App.run = run_headless  # type: ignore[method-assign]

    if kind == "bare":
        from textual.app import ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static(texts[0])

        Bare().run()
        return
    from netinbox.cli import main as netinbox_cli

    netinbox_cli.main(args=["--db", db], prog_name="netinbox")


if __name__ == "__main__":
    main(sys.argv[1:])
