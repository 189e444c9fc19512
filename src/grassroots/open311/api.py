"""The GeoReport v2 routes under /open311/v2/ (docs/open311.md).

Public (the spec asks for an api_key on POST only), rate-limited per client address in the
database (shared by every app process), in
XML or JSON by the path's format suffix, errors as the spec's list of {code, description}.
Outside the OpenAPI document of /api/v1: the spec itself documents these routes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from grassroots.config import Settings
from grassroots.db import utcnow
from grassroots.deps import DbSession
from grassroots.open311 import queries as q
from grassroots.open311 import responses as out
from grassroots.open311.actions import do_create_request
from grassroots.open311.formats import Open311Error, check_format, error_response, render
from grassroots.open311.parse import form_fields, request_filter, request_in
from grassroots.ratelimit.limits import client_ip, count_request, retry_seconds

router = APIRouter(prefix="/open311/v2", include_in_schema=False, tags=["open311"])
NOT_FOUND = "the URL does not name a GeoReport v2 resource / 无此资源"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def limited(request: Request) -> None:
    """At most settings.open311_rate_limit requests per client address, counted in the
    database (grassroots.leads.public's hits table): every app process shares the count."""
    wait = count_request(request, "open311", _settings(request).open311_rate_limit,
                         client_ip(request))  # fmt: skip
    if wait is not None:
        seconds = str(retry_seconds(wait))
        request.state.open311_refused = Open311Error(
            429,
            f"too many requests, try again in {seconds} s / 请求过于频繁",
            headers={"Retry-After": seconds},
        )


Limited = Annotated[None, Depends(limited)]


def answer(request: Request, fmt: str, make: Callable[[], Response]) -> Response:
    """The response `make` builds, or the spec's error document."""
    try:
        check_format(fmt)
        refused: Open311Error | None = getattr(request.state, "open311_refused", None)
        if refused is not None:
            raise refused
        return make()
    except Open311Error as error:
        return error_response(fmt, error)


def prefix_of(request: Request, session: DbSession, jurisdiction_id: str | None) -> str | None:
    try:
        return q.jurisdiction_prefix(
            session, jurisdiction_id or "", _settings(request).open311_jurisdiction_id
        )
    except LookupError:
        raise Open311Error(404, "jurisdiction_id not found / 无此区划") from None


@router.get("/discovery.{fmt}")
def discovery(request: Request, fmt: str, _: Limited) -> Response:
    settings = _settings(request)
    data = out.discovery_out(settings.base_url, "2026-12-06", settings.open311_contact)
    return answer(request, fmt, lambda: render(fmt, "discovery", data))


@router.get("/services.{fmt}")
def services(
    request: Request, fmt: str, session: DbSession, _: Limited, jurisdiction_id: str | None = None
) -> Response:
    def make() -> Response:
        prefix_of(request, session, jurisdiction_id)
        return render(fmt, "services", [out.service_out(c) for c in q.services(session)])

    return answer(request, fmt, make)


@router.get("/services/{service_code}.{fmt}")
def service_definition(
    request: Request, service_code: str, fmt: str, session: DbSession, _: Limited,
    jurisdiction_id: str | None = None,
) -> Response:  # fmt: skip
    def make() -> Response:
        prefix_of(request, session, jurisdiction_id)
        category = q.service(session, service_code)
        if category is None:
            raise Open311Error(404, f"service_code '{service_code[:32]}' not found / 无此服务类别")
        return render(fmt, "service_definition", out.definition_out(category))

    return answer(request, fmt, make)


@router.get("/requests.{fmt}")
def requests(request: Request, fmt: str, session: DbSession, _: Limited) -> Response:
    def make() -> Response:
        query = dict(request.query_params)
        prefix = prefix_of(request, session, query.get("jurisdiction_id"))
        found = q.find_requests(session, request_filter(query, prefix, utcnow()))
        return render(fmt, "service_requests", [out.request_out(s) for s in found])

    return answer(request, fmt, make)


async def posted_form(request: Request) -> dict[str, str] | Open311Error:
    """The POST's form fields (read here: the route itself runs in a worker thread)."""
    try:
        return form_fields(request.headers.get("content-type", ""), await request.body())
    except Open311Error as error:
        return error


@router.post("/requests.{fmt}")
def create_request(
    request: Request, fmt: str, session: DbSession, _: Limited,
    fields: Annotated[dict[str, str] | Open311Error, Depends(posted_form)],
) -> Response:  # fmt: skip
    def make() -> Response:
        if isinstance(fields, Open311Error):
            raise fields
        prefix_of(request, session, fields.get("jurisdiction_id"))
        api_key = fields.get("api_key")
        if not api_key:
            raise Open311Error(403, "api_key was not provided / 未提供 api_key")
        client = q.client_for_key(session, api_key)
        if client is None:
            raise Open311Error(403, "Invalid api_key received / api_key 无效")
        data = request_in(fields)
        level = _settings(request).open311_intake_level
        served = do_create_request(session, client, data, intake_level=level)
        return render(fmt, "service_requests", [out.created_out(served)])

    return answer(request, fmt, make)


@router.get("/requests/{service_request_id}.{fmt}")
def one_request(
    request: Request, service_request_id: str, fmt: str, session: DbSession, _: Limited,
    jurisdiction_id: str | None = None,
) -> Response:  # fmt: skip
    def make() -> Response:
        served = q.find_request(
            session, service_request_id, prefix_of(request, session, jurisdiction_id)
        )
        if served is None:
            raise Open311Error(404, "service_request_id not found / 无此诉求")
        return render(fmt, "service_requests", [out.request_out(served)])

    return answer(request, fmt, make)


@router.get("/tokens/{token}.{fmt}")
def token(
    request: Request, token: str, fmt: str, session: DbSession, _: Limited,
    jurisdiction_id: str | None = None,
) -> Response:  # fmt: skip
    def make() -> Response:
        prefix_of(request, session, jurisdiction_id)
        found = q.request_for_token(session, token)
        if found is None:
            raise Open311Error(404, "token not found / 无此令牌")
        return render(
            fmt, "service_requests", [{"service_request_id": found[0], "token": found[1]}]
        )

    return answer(request, fmt, make)


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str, _: Limited) -> Response:
    """Anything else under /open311/v2/: the spec's 404, in the format the path asks for."""
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(fmt, Open311Error(404, NOT_FOUND))
