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


def due_text(due: datetime, now: datetime) -> str:
    """ "answer due in 3 days" or "overdue by 2 days"."""
    if due <= now:
        return f"overdue by {span(now - due)}"
    return f"answer due in {span(due - now)}"


def when(moment: datetime, zone: tzinfo) -> str:
    """A moment in the user's zone: "2025-01-12 14:03"."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def day(moment: datetime, zone: tzinfo) -> str:
    """The day of a moment in the user's zone: "Mon 2025-01-20"."""
    return moment.astimezone(zone).strftime("%a %Y-%m-%d")
