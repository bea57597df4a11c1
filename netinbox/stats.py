"""Statistics over a period and a platform: how the requests came in, how the follow-ups
went, what became of the requests, and how the user's own requests fared.

The numbers only: codes and counts, no words (the CLI's `stats` and the app's statistics
screen word and draw them). Months are calendar months in the user's time zone. The store
counts (`netinbox.store.counting`: two queries, each one range of an index, so a year at
100,000 requests reads no request row); this module sorts the counts into what the user
asks about. In the app it runs in a worker, on a reader of its own (`netinbox.readers`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from statistics import median
from typing import TYPE_CHECKING, Any, TypeVar

from netinbox.kinds import Direction, Platform, Status
from netinbox.times import iso

if TYPE_CHECKING:
    from netinbox.store import Store

OUTCOMES = ("accepted", "declined", "no_answer", "could_not_ask", "open")
"""What became of a request received, as codes: decided either way; asked and the deadline
passed with no answer; the platform let nobody ask; still open (new, asked and waiting,
answered, snoozed)."""

SENT_OUTCOMES = ("accepted", "withdrawn", "no_answer", "pending")
"""What became of a request the user sent: accepted; withdrawn by the user; no answer for
`IGNORED_AFTER_DAYS` or more (ignored); still pending, younger than that."""

IGNORED_AFTER_DAYS = 30
"""Days without an answer after which a request the user sent counts as ignored."""

CHART_SERIES: dict[str, tuple[str, ...]] = {
    "received": ("with_message", "without_message"),
    "follow_ups": ("answered_in_time", "answered_late", "no_answer", "waiting"),
    "outcomes": OUTCOMES,
    "sent": ("with_message", "without_message"),
}
"""Each chart's series, bottom of the bar first: the one definition the app's charts and
`netinbox stats` both draw."""

_Row = TypeVar("_Row", "MonthRequests", "MonthSent")

DEFAULT_MONTHS = 12
MAX_MONTHS = 1200  # a hundred years: a period longer than that is a typing mistake


class PeriodError(ValueError):
    """A period that names no months: `code` says why ("format", "order", "range")."""

    def __init__(self, code: str, value: str) -> None:
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value


# --- the period ---------------------------------------------------------------------------


def _month(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months, `first` to `last` inclusive (each the first of its month);
    `first` None: from the first month with a request ("all")."""

    first: date | None
    last: date

    def months(self, first: date) -> list[date]:
        start = self.first or first
        count = (self.last.year - start.year) * 12 + self.last.month - start.month + 1
        return [_add_months(start, n) for n in range(max(count, 0))]


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_LAST = re.compile(r"^(\d{1,4})\s*([my])$")


def parse_month(text: str) -> date:
    """ "2026-03" as the first of that month; PeriodError "format" otherwise."""
    found = _MONTH.match(text.strip())
    if found is None:
        raise PeriodError("format", text)
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12 or year < 1:
        raise PeriodError("format", text)
    return date(year, month, 1)


