"""Two sweeps at once — threads and real `grassroots jobs run` processes — escalate each
overdue case exactly once, on PostgreSQL (advisory lock) and SQLite (BEGIN IMMEDIATE)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import grassroots.cases.deadlines.jobs as sweep_module
from grassroots.cases.deadlines.jobs import sweep_deadlines
from grassroots.cases.models import Case, CaseEvent
from tests.cases.sweep_support import at, seeded, village_case

OVERDUE = 6


def _overdue_cases(engine: Engine) -> list[str]:
    seeded(engine)
    with Session(engine, expire_on_commit=False) as session:
        return [village_case(session, {}, "2026-03-02") for _ in range(OVERDUE)]


def _escalations(engine: Engine) -> dict[str, tuple[int, int]]:
    """case code → (escalation_count, escalate events)."""
    with Session(engine) as session:
        events = dict(
            session.execute(
                select(Case.code, func.count(CaseEvent.id))
                .join(CaseEvent)
                .where(CaseEvent.action == "escalate")
                .group_by(Case.code)
            ).all()
        )
        counts = session.execute(select(Case.code, Case.escalation_count)).all()
    return {code: (n, events.get(code, 0)) for code, n in counts}


def _at_once(engine: Engine, runs: int = 2) -> list[dict[str, Any]]:
    barrier, results = threading.Barrier(runs), []

    def run() -> None:
        barrier.wait()
        results.append(sweep_deadlines(engine, at("2026-04-15")))

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_two_sweeps_at_once_escalate_each_case_once(fresh_engine: Engine):
    codes = _overdue_cases(fresh_engine)
    results = _at_once(fresh_engine)
    assert len(results) == 2
    assert sum(r["escalated"] for r in results) == OVERDUE
    assert _escalations(fresh_engine) == {code: (1, 1) for code in codes}


@contextmanager
def _without_the_lock() -> Iterator[None]:
    """Both sweeps believe they hold the lock: the marks and versions alone must hold."""

    @contextmanager
    def always(engine: Engine) -> Iterator[bool]:
        yield True

    original = sweep_module.sweep_lock
    sweep_module.sweep_lock = always  # type: ignore[assignment]
    try:
        yield
    finally:
        sweep_module.sweep_lock = original


def test_even_without_the_lock_no_case_is_escalated_twice(fresh_engine: Engine):
    codes = _overdue_cases(fresh_engine)
    with _without_the_lock():
        results = _at_once(fresh_engine, runs=3)
    assert sum(r["escalated"] for r in results) == OVERDUE
    assert _escalations(fresh_engine) == {code: (1, 1) for code in codes}


@pytest.mark.slow
def test_two_cli_processes_at_once(fresh_engine: Engine, tmp_path):
    codes = _overdue_cases(fresh_engine)
    env = {
        **os.environ,
        "GRASSROOTS_DATABASE_URL": fresh_engine.url.render_as_string(hide_password=False),
        "GRASSROOTS_DATA_DIR": str(tmp_path),
    }
    cmd = [sys.executable, "-m", "grassroots.cli", "jobs", "run", "--now", "2026-04-15T02:00"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(o.startswith("deadline_sweep: ok") for o in outputs)
    assert _escalations(fresh_engine) == {code: (1, 1) for code in codes}
