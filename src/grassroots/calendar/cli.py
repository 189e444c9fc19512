"""`grassroots calendar ...`: enter a year's schedule or correct one day from the command
line, with a preview (--dry-run) of the open cases' deadlines that would move.

The same actions as the administrators' pages and PUT /api/v1/calendar/...: the registered
hooks (the deadline recompute, which grassroots.cli.main imports) move the deadlines in the same
transaction, with their audit rows and timeline entries. `--by` names the administrator the
audit log records; they must hold config.write.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from grassroots.accounts.models import User
from grassroots.accounts.permissions import granted
from grassroots.calendar import actions
from grassroots.calendar.queries import schedule_preview
from grassroots.calendar.schedule.hooks import Change
from grassroots.calendar.schemas import DayIn, YearScheduleIn
from grassroots.clikit import cli_session, fail

app = typer.Typer(help="节假日安排 / the working-day calendar.", no_args_is_help=True)
BY_HELP = "The administrator recorded in the audit log (needs config.write)."
DRY_HELP = "Only list the deadlines that would move; write nothing."


def _administrator(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or "config.write" not in granted(user.role):
        raise fail(f"{username}: 无此管理员或无配置权限 / no such administrator with config.write")
    return user


def _print_preview(session: Session, change: Change, viewer: User) -> None:
    preview = schedule_preview(session, change, viewer)
    for m in preview.moves:
        typer.echo(f"{m.case_code}\t{m.deadline}\t{m.old} → {m.new}")
    typer.echo(f"将变动的在办案件时限 / deadlines that would move: {preview.moved}"
               f"（其中不可见 / outside your scope: {preview.hidden}）")  # fmt: skip


def _schedule(file: Path) -> YearScheduleIn:
    try:
        return YearScheduleIn.model_validate(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as error:
        raise fail(f"{file}: {error}") from None


@app.command("set-year")
def set_year(
    year: int = typer.Argument(..., help="The year, e.g. 2027."),
    file: Path = typer.Argument(..., help='JSON: {"notice": "国办发明电…", "days": [...]}'),
    by: str = typer.Option(..., "--by", help=BY_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_HELP),
) -> None:
    """Enter (or replace) a year's official schedule; open cases' deadlines follow it.

    The file is the body of PUT /api/v1/calendar/years/{year}: every holiday
    (is_working false) and every make-up working day (is_working true).

    Examples:
      grassroots calendar set-year 2027 schedule-2027.json --by sysadmin --dry-run
      grassroots calendar set-year 2027 schedule-2027.json --by sysadmin
    """
    body = _schedule(file)
    with cli_session(check_schema=True) as session:
        actor = _administrator(session, by)
        if dry_run:
            _print_preview(session, actions.schedule_change(session, year, body.days), actor)
            return
        actions.do_set_year_schedule(session, year, body.notice, body.days, actor=actor)
        typer.echo(f"已保存 / saved: {year} ({len(body.days)} days)")


@app.command("set-day")
def set_day(
    day: str = typer.Argument(..., help="The day, e.g. 2027-10-08."),
    working: bool = typer.Option(..., "--working/--off", help="A working day, or a day off."),
    name: str = typer.Option("", "--name", help="e.g. 国庆节 or 国庆节调休上班."),
    by: str = typer.Option(..., "--by", help=BY_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_HELP),
) -> None:
    """Declare or correct one day; open cases' deadlines follow it.

    Examples:
      grassroots calendar set-day 2027-10-08 --off --name 国庆节 --by sysadmin --dry-run
      grassroots calendar set-day 2027-09-26 --working --name 国庆节调休上班 --by sysadmin
    """
    try:
        entry = DayIn(day=date.fromisoformat(day), is_working=working, name=name)
    except (ValueError, ValidationError) as error:
        raise fail(f"{day}: {error}") from None
    with cli_session(check_schema=True) as session:
        actor = _administrator(session, by)
        if dry_run:
            change = actions.day_change(session, entry.day, (entry.is_working, entry.name))
            _print_preview(session, change, actor)
            return
        actions.do_set_calendar_day(session, entry, actor=actor)
        typer.echo(f"已保存 / saved: {entry.day} ({'上班' if working else '休息'})")
