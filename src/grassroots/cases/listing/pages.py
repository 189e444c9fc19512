"""事件列表: filters, traffic-light badges, keyset paging, export of the current filter."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from grassroots.accounts.models import User
from grassroots.calendar.today import china_today
from grassroots.calendar.workdays import load_calendar
from grassroots.cases.labels import (
    FIGURE_LABELS,
    KIND_LABELS,
    LIGHT_LABELS,
    STATE_LABELS,
    deadline_badge,
    light_of,
)
from grassroots.cases.listing.export import (
    COLUMNS,
    Rows,
    case_batches,
    check_xlsx_size,
    csv_chunks,
    do_record_export,
    file_chunks,
    rows_of,
    start_export,
    xlsx_file,
)
from grassroots.cases.listing.filters import PAGE_SIZE, PageFilters, case_filter
from grassroots.cases.listing.queries import FIGURES, case_places, count_cases, list_cases
from grassroots.cases.models import OPEN_STATES
from grassroots.cases.queues.queries import LABELS as QUEUE_LABELS
from grassroots.deps import DbSession, requires
from grassroots.dictionary.queries import active_categories, dictionary_names
from grassroots.geo.labels import LEVEL_LABELS
from grassroots.geo.queries import names_of, nearby_choices
from grassroots.i18n import gettext_for, request_locale
from grassroots.ratelimit.limits import client_ip
from grassroots.web.templating import render

router = APIRouter(include_in_schema=False)
CaseReader = Annotated[User, requires("case.read")]
CODE = r"^\d{12,15}$"
CASE_CODE = re.compile(r"\d{6}-\d{4}-\d{6}")
# The filter form submits every field: an empty date field means no bound, not a bad date.
EMPTY_IS_NONE = BeforeValidator(lambda v: v or None)


def case_filters(
    state: Annotated[str, Query(max_length=16)] = "",
    category: Annotated[str, Query(max_length=32)] = "",
    level: Annotated[str, Query(max_length=16)] = "",
    jurisdiction: Annotated[str, Query(pattern=f"({CODE})|^$")] = "",
    light: Annotated[str, Query(pattern="^(green|yellow|red)?$")] = "",
    date_from: Annotated[date | None, Query(), EMPTY_IS_NONE] = None,
    date_to: Annotated[date | None, Query(), EMPTY_IS_NONE] = None,
    q: Annotated[str, Query(max_length=100)] = "",
    grid: Annotated[str, Query(pattern=r"^(\d{15})?$")] = "",
    queue: Annotated[str, Query(pattern=f"^({'|'.join(QUEUE_LABELS)})?$")] = "",
    kind: Annotated[str, Query(pattern="^(dispute|request)?$")] = "",
    figure: Annotated[str, Query(pattern=f"^({'|'.join(FIGURES)})?$")] = "",
) -> PageFilters:
    return PageFilters(
        state, category, level, jurisdiction, grid, light, date_from, date_to, q, queue, kind,
        figure,
    )  # fmt: skip


Filters = Annotated[PageFilters, Depends(case_filters)]


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request,
    session: DbSession,
    user: CaseReader,
    filters: Filters,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    if CASE_CODE.fullmatch(filters.q.strip()):  # a whole case code: open that case
        return RedirectResponse(f"/cases/{filters.q.strip()}", status_code=303)
    today = china_today()
    f = case_filter(session, filters)
    rows, next_cursor = list_cases(
        session, user, f, today, cursor=cursor, limit=PAGE_SIZE, queue=filters.queue or None
    )
    query = filters.query_items()
    cal = load_calendar(session)
    context = {
        "rows": [(c, light_of(c, today)) for c in rows],
        "badges": {c.id: deadline_badge(cal, c, today) for c in rows},
        "places": case_places(session, rows),
        "jurisdiction_choices": nearby_choices(session, user.jurisdiction, f.jurisdiction),
        "total": count_cases(session, user, f, today, filters.queue or None),
        "filters": filters,
        "categories": dictionary_names(active_categories(session), request_locale(request)),
        "states": STATE_LABELS,
        "levels": LEVEL_LABELS,
        "lights": {k: v for k, v in LIGHT_LABELS.items() if k != "none"},
        "next_url": f"/cases?{urlencode([*query, ('cursor', next_cursor)])}" if next_cursor else "",
        "first_url": f"/cases?{urlencode(query)}" if cursor else "",
        "export_query": urlencode(query),
        "queue_label": QUEUE_LABELS.get(filters.queue, ""),
        "figure_label": FIGURE_LABELS.get(filters.figure, ""),
        "kind_label": KIND_LABELS.get(filters.kind, ""),
    }
    template = "cases/_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(request, template, context, user=user)


@router.get("/cases/grid/{grid_code}", response_class=HTMLResponse)
def grid_cases(
    request: Request, session: DbSession, user: CaseReader, grid_code: str
) -> HTMLResponse:
    """htmx fragment for the dashboard map: the open cases of one grid in the user's scope."""
    today = china_today()
    f = case_filter(session, PageFilters(grid=grid_code))
    rows, _ = list_cases(session, user, replace(f, state=tuple(OPEN_STATES)), today, limit=50)
    open_rows = [(c, light_of(c, today)) for c in rows]
    grid_name = names_of(session, [grid_code]).get(grid_code, grid_code)
    context = {"rows": open_rows, "grid_code": grid_code, "grid_name": grid_name}
    return render(request, "cases/_grid_cases.html", context, user=user)


