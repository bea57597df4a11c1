"""The config file: defaults without one, every setting read, errors that name file and line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netinbox.config import (
    Config,
    ConfigError,
    config_path,
    default_db_path,
    load_config,
    local_zone,
)
from netinbox.importing import run_import
from netinbox.rules import DEFAULT_PLACEHOLDERS
from netinbox.store import Store

VALID = """\
my_name = "Mira Testfeld"
language = "de-du"
deadline_days = 10
timezone = "Europe/Berlin"
placeholder_words = ["tba", "egal"]

[keys]
ask = "f"

[templates.kurz]
title = "Kurz"
language = "de"
body = "Hallo {first_name}, worum geht es? {my_name}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert config_path().name == "no-such-config.toml"  # the autouse fixture's
    config = load_config()
    assert config == Config()
    assert config.deadline_days == 7
    assert config.timezone is None
    assert tuple(config.placeholder_words) == DEFAULT_PLACEHOLDERS
    assert config.template_book().ids()[:4] == ["en", "en-short", "de", "de-du"]


def test_a_valid_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID))
    assert config.my_name == "Mira Testfeld"
    assert config.language == "de-du"
    assert config.deadline_days == 10
    assert config.zone() == ZoneInfo("Europe/Berlin")
    assert config.placeholder_words == ["tba", "egal"]
    assert config.keys == {"ask": "f"}
    book = config.template_book()
    assert book.get("kurz").title == "Kurz"
    assert book.fill(
        book.get("kurz"), name="Max Muster", platform="xing", my_name=config.my_name
    ) == ("Hallo Max, worum geht es? Mira Testfeld")


def test_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETINBOX_CONFIG", str(tmp_path / "c.toml"))
    monkeypatch.setenv("NETINBOX_DB", str(tmp_path / "d.db"))
    assert config_path() == tmp_path / "c.toml"
    assert default_db_path() == tmp_path / "d.db"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('my_name = "Mira"\ndeadline_days = = 3\n', 2, ["Invalid value"]),
        ('my_name = Mira\n', 1, ['Invalid value — text needs quotes (my_name = "Mira")']),
        ('my_name = "Mira"\nmy_name = "M"\n', 2, ["given twice; keep one"]),
        ('my_name = "Mira\n', 1, ["Illegal character"]),
        ('my_name = "Mira"\n\n[templates.x]\nbody = "a"\nbody = "b"\n', 5, ["Cannot overwrite"]),
        ('my_name = "Mira"\nfavourite_colour = "blue"\n', 2, ["unknown setting 'favourite_colour'"]),
        ('my_nmae = "Mira"\n', 1, ["unknown setting 'my_nmae' — did you mean 'my_name'?"]),
        ('deadline_days = 0\n', 1, ["deadline_days = 0 is out of range: use 1 to 365"]),
        ('my_name = "M"\ntimezone = "Mars/Olympus"\n', 2, ["timezone", "unknown time zone 'Mars/Olympus'"]),
        ('[templates.kurz]\nbody = "x"\nlanguge = "de"\n', 3, ["'languge' in [templates.kurz] — did you mean 'language'?"]),
        ('[templates.kurz]\ntitle = "no body"\n', 1, ["[templates.kurz] has no body: add body = "]),
        ('placeholder_words = "tba"\n', 1, ["placeholder_words must be a list in brackets"]),
        ('my_name = 3\n', 1, ['my_name must be text in quotes, like my_name = "Mira Testfeld"']),
        ('my_name = "M"\nlanguage = "fr"\n', 2, ['language = "fr": netinbox has no follow-up template', "en, de, de-du"]),
        ('language = "fr"\n[templates.fr]\nlanguage = "fr"\nbody = "Bonjour {name}"\n', None, []),
        ('[templates.kurz]\nlanguage = "de"\nbody = """Hallo\n{vorname}, warum?"""\n', 4, ["{vorname} is not a placeholder; did you mean {first_name}?"]),
        ('[templates.kurz]\nbody = "Hallo {name"\n', 2, ["a { or } without its pair"]),
    ],
)  # fmt: skip
def test_errors_name_file_line_and_problem(
    tmp_path: Path, text: str, line: int | None, words: list[str]
) -> None:
    path = write(tmp_path, text)
    if line is None:  # a valid file after all
        load_config(path)
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message
    assert "\n" not in message


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('my_name = "J\xfcrgen"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=f"{bad}: cannot read"):
        load_config(bad)
    with pytest.raises(ConfigError, match=f"{tmp_path}: cannot read"):
        load_config(tmp_path)  # a folder


def test_zone_has_dst_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    january, july = datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = Config().zone()
    assert zone.utcoffset(january) == timedelta(hours=1)
    assert zone.utcoffset(july) == timedelta(hours=2)
    assert Config(timezone="America/New_York").zone() == ZoneInfo("America/New_York")
    monkeypatch.setenv("TZ", "Not/A_Zone")
    assert local_zone().utcoffset(january) is not None  # falls back, never fails


def test_import_reads_times_without_zone_in_the_users_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netinbox.importers

    seen = []

    def fake_iter_records(paths, ctx, strict=False):
        seen.append(ctx)
        return iter(())

    monkeypatch.setattr(netinbox.importers, "iter_records", fake_iter_records)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    with Store(tmp_path / "n.db") as store:
        run_import(store, [tmp_path / "x.csv"])
    with Store(tmp_path / "n.db", config=Config(timezone="Asia/Tokyo")) as store:
        run_import(store, [tmp_path / "x.csv"])
    assert seen[0].tz.utcoffset(datetime(2026, 7, 1)) == timedelta(hours=2)
    assert seen[1].tz == ZoneInfo("Asia/Tokyo")


def test_a_file_that_passed_is_not_validated_again_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netinbox.config as config_module

    path = write(tmp_path, VALID)
    first = load_config(path)
    validated: list[str] = []
    real = config_module._validate
    monkeypatch.setattr(
        config_module, "_validate", lambda p, text: validated.append(text) or real(p, text)
    )
    again = load_config(path)
    assert again == first and again.keys == {"ask": "f"} and validated == []  # remembered
    assert again.template_book().get("kurz").title == "Kurz"

    path.write_text(VALID.replace("deadline_days = 10", "deadline_days = 0"), encoding="utf-8")
    for _ in range(2):  # a file that fails is told every time, never remembered
        with pytest.raises(ConfigError, match="deadline_days = 0 is out of range"):
            load_config(path)
    assert len(validated) == 2

    path.write_text(VALID.replace("Mira Testfeld", "Mira T."), encoding="utf-8")
    assert load_config(path).my_name == "Mira T." and len(validated) == 3
