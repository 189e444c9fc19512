"""统计看板 (/stats/board): one jurisdiction's figures for a period, category and kind, all
in the URL; cards open the cases behind them, child rows drill one level down, the table
exports as Excel. Permission stats.read; the jurisdiction within the user's subtree."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.deps import DbSession, requires
from grassroots.dictionary.queries import active_categories, dictionary_names
from grassroots.geo.queries import nearby_choices
from grassroots.i18n import request_locale
from grassroots.stats.board.export import ranking_workbook
from grassroots.stats.board.queries import (
    RATES,
    breadcrumb,
    figure_cards,
    parse_view,
    ranking,
    trend,
)
from grassroots.stats.board.schemas import KINDS, TREND_MONTHS, BoardView
from grassroots.stats.figures.metrics import BY_KEY
from grassroots.stats.queries import dashboard
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
# The level whose boundaries the board's map colours, below each level (geo's GeoJSON).
MAP_LEVELS = {"city": "county", "county": "township", "township": "village"}
StatsReader = Annotated[User, requires("stats.read")]
Text = Annotated[str, Query(max_length=32)]


def _view(
    session: DbSession, user: StatsReader, jurisdiction: Text = "", period: Text = "",
    category: Text = "", kind: Text = "", rate: Text = "", months: Text = "",
) -> BoardView:  # fmt: skip
    return parse_view(
        session, user, china_today(), jurisdiction=jurisdiction, period=period,
        category=category, kind=kind, rate=rate, months=months,
    )  # fmt: skip


@router.get("/stats/board", response_class=HTMLResponse)
def board(
    request: Request, session: DbSession, user: StatsReader,
    jurisdiction: Text = "", period: Text = "", category: Text = "", kind: Text = "",
    rate: Text = "", months: Text = "", month_from: Text = "", month_to: Text = "",
) -> Response:  # fmt: skip
    """The board; a custom range typed as two months goes to its canonical URL (period=)."""
    if month_from or month_to:
        custom = f"{month_from or month_to}..{month_to or month_from}"
        view = _view(session, user, jurisdiction, custom, category, kind, rate, months)
        return RedirectResponse(view.url(), status_code=303)
    view = _view(session, user, jurisdiction, period, category, kind, rate, months)
    d = dashboard(session, view.node, view.period, view.category or None, kind=view.kind or None)
    locale = request_locale(request)
    context = {
        "view": view, "d": d, "cards": figure_cards(view, d),
        "rows": ranking(session, view, d), "trend": trend(session, view),
        "crumbs": breadcrumb(user, view.node),
        "places": nearby_choices(session, user.jurisdiction, view.node),
        "categories": dictionary_names(active_categories(session), locale),
        "kinds": KINDS, "rates": [(k, BY_KEY[k].label(locale)) for k in RATES],
        "rate_name": BY_KEY[view.rate].label(locale),
        "map_level": MAP_LEVELS.get(view.node.level, ""),
        "trend_months": TREND_MONTHS, "periods": recent_periods(view),
    }  # fmt: skip
    return render(request, "stats/board.html", context, user=user)


def recent_periods(view: BoardView) -> list[str]:
    """The period picker's choices: the view's own, then this year's and last year's months,
    quarters, halves and years."""
    year = china_today().year
    labels = [view.period.label]
    for y in (year, year - 1):
        labels += [f"{y}", f"{y}-H1", f"{y}-H2", *(f"{y}-Q{q}" for q in range(1, 5))]
        labels += [f"{y}-{m:02d}" for m in range(1, 13)]
    return list(dict.fromkeys(labels))


@router.get("/stats/board.xlsx")
def board_xlsx(
    session: DbSession, user: StatsReader, jurisdiction: Text = "", period: Text = "",
    category: Text = "", kind: Text = "", rate: Text = "", months: Text = "",
) -> Response:  # fmt: skip
    """The board's ranking table as an Excel sheet (every rate of every child row)."""
    view = _view(session, user, jurisdiction, period, category, kind, rate, months)
    d = dashboard(session, view.node, view.period, view.category or None, kind=view.kind or None)
    name = f"board-{view.node.code}-{view.period.label}.xlsx".replace("..", "_")
    return Response(
        ranking_workbook(view, d),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
