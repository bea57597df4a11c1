"""Times as the user reads them: ages in the list, local dates, deadlines in words."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from netinbox.config import Config


def user_zone(config: Config) -> tzinfo:
    """The configured time zone, else the machine's local one — with its DST rules, so each
    time is shown with the offset of its own instant: a July time in Berlin is CEST (+2)
    even when read in January, not today's fixed offset."""
    return config.zone()


def age(then: datetime, now: datetime) -> str:
    """A short age for the list: "5m", "3h", "6d", "2w", "1y"."""
    seconds = max((now - then).total_seconds(), 0)
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 60:
        return f"{int(minutes)}m"
    if hours < 24:
        return f"{int(hours)}h"
    if days < 14:
        return f"{int(days)}d"
    if days < 730:
        return f"{int(days // 7)}w"
    return f"{int(days // 365)}y"


def span(delta: timedelta) -> str:
    """A duration in words, rounded down to its largest unit: "3 days", "1 hour"."""
    seconds = abs(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


def calendar_days(moment: datetime, now: datetime, zone: tzinfo) -> int:
    """Days from today to the day of `moment`, as a person counts them on a calendar in
    their zone: a deadline a week from now, whatever the hour, is "in 7 days"."""
    return (moment.astimezone(zone).date() - now.astimezone(zone).date()).days


def _days(n: int) -> str:
    """A count of days, short: "3d", "2w", "1y" (as `age` counts)."""
    if n < 14:
        return f"{n}d"
    if n < 730:
        return f"{n // 7}w"
    return f"{n // 365}y"


def due_cell(due: datetime, now: datetime, zone: tzinfo, *, short: bool = False) -> str:
    """A deadline in the list: "in 3d", "tomorrow", "today", "2d overdue" ("2d late" short)."""
    days = calendar_days(due, now, zone)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {_days(days)}"
    return f"{_days(-days)} {'late' if short else 'overdue'}"


def wake_cell(until: datetime, now: datetime, zone: tzinfo) -> str:
    """When a snoozed request comes back, in the list: "today", "tomorrow", "in 5d"."""
    days = calendar_days(until, now, zone)
    if days <= 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {_days(days)}"


def due_text(due: datetime, now: datetime, zone: tzinfo) -> str:
    """The deadline in words, in calendar days: "answer due in 7 days", "answer due
    tomorrow", "answer due today", "overdue since today", "overdue by 2 days"."""
    days = calendar_days(due, now, zone)
    if due > now:
        if days <= 0:
            return "answer due today"
        return "answer due tomorrow" if days == 1 else f"answer due in {days} days"
    if days >= 0:
        return "overdue since today"
    return f"overdue by {-days} day{'s' if days != -1 else ''}"


def when(moment: datetime, zone: tzinfo) -> str:
    """A moment in the user's zone: "2025-01-12 14:03"."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def day(moment: datetime, zone: tzinfo) -> str:
    """The day of a moment in the user's zone: "Mon 2025-01-20"."""
    return moment.astimezone(zone).strftime("%a %Y-%m-%d")
