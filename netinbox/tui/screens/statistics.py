"""The statistics screen: how the requests came in, how the follow-ups went, what became
of the requests and of the user's own, per month, as charts.

The numbers are read (`netinbox.stats`) and the charts drawn (`netinbox.tui.charts`) in a
worker on a reader connection of its own (`netinbox.readers`): the screen shows that it
is reading and answers every key meanwhile; a new period or platform stops the read in
progress. A resize draws the charts again from the numbers already read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from netinbox.i18n import N_, _
from netinbox.readers import Readers, interrupted
from netinbox.stats import IGNORED_AFTER_DAYS, OUTCOMES, Statistics, parse_period, statistics
from netinbox.stats_text import duration, months_text, number, platform_name, series, share
from netinbox.store import Store
from netinbox.tui.actions import bindings
from netinbox.tui.charts import Chart, charts, draw
from netinbox.tui.safe import toast
from netinbox.tui.widgets.footer import WordsFooter

PERIODS: tuple[tuple[str, str], ...] = (
    ("12m", N_("the last 12 months")),
    ("24m", N_("the last 24 months")),
    ("all", N_("all time")),
    ("3m", N_("the last 3 months")),
)
"""The periods `p` steps through, the first shown first."""

PLATFORMS: tuple[str | None, ...] = (None, "linkedin", "xing")
"""The platforms `n` steps through: all, then each."""

WIDE = 140
"""From this many columns on, the charts stand two side by side."""

CHART_HEIGHT = {True: 19, False: 14}
"""Rows of a chart's box (its border, legend and bars), side by side or one a row."""

TAG = "statistics"
"""The readers' tag of this screen's reads (`Readers.interrupt`)."""


class StatisticsScreen(Screen[None]):
    """Charts of a period on one platform or all; `p` and `n` choose, `escape` goes back."""

    DEFAULT_CSS = """
    StatisticsScreen { layout: vertical; }
    StatisticsScreen #stats-head { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    StatisticsScreen #stats-summary { height: auto; padding: 0 1; }
    StatisticsScreen #stats-charts { height: 1fr; }
    StatisticsScreen #stats-grid { grid-size: 1; grid-gutter: 0 1; height: auto; }
    StatisticsScreen.-wide #stats-grid { grid-size: 2; }
    StatisticsScreen .chart {
        height: 14; border: round $primary-muted; border-title-color: $text;
        border-title-style: bold;
    }
    StatisticsScreen.-wide .chart { height: 19; }
    StatisticsScreen #stats-platforms { height: auto; padding: 0 1; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("statistics")

    def __init__(self, store: Store, now: Callable[[], datetime], zone: tzinfo) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.zone = zone
        self.period = 0  # index into PERIODS
        self.platform = 0  # index into PLATFORMS
        self.stats: Statistics | None = None  # the numbers shown (None: reading)
        self._readers = Readers(store)
        self._reading = 0  # the number of the latest read; older ones are stale
        self._drawn_for: tuple[int, int] | None = None  # (width, height) of the charts shown
        self._redraw: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="stats-head")
        yield Static(id="stats-summary")
        with VerticalScroll(id="stats-charts"):
            with Grid(id="stats-grid"):
                for key in ("received", "follow_ups", "outcomes", "sent"):
                    yield Static(id=f"chart-{key}", classes="chart")
            yield Static(id="stats-platforms")
        yield WordsFooter()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        self.query_one("#stats-charts").focus()
        self.read()  # the charts' size is checked again once laid out (`on_resize`)

    def on_unmount(self) -> None:
        self._readers.close()

    # --- choosing -------------------------------------------------------------------------

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.read()

    def action_platform(self) -> None:
        self.platform = (self.platform + 1) % len(PLATFORMS)
        self.read()

    def action_close(self) -> None:
        self.dismiss()

    @property
    def period_code(self) -> str:
        return PERIODS[self.period][0]

    @property
    def platform_code(self) -> str | None:
        return PLATFORMS[self.platform]

    # --- reading, off the UI thread ---------------------------------------------------------

    def chart_size(self) -> tuple[int, int]:
        """The cells inside a chart's box: as laid out, or (before the first layout) as
        the screen's size will make it."""
        wide = self.app.size.width >= WIDE
        box = self.query_one("#chart-received", Static).content_size
        if box.width > 0 and box.height > 0 and self.has_class("-wide") == wide:
            return box.width, box.height
        columns = 2 if wide else 1
        width = (self.app.size.width - 1 - (columns - 1)) // columns - 2  # scrollbar, gutter
        return max(width, 20), CHART_HEIGHT[wide] - 2

    def read(self) -> None:
        """Read the chosen period and platform anew; the read in progress is stopped."""
        self._reading += 1
        self.stats = None
        self._readers.interrupt(TAG)
        self._show_head()
        self.query_one("#stats-summary", Static).update(_("Reading the statistics…"))
        self.query_one("#stats-charts").loading = True
        self._read(self._reading, self.period_code, self.platform_code, self.chart_size())

    @work(thread=True, exclusive=True, group="statistics", exit_on_error=False)
    def _read(self, reading: int, period: str, platform: str | None, size: tuple[int, int]) -> None:
        worker = get_current_worker()
        now = self.now()
        today: date = now.astimezone(self.zone).date()
        try:
            with self._readers.borrow(TAG) as reader:
                reader.clock = lambda: now
                result = statistics(
                    reader, parse_period(period, today=today), platform, zone=self.zone
                )
        except sqlite3.Error as error:
            if interrupted(error) or worker.is_cancelled:
                return
            self.app.call_from_thread(self._failed, reading, str(error))
            return
        if worker.is_cancelled:
            return
        drawn = {chart.key: draw(chart, *size) for chart in charts(result)}
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, reading, result, drawn, size)

    @work(thread=True, exclusive=True, group="statistics-draw", exit_on_error=False)
    def _draw(self, reading: int, result: Statistics, size: tuple[int, int]) -> None:
        drawn = {chart.key: draw(chart, *size) for chart in charts(result)}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, reading, result, drawn, size)

    def _failed(self, reading: int, reason: str) -> None:
        if reading != self._reading:
            return
        self.query_one("#stats-charts").loading = False
        self.query_one("#stats-summary", Static).update(
            Content(_("Could not read the statistics: {reason}").format(reason=reason))
        )
        toast(self, _("Could not read the statistics: {reason}").format(reason=reason),
              severity="error")  # fmt: skip

    # --- showing ----------------------------------------------------------------------------

    def _show_head(self) -> None:
        head = _("Statistics · {period} · {platform}").format(
            period=_(PERIODS[self.period][1]), platform=platform_name(self.platform_code)
        )
        stats = self.stats
        if stats is not None and stats.months:
            head += f" ({months_text(stats.months)})"
        self.query_one("#stats-head", Static).update(Content(head))

    def _show(
        self,
        reading: int,
        result: Statistics,
        drawn: dict[str, Content],
        size: tuple[int, int],
    ) -> None:
        if reading != self._reading or not self.is_attached:
            return
        self.stats = result
        self._drawn_for = size
        self._show_head()
        self._show_summary()
        for chart in charts(result):
            box = self.query_one(f"#chart-{chart.key}", Static)
            box.border_title = chart.title
            box.update(drawn[chart.key])
        self.query_one("#stats-platforms", Static).update(platform_table(result))
        self.query_one("#stats-charts").loading = False
        self.call_after_refresh(self._draw_again)  # if the layout gave the charts another size

    def _show_summary(self) -> None:
        if self.stats is not None:
            width = max(self.app.size.width - 2, 20)  # its padding
            self.query_one("#stats-summary", Static).update(summary(self.stats, width))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        self._show_summary()
        if self.stats is not None and self.chart_size() != self._drawn_for:
            if self._redraw is not None:
                self._redraw.stop()
            self._redraw = self.set_timer(0.1, self._draw_again)

    def _draw_again(self) -> None:
        if self.stats is not None and self.chart_size() != self._drawn_for:
            self._draw(self._reading, self.stats, self.chart_size())


