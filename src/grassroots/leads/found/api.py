"""JSON route: a matter found on a 排查 round made a lead (lead.register, in the round's
subtree)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.leads.found.actions import do_lead_from_matter
from grassroots.leads.found.schemas import MatterLeadOut, MatterToLead

router = APIRouter(tags=["leads"])
Registrar = Annotated[User, requires("lead.register")]
Seq = Annotated[int, Path(ge=1, le=1000, description="事项序号")]


@router.post("/rounds/{round_id}/matters/{seq}/lead", status_code=201,
             response_model=MatterLeadOut)  # fmt: skip
def matter_to_lead(
    session: DbSession, user: Registrar, round_id: DbId, seq: Seq, data: MatterToLead
) -> MatterLeadOut:
    """转为线索 / a noted matter of a round received as a lead (source patrol 主动排查发现,
    the policy's deadline), linked both ways: the matter shows the lead's code, the lead its
    round. 409 when the matter is already a case or a lead."""
    lead = do_lead_from_matter(session, round_id, seq, data, actor=user)
    return MatterLeadOut(round_id=round_id, seq=seq, lead_code=lead.code)
