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


KEY = ("category_code", "county_code")
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
        sa.Column("category_code", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(12), nullable=False),
        sa.Column("township_code", sa.String(12), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
    ]


def _counters(names: tuple[str, ...]) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(n, sa.BigInteger(), nullable=False) for n in names]


def _table(name: str, when: str, counters: tuple[str, ...]) -> None:
    op.create_table(
        name,
        *_key_columns(),
        sa.Column(when, sa.Date(), nullable=False),
        *_counters(counters),
        sa.PrimaryKeyConstraint(*KEY, when, "township_code", "village_code", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_township", name, ["category_code", "township_code", when])
    op.create_index(f"ix_{name}_village", name, ["category_code", "village_code", when])


def upgrade() -> None:
    _table("stats_cohort", "month", COHORT)
    _table("stats_due", "month", ("due", "on_time"))
    _table("stats_open", "due_day", ("open_count",))
    _table("stats_open_month", "month", ("open_count",))
    _fill_from_existing_cases()


def _fill_from_existing_cases() -> None:
    """A database that already holds cases gets its aggregates now (a new one has none)."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM case_file LIMIT 1")).first():
        return
    from sqlalchemy.orm import Session

    from grassroots.cases.tallies.maintain import rebuild

    with Session(bind=bind) as session:  # the tables of this revision (0013 fills its own)
        rebuild(session, only=("cohort", "due", "open", "open_month"))


def downgrade() -> None:
    op.drop_table("stats_open_month")
    op.drop_table("stats_open")
    op.drop_table("stats_due")
    op.drop_table("stats_cohort")
