"""The grid page (who serves it today, its history; the post forms for township and county
administrators) and the vacancies of a township."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.geo.posts import queries
from grassroots.geo.posts.actions import do_appoint, do_change_post, do_end_post
from grassroots.geo.posts.schemas import PostChange, PostEnd, PostIn
from grassroots.i18n import N_
from grassroots.scope import current_jurisdiction, in_subtree
from grassroots.web.flash import set_flash
from grassroots.web.forms import form_fields
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, requires("geo.read")]
Manager = Annotated[User, requires("geo.write")]
FormFields = Annotated[dict[str, Any], Depends(form_fields)]
KIND_LABELS = {"leader": N_("Grid leader"), "worker": N_("Grid worker")}


def _page(
    request: Request, session: DbSession, user: User, grid: Jurisdiction,
    error: str = "", status: int = 200,
) -> HTMLResponse:  # fmt: skip
    today = china_today()
    manages = queries.may_manage_posts(user, grid.code)
    context = {
        "grid": grid, "path": queries.grid_path(grid), "today": today,
        "serving": queries.posts_on(session, [grid.id], today),
        "history": queries.history(session, grid.id), "kind_labels": KIND_LABELS,
        "manages": manages, "error": error,
        "candidates": queries.candidates(session, grid) if manages else [],
    }  # fmt: skip
    return render(request, "geo/grid.html", context, user=user, status_code=status)


@router.get("/grids/{code}", response_class=HTMLResponse)
def grid_page(request: Request, session: DbSession, user: Reader, code: str) -> HTMLResponse:
    return _page(request, session, user, queries.readable_grid(session, user, code))


def _done(
    request: Request, session: DbSession, user: User, code: str, write: Callable[[], object]
) -> Response:
    """Run one post write; back to the grid page, or the page again with the message."""
    try:
        write()
    except ValidationError:
        grid = queries.readable_grid(session, user, code)
        return _page(
            request, session, user, grid, "请检查日期和人员 / check the dates and the person", 422
        )
    except Problem as exc:
        if exc.status == 404:
            raise
        grid = queries.readable_grid(session, user, code)
        return _page(request, session, user, grid, exc.message, exc.status)
    response = RedirectResponse(f"/grids/{code}#posts", status_code=303)
    set_flash(response, "saved")
    return response


@router.post("/grids/{code}/posts", response_class=HTMLResponse)
def appoint(
    request: Request, session: DbSession, user: Manager, code: str, form: FormFields
) -> Response:
    fields = {k: form.get(k) for k in ("username", "kind", "start_on")}

    def write() -> object:
        return do_appoint(session, code, PostIn.model_validate(fields), actor=user)

    return _done(request, session, user, code, write)


@router.post("/grids/{code}/posts/{post_id}/end", response_class=HTMLResponse)
def end_post(
    request: Request, session: DbSession, user: Manager, code: str, post_id: int,
    form: FormFields,
) -> Response:  # fmt: skip
    data = {"end_on": form.get("end_on")}

    def write() -> object:
        return do_end_post(session, post_id, PostEnd.model_validate(data), actor=user)

    return _done(request, session, user, code, write)


@router.post("/grids/{code}/posts/{post_id}/change", response_class=HTMLResponse)
def change_post(
    request: Request, session: DbSession, user: Manager, code: str, post_id: int,
    form: FormFields,
) -> Response:  # fmt: skip
    data = {"username": form.get("username"), "on": form.get("on")}

    def write() -> object:
        return do_change_post(session, post_id, PostChange.model_validate(data), actor=user)

    return _done(request, session, user, code, write)


@router.get("/grid-vacancies", response_class=HTMLResponse)
def vacancies_page(
    request: Request, session: DbSession, user: Reader, under: str = ""
) -> HTMLResponse:
    """The grids below the user's post (or `under`, inside it) lacking a post today."""
    node = current_jurisdiction(session, under) if under else user.jurisdiction
    if node is not None and not in_subtree(user, node.code):
        node = None
    today = china_today()
    found = queries.vacancies(session, node, today) if node is not None else []
    context = {"node": node, "today": today, "vacancies": found}
    return render(request, "geo/grid_vacancies.html", context, user=user)
