"""Profiles read and drawn ahead: the rows one key away from the highlighted request,
while the user reads it, and the profiles last shown.

A cursor key shows the new row's profile in the frame of the move. Reading that request
(a few queries), describing it and wrapping it into the pane's lines cost ~4 ms of that
frame at 100,000 requests, as much as the rest of the frame. So once a profile is on
screen and no key has followed for `AFTER` seconds, the profiles of the rows below and
above it, a page down and a page up, are read and drawn, one every `NEXT` seconds (a
key typed meanwhile waits for one profile at most); the next `j`, `k`, page down or up
finds its profile ready. The last `KEPT` profiles shown stay ready too (`g` and `G`, `j`
and `k` back and forth).

A profile read earlier is shown only while it is what a reading now would show: the
store unchanged since (`Store.state`: the app's own writes and any other connection's),
the same key names suggested, and read less than `FRESH` seconds ago (its "5 minutes ago"
ages); the pane checks its width and styles (`ProfilePane.show`).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netinbox.models import RequestDetail
    from netinbox.tui.widgets.profile import Drawn

AFTER = 0.02
"""Seconds after a profile is shown before its neighbours are read (its frame first)."""
NEXT = 0.005
"""Seconds between two profiles read ahead (a key typed meanwhile goes first)."""
KEPT = 8
"""Profiles kept ready: the neighbours and the last few shown."""
FRESH = 30.0
"""Seconds a profile read ahead stays good (its words of age, "just now", move on)."""

Token = tuple[object, ...]


class Ready:
    """One request's profile, read and drawn at `at` while the store was at `token`."""

    __slots__ = ("at", "detail", "drawn", "token")

    def __init__(self, detail: RequestDetail, drawn: Drawn, token: Token, at: datetime) -> None:
        self.detail = detail
        self.drawn = drawn
        self.token = token
        self.at = at


class Ahead:
    """The profiles ready to show, by request id."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._ready: OrderedDict[int, Ready] = OrderedDict()  # the last used last

    def __contains__(self, request_id: int) -> bool:
        return request_id in self._ready

    def get(self, request_id: int, token: Token, now: datetime) -> Ready | None:
        """The profile of `request_id` if it is still what a reading now would show."""
        ready = self._ready.get(request_id)
        if ready is None:
            return None
        if ready.token != token or abs((now - ready.at).total_seconds()) > FRESH:
            del self._ready[request_id]
            return None
        self._ready.move_to_end(request_id)
        return ready

    def keep(self, request_id: int, ready: Ready) -> None:
        self._ready[request_id] = ready
        self._ready.move_to_end(request_id)
        while len(self._ready) > self._kept:
            self._ready.popitem(last=False)

    def clear(self) -> None:
        self._ready.clear()
