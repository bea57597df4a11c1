"""The pilot's wait between keys, on what the app has left to do rather than on a guess.

Textual's pilot waits after each key until the process looks idle: it sleeps 20 ms at a
time until one whole sleep used under 1 ms of CPU. That costs 40 ms of sleep per key
(most of the suite's waiting: thousands of keys), and on a loaded machine it is wrong both
ways: a process that got no CPU in a sleep looks idle while the dialog a key opened is
still mounting (the next key then went to the list: "nna Albers"), and one sharing the CPU
never looks idle (each key then waits the full second).

`wait_for_idle` here waits until no node of the app has a message or callback waiting
(what a key caused: the dialog it opens mounting, its focus), no scroll is still to be
moved by the animator, the screen on top has no layout or paint to do, and the process was
idle for a short sleep: the condition the next key and the next look at the screen need,
looked at every 2 ms. `install()` puts it
in place of Textual's for the whole session (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
from time import monotonic, process_time
from typing import Any

STEP = 0.002
"""Seconds between two looks (Textual's pilot: 0.02)."""

IDLE_CPU = STEP / 20
"""CPU seconds within a step under which the process counts as idle (Textual's ratio)."""


def _busy(node: Any) -> bool:
    queue = node.__dict__.get("_message_queue")  # a cached property: never made here
    waiting = queue is not None and not queue.empty()
    return waiting or node._pending_message is not None or bool(node._next_callbacks)


def _unpainted(screen: Any) -> bool:
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
    )


def app_busy() -> bool:
    """Whether a node of the running app has a message or callback it has not handled, an
    animation (a scroll) is not done, or the screen on top has a layout or paint to do
    (what a test reads next is on screen)."""
    from textual._context import active_app

    try:
        app = active_app.get()
    except LookupError:
        return False
    if _busy(app) or any(_busy(node) for node in [*app.screen_stack, *app._registry]):
        return True
    animator = app.animator  # a scroll a click or key began ends at its next frame (tests
    if animator._animations or animator._scheduled:  # run without animations), not before
        return True
    try:
        screen = app.screen  # (one beneath a dialog keeps a repaint pending: not looked at)
    except Exception:  # no screen yet, or none any more
        return False
    return _unpainted(screen)


async def wait_for_idle(min_sleep: float = STEP, max_sleep: float = 1) -> None:
    """Until the app has handled everything it was sent and the process is idle, or
    `max_sleep` seconds (as Textual's `textual._wait.wait_for_idle`)."""
    start = monotonic()
    while True:
        cpu = process_time()
        await asyncio.sleep(STEP)
        idle = process_time() - cpu < IDLE_CPU
        elapsed = monotonic() - start
        if elapsed >= max_sleep:
            return
        if elapsed > min_sleep and idle and not app_busy():
            return


def install() -> None:
    """Use `wait_for_idle` wherever Textual's pilot waits for the app between keys."""
    import textual._wait
    import textual.app
    import textual.pilot

    modules = (textual._wait, textual.app, textual.pilot)
    theirs = {module.wait_for_idle for module in modules} - {wait_for_idle}
    assert len(theirs) <= 1, theirs  # Textual still waits through this one function
    for module in modules:
        module.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
