"""Counting for the statistics (`netinbox.stats`): the requests of a period by month and by
what the statistics tell apart, and the follow-ups sent in it.

Reads only. Each month is one range of `requests_stats` (received_at first, then every
column counted here), so no request row is read; the follow-ups come from
`follow_ups_sent` (m005). The tests hold both to their plans (`tally_plans`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from netinbox.store.opening import StoreFile

REQUESTS_SQL = """
WITH months(month, since, until) AS (VALUES {months})
SELECT m.month, p.platform, r.direction, r.status,
       instr(r.flags, ' no_message ') > 0,
       instr(r.flags, ' placeholder_title ') + instr(r.flags, ' placeholder_company ') > 0,
       CASE WHEN r.direction = 'outgoing' THEN r.received_at <= :ignored
            ELSE r.status = 'asked' AND r.due_at <= :now END,
       count(*)
FROM months m
CROSS JOIN requests r ON r.received_at >= m.since AND r.received_at < m.until
CROSS JOIN persons p ON p.id = r.person_id
{platform}
GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
"""(month, platform, direction, status, no message, placeholder, overdue, how many):
overdue is, for a request received, asked with its deadline passed; for one the user
sent, sent before `ignored` (no answer for long, if it is still pending)."""

FOLLOW_UPS_SQL = """
SELECT f.sent_at, f.due_at, f.answered_at
FROM follow_ups f {join}
WHERE f.sent_at >= :since AND f.sent_at < :until AND f.due_at > f.sent_at {platform}
"""
"""Follow-ups sent in the period; an answer recorded with no question asked has no
deadline of its own (due = sent) and is no follow-up."""

FOLLOW_UP_JOIN = (
    "CROSS JOIN requests r ON r.id = f.request_id CROSS JOIN persons p ON p.id = r.person_id"
)


def _statements(platform: str | None, months: int) -> dict[str, str]:
    rows = ", ".join(f"(:m{n}, :s{n}, :u{n})" for n in range(months))
    return {
        "requests": REQUESTS_SQL.format(
            months=rows, platform="WHERE p.platform = :platform" if platform else ""
        ),
        "follow_ups": FOLLOW_UPS_SQL.format(
            join=FOLLOW_UP_JOIN if platform else "",
            platform="AND p.platform = :platform" if platform else "",
        ),
    }


def _params(
    months: Sequence[tuple[str, str, str]], platform: str | None, now: str = "", ignored: str = ""
) -> dict[str, Any]:
    params: dict[str, Any] = {"now": now, "ignored": ignored}
    for n, (label, since, until) in enumerate(months):
        params.update({f"m{n}": label, f"s{n}": since, f"u{n}": until})
    if platform:
        params["platform"] = platform
    return params


class Counting(StoreFile):
    def first_received(self) -> str | None:
        """When the oldest request arrived (a stored time), or None."""
        row = self.conn.execute("SELECT min(received_at) FROM requests").fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def tally_requests(
        self,
        months: Sequence[tuple[str, str, str]],
        platform: str | None,
        now: str,
        ignored: str = "",
    ) -> list[tuple[Any, ...]]:
        """The requests of each (label, since, until) month, counted by platform,
        direction, status, no message, a placeholder profile and overdue (as of `now`;
        a request the user sent: sent before `ignored`)."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        try:
            sql = _statements(platform, len(months))["requests"]
            return cursor.execute(sql, _params(months, platform, now, ignored)).fetchall()
        finally:
            cursor.close()

    def follow_ups_sent(
        self, since: str, until: str, platform: str | None
    ) -> Iterator[list[tuple[str, str, str | None]]]:
        """(sent, due, answered) of every follow-up sent from `since` until before
        `until`, in batches."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        try:
            params = {"since": since, "until": until, **_params([], platform)}
            cursor.execute(_statements(platform, 0)["follow_ups"], params)
            while batch := cursor.fetchmany(4096):
                yield batch
        finally:
            cursor.close()

    def tally_plans(self, platform: str | None, months: int = 3) -> dict[str, list[str]]:
        """SQLite's plan of each statistics query (`EXPLAIN QUERY PLAN`, a line a step)."""
        params = _params([("", "", "")] * months, platform)
        params.update(since="", until="")
        return {
            what: [row[3] for row in self.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            for what, sql in _statements(platform, months).items()
        }
