"""create_app(): the FastAPI application with its routers, handlers and state."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from grassroots import __version__
from grassroots.accounts.docs import add_protected_docs
from grassroots.accounts.login import api as accounts_api
from grassroots.accounts.login import pages as accounts_pages
from grassroots.accounts.tokens.touches import AuthTouches
from grassroots.accounts.users import api as users_api
from grassroots.admin import pages as admin_pages
from grassroots.admin import users_pages as admin_users_pages
from grassroots.audit import api as audit_api
from grassroots.audit import pages as audit_pages
from grassroots.border.hazards import api as hazards_api
from grassroots.border.hazards import pages as hazards_pages
from grassroots.border.meetings import api as meetings_api
from grassroots.border.meetings import pages as meetings_pages
from grassroots.calendar import api as calendar_api
from grassroots.calendar import pages as calendar_pages
from grassroots.cases import api as cases_api
from grassroots.cases import pages as case_pages
from grassroots.cases.agreements import pages as agreement_pages
from grassroots.cases.attachments import api as attachments_api
from grassroots.cases.deadlines import api as deadlines_api
from grassroots.cases.editing import api as editing_api
from grassroots.cases.editing import pages as editing_pages
from grassroots.cases.intake import api as intake_api
from grassroots.cases.intake import pages as intake_pages
from grassroots.cases.links import api as links_api
from grassroots.cases.listing import api as listing_api
from grassroots.cases.listing import pages as listing_pages
from grassroots.cases.queues import api as queues_api
from grassroots.config import Settings, get_settings
from grassroots.db import check_schema_current, engine_for, make_session_factory
from grassroots.dictionary import api as dictionary_api
from grassroots.federation import api as federation_api
from grassroots.federation import pages as federation_pages
from grassroots.geo import api as geo_api
from grassroots.geo import pages as geo_pages
from grassroots.geo.posts import api as grid_posts_api
from grassroots.geo.posts import pages as grid_posts_pages
from grassroots.i18n import install_locale
from grassroots.joint import api as joint_api
from grassroots.joint import pages as joint_pages
from grassroots.leads import api as leads_api
from grassroots.leads import pages as leads_pages
from grassroots.leads.found import api as found_leads_api
from grassroots.leads.found import pages as found_leads_pages
from grassroots.leads.public import api as public_leads_api
from grassroots.ledgers.web import pages as ledger_pages
from grassroots.notifications import api as notifications_api
from grassroots.notifications import pages as notifications_pages
from grassroots.open311 import api as open311_api
from grassroots.open311 import pages as open311_pages
from grassroots.parties import api as parties_api
from grassroots.parties import pages as parties_pages
from grassroots.privacy.logging_filter import install_log_masking
from grassroots.reports import api as reports_api
from grassroots.reports import pages as reports_pages
from grassroots.residents import api as residents_api
from grassroots.residents import pages as residents_pages
from grassroots.roster import api as roster_api
from grassroots.roster import pages as roster_pages
from grassroots.rounds import api as rounds_api
from grassroots.rounds import pages as rounds_pages
from grassroots.screens import pages as screens_pages
from grassroots.stats import api as stats_api
from grassroots.stats import pages as stats_pages
from grassroots.stats.board import pages as board_pages
from grassroots.web import pwa
from grassroots.web.api_problems import install_problem_responses
from grassroots.web.assets import mount_static
from grassroots.web.errors import install_page_handlers
from grassroots.web.headers import install_security_headers
from grassroots.web.limits import install_body_limits

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

# Every domain's JSON routes (under API_PREFIX) and HTML pages. Order matters where paths
# overlap: /cases/new and the list's /cases/... before the case page's /cases/{code}
# (tests/test_routing.py: every route answers its own path). It also costs: a request is
# tried against every route before its own (~1.7 µs each, a few hundred routes), so what
# machines call most, registration and the dictionaries, comes first.
API_MODULES = (
    intake_api, dictionary_api, geo_api, grid_posts_api, stats_api, audit_api, parties_api,
    listing_api, cases_api, calendar_api, deadlines_api, links_api, accounts_api, users_api,
    reports_api, queues_api, editing_api, notifications_api, leads_api, public_leads_api,
    rounds_api, roster_api, found_leads_api, residents_api, attachments_api, joint_api,
    meetings_api, hazards_api, federation_api,
)  # fmt: skip
PAGE_MODULES = (
    stats_pages, board_pages, geo_pages, grid_posts_pages, intake_pages, listing_pages, case_pages,
    agreement_pages, parties_pages, admin_pages, calendar_pages, admin_users_pages, audit_pages,
    accounts_pages, reports_pages, editing_pages, notifications_pages, rounds_pages,
    roster_pages, leads_pages, found_leads_pages, residents_pages, pwa, joint_pages,
    open311_pages, meetings_pages, federation_pages, ledger_pages, screens_pages,
    hazards_pages,
)  # fmt: skip


def include_routes(app: FastAPI) -> None:
    """Every domain's JSON routes, HTML pages and the API docs (for logged-in users)."""
    for api in API_MODULES:
        app.include_router(api.router, prefix=API_PREFIX)
    for pages in PAGE_MODULES:
        app.include_router(pages.router)
    app.include_router(open311_api.router)  # /open311/v2: the GeoReport spec's own paths
    app.include_router(federation_api.receiver)  # /federation/v1: the protocol's own path
    add_protected_docs(app, API_PREFIX)
    install_problem_responses(app)  # the problem+json answers of every operation


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The background work of a serving process: the batched authentication writes."""
    touches: AuthTouches = app.state.auth_touches
    touches.start()
    # Requests run on at most this many threads at once (the others wait their turn in the
    # event loop, holding nothing): with Python's one interpreter lock, more threads only
    # take turns more often, and one that holds a database lock waits longer for its turn.
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = app.state.settings.request_threads
    try:
        yield
    finally:
        touches.stop()


def set_state(
    app: FastAPI,
    settings: Settings,
    engine: Engine,
    read_sessions: sessionmaker[Session] | None = None,
    write_sessions: sessionmaker[Session] | None = None,
) -> None:
    """Everything a request reads from app.state, and only that (tests hand a built app to
    the next test through this: tests/support/apps.py)."""
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_sessions = read_sessions or make_session_factory(engine)
    # Writes go through transaction(), which takes the one writer on SQLite (grassroots.writer)
    app.state.write_sessions = write_sessions or make_session_factory(engine)
    app.state.auth_touches = AuthTouches(app.state.write_sessions, settings.auth_flush_seconds)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    read_sessions: sessionmaker[Session] | None = None,
    write_sessions: sessionmaker[Session] | None = None,
) -> FastAPI:
    """Build the app. Refuses to start on a schema that is not this code's (SchemaOutOfDate).

    Tests pass their own session factories (bound to a connection they roll back).
    """
    install_log_masking()
    settings = settings or get_settings()
    if engine is None:
        engine = engine_for(settings)
    check_schema_current(engine)
    app = FastAPI(
        lifespan=_lifespan,
        title="grassroots",
        version=__version__,
        # Served by add_protected_docs: only to logged-in users.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    set_state(app, settings, engine, read_sessions, write_sessions)
    install_page_handlers(app)  # problem+json for the API, HTML for pages
    install_locale(app)

    @app.get("/healthz", tags=["ops"])  # first: polled often, tried before every other route
    def healthz() -> dict[str, str]:
        with app.state.read_sessions() as session:
            session.execute(text("select 1"))
        return {"status": "ok", "version": __version__}

    mount_static(app)
    include_routes(app)
    install_body_limits(app)  # 413 before an oversized body is read (docs/security.md)
    install_security_headers(app)  # outermost: every answer, the 413 too, carries them
    return app


def create_served_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """create_app for `grassroots serve` (each worker process calls it). What is alive once
    the app is built (modules, the app, its routes) lives as long as the process: it is
    moved out of the garbage collector's way (gc.freeze), whose full collections would
    otherwise walk it every time and stall a request for tens of milliseconds."""
    app = create_app(settings, engine=engine)
    gc.collect()
    gc.freeze()
    return app
