"""Shared fixtures for all tests: a store on a temporary file with a clock you move, one in
Berlin's zone, a filled and closed store, and where the sample files are.

tests/tui/conftest.py adds the app and its people, tests/importers/conftest.py the import
context, tests/reliability/conftest.py the real `netinbox` as a child process."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from netinbox.config import Config
from netinbox.exporters import write_csv, write_json
from netinbox.models import Platform, RequestRecord
from netinbox.store import Store

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)  # a Monday far from any DST change
#: The zone of the sample export's owner (LinkedIn's `Sent At` has none).
BERLIN = ZoneInfo("Europe/Berlin")

ROOT = Path(__file__).resolve().parents[1]
#: The synthetic sample files (invented people, shaped like the real ones: docs/formats.md).
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
EXPORT = SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025"
EXPORT_ZIP = SAMPLES / "linkedin" / "Basic_LinkedInDataExport_03-14-2025.zip"


def pytest_configure(config: pytest.Config) -> None:
    from tests import textual_idle

    textual_idle.install()  # the pilot waits for what the app has left to do, not for 40 ms


class Clock:
    """A clock the test moves by hand: `clock.now = …` or `clock.advance(days=1)`."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def to_json(store: Store) -> str:
    """What `netinbox export` writes, as text."""
    buffer = io.StringIO()
    write_json(store, buffer)
    return buffer.getvalue()


def to_csv(store: Store, *, delimiter: str = ",") -> str:
    """What `netinbox export --format csv` writes, as text."""
    buffer = io.StringIO(newline="")
    write_csv(store, buffer, delimiter=delimiter)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _no_user_config(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read the user's real config or store."""
    monkeypatch.setenv("NETINBOX_CONFIG", str(tmp_path / "no-such-config.toml"))
    monkeypatch.delenv("NETINBOX_DB", raising=False)
    # The checks remembered (netinbox.checked): in a folder of the test's own, not tmp_path.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests speak English unless they choose German (`set_language("de")`): a German
    `LANG` on the machine running them changes nothing, and no test leaves German behind."""
    from netinbox.i18n import set_language

    monkeypatch.setenv("LANGUAGE", "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "n.db"


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new, empty store made once for the session: a test's `store` is a copy of it.
    Making one runs every migration (50-100 ms); a copy of the file takes under 1 ms."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    with Store(path, config=Config()):
        pass
    assert not Path(f"{path}-wal").exists()  # closed: the file alone is the whole store
    return path


def copy_store(template: Path, path: Path) -> Path:
    """A copy of a closed store at `path` (its mode too: 0600), for a test to change."""
    shutil.copy2(template, path)
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`demo_template(now, config)`: the demo (`netinbox --demo`) built at `now` with
    `config` in the language spoken at the time (its drafts follow it), once for the
    session, closed: copy it (`copy_store`) to change it. Building one takes about a
    second; a copy, under 1 ms."""
    from netinbox.demo import build_demo
    from netinbox.i18n import language

    built: dict[tuple[datetime, str, str], Path] = {}

    def template(now: datetime = T0, config: Config | None = None) -> Path:
        config = config or Config()
        key = (now, repr(config), language())
        if key not in built:
            path = tmp_path_factory.mktemp("demo") / "demo.db"
            with Store(path, config=config, clock=Clock(now)) as opened:
                build_demo(opened)
            assert not Path(f"{path}-wal").exists()  # closed: the file is the whole store
            built[key] = path
        return built[key]

    return template


@pytest.fixture(scope="session")
def demo_file(demo_template: Callable[..., Path]) -> Path:
    """The demo built at T0 with the default config, closed: copy it (`copy_store`)."""
    return demo_template(T0, Config())


@pytest.fixture
def store(db_path: Path, clock: Clock, empty_store: Path) -> Iterator[Store]:
    with Store(copy_store(empty_store, db_path), config=Config(), clock=clock) as opened:
        yield opened


@pytest.fixture
def berlin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config that pins the zone of times without one (LinkedIn's `Sent At`)."""
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Europe/Berlin"\nmy_name = "Mira Testfeld"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))  # children inherit it
    return config


@pytest.fixture
def berlin_store(tmp_path: Path, clock: Clock, empty_store: Path) -> Iterator[Store]:
    """A store in Berlin's zone: T0 is Monday 10:00 there."""
    config = Config(timezone="Europe/Berlin")
    path = copy_store(empty_store, tmp_path / "berlin.db")
    with Store(path, config=config, clock=clock) as opened:
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


@pytest.fixture
def filled(
    db_path: Path, clock: Clock, rec: Callable[..., RequestRecord], empty_store: Path
) -> Path:
    """A closed store: three requests, the first asked (a follow-up with a deadline)."""
    with Store(copy_store(empty_store, db_path), clock=clock) as store:
        ids = [
            store.add_request(
                rec(
                    f"Person {i}",
                    message=f"note {i}",
                    profile_url=f"https://www.linkedin.com/in/person-{i}",
                )
            )
            for i in range(3)
        ]
        store.mark_sent(ids[0], "Why would you like to connect?")
    return db_path
