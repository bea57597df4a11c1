"""The statistics in words and bars: the names of what `netinbox.stats` counts, and the
table `netinbox stats` prints (block bars, plain text, no colour: terminal-safe and the
same in a pipe). The app's statistics screen takes its words from here too."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from netinbox.i18n import N_, _, ngettext, pgettext
from netinbox.stats import CHART_SERIES, IGNORED_AFTER_DAYS, OUTCOMES, PeriodError, Statistics
from netinbox.words import platform_label

SERIES: dict[str, str] = {
    "with_message": N_("with a message"),
    "without_message": N_("without a message"),
    "placeholder": N_("placeholder profile (“tba”)"),
    "answered_in_time": N_("answered in time"),
    "answered_late": N_("answered late"),
    "no_answer": N_("no answer"),
    "waiting": N_("waiting"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "could_not_ask": N_("could not ask"),
    "open": N_("open"),
    "withdrawn": N_("withdrawn"),
    "pending": N_("pending"),
}
"""What each counted series is called, by its code."""


TITLES: dict[str, str] = {
    "received": N_("Requests received per month"),
    "follow_ups": N_("Follow-ups sent per month and their answers"),
    "outcomes": N_("What became of the requests received"),
    "sent": N_("My own requests sent per month"),
}

PERIOD_ERRORS: dict[str, str] = {
    "format": N_("{value!r} is not a period: use 12m, 2y, 2026, 2026-03 or all"),
    "month": N_("{value!r} is not a month: use YYYY-MM, such as 2026-03"),
    "order": N_("the period ends before it starts ({value})"),
    "range": N_("{value!r} is too long a period (at most 100 years)"),
    "both": N_("give either a period or --since/--until, not both"),
}

GLYPHS = "█▓▒░·"
"""The stacked parts of a bar, first series first: told apart without colour."""

LABEL_WIDTH = 8  # "2026-03 "
BAR_WIDTH = 40


def series(code: str) -> str:
    return _(SERIES[code])


def platform_name(code: str | None) -> str:
    if code is None:
        return _("all platforms")
    return platform_label(code)


def period_error(error: PeriodError) -> str:
    return _(PERIOD_ERRORS.get(error.code, PERIOD_ERRORS["format"])).format(value=error.value)


def month_text(label: str) -> str:
    """A month of the statistics, "2026-03", as the user's language writes it: as it is
    in English, "03/2026" in German."""
    year, _sep, month = label.partition("-")
    if not (year.isdigit() and month.isdigit()):
        return label
    # Translators: a month and its year (the numbers); German: %(month)s/%(year)s
    return pgettext("month", "%(year)s-%(month)s") % {"year": year, "month": month}


def months_text(months: Sequence[str]) -> str:
    """The months a statistics covers: "2026-01 – 2026-12" (German "01/2026 – 12/2026")."""
    first, last = month_text(months[0]), month_text(months[-1])
    return first if first == last else f"{first} – {last}"


def number(n: int) -> str:
    return f"{n:,}"


def share(part: int, whole: int) -> str:
    """ "12%", or "–" of nothing."""
    if not whole:
        return "–"
    return f"{round(100 * part / whole)}%"


def duration(seconds: int | None) -> str:
    """A time to answer as a person says it: "5 hours", "2.5 days"."""
    if seconds is None:
        return "–"
    hours = seconds / 3600
    if hours < 1:
        minutes = max(round(seconds / 60), 1)
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    if hours < 48:
        whole = round(hours)
        return ngettext("{n} hour", "{n} hours", whole).format(n=whole)
    days = round(hours / 24, 1)
    shown = f"{days:g}"
    return ngettext("{n} day", "{n} days", 1 if days == 1 else 2).format(n=shown)


def stacked_bar(parts: Sequence[int], largest: int, width: int = BAR_WIDTH) -> str:
    """One bar of `width` cells at most, each part in its glyph; a bar for `largest` is
    full. Parts are cut where their running total falls, so the bar's length is its
    total's, and a part above zero shows at least one cell where there is room."""
    if largest <= 0:
        return ""
    cells: list[str] = []
    running = 0
    drawn = 0
    for index, part in enumerate(parts):
        running += part
        end = round(running * width / largest)
        if part > 0 and end <= drawn and drawn < width:
            end = drawn + 1
        cells.append(GLYPHS[index % len(GLYPHS)] * max(end - drawn, 0))
        drawn = max(end, drawn)
    return "".join(cells)


def legend(codes: Sequence[str]) -> str:
    return "  ".join(f"{GLYPHS[n % len(GLYPHS)]} {series(code)}" for n, code in enumerate(codes))


