"""Shapes of the residents' channel. Nothing going out names a staff member, another party
or an internal note: the progress is the state, the level and place holding the case, its
deadlines and the outcome in plain words."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Base64Bytes, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import non_blank
from grassroots.cases.models import CaseKind
from grassroots.leads.sealing import RECEIPT_PATTERN
from grassroots.residents.pow import PROOF_PATTERN

Receipt = Annotated[str, StringConstraints(strip_whitespace=True, pattern=RECEIPT_PATTERN)]
Rating = Literal["satisfied", "basically_satisfied", "unsatisfied"]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^1[3-9][0-9]{9}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportIn(Strict):
    """A resident's report: what happened, where (a point, or an address or village name
    placed in a grid), the category; a name and mobile number only with consent to the
    notice (PIPL), else anonymous; the proof of work of the page (grassroots.residents.pow)."""

    kind: CaseKind = CaseKind.dispute
    category_code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")] = "other"
    description: Annotated[str, non_blank(2000, min_length=5)]
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] = ""
    phone: Phone | None = None
    consent: bool = False
    sms: bool = False
    proof: Annotated[str, StringConstraints(pattern=PROOF_PATTERN)]

    @model_validator(mode="after")
    def _coherent(self) -> ReportIn:
        if (self.lat is None) != (self.lng is None):
            raise ValueError("lat and lng go together / 经纬度须同时填写")
        if self.lat is None and not self.place:
            raise ValueError("where: a location or a place name is required / 请定位或填写地点")
        if (self.name or self.phone) and not self.consent:
            raise ValueError(
                "consent is required to leave a name or phone / 留姓名或电话须同意告知"
            )
        if self.sms and not self.phone:
            raise ValueError("an SMS needs a phone number / 短信通知须填写手机号")
        return self

    @property
    def anonymous(self) -> bool:
        return not (self.name or self.phone)


class ReportWithPhotos(ReportIn):
    """The JSON API's report: ReportIn and up to three photos, each the file's bytes in
    standard base64 (checked as the page's photos: type sniffed, size limit, EXIF place and
    time removed; a refused photo reports nothing)."""

    photos: list[Base64Bytes] = Field(default_factory=list, max_length=3)


class ReceiptIn(Strict):
    receipt_code: Receipt


class RatingIn(ReceiptIn):
    rating: Rating
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    reopen: bool = Field(
        True, description="不满意: ask for the case to be reopened (in the window)"
    )


class ReceiptOut(BaseModel):
    receipt_code: str  # shown once: the database keeps only its keyed hash
    registered_on: date
    anonymous: bool
    sms_queued: bool


class ChallengeOut(BaseModel):
    challenge: str
    bits: int
    signature: str
    expires: int


class Step(BaseModel):
    state: str
    label: str
    on: date


class ProgressOut(BaseModel):
    state: str  # registered … closed, or "spam"
    state_label: str
    level: str  # village / township / county / city
    level_label: str
    holder: str  # the place whose centre holds it (东山村), never a person
    registered_on: date
    accept_due: date | None
    resolve_due: date | None
    outcome: str  # the outcome in plain words
    steps: list[Step]
    may_rate: bool
    rating: Rating | None  # the resident's rating of the latest resolution
    reopen_until: date | None  # 不满意 reopens the case until this day
