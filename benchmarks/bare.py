"""The floors of the end-to-end figures: bare Textual apps, run in the same terminal harness.

    python -m benchmarks.bare static TEXT     one Static showing TEXT (start-up, memory)
    python -m benchmarks.bare table PAGES     one 100-row DataTable (keys, view switches)
    python -m benchmarks.bare search PAGES DB DEBOUNCE
                                              the table with a search box (search as you type)

The table's rows are numbered (`0007`) so the harness can tell which one the cursor is
on. Its keys: the DataTable's own (`down`, `pagedown`, …), `g` / `G` to the first / last
row, and `1`…`9` to replace the rows with another view's first page and its border title
with `<view> · <count>`, as netinbox's list shows a view. PAGES is a JSON file:
`{"1": {"title": "New", "count": 47539, "rows": [[name, headline, company, age], …]}, …}`.

The search floor is that table plus what a search needs and nothing else: `/` shows a
one-line `Search:` box above the table and focuses it; DEBOUNCE seconds after the last key
(the app's own debounce) the hand-written SQL of `search.HandSQL` (the view's condition
plus the full-text match, count and top 100, on its own read-only connection to the store
DB) runs in a worker thread, the previous one interrupted, as an app that keeps answering
keys must; the rows replace the table's and its title says `<view> · <count> · searched`.
Escape clears the search and shows the view's page again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static

COLUMNS = ("#", "name", "headline", "company", "age")


class BareStatic(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Text(self.text))


class BareTable(App[None]):
    CSS = "DataTable { border: round $accent; height: 1fr; }"
    BINDINGS = [
        *(Binding(str(n), f"view('{n}')", show=False) for n in range(10)),
        Binding("g", "first", show=False),
        Binding("G", "last", show=False),
        Binding("q", "quit", show=False),
    ]

    def __init__(self, pages: dict[str, Any]) -> None:
        super().__init__()
        self.pages = pages

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.action_view("1")
        self.table.focus()

    def action_view(self, key: str) -> None:
        page = self.pages.get(key)
        if page is None:
            return
        table = self.table
        table.clear()
        table.add_rows(
            [Text(f"{number:04d}"), *map(Text, row)] for number, row in enumerate(page["rows"])
        )
        table.border_title = f"{page['title']} · {page['count']}"

    def action_first(self) -> None:
        self.table.move_cursor(row=0)

    def action_last(self) -> None:
        self.table.move_cursor(row=self.table.row_count - 1)


class BareSearch(BareTable):
    """The table, and a search box whose words run the hand-written SQL."""

    CSS = f"""{BareTable.CSS}
    #bar {{ display: none; height: 1; }}
    #bar.-open {{ display: block; }}
    #bar > Label {{ width: auto; padding: 0 1; }}
    #bar > Input {{ width: 1fr; }}
    """
    BINDINGS = [*BareTable.BINDINGS, Binding("slash", "search", show=False),
                Binding("escape", "clear", show=False)]  # fmt: skip

    def __init__(self, pages: dict[str, Any], db: Path, debounce: float) -> None:
        super().__init__(pages)
        from benchmarks.search import HandSQL

        self.hand = HandSQL(db)
        self.debounce = debounce
        self.view_key = "1"
        self.timer: Timer | None = None
        self.searching = 0  # the number of the latest search; older results are dropped

    def compose(self) -> ComposeResult:
        with HorizontalGroup(id="bar"):
            yield Label("Search:")
            yield Input(compact=True)
        yield from super().compose()

    def action_view(self, key: str) -> None:
        if key in self.pages:
            self.view_key = key
        super().action_view(key)

    def action_search(self) -> None:
        self.query_one("#bar").add_class("-open")
        self.query_one(Input).focus()

    def action_clear(self) -> None:
        self._stop()
        with self.prevent(Input.Changed):
            self.query_one(Input).value = ""
        self.query_one("#bar").remove_class("-open")
        self.table.focus()
        self.action_view(self.view_key)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._stop()
        text = event.value
        if text.strip():
            self.timer = self.set_timer(self.debounce, lambda: self._search(text))

    def _stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.searching += 1
        self.hand.conn.interrupt()

    def _search(self, text: str) -> None:
        view = self.pages[self.view_key]["name"]
        self.run_worker(lambda: self._read(view, text, self.searching), thread=True,
                        exit_on_error=False)  # fmt: skip

    def _read(self, view: str, text: str, searching: int) -> None:
        import sqlite3

        try:
            count, rows = self.hand.answer(view, text)
        except sqlite3.OperationalError:
            return  # interrupted by a newer key
        self.call_from_thread(self._show, searching, count, rows)

    def _show(self, searching: int, count: int, rows: list[tuple[Any, ...]]) -> None:
        if searching != self.searching:
            return
        table = self.table
        table.clear()
        table.add_rows(
            [Text(f"{number:04d}"), *(Text(str(row[i] or "")) for i in (4, 5, 6)),
             Text(str(row[7])[:10])]
            for number, row in enumerate(rows)
        )  # fmt: skip
        table.border_title = f"{self.pages[self.view_key]['title']} · {count} · searched"


def main(argv: list[str]) -> None:
    kind, argument, *more = argv
    if kind == "static":
        BareStatic(argument).run()
    elif kind == "search":
        db, debounce = more
        pages = json.loads(Path(argument).read_text(encoding="utf-8"))
        BareSearch(pages, Path(db), float(debounce)).run()
    else:
        BareTable(json.loads(Path(argument).read_text(encoding="utf-8"))).run()


if __name__ == "__main__":
    main(sys.argv[1:])
