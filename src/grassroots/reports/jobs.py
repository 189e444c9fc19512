"""Scheduled reports: after each month (and quarter) ends, the county's and every township's
report for it, kept for download. Idempotent: a report already kept is not made again, so
running twice (or from two processes, modulo a race that yields a duplicate) is safe."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.config import get_settings
from grassroots.db import make_session_factory, writer_engine
from grassroots.errors import Problem
from grassroots.geo.models import Jurisdiction
from grassroots.reports.actions import do_generate_report, reports_dir
from grassroots.reports.queries import existing_report
from grassroots.stats.periods import Period, add_months
from grassroots.stats.queries import children_of

log = logging.getLogger(__name__)
SCHEDULED_FORMATS = ["docx", "xlsx"]


def due_periods(now: datetime) -> list[Period]:
    """The month just ended and, when it closed a quarter, that quarter."""
    last = add_months(local_date(now).replace(day=1), -1)
    periods = [Period("month", last, 1)]
    if last.month % 3 == 0:
        periods.append(Period("quarter", add_months(last, -2), 3))
    return periods


def _targets(session: Session) -> list[Jurisdiction]:
    counties = session.scalars(
        select(Jurisdiction).where(Jurisdiction.level == "county", Jurisdiction.valid_to.is_(None))
    ).all()
    out: list[Jurisdiction] = []
    for county in counties:
        out.extend([county, *children_of(session, county)])
    return out


def run_scheduled_reports(session: Session, now: datetime, folder: Path) -> int:
    """Generate the reports that are due and not kept yet; returns how many were made."""
    made = 0
    for period in due_periods(now):
        for j in _targets(session):
            missing = [
                f
                for f in SCHEDULED_FORMATS
                if existing_report(session, j.code, period.label, f, True) is None
            ]
            if not missing:
                continue
            try:
                do_generate_report(
                    session,
                    j,
                    period,
                    missing,
                    actor=None,
                    folder=folder,
                    scheduled=True,
                    today=local_date(now),
                )
                made += 1
            except Problem as exc:
                log.error("scheduled report %s %s failed: %s", j.code, period.label, exc.message)
    return made


def scheduled_reports_job(engine: Engine, now: datetime) -> dict[str, Any]:
    """The job runner's entry (grassroots.jobs.registry.JOBS): files go to <data_dir>/reports/."""
    folder = reports_dir(get_settings())
    with make_session_factory(writer_engine(engine))() as session:
        made = run_scheduled_reports(session, now, folder)
    return {"reports_made": made, "periods": [p.label for p in due_periods(now)]}
