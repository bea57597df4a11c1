"""What a config file may say, validated by pydantic: unknown keys, wrong types and bad
values are refused with the key's path. Imported only when there is a file to read.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netinbox.config import Config, TemplateConfig
from netinbox.rules import DEFAULT_PLACEHOLDERS


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = ""
    language: str = "en"
    body: str


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    my_name: str = ""
    language: str = "en"
    deadline_days: int = Field(default=7, ge=1, le=365)
    timezone: str | None = None
    placeholder_words: list[str] = Field(default_factory=lambda: list(DEFAULT_PLACEHOLDERS))
    templates: dict[str, TemplateFile] = Field(default_factory=dict)
    keys: dict[str, str] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(
                    f'unknown time zone {value!r}; use a name like "Europe/Berlin"'
                ) from error
        return value

    def to_config(self) -> Config:
        data = self.model_dump()
        data["templates"] = {key: TemplateConfig(**t) for key, t in data["templates"].items()}
        return Config(**data)


_EXAMPLES = {
    "my_name": '"Mira Testfeld"',
    "language": '"de"',
    "deadline_days": "7",
    "timezone": '"Europe/Berlin"',
    "placeholder_words": '["tba", "n/a"]',
    "title": '"Kurz (Sie)"',
    "body": '"Guten Tag {name}, … {my_name}"',
}


def plain_message(error: Any) -> str:
    """One pydantic error as a person would say it: where, what is wrong, and the fix."""
    loc = [str(part) for part in error["loc"]]
    where = ".".join(loc)
    field = loc[-1] if loc else ""
    kind = error["type"]
    value = error.get("input")
    example = f"{field} = {_EXAMPLES[field]}" if field in _EXAMPLES else ""
    if kind == "extra_forbidden":
        inside = loc[:-1]
        model = TemplateFile if len(inside) == 2 and inside[0] == "templates" else ConfigFile
        guess = get_close_matches(field, list(model.model_fields), n=1)
        table = f" in [{'.'.join(inside)}]" if inside else ""
        hint = f" — did you mean '{guess[0]}'?" if guess else ""
        return f"unknown setting '{field}'{table}{hint}"
    if kind == "missing":
        if field == "body" and len(loc) == 3:
            return f"[templates.{loc[1]}] has no body: add {example}"
        return f"{where} is missing"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{where} = {value!r} is not a whole number; write it as {example}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{where} = {value!r} is out of range: use 1 to 365 days ({example})"
    if kind in ("string_type",):
        like = example or f'{field} = "…"'
        return f"{where} must be text in quotes, like {like}"
    if kind in ("list_type",):
        return f"{where} must be a list in brackets, like {example}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{where} must be a table: [{where}]"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"
