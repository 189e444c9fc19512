"""Route dependencies that count a request against a limit of the settings.

Every limited path (login, the residents' reports and lookups, public leads, Open311, partner
deployments' documents, screen pairing) counts the same way: a sliding window per client in
the database (`do_count_hit`), a rate written "COUNT/SECONDS" in the settings, and a 429 with
Retry-After in whole seconds when over it. `per_address` builds such a dependency; the
dependency carries `rate_limit` (the setting's prefix) so that the OpenAPI document lists the
429 answer of each limited operation (grassroots.web.api_problems).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from grassroots.errors import Problem
from grassroots.ratelimit.actions import do_count_hit


def client_ip(request: Request) -> str:
    """The client's address as the server sees it (the proxy's, unless uvicorn is told to
    trust its forwarded headers: docs/deployment.md)."""
    return request.client.host if request.client else ""


def too_many_requests(retry_after: float) -> Problem:
    """429 with Retry-After (whole seconds, at least 1)."""
    seconds = retry_seconds(retry_after)
    return Problem(
        429,
        "rate_limited",
        f"请求过于频繁，请 {seconds} 秒后再试 / too many requests, try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def retry_seconds(retry_after: float) -> int:
    return max(1, math.ceil(retry_after))


def parse_rate(rate: str) -> tuple[int, float]:
    """'20/60' → (20 requests, 60 seconds); a rate without seconds is per minute."""
    count, _, seconds = rate.partition("/")
    return int(count), float(seconds or 60)


def count_request(request: Request, bucket: str, rate: str, client: str) -> float | None:
    """Count one request of `client` in `bucket` (its own short transaction); None if it is
    within `rate`, else the seconds until one would be."""
    limit, window = parse_rate(rate)
    with request.app.state.write_sessions() as session:
        return do_count_hit(session, bucket, client, limit, window)


def refuse_over(request: Request, bucket: str, rate: str, client: str) -> None:
    """Count the request; a 429 Problem when it is over the limit."""
    wait = count_request(request, bucket, rate, client)
    if wait is not None:
        raise too_many_requests(wait)


def per_address(bucket: str, setting: str) -> Callable[[Request], Awaitable[None]]:
    """A route dependency: at most `settings.<setting>_rate_limit` requests per client
    address in `bucket`, else 429 before the route does anything (the count is a database
    write, so it runs in the thread pool)."""

    def count(request: Request) -> None:
        rate = getattr(request.app.state.settings, f"{setting}_rate_limit")
        refuse_over(request, bucket, rate, client_ip(request))

    async def limit(request: Request) -> None:
        await run_in_threadpool(count, request)

    limit.rate_limit = setting  # type: ignore[attr-defined]
    limit.__doc__ = f"Route dependency: the {setting} rate limit per client address."
    return limit
