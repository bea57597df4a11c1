"""The statistics' numbers (`netinbox.stats`): what is counted in which month, on which
platform, and that each query reads one range of an index at any size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from netinbox.config import Config
from netinbox.models import Direction, Platform
from netinbox.stats import Period, PeriodError, parse_period, statistics
from netinbox.store import Store
from tests.conftest import T0, Clock

TODAY = T0.date()  # 2026-02-02


def _add(
    store: Store, rec: Callable[..., object], name: str, at: datetime, **fields: object
) -> int:
    with store.write():
        outcome, request_id = store.upsert_request(rec(name, received_at=at, **fields))
    assert outcome == "new" and request_id is not None
    return request_id


def test_requests_per_month_with_and_without_a_message_in_the_users_months(
    berlin_store: Store, rec: Callable[..., object]
) -> None:
    _add(berlin_store, rec, "A", datetime(2026, 1, 5, 12, tzinfo=UTC), message="We met at PyCon.")
    _add(berlin_store, rec, "B", datetime(2026, 1, 6, 12, tzinfo=UTC))
    # 23:30 UTC on 31 January is half past midnight on 1 February in Berlin
    _add(berlin_store, rec, "C", datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    _add(
        berlin_store, rec, "D", datetime(2025, 12, 24, 12, tzinfo=UTC), message="Frohe Weihnachten!"
    )
    _add(berlin_store, rec, "Mine", datetime(2026, 1, 7, tzinfo=UTC), direction=Direction.OUTGOING)

    stats = statistics(berlin_store, parse_period("3m", today=TODAY))

    assert stats.months == ("2025-12", "2026-01", "2026-02")
    assert [(m.month, m.with_message, m.without_message) for m in stats.received] == [
        ("2025-12", 1, 0),
        ("2026-01", 1, 1),
        ("2026-02", 0, 1),
    ]
    assert stats.received_totals().total == 4  # my own request is not one received


def test_a_placeholder_profile_is_counted_an_unknown_one_is_not(
    store: Store, add: Callable[..., int]
) -> None:
    add("Tba Title", headline="tba", company="Real GmbH")
    add("Dash Company", headline="CEO", company="-")
    add("Nothing Given", headline="", company="")  # Invitations.csv names neither
    add("Real", headline="Engineer", company="Real GmbH")

    stats = statistics(store, parse_period("1m", today=TODAY))

    assert (stats.profiles.total, stats.profiles.placeholder) == (4, 2)
    assert stats.received[-1].placeholder == 2


def test_follow_ups_answered_in_time_late_never_and_waiting(
    store: Store, add: Callable[..., int], clock: Clock
) -> None:
    ids = [add(f"Person {n}", days_ago=30) for n in range(4)]
    clock.now = datetime(2026, 1, 10, 9, tzinfo=UTC)
    for request_id in ids[:3]:
        store.mark_sent(request_id)  # due 7 days later
    store.record_answer(ids[0], "We met in Leipzig.", datetime(2026, 1, 12, 9, tzinfo=UTC))
    store.record_answer(ids[1], "Sorry, late.", datetime(2026, 1, 20, 9, tzinfo=UTC))
    clock.now = datetime(2026, 2, 1, 9, tzinfo=UTC)
    store.mark_sent(ids[3])  # due 8 February: still waiting on 2 February
    clock.now = T0

    stats = statistics(store, parse_period("2m", today=TODAY))

    follow = stats.follow_ups
    assert (follow.sent, follow.answered, follow.answered_in_time, follow.answered_late) == (
        4,
        2,
        1,
        1,
    )
    assert (follow.no_answer, follow.waiting) == (1, 1)
    assert follow.median_answer_seconds == int(timedelta(days=6).total_seconds())  # 2 and 10
    january, february = stats.follow_ups_by_month
    assert (january.month, january.sent, january.answered_in_time, january.no_answer) == (
        "2026-01",
        3,
        1,
        1,
    )
    assert (february.sent, february.waiting) == (1, 1)


def test_an_answer_recorded_without_a_question_is_no_follow_up(
    store: Store, add: Callable[..., int]
) -> None:
    request_id = add("Wrote First")
    store.record_answer(request_id, "Hi, here is why.")

    follow = statistics(store, parse_period("1m", today=TODAY)).follow_ups

    assert (follow.sent, follow.answered, follow.median_answer_seconds) == (0, 0, None)


def test_outcomes_per_platform_and_month(
    store: Store, add: Callable[..., int], clock: Clock
) -> None:
    accepted = add("Yes", days_ago=3)
    declined = add("No", days_ago=3, platform=Platform.XING)
    cannot = add("Cannot", days_ago=3, platform=Platform.XING)
    silent = add("Silent", days_ago=20)
    add("Open", days_ago=1)
    store.accept(accepted)
    store.decline(declined)
    store.could_not_ask(cannot)
    clock.now = T0 - timedelta(days=10)
    store.mark_sent(silent)  # due 3 days ago
    clock.now = T0

    stats = statistics(store, parse_period("2m", today=TODAY))

    assert stats.platforms == ("linkedin", "xing")
    assert stats.outcome_totals("linkedin") == {
        "accepted": 1,
        "declined": 0,
        "no_answer": 1,
        "could_not_ask": 0,
        "open": 1,
    }
    assert stats.outcome_totals("xing") == {
        "accepted": 0,
        "declined": 1,
        "no_answer": 0,
        "could_not_ask": 1,
        "open": 0,
    }
    by_month = {(row.month, row.platform): row for row in stats.outcomes}
    assert by_month[("2026-01", "linkedin")].no_answer == 1
    assert by_month[("2026-01", "xing")].declined == 1


def test_my_own_requests_with_and_without_a_message_and_their_acceptance(
    store: Store, add: Callable[..., int]
) -> None:
    out = Direction.OUTGOING
    accepted = add("Konstantin", direction=out, message="Loved your talk!", days_ago=5)
    add("Ole", direction=out, days_ago=20)
    add("Incoming", days_ago=5)
    store.accept(accepted)

    stats = statistics(store, parse_period("2m", today=TODAY))

    totals = stats.sent_totals()
    assert (totals.with_message, totals.without_message) == (1, 1)
    assert (totals.accepted, totals.withdrawn, totals.no_answer, totals.pending) == (1, 0, 0, 1)
    assert [(m.month, m.total) for m in stats.sent] == [("2026-01", 2), ("2026-02", 0)]


def test_my_own_requests_accepted_withdrawn_ignored_or_pending(
    store: Store, add: Callable[..., int]
) -> None:
    """Sent by me: accepted; withdrawn (`d` on my own request: its own outcome, not a
    decline); no answer for IGNORED_AFTER_DAYS or more (ignored); younger: pending."""
    from netinbox.kinds import Status
    from netinbox.stats import IGNORED_AFTER_DAYS

    out = Direction.OUTGOING
    accepted = add("Accepted", direction=out, days_ago=40)
    withdrawn = add("Withdrawn", direction=out, days_ago=50)
    add("Ignored", direction=out, days_ago=IGNORED_AFTER_DAYS + 1)
    add("Pending", direction=out, days_ago=IGNORED_AFTER_DAYS - 1)
    declined = add("Declined by me", days_ago=3)  # received: a decline stays a decline
    store.accept(accepted)
    store.decline(withdrawn)
    store.decline(declined)
    assert store.get(withdrawn).request.status is Status.WITHDRAWN
    assert store.get(declined).request.status is Status.DECLINED

    stats = statistics(store, parse_period("3m", today=TODAY))

    totals = stats.sent_totals()
    assert (totals.accepted, totals.withdrawn, totals.no_answer, totals.pending) == (1, 1, 1, 1)
    assert stats.outcome_totals()["declined"] == 1
    assert stats.as_json()["totals"]["sent"]["withdrawn"] == 1
    from netinbox.tui.widgets.profile import IGNORED_AFTER

    assert IGNORED_AFTER == timedelta(days=IGNORED_AFTER_DAYS)  # the profile says it too


def test_the_cli_and_the_app_chart_the_same_series() -> None:
    """One definition of each chart's series: `netinbox stats` draws the outcome "open"
    as the app does."""
    from netinbox.stats import CHART_SERIES, OUTCOMES, Statistics, empty_statistics
    from netinbox.stats_text import GLYPHS
    from netinbox.tui.charts import charts

    assert CHART_SERIES["outcomes"] == OUTCOMES
    assert len(GLYPHS) >= max(len(codes) for codes in CHART_SERIES.values())
    stats: Statistics = empty_statistics(None)
    assert [(c.key, c.series) for c in charts(stats)] == list(CHART_SERIES.items())


def test_one_platform(store: Store, add: Callable[..., int]) -> None:
    add("On LinkedIn")
    add("On XING", platform=Platform.XING, message="Hallo!")

    stats = statistics(store, parse_period("1m", today=TODAY), "xing")

    assert stats.platform == "xing"
    assert (stats.received_totals().with_message, stats.received_totals().total) == (1, 1)
    assert stats.platforms == ("xing",)


def test_an_empty_store_has_no_months_to_show(store: Store) -> None:
    stats = statistics(store, parse_period("all", today=TODAY))
    assert stats.months == () and stats.follow_ups.sent == 0


def test_all_starts_with_the_month_of_the_oldest_request(
    store: Store, add: Callable[..., int]
) -> None:
    add("Old", days_ago=100)  # 25 October 2025
    assert statistics(store, parse_period("all", today=TODAY)).months[0] == "2025-10"


@pytest.mark.parametrize(
    ("text", "since", "until", "expected"),
    [
        (None, None, None, Period(date(2025, 3, 1), date(2026, 2, 1))),
        ("12m", None, None, Period(date(2025, 3, 1), date(2026, 2, 1))),
        ("1m", None, None, Period(date(2026, 2, 1), date(2026, 2, 1))),
        ("2y", None, None, Period(date(2024, 3, 1), date(2026, 2, 1))),
        ("2025", None, None, Period(date(2025, 1, 1), date(2025, 12, 1))),
        ("2025-07", None, None, Period(date(2025, 7, 1), date(2025, 7, 1))),
        ("all", None, None, Period(None, date(2026, 2, 1))),
        (None, "2025-11", None, Period(date(2025, 11, 1), date(2026, 2, 1))),
        (None, "2025-01", "2025-03", Period(date(2025, 1, 1), date(2025, 3, 1))),
    ],
)
def test_periods_a_user_names(
    text: str | None, since: str | None, until: str | None, expected: Period
) -> None:
    assert parse_period(text, since=since, until=until, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "since", "until", "code"),
    [
        ("last year", None, None, "format"),
        ("0m", None, None, "range"),
        ("2025-13", None, None, "format"),
        (None, "March", None, "month"),
        (None, "2026-03", "2026-01", "order"),
        ("12m", "2025-01", None, "both"),
    ],
)
def test_periods_that_name_no_months(
    text: str | None, since: str | None, until: str | None, code: str
) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(text, since=since, until=until, today=TODAY)
    assert error.value.code == code


@pytest.mark.parametrize("platform", [None, "xing"])
def test_each_query_reads_one_range_of_an_index(store: Store, platform: str | None) -> None:
    plans = store.tally_plans(platform, months=3)
    assert (
        "SEARCH r USING COVERING INDEX requests_stats (received_at>? AND received_at<?)"
        in plans["requests"]
    )
    assert not any(step.startswith("SCAN r") for step in plans["requests"])
    assert plans["follow_ups"][0] == (
        "SEARCH f USING COVERING INDEX follow_ups_sent (sent_at>? AND sent_at<?)"
    )


# --- `netinbox stats`: what it prints ------------------------------------------------------

FIXED = datetime(2026, 12, 7, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netinbox.demo import build_demo

    path = tmp_path_factory.mktemp("stats-demo") / "demo.db"
    with Store(path, config=Config(timezone="Europe/Berlin"), clock=lambda: FIXED) as store:
        build_demo(store)
    return path


@pytest.fixture
def demo_cli(
    demo_master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., str]:
    """Run `netinbox stats …` on a copy of the demo, at the demo's clock, in Berlin."""
    import shutil

    from click.testing import CliRunner

    import netinbox.cli as cli

    path = tmp_path / "demo.db"
    shutil.copy2(demo_master, path)
    opened = cli._open

    def at_fixed_clock(*args: object, **kwargs: object) -> Store:
        store = opened(*args, **kwargs)
        store.clock = lambda: FIXED
        store.config.timezone = "Europe/Berlin"
        return store

    monkeypatch.setattr(cli, "_open", at_fixed_clock)

    def run(*args: str, ok: bool = True) -> str:
        result = CliRunner().invoke(cli.main, ["stats", "--db", str(path), *args])
        assert "Traceback" not in result.output
        assert (result.exit_code == 0) is ok, result.output
        return result.stdout if ok else result.stderr

    return run


