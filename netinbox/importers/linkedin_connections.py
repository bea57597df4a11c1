"""Connections.csv: who is already a connection (an accepted request).

Since ~2020 a `Notes:` preamble precedes the header (Excel re-saves drop it or pad it with
commas); before, there was no `URL` column. `Connected On` is `01 Mar 2025`, `3/1/18,
9:05 AM` (2018), `12-Mar-25` (Excel) or `03.03.2025` (German Excel).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError

from netinbox.importers.base import ImportContext
from netinbox.importers.decoding import CsvInput, first_error, open_table
from netinbox.importers.linkedin import (
    EXPECTED,
    HIDDEN_PROFILE,
    Kind,
    accepts,
    parse_time,
    profile_ref,
    time_problem,
)
from netinbox.models import ConnectionRecord, Platform, SkippedRecord


def read_connections(
    src: CsvInput, ctx: ImportContext
) -> Iterator[ConnectionRecord | SkippedRecord]:
    """One ConnectionRecord per row. Rows of hidden or closed profiles carry only the date
    (`,,,,,,09 Mar 2025`): skipped with `HIDDEN_PROFILE`, so they can be counted (C-12).
    E-mail addresses are not read: nothing here needs them."""
    table = open_table(src, accepts(Kind.CONNECTIONS), ctx, EXPECTED[Kind.CONNECTIONS])
    date_column = table.header.index("connected on")
    for row in table:
        if isinstance(row, SkippedRecord):
            yield row
            continue
        name = f"{row.get('first name').strip()} {row.get('last name').strip()}".strip()
        if not name:
            others = [cell for i, cell in enumerate(row.cells) if i != date_column]
            hidden = not any(cell.strip() for cell in others)
            yield row.skip(HIDDEN_PROFILE if hidden else "missing name")
            continue
        raw_date = row.get("connected on")
        connected_on = parse_time(raw_date, ctx.tz)
        if raw_date.strip() and connected_on is None:
            yield row.skip(time_problem(raw_date, ctx.tz))
            continue
        try:
            yield ConnectionRecord(
                platform=Platform.LINKEDIN,
                name=name,
                profile_url=profile_ref(row.get("url", "profile url")),
                company=row.get("company").strip(),
                position=row.get("position").strip(),
                connected_on=connected_on,
                source=row.source,
            )
        except ValidationError as err:
            yield row.skip(first_error(err))