def _chart(
    title: str,
    codes: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int]]],
    width: int,
) -> list[str]:
    """A titled chart: a legend, then one line a row: its label, its bar, its numbers."""
    largest = max((sum(parts) for _label, parts in rows), default=0)
    numbers = [" · ".join(number(n) for n in parts) for _label, parts in rows]
    room = max(width - LABEL_WIDTH - 1 - max((len(text) for text in numbers), default=0), 4)
    bar_width = min(BAR_WIDTH, room)
    lines = [title, legend(codes)]
    for (label, parts), text in zip(rows, numbers, strict=True):
        bar = stacked_bar(parts, largest, bar_width)
        shown = month_text(label)
        lines.append(f"{shown:<{LABEL_WIDTH - 1}} {bar:<{bar_width}} {text}".rstrip())
    return lines


def _series_chart(key: str, rows: Sequence[Any], width: int) -> list[str]:
    """The chart `key` of `CHART_SERIES` (the app draws the same series)."""
    codes = CHART_SERIES[key]
    values = [(str(row.month), tuple(int(getattr(row, code)) for code in codes)) for row in rows]
    return _chart(_(TITLES[key]), codes, values, width)


def report(stats: Statistics, width: int = 80) -> list[str]:
    """The statistics as lines of plain text, none wider than `width` (at least 60)."""
    width = max(width, 60)
    if stats.months:
        span = months_text(stats.months)
        head = _("Statistics {period}, {platform}").format(
            period=span, platform=platform_name(stats.platform)
        )
    else:
        head = _("Statistics: {platform}").format(platform=platform_name(stats.platform))
    lines = [head, ""]
    if stats.empty:
        return [*lines, _("No requests in this period.")]
    received = stats.received_totals()
    lines += _series_chart("received", stats.received, width)
    lines += wrap(
        _("{total} received: {with_} with a message ({share}), {without} without").format(
            total=number(received.total),
            with_=number(received.with_message),
            share=share(received.with_message, received.total),
            without=number(received.without_message),
        ),
        width,
    )
    lines += wrap(
        _("Placeholder profiles (a job title or company such as “tba”): {n} ({share})").format(
            n=number(stats.profiles.placeholder),
            share=share(stats.profiles.placeholder, stats.profiles.total),
        ),
        width,
    )
    lines.append("")
    follow = stats.follow_ups
    lines += _series_chart("follow_ups", stats.follow_ups_by_month, width)
    lines += wrap(
        _(
            "{sent} sent, {answered} answered ({share}), {in_time} within the deadline;"
            " median time to answer: {median}"
        ).format(
            sent=number(follow.sent),
            answered=number(follow.answered),
            share=share(follow.answered, follow.sent),
            in_time=number(follow.answered_in_time),
            median=duration(follow.median_answer_seconds),
        ),
        width,
    )
    lines.append("")
    lines += _series_chart("outcomes", stats.outcomes_by_month(), width)
    lines += outcome_table(stats)
    lines.append("")
    lines += _series_chart("sent", stats.sent, width)
    lines += wrap(sent_summary(stats), width)
    return lines


def sent_summary(stats: Statistics) -> str:
    """What became of the user's own requests, in one sentence (the CLI's and the app's)."""
    sent = stats.sent_totals()
    return _(
        "{total} sent: {with_} with a message; {accepted} accepted ({share}),"
        " {withdrawn} withdrawn, {no_answer} without an answer for {days} days or more,"
        " {pending} pending"
    ).format(
        total=number(sent.total),
        with_=number(sent.with_message),
        accepted=number(sent.accepted),
        share=share(sent.accepted, sent.total),
        withdrawn=number(sent.withdrawn),
        no_answer=number(sent.no_answer),
        days=IGNORED_AFTER_DAYS,
        pending=number(sent.pending),
    )


def wrap(text: str, width: int) -> list[str]:
    """A sentence as lines of at most `width` characters, the next ones indented."""
    return textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False) or [""]


def outcome_table(stats: Statistics) -> list[str]:
    """The outcomes over the period by platform, one line each, with a header."""
    names = [series(code) for code in OUTCOMES]
    widths = [max(len(name), 6) for name in names]
    head = " ".join(f"{name:>{w}}" for name, w in zip(names, widths, strict=True))
    lines = [f"{'':<10}{head}"]
    rows = [(platform_name(p), stats.outcome_totals(p)) for p in stats.platforms]
    if len(rows) != 1:
        rows.append((_("all"), stats.outcome_totals()))
    for name, totals in rows:
        cells = " ".join(
            f"{number(totals[code]):>{w}}" for code, w in zip(OUTCOMES, widths, strict=True)
        )
        lines.append(f"{name[:9]:<10}{cells}")
    return lines