def test_the_table_shows_a_year_of_the_demo_with_bars_in_80_columns(
    demo_cli: Callable[..., str],
) -> None:
    lines = demo_cli().splitlines()

    assert lines[0] == "Statistics 2026-01 – 2026-12, all platforms"
    assert all(len(line) <= 80 for line in lines)
    for title in (
        "Requests received per month",
        "Follow-ups sent per month and their answers",
        "What became of the requests received",
        "My own requests sent per month",
    ):
        assert title in lines
    assert "█ with a message  ▓ without a message" in lines
    assert "█ accepted  ▓ declined  ▒ no answer  ░ could not ask  · open" in lines
    months = [line for line in lines if line.startswith("2026-")]
    assert len(months) == 12 * 4
    assert any("█" in line and "▓" in line for line in months)
    # a month whose requests all came without a message: its bar has no full block
    received = months[:12]
    assert any(" 0 · " in line and "▓" in line and "█" not in line for line in received)
    text = "\n".join(lines)
    assert "median time to answer:" in text
    assert "Placeholder profiles (a job title or company such as “tba”):" in text
    assert any(line.startswith("LinkedIn ") for line in lines)
    assert any(line.startswith("XING ") for line in lines)


def test_json_for_scripts_adds_up(demo_cli: Callable[..., str]) -> None:
    import json

    data = json.loads(demo_cli("--json"))

    assert len(data["months"]) == 12 and data["platform"] is None
    totals = data["totals"]
    assert totals["received"]["with_message"] > 0 and totals["received"]["without_message"] > 0
    assert sum(m["with_message"] for m in data["received"]) == totals["received"]["with_message"]
    follow = data["follow_ups"]
    assert follow["answered_in_time"] > 0 and follow["answered_late"] > 0
    assert follow["no_answer"] > 0 and follow["median_answer_seconds"] > 0
    assert set(totals["outcomes_by_platform"]) == {"linkedin", "xing"}
    assert totals["sent"]["accepted"] > 0 and totals["sent"]["without_message"] > 0
    assert totals["sent"]["withdrawn"] > 0 and totals["sent"]["no_answer"] > 0
    assert set(totals["sent"]) == {
        "with_message", "without_message", "accepted", "withdrawn", "no_answer", "pending"
    }  # fmt: skip


