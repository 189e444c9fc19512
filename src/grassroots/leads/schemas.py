"""Inputs of the leads API and actions (Pydantic; unknown fields refused)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from grassroots.bounds import Day, non_blank
from grassroots.leads.models import Finding, LeadSource

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_-]{1,40}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewLead(Strict):
    """A lead as received: what, where, when, from whom (source, issuing body, document
    number), its category and the verification deadline (the issuing body's, or the policy's
    when none is given)."""

    source: LeadSource
    issuing_body: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    document_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    batch: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    category_code: Code
    title: Annotated[str, non_blank(200)]
    content: Annotated[str, non_blank(20000)]
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    occurred_on: Day | None = None
    jurisdiction_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
    subject_unit_code: UnitCode | None = None
    received_on: Day | None = None
    due_on: Day | None = None
    persons: Text = ""
    informant_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""
    informant_contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    anonymous: bool = False

    @model_validator(mode="after")
    def _issuer(self) -> NewLead:
        handed = self.source in (LeadSource.transfer, LeadSource.assigned)
        if handed and not self.issuing_body:
            raise ValueError("移送、交办的线索须填写来文单位 / issuing_body required")
        if self.anonymous and (self.informant_name or self.informant_contact):
            raise ValueError("匿名举报不登记举报人 / an anonymous report names no informant")
        if self.due_on and self.received_on and self.due_on < self.received_on:
            raise ValueError("核查期限早于接收日期 / due_on before received_on")
        return self


class Assign(Strict):
    unit_code: UnitCode | None = None
    assignee: Username | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _someone(self) -> Assign:
        if self.unit_code is None and self.assignee is None:
            raise ValueError("须指定核查单位或核查人 / unit_code or assignee required")
        return self


class Split(Strict):
    parts: list[Assign] = Field(min_length=2, max_length=20)
    note: Text = ""


class Note(Strict):
    note: Annotated[str, non_blank(2000)]
    interim: bool = False  # 阶段性报告


class Optional(Strict):
    note: Text = ""


class CaseFromLead(Strict):
    category_code: Code
    grid_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")]
    source_code: Code | None = None


class Verify(Strict):
    finding: Finding
    actions_taken: Annotated[str, non_blank(5000)]
    note: Text = ""
    create_case: CaseFromLead | None = None


class Reply(Strict):
    reply: Annotated[str, non_blank(5000)]


class Return(Strict):
    reason: Annotated[str, non_blank(2000)]


INPUTS: dict[str, type[Strict]] = {
    "assign": Assign,
    "split": Split,
    "start": Optional,
    "note": Note,
    "verify": Verify,
    "reply": Reply,
    "return": Return,
    "close": Optional,
}


class RevealIn(Strict):
    reason: Annotated[str, non_blank(300, min_length=4)]
