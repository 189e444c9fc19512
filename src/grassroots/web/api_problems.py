"""The problem+json answers of every API operation, declared in the OpenAPI document.

Read from the route table, not written by hand per route: an operation that needs a login
can answer 401, one whose permission or CSRF check can refuse 403, one that names anything
(a path, query or body parameter) 404 and 422, a write 409 (a stale version, a duplicate)
and 413 (a body over the limit), a rate-limited one 429, and any of them 500 (the catch-all,
with a correlation id). Each is `application/problem+json` with the one Problem schema
(grassroots.errors); FastAPI's own 422 (application/json) is replaced.
tests/web/test_openapi.py checks every operation; tests/web/test_api_fuzz.py checks that the
answers stay inside the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from grassroots.errors import PROBLEM_MEDIA_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: what went wrong, in Chinese and English.",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string", "description": "中文 / English"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine code"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
        "correlation_id": {"type": "string", "description": "500 only: quote it to the admin"},
    },
}
DESCRIPTIONS = {
    400: "The body cannot be read (not JSON, not UTF-8)",
    401: "Not logged in, or the token is unknown, expired or revoked",
    403: "Not allowed (permission, token scope or CSRF)",
    404: "No such object, or not in your jurisdiction",
    409: "Conflict: stale version or the object exists already",
    413: "Request body too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error (with a correlation id)",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _all(dependant: Dependant) -> list[Dependant]:
    """The dependant and every dependency below it."""
    found, stack = [], [dependant]
    while stack:
        dep = stack.pop()
        found.append(dep)
        stack.extend(dep.dependencies)
    return found


def api_routes(app: FastAPI) -> Iterator[Any]:
    """Every route of the OpenAPI document as served (included routers flattened): its
    path_format, methods and dependant are those of the full path."""
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if isinstance(original, APIRoute) and original.include_in_schema:
            yield context


def problem_statuses(route: Any) -> list[int]:
    """The problem statuses an API route can answer, read from its dependencies and inputs."""
    deps = _all(route.dependant)
    calls = [d.call for d in deps]
    body = any(d.body_params for d in deps)
    takes_input = body or any(d.path_params or d.query_params or d.header_params for d in deps)
    statuses = {500}
    if any(getattr(call, "auth_stage", None) for call in calls):  # deps.authenticated
        statuses |= {401, 403}
    if takes_input:
        statuses |= {404, 422}
    if body:
        statuses.add(400)  # a body that cannot be read at all (not JSON, not UTF-8)
    if route.methods & WRITES:
        statuses |= {409, 413, 422}
    if any(getattr(call, "rate_limit", None) for call in calls):
        statuses |= {401, 429}  # the login steps: wrong credentials, too many tries
    return sorted(statuses)


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
    }


def declare_problems(document: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with each operation's problem responses and the Problem schema."""
    paths = document.get("paths", {})
    for route in api_routes(app):
        for method in route.methods:
            operation = paths.get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(route):
                responses[str(status)] = _problem_response(status)
            operation["responses"] = dict(sorted(responses.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def install_problem_responses(app: FastAPI) -> None:
    """Make app.openapi() return the document with the problem responses declared."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(build(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
