"""联调 pages: the joint cases I handle, one joint case with its sides, tasks and the
handlers' thread (a message is posted with htmx, the thread fragment comes back; without
script the form posts and the page reloads). Thin: access_joint, the input models, do_*."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.bounds import DbId
from grassroots.cases.attachments.actions import store_files
from grassroots.cases.attachments.uploads import UPLOAD_LIMIT, Files
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.federation import queries as fq
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.joint import queries as q
from grassroots.joint.actions import MANAGERS, do_add_task, do_finish_task, do_post_message
from grassroots.joint.schemas import NewMessage, NewTask
from grassroots.ratelimit.limits import client_ip
from grassroots.web.forms import field_errors, form_fields, problem_errors
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
SIDE_LABELS = {"holder": N_("Holder"), "lead": N_("Lead side"), "co": N_("Co-handler"),
               "unit": N_("Handling unit"), "assignee": N_("Assigned mediator")}  # fmt: skip
register_globals(joint_side_labels=SIDE_LABELS)
Reader = Annotated[User, requires("case.read")]
Actor = Annotated[User, requires("case.act")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]


@router.get("/joint", response_class=HTMLResponse)
def joint_list(request: Request, session: DbSession, user: Reader) -> HTMLResponse:
    rows = q.joint_cases(session, user)
    links = [(link, fq.link_title(link)) for link in fq.links_for(session, user)]
    return render(request, "joint/list.html", {"rows": rows, "links": links}, user=user)


def _detail(session: DbSession, user: User, code: str) -> dict[str, Any]:
    case, side = q.access_joint(session, user, code)
    return {"case": case, "my_side": side, "sides": q.sides(case),
            "tasks": q.tasks(session, case), "messages": q.thread(session, case),
            "may_assign": side in MANAGERS, "errors": {}, "values": {},
            "partner_links": fq.links_of_case(session, case)}  # fmt: skip


@router.get("/joint/{code}", response_class=HTMLResponse)
def joint_detail(request: Request, session: DbSession, user: Reader, code: str) -> HTMLResponse:
    return render(request, "joint/detail.html", _detail(session, user, code), user=user)


def _validated(request: Request, model: type[BaseModel], data: dict[str, Any]) -> Any:
    """The model, or a dict of translated field errors."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        t = gettext_for(request_locale(request))
        return field_errors(exc, t, lambda loc: str(loc[0]), "_form")


@router.post("/joint/{code}/messages", response_class=HTMLResponse, openapi_extra=UPLOAD_LIMIT)
def post_message(
    request: Request, session: DbSession, user: Actor, code: str, form: FormFields, files: Files
) -> Response:
    """A message to the thread, with the photos or documents chosen (checked and stored
    first: a refused file posts nothing, and the form says why under the file input)."""
    case, side = q.access_joint(session, user, code)
    data = _validated(request, NewMessage, {"text": form.get("text", "")})
    if not isinstance(data, dict):
        try:
            stored = store_files(files.files, False, request.app.state.settings)
            do_post_message(session, case, side, data, actor=user, files=stored,
                            ip=client_ip(request))  # fmt: skip
        except Problem as exc:
            session.rollback()
            data = {"files": exc.message}
    if not isinstance(data, dict) and not request.headers.get("HX-Request"):
        return RedirectResponse(f"/joint/{code}#thread", status_code=303)
    context = _detail(session, user, code) | {"errors": data if isinstance(data, dict) else {}}
    status = 422 if isinstance(data, dict) else 200
    template = "joint/_thread.html" if request.headers.get("HX-Request") else "joint/detail.html"
    return render(request, template, context, user=user, status_code=status)


@router.post("/joint/{code}/tasks", response_class=HTMLResponse)
def add_task(
    request: Request, session: DbSession, user: Actor, code: str, form: FormFields
) -> Response:
    case, side = q.access_joint(session, user, code)
    fields = {k: form.get(k) for k in ("side", "text", "due_on") if form.get(k)}
    data = _validated(request, NewTask, fields)
    errors = data if isinstance(data, dict) else {}
    if not errors:
        try:
            do_add_task(session, case, side, data, actor=user)
            return RedirectResponse(f"/joint/{code}#tasks", status_code=303)
        except Problem as exc:
            session.rollback()
            errors = problem_errors(exc, "_form", {})
    context = _detail(session, user, code) | {"errors": errors, "values": form}
    return render(request, "joint/detail.html", context, user=user, status_code=422)


@router.post("/joint/{code}/tasks/{task_id}/done")
def finish_task(session: DbSession, user: Actor, code: str, task_id: DbId) -> Response:
    case, side = q.access_joint(session, user, code)
    do_finish_task(session, case, side, task_id, actor=user)
    return RedirectResponse(f"/joint/{code}#tasks", status_code=303)
