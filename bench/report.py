"""Benchmark: the annual county report (docx + xlsx) for 100k cases, against a baseline from
the same run: one GROUP BY recount of the same year's county totals from the cases table.

Usage:  .venv/bin/python bench/report.py [--cases 100000] [--db sqlite,postgresql] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.casegen import insert_cases, machine, scratch_engine
from grassroots.reports.content.charts import cjk_font
from grassroots.reports.render import render
from grassroots.scope import current_jurisdiction
from grassroots.stats import recount
from grassroots.stats.periods import parse_period
from grassroots.stats.scope import Scope

TODAY = date(2026, 11, 1)


def run(engine: Engine, kind: str, n: int, runs: int) -> None:
    seconds = insert_cases(engine, n)
    print(f"[{kind}] {n} cases inserted with aggregates in {seconds:.1f} s")
    year = parse_period("2026")
    with Session(engine) as session:
        county = current_jurisdiction(session, "990101000000")
        assert county is not None
        times, sizes = [], {}
        for _ in range(runs):
            started = time.perf_counter()
            files = render(session, county, year, ["docx", "xlsx"], today=TODAY)
            times.append(time.perf_counter() - started)
            sizes = {k: len(v) for k, v in files.items()}
        started = time.perf_counter()
        recount.counters(session, Scope("county", county.code), year, TODAY)
        baseline = time.perf_counter() - started
    report = statistics.median(times)
    print(
        f"[{kind}] annual county report docx+xlsx: {1000 * report:.0f} ms (median of {runs});"
        f" sizes {sizes}"
    )
    print(
        f"[{kind}] baseline, one recount of the year's county totals from the cases: "
        f"{1000 * baseline:.0f} ms; report/baseline = {report / baseline:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print(f"CJK font for charts: {cjk_font() or 'none (charts left out)'}")
    for kind in args.db.split(","):
        with ExitStack() as stack:
            run(stack.enter_context(scratch_engine(kind, stack)), kind, args.cases, args.runs)


if __name__ == "__main__":
    main()
