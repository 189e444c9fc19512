"""The parties on the case pages: always masked (a template global the case detail and the
printable agreement use), and the clear value of one field on request, for a reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.cases.models import Case
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.parties.actions import do_reveal
from grassroots.parties.queries import access_party, masked_view
from grassroots.parties.schemas import PartyMasked
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Revealer = Annotated[User, requires("party.reveal")]


def masked_parties(case: Case) -> list[PartyMasked]:
    """The parties of a case the page already fetched through access_case, masked."""
    return [masked_view(p) for p in case.parties]


register_globals(masked_parties=masked_parties)


@router.post("/cases/{code}/parties/{party_id}/reveal", response_class=HTMLResponse)
def reveal(
    request: Request,
    session: DbSession,
    user: Revealer,
    code: str,
    party_id: DbId,
    field: Annotated[str, Form(pattern="^(phone|id_number)$")],
    reason: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """htmx: the clear value of one field, for a stated reason (audited by do_reveal)."""
    ip = request.client.host if request.client else ""
    party = access_party(session, user, party_id, ip)
    if party.case.code != code:
        raise Problem(404, "party_not_found", "当事人不存在 / party not found")
    context: dict[str, Any] = {"party_id": party_id, "field": field, "value": "", "error": ""}
    try:
        context["value"] = do_reveal(session, party, field, reason, user, ip)  # type: ignore[arg-type]
    except Problem as exc:
        context["error"] = exc.message
    response = render(request, "parties/_revealed.html", context, user=user)
    response.headers["Cache-Control"] = "no-store"
    return response
