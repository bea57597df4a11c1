"""What a config file may say, validated by pydantic: unknown keys, wrong types and bad
values are refused with the key's path. Imported only when there is a file to read.
"""

from __future__ import annotations

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
                raise ValueError(f"unknown time zone {value!r}") from error
        return value

    def to_config(self) -> Config:
        data = self.model_dump()
        data["templates"] = {key: TemplateConfig(**t) for key, t in data["templates"].items()}
        return Config(**data)
