"""The floor of the statistics figures: the same aggregate as one hand-written SQL query
(and one for the follow-ups), months in UTC, no words, no charts.

    python -m benchmarks.stats_floor STORE [SINCE]

As a process it is the floor of `netinbox stats` end to end (Python starts, opens the
store read-only, asks, prints a line a month); `HandStats` is the in-process floor of the
statistics screen and of `netinbox.stats.statistics`.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REQUESTS = """
SELECT substr(r.received_at, 1, 7), p.platform, r.direction, r.status,
       instr(r.flags, ' no_message ') > 0,
       instr(r.flags, ' placeholder_title ') + instr(r.flags, ' placeholder_company ') > 0,
       r.status = 'asked' AND r.due_at <= :now, count(*)
FROM requests r JOIN persons p ON p.id = r.person_id
WHERE r.received_at >= :since
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
FOLLOW_UPS = """
SELECT substr(sent_at, 1, 7), count(*), count(answered_at), sum(answered_at <= due_at)
FROM follow_ups WHERE sent_at >= :since AND due_at > sent_at GROUP BY 1
"""


def since_12_months(now: datetime) -> str:
    """The first of the month 11 months before `now`'s, as a stored time (UTC)."""
    index = now.year * 12 + now.month - 1 - 11
    return f"{index // 12:04d}-{index % 12 + 1:02d}-01T00:00:00Z"


class HandStats:
    """The hand-written aggregate on a read-only connection of its own."""

    def __init__(self, store: Path) -> None:
        self.conn = sqlite3.connect(f"{store.resolve().as_uri()}?mode=ro", uri=True)

    def answer(self, since: str | None = None) -> tuple[list[tuple], list[tuple]]:
        now = datetime.now(UTC)
        params = {"since": since or since_12_months(now), "now": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return (
            self.conn.execute(REQUESTS, params).fetchall(),
            self.conn.execute(FOLLOW_UPS, params).fetchall(),
        )

    def timed(self) -> float:
        """Milliseconds for one answer."""
        started = time.perf_counter()
        self.answer()
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.conn.close()


def main(argv: list[str]) -> int:
    hand = HandStats(Path(argv[0]))
    try:
        requests, follow_ups = hand.answer(argv[1] if len(argv) > 1 else None)
    finally:
        hand.close()
    months: dict[str, list[int]] = {}
    for month, _net, direction, _status, no_message, _p, _o, n in requests:
        if direction == "incoming":
            months.setdefault(month, [0, 0])[1 if no_message else 0] += n
    for month, (with_message, without) in sorted(months.items()):
        print(f"{month} {with_message} {without}")
    for month, sent, answered, in_time in follow_ups:
        print(f"{month} {sent} {answered} {in_time or 0}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
