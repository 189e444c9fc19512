"""Rate limiting for login: a sliding window per client address, counted in the database
(grassroots.ratelimit), so that every server process behind a proxy counts the same hits
and a client gets the limit once, not once per process. The throttle of failed logins
(accounts.throttle) is kept in the database as well. Every 429 says when to come back
(Retry-After, whole seconds).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Depends, Request

from grassroots.errors import Problem
from grassroots.ratelimit.actions import do_count_hit


def too_many_requests(retry_after: float) -> Problem:
    """429 with Retry-After (whole seconds, at least 1)."""
    seconds = max(1, math.ceil(retry_after))
    return Problem(
        429,
        "rate_limited",
        f"请求过于频繁，请 {seconds} 秒后再试 / too many requests, try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def parse_rate(rate: str) -> tuple[int, float]:
    """'20/60' → (20 requests, 60 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), float(seconds or 60)


def rate_limit(bucket: str) -> Any:
    """Route dependency: at most settings.<bucket>_rate_limit requests per client address."""

    def check(request: Request) -> None:
        address = request.client.host if request.client else "unknown"
        limit, window = parse_rate(getattr(request.app.state.settings, f"{bucket}_rate_limit"))
        with request.app.state.write_sessions() as session:
            retry_after = do_count_hit(session, bucket, address, limit, window)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    check.rate_limit = bucket  # type: ignore[attr-defined]
    return Depends(check)
