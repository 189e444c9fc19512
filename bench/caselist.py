"""The read path: the first page of the case list filtered by state and unit on 100k cases
(GET /api/v1/cases?state=closed&unit=U: the newest 50 of the unit's closed cases), over
HTTP against the real server (`grassroots serve`), with wrk (or bench/load.py's Python
generator): p50/p99 at 1 connection and requests/s at 8, next to django-helpdesk 2.6.1's
175 ms p50 (SQLite) and 207 ms (PostgreSQL) for the same shape of query (issue 14). The
same run measures GET /healthz (the stack's ceiling: the ratio's baseline) and the list
query alone, in process (list_cases: the database's share of the time).

    PYTHONPATH=src:. .venv/bin/python -m bench.caselist [--cases 100000] [--db sqlite]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from bench.casegen import insert_cases, scratch_engine
from bench.intake import serving
from bench.load import describe, python_load, wrk_load
from grassroots.accounts.models import User
from grassroots.accounts.tokens.actions import do_create_token
from grassroots.cases.listing.queries import CaseFilter, list_cases
from grassroots.cases.models import Case
from grassroots.crypto import new_key_file
from grassroots.geo.models import Unit

PEER_P50_MS = {"sqlite": 175, "postgresql": 207}
LEADER = "chen"  # 领导 of the county: sees every case


def assign_units(engine: Engine) -> str:
    """Give every accepted case a unit (round robin over the demo units); returns the code of
    the unit the benchmark filters by."""
    with Session(engine) as session:
        units = session.execute(select(Unit.id, Unit.code).order_by(Unit.id)).all()
        for i, (unit_id, _) in enumerate(units):
            session.execute(
                update(Case)
                .where(Case.accepted_at.is_not(None), Case.id % len(units) == i)
                .values(unit_id=unit_id)
            )
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return str(units[0][1])


def token_of(engine: Engine, username: str) -> str:
    with Session(engine, expire_on_commit=False) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return do_create_token(session, user, name="bench", scopes=["case.read"], actor=None)[1]


def in_process(engine: Engine, unit_code: str, runs: int) -> tuple[float, float, int]:
    """list_cases alone (the query and loading the page), p50/p99 in ms, and the page size."""
    with Session(engine) as session:
        user = session.scalars(select(User).where(User.username == LEADER)).one()
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        f = CaseFilter(state=["closed"], unit_id=unit_id)
        times, size = [], 0
        for _ in range(runs):
            t0 = time.perf_counter()
            rows, _cursor = list_cases(session, user, f, date(2026, 11, 1))
            times.append((time.perf_counter() - t0) * 1000)
            size = len(rows)
            session.expunge_all()
    q = statistics.quantiles(times, n=100)
    return q[49], q[98], size


def bench(kind: str, args: argparse.Namespace, stack: ExitStack) -> None:
    engine = stack.enter_context(scratch_engine(kind, stack))
    took = insert_cases(engine, args.cases)
    unit = assign_units(engine)
    with Session(engine) as session:
        matching = session.scalar(
            select(func.count(Case.id)).where(
                Case.state == "closed", Case.unit.has(Unit.code == unit)
            )
        )
    token = token_of(engine, LEADER)
    p50, p99, size = in_process(engine, unit, 200)
    print(f"{kind}: {args.cases} cases inserted in {took:.0f} s; unit {unit}: {matching} cases "
          f"closed; list_cases in process: p50 {p50:.1f} ms p99 {p99:.1f} ms "
          f"({size} rows)", flush=True)  # fmt: skip
    data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-list-")))
    new_key_file(data_dir / "keys" / "grassroots.key")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    load = wrk_load if args.tool == "wrk" else python_load
    auth = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/cases?state=closed&unit={unit}"
    with serving(url, data_dir, 1, data_dir / "server.log") as (base, _pid):
        load(base, "GET", path, auth, None, clients=2, seconds=2)  # warm-up
        for clients in (1, 8):
            ceiling = load(base, "GET", "/healthz", {}, None, clients=clients, seconds=args.seconds)
            page = load(base, "GET", path, auth, None, clients=clients, seconds=args.seconds)
            print(f"{kind:<10} {clients:>2} conn | list page {page} | healthz {ceiling} | "
                  f"list/healthz {page.rps / ceiling.rps:.2f} | django-helpdesk p50 "
                  f"{PEER_P50_MS[kind]} ms", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--tool", choices=["wrk", "python"],
                        default="wrk" if shutil.which("wrk") else "python")  # fmt: skip
    args = parser.parse_args()
    print(describe())
    print(f"load: {args.tool}, {args.seconds:g} s per measurement; GET first page (50) filtered "
          "by state and unit, as the county leader")  # fmt: skip
    for kind in args.db or ["sqlite", "postgresql"]:
        with ExitStack() as stack:
            bench(kind, args, stack)


if __name__ == "__main__":
    main()
