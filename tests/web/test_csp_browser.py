"""Every page of the app in a real browser under its Content-Security-Policy (issue 12,
item 6): no page may have inline script, inline style or event handlers, or load anything
the policy forbids. Each page is also checked by axe-core over all its rules (no serious or
critical violation) and must log no console error at all (issue 16 item 8). A CSP
violation (the securitypolicyviolation event, or chromium's console error) fails the test,
here and in every other browser test (tests/web/conftest.py).

PAGES lists each HTML route of the app with the seed user who opens it; NOT_PAGES lists the
routes that answer something else. A GET route in neither FAILS test_every_route_is_listed:
a new page must be added here, and so is loaded under the policy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.app import API_PREFIX
from grassroots.calendar.today import china_today
from grassroots.demo.staff import DEMO_PASSWORDS
from grassroots.geo.models import Jurisdiction
from grassroots.open311.actions import do_create_key
from tests.support.places import point_inside
from tests.web.browser_support import serious_violations
from tests.web.buttons import PRESSED_BY, page_buttons
from tests.web.conftest import DESKTOP, PRESS_LOG, Guard, watch_console, watch_csp
from tests.web.test_agreement_browser import GRID, agreed_case
from tests.web.test_border_browser import recorded_meeting, registered_hazard
from tests.web.test_joint_browser import shared_case
from tests.web.test_leads_browser import received_lead
from tests.web.test_ledger_import_browser import uploaded_ledger
from tests.web.test_partners_browser import partner_link
from tests.web.test_rounds_browser import recorded_round

# route as declared → (seed user who opens it, the address opened; {code}: a case with an
# agreement, {township}: the user's own township, {year}: this year, {round}: a round)
PAGES: dict[str, tuple[str, str]] = {
    "/": ("zhao", "/"),
    "/map": ("zhao", "/map"),
    "/cases": ("zhao", "/cases"),
    "/cases/new": ("zhao", "/cases/new"),
    "/cases/new/locate": ("zhao", "/cases/new/locate?lat=30.1&lng=120.1"),
    "/cases/grid/{grid_code}": ("zhao", f"/cases/grid/{GRID}"),
    "/cases/{code}": ("zhao", "/cases/{code}"),
    "/cases/{code}/agreement": ("zhao", "/cases/{code}/agreement"),
    "/cases/{code}/open311": ("zhao", "/cases/{open311}/open311"),
    "/leads": ("zhao", "/leads"),
    "/joint": ("zhao", "/joint"),
    "/joint/{code}": ("zhao", "/joint/{joint}"),
    "/border/meetings": ("zhao", "/border/meetings"),
    "/border/meetings/new": ("zhao", "/border/meetings/new"),
    "/border/meetings/{meeting_id}": ("zhao", "/border/meetings/{meeting}"),
    "/border/meetings/{meeting_id}/edit": ("zhao", "/border/meetings/{meeting}/edit"),
    "/border/hazards": ("zhao", "/border/hazards"),
    "/border/hazards/new": ("zhao", "/border/hazards/new"),
    "/border/hazards/{hazard_id}": ("zhao", "/border/hazards/{hazard}"),
    "/border/hazards/{hazard_id}/edit": ("zhao", "/border/hazards/{hazard}/edit"),
    "/joint/partners/{link_id}": ("zhao", "/joint/partners/{link}"),
    "/joint/partners/share/{code}": ("zhao", "/joint/partners/share/{joint}"),
    "/leads/new": ("zhao", "/leads/new"),
    "/leads/{lead_code}": ("zhao", "/leads/{lead}"),
    "/cases/{code}/edit": ("zhao", "/cases/{code}/edit"),
    "/reports": ("zhao", "/reports"),
    "/reports/preview": ("zhao", "/reports/preview?jurisdiction={township}&period={year}"),
    f"{API_PREFIX}/docs": ("zhao", f"{API_PREFIX}/docs"),
    "/admin": ("admin", "/admin"),
    "/admin/boundaries": ("admin", "/admin/boundaries"),
    "/admin/units": ("admin", "/admin/units"),
    "/admin/screens": ("admin", "/admin/screens"),
    "/admin/calendar": ("admin", "/admin/calendar"),
    "/grids/{code}": ("zhao", f"/grids/{GRID}"),
    "/grid-vacancies": ("zhao", "/grid-vacancies"),
    "/notifications": ("zhao", "/notifications"),
    "/notifications/settings": ("zhao", "/notifications/settings"),
    "/admin/notifications": ("admin", "/admin/notifications"),
    "/admin/partners": ("admin", "/admin/partners"),
    "/admin/partners/outbox": ("admin", "/admin/partners/outbox"),
    "/rounds": ("zhao", "/rounds"),
    "/stats/grids": ("zhao", "/stats/grids"),
    "/stats/board": ("zhao", "/stats/board"),
    "/roster": ("zhao", "/roster"),
    "/rounds/new": ("zhao", "/rounds/new"),
    "/rounds/{round_id}": ("zhao", "/rounds/{round}"),
    "/ledgers/import": ("zhao", "/ledgers/import"),
    "/ledgers/import/{upload_id}": ("zhao", "/ledgers/import/{upload}"),
    "/admin/users": ("security", "/admin/users"),
    "/admin/users/{username}": ("security", "/admin/users/wang"),
    "/audit": ("audit", "/audit"),
    "/audit/verify": ("audit", "/audit/verify"),
    # Before login: the form, and the second-factor steps (a session that owes them).
    "/login": ("", "/login"),
    "/login/totp": ("", "/login/totp"),
    "/login/totp/enrol": ("", "/login/totp/enrol"),
    # The residents' pages (docs/public.md): no login at all.
    "/public/report": ("", "/public/report"),
    "/public/progress": ("", "/public/progress"),
    # the big screen's pairing form (a browser with no screen cookie); the paired screen
    # itself is walked in tests/web/test_screen_browser.py
    "/screen": ("", "/screen"),
}
NOT_PAGES = {
    "/healthz": "JSON for the load balancer",
    "/dashboard/grids.json": "GeoJSON the dashboard's map fetches",
    "/map/boundaries.geojson": "GeoJSON the map fetches",
    "/manifest.webmanifest": "the field kit's web app manifest (JSON, web/pwa.py)",
    "/sw.js": "the field kit's service worker script (web/pwa.py)",
    "/cases/open.geojson": "GeoJSON the map fetches",
    "/cases/export.csv": "a download",
    "/border/meetings/{meeting_id}/minutes.docx": "a download (the meeting's minutes, Word)",
    "/cases/export.xlsx": "a download",
    "/stats/board.xlsx": "a download (the board's table)",
    "/notifications/badge": "the htmx fragment of the navigation's unread count",
    "/ledgers/import/{upload_id}/annotated": "a download (the annotated copy of a ledger)",
    "/ledgers/import/{upload_id}/progress": "the htmx fragment of a ledger import's progress",
    "/public/map/villages.geojson": "GeoJSON the residents' report page's map fetches",
    "/screen/events": "the big screen's event stream (text/event-stream)",
    "/screen/boundaries.geojson": "GeoJSON the big screen's map fetches",
    # Open311 GeoReport v2 (docs/open311.md): JSON or XML for other apps, never a page
    "/open311/v2/discovery.{fmt}": "Open311 discovery, JSON/XML",
    "/open311/v2/services.{fmt}": "Open311 service list, JSON/XML",
    "/open311/v2/services/{service_code}.{fmt}": "Open311 service definition, JSON/XML",
    "/open311/v2/requests.{fmt}": "Open311 requests, JSON/XML",
    "/open311/v2/requests/{service_request_id}.{fmt}": "Open311 request, JSON/XML",
    "/open311/v2/tokens/{token}.{fmt}": "Open311 token lookup, JSON/XML",
    "/open311/v2/{rest:path}": "Open311's own 404 in the spec's error format",
}

# The rules axe-core does not apply to a route, each for a stated reason. htmx fragments are
# opened here on their own, but live inside a page (which has the title and the language).
FRAGMENT = ("document-title", "html-has-lang")
AXE_SKIPPED: dict[str, tuple[str, ...]] = {
    "/cases/new/locate": FRAGMENT,
    "/cases/grid/{grid_code}": FRAGMENT,
    "/audit/verify": FRAGMENT,
    # Swagger UI (vendored, not ours) puts its copy and lock buttons inside each operation's
    # summary button; its contrast is fixed by app/swagger.css.
    f"{API_PREFIX}/docs": ("nested-interactive",),
}


def open311_case(page: Any, engine: Any) -> str:
    """A case that came in through an Open311 client (a key made in the live server's
    database, the request posted with a media_url): its staff page is walked too."""
    with Session(engine) as session:
        key = do_create_key(session, "walk")[1]
        grid = session.scalars(
            select(Jurisdiction).where(Jurisdiction.code == GRID, Jurisdiction.valid_to.is_(None))
        ).one()
        lat, lng = point_inside(session, grid)
    answer = page.request.post("/open311/v2/requests.json", form={
        "api_key": key, "service_code": "neighbour", "lat": str(lat), "long": str(lng),
        "description": "院墙排水沟堵塞", "media_url": "https://example.org/photo.jpg?a=1&b=2",
    })  # fmt: skip
    assert answer.status == 200, answer.text()
    return str(answer.json()[0]["service_request_id"])


def page_routes(app: FastAPI) -> set[str]:
    """Every GET route outside the JSON API (and the API's docs page), static files aside."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before lazily included routers: app.routes is flat
        routes: Iterator[Any] = iter(app.routes)
    else:
        routes = iter(iter_route_contexts(app.routes))
    paths = set()
    for route in routes:
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        if not route.path.startswith(API_PREFIX + "/") or route.path == f"{API_PREFIX}/docs":
            paths.add(route.path)
    return paths


def test_every_route_is_listed(app):
    assert not set(PAGES) & set(NOT_PAGES)
    unknown = page_routes(app) - set(PAGES) - set(NOT_PAGES)
    assert not unknown, (
        f"GET routes {sorted(unknown)} are in neither PAGES nor NOT_PAGES of "
        "tests/web/test_csp_browser.py: add each page with the seed user who opens it"
    )
    assert not (set(PAGES) | set(NOT_PAGES)) - page_routes(app), "listed routes that are gone"


def open_all(page: Any, routes: list[str], values: dict[str, str]) -> list[str]:
    """Open each route's address; the answers that were not a 200 HTML page, and each page's
    serious or critical accessibility violations (axe-core, every rule: issue 16 item 8)."""
    wrong = []
    for route in routes:
        address = PAGES[route][1].format(**values)
        response = page.goto(address)
        page.wait_for_load_state("networkidle")
        kind = response.headers.get("content-type", "")
        if response.status != 200 or not kind.startswith("text/html"):
            wrong.append(f"{address}: {response.status} {kind}")
        wrong += [f"{address}: {v}" for v in serious_violations(page, AXE_SKIPPED.get(route, ()))]
        wrong += unpressed(page, route)
    return wrong


def unpressed(page: Any, route: str) -> list[str]:
    """The buttons of the page that no browser test is registered to press
    (tests/web/buttons.py): each is pressed by one, or the walk fails."""
    if route == f"{API_PREFIX}/docs":  # Swagger UI's own buttons (vendored, not our forms)
        return []
    found = page_buttons(page)
    if PRESS_LOG:
        with open(PRESS_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"page": route, "buttons": sorted(found)}) + "\n")
    return [
        f"{route}: button not pressed by any test: {key}" for key in sorted(found - set(PRESSED_BY))
    ]


