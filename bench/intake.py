"""Case intake over HTTP: throughput and p50/p99 latency of POST /cases (with an
Idempotency-Key, located by lat/lng) at 1, 8 and 32 concurrent clients, against a bare
endpoint on the same stack (same app, auth, permission check, session and transaction;
inserts one row) measured in the same run. Reports the ratio intake/bare (goal ≥ 0.6).

Runs a real uvicorn on 127.0.0.1 against SQLite (a file, WAL, synchronous=FULL) and
PostgreSQL (the local server or a throwaway cluster, see tests/support/postgres.py).

    PYTHONPATH=src:. .venv/bin/python -m bench.intake [--requests 200] [--db sqlite --db postgresql]

The server runs this checkout's src/ (PYTHONPATH set for it); run the bench itself with
PYTHONPATH=src too, so that both migrate and serve the same code.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.app import API_PREFIX, create_app
from grassroots.audit.actions import record_audit
from grassroots.db import transaction
from grassroots.deps import DbSession, requires

LEVELS = (1, 8, 32)


def bench_app() -> FastAPI:
    """The real app plus one bench-only route: same auth, permission and transaction, one
    INSERT (an audit row) and a small JSON answer."""
    app = create_app()

    @app.post(f"{API_PREFIX}/bench/bare", status_code=201)
    def bare(session: DbSession, user: User = requires("case.register")) -> dict[str, Any]:
        with transaction(session):
            entry = record_audit(session, actor=user, action="bench.bare", object_type="bench")
        return {"id": entry.id}

    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(url: str, data_dir: Path) -> tuple[dict[str, Any], str]:
    """Schema, key file, demo geography; returns a case body located inside wang's grid and
    a bearer token of wang's (case.register only; tokens need no CSRF header)."""
    os.environ["GRASSROOTS_DATA_DIR"] = str(data_dir)
    from grassroots.crypto import new_key_file
    from grassroots.db import make_engine, make_session_factory, upgrade_schema
    from grassroots.demo.build import build_demo_geography
    from grassroots.geo.models import Boundary, Jurisdiction

    new_key_file(data_dir / "keys" / "grassroots.key")
    engine = make_engine(url)
    upgrade_schema(engine)
    with make_session_factory(engine)() as session:
        build_demo_geography(session)
        point = _point_in_wangs_grid(session, Boundary, Jurisdiction)
        token = _token(session)
    engine.dispose()
    body = {
        "category_code": "neighbour", "source_code": "grid_patrol", "title": "邻里排水纠纷",
        "description": "两户因院墙排水沟堵塞发生争执，网格员巡查发现", "lat": point[1],
        "lng": point[0], "parties": [
            {"role": "applicant", "name": "张三", "phone": "13800138000"},
            {"role": "respondent", "name": "李四", "id_number": "99010119800101001X"},
        ], "people_involved": 2,
    }  # fmt: skip
    return body, token


def _token(session: Session) -> str:
    from grassroots.accounts.token_actions import do_create_token

    wang = session.scalars(select(User).where(User.username == "wang")).one()
    _, raw = do_create_token(
        session, wang, name="intake-bench", scopes=["case.register"], actor=None
    )
    return raw


def _point_in_wangs_grid(session: Session, boundary: Any, jurisdiction: Any) -> tuple[float, float]:
    from shapely import from_wkb

    wang = session.scalars(select(User).where(User.username == "wang")).one()
    grid = session.scalars(
        select(jurisdiction)
        .where(jurisdiction.level == "grid", jurisdiction.code.startswith(wang.jurisdiction.code))
        .order_by(jurisdiction.code)
    ).first()
    wkb = session.scalars(select(boundary.wkb).where(boundary.jurisdiction_id == grid.id)).one()
    p = from_wkb(wkb).representative_point()
    return (p.x, p.y)


@contextmanager
def _server(url: str, data_dir: Path) -> Iterator[str]:
    port = _free_port()
    root = Path(__file__).resolve().parent.parent  # this checkout's code, not an installed copy
    env = {**os.environ, "GRASSROOTS_DATA_DIR": str(data_dir), "GRASSROOTS_DATABASE_URL": url,
           "GRASSROOTS_JOBS_INTERVAL_SECONDS": "0",
           "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}  # fmt: skip
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "bench.intake:bench_app",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
           "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _run(
    base: str, token: str, path: str, body: dict[str, Any], clients: int, total: int
) -> dict[str, float]:
    """`total` POSTs spread over `clients` threads; every answer must be 201."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = [total // clients + (i < total % clients) for i in range(clients)]

    def client(n: int) -> None:
        mine = []
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            for _ in range(n):
                key = {"Idempotency-Key": uuid.uuid4().hex}
                t0 = time.perf_counter()
                r = http.post(path, json=body, headers=key)
                mine.append(time.perf_counter() - t0)
                if r.status_code != 201:
                    raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if len(latencies) != total:
        raise RuntimeError(f"{path}: {total - len(latencies)} requests failed")
    q = statistics.quantiles(latencies, n=100)
    return {"rps": total / elapsed, "p50": q[49] * 1000, "p99": q[98] * 1000}


def _bench_database(kind: str, url: str, total: int) -> list[str]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"grassroots-bench-{kind}-"))
    body, token = _prepare(url, data_dir)
    lines = []
    with _server(url, data_dir) as base:
        _run(base, token, "/api/v1/cases", body, 4, 40)  # warm-up: imports, grid index, pools
        _run(base, token, "/api/v1/bench/bare", {}, 4, 40)
        for clients in LEVELS:
            bare = _run(base, token, "/api/v1/bench/bare", {}, clients, total)
            intake = _run(base, token, "/api/v1/cases", body, clients, total)
            ratio = intake["rps"] / bare["rps"]
            lines.append(
                f"{kind:<10} {clients:>3}  bare {bare['rps']:7.1f}/s p50 {bare['p50']:6.1f} ms "
                f"p99 {bare['p99']:6.1f} ms | intake {intake['rps']:7.1f}/s "
                f"p50 {intake['p50']:6.1f} ms p99 {intake['p99']:6.1f} ms | ratio {ratio:.2f}"
            )
            print(lines[-1], flush=True)
    return lines


def _versions() -> str:
    import fastapi
    import sqlalchemy
    import uvicorn

    return (f"python {platform.python_version()}, fastapi {fastapi.__version__}, "
            f"sqlalchemy {sqlalchemy.__version__}, uvicorn {uvicorn.__version__}, "
            f"sqlite {__import__('sqlite3').sqlite_version}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="POSTs per measurement")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cpus; {_versions()}")
    print(f"{args.requests} requests per measurement; clients: {LEVELS}; ratio = intake/bare")
    for kind in args.db or ["sqlite", "postgresql"]:
        if kind == "sqlite":
            path = Path(tempfile.mkdtemp(prefix="grassroots-bench-db-")) / "bench.db"
            _bench_database(kind, f"sqlite:///{path}", args.requests)
            continue
        from tests.support.postgres import postgres_server, temporary_database

        with postgres_server() as admin, temporary_database(admin, "bench") as url:
            with psycopg_version(url) as version:
                print(f"postgresql {version}")
            _bench_database(kind, url, args.requests)


@contextmanager
def psycopg_version(url: str) -> Iterator[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("show server_version").fetchone()
        yield str(row[0]) if row else "?"


if __name__ == "__main__":
    main()
