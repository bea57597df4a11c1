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
