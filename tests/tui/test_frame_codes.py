"""A frame of the main screen sets each cell's style with the fewest codes, and every cell
ends up styled exactly as Textual's own writing would style it.

Textual writes each piece of text with its full style and a reset after it
(`\\x1b[38;5;253;48;5;17mtext\\x1b[0m`), so a frame was mostly codes. The main screen's
frames (`netinbox.tui.textual_private._SpansUpdate`) write only what changes from one
piece to the next. Here a small reader of SGR codes follows both writings of the same
pieces and compares, character by character, the attributes and colours in effect.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from netinbox.tui.textual_private import _SpansUpdate

CODES = re.compile(r"\x1b\[([0-9;]*)m|\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*H")
ATTRIBUTES = ("bold", "dim", "italic", "underline", "blink", "reverse", "conceal", "strike")
COLOURS = (None, "default", "red", "bright_green", "#102030", "#ffeedd", "color(200)")

State = tuple[frozenset[str], str, str]


def _colour(codes: list[str], index: int) -> tuple[str, int]:
    """The colour starting at codes[index]: (its codes, how many it takes)."""
    if codes[index] in ("38", "48"):
        size = 3 if codes[index + 1] == "5" else 5
        return ";".join(codes[index + 1 : index + size]), size
    return codes[index], 1


def styled(written: str) -> list[tuple[str, State]]:
    """Each character written, with the attributes and colours in effect for it."""
    attributes: set[str] = set()
    foreground = background = "default"
    out: list[tuple[str, State]] = []
    position = 0
    for match in CODES.finditer(written):
        for character in written[position : match.start()]:
            out.append((character, (frozenset(attributes), foreground, background)))
        position = match.end()
        if match.group(1) is None:  # a link or a cursor move: no style change
            continue
        codes = match.group(1).split(";") if match.group(1) else ["0"]
        index = 0
        while index < len(codes):
            code = codes[index]
            if code == "0":
                attributes.clear()
                foreground = background = "default"
            elif code in ("38", "48") or code.isdigit() and (
                30 <= int(code) <= 37 or 40 <= int(code) <= 47 or 90 <= int(code) <= 107
            ):
                colour, size = _colour(codes, index)
                if code == "38" or int(code) in range(30, 38) or int(code) in range(90, 98):
                    foreground = colour
                else:
                    background = colour
                index += size
                continue
            elif code == "39":
                foreground = "default"
            elif code == "49":
                background = "default"
            else:
                attributes.add(code)
            index += 1
    for character in written[position:]:
        out.append((character, (frozenset(attributes), foreground, background)))
    return out


def _style(draw: st.DrawFn) -> Style | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    flags = {name: True for name in ATTRIBUTES if draw(st.integers(0, 3)) == 0}
    colour, background = draw(st.sampled_from(COLOURS)), draw(st.sampled_from(COLOURS))
    link = "https://example.org/x" if draw(st.integers(0, 9)) == 0 else None
    return Style(
        color=Color.parse(colour) if colour else None,
        bgcolor=Color.parse(background) if background else None,
        link=link,
        **flags,
    )


@st.composite
def pieces(draw: st.DrawFn) -> list[Segment]:
    count = draw(st.integers(1, 12))
    return [
        Segment(draw(st.text("abcXYZ ─│", min_size=1, max_size=4)), _style(draw))
        for _ in range(count)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(), min_size=1, max_size=3), st.sampled_from(["256", "truecolor"]))
def test_every_character_is_styled_as_textual_writes_it(
    lines: list[list[Segment]], colours: str
) -> None:
    console = Console(color_system=colours, force_terminal=True)  # type: ignore[arg-type]
    strips = [Strip(segments) for segments in lines]
    ours = _SpansUpdate([(y, [(0, strip)]) for y, strip in enumerate(strips)])
    textuals = "".join(strip.render(console) for strip in strips)
    assert styled(ours.render_segments(console)) == styled(textuals)


def test_a_frame_writes_a_style_once_while_it_lasts_and_ends_with_a_reset() -> None:
    console = Console(color_system="256", force_terminal=True)
    blue = Style(color="white", bgcolor="blue")
    bold = Style(color="white", bgcolor="blue", bold=True)
    strip = Strip([Segment("ab", blue), Segment("cd", blue), Segment("ef", bold), Segment("g")])
    written = _SpansUpdate([(0, [(0, strip)])]).render_segments(console)
    assert written == "\x1b[0m\x1b[1;1H\x1b[37;44mabcd\x1b[1mef\x1b[0mg"
    assert len(written) < len(strip.render(console))
