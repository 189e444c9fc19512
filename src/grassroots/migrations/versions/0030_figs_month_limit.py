"""Deadline policies may state the resolve limit in months too (issue 15 items 17, 6)

Revision ID: 0030_figs_month_limit
Revises: 0030_public_reporting
Create Date: 2026-12-07

deadline_policy gains resolve_months (NULL: working days only). Where it is set, the
resolve deadline is the earlier of resolve_days working days and that many months counted as
the Civil Code counts them (arts. 201-203). The seeded village and township rows whose basis
is 人民调解工作若干规定 art. 33 (一般在一个月内调结) get 1: the law's month now caps the
20-working-day approximation, which around long holidays ends later than a month.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_figs_month_limit"
down_revision: str | None = "0030_public_reporting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deadline_policy", sa.Column("resolve_months", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE deadline_policy SET resolve_months = 1 WHERE source_code = '' "
        "AND category_code = '' AND level IN ('village', 'township') "
        "AND violence_risk = false AND basis LIKE '%一个月%'"
    )


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the
    # table's reference-stamp triggers (migration 0022).
    op.drop_column("deadline_policy", "resolve_months")
