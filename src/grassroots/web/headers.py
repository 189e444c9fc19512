"""Security headers on every response (docs/security.md).

A strict Content-Security-Policy (scripts, styles and connections from this server only; no
inline script, style or event handler anywhere: every page's code is a file under static/),
no framing, no MIME sniffing, the referrer kept on this site, `Cache-Control: no-store` on
everything but the static files (pages and API answers may carry personal data), and HSTS
when the request came over TLS. One pure ASGI middleware, so streamed answers stay streamed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from grassroots.web.assets import STATIC_PREFIX

HSTS = "max-age=31536000"


def tile_source(tile_url: str) -> str:
    """The CSP source of the configured map tiles: "" for none or a path on this server,
    "https://*.tile.example.org" for "https://{s}.tile.example.org/{z}/{x}/{y}.png"."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    first, _, rest = parts.netloc.partition(".")
    if "{" in first and rest and "{" not in rest:
        return f"{parts.scheme}://*.{rest}"
    if "{" in parts.netloc:  # a placeholder CSP cannot express: the scheme alone
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(tile_url: str = "") -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_source(tile_url)]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(tile_url: str = "") -> dict[str, str]:
    """The headers every response carries (Cache-Control and HSTS are added per request)."""
    return {
        "Content-Security-Policy": content_security_policy(tile_url),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


class SecurityHeaders:
    """Adds security_headers() to every HTTP response; no-store unless static; HSTS on https."""

    def __init__(self, app: ASGIApp, tile_url: str = "") -> None:
        self.app = app
        self.headers = security_headers(tile_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX + "/")
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                headers.update(self.headers)
                if not static:
                    headers["Cache-Control"] = "no-store"
                if tls:
                    headers["Strict-Transport-Security"] = HSTS
                message["headers"] = headers.raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders, tile_url=app.state.settings.tile_url)
