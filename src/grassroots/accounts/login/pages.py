"""HTML login flow: /login (password), /login/totp (second factor), /login/totp/enrol
(first-time enrolment for roles that require it), /logout. Plain pages; styled by web/."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grassroots.accounts.authn import (
    SESSION_COOKIE,
    clear_session_cookies,
    request_now,
    set_session_cookies,
)
from grassroots.accounts.credentials import csrf_token_for
from grassroots.accounts.login import totp
from grassroots.accounts.login.actions import (
    do_confirm_totp,
    do_login,
    do_logout,
    do_start_totp_enrolment,
    do_verify_second_factor,
    second_factor_state,
)
from grassroots.accounts.login.csrf import (
    clear_login_cookie,
    login_cookie,
    login_form_ok,
    login_token,
    set_login_cookie,
)
from grassroots.accounts.login.ratelimit import rate_limit
from grassroots.accounts.permissions import granted
from grassroots.deps import Authn, DbSession
from grassroots.errors import Problem
from grassroots.ratelimit.limits import client_ip
from grassroots.web.nav import home_for
from grassroots.web.templating import render as web_render

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]
STEP_PAGES = {"verify": "/login/totp", "enrol": "/login/totp/enrol"}
LOGIN_EXPIRED = "登录页已过期或来自其他网站，请在本页重新登录 / sign in again on this page"


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return web_render(request, f"accounts/{name}", context, status_code=status)


def refused(request: Request, name: str, exc: Problem, **context: Any) -> HTMLResponse:
    """The form again with the message: 429 (with Retry-After) when throttled, else 401."""
    status = 429 if exc.status == 429 else 401
    response = render(request, name, status, error=exc.message, **context)
    response.headers.update(exc.headers)
    return response


def _after_login(next_url: str, session_id: str, pending: str | None, request: Request) -> Response:
    target = STEP_PAGES[pending] + f"?next={next_url}" if pending else next_url
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(response, session_id, request.app.state.settings)
    clear_login_cookie(response)
    return response


def login_form(
    request: Request, status: int = 200, *, next_url: str = "/", username: str = "", error: str = ""
) -> HTMLResponse:
    """The login form with its CSRF pair: the pre-session cookie and its token in the form."""
    cookie = login_cookie(request)
    response = render(
        request,
        "login.html",
        status,
        next=safe_next(next_url),
        username=username,
        error=error,
        login_csrf=login_token(cookie),
    )
    set_login_cookie(response, cookie, request.app.state.settings)
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return login_form(request, next_url=next)


@router.post("/login", dependencies=[rate_limit("login")])
def login_submit(
    request: Request,
    session: DbSession,
    username: FormStr,
    password: FormStr,
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings
    if not login_form_ok(request, csrf_token, settings):  # refused before anything is looked up
        return login_form(request, 403, next_url=next, error=LOGIN_EXPIRED)
    try:
        new = do_login(
            session,
            username,
            password,
            ip=client_ip(request),
            old_session_id=request.cookies.get(SESSION_COOKIE),
            now=request_now(request),
            settings=settings,
        )
    except Problem as exc:
        status = 429 if exc.status == 429 else 401
        response = login_form(request, status, next_url=next, username=username, error=exc.message)
        response.headers.update(exc.headers)
        return response
    pending = second_factor_state(new.row.user, new.row, settings)
    target = safe_next(next)
    if target == "/":  # no page asked for: the role's own start page (admins have no 工作台)
        target = home_for(granted(new.row.user.role))  # a session: the role's permissions
    return _after_login(target, new.session_id, pending, request)


@router.post("/logout")
def logout_submit(request: Request, auth: Authn, session: DbSession) -> Response:
    if auth.session is not None:
        do_logout(session, auth.session, ip=client_ip(request))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookies(response)
    return response


@router.get("/login/totp")
def totp_page(request: Request, auth: Authn, next: str = "/") -> HTMLResponse:
    return render(request, "totp.html", next=safe_next(next), csrf_token=auth.csrf_token, error="")


@router.post("/login/totp", dependencies=[rate_limit("login")])
def totp_submit(
    request: Request,
    auth: Authn,
    session: DbSession,
    code: FormStr,
    next: Annotated[str, Form()] = "/",
) -> Response:
    if auth.session is None:
        raise Problem(409, "session_only", "仅限浏览器会话 / only for a browser session")
    try:
        new = do_verify_second_factor(
            session, auth.session, code, ip=client_ip(request), now=request_now(request)
        )
    except Problem as exc:
        return refused(request, "totp.html", exc, next=safe_next(next), csrf_token=auth.csrf_token)
    return _after_login(safe_next(next), new.session_id, None, request)


@router.get("/login/totp/enrol")
def totp_enrol_page(request: Request, auth: Authn, next: str = "/") -> HTMLResponse:
    """Shows a start button: creating the secret is a write, so it happens on POST."""
    return render(
        request, "totp_enrol_start.html", next=safe_next(next), csrf_token=auth.csrf_token
    )


@router.post("/login/totp/enrol/start")
def totp_enrol_start(
    request: Request, auth: Authn, session: DbSession, next: Annotated[str, Form()] = "/"
) -> HTMLResponse:
    secret = do_start_totp_enrolment(session, auth.user)
    uri = totp.provisioning_uri(secret, auth.user.username)
    return render(
        request,
        "totp_enrol.html",
        next=safe_next(next),
        csrf_token=auth.csrf_token,
        secret=secret,
        qr_svg=totp.qr_svg(uri),
        error="",
        recovery_codes=[],
    )


@router.post("/login/totp/enrol")
def totp_enrol_submit(
    request: Request,
    auth: Authn,
    session: DbSession,
    code: FormStr,
    next: Annotated[str, Form()] = "/",
) -> Response:
    if auth.session is None:
        raise Problem(409, "session_only", "仅限浏览器会话 / only for a browser session")
    new, codes = do_confirm_totp(session, auth.session, code, ip=client_ip(request))
    response = render(
        request,
        "totp_enrol.html",
        next=safe_next(next),
        csrf_token=csrf_token_for(new.session_id),
        recovery_codes=codes,
    )
    set_session_cookies(response, new.session_id, request.app.state.settings)
    return response
