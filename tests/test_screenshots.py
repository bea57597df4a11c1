"""`python -m netinbox.tui.screenshots` runs the real app on the demo store and writes the SVGs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from netinbox.tui.screenshots import SHOTS, main


def _text(svg: str) -> str:
    """The visible text of an exported screenshot, roughly (cells joined per element)."""
    return html.unescape(" ".join(re.findall(r">([^<>]+)</text>", svg))).replace("\xa0", " ")


@pytest.mark.slow  # (runs in CI: .ci/run)
def test_screenshots_are_written(tmp_path: Path, capsys: object) -> None:
    assert main(["--out", str(tmp_path / "shots")]) == 0
    written = {
        path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "shots").iterdir()
    }
    assert set(written) == {shot.name for shot in SHOTS}
    for svg in written.values():
        assert svg.lstrip().startswith("<svg") and "netinbox" in svg
    assert "thank you for your contact request" in _text(written["ask.svg"])  # the draft
    assert "Overdue" in _text(written["overdue.svg"])
    assert "overdue" in _text(written["overdue.svg"])  # the Due column: "2d overdue"
    narrow = _text(written["overdue-80x24.svg"])  # narrow: "2d" under "Late"
    assert re.search(r"Net Late +Flags", narrow) and re.search(r"LI +\d+d ", narrow), narrow
    german = _text(written["main-de.svg"])  # the same screen in German
    assert "Entwurf" in german and "Warnzeichen" in german and "Draft" not in german
    assert "Wakes" in _text(written["snoozed.svg"])
    assert "No requests yet." in _text(written["first-run-80x24.svg"])
    assert "title:tba" in _text(written["search.svg"])
    assert "Red flags" in _text(written["help.svg"])
    for name in ("statistics.svg", "statistics-80x24.svg"):
        assert "Requests received per month" in _text(written[name])
        assert "with a message" in _text(written[name])
    assert "Follow-ups sent per month" in _text(written["statistics.svg"])
    assert 'viewBox="0 0 ' in written["main-80x24.svg"]
    for name in ("sent.svg", "sent-80x24.svg"):
        assert "Sent by me" in _text(written[name]) and "sent by you" in _text(written[name])
    for name in ("owed.svg", "owed-80x24.svg"):
        assert "I owe an answer" in _text(written[name])
        assert "You owe an answer" in _text(written[name])
        assert "→ Johanna Reiter " in _text(written[name])  # the whole name, at 80 columns too
        said = " ".join(_text(written[name]).split())
        assert "write your answer" in said and "Withdraw" in said  # the keys of my request
