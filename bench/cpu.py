"""CPU milliseconds per request inside the app, for comparing two versions of the code on a
busy machine: the served app (create_served_app) is called directly as an ASGI application
(no uvicorn, no HTTP client in the process), N requests in flight, and the process CPU time
per request is measured over many rounds; the minimum (the round least disturbed by other
processes) and the median are printed.

Compare two checkouts by running both AT THE SAME TIME (so that both see the same load):

    git archive <old-commit> src bench tests/support | tar -x -C /tmp/old
    (cd /tmp/old && PYTHONPATH=src:. python -m bench.cpu --shape "auth GET") &
    PYTHONPATH=src:. .venv/bin/python -m bench.cpu --shape "auth GET"

Shapes as in bench/intake.py: create (POST /api/v1/cases with an Idempotency-Key), auth GET
(GET /api/v1/case-categories with a bearer token), healthz. SQLite in a temporary folder, or
(--db postgresql) a temporary database on the test PostgreSQL server; on PostgreSQL only the
app's CPU is counted, not the backend's. --calls counts the function calls per request
instead (slower, but independent of the machine's load: for before/after comparisons when
the CPU figures are too noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.intake import _prepare
from bench.load import describe


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip


async def _call(app: Any, method: str, path: str, headers: dict[str, str], body: bytes) -> int:
    sent, status = False, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # the client never disconnects
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(method, path, headers), receive, send)
    return status[0]


def _request(shape: str, token: str, raw: bytes) -> tuple[str, str, dict[str, str], bytes]:
    auth = {"authorization": f"Bearer {token}"}
    if shape == "create":
        headers = auth | {"content-type": "application/json", "content-length": str(len(raw)),
                          "idempotency-key": uuid.uuid4().hex}  # fmt: skip
        return ("POST", "/api/v1/cases", headers, raw)
    if shape == "auth GET":
        return ("GET", "/api/v1/case-categories", auth, b"")
    return ("GET", "/healthz", {}, b"")


async def _rounds(app: Any, args: argparse.Namespace, token: str, raw: bytes) -> list[float]:
    async def client(n: int) -> None:
        for _ in range(n):
            status = await _call(app, *_request(args.shape, token, raw))
            if status >= 400:
                raise RuntimeError(f"{args.shape} answered {status}")

    per_client = max(args.requests // args.clients, 1)
    async with app.router.lifespan_context(app):
        await asyncio.gather(*[client(20) for _ in range(args.clients)])  # warm-up
        costs = []
        for _ in range(args.rounds):
            if args.counter:
                args.counter.active = True
            start = time.process_time()
            await asyncio.gather(*[client(per_client) for _ in range(args.clients)])
            costs.append((time.process_time() - start) / (per_client * args.clients) * 1000)
            if args.counter:
                args.counter.active = False
    return costs


def _start_profiles() -> list[cProfile.Profile]:
    """A profiler on this thread and on every thread started from now on, each timed by its
    own thread's CPU clock (waiting and sleeping cost nothing; the profiler's own overhead
    inflates functions that make many small calls)."""
    profiles = []

    def start(*_: Any) -> None:
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start)
    start()
    return profiles


class CallCounter:
    """Python and C function calls on every thread started from now on, counted only while
    `active`: a measure of the work per request that, unlike CPU time, does not depend on
    what else the machine runs (each call costs about the same on a quiet or a loaded
    machine, so old and new code can be compared one after the other)."""

    def __init__(self) -> None:
        self.active = False
        self._boxes: list[list[int]] = []
        threading.setprofile(self._start)
        self._start()

    def _start(self, *_: Any) -> None:
        box = [0]
        self._boxes.append(box)

        def count(_frame: Any, event: str, _arg: Any) -> None:
            if self.active and (event == "call" or event == "c_call"):
                box[0] += 1

        sys.setprofile(count)

    def total(self) -> int:
        return sum(box[0] for box in self._boxes)


def _report_profiles(profiles: list[cProfile.Profile], path: Path) -> None:
    for profile in profiles:
        profile.disable()
    stats = pstats.Stats(*profiles)
    stats.dump_stats(path)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    print(f"own CPU time by function ({total:.2f} s in all, warm-up and set-up included):")
    for (file, line, name), (_, calls, own, _cum, _) in rows[:40]:
        where = f"{file.split('site-packages/')[-1]}:{line}"
        print(f"  {own / total:6.1%}  {calls:>8}  {name}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=["create", "auth GET", "healthz"], default="create")
    parser.add_argument("--clients", type=int, default=8, help="requests in flight")
    parser.add_argument("--requests", type=int, default=100, help="per round")
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--profile", type=Path, help="write a cProfile of every thread here "
                        "(per-thread CPU clock); print the top functions by own time")  # fmt: skip
    parser.add_argument("--calls", action="store_true", help="count the Python and C function "
                        "calls per request (load-independent; slows the run)")  # fmt: skip
    args = parser.parse_args()
    if args.calls and args.profile:
        parser.error("--calls and --profile each install a profiler: choose one")
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="gr-cpu-"))
        url = f"sqlite:///{folder}/bench.db"
        if args.db == "postgresql":
            from tests.support.postgres import postgres_server, temporary_database

            admin = stack.enter_context(postgres_server())
            url = stack.enter_context(temporary_database(admin, "cpu"))
        _run(args, url, folder)


def _run(args: argparse.Namespace, url: str, folder: Path) -> None:
    body, token = _prepare(url, folder)
    os.environ |= {"GRASSROOTS_DATABASE_URL": url, "GRASSROOTS_JOBS_INTERVAL_SECONDS": "0"}
    from grassroots.app import create_served_app
    from grassroots.config import get_settings

    getattr(get_settings, "cache_clear", lambda: None)()  # the folder set by _prepare
    app = create_served_app()
    import uvloop

    profiles = _start_profiles() if args.profile else []
    args.counter = CallCounter() if args.calls else None
    costs = uvloop.run(_rounds(app, args, token, json.dumps(body, ensure_ascii=False).encode()))
    print(describe())
    if args.profile:
        _report_profiles(profiles, args.profile)
    low, middle = min(costs), statistics.median(costs)
    print(f"{args.shape}, {args.clients} in flight, {args.rounds} rounds of {args.requests}: "
          f"CPU ms per request min {low:.3f} median {middle:.3f}"
          f"{' (slowed by counting calls)' if args.calls else ''}")  # fmt: skip
    if args.counter:
        done = args.rounds * max(args.requests // args.clients, 1) * args.clients
        print(f"function calls per request: {args.counter.total() / done:.0f}")


if __name__ == "__main__":
    main()
