"""The one input of making a matter a lead: the lead category (the matter's is a case
category, from another dictionary)."""

from __future__ import annotations

from grassroots.leads.schemas import Code, Strict


class MatterToLead(Strict):
    category_code: Code  # a lead category (lead_category), e.g. dispute_risk 矛盾纠纷隐患


class MatterLeadOut(Strict):
    round_id: int
    seq: int
    lead_code: str
