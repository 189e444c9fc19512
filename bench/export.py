"""Benchmark: the case list export (CSV streamed, .xlsx write-only) of the whole demo history
(5,200 cases, the county leader chen sees all) through the real HTTP app, against the same
cases paged through the JSON list (GET /api/v1/cases, 200 a page) — same run, ratio.

Every export is checked: as many data rows as the list returns, and one audit row each.

Usage:  .venv/bin/python bench/export.py [--db sqlite,postgresql] [--runs 3] [--cases 5200]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_DATA = Path(tempfile.mkdtemp(prefix="gr-bench-export-"))
os.environ["GRASSROOTS_DATA_DIR"] = str(_DATA)  # before anything reads the settings

from fastapi.testclient import TestClient  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import Engine, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.casegen import machine, scratch_engine  # noqa: E402
from grassroots.app import create_app  # noqa: E402
from grassroots.audit.models import AuditEntry  # noqa: E402
from grassroots.config import Settings  # noqa: E402
from grassroots.crypto import new_key_file  # noqa: E402
from grassroots.demo.build import DEFAULT_SEED, county_of  # noqa: E402
from grassroots.demo.county import build_tree  # noqa: E402
from grassroots.demo.history.cases import build_history  # noqa: E402
from grassroots.demo.staff import DEMO_PASSWORDS  # noqa: E402


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def list_all(client: TestClient) -> int:
    count, cursor = 0, ""
    while True:
        page = client.get(f"/api/v1/cases?limit=200{cursor}").json()
        count += len(page["items"])
        if not page["next_cursor"]:
            return count
        cursor = f"&cursor={page['next_cursor']}"


def csv_rows(client: TestClient) -> int:
    r = client.get("/cases/export.csv")
    assert r.status_code == 200, r.text
    return len(list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))) - 1


def xlsx_rows(client: TestClient) -> int:
    r = client.get("/cases/export.xlsx")
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0]
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1


def xlsx_fetch(client: TestClient) -> int:
    return len(client.get("/cases/export.xlsx").content)


def exports_audited(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).where(AuditEntry.action == "case.export")) or 0


def report(name: str, times: list[float], base: float) -> None:
    med = statistics.median(times)
    spread = ", ".join(f"{t:.2f}" for t in times)
    print(f"  {name:<28} median {med:6.2f} s  ({spread})  ratio to list {med / base:5.2f}")


def run(kind: str, cases: int, runs: int) -> None:
    with ExitStack() as stack:
        engine = stack.enter_context(scratch_engine(kind, stack))
        started = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            build_history(session, county_of(build_tree(DEFAULT_SEED)), DEFAULT_SEED, cases=cases)
        built = time.perf_counter() - started
        print(f"{kind}: demo history of {cases} cases built in {built:.0f} s")
        url = engine.url.render_as_string(hide_password=False)
        app = create_app(Settings(data_dir=_DATA, database_url=url), engine=engine)
        with TestClient(app) as client:
            login = {"username": "chen", "password": DEMO_PASSWORDS["chen"]}
            assert client.post("/api/v1/auth/login", json=login).status_code == 200
            list_times, listed = timed(lambda: list_all(client), runs)
            csv_times, csv_count = timed(lambda: csv_rows(client), runs)
            xlsx_times, _ = timed(lambda: xlsx_fetch(client), runs)
            xlsx_count = xlsx_rows(client)
        assert listed == csv_count == xlsx_count, (listed, csv_count, xlsx_count)
        audited = 2 * runs + 1
        assert exports_audited(engine) == audited
        print(f"  {listed} cases in the list, the CSV and the .xlsx; {audited} exports audited")
        base = statistics.median(list_times)
        report("list API, 200 a page", list_times, base)
        report("export.csv (streamed)", csv_times, base)
        report("export.xlsx (write-only)", xlsx_times, base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=5200)
    args = parser.parse_args()
    new_key_file(_DATA / "keys" / "grassroots.key")
    print(machine())
    for kind in args.db.split(","):
        run(kind, args.cases, args.runs)


if __name__ == "__main__":
    main()
