"""Keys typed ahead: held while the place they are meant for is still coming, never lost.

A person types without waiting for the screen: `n` and at once the sender's name, `/` and
the search words, `a` and the first words of the follow-up, or a burst of `j` as the app
starts. Each of those keys is meant for a widget that does not have the focus yet (a dialog
still mounting, a search box or draft pane made after the first frame), and Textual would
hand it to whatever has the focus now, where it means something else (`n` in the list adds
a request). So while such a place is coming, `KeyGate` keeps the keys in order and replays
them, in order, once it has the focus.

After `q` the app is closing: later keys are dropped (a dialog opened while the app shuts
down crashed it).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any

from textual import events
from textual.app import App

from netinbox.tui import textual_private as private

HOLD_LIMIT = 3.0
"""Seconds after which held keys are let through whatever happened (never swallow them)."""

FLIGHT_LIMIT = 2.0
"""Seconds after which a key not seen back counts as handled (a safety net: keys are
typed into a box or come back to the app; the first `a` waits for the review steps to load)."""

POLL = 0.005


class KeyGate:
    """Holds and replays an app's key presses; the app calls `gate` from `on_event` and
    `arrived` from `on_key`.

    Textual hands a key to the focused widget and runs its binding only when the key comes
    back up to the app; a key typed right behind it would reach the old focus before the
    binding opened the new one (`n`, then the name). So a key waits while the one before
    it is on its way (typed into a box, or back at the app), and while a place that keys
    are meant for is still coming; held keys are replayed one at a time, in order.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.closing = False
        self._held: list[events.Key] | None = None
        """Keys in the order typed, while holding; None while keys pass through."""
        self._ready: list[Callable[[], bool]] = []
        self._current: events.Key | None = None
        """The key on its way: handed to a widget, not handled yet."""
        self._sent = 0.0
        self._since = 0.0
        self._ticking = False

    @property
    def last_key_at(self) -> float:
        """When (`time.monotonic`) the last key typed was let through, 0 before any."""
        return self._sent

    @property
    def holding(self) -> bool:
        return self._held is not None

    def gate(self, event: events.Event) -> bool:
        """True when the app must not handle `event` now (held, or the app is closing)."""
        if not isinstance(event, events.InputEvent):
            return False
        if self.closing:  # also a key on its way back from the widgets to its binding
            return True
        if event.is_forwarded or not isinstance(event, events.Key) or self.app.is_headless:
            return False  # (a test's pilot waits for each key: nothing is typed ahead)
        if self._held is not None or self._in_flight():
            if self._held is None:
                self._held = []
            self._held.append(event)
            self._tick_soon()
            return True
        self._current, self._sent = event, monotonic()
        return False

    def _in_flight(self) -> bool:
        current = self._current
        if current is None:
            return False
        # A key typed into a box is stopped there; one not back in time counts as handled.
        if private.is_stopped(current) or monotonic() - self._sent > FLIGHT_LIMIT:
            self._current = None
            return False
        return True

    def arrived(self, event: events.Key) -> None:
        """A key came back to the app after its widgets: it has been handled."""
        if event is self._current:
            self._current = None

    def dispatched(self, event: events.Key) -> None:
        """The app has dispatched `event`: one a priority binding took (the list's `/`) was
        never handed to a widget, never comes back up to `arrived`, and is handled now
        (the next key waited 2 s for it)."""
        if not event.is_forwarded:
            self.arrived(event)

    def hold_until(self, ready: Callable[[], bool]) -> None:
        """Hold keys from now until `ready()` is true (checked every frame), then replay
        them to whatever has the focus then."""
        if self.app.is_headless:
            return
        self._ready.append(ready)
        self._since = monotonic()
        if self._held is None:
            self._held = []
        self._tick_soon()

    def _tick_soon(self) -> None:
        if not self._ticking:
            self._ticking = True
            self.app.set_timer(POLL, self._tick)

    def _tick(self) -> None:
        """One step: wait for the key on its way, then for the places keys wait for,
        then replay the next key (after what the app has queued: a focus change)."""
        self._ticking = False
        if self._held is None or self.closing:
            return
        if self._in_flight():
            self._tick_soon()
            return
        late = monotonic() - self._since > HOLD_LIMIT
        self._ready = [ready for ready in self._ready if not late and not _safely(ready)]
        if self._ready:
            self._tick_soon()
            return
        self._ticking = True
        self.app.call_later(self._replay_one)

    async def _replay_one(self) -> None:
        self._ticking = False
        if self._held is None or self.closing:
            return
        if self._ready or self._in_flight():  # something new to wait for came meanwhile
            self._tick_soon()
            return
        if not self._held:
            self._held = None  # all caught up: keys pass through again
            return
        held = self._held.pop(0)
        event = events.Key(held.key, held.character)  # a new message, as if typed now
        self._current, self._sent = event, monotonic()
        await self.app.dispatch_held_key(event)  # type: ignore[attr-defined]
        self.dispatched(event)
        self._tick_soon()


def _safely(ready: Callable[[], bool]) -> bool:
    try:
        return ready()
    except Exception:  # a widget gone meanwhile: nothing to wait for
        return True
