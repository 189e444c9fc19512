"""Rate limiting for login and public intake: a sliding window per client address.

The counters live in the memory of ONE process. With N app processes behind a proxy a client
can make up to N times the limit; put a shared limit in the proxy for a hard cap (nginx
limit_req, see docs/accounts.md). The throttle of failed logins (accounts.throttle) is kept
in the database and so holds across processes regardless. Every 429 says when to come back
(Retry-After, whole seconds).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request

from grassroots.errors import Problem

MAX_KEYS = 50_000  # bounds memory under a flood of distinct addresses


class SlidingWindowLimiter:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count one request; None if allowed, else the seconds until one is allowed again."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.0)
            hits.append(now)
            if len(self._hits) > MAX_KEYS:
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]


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


def _limiter(request: Request, bucket: str) -> SlidingWindowLimiter:
    state = request.app.state
    limiters: dict[str, SlidingWindowLimiter] | None = getattr(state, "rate_limiters", None)
    if limiters is None:
        limiters = state.rate_limiters = {}
    if bucket not in limiters:
        limit, window = parse_rate(getattr(state.settings, f"{bucket}_rate_limit"))
        limiters[bucket] = SlidingWindowLimiter(limit, window)
    return limiters[bucket]


def rate_limit(bucket: str) -> Any:
    """Route dependency: at most settings.<bucket>_rate_limit requests per client address."""

    def check(request: Request) -> None:
        address = request.client.host if request.client else "unknown"
        retry_after = _limiter(request, bucket).hit(address)
        if retry_after is not None:
            raise too_many_requests(retry_after)

    check.rate_limit = bucket  # type: ignore[attr-defined]
    return Depends(check)
