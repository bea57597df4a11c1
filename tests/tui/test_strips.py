"""Lines sent with fewer style sequences look the same on the terminal."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from netinbox.tui.strips import compact

TEXT = Style(color="white", bgcolor="black")
BOLD = Style(color="white", bgcolor="black", bold=True)
RED = Style(color="red", bgcolor="black")


def cells(strip: Strip) -> list[tuple[str, str | None, bool]]:
    """Each cell as a terminal shows it: its character, background and whether a line or
    reversal shows on a blank."""
    out = []
    for text, style, _ in strip:
        assert style is not None
        for char in text:
            shown = style.color.name if style.color and char != " " else None
            out.append((char, shown, bool(style.underline or style.reverse)))
    return out


def test_runs_of_one_style_and_blanks_beside_text_are_one_segment_each() -> None:
    strip = Strip([Segment(" • ", TEXT), Segment("Anna", TEXT), Segment("   ", BOLD),
                   Segment("M", RED), Segment("  ", TEXT)])  # fmt: skip
    joined = compact(strip)
    assert [s.text for s in joined] == [" • Anna   ", "M  "]
    assert cells(joined) == cells(strip) and joined.cell_length == strip.cell_length


def test_blanks_that_would_look_different_stay_apart() -> None:
    other_background = Style(color="white", bgcolor="blue")
    underlined = Style(color="white", bgcolor="black", underline=True)
    clickable = Style(color="white", bgcolor="black", meta={"@click": "app.bell"})
    for style in (other_background, underlined, clickable):
        strip = Strip([Segment("Anna", TEXT), Segment("   ", style)])
        assert len(compact(strip)) == 2
