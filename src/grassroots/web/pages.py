"""The web UI's own pages: the dashboard (工作台) and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.deps import DbSession, requires
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
StatsReader = Annotated[User, requires("stats.read")]


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: DbSession, user: StatsReader) -> HTMLResponse:
    return render(request, "dashboard.html", {}, user=user)
