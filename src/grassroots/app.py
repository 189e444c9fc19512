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
from grassroots.accounts.api import router as auth_router
from grassroots.accounts.docs import add_protected_docs
from grassroots.accounts.pages import router as accounts_pages
from grassroots.accounts.touches import AuthTouches
from grassroots.accounts.users_api import router as users_router
from grassroots.admin.pages import router as admin_pages
from grassroots.admin.users_pages import router as admin_users_pages
from grassroots.audit.api import router as audit_router
from grassroots.audit.pages import router as audit_pages
from grassroots.cases.api import router as cases_router
from grassroots.cases.deadlines_api import router as deadlines_router
from grassroots.cases.links_api import router as case_links_router
from grassroots.cases.pages import router as case_pages
from grassroots.config import Settings, get_settings
from grassroots.db import (
    check_schema_current,
    make_engine,
    make_session_factory,
)
from grassroots.geo.api import router as geo_router
from grassroots.geo.pages import router as geo_pages
from grassroots.i18n import install_locale
from grassroots.logging_filter import install_log_masking
from grassroots.parties.api import router as parties_router
from grassroots.reports.api import router as reports_router
from grassroots.reports.pages import router as reports_pages
from grassroots.stats.api import router as stats_router
from grassroots.web.assets import mount_static
from grassroots.web.errors import install_page_handlers
from grassroots.web.pages import router as web_pages

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


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
        engine = make_engine(
            settings.effective_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
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
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_sessions = read_sessions or make_session_factory(engine)
    # Writes go through transaction(), which takes the one writer on SQLite (grassroots.writer)
    app.state.write_sessions = write_sessions or make_session_factory(engine)
    app.state.auth_touches = AuthTouches(app.state.write_sessions, settings.auth_flush_seconds)
    install_page_handlers(app)  # problem+json for the API, HTML for pages
    install_locale(app)
    mount_static(app)
    app.include_router(geo_router, prefix=API_PREFIX)
    app.include_router(web_pages)
    app.include_router(geo_pages)
    app.include_router(case_pages)
    app.include_router(admin_pages)
    app.include_router(admin_users_pages)
    app.include_router(audit_pages)
    app.include_router(stats_router, prefix=API_PREFIX)
    app.include_router(audit_router, prefix=API_PREFIX)
    app.include_router(parties_router, prefix=API_PREFIX)
    app.include_router(cases_router, prefix=API_PREFIX)
    app.include_router(deadlines_router, prefix=API_PREFIX)
    app.include_router(case_links_router, prefix=API_PREFIX)
    app.include_router(auth_router, prefix=API_PREFIX)
    app.include_router(users_router, prefix=API_PREFIX)
    app.include_router(accounts_pages)
    add_protected_docs(app, API_PREFIX)
    app.include_router(reports_router, prefix=API_PREFIX)
    app.include_router(reports_pages)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        with app.state.read_sessions() as session:
            session.execute(text("select 1"))
        return {"status": "ok", "version": __version__}

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
