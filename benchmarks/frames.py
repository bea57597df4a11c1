"""What a "frame" is, and how the benchmark sees one (textual 8.2.8).

Textual paints in `Screen._compositor_refresh`: the compositor renders the dirty regions
(`Compositor.render_update`: every visible widget's `render_line`s, eagerly) and hands the
result, a `LayoutUpdate` or `ChopsUpdate`, to `App._display(screen, update)`. A real
driver then encodes it to escape sequences (`update.render_segments(console)`) and writes
it; the headless driver skips both. So a frame is one `App._display` call with an
update, and the hook below first does the encoding a terminal would need (so the
benchmark pays what a user pays, minus the write itself), then takes the time.

Used in-process (key presses) and by the start-up child; it imports nothing from
textual at module level, so the child can load it before the clock matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: Called with the app, the time the frame was ready (`time.perf_counter()`) and the update.
FrameCallback = Callable[[Any, float, Any], None]


def frame_text(update: Any) -> str:
    """The characters a compositor update paints, line by line (partial lines for chops)."""
    lines: list[str] = []
    chops = getattr(update, "chops", None)
    if chops is not None:
        for line in chops:
            lines.append("".join(strip.text for strip in line.values() if strip is not None))
        return "\n".join(lines)
    for line in getattr(update, "strips", ()):
        if hasattr(line, "text"):
            lines.append(line.text)
        else:
            lines.append("".join(strip.text for strip in line))
    return "\n".join(lines)


def hook_display(app_class: type, on_frame: FrameCallback) -> Callable[[], None]:
    """Patch `app_class._display` so every painted frame calls `on_frame(app, time, update)`.

    Returns a function that undoes the patch.
    """
    original = app_class._display  # type: ignore[attr-defined]

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        original(self, screen, renderable)
        if renderable is None or self._batch_count:
            return
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            render(self.console)  # the terminal encoding the headless driver leaves out
        on_frame(self, time.perf_counter(), renderable)

    app_class._display = _display  # type: ignore[attr-defined]

    def undo() -> None:
        app_class._display = original  # type: ignore[attr-defined]

    return undo