def test_one_platform_and_one_month(demo_cli: Callable[..., str]) -> None:
    out = demo_cli("--platform", "xing", "--since", "2026-06", "--until", "2026-06")
    assert out.splitlines()[0] == "Statistics 2026-06, XING"
    assert "LinkedIn" not in out


def test_a_period_with_no_requests(demo_cli: Callable[..., str]) -> None:
    out = demo_cli("--period", "2019")
    assert "No requests in this period." in out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--period", "last year"), "--period: 'last year' is not a period"),
        (("--since", "März"), "--since/--until: 'März' is not a month: use YYYY-MM"),
        (("--since", "2026-05", "--until", "2026-01"), "the period ends before it starts"),
        (("--period", "12m", "--since", "2026-01"), "give either a period or --since/--until"),
    ],
)
def test_a_period_that_is_no_period_is_one_line(
    demo_cli: Callable[..., str], args: tuple[str, ...], error: str
) -> None:
    err = demo_cli(*args, ok=False)
    assert err.startswith("netinbox: ") and error in err and err.count("\n") == 1


def test_no_store_yet_and_no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from netinbox.cli import main

    monkeypatch.setenv("HOME", str(tmp_path / "empty-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty-home" / "data"))
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    assert "No requests in this period." in result.stdout
    assert not (tmp_path / "empty-home").exists()  # a reading command makes nothing
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert result.exit_code == 0 and '"months": []' in result.stdout


def test_an_empty_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from netinbox.cli import main

    path = tmp_path / "empty.db"
    Store(path).close()
    result = CliRunner().invoke(main, ["stats", "--db", str(path)])
    assert result.exit_code == 0 and "No requests in this period." in result.stdout
