"""Lines drawn with fewer style changes.

Every segment of a line is sent to the terminal as its own style sequence and reset
(`\\x1b[38;5;253;48;5;233m…\\x1b[0m`, ~25 bytes), and at 100,000 requests what a key costs
is mostly the bytes of the lines it repaints (both the app and the terminal handle each
one). Joining runs of one style, and letting blanks take the style of the text beside them
where they look the same, sends the same picture in fewer bytes.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip


def _blank(text: str) -> bool:
    return not text.strip(" ")


def _alike_on_blanks(one: Style | None, other: Style | None) -> bool:
    """Blanks look the same in either style: the same background, and nothing else a
    blank shows (reverse, lines through, under or over it, a link, mouse actions)."""
    if one is None or other is None:
        return one is other
    if one.link or other.link or one.meta or other.meta:
        return False
    return (
        one.bgcolor == other.bgcolor
        and one.reverse == other.reverse
        and one.underline == other.underline
        and one.underline2 == other.underline2
        and one.strike == other.strike
        and one.overline == other.overline
        and one.conceal == other.conceal
    )


def compact(strip: Strip) -> Strip:
    """`strip` with as few segments as it can have and look the same: adjacent segments of
    one style joined, and a run of blanks joined to the text before or after it."""
    segments: list[Segment] = []
    for segment in strip:
        text, style, control = segment
        if control or not segments:
            segments.append(segment)
            continue
        last_text, last_style, last_control = segments[-1]
        if last_control:
            segments.append(segment)
        elif style == last_style:
            segments[-1] = Segment(last_text + text, last_style)
        elif _blank(text) and _alike_on_blanks(style, last_style):
            segments[-1] = Segment(last_text + text, last_style)
        elif _blank(last_text) and _alike_on_blanks(style, last_style):
            segments[-1] = Segment(last_text + text, style)
        else:
            segments.append(segment)
    if len(segments) == len(strip):  # nothing joined: keep the strip (its caches)
        return strip
    return Strip(segments, strip.cell_length)
