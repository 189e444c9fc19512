"""Benchmark: the county dashboard (all metrics, this year, 同比/环比 bases, by township) from
the maintained aggregates vs the same figures by GROUP BY over 1M cases — same run, ratio.

Goal: aggregates ≥ 10× faster than the scan and under 50 ms. Both answers are compared and
must be equal (the benchmark refuses to report figures that disagree).

Usage:  .venv/bin/python bench/stats.py [--cases 1000000] [--db sqlite,postgresql] [--runs 5]
"""

from __future__ import annotations

import argparse
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

from bench.casegen import insert_cases, machine, scratch_engine
from grassroots.cases.models import Case
from grassroots.stats import aggregates, recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope

COUNTY = Scope("county", "990101000000")
TODAY = date(2026, 11, 1)


def dashboard(source: Any, session: Session) -> dict[str, Any]:
    """Everything the county dashboard shows: this year, last year, the year before that
    (环比 base of a year is the previous year), and this year by township."""
    year = parse_period("2026")
    return {
        "total": source.counters(session, COUNTY, year, TODAY),
        "previous": source.counters(session, COUNTY, year.previous(), TODAY, with_overdue=False),
        "year_ago": source.counters(session, COUNTY, year.year_ago(), TODAY, with_overdue=False),
        "by_township": source.counters(session, COUNTY, year, TODAY, by_child=True),
    }


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    fn()  # warm the caches once
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def nonzero(d: dict[str, Any]) -> Any:
    if isinstance(d, dict):
        out = {k: nonzero(v) for k, v in d.items()}
        return {k: v for k, v in out.items() if v not in (0, {}, None)}
    return d


def run(engine: Engine, kind: str, n: int, runs: int) -> None:
    seconds = insert_cases(engine, n)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Case))
        print(f"[{kind}] {count} cases inserted with aggregates in {seconds:.1f} s")
        fast, a = timed(lambda: dashboard(aggregates, session), runs)
        slow, r = timed(lambda: dashboard(recount, session), max(1, runs // 2))
    assert nonzero(a) == nonzero(r), "aggregates disagree with the recount"
    print(f"[{kind}] dashboard from aggregates: {1000 * fast:.1f} ms (median of {runs})")
    print(f"[{kind}] same figures by GROUP BY over the cases: {1000 * slow:.1f} ms")
    verdict = "met" if slow / fast >= 10 and fast < 0.05 else "NOT met"
    print(f"[{kind}] ratio {slow / fast:.1f}x faster; goal (>=10x and <50 ms) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    for kind in args.db.split(","):
        with ExitStack() as stack:
            engine = stack.enter_context(scratch_engine(kind, stack))
            if kind == "postgresql":
                with engine.connect() as conn:
                    print(f"[{kind}] server {conn.exec_driver_sql('show server_version').scalar()}")
            run(engine, kind, args.cases, args.runs)


if __name__ == "__main__":
    main()
