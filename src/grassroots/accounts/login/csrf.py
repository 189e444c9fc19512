"""Login CSRF: another site must not be able to sign a user's browser in (as the attacker's
account, to collect what the user then types).

The login form pairs a pre-session cookie with a token in the form: GET /login sets
`grassroots_login` (random, HttpOnly, SameSite=Strict, path /login) and puts its token
(an HMAC of the cookie, like a session's CSRF token) in a hidden field; POST /login needs
both. Any login, the form's or the JSON one, is refused when the browser says it comes from
another site: Sec-Fetch-Site other than same-origin/none, or an Origin that is not this
server's. Scripts and command-line clients send neither header and keep working.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request, Response

from grassroots.accounts.credentials import csrf_token_for, new_session_id, same
from grassroots.config import Settings
from grassroots.errors import Problem

LOGIN_COOKIE = "grassroots_login"
LOGIN_COOKIE_PATH = "/login"
SAME_SITE_FETCHES = frozenset({"same-origin", "none"})  # "none": typed or bookmarked by the user


def login_token(cookie: str) -> str:
    """The form's token for a login cookie (never a session's: a different message)."""
    return csrf_token_for("login:" + cookie)


def login_cookie(request: Request) -> str:
    """The browser's login cookie, or a new one (set it with set_login_cookie)."""
    value = request.cookies.get(LOGIN_COOKIE, "")
    return value if 32 <= len(value) <= 64 else new_session_id()


def set_login_cookie(response: Response, value: str, settings: Settings) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path=LOGIN_COOKIE_PATH,
    )


def clear_login_cookie(response: Response) -> None:
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_COOKIE_PATH)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_another_site(request: Request, settings: Settings) -> bool:
    """What the browser says about where the request comes from (absent: not a browser's)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in SAME_SITE_FETCHES:
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    own = {origin_of(settings.base_url), origin_of(str(request.base_url))}
    return origin.lower() not in own


def login_form_ok(request: Request, submitted: str, settings: Settings) -> bool:
    if from_another_site(request, settings):
        return False
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    return bool(cookie and submitted) and same(submitted, login_token(cookie))


async def same_site_login(request: Request) -> None:
    """Dependency of the JSON login: refused when a browser says another site sent it."""
    if from_another_site(request, request.app.state.settings):
        raise Problem(
            403, "cross_site", "不接受来自其他网站的登录 / login from another site refused"
        )
