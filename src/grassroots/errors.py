"""Problem details (RFC 9457): one exception type and the handlers that render it."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)
# The codes of Starlette's own HTTP errors (400: a body that cannot be parsed).
HTTP_CODES = {
    400: "malformed_body",
    401: "unauthenticated",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}

# Their messages in both languages (Starlette's own are English phrases).
HTTP_MESSAGES = {
    "not_found": "页面或资源不存在 / not found",
    "method_not_allowed": "不支持此请求方法 / method not allowed",
}


class Problem(Exception):
    """An error the user can act on: HTTP status, stable machine code, readable message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or []
        self.headers = headers or {}  # e.g. Retry-After on a 429

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://grassroots.example/problems/{self.code}",
            "title": self.message,
            "status": self.status,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        return body


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers or None,
    )


UNSTORABLE = Problem(
    422, "unstorable_value", "输入含有无法保存的字符或数值 / a value the database cannot store"
)


def http_problem(exc: StarletteHTTPException) -> Problem:
    """Starlette's own HTTP error as a Problem (a body it cannot parse: in both languages)."""
    code = HTTP_CODES.get(exc.status_code, "http_error")
    if code == "malformed_body":
        return Problem(400, code, "请求正文无法解析 / the request body cannot be parsed")
    return Problem(exc.status_code, code, HTTP_MESSAGES.get(code, str(exc.detail)))


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", ""), "type": err["type"]})
    return errors


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _validation_errors(exc)
        names = ", ".join(e["field"] for e in fields)
        problem = Problem(
            422, "validation_failed", f"输入有误 / invalid input: {names}", errors=fields
        )
        return problem_response(problem, request.url.path)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value of the request (PostgreSQL text cannot hold NUL, a
        # number beyond its column): the transaction is rolled back, nothing changed. Not
        # logged: the error's text carries the statement's parameters.
        return problem_response(UNSTORABLE, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem_response(http_problem(exc), request.url.path)
        if exc.headers:
            response.headers.update(exc.headers)
        return response


PageRenderer = Callable[[Request, Problem], Response | None]


class CatchAll:
    """The last handler: an exception nothing else answered becomes a 500 problem+json
    (pages: the error page) with a correlation id. The id and the traceback go to the log in
    one line; the client gets the id only, never the trace. Plain ASGI, inside Starlette's
    own error middleware, so the exception is answered here and not raised again."""

    def __init__(self, app: ASGIApp, render_page: PageRenderer | None = None) -> None:
        self.app = app
        self.render_page = render_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            incident = secrets.token_hex(8)
            request = Request(scope)
            log.exception(
                "unhandled error, correlation id %s: %s %s", incident, request.method, scope["path"]
            )
            if started:  # the answer is already on its way: nothing to replace it with
                raise
            # a worker thread: the error page reads the signed-in user from the database
            response = await run_in_threadpool(self.answer, request, incident)
            await response(scope, receive, send)

    def answer(self, request: Request, incident: str) -> Response:
        problem = Problem(
            500,
            "internal_error",
            f"服务器内部错误，请把编号 {incident} 告诉管理员"
            f" / internal error, reference {incident}",
        )
        page = self.render_page(request, problem) if self.render_page else None
        response = page or JSONResponse(
            problem.body(request.url.path) | {"correlation_id": incident},
            status_code=500,
            media_type=PROBLEM_MEDIA_TYPE,
        )
        response.headers["X-Correlation-ID"] = incident
        return response


def install_catch_all(app: FastAPI, render_page: PageRenderer | None = None) -> None:
    app.add_middleware(CatchAll, render_page=render_page)
