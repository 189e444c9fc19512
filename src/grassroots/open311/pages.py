"""The staff page of a case that came in through Open311 (docs/open311.md): what only the
request carries, the client app, the description as sent and its media_url. The media_url
is shown as a link only (never fetched by the server: it points anywhere on the internet);
the page is as visible as its case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.cases.queries import access_case
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.open311.queries import request_of_case
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CaseReader = Annotated[User, requires("case.read")]
LINKABLE = ("http://", "https://")  # what POST requests accepted (schemas.URL); checked again


@router.get("/cases/{code}/open311", response_class=HTMLResponse)
def open311_request_page(
    request: Request, session: DbSession, user: CaseReader, code: str
) -> HTMLResponse:
    case = access_case(session, user, code)
    found = request_of_case(session, case.id)
    if found is None:
        raise Problem(404, "not_open311", "该案件不是经 Open311 上报的 / not an Open311 request")
    row, client = found
    media = row.media_url if row.media_url.lower().startswith(LINKABLE) else ""
    context = {"case": case, "row": row, "client": client, "media_url": media}
    return render(request, "open311/request.html", context, user=user)
