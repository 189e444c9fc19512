"""statistics aggregates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

Maintained aggregate tables of grassroots.stats.models (kept exact by a flush listener).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEY = ("county_code", "township_code", "village_code", "category_code")
COHORT = (
    "registered",
    "accepted",
    "resolved",
    "terminated",
    "rejected",
    "resolved_village",
    "resolved_township",
    "resolved_county",
    "resolved_city",
    "escalated_beyond",
    "followed_up",
    "satisfied",
    "violence_risk",
    "violence_resolved",
    "duration_days",
)


def _key_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("county_code", sa.String(12), nullable=False),
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("category_code", sa.String(32), nullable=False),
    ]


def _counters(names: tuple[str, ...]) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(n, sa.BigInteger(), nullable=False) for n in names]


def _table(name: str, when: str, counters: tuple[str, ...], index: str) -> None:
    op.create_table(
        name,
        *_key_columns(),
        sa.Column(when, sa.Date(), nullable=False),
        *_counters(counters),
        sa.PrimaryKeyConstraint(*KEY, when, name=f"pk_{name}"),
    )
    op.create_index(index, name, ["township_code", when])


def upgrade() -> None:
    _table("stats_cohort", "month", COHORT, "ix_stats_cohort_township_month")
    _table("stats_due", "month", ("due", "on_time"), "ix_stats_due_township_month")
    _table("stats_open", "due_day", ("open_count",), "ix_stats_open_township_due")


def downgrade() -> None:
    op.drop_table("stats_open")
    op.drop_table("stats_due")
    op.drop_table("stats_cohort")
