"""Shared by bench/stats.py and bench/report.py: a scratch database with the demo county and
N synthetic cases inserted in bulk (executemany on SQLite, COPY on PostgreSQL), with the
aggregate tables built from the same rows by the same contribution code the flush listener
uses (grassroots.cases.tallies.maintain.compute_all / write_all). Scratch data lives in a temporary
folder or a temporary PostgreSQL database and is never committed."""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grassroots.accounts.models import User  # noqa: E402
from grassroots.calendar.workday_index import WorkdayIndex  # noqa: E402
from grassroots.calendar.workdays import read_calendar  # noqa: E402
from grassroots.cases.models import Case  # noqa: E402
from grassroots.cases.tallies import maintain  # noqa: E402
from grassroots.cases.tallies.contribution import FIELDS, Contribution, add_into  # noqa: E402
from grassroots.db import make_engine, upgrade_schema  # noqa: E402
from grassroots.demo.build import build_demo_geography  # noqa: E402
from grassroots.geo.models import Jurisdiction  # noqa: E402

FIRST = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2026, 11, 1, tzinfo=UTC) - FIRST).total_seconds())
CATEGORIES = ["marriage_family", "neighbour", "housing_land", "contract", "production",
              "damages", "forest_land", "land_requisition", "environment", "labour",
              "consumer", "medical", "traffic", "property_mgmt", "other"]  # fmt: skip
RECENT = datetime(2026, 9, 1, tzinfo=UTC)  # older cases are no longer open (but city ones)
_LONG_SATISFACTION = True  # set False for PostgreSQL by insert_cases
LEVELS = ["village"] * 60 + ["township"] * 25 + ["county"] * 12 + ["city"] * 3


def machine() -> str:
    pg = ""
    return (
        f"machine: {platform.platform()}, {os.cpu_count()} cpus, python {platform.python_version()}"
        f", sqlalchemy {sqlalchemy.__version__}, sqlite {__import__('sqlite3').sqlite_version}{pg}"
    )


@contextmanager
def scratch_engine(kind: str, stack: ExitStack) -> Iterator[Engine]:
    import tempfile

    if kind == "sqlite":
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gr-bench-")))
        engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    else:
        from tests.support.postgres import postgres_server, temporary_database

        admin = stack.enter_context(postgres_server())
        engine = make_engine(stack.enter_context(temporary_database(admin, "bench")))
    try:
        upgrade_schema(engine)
        with Session(engine, expire_on_commit=False) as session:
            build_demo_geography(session)
        yield engine
    finally:
        engine.dispose()


def _places(session: Session) -> list[tuple[str, int]]:
    grids = session.execute(
        select(Jurisdiction.code, Jurisdiction.parent_id).where(
            Jurisdiction.level == "grid", Jurisdiction.valid_to.is_(None)
        )
    ).all()
    return [(code, parent) for code, parent in grids]


def _case(i: int, rng: random.Random, grid: str, holder: int, user: int) -> dict[str, Any]:
    reg = FIRST + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    row: dict[str, Any] = {
        "code": f"990101-{reg.year}-{i:07d}",
        "kind": "dispute",
        "category_code": rng.choice(CATEGORIES),
        "source_code": "visit",
        "title": "纠纷",
        "description": "批量生成",
        "address": "",
        "county_code": grid[:6] + "000000",
        "township_code": grid[:9] + "000",
        "village_code": grid[:12],
        "grid_code": grid,
        "state": "registered",
        "level": "village",
        "holder_jurisdiction_id": holder,
        "registered_by_id": user,
        "people_involved": 2,
        "violence_risk": rng.random() < 0.08,
        "risk_level": "low",
        "registered_at": reg,
        "outcome_note": "",
        "escalation_count": 0,
        "reopen_count": 0,
        "missed_deadlines": 0,
        "spam": False,
        "version": 1,
        "updated_at": reg,
    }
    _fate(row, rng, reg)
    return row


def _fate(row: dict[str, Any], rng: random.Random, reg: datetime) -> None:
    roll = rng.random()
    if roll < 0.05:
        row.update(state="rejected", outcome="rejected")
        return
    if roll < 0.08:
        return
    accepted = reg + timedelta(hours=rng.randint(1, 48))
    level = rng.choice(LEVELS)
    row.update(
        accepted_at=accepted,
        state="in_progress",
        level=level,
        resolve_due=(accepted + timedelta(days=rng.randint(20, 40))).date(),
    )
    recent = reg > RECENT
    if level == "city" or (recent and roll > 0.80):
        return  # escalated beyond the county, or (registered lately) still being handled
    if roll > 0.88:
        row.update(state="terminated", outcome="terminated")
        return
    resolved = accepted + timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 12))
    row.update(state="resolved", outcome="resolved", resolved_level=level, resolved_at=resolved)
    if rng.random() < 0.75:
        # basically_satisfied does not fit core's String(16) column on PostgreSQL (reported):
        # there it is generated as satisfied (the statistics count both as satisfied).
        sat = rng.choice(["satisfied", "satisfied", "basically_satisfied", "unsatisfied"])
        if sat == "basically_satisfied" and not _LONG_SATISFACTION:
            sat = "satisfied"
        row.update(state="closed", satisfaction=sat, closed_at=resolved + timedelta(days=3))


def scalar_defaults(table: Any) -> dict[str, Any]:
    """Each column's scalar default (as a plain INSERT writes it), for columns a row leaves out:
    a new NOT NULL column with a default (e.g. case_file.spam) needs no edit here."""
    return {
        c.key: c.default.arg
        for c in table.c
        if c.default is not None and not callable(c.default.arg) and c.default.is_scalar
    }


def _full_rows(rows: list[dict[str, Any]], columns: list[str]) -> list[tuple[Any, ...]]:
    defaults = scalar_defaults(Case.__table__)
    return [tuple(r.get(c, defaults.get(c)) for c in columns) for r in rows]


def insert_cases(engine: Engine, n: int, seed: int = 1) -> float:
    """Insert n cases and their aggregates; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with Session(engine) as session:
        places = _places(session)
        user = session.scalars(select(User.id).where(User.username == "qian")).one()
        days = WorkdayIndex(read_calendar(session))
    table = Case.__table__
    columns = [c.name for c in table.columns if c.name != "id"]
    global _LONG_SATISFACTION
    _LONG_SATISFACTION = engine.dialect.name != "postgresql"
    total: Contribution = {}
    batch = 50_000
    with engine.begin() as conn:
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                grid, holder = places[rng.randrange(len(places))]
                rows.append(_case(i, rng, grid, holder, user))
            _write(conn, table, columns, rows)
            add_into(
                total, maintain.compute_all(({f: r.get(f) for f in FIELDS} for r in rows), days)
            )
        maintain.write_all(conn, total)
    with engine.connect() as conn:  # planner statistics, as autovacuum / a DBA would have
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return time.perf_counter() - started


def _write(conn: Any, table: Any, columns: list[str], rows: list[dict[str, Any]]) -> None:
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        with (
            raw.cursor() as cur,
            cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for values in _full_rows(rows, columns):
                copy.write_row(values)
        return
    defaults = scalar_defaults(table)
    conn.execute(table.insert(), [{c: r.get(c, defaults.get(c)) for c in columns} for r in rows])
