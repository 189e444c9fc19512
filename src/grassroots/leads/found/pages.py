"""The round page's 转为线索 button: the same MatterToLead and do_lead_from_matter as the
API; to the new lead's page with a flash, or the error page (4xx) saying why not."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.leads.found.actions import do_lead_from_matter
from grassroots.leads.found.api import Seq
from grassroots.leads.found.schemas import MatterToLead
from grassroots.rounds.queries import access_round
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields

router = APIRouter(include_in_schema=False)
Registrar = Annotated[User, requires("lead.register")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


@router.post("/rounds/{round_id}/matters/{seq}/lead")
def matter_to_lead(
    session: DbSession, user: Registrar, round_id: DbId, seq: Seq, form: FormFields
) -> Response:
    access_round(session, user, round_id)  # 404 beyond the subtree comes before a bad form
    try:
        data = MatterToLead.model_validate({"category_code": form.get("category_code")})
    except ValidationError as exc:
        raise Problem(422, "bad_category", "请选择线索类别 / choose a lead category") from exc
    lead = do_lead_from_matter(session, round_id, seq, data, actor=user)
    response = RedirectResponse(f"/leads/{lead.code}", status_code=303)
    set_flash(response, "lead_from_matter", lead.code)
    return response
