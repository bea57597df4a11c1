"""The list's short ages and deadlines fit their three-cell column in both languages."""

from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len

from netinbox.i18n import set_language
from netinbox.tui.format import age, due_cell

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_age_up_to_ten_years_fits_three_cells(language: str) -> None:
    set_language(language)
    try:
        for days in range(0, 3650):
            shown = age(NOW - timedelta(days=days, hours=1), NOW)
            assert cell_len(shown) <= 3, (days, shown)
    finally:
        set_language("en")


def test_ages_read_as_a_person_counts() -> None:
    set_language("en")
    assert age(NOW - timedelta(days=6), NOW) == "6d"
    assert age(NOW - timedelta(days=90 * 7), NOW) == "90w"
    assert age(NOW - timedelta(days=99 * 7 + 6), NOW) == "99w"
    assert age(NOW - timedelta(days=100 * 7), NOW) == "1y"
    assert age(NOW - timedelta(days=800), NOW) == "2y"


def test_a_deadline_far_away_fits_as_well() -> None:
    set_language("en")
    assert due_cell(NOW + timedelta(days=700), NOW, UTC) == "in 1y"
    assert due_cell(NOW + timedelta(days=690), NOW, UTC) == "in 98w"
