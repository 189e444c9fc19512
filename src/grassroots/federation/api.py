"""JSON routes of federation: the receiving endpoint of the protocol
(POST /federation/v1/documents, authenticated by the sender's signature, not a session) and
the handlers' routes under /api/v1/federation: share one of our cases with a partner, the
shared cases, one with its timeline, a message, a session. Thin: access_*, then do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from grassroots.accounts.models import User
from grassroots.audit.actions import record_audit
from grassroots.bounds import DbId
from grassroots.db import transaction, utcnow
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.federation import queries as q
from grassroots.federation.actions import (
    do_hand_link,
    do_invite_to_meeting,
    do_record_session,
    do_send_message,
    do_share_with_partner,
)
from grassroots.federation.models import FederationLink
from grassroots.federation.receiving import Refused, receive
from grassroots.federation.schemas import HandIn, LinkMessageIn, MeetingIn, SessionIn, ShareIn
from grassroots.ratelimit.limits import per_address

router = APIRouter(tags=["federation"])
# Not in the OpenAPI document of /api/v1 (a partner's server speaks the protocol of
# docs/federation.md, signed; the document describes the API of people and integrations).
receiver = APIRouter(tags=["federation"], include_in_schema=False)
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]


async def raw_body(request: Request) -> bytes:
    return await request.body()


# Each document counts against its address's limit: 429 over it, before the body is read,
# with nothing audited or stored.
document_limit = per_address("federation", "federation")


@receiver.post("/federation/v1/documents", status_code=202, dependencies=[Depends(document_limit)])
def receive_document(
    request: Request, session: DbSession, raw: Annotated[bytes, Depends(raw_body)]
) -> JSONResponse:
    """信息联通: a partner deployment's signed document (docs/federation.md). Authenticated
    by the request and document signatures of a registered partner, not by a session."""
    now = utcnow()
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        link = receive(session, headers, raw, now)
    except Refused as exc:
        session.rollback()
        with transaction(session):
            record_audit(
                session,
                actor=None,
                action="federation.refused",
                object_type="federation_document",
                result="denied",
                details={"code": exc.code, "sender": headers.get("x-federation-sender", "")[:32]},
            )
        raise Problem(exc.status, exc.code, exc.message) from exc
    return JSONResponse({"status": "accepted", "case": link.case_code}, status_code=202)


def link_out(session: DbSession, link: FederationLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "partner": link.partner.code,
        "partner_name": link.partner.name,
        "origin": link.origin_code,
        "case_code": link.case_code,
        "ours": link.case_id is not None,
        "title": q.link_title(link),
        "state": link.state,
        "outcome": link.outcome,
        "jurisdiction": link.jurisdiction.code if link.jurisdiction else None,
        "timeline": [
            {
                "direction": e.direction,
                "type": e.kind,
                "body": e.body,
                "created_at": e.created_at.isoformat(),
                "state": e.state,
            }
            for e in q.timeline(session, link)
        ],
    }


@router.post("/federation/cases/{code}/share", status_code=201)
def share_case(code: str, data: ShareIn, session: DbSession, user: Actor) -> dict[str, Any]:
    """与邻县联通: share one of our cases with a partner deployment (a handler of the case)."""
    case = q.access_own_case(session, user, code)
    return link_out(session, do_share_with_partner(session, case, data, actor=user))


@router.get("/federation/links")
def list_links(session: DbSession, user: Reader) -> list[dict[str, Any]]:
    """The cases shared with partner deployments that you handle (both ways)."""
    return [
        {
            "id": link.id,
            "partner": link.partner.code,
            "case_code": link.case_code,
            "ours": link.case_id is not None,
            "title": q.link_title(link),
            "state": link.state,
            "outcome": link.outcome,
        }
        for link in q.links_for(session, user)
    ]


@router.get("/federation/links/{link_id}")
def get_link(link_id: DbId, session: DbSession, user: Reader) -> dict[str, Any]:
    """One shared case: this side's copy and its timeline (documents both ways)."""
    return link_out(session, q.access_link(session, user, link_id))


@router.post("/federation/links/{link_id}/messages", status_code=201)
def post_message(
    link_id: DbId, data: LinkMessageIn, session: DbSession, user: Actor
) -> dict[str, str]:
    """会商留言 to the partner's handlers (queued, signed, sent by the outbox)."""
    link = q.access_link(session, user, link_id)
    return {"document": do_send_message(session, link, data, actor=user)}


@router.post("/federation/links/{link_id}/sessions", status_code=201)
def post_session(link_id: DbId, data: SessionIn, session: DbSession, user: Actor) -> dict[str, str]:
    """调解记录: a session held on our side, told to the partner."""
    link = q.access_link(session, user, link_id)
    return {"document": do_record_session(session, link, data, actor=user)}


@router.post("/federation/links/{link_id}/meetings", status_code=201)
def post_meeting(link_id: DbId, data: MeetingIn, session: DbSession, user: Actor) -> dict[str, str]:
    """边界联席会议邀请: invite the partner to a border joint meeting about the case."""
    link = q.access_link(session, user, link_id)
    return {"document": do_invite_to_meeting(session, link, data, actor=user)}


@router.post("/federation/links/{link_id}/hand")
def hand_link(link_id: DbId, data: HandIn, session: DbSession, user: Actor) -> dict[str, Any]:
    """交办: a partner's case handled from now on by another of our jurisdictions (one in the
    caller's subtree); 422 for our own case, a place outside the caller's subtree or a grid."""
    link = q.access_link(session, user, link_id)
    return link_out(session, do_hand_link(session, link, data, actor=user))
