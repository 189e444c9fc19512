"""`grassroots calendar set-day / set-year` from the command line move open cases' deadlines
as the web app does (the recompute is registered by the CLI itself), with a dry run first."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEntry
from grassroots.calendar.workdays import load_calendar
from grassroots.cases import schemas as s
from grassroots.cases.actions import do_accept, do_assign, do_register
from grassroots.cases.models import Case, CaseEvent
from grassroots.demo.build import build_demo_geography
from tests.cases.conftest import grid_in
from tests.support.cli import CliResult, run_cli

HOLIDAY = date(2026, 9, 24)  # a Thursday the package counts as a working day


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _cli(engine: Engine, *args: str) -> CliResult:
    env = {"GRASSROOTS_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    return run_cli(["calendar", *args], env)


def _open_case(engine: Engine) -> tuple[str, date]:
    """A case in progress from 09-22 whose resolve clock runs across HOLIDAY."""
    with Session(engine, expire_on_commit=False) as session:
        build_demo_geography(session)
        users = {u.username: u for u in session.scalars(select(User))}
        grid = grid_in(session, users["wang"])
        data = s.NewCase(category_code="neighbour", source_code="visit", title="时限",
                         description="命令行调整", grid_code=grid)  # fmt: skip
        case = do_register(session, data, actor=users["wang"], now=at(date(2026, 9, 21)))
        do_accept(session, case.code, actor=users["zhao"], now=at(date(2026, 9, 22)))
        unit = s.Assign(unit_code=f"{case.village_code}-mediation")
        case = do_assign(session, case.code, unit, actor=users["zhao"], now=at(date(2026, 9, 22)))
        assert case.resolve_due is not None and case.resolve_due > HOLIDAY
        return case.code, case.resolve_due


def _case(engine: Engine, code: str) -> tuple[Case, list[str], list[AuditEntry]]:
    with Session(engine, expire_on_commit=False) as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        events = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id))
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.deadline.recompute")
        )
        return case, list(events), list(audits)


def test_set_day_previews_then_moves_the_deadline(fresh_engine: Engine) -> None:
    code, due = _open_case(fresh_engine)
    day = ["set-day", HOLIDAY.isoformat(), "--off", "--name", "临时放假", "--by", "admin"]
    preview = _cli(fresh_engine, *day, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "deadlines that would move: 1" in preview.stdout
    assert _case(fresh_engine, code)[0].resolve_due == due  # the dry run wrote nothing

    applied = _cli(fresh_engine, *day)
    assert applied.returncode == 0, applied.stderr
    case, events, audits = _case(fresh_engine, code)
    with Session(fresh_engine) as session:
        assert case.resolve_due == load_calendar(session).add_working_days(due, 1)
    assert case.clock_due_on == case.resolve_due
    assert events[-1] == "recompute"  # the move is on the case's timeline
    [audit] = audits
    assert audit.details["old"] == due.isoformat()


def test_set_year_from_a_file_and_who_may(fresh_engine: Engine, tmp_path: Path) -> None:
    code, due = _open_case(fresh_engine)
    file = tmp_path / "2026.json"
    days = [{"day": HOLIDAY.isoformat(), "is_working": False, "name": "临时放假"}]
    file.write_text(json.dumps({"notice": "测试通知", "days": days}), encoding="utf-8")
    refused = _cli(fresh_engine, "set-year", "2026", str(file), "--by", "zhao")
    assert refused.returncode == 1 and "config.write" in refused.stderr
    assert _case(fresh_engine, code)[0].resolve_due == due
    bad = tmp_path / "bad.json"
    bad.write_text('{"notice": "", "days": []}', encoding="utf-8")
    assert _cli(fresh_engine, "set-year", "2026", str(bad), "--by", "admin").returncode == 1

    done = _cli(fresh_engine, "set-year", "2026", str(file), "--by", "admin")
    assert done.returncode == 0, done.stderr
    case, _, [audit] = _case(fresh_engine, code)
    assert case.resolve_due is not None and case.resolve_due > due
    assert audit.details["year"] == 2026
