"""`grassroots jobs ...`: run or list the scheduled jobs (grassroots.jobs.registry.JOBS)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from grassroots.config import get_settings
from grassroots.db import check_schema_current, engine_for

app = typer.Typer(help="定时任务 / scheduled jobs (deadline sweep, scheduled reports).")


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@app.command("run")
def run(
    only: list[str] = typer.Option(None, "--only", help="Run only this job (repeatable)."),
    now: str | None = typer.Option(
        None, "--now", help="Pretend it is this moment (ISO 8601, UTC if no zone); for drills."
    ),
) -> None:
    """Run every job once, in order (idempotent: safe to repeat or run from two hosts).

    Examples:
      grassroots jobs run
      grassroots jobs run --only deadline_sweep
    """
    from grassroots.jobs.registry import job_named, run_jobs

    engine = engine_for(busy_timeout_ms=get_settings().sqlite_job_busy_timeout_ms)
    check_schema_current(engine)
    for name in only or []:
        try:
            job_named(name)
        except KeyError as exc:
            typer.echo(f"未知任务 / unknown job: {name}", err=True)
            raise typer.Exit(2) from exc
    outcomes = run_jobs(engine, _parse_now(now), only or None)
    for o in outcomes:
        status = "ok" if o.ok else f"失败 / failed: {o.error}"
        typer.echo(f"{o.name}: {status} {json.dumps(dict(o.summary), ensure_ascii=False)}")
    if not all(o.ok for o in outcomes):
        raise typer.Exit(1)


@app.command("list")
def list_jobs() -> None:
    """List the registered jobs in the order they run.

    Example:
      grassroots jobs list
    """
    from grassroots.jobs.registry import JOBS

    for job in JOBS:
        typer.echo(f"{job.name}\t{job.description}")
