"""Request-body limits (docs/security.md): 64 KiB unless the route declares more.

A route that takes more says so with `openapi_extra=body_limit(n)` (shown in its OpenAPI
operation as `x-body-limit`). The middleware refuses with 413 before reading a byte when the
Content-Length is over the route's limit, and stops reading a chunked body at the first
chunk that passes it, so an oversized body never sits in the server's memory. The limit is
looked up when the route first reads its body (the router has chosen the route by then).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from grassroots.errors import Problem, problem_response

KIB = 1024
MIB = 1024 * KIB
DEFAULT_BODY_LIMIT = 64 * KIB
GEOJSON_LIMIT = 20 * MIB  # a county's boundaries (admin page and API import)
CASE_TEXT_LIMIT = 1 * MIB  # registration and actions: 20,000-character texts, 50 parties
LIMIT_KEY = "x-body-limit"


def body_limit(content_bytes: int) -> dict[str, Any]:
    """A route's openapi_extra for a body larger than DEFAULT_BODY_LIMIT: `content_bytes`
    (an upload's own limit, a long text's) plus DEFAULT_BODY_LIMIT of room for the rest of
    the form and the multipart framing."""
    return {LIMIT_KEY: content_bytes + DEFAULT_BODY_LIMIT}


def route_limit(scope: Scope) -> int:
    extra = getattr(scope.get("route"), "openapi_extra", None) or {}
    return int(extra.get(LIMIT_KEY, DEFAULT_BODY_LIMIT))


def too_large(limit: int) -> Problem:
    message = f"请求体过大（上限 {limit} 字节）/ request body too large (limit {limit} bytes)"
    return Problem(413, "body_too_large", message)


class BodyTooLarge(HTTPException):
    """Raised from receive(): an HTTPException, so FastAPI's body parsing passes it on and
    the app's handlers answer it (problem+json for the API, the error page for pages)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit).message)


class _Guard:
    """One request's byte count. After the limit is passed, the app's answer goes out only
    if it is the 413; otherwise BodyLimit answers 413 itself."""

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope, self.inner_receive, self.inner_send = scope, receive, send
        self.limit: int | None = None
        self.seen = 0
        self.exceeded = False
        self.started = False

    async def receive(self) -> Message:
        if self.limit is None:
            self.limit = route_limit(self.scope)
            declared = Headers(scope=self.scope).get("content-length", "")
            if declared.isdigit() and int(declared) > self.limit:
                self.refuse()
        if self.exceeded:
            self.refuse()
        message = await self.inner_receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > (self.limit or 0):
                self.refuse()
        return message

    def refuse(self) -> None:
        self.exceeded = True
        raise BodyTooLarge(self.limit or DEFAULT_BODY_LIMIT)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if self.exceeded and message["status"] != 413:
                return
            self.started = True
        elif not self.started:
            return
        await self.inner_send(message)


class BodyLimit:
    """ASGI middleware: every HTTP request's body within its route's limit, or 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _Guard(scope, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            if not guard.exceeded:
                raise
        if guard.exceeded and not guard.started:
            problem = too_large(guard.limit or DEFAULT_BODY_LIMIT)
            response = problem_response(problem, scope["path"])
            response.headers["Connection"] = "close"
            await response(scope, receive, send)


def install_body_limits(app: FastAPI) -> None:
    app.add_middleware(BodyLimit)
