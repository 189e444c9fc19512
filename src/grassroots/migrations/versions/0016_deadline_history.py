"""deadline history: every level's resolve deadline, and 按期 over all of them

Revision ID: 0016
Revises: 0019
Create Date: 2026-12-06

case_deadline_record keeps each resolve deadline that escalation, referral or 返工 replaced
(grassroots.cases.deadlines.history); case_file.missed_deadlines counts the missed ones;
stats_due gains on_time_terminated (调解终止 by the deadline) and its on_time no longer
counts a case that missed an earlier deadline (issue 15 item 2). stats_overdue_day and
stats_overdue_month give 超期 as of any past day (item 6), filled from the cases and the
records.

Backfill from the timeline, as exact as the stored facts allow (docs/metrics.md):
- each clock start (accept, escalate, refer_down, reopen) is replayed: the deadline is the
  one the sweep marked for that clock when there is a mark (exact), else the one an
  extend or resume event wrote (exact), else recomputed from the event's date with
  today's deadline policies and calendar (exact unless a policy or the calendar changed
  since; such rows carry exact = false);
- a deadline ended by escalation or referral was missed if that happened after its date;
  one ended by 返工 was missed if the resolution it reopened came after its date.
stats_due is then rebuilt with SQL of its own.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STARTS = ("accept", "escalate", "refer_down", "reopen")
ENDINGS = ("escalate", "refer_down", "reopen")
MOVES = ("extend", "resume")  # their details carry the moved resolve_due


def upgrade() -> None:
    op.create_table(
        "case_deadline_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(16), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("missed", sa.Boolean(), nullable=False),
        sa.Column("exact", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_deadline_record_case_id_case_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_deadline_record")),
    )
    op.create_index(op.f("ix_case_deadline_record_case_id"), "case_deadline_record", ["case_id"])
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(
            sa.Column("missed_deadlines", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("stats_due") as batch:
        batch.add_column(
            sa.Column("on_time_terminated", sa.BigInteger(), nullable=False, server_default="0")
        )
    for name, when in (("stats_overdue_day", "day"), ("stats_overdue_month", "month")):
        _overdue_table(name, when)
    _backfill()
    _rebuild_stats_due()
    _fill_overdue()


def _overdue_table(name: str, when: str) -> None:
    """超期 as of any day: +1 / −1 per overdue spell (grassroots.cases.tallies.overdue)."""
    op.create_table(
        name,
        sa.Column("category_code", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(12), nullable=False),
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column(when, sa.Date(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "category_code", "county_code", when, "township_code", "village_code",
            name=f"pk_{name}",
        ),
    )  # fmt: skip
    op.create_index(f"ix_{name}_township", name, ["category_code", "township_code", when])
    op.create_index(f"ix_{name}_village", name, ["category_code", "village_code", when])


def _fill_overdue() -> None:
    """The spells of the cases and of the records just rebuilt, with the app's rebuild of
    these two tables only (as 0006 fills its tables)."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM case_file LIMIT 1")).first():
        return
    from sqlalchemy.orm import Session

    from grassroots.cases.tallies.maintain import rebuild

    with Session(bind=bind) as session:
        rebuild(session, only=("overdue_day", "overdue_month"))


# --- the backfill from the timeline -----------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _policies(bind: sa.Connection) -> dict[str, dict[tuple[str, bool], Any]]:
    from grassroots.cases.deadlines.policies import Policy

    rows = bind.execute(
        sa.text(
            "SELECT level, category_code, violence_risk, accept_days, resolve_days,"
            " follow_up_days, auto_escalate FROM deadline_policy"
        )
    )
    out: dict[str, dict[tuple[str, bool], Any]] = {}
    for level, cat, risk, a, r, f, auto in rows:
        out.setdefault(level, {})[(cat, bool(risk))] = Policy(a, r, f, bool(auto))
    return out


def _marks(bind: sa.Connection) -> dict[tuple[int, datetime], date]:
    """The sweep's escalation marks: (case, moment) → the deadline it escalated for."""
    rows = bind.execute(
        sa.text(
            "SELECT case_id, at, due FROM deadline_sweep_mark"
            " WHERE kind = 'resolve' AND signal = 'red'"
        ).columns(sa.column("case_id"), sa.column("at", _utc()), sa.column("due", sa.Date()))
    )
    return {(cid, _aware(at)): due for cid, at, due in rows}


def _utc() -> Any:
    from grassroots.db import UTCDateTime  # stored instants as the app writes them

    return UTCDateTime()


