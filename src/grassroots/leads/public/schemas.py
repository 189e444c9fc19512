"""Shapes of the public leads path. No shape carries verification details or anyone's
identity: the informant sees the state, its days and the finding."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from grassroots.bounds import Day, non_blank
from grassroots.leads.sealing import RECEIPT_PATTERN

Receipt = Annotated[str, StringConstraints(strip_whitespace=True, pattern=RECEIPT_PATTERN)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PublicReport(Strict):
    """A resident's report (举报). Name and contact are optional: without them the report
    is anonymous, and the receipt code is the only way back to it."""

    category_code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")] = "other"
    title: Annotated[str, non_blank(200)]
    content: Annotated[str, non_blank(5000)]
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    occurred_on: Day | None = None
    jurisdiction_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")] | None = None
    persons: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    informant_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    informant_contact: Short = ""


class ReceiptIn(Strict):
    receipt_code: Receipt


class SupplementIn(ReceiptIn):
    text: Annotated[str, non_blank(5000)]


class ReceiptOut(BaseModel):
    receipt_code: str  # shown once: the database keeps only its keyed hash
    received_on: date
    due_on: date
    anonymous: bool


class Step(BaseModel):
    state: str
    on: date


class ProgressOut(BaseModel):
    received_on: date
    due_on: date
    state: str
    finding: str | None  # once verified: substantiated / partly / unfounded / unverifiable
    replied_on: date | None
    steps: list[Step]
    additions: int
