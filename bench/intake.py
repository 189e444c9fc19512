"""Case intake over HTTP with the peers' method: wrk (Debian's package; the Python load
generator in bench/load.py where wrk is missing) at 1, 8 and 32 connections, 10 s each,
against the real server (`grassroots serve`, one process and --workers N) on SQLite (a
file, WAL, synchronous=FULL) and PostgreSQL. Prints requests/s, p50 and p99 of

* create: POST /api/v1/cases with an Idempotency-Key and a point to locate, as a grid
  worker's bearer token (each request a new case);
* auth GET: GET /api/v1/case-categories with the same token (a trivial authenticated read);
* healthz: GET /healthz (no authentication, one SELECT 1): the stack's ceiling, measured in
  the same run as the baseline of the ratio create/healthz;

next to the django-helpdesk 2.6.1 figures measured on the same machine with wrk (issue 14).

    PYTHONPATH=src:. .venv/bin/python -m bench.intake                    # everything
    PYTHONPATH=src:. .venv/bin/python -m bench.intake --db sqlite --seconds 5 --clients 8
    PYTHONPATH=src:. .venv/bin/python -m bench.intake --db postgresql --workers 2 --tool python

Scratch databases live in temporary folders / temporary PostgreSQL databases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.load import (
    Result,
    cpu_seconds,
    cpu_used,
    describe,
    process_tree,
    python_load,
    wrk_load,
)

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = (1, 8, 32)
# django-helpdesk 2.6.1 on this machine, wrk, 8 connections (issue 14): create only.
PEER = {("sqlite", 8, "create"): "80.7/s p50 98 ms p99 137 ms"}


def _prepare(url: str, data_dir: Path) -> tuple[dict[str, Any], str]:
    """Schema, key file, demo geography; a case body located inside wang's grid and a bearer
    token of wang's (case.register, case.read)."""
    os.environ["GRASSROOTS_DATA_DIR"] = str(data_dir)
    from grassroots.accounts.models import User
    from grassroots.accounts.tokens.actions import do_create_token
    from grassroots.crypto import new_key_file
    from grassroots.db import make_engine, make_session_factory, upgrade_schema
    from grassroots.demo.build import build_demo_geography

    new_key_file(data_dir / "keys" / "grassroots.key")
    engine = make_engine(url)
    upgrade_schema(engine)
    with make_session_factory(engine)() as session:
        build_demo_geography(session)
        lng, lat = _point_in_wangs_grid(session)
        wang = session.query(User).filter_by(username="wang").one()
        scopes = ["case.register", "case.read"]
        _, token = do_create_token(session, wang, name="bench", scopes=scopes, actor=None)
    engine.dispose()
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "邻里排水纠纷",
        "description": "两户因院墙排水沟堵塞发生争执，网格员巡查发现", "lat": lat, "lng": lng,
        "parties": [
            {"role": "applicant", "name": "张三", "phone": "13800138000"},
            {"role": "respondent", "name": "李四", "id_number": "99010119800101001X"},
        ], "people_involved": 2,
    }  # fmt: skip
    return body, token


def _point_in_wangs_grid(session: Any) -> tuple[float, float]:
    from shapely import from_wkb
    from sqlalchemy import select

    from grassroots.accounts.models import User
    from grassroots.geo.models import Boundary, Jurisdiction

    wang = session.scalars(select(User).where(User.username == "wang")).one()
    grid = session.scalars(
        select(Jurisdiction)
        .where(Jurisdiction.level == "grid", Jurisdiction.code.startswith(wang.jurisdiction.code))
        .order_by(Jurisdiction.code)
    ).first()
    wkb = session.scalars(select(Boundary.wkb).where(Boundary.jurisdiction_id == grid.id)).one()
    p = from_wkb(wkb).representative_point()
    return (p.x, p.y)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, data_dir: Path, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """`grassroots serve` (this checkout's code) on a free port; yields (base URL, pid)."""
    port = _free_port()
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(data_dir), "GRASSROOTS_DATABASE_URL": url,
           "GRASSROOTS_JOBS_INTERVAL_SECONDS": "0", "GRASSROOTS_LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}  # fmt: skip
    env.pop("GRASSROOTS_AUTH_FLUSH_SECONDS", None)  # the server's own default
    cmd = [sys.executable, "-c", "from grassroots.cli.main import main; main()", "serve",
           "--port", str(port), "--workers", str(workers)]  # fmt: skip
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        time.sleep(0.2)
    raise RuntimeError("server did not come up in 60 s")


