"""The residents' JSON routes under /api/v1/public (docs/public.md): no account; every call
is rate-limited in the database (grassroots.residents.limits); a report carries a proof of
work from GET /public/challenge. The receipt code travels in POST bodies only, so it stays
out of URLs and access logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from grassroots.calendar.today import china_today, local_date
from grassroots.config import ATTACHMENT_CEILING, Settings
from grassroots.deps import DbSession
from grassroots.i18n import gettext_for, request_locale
from grassroots.residents import pow as proof_of_work
from grassroots.residents import queries as q
from grassroots.residents.actions import do_attach_photos, do_rate, do_report, public_photos
from grassroots.residents.limits import lookup_limit, pow_bits, report_limit, spend_proof
from grassroots.residents.schemas import (
    ChallengeOut,
    ProgressOut,
    RatingIn,
    ReceiptIn,
    ReceiptOut,
    ReportWithPhotos,
)
from grassroots.web.limits import KIB, LIMIT_KEY, body_limit

router = APIRouter(prefix="/public", tags=["residents (public)"])
PUBLIC_BODY = {LIMIT_KEY: 16 * KIB}  # a report is at most 2,000 characters of text
# A report with its photos in base64 (4 characters for 3 bytes): as large as the page's upload.
REPORT_BODY = body_limit(ATTACHMENT_CEILING // 3 * 4)
ReportLimited = Annotated[None, Depends(report_limit)]
LookupLimited = Annotated[None, Depends(lookup_limit)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/challenge", response_model=ChallengeOut)
def challenge(request: Request, session: DbSession, _limited: LookupLimited) -> ChallengeOut:
    """工作量证明: a signed challenge; find a nonce (docs/public.md) and send the proof. Its
    `bits` rise with the reports of everyone (within the configured bounds)."""
    settings = _settings(request)
    bits = pow_bits(session, settings)
    c = proof_of_work.issue(bits, settings.public_pow_ttl_seconds)
    return ChallengeOut(challenge=c.challenge, bits=c.bits, signature=c.signature,
                        expires=c.expires)  # fmt: skip


@router.post("/reports", response_model=ReceiptOut, status_code=201, openapi_extra=REPORT_BODY)
def report(data: ReportWithPhotos, request: Request, session: DbSession,
           _limited: ReportLimited) -> ReceiptOut:  # fmt: skip
    """群众上报: no account needed. Keep the receipt code: it is shown only this once.
    `photos`: up to three, base64; made smaller on the phone first (about 1600 px)."""
    spend_proof(request, data.proof)
    photos = public_photos(data.photos, _settings(request))
    case, saved, code = do_report(session, data, _settings(request))
    do_attach_photos(session, case, photos)
    return ReceiptOut(receipt_code=code, registered_on=local_date(case.registered_at),
                      anonymous=saved.anonymous, sms_queued=saved.sms_requested)  # fmt: skip


def _progress(request: Request, session: DbSession, code: str) -> ProgressOut:
    report, case = q.report_by_receipt(session, code)
    _ = gettext_for(request_locale(request))
    return q.progress(session, report, case, _settings(request).public_reopen_days,
                      china_today(), _)  # fmt: skip


@router.post("/reports/lookup", response_model=ProgressOut, openapi_extra=PUBLIC_BODY)
def lookup(data: ReceiptIn, request: Request, session: DbSession,
           _limited: LookupLimited) -> ProgressOut:  # fmt: skip
    """查询进度: the state, the level holding it, the deadlines, the outcome in plain words."""
    return _progress(request, session, data.receipt_code)


@router.post("/reports/rating", response_model=ProgressOut, openapi_extra=PUBLIC_BODY)
def rate(data: RatingIn, request: Request, session: DbSession,
         _limited: LookupLimited) -> ProgressOut:  # fmt: skip
    """群众评价: once per resolution; 不满意 within the window reopens the case."""
    do_rate(session, data, _settings(request))
    return _progress(request, session, data.receipt_code)