def _backfill() -> None:
    from grassroots.calendar.workdays import read_calendar

    bind = op.get_bind()
    cases = bind.execute(
        sa.text(
            "SELECT id, category_code, violence_risk FROM case_file WHERE id IN"
            " (SELECT case_id FROM case_event WHERE action IN"
            " ('escalate', 'refer_down', 'reopen'))"
        )
    ).all()
    if not cases:
        return
    replay = _Replay(read_calendar(bind), _policies(bind), _marks(bind))
    table = sa.table(
        "case_deadline_record",
        *[sa.column(n) for n in ("case_id", "level", "due", "ended_at", "ended_by")],
        *[sa.column(n) for n in ("resolved_at", "missed", "exact")],
    )
    events = sa.text(
        "SELECT action, at, level, details FROM case_event WHERE case_id = :id ORDER BY id"
    ).columns(sa.column("action"), sa.column("at", _utc()), sa.column("level"),
              sa.column("details", sa.JSON()))  # fmt: skip
    for case_id, category, risk in cases:
        rows = replay.records(case_id, category, bool(risk), bind.execute(events, {"id": case_id}))
        if rows:
            bind.execute(table.insert(), rows)
            missed = sum(1 for r in rows if r["missed"])
            bind.execute(
                sa.text("UPDATE case_file SET missed_deadlines = :n WHERE id = :id"),
                {"n": missed, "id": case_id},
            )


class _Replay:
    """Replays one case's timeline into its superseded deadlines."""

    def __init__(self, cal: Any, policies: dict[str, Any], marks: dict[Any, date]) -> None:
        self.cal, self.policies, self.marks = cal, policies, marks

    def _due(self, category: str, level: str, risk: bool, moment: datetime) -> date:
        from grassroots.calendar.today import local_date
        from grassroots.cases.deadlines.policies import policy_from_rows

        found = self.policies.get(level, {})
        days = policy_from_rows(found, category, level, risk).resolve_days
        return self.cal.add_working_days(local_date(moment), days)  # type: ignore[no-any-return]

    def records(self, case_id: int, category: str, risk: bool, events: Any) -> list[dict[str, Any]]:
        from grassroots.calendar.today import local_date

        out: list[dict[str, Any]] = []
        due: date | None = None
        exact, level, resolved_at = True, "", None
        for action, at, to_level, details in events:
            at = _aware(at)
            if action in ENDINGS and due is not None:
                marked = self.marks.get((case_id, at))
                if action == "escalate" and marked is not None:
                    due, exact = marked, True
                ended = resolved_at if action == "reopen" and resolved_at else at
                out.append({
                    "case_id": case_id, "level": level, "due": due, "ended_at": at,
                    "ended_by": action, "exact": exact, "missed": local_date(ended) > due,
                    "resolved_at": resolved_at if action == "reopen" else None,
                })  # fmt: skip
            if action in STARTS:
                due, exact, level = self._due(category, to_level, risk, at), False, to_level
                resolved_at = None
            elif action in MOVES and isinstance(details, dict) and details.get("resolve_due"):
                due, exact = date.fromisoformat(str(details["resolve_due"])), True
            elif action == "resolve":
                resolved_at = at
        return out


# --- stats_due, from the cases ------------------------------------------------------------


def _local(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(timezone('Asia/Shanghai', {column}) AS date)"
    return f"date({column}, '+8 hours')"


def _rebuild_stats_due(with_history: bool = True) -> None:
    """stats_due from the cases: on time over every deadline (upgrade), or as before this
    revision, the running deadline only (downgrade)."""
    dialect = op.get_bind().dialect.name
    month = (
        "CAST(date_trunc('month', resolve_due) AS date)"
        if dialect == "postgresql"
        else "date(resolve_due, 'start of month')"
    )
    none_missed = " AND missed_deadlines = 0" if with_history else ""
    on_time = (
        f"outcome = 'resolved' AND resolved_at IS NOT NULL{none_missed}"
        f" AND {_local(dialect, 'resolved_at')} <= resolve_due"
    )
    terminated = (
        f"outcome = 'terminated' AND closed_at IS NOT NULL{none_missed}"
        f" AND {_local(dialect, 'closed_at')} <= resolve_due"
    )
    places = "county_code, COALESCE(township_code, ''), COALESCE(village_code, '')"
    counters = ["due", "on_time"] + (["on_time_terminated"] if with_history else [])
    sums = ["COUNT(*)", f"SUM(CASE WHEN {on_time} THEN 1 ELSE 0 END)"]
    if with_history:
        sums.append(f"SUM(CASE WHEN {terminated} THEN 1 ELSE 0 END)")
    op.execute("DELETE FROM stats_due")
    for category, group in (("category_code", "category_code, "), ("'*'", "")):
        # Built from this file's constants only.
        op.execute(
            "INSERT INTO stats_due (category_code, county_code, township_code,"  # noqa: S608
            f" village_code, month, {', '.join(counters)}) SELECT {category}, {places},"
            f" {month}, {', '.join(sums)} FROM case_file WHERE resolve_due IS NOT NULL"
            f" GROUP BY {group}{places}, {month}"
        )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (PostgreSQL; SQLite ≥ 3.35): rebuilding case_file in
    # batch mode would drop a table that others reference.
    op.execute("ALTER TABLE stats_due DROP COLUMN on_time_terminated")
    op.execute("ALTER TABLE case_file DROP COLUMN missed_deadlines")
    for name in ("stats_overdue_month", "stats_overdue_day"):
        op.drop_table(name)
    op.drop_index(op.f("ix_case_deadline_record_case_id"), "case_deadline_record")
    op.drop_table("case_deadline_record")
    _rebuild_stats_due(with_history=False)