def summary(stats: Statistics, width: int = 200) -> Content:
    """The period's numbers: received, follow-ups, my own requests, a line each, wrapped
    between its parts (never inside one) to `width` columns."""
    if stats.empty:
        return Content(_("No requests in this period."))
    received = stats.received_totals()
    follow = stats.follow_ups
    sent = stats.sent_totals()
    groups = [
        [
            _("Received: {n}").format(n=number(received.total)),
            _("with a message: {n} ({share})").format(
                n=number(received.with_message), share=share(received.with_message, received.total)
            ),
            _("placeholder profiles (“tba”): {n} ({share})").format(
                n=number(stats.profiles.placeholder),
                share=share(stats.profiles.placeholder, stats.profiles.total),
            ),
        ],
        [
            _("Follow-ups sent: {n}").format(n=number(follow.sent)),
            _("answered: {n} ({share})").format(
                n=number(follow.answered), share=share(follow.answered, follow.sent)
            ),
            _("within the deadline: {n}").format(n=number(follow.answered_in_time)),
            _("median time to answer: {time}").format(time=duration(follow.median_answer_seconds)),
        ],
        [
            _("My own requests sent: {n}").format(n=number(sent.total)),
            _("with a message: {n}").format(n=number(sent.with_message)),
            _("accepted: {n} ({share})").format(
                n=number(sent.accepted), share=share(sent.accepted, sent.total)
            ),
            _("withdrawn: {n}").format(n=number(sent.withdrawn)),
            _("no answer for {days}+ days: {n}").format(
                days=IGNORED_AFTER_DAYS, n=number(sent.no_answer)
            ),
            _("pending: {n}").format(n=number(sent.pending)),
        ],
    ]
    lines: list[str] = []
    for parts in groups:
        line = parts[0]
        for part in parts[1:]:
            if len(line) + 3 + len(part) <= width:
                line += " · " + part
            else:
                lines.append(line)
                line = "  " + part
        lines.append(line)
    return Content("\n".join(lines))


def platform_table(stats: Statistics) -> Content:
    """What became of the requests received, per platform: one line each, a header."""
    if stats.empty:
        return Content("")
    names = [series(code) for code in OUTCOMES]
    widths = [max(len(name), 6) for name in names]
    outcomes = _("Outcomes")
    first = max([len(platform_name(p)) for p in stats.platforms] + [len(_("all")), len(outcomes)])
    head = " ".join(f"{name:>{w}}" for name, w in zip(names, widths, strict=True))
    rows = [(platform_name(p), stats.outcome_totals(p)) for p in stats.platforms]
    if len(rows) != 1:
        rows.append((_("all"), stats.outcome_totals()))
    lines = [
        Content.styled(f"{outcomes:<{first}} {head}", "bold"),
        *(
            Content(
                f"{name:<{first}} "
                + " ".join(
                    f"{number(totals[c]):>{w}}" for c, w in zip(OUTCOMES, widths, strict=True)
                )
            )
            for name, totals in rows
        ),
    ]
    return Content("\n").join(lines)


__all__ = ["PERIODS", "PLATFORMS", "Chart", "StatisticsScreen", "platform_table", "summary"]