@pytest.mark.browser
@pytest.mark.parametrize("username", ["zhao", "admin", "security", "audit"])
def test_every_page_loads_without_a_csp_violation(open_as, live_server, username):
    page = open_as(username)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    routes = [route for route, (user, _) in PAGES.items() if user == username]
    me = page.request.get(f"{API_PREFIX}/auth/me").json()
    values = {"township": me["jurisdiction_code"] or "", "year": str(china_today().year)}
    if any("{code}" in route for route in routes):
        values["code"] = agreed_case(page)
    if any("{open311}" in PAGES[route][1] for route in routes):
        values["open311"] = open311_case(page, live_server.engine)
    if any("{round_id}" in route for route in routes):
        values["round"] = recorded_round(page)
    if any("{lead}" in PAGES[route][1] for route in routes):
        values["lead"] = received_lead(page)
    if any("{joint}" in PAGES[route][1] for route in routes):
        values["joint"] = shared_case(page)
    if any("{meeting}" in PAGES[route][1] for route in routes):
        values["meeting"] = str(recorded_meeting(page))
    if any("{upload}" in PAGES[route][1] for route in routes):
        values["upload"] = uploaded_ledger(page)
    if any("{hazard}" in PAGES[route][1] for route in routes):
        values["hazard"] = str(registered_hazard(page))
    if any("{link}" in PAGES[route][1] for route in routes):
        values["link"] = partner_link(page, live_server.engine)
    assert open_all(page, routes, values) == []
    assert console == []  # no console error at all, CSP or other


@pytest.mark.browser
def test_pages_before_login_load_without_a_csp_violation(browser, live_server):
    """The residents' pages and the login form, then (signed in with the password of a role
    that needs TOTP) both second-factor pages."""
    guard = Guard()
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    watch_csp(context, guard)
    page = context.new_page()
    watch_console(page, guard)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    assert open_all(page, ["/public/report", "/public/progress", "/screen", "/login"], {}) == []
    page.get_by_label("用户名").fill("audit")
    page.get_by_label("密码").fill(DEMO_PASSWORDS["audit"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/login/totp**")
    assert open_all(page, ["/login/totp", "/login/totp/enrol"], {}) == []
    assert console == []
    context.close()
    guard.check()
