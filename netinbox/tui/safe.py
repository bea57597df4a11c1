"""The only way outside text reaches Textual: as data, never as markup.

Names, headlines and messages come from strangers. Textual parses markup in plain
strings almost everywhere (a name like `[@click=app.quit]x[/]` would be clickable, and
`[/` crashes the app), so every outside string passes `for_terminal` here and is wrapped
as `Content` (Textual widgets) or `rich.text.Text` (list cells). Nothing in `netinbox.tui`
formats outside text into a markup string.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from netinbox.text import LIST_CELL_CAP, for_terminal

DETAIL_CAP = 20_000  # a 1 MB message would freeze the layout (docs/reliability.md, B-8)


def clean(value: str | None, cap: int | None = None) -> str:
    """One line of outside text, inert on a terminal."""
    return for_terminal(value, cap=cap)


def plain(value: str | None, cap: int | None = None) -> Content:
    """One line of outside text as Content: no markup, no escapes."""
    return Content(for_terminal(value, cap=cap))


def block(value: str | None, cap: int = DETAIL_CAP) -> Content:
    """Several lines of outside text (a message, an answer) as Content."""
    return Content(for_terminal(value, cap=cap, one_line=False))


def cell(value: str | None, cap: int = LIST_CELL_CAP) -> Text:
    """A list or table cell: rich Text, never parsed as markup."""
    return Text(for_terminal(value, cap=cap), no_wrap=True, overflow="ellipsis")


def labelled(label: str, value: str | None, cap: int | None = None) -> Content:
    """`label value` with the label in bold; the value is substituted as data."""
    return Content.from_markup("[b]$label[/b] $value", label=label, value=clean(value, cap))


def styled(value: str | None, style: str, cap: int | None = None) -> Content:
    """Outside text in one style of ours (e.g. "bold", "$error")."""
    return Content.styled(for_terminal(value, cap=cap), style)


def toast(
    node: DOMNode,
    message: str,
    *,
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A notification whose text may hold outside text: never parsed as markup."""
    node.app.notify(
        for_terminal(message, one_line=False), severity=severity, timeout=timeout, markup=False
    )
