"""API shapes of a dictionary entry (a category or a source)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DictionaryEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    # English name shown in the English UI; None keeps the stored one, "" clears it.
    name_en: str | None = Field(None, max_length=64)
    sort_order: int = Field(0, ge=0, le=10000)
    active: bool = True


class DictionaryEntry(BaseModel):
    code: str
    name: str
    name_en: str = ""
    sort_order: int
    active: bool
