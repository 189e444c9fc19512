"""do_lead_from_matter: a noted matter of a 排查 round becomes a lead (source 主动排查发现)
in one transaction — the lead received as any lead is (code, policy deadline, sealed text,
first event), the matter marked with the lead's code, and an audit row on the round."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.calendar.today import local_date, utc
from grassroots.db import transaction
from grassroots.errors import Problem
from grassroots.leads.actions import add_event, new_lead
from grassroots.leads.found.schemas import MatterToLead
from grassroots.leads.models import Lead, LeadSource
from grassroots.leads.schemas import NewLead
from grassroots.rounds.models import MatterOutcome, PatrolRound, RoundMatter
from grassroots.rounds.queries import access_round


def _matter(session: Session, found: PatrolRound, seq: int) -> RoundMatter:
    """The round's matter `seq`, locked for the change (PostgreSQL; SQLite has one writer)."""
    matter = session.scalar(
        select(RoundMatter)
        .where(RoundMatter.round_id == found.id, RoundMatter.seq == seq)
        .with_for_update()
    )
    if matter is None:
        raise Problem(404, "not_found", f"排查记录 #{found.id} 没有第 {seq} 项 / no such matter")
    if matter.outcome != MatterOutcome.noted.value:
        message = "该事项已转为案件或线索 / the matter is already a case or a lead"
        raise Problem(409, "matter_taken", message)
    return matter


# A matter noted without details: the lead's sealed content says so rather than repeat the
# summary, which is already in the clear as the lead's title (a sealed copy of a clear value
# protects nothing, and the suite's log watch rightly flags it).
NO_DETAILS = "排查时未记录详细情况，事项见标题。"


def _as_lead(found: PatrolRound, matter: RoundMatter, data: MatterToLead, day: datetime) -> NewLead:
    return NewLead(
        source=LeadSource.patrol, category_code=data.category_code, title=matter.summary,
        content=matter.details.strip() or NO_DETAILS,
        place=f"{found.grid.name}（网格 {found.grid_code}）", occurred_on=found.held_on,
        jurisdiction_code=found.village_code or found.township_code,
        received_on=local_date(day),
    )  # fmt: skip


def do_lead_from_matter(
    session: Session, round_id: int, seq: int, data: MatterToLead, *, actor: User,
    now: datetime | None = None,
) -> Lead:  # fmt: skip
    """转为线索: 404 beyond the actor's subtree or no such matter, 409 when the matter is
    already a case or a lead, 422 for an unknown lead category."""
    moment = utc(now)
    with transaction(session):
        found = access_round(session, actor, round_id)
        matter = _matter(session, found, seq)
        lead = new_lead(session, _as_lead(found, matter, data, moment), actor, moment)
        add_event(session, lead, "create", actor, None, now=moment,
                  details={"round": found.id, "matter": seq})  # fmt: skip
        matter.outcome, matter.lead_code = MatterOutcome.lead.value, lead.code
        record_audit(
            session, actor=actor, action="round.matter_lead", object_type="round",
            object_id=found.id, details={"matter": seq, "lead": lead.code},
        )  # fmt: skip
    return lead
