"""Every level's resolve deadline kept as history (issue 15 item 2).

Escalation (上报), referral (交办下派) and 返工 start a new resolve clock, and `resolve_due`
then holds only the new deadline: by itself it would count a case that was overdue at the
village, escalated and resolved in time at the county as 按期. Before such a clock starts,
`supersede_resolve_deadline` keeps the deadline it replaces as a DeadlineRecord — the level,
the due date, when and by what it ended, met or missed — and counts a missed one on the
case (`missed_deadlines`), in the transaction of the transition. The statistics then count
a case on time only if it met its running deadline and missed none before it
(grassroots.cases.tallies.contribution.on_time; the recount reads these rows).

Missed: the clock ended (escalated or referred) after its due date, or — for 返工 — the
resolution it reopens came after the due date. Dates are China dates (UTC+8), as for
the running deadline: on the due date itself is in time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from grassroots.calendar.today import local_date
from grassroots.cases.models import Case, DeadlineRecord
from grassroots.cases.tallies.maintain import count_record

RECORD_TABLE = cast(Table, DeadlineRecord.__table__)
_INSERT = insert(RECORD_TABLE)
ENDINGS = ("escalate", "refer_down", "reopen")


def is_missed(due: date, ended: datetime) -> bool:
    return local_date(ended) > due


def supersede_resolve_deadline(
    session: Session, case: Case, moment: datetime, ended_by: str
) -> bool:
    """Keep the case's current resolve deadline as a record before a new clock replaces it
    (a Core INSERT, like the timeline row). Returns whether that deadline was missed. A case
    without a resolve deadline (never accepted) has nothing to keep."""
    due = case.resolve_due
    if due is None:
        return False
    resolved_at = case.resolved_at if ended_by == "reopen" else None
    missed = is_missed(due, resolved_at or moment)
    row = {
        "case_id": case.id, "level": case.level, "due": due, "ended_at": moment,
        "ended_by": ended_by, "resolved_at": resolved_at, "missed": missed, "exact": True,
    }  # fmt: skip
    connection = session.connection()
    connection.execute(_INSERT, row)
    count_record(connection, case, row)  # its overdue days (超期 as of a past day)
    case.missed_deadlines = (case.missed_deadlines or 0) + int(missed)
    return missed
