"""What a config file may say, validated by pydantic: unknown keys, wrong types and bad
values are refused with the key's path. Imported only when there is a file to read.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netinbox.i18n import _
from netinbox.rules import DEFAULT_PLACEHOLDERS


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = ""
    language: str = "en"
    body: str


class WatchFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str] = Field(default_factory=list)
    interval: float = Field(default=5.0, ge=0.2, le=3600)


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    my_name: str = ""
    language: str = "en"
    deadline_days: int = Field(default=7, ge=1, le=365)
    timezone: str | None = None
    placeholder_words: list[str] = Field(default_factory=lambda: list(DEFAULT_PLACEHOLDERS))
    templates: dict[str, TemplateFile] = Field(default_factory=dict)
    keys: dict[str, str] = Field(default_factory=dict)
    watch: WatchFile = Field(default_factory=WatchFile)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(
                    _('unknown time zone %(zone)r; use a name like "Europe/Berlin"')
                    % {"zone": value}
                ) from error
        return value

    def fields(self) -> dict[str, Any]:
        """The validated settings as `Config`'s fields (`netinbox.config` builds it, so
        this module, loaded only with a file, never imports it back)."""
        return self.model_dump()


_EXAMPLES = {
    "my_name": '"Mira Testfeld"',
    "language": '"de"',
    "deadline_days": "7",
    "timezone": '"Europe/Berlin"',
    "placeholder_words": '["tba", "n/a"]',
    "title": '"Kurz (Sie)"',
    "body": '"Guten Tag {name}, … {my_name}"',
    "paths": '["~/Mail/linkedin"]',
    "interval": "5",
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
        model: type[BaseModel] = ConfigFile
        if len(inside) == 2 and inside[0] == "templates":
            model = TemplateFile
        elif inside == ["watch"]:
            model = WatchFile
        guess = get_close_matches(field, list(model.model_fields), n=1)
        table = " " + _("in [%(table)s]") % {"table": ".".join(inside)} if inside else ""
        hint = " — " + _("did you mean '%(name)s'?") % {"name": guess[0]} if guess else ""
        return _("unknown setting '%(name)s'") % {"name": field} + table + hint
    values = {"where": where, "value": repr(value), "example": example}
    if kind == "missing":
        if field == "body" and len(loc) == 3:
            return _("[templates.%(key)s] has no body: add %(example)s") % {
                "key": loc[1],
                "example": example,
            }
        return _("%(where)s is missing") % values
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("%(where)s = %(value)s is not a whole number; write it as %(example)s") % values
    if kind in ("float_parsing", "float_type"):
        return _("%(where)s = %(value)s is not a number; write it as %(example)s") % values
    if kind in ("greater_than_equal", "less_than_equal") and field == "interval":
        return (
            _("%(where)s = %(value)s is out of range: use 0.2 to 3600 seconds (%(example)s)")
            % values
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        return _("%(where)s = %(value)s is out of range: use 1 to 365 days (%(example)s)") % values
    if kind in ("string_type",):
        like = example or f'{field} = "…"'
        return _("%(where)s must be text in quotes, like %(like)s") % {"where": where, "like": like}
    if kind in ("list_type",):
        return _("%(where)s must be a list in brackets, like %(example)s") % values
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("%(where)s must be a table: [%(where)s]") % values
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"
