"""The user's settings: a TOML file, validated, with one clear error when it is wrong."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_path, user_data_path

from netinbox import valid_config
from netinbox.i18n import N_, _
from netinbox.rules import DEFAULT_PLACEHOLDERS

if TYPE_CHECKING:
    from netinbox.templates import TemplateBook

APP_NAME = "netinbox"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the line and the problem."""


@dataclass
class TemplateConfig:
    body: str
    title: str = ""
    language: str = "en"


@dataclass
class WatchConfig:
    """`[watch]`: mailboxes the app watches for new mail while it is open."""

    paths: list[str] = field(default_factory=list)
    interval: float = 5.0

    def mailboxes(self) -> list[Path]:
        return [Path(path).expanduser() for path in self.paths]


@dataclass
class Config:
    """The settings. A file is validated by `netinbox.config_file` (pydantic), loaded only
    when there is a file: without one, the app starts without importing pydantic."""

    my_name: str = ""
    language: str = "en"
    deadline_days: int = 7
    timezone: str | None = None
    placeholder_words: list[str] = field(default_factory=lambda: list(DEFAULT_PLACEHOLDERS))
    templates: dict[str, TemplateConfig] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    watch: WatchConfig = field(default_factory=WatchConfig)
    path: Path | None = field(default=None, compare=False)
    """The file it was read from, for messages that name it."""
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line of each [keys] entry in that file."""
    language_given: bool = field(default=False, compare=False)
    """Whether the file sets `language`: if not, the interface speaks the environment's
    language (a German `LANG`), see `netinbox.i18n`."""

    def zone(self) -> tzinfo:
        """The user's time zone, with its DST rules: deadlines keep their wall-clock time."""
        return ZoneInfo(self.timezone) if self.timezone else local_zone()

    def template_book(self) -> TemplateBook:
        # Imported when a draft first needs the templates, not before the first screen.
        from netinbox.templates import Template, TemplateBook

        user = {
            key: Template(key, t.language, t.title or key, t.body)
            for key, t in self.templates.items()
        }
        return TemplateBook(user)


def local_zone() -> tzinfo:
    """The system's zone with its rules ($TZ, else /etc/localtime), not just today's offset."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    target = os.path.realpath("/etc/localtime")  # usually a link: …/zoneinfo/Europe/Berlin
    if "/zoneinfo/" in target:
        try:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        pass
    return datetime.now(UTC).astimezone().tzinfo or UTC


def config_path() -> Path:
    override = os.environ.get("NETINBOX_CONFIG")
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_db_path() -> Path:
    override = os.environ.get("NETINBOX_DB")
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "netinbox.db"


def _line_of(text: str, key: str) -> int | None:
    # [ \t], not \s: \s would run over blank lines and report the line before the key.
    pattern = re.compile(
        rf"^[ \t]*\[?[ \t]*[\w.\"-]*{re.escape(key)}[\w.\"-]*[ \t]*[\]=]", re.MULTILINE
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# What tomllib's terse messages usually mean in a hand-written config.
_TOML_HINTS = (
    ("Invalid value", N_(' — text needs quotes (my_name = "Mira"), lists brackets (["tba"])')),
    ("Illegal character '\\n'", N_(" — a text in quotes is not closed on its line")),
    ("Cannot overwrite a value", N_(" — this setting is given twice; keep one")),
    ("Cannot declare", N_(" — this [table] is given twice; keep one")),
    ("Expected '=' after a key", N_(" — write settings as key = value")),
)


def load_config(path: Path | None = None) -> Config:
    """Read the config file; no file means the defaults."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            _("%(path)s: cannot read the config file (%(error)s)") % {"path": path, "error": error}
        ) from None
    data = valid_config.remembered(path, text)
    if data is None:
        data = _validate(path, text)
        valid_config.remember(path, text, data)
    data["templates"] = {key: TemplateConfig(**t) for key, t in data["templates"].items()}
    data["watch"] = WatchConfig(**data["watch"])
    config = Config(**data)
    config.path = path
    config.language_given = "language" in data
    config.key_lines = {key: _entry_line(text, "keys", key) or 0 for key in config.keys}
    _check_meaning(config, text)
    return config


def _validate(path: Path, text: str) -> dict[str, Any]:
    """The file's settings as `Config`'s fields, or one clear error naming its line."""
    import tomllib  # only with a file: the app's start-up without one skips it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        line = found.group(1) if found else "?"
        hint = next((_(h) for start, h in _TOML_HINTS if problem.startswith(start)), "")
        raise ConfigError(f"{path}:{line}: {problem}{hint}") from None
    from pydantic import ValidationError

    from netinbox.config_file import ConfigFile, plain_message

    try:
        valid = ConfigFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        # The line of the innermost key the file has ("body" missing: its table's line).
        keys = [str(part) for part in reversed(first["loc"]) if isinstance(part, str)]
        line = next(filter(None, (_line_of(text, key) for key in keys)), None)
        raise ConfigError(f"{path}:{line or '?'}: {plain_message(first)}") from None
    return valid.fields()


def _entry_line(text: str, table: str, key: str) -> int | None:
    """The line of `key = …` inside `[table]` (or of the table, if the key is not found)."""
    lines = text.split("\n")
    header = re.compile(rf"^[ \t]*\[[ \t]*\"?{re.escape(table)}\"?[ \t]*\]")
    entry = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return None
    for index in range(start + 1, len(lines)):
        if lines[index].lstrip().startswith("["):
            break
        if entry.match(lines[index]):
            return index + 1
    return start + 1


def _check_meaning(config: Config, text: str) -> None:
    """What pydantic cannot see: a language without templates, placeholders that are not
    ours (a `{vorname}` would go out as written)."""
    path = config.path
    languages = ["en", "de", "de-du"]
    for key, template in config.templates.items():
        languages += [template.language, key]
    if config.language not in languages:
        at = _line_of(text, "language") or "?"
        known = ", ".join(
            dict.fromkeys(languages[:3] + [t.language for t in config.templates.values()])
        )
        raise ConfigError(
            f"{path}:{at}: "
            + _(
                'language = "%(language)s": netinbox has no follow-up template in that '
                'language; use one of %(known)s, or add a [templates.…] with language = "%(language)s"'
            )
            % {"language": config.language, "known": known}
        )
    for key, template in config.templates.items():
        from netinbox.templates import template_problems  # a file without templates: not at all

        for code, detail in template_problems(template.body):
            if code == "unknown_placeholder":
                name, _sep, guess = detail.partition(" ")
                line = _line_with(text, "{" + name) or _entry_line(text, f"templates.{key}", "body")
                values = {"key": key, "name": "{" + name + "}", "guess": "{" + guess + "}"}
                if guess:
                    problem = _(
                        "templates.%(key)s.body: %(name)s is not a placeholder; did you mean "
                        "%(guess)s? ({first_name}, {name}, {platform}, {my_name})"
                    )
                else:
                    problem = _(
                        "templates.%(key)s.body: %(name)s is not a placeholder; use "
                        "({first_name}, {name}, {platform}, {my_name})"
                    )
                raise ConfigError(f"{path}:{line or '?'}: " + problem % values)
            line = _entry_line(text, f"templates.{key}", "body")
            raise ConfigError(
                f"{path}:{line or '?'}: "
                + _(
                    "templates.%(key)s.body: a { or } without its pair; write {{ or }} for a "
                    "brace itself"
                )
                % {"key": key}
            )


def _line_with(text: str, needle: str) -> int | None:
    found = text.find(needle)
    return text.count("\n", 0, found) + 1 if found >= 0 else None
