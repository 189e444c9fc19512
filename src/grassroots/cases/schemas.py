"""Inputs of the case actions (the requirements of the transition table) and of intake.

Each action's model names what the action requires; the API validates a request against it
so that a missing requirement is a 422 naming the field, before anything changes.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import Day, non_blank
from grassroots.cases.models import CaseKind, PartyRole, ShareRole

Text = Annotated[str, non_blank(2000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Code = Annotated[str, non_blank(64)]


class LegalChannel(StrEnum):
    """Where a party is pointed when mediation is not the road (依法分类处理)."""

    litigation = "litigation"  # 诉讼
    arbitration = "arbitration"  # 仲裁
    labour_arbitration = "labour_arbitration"  # 劳动人事争议仲裁
    administrative_review = "administrative_review"  # 行政复议
    petition = "petition"  # 信访
    administrative_department = "administrative_department"  # 行政主管部门处理
    police = "police"  # 公安机关处理


class Satisfaction(StrEnum):
    satisfied = "satisfied"  # 满意
    basically_satisfied = "basically_satisfied"  # 基本满意
    unsatisfied = "unsatisfied"  # 不满意


class ActionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note = ""


class Accept(ActionInput):
    pass


class Reject(ActionInput):
    channel: LegalChannel
    reason: Text


class MarkSpam(ActionInput):
    """无效信息: a resident's report that is no report (advertising, abuse, nonsense)."""

    reason: Text


class ReturnReason(StrEnum):
    """Why a 12345 work order is returned to the platform (退单理由)."""

    not_our_duty = "not_our_duty"  # 非本单位职责
    outside_area = "outside_area"  # 不属本辖区
    duplicate_order = "duplicate_order"  # 重复工单
    incomplete_order = "incomplete_order"  # 诉求不清、无法联系诉求人


class ReturnOrder(ActionInput):
    """退单: the order goes back to the 12345 platform (which dispatches it again)."""

    return_reason: ReturnReason
    reason: Text  # the explanation the platform reads


class Reassign(ActionInput):
    """改派: the order goes to another unit at the same level; the clock runs on."""

    unit_code: Code
    reason: Text


class Assign(ActionInput):
    unit_code: Code | None = None
    mediator: Code | None = Field(None, description="username of the mediator")

    @model_validator(mode="after")
    def _one_target(self) -> Assign:
        if self.unit_code is None and self.mediator is None:
            raise ValueError("unit_code or mediator is required / 需指定承办单位或调解员")
        return self


class RecordSession(ActionInput):
    held_on: Day
    summary: Text
    participants: list[Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=list, max_length=50
    )


class RecordAgreement(ActionInput):
    """调解协议 (人民调解法 art. 28; 人民调解工作若干规定 art. 35): written, or oral and
    recorded by the mediator; the parties' responsibilities and the manner, place and time
    limit of performance are required."""

    form: Literal["written", "oral"] = "written"
    terms: Text
    responsibilities: Text
    performance_manner: Text
    performance_place: Text
    performance_deadline: Day
    judicial_confirmation: bool = False


class Resolve(ActionInput):
    outcome_note: Text
    # The default claims no agreement: "by agreement" must be chosen, and then needs one.
    method: Literal["mediation_agreement", "oral_agreement", "explanation", "handled"] = "handled"


class Terminate(ActionInput):
    reason: Text
    routes_told: list[LegalChannel] = Field(min_length=1)


class Escalate(ActionInput):
    reason: Text


class CityReply(ActionInput):
    """The city's reply on a case held at city level, recorded by the county centre."""

    reply: Text
    replied_on: Day | None = None  # the day the reply came; default: the day it is recorded


class ReferDown(ActionInput):
    reason: Text


class Extend(ActionInput):
    """延期: approved, with the parties' consent; capped by the deployment's settings."""

    days: int = Field(ge=1, le=60)
    approved_by: Text
    reason: Text
    parties_consent: bool = False


class Suspend(ActionInput):
    reason: Text


class Resume(ActionInput):
    pass


class FollowUp(ActionInput):
    performance: Literal["performed", "partly_performed", "not_performed"]
    satisfaction: Satisfaction
    remaining_risk: Literal["none", "low", "medium", "high"]
    method: Literal["visit", "phone"] = "phone"


class Close(ActionInput):
    pass


class PursuePerformance(ActionInput):
    """未履行处置: the follow-up found the agreement not (fully) performed. 督促履行 (urge,
    then follow up again), 司法确认 (the parties' joint application to the court within 30
    days of the agreement taking effect, 人民调解法 art. 33: its date is required) or 诉讼
    (the parties go to court; the case then closes without counting as 化解)."""

    route: Literal["urge", "judicial_confirmation", "litigation"]
    note: Text
    applied_on: Day | None = None


class Reopen(ActionInput):
    reason: Text


class Share(ActionInput):
    jurisdiction_code: Code | None = None
    unit_code: Code | None = None
    role: ShareRole = ShareRole.co

    @model_validator(mode="after")
    def _one_target(self) -> Share:
        if (self.jurisdiction_code is None) == (self.unit_code is None):
            raise ValueError("exactly one of jurisdiction_code, unit_code / 需指定区划或单位之一")
        return self


class Unshare(ActionInput):
    """End joint handling (取消联调) with one jurisdiction's centre or one unit."""

    jurisdiction_code: Code | None = None
    unit_code: Code | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Unshare:
        if (self.jurisdiction_code is None) == (self.unit_code is None):
            raise ValueError("exactly one of jurisdiction_code, unit_code / 需指定区划或单位之一")
        return self


class LinkKind(StrEnum):
    related = "related"  # 关联案件
    duplicate = "duplicate"  # 本案是另一案件的重复件 (the other is the original)


CaseCode = Annotated[str, non_blank(32)]


class Link(ActionInput):
    """Link this case to another: related, or this case is a duplicate of the other."""

    other_code: CaseCode
    kind: LinkKind = LinkKind.related


class Unlink(ActionInput):
    other_code: CaseCode


class Merge(ActionInput):
    """Merge this case, a repeat registration, into the primary case that carries on."""

    primary_code: CaseCode


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: PartyRole
    name: Annotated[str, non_blank(64)]
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{5,20}$")] | None = None
    id_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9Xx]$")] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] = ""


class NewCase(ActionInput):
    """What registration (登记) needs: a located dispute or request with its parties."""

    kind: CaseKind = CaseKind.dispute
    category_code: Code
    source_code: Code
    title: Annotated[str, non_blank(200)]
    description: Annotated[str, non_blank(20000)]
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    grid_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] = ""
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    people_involved: int = Field(0, ge=0, le=100000)
    amount_involved: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    violence_risk: bool = False
    risk_level: Literal["low", "medium", "high"] = "low"

    @model_validator(mode="after")
    def _somewhere(self) -> NewCase:
        if (self.lat is None) != (self.lng is None):
            raise ValueError("lat and lng go together / 经纬度须同时填写")
        if self.lat is None and self.grid_code is None:
            raise ValueError("a location (lat/lng) or grid_code is required / 需填写位置或网格")
        return self
