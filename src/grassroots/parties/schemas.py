"""API shapes for parties: always masked, except the one value a reveal returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

ContactField = Literal["phone", "id_number"]


class PartyMasked(BaseModel):
    id: int
    case_code: str
    role: str
    name: str
    phone_masked: str | None
    id_number_masked: str | None
    id_number_warnings: list[str]


class RevealRequest(BaseModel):
    field: ContactField
    reason: str = Field(
        min_length=4,
        max_length=200,
        description="查看理由，写入审计日志 / why, kept in the audit log",
    )


class Revealed(BaseModel):
    party_id: int
    field: ContactField
    value: str


class LookupRequest(BaseModel):
    """Exactly one of the two; sent in the body so the value never appears in a URL or an
    access log."""

    id_number: str | None = Field(None, min_length=6, max_length=32)
    phone: str | None = Field(None, min_length=5, max_length=32)

    @model_validator(mode="after")
    def _exactly_one(self) -> LookupRequest:
        if (self.id_number is None) == (self.phone is None):
            raise ValueError("give exactly one of id_number and phone")
        return self

    @property
    def field(self) -> ContactField:
        return "id_number" if self.id_number is not None else "phone"

    @property
    def value(self) -> str:
        return self.id_number if self.id_number is not None else self.phone or ""


class LookupResult(BaseModel):
    parties: list[PartyMasked]


class KeyRotation(BaseModel):
    new_version: int
    re_encrypted_fields: int
    parties: int
    columns: dict[str, int]  # fields re-encrypted per sealed column ("table.column")
