"""Times as the user reads them: each with its own instant's offset, not today's.

The clock stands in winter (CET, +1); what happened or will happen in summer (CEST, +2)
must still show at the wall-clock time a person in Berlin saw or will see."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from netinbox.config import Config
from netinbox.models import Platform, RequestRecord
from netinbox.store import Store
from netinbox.tui.app import NetInboxApp
from netinbox.tui.screens.add_request import AddRequestDialog
from tests.conftest import Clock
from tests.tui.conftest import Host, profile_text, settle

SUMMER = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)  # 11:00 in Berlin
WINTER = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)  # the clock: 10:00 in Berlin


def _request(name: str, received: datetime) -> RequestRecord:
    return RequestRecord(platform=Platform.LINKEDIN, name=name, received_at=received, source="test")


@pytest.mark.parametrize("how", ["config", "TZ"])
async def test_a_summer_time_read_in_winter_keeps_its_own_offset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "config":
        monkeypatch.setenv("TZ", "UTC")
        config = Config(timezone="Europe/Berlin")
    else:  # no zone in the config: the machine's, with its rules
        monkeypatch.setenv("TZ", "Europe/Berlin")
        config = Config()
    clock = Clock(WINTER)
    with Store(tmp_path / "t.db", config=config, clock=clock) as store:
        store.add_request(_request("Sommer Sonne", SUMMER))
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("7")
            await settle(pilot)
            assert "received 2026-07-15 11:00" in profile_text(app)


async def test_snooze_into_summer_shows_the_chosen_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")  # no zone in the config: the machine's
    clock = Clock(WINTER)
    with Store(tmp_path / "t.db", config=Config(), clock=clock) as store:
        request_id = store.add_request(_request("Winter Wolf", WINTER))
        app = NetInboxApp(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("z", "slash", *"2026-07-01", "enter")
            await settle(pilot)
            detail = store.get(request_id)
            assert detail.request.status == "snoozed"
            # midnight of 1 July in Berlin, CEST
            assert detail.request.snoozed_until == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
            await pilot.press("7")
            await settle(pilot)
            assert "snoozed until Wed 2026-07-01" in profile_text(app)


async def test_an_older_day_added_by_hand_is_noon_of_that_day_in_the_users_zone() -> None:
    from zoneinfo import ZoneInfo

    dialog = AddRequestDialog(date(2026, 1, 20), now=WINTER, zone=ZoneInfo("Europe/Berlin"))
    app: Any = Host(dialog)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*"Max")
        dialog.query_one("#received").value = "2025-07-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
    [record] = app.results
    assert record.received_at == datetime(2025, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 CEST
