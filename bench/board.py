"""Benchmark: everything the 统计看板 (/stats/board) reads for a city of 12 counties (issue
22): the city's figures with 同比/环比 and its 12 county rows, the ranking's base rows and the
24-month trend, from the aggregates alone. bench/city.py measures the dashboard call against
the recount over real case rows; this one fills the aggregates only, so it reaches more
cases' worth of rows in the time.

The dashboard reads only the maintained aggregate tables, never the cases: so the cases are
not inserted. The aggregates of `--per-county` synthetic cases (bench/casegen.py's
distribution, the same contribution code as the flush listener) are computed once for the
demo county and written for each of the 12 counties with the county's codes — 12 × 250,000 =
3M cases' worth of aggregate rows. The 12 counties (townships, villages, grids) are copies
of the demo county's tree under the demo city.

Timed (median of --runs, warm): `stats.queries.dashboard` for the city, a year, with 同比/环比
and the 12 county rows; and everything /stats/board reads besides (the ranking's 环比/同比
child rows, the 24-month trend). Goal: under 100 ms on PostgreSQL.

Usage:  PYTHONPATH=src:. .venv/bin/python -m bench.board [--per-county 250000] [--db postgresql]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.casegen import _case, _places, machine, scratch_engine
from grassroots.calendar.workday_index import WorkdayIndex
from grassroots.calendar.workdays import read_calendar
from grassroots.cases.tallies import maintain
from grassroots.cases.tallies.contribution import FIELDS, Contribution, add_into
from grassroots.geo.actions import NewNode, do_create_tree
from grassroots.geo.models import Jurisdiction
from grassroots.scope import current_jurisdiction
from grassroots.stats.aggregates import COHORT
from grassroots.stats.board.queries import ranking, trend
from grassroots.stats.board.schemas import BoardView
from grassroots.stats.figures.derived import Rules
from grassroots.stats.periods import parse_period
from grassroots.stats.queries import dashboard

DEMO = "990101"
CITY = "990100000000"
COUNTIES = 12
TODAY = date(2026, 11, 1)


def county_code(i: int) -> str:
    return f"9901{i:02d}"


def add_counties(session: Session) -> None:
    """Counties 990102 … 990112: copies of the demo county's tree (no boundaries)."""
    rows = session.scalars(
        select(Jurisdiction)
        .where(Jurisdiction.code.startswith(DEMO), Jurisdiction.valid_to.is_(None))
        .order_by(Jurisdiction.code)
    ).all()
    by_id = {r.id: r.code for r in rows}
    for i in range(2, COUNTIES + 1):
        new = county_code(i)
        nodes = [
            NewNode(new + r.code[6:], f"{r.name}{i}", r.level,
                    new + by_id[r.parent_id][6:] if r.parent_id in by_id else None, None)
            for r in rows
        ]  # fmt: skip
        do_create_tree(session, nodes, [])
        county = current_jurisdiction(session, new + "000000")
        city = current_jurisdiction(session, CITY)
        assert county is not None and city is not None
        county.parent_id = city.id
        session.commit()


def moved(total: Contribution, county: str) -> Contribution:
    """The same contributions with the demo county's codes replaced by `county`'s."""

    def code(v: Any) -> Any:
        return county + v[6:] if isinstance(v, str) and v.startswith(DEMO) else v

    return {(t, tuple(code(v) for v in key)): dict(c) for (t, key), c in total.items()}


def fill(engine: Engine, per_county: int) -> float:
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        add_counties(session)
        places = [p for p in _places(session) if p[0].startswith(DEMO)]
        days = WorkdayIndex(read_calendar(session))
    rng = random.Random(1)
    total: Contribution = {}
    batch = 50_000
    for start in range(0, per_county, batch):
        rows = [_case(i, rng, *places[rng.randrange(len(places))], 1)
                for i in range(start, min(per_county, start + batch))]  # fmt: skip
        add_into(total, maintain.compute_all(({f: r.get(f) for f in FIELDS} for r in rows), days))
    with engine.begin() as conn:
        for i in range(1, COUNTIES + 1):
            maintain.write_all(conn, moved(total, county_code(i)) if i > 1 else total)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return time.perf_counter() - started


def timed(fn: Callable[[], Any], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(engine: Engine, kind: str, per_county: int, runs: int) -> None:
    seconds = fill(engine, per_county)
    rules = Rules.of()
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(COHORT))
        print(f"[{kind}] {COUNTIES} counties × {per_county} cases' aggregates written in "
              f"{seconds:.1f} s ({rows} rows of stats_cohort)")  # fmt: skip
        city = current_jurisdiction(session, CITY)
        assert city is not None
        year = parse_period("2026")
        d = dashboard(session, city, year, today=TODAY, rules=rules)
        first = d.children[0].counters["registered"]
        assert len(d.children) == COUNTIES and first > 0
        assert all(c.counters["registered"] == first for c in d.children)
        assert d.counters["registered"] == COUNTIES * first
        view = BoardView(city, year, months=24)
        fast = timed(lambda: dashboard(session, city, year, today=TODAY, rules=rules), runs)
        board = timed(lambda: (
            ranking(session, view, dashboard(session, city, year, today=TODAY, rules=rules)),
            trend(session, view),
        ), runs)  # fmt: skip
    print(f"[{kind}] city dashboard (figures, 同比/环比, 12 county rows): {1000 * fast:.1f} ms")
    print(f"[{kind}] everything /stats/board reads (+ ranking bases, 24-month trend): "
          f"{1000 * board:.1f} ms (median of {runs})")  # fmt: skip
    print(f"[{kind}] goal (<100 ms) {'met' if fast < 0.1 else 'NOT met'}")
    with Session(engine) as session:
        county = current_jurisdiction(session, DEMO + "000000")
        assert county is not None
        one = timed(lambda: dashboard(session, county, year, today=TODAY, rules=rules), runs)
        print(f"[{kind}] one county's dashboard, same run: {1000 * one:.1f} ms")
        statements = sql_times(engine, lambda: dashboard(session, city, year, today=TODAY))
    for seconds, n, text in statements[:6]:
        print(f"[{kind}]   {1000 * seconds:6.1f} ms in {n} × {text}")


def sql_times(engine: Engine, fn: Callable[[], Any]) -> list[tuple[float, int, str]]:
    """Where one call's time goes: seconds per statement (first table named), largest first."""
    from sqlalchemy import event

    spent: dict[str, list[float]] = {}
    began: list[float] = []

    def before(*_args: Any) -> None:
        began.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found = re.search(r"FROM\s+(\w+)", statement)
        table = found.group(1) if found else statement[:30]
        spent.setdefault(table, []).append(time.perf_counter() - began.pop())

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(((sum(v), len(v), k) for k, v in spent.items()), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-county", type=int, default=250_000)
    parser.add_argument("--db", default="postgresql")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    for kind in args.db.split(","):
        with ExitStack() as stack:
            engine = stack.enter_context(scratch_engine(kind, stack))
            run(engine, kind, args.per_county, args.runs)


if __name__ == "__main__":
    main()
