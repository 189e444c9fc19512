"""Rate limiting for login: a sliding window per client address, counted in the database
(grassroots.ratelimit), so that every server process behind a proxy counts the same hits
and a client gets the limit once, not once per process. The throttle of failed logins
(accounts.throttle) is kept in the database as well. Every 429 says when to come back
(Retry-After, whole seconds).
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from grassroots.ratelimit.limits import per_address


def rate_limit(bucket: str) -> Any:
    """Route dependency: at most settings.<bucket>_rate_limit requests per client address."""
    return Depends(per_address(bucket, bucket))