def measure(base: str, token: str, body: dict[str, Any], shape: str, clients: int,
            seconds: float, tool: str) -> Result:  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    if shape == "create":
        request = ("POST", "/api/v1/cases", auth, body)
    elif shape == "auth GET":
        request = ("GET", "/api/v1/case-categories", auth, None)
    else:
        request = ("GET", "/healthz", {}, None)
    load = wrk_load if tool == "wrk" else python_load
    return load(base, *request, clients=clients, seconds=seconds)


def bench_database(kind: str, url: str, args: argparse.Namespace, stack: ExitStack) -> None:
    data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-bench-")))
    body, token = _prepare(url, data_dir)
    for workers in [1] if kind == "sqlite" else args.workers:
        with serving(url, data_dir, workers, data_dir / "server.log") as (base, pid):
            measure(base, token, body, "create", 4, 2, args.tool)  # warm-up: imports, caches
            for clients in args.clients:
                row, cpu = {}, {}
                for shape in ("healthz", "auth GET", "create"):
                    run = partial(measure, base, token, body, shape, clients, args.seconds,
                                  args.tool)  # fmt: skip
                    row[shape], cpu[shape] = _measured_cpu(url, pid, run)
                    if row[shape].requests == 0:
                        print(stalled(url, data_dir / "server.log", shape, clients))
                _print_row(kind, workers, clients, row)
                costs = "  ".join(f"{s} {a:.2f} + {d:.2f}" for s, (a, d) in cpu.items())
                print(f"{'':27}| CPU ms per request, server + database processes: {costs}")


def stalled(url: str, log: Path, shape: str, clients: int) -> str:
    """What the server was doing when not one request finished in a measurement (one run of
    32 connections on PostgreSQL did so, and did not again in five): its database sessions
    (the browser tests' stall report, tests/web/stalls.py) and the end of its log, so that
    the next occurrence says why."""
    from tests.web.stalls import database_sessions

    from grassroots.db import make_engine

    lines = [f"STALL: no {shape} request finished at {clients} connections"]
    engine = make_engine(url)
    try:
        lines.append(database_sessions(engine))
    finally:
        engine.dispose()
    lines += log.read_text(errors="replace").splitlines()[-40:] if log.exists() else []
    return "\n".join(lines)


def _measured_cpu(url: str, pid: int, run: Any) -> tuple[Result, tuple[float, float]]:
    """Run one measurement; also the CPU time per request it cost the server's processes and
    (PostgreSQL) the database backends serving them: a figure other load on the machine
    does not change, unlike requests/s."""
    app, db = cpu_seconds(process_tree(pid)), cpu_seconds(_backends(url))
    result = run()
    app_ms = cpu_used(app, cpu_seconds(process_tree(pid))) * 1000
    db_ms = cpu_used(db, cpu_seconds(_backends(url))) * 1000
    n = max(result.requests, 1)
    return result, (app_ms / n, db_ms / n)


def _backends(url: str) -> list[int]:
    if not url.startswith("postgresql"):
        return []
    import psycopg

    database = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return [int(r[0]) for r in rows]


def _print_row(kind: str, workers: int, clients: int, row: dict[str, Result]) -> None:
    create, ceiling = row["create"], row["healthz"]
    cells = "  ".join(f"{shape} {r}" for shape, r in row.items())
    peer = PEER.get((kind, clients, "create"), "")
    ratio = create.rps / ceiling.rps if ceiling.rps else 0.0
    print(
        f"{kind:<10} {workers:>2} proc {clients:>3} conn | {cells} | create/healthz "
        f"{ratio:.2f}" + (f" | django-helpdesk: {peer}" if peer else ""),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--clients", type=int, action="append", help="connections (repeat)")
    parser.add_argument("--workers", type=int, action="append",
                        help="PostgreSQL processes (repeat); default 1 and the cores")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--tool", choices=["wrk", "python"],
                        default="wrk" if shutil.which("wrk") else "python")  # fmt: skip
    args = parser.parse_args()
    args.clients = args.clients or list(CLIENTS)
    args.workers = args.workers or sorted({1, os.cpu_count() or 2})
    print(describe())
    print(f"load: {args.tool}, {args.seconds:g} s per measurement, connections {args.clients}")
    print("django-helpdesk 2.6.1, same machine, wrk, 8 connections, SQLite: create 80.7 req/s, "
          "p50 98 ms, p99 137 ms (issue 14)")  # fmt: skip
    for kind in args.db or ["sqlite", "postgresql"]:
        with ExitStack() as stack:
            if kind == "sqlite":
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-bench-db-"))
                bench_database(kind, f"sqlite:///{folder}/bench.db", args, stack)
                continue
            from tests.support.postgres import postgres_server, temporary_database

            admin = stack.enter_context(postgres_server())
            url = stack.enter_context(temporary_database(admin, "bench"))
            bench_database(kind, url, args, stack)


if __name__ == "__main__":
    main()
