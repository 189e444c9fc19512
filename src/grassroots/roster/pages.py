"""队伍建设 page: the township roster (township and county staff, roster.manage) with the
forms to set a work phone, add a training and reveal a phone for a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction, Level
from grassroots.roster import queries
from grassroots.roster.actions import do_add_training, do_reveal_phone, do_set_phone
from grassroots.roster.schemas import PhoneIn, RevealIn, TrainingIn
from grassroots.scope import subtree_condition
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Manager = Annotated[User, requires("roster.manage")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


def townships(session: DbSession, user: User) -> list[Jurisdiction]:
    stmt = (
        select(Jurisdiction)
        .where(Jurisdiction.level == Level.township.value, Jurisdiction.valid_to.is_(None),
               subtree_condition(user, Jurisdiction.code))
        .order_by(Jurisdiction.code)
    )  # fmt: skip
    return list(session.scalars(stmt)) if queries.manages_people(user) else []


def _page(
    request: Request, session: DbSession, user: User, code: str,
    message: str = "", revealed: tuple[str, str] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    choices = townships(session, user)
    code = code or (choices[0].code if choices else "")
    township = queries.access_township(session, user, code) if code else None
    today = china_today()
    entries = queries.roster(session, township, today) if township is not None else []
    context = {"townships": choices, "township": township, "entries": entries, "today": today,
               "message": message, "revealed": revealed}  # fmt: skip
    return render(request, "roster/roster.html", context, user=user, status_code=status)


@router.get("/roster", response_class=HTMLResponse)
def roster_page(
    request: Request, session: DbSession, user: Manager,
    township: Annotated[str, Query(max_length=12)] = "",
) -> HTMLResponse:  # fmt: skip
    return _page(request, session, user, township)


def _write(
    request: Request, session: DbSession, user: User, form: dict[str, Any],
    write: Callable[[], object],
) -> Response:  # fmt: skip
    code = str(form.get("township", ""))[:12]
    try:
        write()
    except ValidationError:
        return _page(request, session, user, code, "请检查填写的内容 / check the input", status=422)
    except Problem as exc:
        if exc.status == 404:
            raise
        return _page(request, session, user, code, exc.message, status=exc.status)
    response = RedirectResponse(f"/roster?township={code}", status_code=303)
    set_flash(response, "saved")
    return response


@router.post("/roster/{username}/phone", response_class=HTMLResponse)
def set_phone(
    request: Request, session: DbSession, user: Manager, username: str, form: FormFields
) -> Response:
    def write() -> object:
        data = PhoneIn.model_validate({"phone": form.get("phone", "")})
        do_set_phone(session, username, data, actor=user)
        return None

    return _write(request, session, user, form, write)


@router.post("/roster/{username}/trainings", response_class=HTMLResponse)
def add_training(
    request: Request, session: DbSession, user: Manager, username: str, form: FormFields
) -> Response:
    def write() -> object:
        fields = {"held_on": form.get("held_on", ""), "title": form.get("title", "")}
        return do_add_training(session, username, TrainingIn.model_validate(fields), actor=user)

    return _write(request, session, user, form, write)


@router.post("/roster/{username}/reveal", response_class=HTMLResponse)
def reveal_phone(
    request: Request, session: DbSession, user: Manager, username: str, form: FormFields
) -> Response:
    """The page again with this worker's phone shown once (the reveal is audited)."""
    code = str(form.get("township", ""))[:12]
    try:
        data = RevealIn.model_validate({"reason": form.get("reason", "")})
        phone = do_reveal_phone(session, username, data, actor=user)
    except ValidationError:
        return _page(request, session, user, code, "请填写查看理由 / give a reason", status=422)
    except Problem as exc:
        if exc.status == 404 and exc.code != "no_value":
            raise
        return _page(request, session, user, code, exc.message, status=exc.status)
    return _page(request, session, user, code, revealed=(username, phone))
