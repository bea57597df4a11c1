"""The command line in German: a German LANG (or `language = "de"` in the config) makes
its messages and errors German, dates included; English stays the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netinbox.cli import main


@pytest.fixture
def german_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_the_help_names_its_placeholders_in_german(german_env: None) -> None:
    result = run("import", "--help")
    assert "--db DATEI" in result.output and "PFADE..." in result.output, result.output
    assert not any(word in result.output for word in (" FILE", " TEXT", " PATHS"))
    assert "[ALL|" in run("stats", "--help").output.upper() or "--platform" in run(
        "stats", "--help"
    ).output  # a choice still lists its choices


def test_a_missing_file_is_reported_in_german(german_env: None, tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "n.db"), "import", str(tmp_path / "fehlt.csv"))
    assert result.exit_code == 1
    assert "keine solche Datei und kein solcher Ordner" in result.output


def test_a_bad_date_is_reported_in_german(german_env: None, tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "n.db"), "add", "--name", "Max", "--received", "gestern")
    assert result.exit_code == 1
    assert "kein Datum" in result.output


def test_add_and_due_speak_german(german_env: None, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    assert "Anfrage #1 hinzugefügt." in run("--db", db, "add", "--name", "Max Muster").output
    assert "Nichts fällig." in run("--db", db, "due").output


def test_a_broken_config_is_reported_in_german(
    german_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('my_nmae = "Mira"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    result = run("--db", str(tmp_path / "n.db"), "due")
    assert result.exit_code == 1
    assert "unbekannte Einstellung 'my_nmae'" in result.output
    assert "meinten Sie 'my_name'?" in result.output


def test_the_config_language_wins_over_a_german_lang(
    german_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))
    assert "no such netinbox store" in run("--db", str(tmp_path / "n.db"), "due").output


def test_english_by_default(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "n.db"), "import", str(tmp_path / "missing.csv"))
    assert "no such file or folder" in result.output


@pytest.fixture
def german_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A German config on an English system."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    config = tmp_path / "config.toml"
    config.write_text('language = "de"\n', encoding="utf-8")
    monkeypatch.setenv("NETINBOX_CONFIG", str(config))


ENGLISH_OF_CLICK = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Try '")


def test_help_is_german_with_a_german_config(german_config: None) -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert result.output.startswith("Aufruf: ")
    first = result.output.splitlines()[0]  # click 8.5 shows the command as optional
    assert any(
        usage in first
        for usage in ("[OPTIONEN] BEFEHL [ARGUMENTE]...", "[OPTIONEN] [BEFEHL] [ARGUMENTE]...")
    )
    for german in ("Optionen:", "Befehle:", "Diese Hilfe zeigen und beenden.", "Statistik"):
        assert german in result.output
    assert not [english for english in ENGLISH_OF_CLICK if english in result.output]
    stats = run("stats", "--help").output
    assert "stats [OPTIONEN]" in stats and "Der erste Monat" in stats


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["--bogus"], "Fehler: Eine Option '--bogus' gibt es nicht."),
        (["import"], "Fehler: Fehlendes Argument 'PFADE...'."),
        (["due", "--days", "x"], "Fehler: Ungültiger Wert für '--days'"),
        (["stats", "--period", "xx"], "'xx' ist kein Zeitraum"),
        (["nonsense"], "Fehler: Einen Befehl 'nonsense' gibt es nicht."),
    ],
)
def test_click_s_own_errors_are_german(german_config: None, args: list[str], german: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    assert german in result.output
    assert not [english for english in ENGLISH_OF_CLICK if english in result.output]


def test_german_months_in_the_statistics(german_config: None, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    run("--db", db, "add", "--name", "Max Muster", "--received", "2026-03-02")
    shown = run("--db", db, "stats", "--period", "2026-03").output
    assert "Statistik 03/2026" in shown and "03/2026 " in shown and "2026-03" not in shown


def test_the_language_does_not_stay_after_a_german_command(
    german_config: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    assert "Aufruf:" in run("--help").output
    assert "LANGUAGE" not in os.environ  # what the command stood in with is gone
    monkeypatch.delenv("NETINBOX_CONFIG")
    english = run("--help").output
    assert english.startswith("Usage: ") and "Show this message and exit." in english


def test_the_programs_the_app_starts_get_the_user_s_language(
    german_config: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """click's words come from our catalogue through LANGUAGE, for the command's length;
    the editor and the clipboard tools the app starts see the user's own environment."""
    import os

    from netinbox import i18n

    monkeypatch.setenv("LANGUAGE", "fr")
    i18n.set_language("de")
    with i18n.speaking_to_libraries():
        assert os.environ["LANGUAGE"] == "de"
        assert i18n.environment_language() == "en"  # the user's fr: not German
        with i18n.users_environment():
            assert os.environ["LANGUAGE"] == "fr"
        assert os.environ["LANGUAGE"] == "de"
    assert os.environ["LANGUAGE"] == "fr"
    i18n.set_language("en")
