"""The web UI's own pages: the 工作台 (dashboard) and its fragments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.responses import HTMLResponse

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.cases.listing.queries import awaiting_follow_up, my_tasks, open_by_grid
from grassroots.cases.queues.queries import LABELS as QUEUE_LABELS
from grassroots.cases.queues.queries import queue_counts, viewer
from grassroots.deps import DbSession, Permissions, requires
from grassroots.geo.posts.queries import posts_of_user
from grassroots.geo.queries import nearby_choices
from grassroots.i18n import N_, request_locale
from grassroots.leads.reporting.figures import FiguresOut, lead_figures
from grassroots.stats.figures.dashboard import (
    Card,
    by_category,
    dashboard_periods,
    period_cards,
    trend,
)
from grassroots.stats.figures.grids import FIGURE_LABELS, GridRow, grid_rows, total_of
from grassroots.stats.periods import parse_period, this_month
from grassroots.stats.queries import access_jurisdiction
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
StatsReader = Annotated[User, requires("stats.read")]


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request, session: DbSession, user: StatsReader, permissions: Permissions,
    period: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:  # fmt: skip
    """The 工作台: the queues, the figures of a period (this month unless ?period= names
    another, as on /stats/board), the grids, tasks, map and charts."""
    node, chosen = user.jurisdiction, parse_period(period) if period else this_month(china_today())
    cards = period_cards(session, node, chosen) if node is not None else []
    follow = awaiting_follow_up(session, user)
    tone = "is-warning" if follow else ""
    href = "/cases?state=resolved"
    cards.append(Card("follow_up", N_("Awaiting follow-up"), str(follow), tone, href))
    context = {
        "cards": cards,
        "node": node,
        "period": chosen,
        "periods": dashboard_periods(),
        "grid_rows": _own_grids(session, user),
        "figure_labels": FIGURE_LABELS,
        "tasks": my_tasks(session, user),
        "queues": _queue_cards(session, user),
        "leads": _lead_figures(session, user, permissions),
        "charts": {
            "trend": trend(session, node) if node is not None else {},
            "categories": (
                by_category(session, node, request_locale(request)) if node is not None else []
            ),
        },
    }
    return render(request, "stats/dashboard.html", context, user=user)


def _own_grids(session: DbSession, user: User) -> list[GridRow]:
    """This month's figures of the grids a 网格员 serves today (or of a village post's
    grids): what they see first on the phone."""
    node, today = user.jurisdiction, china_today()
    if node is None:
        return []
    month = this_month(today)
    if user.role == "grid_worker":
        grids = [p.grid for p in posts_of_user(session, user.id, today)]
        return grid_rows(session, node, month, today, grids) if grids else []
    if node.level in ("village", "grid"):
        return grid_rows(session, node, month, today)
    return []


@router.get("/stats/grids", response_class=HTMLResponse)
def grid_figures_page(
    request: Request, session: DbSession, user: StatsReader,
    jurisdiction: Annotated[str, Query(max_length=15)] = "",
    period: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:  # fmt: skip
    """网格统计: the figures of each grid below a jurisdiction (default: the user's post)."""
    today = china_today()
    node = (
        access_jurisdiction(session, user, jurisdiction, allow_grid=True)
        if jurisdiction else user.jurisdiction
    )  # fmt: skip
    chosen = parse_period(period) if period else this_month(today)
    rows = grid_rows(session, node, chosen, today) if node is not None else []
    places = nearby_choices(session, user.jurisdiction, node)
    if node is not None and node.code not in dict(places):  # a grid chosen by its link
        places.append((node.code, node.name))
    context = {"node": node, "period": chosen, "rows": rows, "total": total_of(rows),
               "labels": FIGURE_LABELS, "today": today, "places": places}  # fmt: skip
    return render(request, "stats/grids.html", context, user=user)


def _lead_figures(session: DbSession, user: User, permissions: frozenset[str]) -> FiguresOut | None:
    """This year's lead figures of the post, for those who coordinate leads (lead.register)."""
    if "lead.register" not in permissions or user.jurisdiction is None:
        return None
    today = china_today()
    return lead_figures(session, user.jurisdiction.prefix, today.year, today)


def _queue_cards(session: DbSession, user: User) -> list[tuple[str, str, int]]:
    """(name, label, count) of the user's work queues; each card opens /cases?queue=name."""
    counts = queue_counts(session, viewer(session, user), china_today())
    return [(name, label, counts[name]) for name, label in QUEUE_LABELS.items()]


@router.get("/dashboard/grids.json")
def grid_counts(session: DbSession, user: StatsReader) -> JSONResponse:
    """Open and overdue cases per grid, for colouring the dashboard map."""
    return JSONResponse(open_by_grid(session, user, china_today()))
