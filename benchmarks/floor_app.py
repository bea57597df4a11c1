"""The keypress floor: a bare app with one 100-row `DataTable`.

`down` moves the cursor (DataTable's own binding); `1`…`7` replace the rows with another
view's first page, as netinbox's filters do.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

COLUMNS = ("status", "name", "headline", "company", "received")


class FloorApp(App[None]):
    BINDINGS = [Binding(str(n), f"view('{n}')", show=False) for n in range(1, 8)]

    def __init__(self, pages: dict[str, list[tuple[str, ...]]]) -> None:
        super().__init__()
        self.pages = {key: [tuple(map(Text, row)) for row in rows] for key, rows in pages.items()}

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.table.add_rows(self.pages["1"])
        self.table.focus()

    def action_view(self, key: str) -> None:
        self.table.clear()
        self.table.add_rows(self.pages[key])
