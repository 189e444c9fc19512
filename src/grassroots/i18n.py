"""Languages of the user interface: gettext catalogues through Babel, zh-CN by default.

The msgids are English; `locale/zh_CN` carries the Chinese the staff see by default and
`locale/en` the (identity) English catalogue. The chosen language comes from `?lang=` (which
also sets the cookie) or the `lang` cookie; nothing else, so a fresh browser gets Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.support import Translations
from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "zh_CN"
LOCALES: tuple[str, ...] = ("zh_CN", "en")
LOCALE_NAMES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
COOKIE = "lang"
_ALIASES = {"zh": "zh_CN", "zh-cn": "zh_CN", "zh_cn": "zh_CN", "en": "en", "en-us": "en"}


def normalise(value: str | None) -> str | None:
    """'zh-CN', 'zh', 'en-US' … → a locale we have, or None."""
    if not value:
        return None
    return _ALIASES.get(value.strip().lower())


def html_lang(locale: str) -> str:
    """The value for <html lang>: BCP 47 spelling."""
    return locale.replace("_", "-")


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> Translations:
    loaded = Translations.load(str(LOCALE_DIR), [locale], domain=DOMAIN)
    if not isinstance(loaded, Translations):  # no .mo found: identity
        return Translations()
    return loaded


@lru_cache(maxsize=1)
def msgids() -> frozenset[str]:
    """Every msgid of the catalogue: the Chinese one translates them all (tests/web/test_i18n.py).
    Plural entries count by their singular."""
    with (LOCALE_DIR / DEFAULT_LOCALE / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        catalog = read_mo(mo)
    return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)


def is_msgid(message: object) -> bool:
    """Whether `message` is text of the code (a msgid), not text a person typed."""
    return isinstance(message, str) and message in msgids()


def gettext_for(locale: str) -> Callable[[str], str]:
    return translations(locale).gettext


def request_locale(request: Request) -> str:
    """The request's language: set by the middleware, else the default."""
    return str(getattr(request.state, "locale", DEFAULT_LOCALE))


def _chosen_locale(request: Request) -> tuple[str, bool]:
    asked = normalise(request.query_params.get("lang"))
    if asked:
        return asked, True
    return normalise(request.cookies.get(COOKIE)) or DEFAULT_LOCALE, False


def install_locale(app: FastAPI) -> None:
    """Middleware: pick the language per request; `?lang=` remembers it in a cookie."""
    app.add_middleware(LocaleMiddleware)


class LocaleMiddleware:
    """A plain ASGI middleware (Starlette's BaseHTTPMiddleware, behind @app.middleware, runs
    every request through an extra task and memory streams: a tenth of a request's CPU)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale, from_query = _chosen_locale(Request(scope))
        scope.setdefault("state", {})["locale"] = locale  # read back as request.state.locale
        if not from_query:
            await self.app(scope, receive, send)
            return
        cookie = _locale_cookie(locale)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _locale_cookie(locale: str) -> str:
    response = Response()
    response.set_cookie(COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response.headers["set-cookie"]


def N_(message: str) -> str:  # noqa: N802  (the gettext convention pybabel extracts)
    """Mark a msgid for extraction where it is defined; it is translated where shown."""
    return message


_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def in_language(message: str, locale: str) -> str:
    """The half of a bilingual "中文 / English" message (Problem messages are written so)
    for the UI language; any other message unchanged."""
    chinese, sep, english = message.rpartition(" / ")
    if not sep or not _CJK.search(chinese) or _CJK.search(english) or not english.strip():
        return message
    return chinese if locale == "zh_CN" else english