def parse_period(
    text: str | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    today: date,
) -> Period:
    """The period a user names: `text` is "12m" (the last 12 months, this one included),
    "2y", "2026" (a year), "2026-03" (a month) or "all"; or `since`/`until` months
    ("2026-01", inclusive; `until` defaults to this month). Default: the last 12 months."""
    this_month = _month(today)
    if text is not None and (since is not None or until is not None):
        raise PeriodError("both", text)
    if text is None and since is None and until is None:
        text = f"{DEFAULT_MONTHS}m"
    if text is not None:
        value = text.strip().lower()
        if value == "all":
            return Period(None, this_month)
        if (found := _LAST.match(value)) is not None:
            n = int(found[1]) * (12 if found[2] == "y" else 1)
            if not 1 <= n <= MAX_MONTHS:
                raise PeriodError("range", text)
            return Period(_add_months(this_month, 1 - n), this_month)
        if (found := _YEAR.match(value)) is not None:
            year = int(found[1])
            if year < 1:
                raise PeriodError("format", text)
            return Period(date(year, 1, 1), date(year, 12, 1))
        if _MONTH.match(value) is not None:
            month = parse_month(value)
            return Period(month, month)
        raise PeriodError("format", text)
    first = _named_month(since) if since is not None else None
    last = _named_month(until) if until is not None else this_month
    if first is not None and first > last:
        raise PeriodError("order", f"{since} > {until or last.isoformat()[:7]}")
    if first is not None and (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        raise PeriodError("range", f"{since}")
    return Period(first, last)


def _named_month(text: str) -> date:
    try:
        return parse_month(text)
    except PeriodError:
        raise PeriodError("month", text) from None


# --- the numbers --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRequests:
    """Requests received in a month (incoming), with and without a personal message."""

    month: str  # "2026-03"
    with_message: int = 0
    without_message: int = 0
    placeholder: int = 0  # of these, a job title or company that is a placeholder ("tba")

    @property
    def total(self) -> int:
        return self.with_message + self.without_message


@dataclass(frozen=True)
class Profiles:
    """What the senders' profiles gave (incoming requests of the period)."""

    total: int = 0
    placeholder: int = 0  # a job title or company such as "tba" (a red flag; one the
    # source does not give is unknown, not a placeholder: `netinbox.rules.is_unknown`)


@dataclass(frozen=True)
class MonthFollowUps:
    """Follow-ups sent in a month and what came of them (as of now)."""

    month: str
    sent: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    no_answer: int = 0  # the deadline passed without an answer
    waiting: int = 0  # the deadline is still ahead


@dataclass(frozen=True)
class FollowUps:
    """Follow-ups sent in the period: how many were answered, in time, and how fast."""

    sent: int = 0
    answered: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    no_answer: int = 0
    waiting: int = 0
    median_answer_seconds: int | None = None  # None: no answer yet


@dataclass(frozen=True)
class MonthOutcomes:
    """What became of the requests received in a month on one platform (incoming)."""

    month: str
    platform: str
    accepted: int = 0
    declined: int = 0
    no_answer: int = 0
    could_not_ask: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.accepted + self.declined + self.no_answer + self.could_not_ask + self.open


@dataclass(frozen=True)
class MonthSent:
    """The user's own requests sent in a month, and what became of them
    (`SENT_OUTCOMES`)."""

    month: str
    with_message: int = 0
    without_message: int = 0
    accepted: int = 0
    withdrawn: int = 0
    no_answer: int = 0  # pending for `IGNORED_AFTER_DAYS` or more: ignored
    pending: int = 0

    @property
    def total(self) -> int:
        return self.with_message + self.without_message


@dataclass(frozen=True)
class Statistics:
    months: tuple[str, ...]  # "2026-01" …, oldest first; empty: nothing to show
    platform: str | None  # None: every platform
    received: tuple[MonthRequests, ...]
    profiles: Profiles
    follow_ups: FollowUps
    follow_ups_by_month: tuple[MonthFollowUps, ...]
    outcomes: tuple[MonthOutcomes, ...]  # per month and platform (a platform with requests)
    sent: tuple[MonthSent, ...]
    platforms: tuple[str, ...] = field(default=())  # the platforms in `outcomes`

    @property
    def empty(self) -> bool:
        """Nothing happened in the period: no request either way, no follow-up."""
        return (
            not any(row.total for row in self.received)
            and not any(row.total for row in self.sent)
            and not self.follow_ups.sent
        )

    def outcome_totals(self, platform: str | None = None) -> dict[str, int]:
        """Each outcome's count over the period, for one platform or all."""
        totals = dict.fromkeys(OUTCOMES, 0)
        for row in self.outcomes:
            if platform is None or row.platform == platform:
                for outcome in OUTCOMES:
                    totals[outcome] += getattr(row, outcome)
        return totals

    def outcomes_by_month(self) -> list[MonthOutcomes]:
        """One row a month, every platform of the period summed."""
        by_month = {month: dict.fromkeys(OUTCOMES, 0) for month in self.months}
        for row in self.outcomes:
            for outcome in OUTCOMES:
                by_month[row.month][outcome] += getattr(row, outcome)
        return [
            MonthOutcomes(month, self.platform or "all", **counts)
            for month, counts in by_month.items()
        ]

    def sent_totals(self) -> MonthSent:
        return _sum_rows(MonthSent, self.sent)

    def received_totals(self) -> MonthRequests:
        return _sum_rows(MonthRequests, self.received)

    def as_json(self) -> dict[str, Any]:
        """Plain data for scripts (`netinbox stats --json`): every month, and the totals."""
        data = asdict(self)
        received, sent = asdict(self.received_totals()), asdict(self.sent_totals())
        del received["month"], sent["month"]
        data["totals"] = {
            "received": received,
            "outcomes": self.outcome_totals(),
            "outcomes_by_platform": {p: self.outcome_totals(p) for p in self.platforms},
            "sent": sent,
        }
        return data


def _sum_rows(kind: type[_Row], rows: tuple[_Row, ...]) -> _Row:
    names = [name for name in kind.__dataclass_fields__ if name != "month"]
    return kind("", **{name: sum(getattr(row, name) for row in rows) for name in names})


def _bounds(months: list[date], zone: tzinfo) -> list[str]:
    """The stored (UTC) time at which each month starts in the user's zone, and the end
    of the last: len(months) + 1 values, ascending."""
    ends = [*months, _add_months(months[-1], 1)]
    return [iso(datetime.combine(day, time(), zone)) or "" for day in ends]


def _label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_month(store: Store, zone: tzinfo) -> date | None:
    """The month of the oldest request, in the user's zone (None: no requests)."""
    first = store.first_received()
    if first is None:
        return None
    return _month(datetime.fromisoformat(first).astimezone(zone).date())


def statistics(
    store: Store,
    period: Period | None = None,
    platform: Platform | str | None = None,
    *,
    zone: tzinfo | None = None,
) -> Statistics:
    """The statistics of `period` (default: the last 12 months) on `platform` (default:
    all), as of the store's clock, read on `store`'s connection (in the app: a worker's
    reader, `netinbox.readers`)."""
    zone = zone or store.config.zone()
    now = store.now()
    period = period or parse_period(today=now.astimezone(zone).date())
    platform_code = Platform(platform).value if platform else None
    start = period.first or first_month(store, zone)
    if start is None or start > period.last:
        return empty_statistics(platform_code)
    months = period.months(start)
    labels = [_label(month) for month in months]
    bounds = _bounds(months, zone)
    stamp = iso(now) or ""
    months_bounds = [(label, bounds[n], bounds[n + 1]) for n, label in enumerate(labels)]
    received = {label: [0, 0, 0] for label in labels}
    sent = {label: [0] * 6 for label in labels}
    outcomes: dict[tuple[str, str], list[int]] = {}
    placeholders = 0
    outcome_index = {code: n for n, code in enumerate(OUTCOMES)}
    ignored = iso(now - timedelta(days=IGNORED_AFTER_DAYS)) or ""
    rows = store.tally_requests(months_bounds, platform_code, stamp, ignored)
    for month, net, direction, status, no_message, placeholder, overdue, n in rows:
        if direction == Direction.OUTGOING:
            counts = sent[month]
            counts[1 if no_message else 0] += n
            if status == Status.ACCEPTED:
                counts[2] += n
            elif status in (Status.WITHDRAWN, Status.DECLINED):
                counts[3] += n
            elif overdue:  # no answer for IGNORED_AFTER_DAYS or more
                counts[4] += n
            else:
                counts[5] += n
            continue
        counts = received[month]
        counts[1 if no_message else 0] += n
        if placeholder:
            counts[2] += n
            placeholders += n
        if status in (Status.ACCEPTED, Status.DECLINED, Status.COULD_NOT_ASK):
            outcome = status
        elif overdue:
            outcome = "no_answer"
        else:
            outcome = "open"
        row = outcomes.get((month, net))
        if row is None:
            row = outcomes[(month, net)] = [0] * len(OUTCOMES)
        row[outcome_index[outcome]] += n

    follow = {label: [0, 0, 0, 0, 0] for label in labels}
    waits: list[float] = []
    for batch in store.follow_ups_sent(bounds[0], bounds[-1], platform_code):
        for sent_at, due_at, answered_at in batch:
            counts = follow[labels[bisect_right(bounds, sent_at) - 1]]
            counts[0] += 1
            if answered_at is not None:
                counts[1 if answered_at <= due_at else 2] += 1
                waits.append(
                    (
                        datetime.fromisoformat(answered_at) - datetime.fromisoformat(sent_at)
                    ).total_seconds()
                )
            elif due_at <= stamp:
                counts[3] += 1
            else:
                counts[4] += 1

    totals = [sum(row[n] for row in follow.values()) for n in range(5)]
    platforms = tuple(sorted({net for _, net in outcomes}, key=_platform_order))
    received_rows = tuple(MonthRequests(month, *counts) for month, counts in received.items())
    return Statistics(
        months=tuple(labels),
        platform=platform_code,
        received=received_rows,
        profiles=Profiles(sum(row.total for row in received_rows), placeholders),
        follow_ups=FollowUps(
            sent=totals[0],
            answered=totals[1] + totals[2],
            answered_in_time=totals[1],
            answered_late=totals[2],
            no_answer=totals[3],
            waiting=totals[4],
            median_answer_seconds=round(median(waits)) if waits else None,
        ),
        follow_ups_by_month=tuple(
            MonthFollowUps(month, *counts) for month, counts in follow.items()
        ),
        outcomes=tuple(
            MonthOutcomes(month, net, *outcomes[(month, net)])
            for month in labels
            for net in platforms
            if (month, net) in outcomes
        ),
        sent=tuple(MonthSent(month, *counts) for month, counts in sent.items()),
        platforms=platforms,
    )


def _platform_order(code: str) -> tuple[int, str]:
    order = [platform.value for platform in Platform]
    return (order.index(code) if code in order else len(order), code)


def empty_statistics(platform: str | None) -> Statistics:
    return Statistics(
        months=(),
        platform=platform,
        received=(),
        profiles=Profiles(),
        follow_ups=FollowUps(),
        follow_ups_by_month=(),
        outcomes=(),
        sent=(),
    )


__all__ = [
    "CHART_SERIES",
    "IGNORED_AFTER_DAYS",
    "OUTCOMES",
    "SENT_OUTCOMES",
    "FollowUps",
    "MonthFollowUps",
    "MonthOutcomes",
    "MonthRequests",
    "MonthSent",
    "Period",
    "PeriodError",
    "Profiles",
    "Statistics",
    "parse_period",
    "statistics",
]
