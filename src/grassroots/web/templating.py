"""The one Jinja environment of the web UI: every domain's templates/ folder, gettext, globals.

Templates are named "<domain>/<file>.html" (e.g. "cases/list.html" is
src/grassroots/cases/templates/list.html); the shared layout is "base.html" (web/templates).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from grassroots.accounts.authn import SESSION_COOKIE, request_permissions
from grassroots.accounts.credentials import csrf_token_for
from grassroots.accounts.models import User
from grassroots.i18n import (
    LOCALE_NAMES,
    gettext_for,
    html_lang,
    in_language,
    is_msgid,
    request_locale,
    translations,
)
from grassroots.web.assets import VENDOR, static_url
from grassroots.web.flash import pop_flash
from grassroots.web.nav import active_item, home_for, nav_for, role_label

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DOMAINS_WITH_TEMPLATES = (
    "web", "geo", "cases", "parties", "accounts", "audit", "stats", "admin", "reports",
    "calendar", "notifications", "rounds", "roster", "leads", "residents", "joint",
    "open311", "border", "federation", "ledgers", "screens",
)  # fmt: skip

# What the domains put into every template: their labels (msgid dictionaries and the
# functions that pick one) and their filters. Each domain registers its own in its pages
# module (register_globals / register_filters); the web face knows no domain's codes.
_GLOBALS: dict[str, Any] = {}
_FILTERS: dict[str, Any] = {}


def register_globals(**values: Any) -> None:
    """Make `values` template globals (a domain's labels), in every template rendered."""
    _GLOBALS.update(values)
    if environment.cache_info().currsize:
        environment().globals.update(values)


def register_filters(**filters: Any) -> None:
    """Make `filters` Jinja filters (e.g. the calendar's `local` time of day)."""
    _FILTERS.update(filters)
    if environment.cache_info().currsize:
        environment().filters.update(filters)


def _not_a_msgid(text: object) -> Markup:
    """What `_()` gives for text that is not a msgid (a person's text passed by mistake):
    escaped, never translated. Jinja's i18n marks whatever `_()` returns as safe markup and
    always applies `%` formatting to it, so `%` is doubled to come out as typed."""
    return escape(text).replace("%", "%%")  # Markup.replace keeps it Markup


@pass_context
def _gettext(context: Context, message: str) -> str:
    """`_()` in templates: translates msgids only. Its `%(name)s` arguments are escaped by
    Jinja (the result is Markup, whose `%` escapes what it inserts)."""
    if not is_msgid(message):
        return _not_a_msgid(message)
    return gettext_for(context.get("locale", "zh_CN"))(message)


@pass_context
def _in_ui_language(context: Context, message: str) -> str:
    return in_language(str(message), context.get("locale", "zh_CN"))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    if not is_msgid(singular):
        return _not_a_msgid(singular if n == 1 else plural)
    return translations(context.get("locale", "zh_CN")).ngettext(singular, plural, n)


def _loader() -> ChoiceLoader:
    folders = {d: PACKAGE_DIR / d / "templates" for d in DOMAINS_WITH_TEMPLATES}
    prefixed = PrefixLoader(
        {d: FileSystemLoader(str(path)) for d, path in folders.items() if path.is_dir()}
    )
    # Unprefixed fallback: "base.html", and domains that keep "<domain>/x.html" inside
    # their templates/ folder (accounts/templates/accounts/login.html).
    plain = FileSystemLoader([str(p) for p in folders.values() if p.is_dir()])
    return ChoiceLoader([plain, prefixed])


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=_loader(),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ui_language"] = _in_ui_language
    env.filters.update(_FILTERS)
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        vendor=VENDOR,
        locale_names=LOCALE_NAMES,
        role_label=role_label,
        **_GLOBALS,
    )
    return env


def csrf_token(request: Request) -> str:
    """The CSRF token of the request's login session, which forms carry (access control
    checks it on every cookie-authenticated write); empty without a session."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    return csrf_token_for(raw) if raw else ""


def base_context(request: Request, user: User | None) -> dict[str, Any]:
    locale = request_locale(request)
    settings = request.app.state.settings
    permissions = request_permissions(request) if user is not None else frozenset()
    nav = nav_for(permissions)
    return {
        "request": request,
        "user": user,
        "nav": nav,
        "nav_active": active_item(nav, request.url.path),
        "home_href": home_for(permissions),
        "permissions": permissions,
        "locale": locale,
        "html_lang": html_lang(locale),
        "csrf_token": csrf_token(request),
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "current_path": request.url.path,
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page (or an htmx fragment) in the request's language."""
    response = HTMLResponse(status_code=status_code)
    full = base_context(request, user)
    full["flash"] = pop_flash(request, response)
    full.update(context or {})
    response.body = response.render(environment().get_template(name).render(full))
    response.headers["content-length"] = str(len(response.body))
    return response
