"""Reading what users import: LinkedIn exports, other tools' CSV/JSON, e-mails, vCards.

    records = iter_records(paths, ImportContext(tz=...), strict=False)
    total = total_bytes(paths)  # what ctx.read will add up to, for a progress bar

Every problem with an input is a `BadInput` naming file, line and problem; rows that
cannot be used come out as `SkippedRecord`s with a reason.
"""

from netinbox.importers.base import BadInput, ImportContext
from netinbox.importers.detect import iter_records, total_bytes

__all__ = ["BadInput", "ImportContext", "iter_records", "total_bytes"]
