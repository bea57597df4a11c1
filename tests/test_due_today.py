"""`due:today`: the deadlines that fall on today's date in the user's zone, passed or not."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from netinbox.config import Config
from netinbox.query import Query, QueryError, View, parse
from netinbox.store import Store
from tests.conftest import T0, Clock


def test_due_today_counts_the_users_calendar_day(tmp_path: Path, clock: Clock, rec: Any) -> None:
    # T0 is Monday 10:00 in Berlin; Monday ends there at 23:00 UTC.
    with Store(tmp_path / "b.db", config=Config(timezone="Europe/Berlin"), clock=clock) as store:
        due = {
            "earlier today": T0 - timedelta(hours=2),  # 08:00 Berlin: passed, still today
            "this evening": T0 + timedelta(hours=13),  # 23:00 Berlin
            "just after midnight": T0 + timedelta(hours=14, minutes=30),  # Tuesday 00:30
            "yesterday night": T0 - timedelta(hours=10, minutes=30),  # Sunday 23:30
        }
        for days_ago, (name, when) in enumerate(due.items(), start=10):
            request_id = store.add_request(rec(name, days_ago=days_ago))
            clock.now = when - timedelta(days=7)
            store.mark_sent(request_id, "Why?")
        clock.now = T0
        found = [row.name for row in store.rows(parse("due:today", View.ALL))]
        assert found == ["earlier today", "this evening"]
        assert store.count(parse("due:today", View.OVERDUE)) == 1
        assert store.count(Query(view=View.SNOOZED)) == 0


def test_a_due_term_it_cannot_read_names_the_ones_it_can() -> None:
    with pytest.raises(QueryError, match="due:overdue, due:today or due:soon"):
        parse("due:tomorow")
