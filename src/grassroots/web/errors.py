"""Errors on pages: HTML for people, problem+json stays for the API.

A page asked for without a session goes to the login form; any other Problem on a page
renders the error page with the same status (404 for "not found" and "not allowed" alike).
"""

from __future__ import annotations

from collections.abc import Awaitable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import inspect as sa_inspect
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from grassroots.accounts.authn import (
    SESSION_COOKIE,
    Authenticated,
    authenticate,
    request_permissions,
)
from grassroots.accounts.models import User
from grassroots.errors import (
    Problem,
    http_problem,
    install_catch_all,
    install_handlers,
    problem_response,
)
from grassroots.web.nav import home_for
from grassroots.web.templating import render

API_PREFIXES = ("/api/", "/static/", "/healthz")


def wants_html(request: Request) -> bool:
    if request.url.path.startswith(API_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "") or "HX-Request" in request.headers


def page_problem(request: Request, problem: Problem) -> Response:
    if problem.status == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        expired = "&expired=1" if request.cookies.get(SESSION_COOKIE) else ""
        return RedirectResponse(f"/login?next={target}{expired}", status_code=303)
    refused = getattr(request.state, "refused_user", None)
    if problem.status == 403 and request.url.path == "/" and refused is not None:
        # The dashboard is the staff's start page; other roles go to the page their role opens.
        return RedirectResponse(home_for(request_permissions(request)), status_code=303)
    return error_page(request, problem)


def _stale(user: User) -> bool:
    """The user object can no longer load its attributes (its session rolled back and
    closed when the route raised): the menu would fail on it."""
    state = sa_inspect(user)
    return state.detached and bool(state.expired_attributes)


def signed_in(request: Request) -> User | None:
    """Who the error page's menu is for: the user the route authenticated, else the session
    cookie's (an unknown address runs no route); nobody while a second factor is owed."""
    auth = getattr(request.state, "auth", None)
    if isinstance(auth, Authenticated) and _stale(auth.user):
        auth = None  # the route's session rolled back and closed: read the user again
    if auth is None and request.cookies.get(SESSION_COOKIE):
        try:
            with request.app.state.read_sessions() as session:
                auth = authenticate(request, session)
        except Exception:  # the page for a failure must not fail on the menu
            auth = None
        request.state.auth = auth
    if not isinstance(auth, Authenticated) or auth.pending is not None:
        return None
    return auth.user


def error_page(request: Request, problem: Problem) -> Response:
    """The error page: the menu of the signed-in user, the message in the page's language;
    no machine code (a 500's message carries its reference number)."""
    user = signed_in(request)
    context = {"problem": problem}
    return render(request, "error.html", context, user=user, status_code=problem.status)


def server_error_page(request: Request, problem: Problem) -> Response | None:
    """The error page for a page request that failed; None (problem+json) for the API, or
    when the page itself cannot be drawn."""
    if not wants_html(request):
        return None
    try:
        return error_page(request, problem)
    except Exception:
        return None


def install_page_handlers(app: FastAPI) -> None:
    """Wrap the problem+json handlers: same answers for the API, pages get HTML."""
    install_handlers(app)
    install_catch_all(app, server_error_page)

    # The pages run on a worker thread: drawing one reads the signed-in user from the
    # database, which must not block the event loop (every other request waits on it).
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        if wants_html(request):
            return await run_in_threadpool(page_problem, request, exc)
        return problem_response(exc, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        problem = http_problem(exc)
        if wants_html(request):
            return await run_in_threadpool(page_problem, request, problem)
        response = problem_response(problem, request.url.path)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    validation_handler = app.exception_handlers[RequestValidationError]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            problem = Problem(422, "validation_failed", "输入有误 / invalid input")
            return await run_in_threadpool(page_problem, request, problem)
        answer = validation_handler(request, exc)
        return await answer if isinstance(answer, Awaitable) else answer
