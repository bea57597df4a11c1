"""Shared fixtures for the importer tests: the import context they read with.

LinkedIn's `Sent At` has no zone, so the tests of CSV files read in `tests.conftest.BERLIN`
(the zone of the sample export's owner); mails and vCards carry their own zone and are
read in UTC (`ctx`).
"""

from __future__ import annotations

from datetime import UTC

import pytest

from netinbox.importers.base import ImportContext


@pytest.fixture
def ctx() -> ImportContext:
    """The context of an import in UTC, with no platform chosen."""
    return ImportContext(tz=UTC)
