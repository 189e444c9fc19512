"""The big screen's pages: /screen (the pairing form, or the screen once paired), the code
sent from it, the screen's event stream and map; 管理 → 大屏 (list, preset, revoke).

/screen and POST /screen/pair answer anyone (a wall PC with nobody signed in); the pairing
attempts are counted per address in the database (ratelimit). The stream and the map take
the screen's own cookie only (screens.authn). The 管理 page lists the screens of the
administrator's subtree (config.write) and pairs a new one (the code shown once).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from grassroots.accounts.login.csrf import from_another_site
from grassroots.accounts.models import User
from grassroots.config import get_settings
from grassroots.deps import DbSession, requires
from grassroots.errors import Problem
from grassroots.geo.models import Level
from grassroots.geo.pages import feature
from grassroots.geo.queries import with_boundaries
from grassroots.i18n import N_, gettext_for, request_locale
from grassroots.ratelimit.limits import client_ip, per_address
from grassroots.screens.actions import PRESETS, do_issue_code, do_pair, do_revoke, do_set_preset
from grassroots.screens.authn import PairedScreen, screen_of, set_screen_cookie
from grassroots.screens.live import events
from grassroots.screens.queries import access_screen, pairable_jurisdictions, screens_of
from grassroots.web.flash import set_flash
from grassroots.web.templating import register_globals, render

router = APIRouter(include_in_schema=False)
Configurer = Annotated[User, requires("config.write")]
PRESET_LABELS = {
    "standard": N_("Standard: counters, map and alerts"),
    "map": N_("Map first: a large map, counters beside it"),
    "figures": N_("Figures first: large counters and alerts, a small map"),
}
register_globals(screen_preset_labels=PRESET_LABELS)
WRONG_CODE = N_("That code is wrong, used or expired. Ask the administrator for a new one.")
OTHER_SITE = N_("This form must be sent from this site's own page.")


pair_limit = per_address("screen-pair", "screen_pair")


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, session: DbSession) -> HTMLResponse:
    """The screen of a paired wall PC; the pairing form for any other browser."""
    screen = screen_of(request, session)
    if screen is None:
        return render(request, "screens/pair.html", {"error": ""})
    context = {"screen": screen, "place": screen.jurisdiction.name}
    return render(request, "screens/screen.html", context)


@router.post("/screen/pair", dependencies=[Depends(pair_limit)])
def pair(
    request: Request, session: DbSession, code: Annotated[str, Form(max_length=32)] = ""
) -> Response:
    """The one-time code typed on the wall PC: the screen's cookie, then the screen."""
    t = gettext_for(request_locale(request))
    if from_another_site(request, request.app.state.settings):
        raise Problem(403, "cross_site", t(OTHER_SITE))
    raw = do_pair(session, code, client_ip(request))
    if raw is None:
        context = {"error": t(WRONG_CODE)}
        return render(request, "screens/pair.html", context, status_code=422)
    response = RedirectResponse("/screen", status_code=303)
    set_screen_cookie(response, raw, request.app.state.settings)
    return response


@router.get("/screen/events")
def screen_events(request: Request, screen: PairedScreen) -> StreamingResponse:
    """text/event-stream of the screen's picture (screens.live)."""
    stream = events(request, screen, request_locale(request))
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


@router.get("/screen/boundaries.geojson")
def screen_boundaries(session: DbSession, screen: PairedScreen) -> JSONResponse:
    """The grids of the screen's jurisdiction, as the dashboard map draws them."""
    node = screen.jurisdiction
    rows = with_boundaries(session, level=Level.grid.value, under=node)
    if node.level == Level.grid.value:
        rows = [r for r in with_boundaries(session, level=node.level) if r[0].id == node.id]
    features = [feature(j, pc, wkb) for j, pc, wkb in rows if wkb is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features})


@router.get("/admin/screens", response_class=HTMLResponse)
def admin_screens(request: Request, session: DbSession, user: Configurer) -> HTMLResponse:
    return render(request, "screens/admin.html", _admin_context(session, user), user=user)


@router.post("/admin/screens/pair", response_class=HTMLResponse)
def admin_pair(
    request: Request,
    session: DbSession,
    user: Configurer,
    name: Annotated[str, Form()] = "",
    jurisdiction: Annotated[str, Form()] = "",
    preset: Annotated[str, Form()] = "standard",
) -> HTMLResponse:
    """A one-time code shown once, on this answer only (never in a redirect or a cookie)."""
    minutes = get_settings().screen_code_minutes
    try:
        screen, code = do_issue_code(session, name.strip(), jurisdiction, preset, minutes, user)
    except Problem as problem:
        if problem.status != 422:
            raise
        context = _admin_context(session, user)  # the form again, as typed, with the reason
        context["pair_error"] = problem.message
        context["typed"] = {"name": name, "jurisdiction": jurisdiction, "preset": preset}
        return render(request, "screens/admin.html", context, user=user, status_code=422)
    context = _admin_context(session, user)
    context["issued"] = {"name": screen.name, "code": code, "minutes": minutes,
                         "place": screen.jurisdiction.name}  # fmt: skip
    response = render(request, "screens/admin.html", context, user=user)
    response.headers["Cache-Control"] = "no-store"
    return response


def _admin_context(session: DbSession, user: User) -> dict[str, Any]:
    return {
        "screens": screens_of(session, user),
        "presets": PRESETS,
        "places": pairable_jurisdictions(session, user),
    }


@router.post("/admin/screens/{screen_name}/preset")
def admin_preset(
    session: DbSession, user: Configurer, screen_name: str, preset: Annotated[str, Form()] = ""
) -> Response:
    do_set_preset(session, access_screen(session, user, screen_name), preset, actor=user)
    return _saved()


@router.post("/admin/screens/{screen_name}/revoke")
def admin_revoke(session: DbSession, user: Configurer, screen_name: str) -> Response:
    do_revoke(session, access_screen(session, user, screen_name), actor=user)
    return _saved()


def _saved() -> Response:
    response = RedirectResponse("/admin/screens", status_code=303)
    set_flash(response, "saved")
    return response
