"""Shared fixtures for the core tests: a store on a temporary file with a clock you move."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from netinbox.config import Config
from netinbox.models import Platform, RequestRecord
from netinbox.store import Store

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # a Monday far from any DST change


class Clock:
    """A clock the test moves by hand: `clock.now = …` or `clock.advance(days=1)`."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the user's real config or store."""
    monkeypatch.setenv("NETINBOX_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.delenv("NETINBOX_DB", raising=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "n.db"


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    with Store(db_path, config=Config(), clock=clock) as opened:
        yield opened


@pytest.fixture
def rec() -> Callable[..., RequestRecord]:
    """Build a RequestRecord: rec("Max Muster", message="Hi", days_ago=1, …)."""

    def make(name: str = "Max Mustermann", *, days_ago: float = 1, **fields: Any) -> RequestRecord:
        fields.setdefault("platform", Platform.LINKEDIN)
        fields.setdefault("received_at", T0 - timedelta(days=days_ago))
        fields.setdefault("source", "test")
        return RequestRecord(name=name, **fields)

    return make


@pytest.fixture
def add(store: Store, rec: Callable[..., RequestRecord]) -> Callable[..., int]:
    """Import one request (not an undoable change) and return its id."""

    def add_one(name: str = "Max Mustermann", **fields: Any) -> int:
        with store.write():
            outcome, request_id = store.upsert_request(rec(name, **fields))
        assert outcome == "new" and request_id is not None
        return request_id

    return add_one