def _export(
    session: DbSession, user: User, filters: PageFilters, request: Request, fmt: str
) -> tuple[list[str], Rows]:
    """Count, refuse an .xlsx too big for Excel, audit, then hand back the header and the row
    batches, read while the response streams (the request's session stays open until the
    response is sent). The read transaction of the count ends before the audit row's writer
    transaction begins, as in deps.audit_refusal (the user is detached to keep its id)."""
    t = gettext_for(request_locale(request))
    today = china_today()
    categories = dictionary_names(active_categories(session), request_locale(request))
    f = case_filter(session, filters)
    export = start_export(session, user, f, today, filters.queue or None)
    if fmt == "xlsx":
        check_xlsx_size(export)
    session.expunge(user)
    session.rollback()
    with request.app.state.write_sessions() as ws:
        do_record_export(ws, user, fmt, export, filters.query_items(), client_ip(request))
    batches = (
        rows_of(session, batch, categories, today, t) for batch in case_batches(session, export)
    )
    return [t(c) for c in COLUMNS], batches


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/cases/export.csv")
def export_csv(
    request: Request, session: DbSession, user: CaseReader, filters: Filters
) -> Response:
    """The current filter as CSV, streamed batch by batch, however many cases."""
    header, batches = _export(session, user, filters, request, "csv")
    return StreamingResponse(
        csv_chunks(header, batches),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("cases.csv"),
    )


@router.get("/cases/export.xlsx")
def export_xlsx(
    request: Request, session: DbSession, user: CaseReader, filters: Filters
) -> Response:
    """The current filter as an Excel sheet (refused above Excel's row limit, not cut)."""
    header, batches = _export(session, user, filters, request, "xlsx")
    return StreamingResponse(
        file_chunks(xlsx_file(header, batches, "cases")),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment("cases.xlsx"),
    )


OPEN_CASE_MARKERS = 2000


@router.get("/cases/open.geojson")
def open_cases_geojson(session: DbSession, user: CaseReader) -> JSONResponse:
    """The user's open cases with a location, as GeoJSON points for the maps."""
    today = china_today()
    f = replace(case_filter(session, PageFilters()), state=tuple(OPEN_STATES))
    rows, _ = list_cases(session, user, f, today, limit=OPEN_CASE_MARKERS)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lng, c.lat]},
            "properties": {"code": c.code, "title": c.title, "light": light_of(c, today)},
        }
        for c in rows
        if c.lat is not None and c.lng is not None
    ]
    return JSONResponse({"type": "FeatureCollection", "features": features})
