"""The big screen's cost per connection (docs/screens.md): the change stamp every stream
reads each tick, and the whole picture (counters, new cases, alerts) read when it moved,
for a county screen over N synthetic cases (bench/casegen.py), on SQLite and PostgreSQL.

    .venv/bin/python bench/screen.py --cases 300000 --db postgresql
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.casegen import insert_cases, machine, scratch_engine
from grassroots.screens.actions import do_issue_code
from grassroots.screens.figures import snapshot, stamp


def timed(fn: Callable[[], Any], runs: int) -> float:
    """Median milliseconds of `runs` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(engine: Any, kind: str, n: int, runs: int) -> None:
    seconds = insert_cases(engine, n)
    print(f"[{kind}] {n} cases inserted in {seconds:.1f} s")
    if kind == "postgresql":  # what autovacuum does soon after a bulk load
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with Session(engine, expire_on_commit=False) as session:
        screen, _ = do_issue_code(session, "bench", "990101000000", "standard", 10)
        tick = timed(lambda: stamp(session, screen.id), runs * 10)
        picture = timed(lambda: snapshot(session, screen, 6, "zh_CN"), runs)
        counters = snapshot(session, screen, 6, "zh_CN")["counters"]
    print(f"[{kind}] stamp (every tick): {tick:.2f} ms; snapshot (on change): {picture:.1f} ms")
    print(f"[{kind}] counters: {counters}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    for kind in args.db.split(","):
        with ExitStack() as stack:
            engine = stack.enter_context(scratch_engine(kind, stack))
            run(engine, kind, args.cases, args.runs)


if __name__ == "__main__":
    main()
