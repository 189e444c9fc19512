"""事件登记 page: the form with the map, the live locate fragment, the POST that registers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.deps import DbSession, requires
from grassroots.geo.locate import locate_point
from grassroots.web.queries import active_categories, active_sources
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Registrar = Annotated[User, requires("case.register")]

PARTY_ROLES = ("applicant", "respondent", "third_party")
EMPTY_PARTIES: list[dict[str, str]] = [
    {"role": "applicant", "name": "", "phone": "", "id_number": ""},
    {"role": "respondent", "name": "", "phone": "", "id_number": ""},
]


def form_context(
    session: DbSession, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "category_options": [(c.code, c.name) for c in active_categories(session)],
        "source_options": [(s.code, s.name) for s in active_sources(session)],
        "values": values,
        "parties": values.get("parties") or EMPTY_PARTIES,
        "party_roles": PARTY_ROLES,
        "errors": errors,
    }


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, session: DbSession, user: Registrar) -> HTMLResponse:
    values = {"kind": "dispute", "source_code": "grid_patrol", "people_involved": "2"}
    return render(request, "cases/new.html", form_context(session, values, {}), user=user)


@router.get("/cases/new/locate", response_class=HTMLResponse)
def locate_fragment(
    request: Request,
    session: DbSession,
    user: Registrar,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
) -> HTMLResponse:
    """htmx: the grid and village a point falls in, shown live under the map."""
    located = locate_point(session, lat, lng) if lat is not None and lng is not None else None
    context = {"located": located, "asked": lat is not None and lng is not None}
    return render(request, "cases/_located.html", context, user=user)
