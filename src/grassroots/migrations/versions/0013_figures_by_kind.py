"""figures by kind and source

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-06

stats_figures (grassroots.cases.tallies.figures): per registration month × village × kind ×
source, the counters the report splits disputes from requests with, and 在办, 调解终止 (in
time), 不予受理, 回访 by outcome, the amount involved and 群体性纠纷. Terminate and reject now
set closed_at; older terminated and rejected cases get it from their timeline. The table is
filled here with SQL of its own (not the app's rebuild, which later revisions may change).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (
    "registered",
    "accepted",
    "resolved",
    "terminated",
    "terminated_in_time",
    "rejected",
    "pending",
    "followed_up_resolved",
    "satisfied_resolved",
    "followed_up_terminated",
    "satisfied_terminated",
    "followed_up_rejected",
    "satisfied_rejected",
    "amount_fen",
    "mass",
)
KEY = ("county_code", "month", "township_code", "village_code", "kind", "source_code")


def upgrade() -> None:
    op.create_table(
        "stats_figures",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("county_code", sa.String(12), nullable=False),
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_code", sa.String(32), nullable=False),
        *[sa.Column(n, sa.BigInteger(), nullable=False) for n in COUNTERS],
        sa.PrimaryKeyConstraint(*KEY, name="pk_stats_figures"),
    )
    op.create_index("ix_stats_figures_township", "stats_figures", ["township_code", "month"])
    op.create_index("ix_stats_figures_village", "stats_figures", ["village_code", "month"])
    _closed_at_of_endings()
    _fill()


def _closed_at_of_endings() -> None:
    """Terminated and rejected cases ended when their terminate / reject event was written."""
    op.execute(
        "UPDATE case_file SET closed_at = (SELECT max(e.at) FROM case_event e"
        " WHERE e.case_id = case_file.id AND e.action IN ('terminate', 'reject'))"
        " WHERE closed_at IS NULL AND state IN ('terminated', 'rejected')"
    )


def _local(dialect: str, column: str, month: bool = False) -> str:
    """The China (UTC+8) date, or first day of the month, of a stored UTC instant."""
    if dialect == "postgresql":
        local = f"timezone('Asia/Shanghai', {column})"
        return f"CAST(date_trunc('month', {local}) AS date)" if month else f"CAST({local} AS date)"
    return (
        f"date({column}, '+8 hours', 'start of month')" if month else f"date({column}, '+8 hours')"
    )


def _n(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _fill() -> None:
    from grassroots.config import get_settings  # the 群体性纠纷 threshold of this deployment

    dialect = op.get_bind().dialect.name
    month = _local(dialect, "registered_at", month=True)
    in_time = (
        "outcome = 'terminated' AND closed_at IS NOT NULL AND resolve_due IS NOT NULL"
        f" AND {_local(dialect, 'closed_at')} <= resolve_due"
    )
    satisfied = "satisfaction IN ('satisfied', 'basically_satisfied')"
    sums = {
        "registered": "COUNT(*)",
        "accepted": _n("accepted_at IS NOT NULL"),
        "terminated_in_time": _n(in_time),
        "pending": _n("state IN ('registered', 'accepted', 'in_progress', 'suspended')"),
        "amount_fen": "SUM(CASE WHEN outcome = 'resolved' AND amount_involved IS NOT NULL"
        " THEN CAST(ROUND(amount_involved * 100) AS BIGINT) ELSE 0 END)",
        "mass": _n(f"people_involved >= {int(get_settings().mass_dispute_min_people)}"),
    }
    for o in ("resolved", "terminated", "rejected"):
        sums[o] = _n(f"outcome = '{o}'")
        sums[f"followed_up_{o}"] = _n(f"outcome = '{o}' AND satisfaction IS NOT NULL")
        sums[f"satisfied_{o}"] = _n(f"outcome = '{o}' AND {satisfied}")
    places = "county_code, COALESCE(township_code, ''), COALESCE(village_code, '')"
    # Built from this file's constants and an int setting only.
    sql = (
        f"INSERT INTO stats_figures ({', '.join(KEY)}, {', '.join(sums)})"  # noqa: S608
        f" SELECT county_code, {month}, COALESCE(township_code, ''),"
        f" COALESCE(village_code, ''), kind, source_code, {', '.join(sums.values())}"
        f" FROM case_file GROUP BY {places}, {month}, kind, source_code"
    )
    op.execute(sql)


def downgrade() -> None:
    # closed_at of terminated and rejected cases stays: it is true, and older code ignores it
    op.drop_index("ix_stats_figures_village", "stats_figures")
    op.drop_index("ix_stats_figures_township", "stats_figures")
    op.drop_table("stats_figures")
