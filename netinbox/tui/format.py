"""Times as the user reads them: ages in the list, local dates, deadlines in words — in
the interface's language (`07.12.2026`, `Mo 07.12.2026`, `vor 3 Tagen`)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from rich.cells import cell_len

from netinbox.config import Config
from netinbox.i18n import N_, _, ngettext, pgettext

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
"""Weekday abbreviations (Monday first, as `date.weekday()` counts), translated where shown."""


def user_zone(config: Config) -> tzinfo:
    """The configured time zone, else the machine's local one — with its DST rules, so each
    time is shown with the offset of its own instant: a July time in Berlin is CEST (+2)
    even when read in January, not today's fixed offset."""
    return config.zone()


def _short(n: int, unit: str) -> str:
    """A count with its one-letter unit, as the list shows ages: "5m", "3h", "6d"."""
    units = {
        "m": pgettext("age unit: minutes", "m"),
        "h": pgettext("age unit: hours", "h"),
        "d": pgettext("age unit: days", "d"),
        "w": pgettext("age unit: weeks", "w"),
        "y": pgettext("age unit: years", "y"),
    }
    return f"{n}{units[unit]}"


# Weeks stay two digits: the list's age column is three cells wide ("99w", then "1y").
_WEEKS_UNTIL = 700


def age(then: datetime, now: datetime) -> str:
    """A short age for the list: "5m", "3h", "6d", "2w", "1y" (German "6T", "2W", "1J")."""
    seconds = max((now - then).total_seconds(), 0)
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 60:
        return _short(int(minutes), "m")
    if hours < 24:
        return _short(int(hours), "h")
    if days < 14:
        return _short(int(days), "d")
    if days < _WEEKS_UNTIL:
        return _short(int(days // 7), "w")
    return _short(max(int(days // 365), 1), "y")


def ago(then: datetime, now: datetime) -> str:
    """How long ago, in words: "5 days ago", "2 weeks ago" ("vor 5 Tagen")."""
    seconds = max((now - then).total_seconds(), 0)
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    if hours < 24:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    if days < 14:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    if days < 730:
        weeks = days // 7
        return ngettext("%(n)d week ago", "%(n)d weeks ago", weeks) % {"n": weeks}
    years = days // 365
    return ngettext("%(n)d year ago", "%(n)d years ago", years) % {"n": years}


def span(delta: timedelta) -> str:
    """A duration in words, rounded down to its largest unit: "3 days", "1 hour"."""
    seconds = abs(delta.total_seconds())
    if seconds >= 86400:
        n = int(seconds // 86400)
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if seconds >= 3600:
        n = int(seconds // 3600)
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    if seconds >= 60:
        n = int(seconds // 60)
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    return _("less than a minute")


def calendar_days(moment: datetime, now: datetime, zone: tzinfo) -> int:
    """Days from today to the day of `moment`, as a person counts them on a calendar in
    their zone: a deadline a week from now, whatever the hour, is "in 7 days"."""
    return (moment.astimezone(zone).date() - now.astimezone(zone).date()).days


def _days(n: int) -> str:
    """A count of days, short: "3d", "2w", "1y" (as `age` counts)."""
    if n < 14:
        return _short(n, "d")
    if n < _WEEKS_UNTIL:
        return _short(n // 7, "w")
    return _short(max(n // 365, 1), "y")


def _tomorrow(short: bool) -> str:
    """Tomorrow in the list: the word, or in a narrow column "in 1d" where the word is
    wider than the column's other words (English "tomorrow"; German "morgen" fits)."""
    word = _("tomorrow")
    in_days = _("in %(days)s")
    if short and cell_len(word) > cell_len(in_days % {"days": _short(12, "d")}):
        return in_days % {"days": _short(1, "d")}
    return word


def due_cell(due: datetime, now: datetime, zone: tzinfo, *, short: bool = False) -> str:
    """A deadline in the list: "in 3d", "tomorrow", "today", "2d overdue" ("2d late",
    "in 1d" for tomorrow, in a narrow list)."""
    days = calendar_days(due, now, zone)
    if days == 0:
        return _("today")
    if days == 1:
        return _tomorrow(short)
    if days > 0:
        return _("in %(days)s") % {"days": _days(days)}
    if short:
        return _("%(days)s late") % {"days": _days(-days)}
    return _("%(days)s overdue") % {"days": _days(-days)}


def late_cell(due: datetime, now: datetime, zone: tzinfo) -> str:
    """How late an answer is, under a "Late" header (Overdue, narrow): "2d", "3w"; "today"
    on the deadline's own day."""
    days = -calendar_days(due, now, zone)
    return _days(days) if days > 0 else _("today")


def late_width() -> int:
    """The narrow Overdue column's width: its header ("Late") or its widest value."""
    samples = [pgettext("column", "Late"), _("today"), _short(12, "d")]
    return max(cell_len(text) for text in samples)


def due_width(*, short: bool) -> int:
    """The deadline column's width: its widest words in the interface's language ("12d
    overdue" where there is room; in a narrow list "in 12d", the late ones only under
    Overdue's own header: `late_width`)."""
    samples = [_("today"), _tomorrow(short), _("in %(days)s") % {"days": _short(12, "d")}]
    if not short:
        samples.append(_("%(days)s overdue") % {"days": _short(12, "d")})
    return max(cell_len(text) for text in samples)


def wake_cell(until: datetime, now: datetime, zone: tzinfo, *, short: bool = False) -> str:
    """When a snoozed request comes back, in the list: "today", "tomorrow", "in 5d"."""
    days = calendar_days(until, now, zone)
    if days <= 0:
        return _("today")
    return _tomorrow(short) if days == 1 else _("in %(days)s") % {"days": _days(days)}


def due_text(due: datetime, now: datetime, zone: tzinfo) -> str:
    """The deadline in words, in calendar days: "answer due in 7 days", "answer due
    tomorrow", "answer due today", "overdue since today", "overdue by 2 days"."""
    days = calendar_days(due, now, zone)
    if due > now:
        if days <= 0:
            return _("answer due today")
        if days == 1:
            return _("answer due tomorrow")
        return ngettext("answer due in %(n)d day", "answer due in %(n)d days", days) % {"n": days}
    if days >= 0:
        return _("overdue since today")
    return ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}


def date_text(moment: datetime, zone: tzinfo) -> str:
    """The date of a moment in the user's zone: "2025-01-20" ("20.01.2025")."""
    # Translators: a strftime date format; German: %d.%m.%Y
    return moment.astimezone(zone).strftime(pgettext("date format", "%Y-%m-%d"))


def when(moment: datetime, zone: tzinfo) -> str:
    """A moment in the user's zone: "2025-01-12 14:03" ("12.01.2025 14:03")."""
    local = moment.astimezone(zone)
    return f"{date_text(local, zone)} {local.strftime('%H:%M')}"


def day(moment: datetime, zone: tzinfo) -> str:
    """The day of a moment in the user's zone: "Mon 2025-01-20" ("Mo 20.01.2025")."""
    local = moment.astimezone(zone)
    return f"{_(WEEKDAYS[local.weekday()])} {date_text(local, zone)}"
