"""The public leads path, unauthenticated (/api/v1/public/leads): a resident reports, gets a
receipt code, looks up the progress and finding with it, and adds information. Every call
counts against a per-address limit kept in the database (settings.leads_public_rate_limit),
so several app processes share it; a call over the limit is a 429 with Retry-After.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from grassroots.deps import DbSession
from grassroots.leads.public import queries as pq
from grassroots.leads.public.actions import do_add_information, do_report
from grassroots.leads.public.schemas import (
    ProgressOut,
    PublicReport,
    ReceiptIn,
    ReceiptOut,
    SupplementIn,
)
from grassroots.ratelimit.limits import per_address

router = APIRouter(tags=["leads (public)"])


public_limit = per_address("leads", "leads_public")
Limited = Annotated[None, Depends(public_limit)]


@router.post("/public/leads", response_model=ReceiptOut, status_code=201)
def report(data: PublicReport, session: DbSession, _limited: Limited) -> ReceiptOut:
    """举报: no account needed. Keep the receipt code: it is shown only this once."""
    lead, code = do_report(session, data)
    return ReceiptOut(receipt_code=code, received_on=lead.received_on, due_on=lead.due_on,
                      anonymous=lead.anonymous)  # fmt: skip


@router.post("/public/leads/lookup", response_model=ProgressOut)
def lookup(data: ReceiptIn, session: DbSession, _limited: Limited) -> ProgressOut:
    """查询进度: the state, its days and, once verified, the finding (POST: the code stays
    out of URLs and access logs)."""
    return pq.progress(session, pq.lead_by_receipt(session, data.receipt_code))


@router.post("/public/leads/supplement", response_model=ProgressOut)
def supplement(data: SupplementIn, session: DbSession, _limited: Limited) -> ProgressOut:
    """补充材料: more information for the verifiers."""
    lead = pq.lead_by_receipt(session, data.receipt_code)
    do_add_information(session, lead, data.text)
    return pq.progress(session, lead)
