"""The floors of the end-to-end figures: bare Textual apps, run in the same terminal harness.

    python -m benchmarks.bare static TEXT     one Static showing TEXT (start-up, memory)
    python -m benchmarks.bare table PAGES     one 100-row DataTable (keys, view switches)

The table's rows are numbered (`0007`) so the harness can tell which one the cursor is
on. Its keys: the DataTable's own (`down`, `pagedown`, …), `g` / `G` to the first / last
row, and `1`…`9` to replace the rows with another view's first page and its border title
with `<view> · <count>`, as netinbox's list shows a view. PAGES is a JSON file:
`{"1": {"title": "New", "count": 47539, "rows": [[name, headline, company, age], …]}, …}`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

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


def main(argv: list[str]) -> None:
    kind, argument = argv
    if kind == "static":
        BareStatic(argument).run()
    else:
        BareTable(json.loads(Path(argument).read_text(encoding="utf-8"))).run()


if __name__ == "__main__":
    main(sys.argv[1:])
