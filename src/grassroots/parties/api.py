"""JSON routes for parties: masked reading, reveal with a reason, exact lookup."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.parties.actions import do_lookup, do_reveal
from grassroots.parties.queries import access_party, masked_view, parties_of_case
from grassroots.parties.schemas import (
    LookupRequest,
    LookupResult,
    PartyMasked,
    Revealed,
    RevealRequest,
)

router = APIRouter(prefix="/parties", tags=["parties"])

CaseReader = Annotated[User, requires("case.read")]
Revealer = Annotated[User, requires("party.reveal")]


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("")
def list_parties(case: str, session: DbSession, user: CaseReader) -> list[PartyMasked]:
    """某案件的当事人（脱敏，含 id 以便查看完整号码） / a case's parties, masked, with ids."""
    return [masked_view(p) for p in parties_of_case(session, user, case)]


@router.get("/{party_id}")
def read_party(
    party_id: DbId, request: Request, session: DbSession, user: CaseReader
) -> PartyMasked:
    """当事人信息（脱敏） / a party, phone and ID number masked."""
    return masked_view(access_party(session, user, party_id, _ip(request)))


@router.post("/{party_id}/reveal")
def reveal(
    party_id: DbId,
    body: RevealRequest,
    request: Request,
    response: Response,
    session: DbSession,
    user: Revealer,
) -> Revealed:
    """查看完整号码（需填写理由，记入审计） / reveal one field; needs a reason, audited."""
    party = access_party(session, user, party_id, _ip(request))
    value = do_reveal(session, party, body.field, body.reason, user, _ip(request))
    response.headers["Cache-Control"] = "no-store"
    return Revealed(party_id=party.id, field=body.field, value=value)


@router.post("/lookup")
def lookup(
    body: LookupRequest, request: Request, session: DbSession, user: CaseReader
) -> LookupResult:
    """按身份证号或电话精确查找当事人 / find parties by exact ID number or phone (POST: the
    value stays out of URLs and access logs)."""
    parties = do_lookup(session, user, body.field, body.value, _ip(request))
    return LookupResult(parties=[masked_view(p) for p in parties])
